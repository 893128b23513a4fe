"""Garmin's wellness JSON: the account export's files and the web API's answers.

Which form a file has is told by its content, not its name (docs/methods.md section 12.1):

* export ``DI_CONNECT/DI-Connect-Wellness/*_sleepData.json``: an array of nights with
  ``calendarDate``, ``deepSleepSeconds``, ``lightSleepSeconds``, ``remSleepSeconds``,
  ``sleepWindowConfirmationType`` (``OFF_WRIST`` and ``UNCONFIRMED`` are not nights) and
  ``sleepScores.overallScore`` (0 = none);
* export ``*_healthStatusData.json``: an array of days with ``metrics[]`` of ``{type, value,
  baselineLowerLimit, baselineUpperLimit, status}``; type ``HRV`` is the overnight RMSSD [ms]
  (limits are 0 while the status is ``ONBOARDING``);
* export ``DI_CONNECT/DI-Connect-Aggregator/UDSFile_*.json``: an array of daily summaries with
  ``restingHeartRate`` (a 7-day rolling average), ``currentDayRestingHeartRate`` (the day's own)
  and ``allDayStress.aggregatorList[]`` (type ``TOTAL``, ``averageStressLevel``; < 0 = none);
* web API (epoch milliseconds, other names): an object with ``dailySleepDTO`` (sleep, with
  ``sleepScores.overall.value``), ``hrvSummary`` (``lastNightAvg``, ``weeklyAvg``,
  ``baseline.balancedLow/balancedUpper``, ``status``), ``allMetrics.metricsMap.
  WELLNESS_RESTING_HEART_RATE`` (resting HR per day), or a daily user summary whose
  ``restingHeartRate`` is the day's own beside ``lastSevenDaysAvgRestingHeartRate``. Arrays of
  these objects are read too.

Garmin writes 0 or a negative number for "no value"; those are absent here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from ingest.wellness.records import DayValues, Night, NotWellness, WellnessBatch

SOURCE = "garmin_export"
NOT_NIGHTS = frozenset({"OFF_WRIST", "UNCONFIRMED"})
_SLEEP_KEYS = ("deepSleepSeconds", "lightSleepSeconds", "remSleepSeconds")
_SUMMARY_KEYS = ("restingHeartRate", "currentDayRestingHeartRate", "allDayStress",
                 "lastSevenDaysAvgRestingHeartRate")
KINDS = {"sleep": "Garmin sleep data", "hrv": "Garmin HRV data",
         "summary": "Garmin daily summaries"}


def looks_like_json(data: bytes) -> bool:
    """Whether the bytes start like a JSON array or object."""
    return data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{")


def _positive(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    return float(value)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dict):
        value = value.get("date")
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _status(value: Any) -> str | None:
    return value.strip().lower() or None if isinstance(value, str) else None


def _put(values: dict[str, float | str], name: str, value: float | str | None) -> None:
    if value is not None:
        values[name] = value


class _Reader:
    def __init__(self) -> None:
        self.batch = WellnessBatch(SOURCE, "", "json")
        self.kinds: set[str] = set()
        self.unknown = 0
        self.undated = 0

    def day(self, date: dt.date | None, values: dict[str, float | str], kind: str) -> None:
        if date is None:
            self.undated += 1
        elif values:
            self.batch.days.append(DayValues(values, date=date))
            self.kinds.add(kind)

    def entry(self, obj: Any) -> None:
        if not isinstance(obj, dict):
            self.unknown += 1
        elif "dailySleepDTO" in obj:
            self.sleep(obj.get("dailySleepDTO") or {}, obj)
        elif "hrvSummary" in obj:
            self.hrv_summary(obj.get("hrvSummary") or {})
        elif "allMetrics" in obj:
            self.resting_metrics(obj["allMetrics"])
        elif isinstance(obj.get("metrics"), list):
            self.health_status(obj)
        elif any(key in obj for key in (*_SLEEP_KEYS, "sleepWindowConfirmationType")):
            self.sleep(obj, {})
        elif "calendarDate" in obj and any(key in obj for key in _SUMMARY_KEYS):
            self.summary(obj)
        else:
            self.unknown += 1

    def sleep(self, night: dict, outer: dict) -> None:
        date = _date(night.get("calendarDate"))
        confirmation = str(night.get("sleepWindowConfirmationType") or "").upper()
        stages = [night.get(key) for key in _SLEEP_KEYS]
        if any(isinstance(s, int | float) for s in stages):
            total = sum(float(s) for s in stages if isinstance(s, int | float) and s > 0)
        else:
            total = _positive(night.get("sleepTimeSeconds")) or 0.0
        scores = night.get("sleepScores") or {}
        score = scores.get("overallScore")
        if isinstance(scores.get("overall"), dict):  # web API
            score = scores["overall"].get("value")
        if confirmation in NOT_NIGHTS or night.get("sleepWindowConfirmed") is False:
            self.batch.skipped_nights += 1
        elif date is None:
            self.undated += 1
        elif total > 0:
            self.batch.nights.append(Night(date=date, sleep_s=total, score=_positive(score)))
            self.kinds.add("sleep")
        values: dict[str, float | str] = {}
        _put(values, "resting_hr_bpm", _positive(outer.get("restingHeartRate")))
        _put(values, "hrv_rmssd_ms", _positive(outer.get("avgOvernightHrv")))
        _put(values, "hrv_status", _status(outer.get("hrvStatus")))
        if values:
            self.day(date, values, "sleep")

    def hrv_summary(self, summary: dict) -> None:
        baseline = summary.get("baseline") or {}
        values: dict[str, float | str] = {}
        _put(values, "hrv_rmssd_ms", _positive(summary.get("lastNightAvg")))
        _put(values, "hrv_weekly_ms", _positive(summary.get("weeklyAvg")))
        _put(values, "hrv_baseline_low_ms", _positive(baseline.get("balancedLow")))
        _put(values, "hrv_baseline_high_ms", _positive(baseline.get("balancedUpper")))
        _put(values, "hrv_status", _status(summary.get("status")))
        self.day(_date(summary.get("calendarDate")), values, "hrv")

    def resting_metrics(self, metrics: Any) -> None:
        points = ((metrics or {}).get("metricsMap") or {}).get("WELLNESS_RESTING_HEART_RATE")
        for point in points or []:
            if isinstance(point, dict) and (value := _positive(point.get("value"))):
                self.day(_date(point.get("calendarDate")), {"resting_hr_bpm": value}, "summary")

    def health_status(self, day: dict) -> None:
        values: dict[str, float | str] = {}
        for metric in day["metrics"]:
            if isinstance(metric, dict) and str(metric.get("type", "")).upper() == "HRV":
                _put(values, "hrv_rmssd_ms", _positive(metric.get("value")))
                _put(values, "hrv_baseline_low_ms", _positive(metric.get("baselineLowerLimit")))
                _put(values, "hrv_baseline_high_ms",
                     _positive(metric.get("baselineUpperLimit")))
                _put(values, "hrv_status", _status(metric.get("status")))
        self.day(_date(day.get("calendarDate")), values, "hrv")

    def summary(self, day: dict) -> None:
        values: dict[str, float | str] = {}
        if "currentDayRestingHeartRate" in day:  # account export: restingHeartRate is 7-day
            _put(values, "resting_hr_bpm", _positive(day.get("currentDayRestingHeartRate")))
            _put(values, "resting_hr_7d_bpm", _positive(day.get("restingHeartRate")))
        elif "lastSevenDaysAvgRestingHeartRate" in day:  # web API daily summary
            _put(values, "resting_hr_bpm", _positive(day.get("restingHeartRate")))
            _put(values, "resting_hr_7d_bpm",
                 _positive(day.get("lastSevenDaysAvgRestingHeartRate")))
        else:  # the 7-day average alone: not the day's own value
            _put(values, "resting_hr_7d_bpm", _positive(day.get("restingHeartRate")))
        stress = day.get("averageStressLevel")
        for item in ((day.get("allDayStress") or {}).get("aggregatorList") or []):
            if isinstance(item, dict) and item.get("type") == "TOTAL":
                stress = item.get("averageStressLevel")
        if isinstance(stress, int | float) and stress >= 0:
            values["stress_avg"] = float(stress)
        self.day(_date(day.get("calendarDate")), values, "summary")


def _entries(document: Any) -> Iterable[Any]:
    return document if isinstance(document, list) else [document]


def read_garmin_json(data: bytes) -> WellnessBatch:
    """Read one Garmin wellness JSON file (any of the forms in the module docstring).

    Raises
    ------
    NotWellness
        Not JSON, or JSON in none of these forms.
    """
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotWellness(f"damaged JSON ({exc})") from exc
    reader = _Reader()
    for entry in _entries(document):
        reader.entry(entry)
    batch = reader.batch
    if not reader.kinds and not batch.skipped_nights and reader.unknown == len(
            list(_entries(document))):
        raise NotWellness("JSON, but not a Garmin sleep, HRV or daily summary file")
    if not reader.kinds:
        skipped = (f" ({batch.skipped_nights} nights marked off-wrist or unconfirmed, which are "
                   "not nights)" if batch.skipped_nights else "")
        raise NotWellness("JSON, but no Garmin sleep, HRV or daily summary values in it"
                          + skipped)
    batch.kind = ", ".join(KINDS[k] for k in KINDS if k in reader.kinds) or KINDS["sleep"]
    if reader.undated:
        batch.warnings.append(f"{reader.undated} entries without a calendarDate left out")
    if batch.skipped_nights:
        batch.warnings.append(f"{batch.skipped_nights} nights marked off-wrist or unconfirmed "
                              "left out (not nights)")
    batch.drop_implausible()
    return batch
