"""Wellness by hand: the morning check-in and a CSV with intervals.icu's wellness columns.

The check-in (docs/methods.md section 12.1): resting HR [bpm], HRV [ms] with its kind (RMSSD or
SDNN), hours slept, sleep quality 1 excellent - 4 poor, soreness 0 none - 4 extreme. Every value
is checked against :data:`ingest.wellness.records.RANGES`.

The CSV uses intervals.icu's column names (any case, other columns ignored): ``date``,
``restingHR``, ``hrv`` (RMSSD), ``hrvSDNN``, ``sleepSecs``, ``sleepScore``, ``sleepQuality``,
``soreness``, ``fatigue``. intervals.icu rates soreness and fatigue 1 (low) - 4 (extreme); they
are kept as given on our 0-4 scale. A CSV is stored whole or not at all: the first bad line is
named.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from ingest import scalars
from ingest.journal import JournalError, check_day, parse_level, shown
from ingest.wellness.records import DayValues, Night, WellnessBatch, WellnessError, check_value

#: intervals.icu column (lower case) -> value name.
CSV_COLUMNS = {
    "restinghr": "resting_hr_bpm", "hrv": "hrv_rmssd_ms", "hrvsdnn": "hrv_sdnn_ms",
    "sleepsecs": "sleep_s", "sleepscore": "sleep_score", "sleepquality": "sleep_quality",
    "soreness": "soreness", "fatigue": "fatigue",
}
HRV_KINDS = {"rmssd": "hrv_rmssd_ms", "sdnn": "hrv_sdnn_ms"}
#: Most hours of sleep a check-in accepts.
MAX_SLEEP_H = 16.0


def looks_like_wellness_csv(data: bytes) -> bool:
    """Whether the first line is a CSV header with ``date`` and an intervals.icu wellness
    column."""
    first = data[:2048].lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    names = {name.strip().strip('"').lower() for name in first.decode("utf-8", "replace")
             .split(",")}
    return "date" in names and bool(names & set(CSV_COLUMNS))


def _with_sleep(values: dict[str, float | str], day: dt.date, source: str, kind: str,
                fmt: str) -> WellnessBatch:
    batch = WellnessBatch(source, kind, fmt)
    sleep_s = scalars.number_or_none(values.pop("sleep_s", None))
    score = scalars.number_or_none(values.pop("sleep_score", None))
    if sleep_s is not None or score is not None:
        batch.nights.append(Night(date=day, sleep_s=sleep_s, score=score))
    if values:
        batch.days.append(DayValues(values, date=day))
    return batch


def checkin(date: str | dt.date, *, rhr: object = None, hrv: object = None,
            hrv_kind: str = "rmssd", sleep_h: object = None, sleep_quality: object = None,
            soreness: object = None, today: dt.date | None = None) -> WellnessBatch:
    """A validated morning check-in (source ``manual``); raises :class:`WellnessError`."""
    try:
        day = check_day(date, today)
        values: dict[str, float | str] = {}
        if rhr not in (None, ""):
            values["resting_hr_bpm"] = check_value("resting_hr_bpm", rhr)
        if hrv not in (None, ""):
            if not isinstance(hrv_kind, str) or hrv_kind not in HRV_KINDS:
                raise WellnessError(f"HRV kind must be rmssd or sdnn, got {shown(hrv_kind)}")
            values[HRV_KINDS[hrv_kind]] = check_value(HRV_KINDS[hrv_kind], hrv,
                                                      f"HRV ({hrv_kind.upper()})")
        if sleep_h not in (None, ""):
            hours = parse_level(sleep_h, 0, MAX_SLEEP_H, "hours slept", whole=False)
            values["sleep_s"] = round(hours * 3600)
        if sleep_quality not in (None, ""):
            values["sleep_quality"] = check_value("sleep_quality", sleep_quality)
        if soreness not in (None, ""):
            values["soreness"] = check_value("soreness", soreness)
    except JournalError as exc:
        raise WellnessError(str(exc)) from exc
    if not values:
        raise WellnessError("nothing to log: give resting HR, HRV, hours slept, sleep quality "
                            "or soreness")
    return _with_sleep(values, day, "manual", "check-in", "manual")


def parse_wellness_csv(text: str) -> WellnessBatch:
    """Every row of an intervals.icu wellness CSV (source ``csv``); raises
    :class:`WellnessError` naming the first bad line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = {(c or "").strip().lower() for c in reader.fieldnames or []}
    if "date" not in columns or not columns & set(CSV_COLUMNS):
        raise WellnessError("not an intervals.icu wellness CSV: needs a date column and one of "
                            "restingHR, hrv, hrvSDNN, sleepSecs, sleepScore, sleepQuality, "
                            "soreness, fatigue")
    batch = WellnessBatch("csv", "intervals.icu wellness CSV", "csv")
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
        try:
            day = check_day(row.get("date", "")[:10])
            values: dict[str, float | str] = {
                name: check_value(name, row[column])
                for column, name in CSV_COLUMNS.items() if row.get(column)}
        except JournalError as exc:
            raise WellnessError(f"line {line}: {exc}") from exc
        if values:
            one = _with_sleep(values, day, "csv", batch.kind, "csv")
            batch.days += one.days
            batch.nights += one.nights
    return batch
