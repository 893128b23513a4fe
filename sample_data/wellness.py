"""Her nights, overnight HRV and resting heart rate, as a Garmin account export holds them.

One value a day for the 20 weeks of :mod:`sample_data.plan`, written as the three wellness
files of an export zip (``DI_CONNECT/DI-Connect-Wellness/*_sleepData.json``,
``*_healthStatusData.json`` and ``DI_CONNECT/DI-Connect-Aggregator/UDSFile_*.json``, every file
a JSON array; field names as Garmin writes them). Nobody's real data: every value is drawn
from ``numpy.random.default_rng([seed, WELLNESS_STREAM])``.

The story:

- normally about 7 h 20 min of sleep, overnight HRV (RMSSD) around 62 ms, resting HR 47 bpm;
  a long run or a tempo run lowers the next night's HRV a little and raises resting HR;
- the build and spike weeks (9-12) lower HRV and raise resting HR slowly;
- :data:`DEADLINE_NIGHTS`: a work deadline in week 6 (the busy fortnight without body work):
  short nights, HRV well below her normal and resting HR up - the readiness modifier turns two
  "train" days into an easy run;
- the pain weeks (13-14): the back wakes her (:data:`PAIN_NIGHTS`), HRV is low and resting HR
  up - but the pain decides the advice there.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import zipfile
from dataclasses import dataclass

import numpy as np

from sample_data import plan

#: Second key of the random stream (the activities use their index).
WELLNESS_STREAM = 7_000
#: Where the files sit in the zip, as in an account export.
SLEEP_FILE = "DI_CONNECT/DI-Connect-Wellness/{first}_{last}_90210_sleepData.json"
HEALTH_FILE = "DI_CONNECT/DI-Connect-Wellness/{first}_{last}_90210_healthStatusData.json"
UDS_FILE = "DI_CONNECT/DI-Connect-Aggregator/UDSFile_{first}_{last}.json"
#: Nights of the deadline week: (week, weekday of waking) -> hours slept.
DEADLINE_NIGHTS: dict[tuple[int, int], float] = {(6, 1): 5.2, (6, 2): 5.4, (6, 3): 5.8}
#: Mornings of the deadline week with HRV down [ln ms] and resting HR up [bpm].
DEADLINE_MORNINGS: dict[tuple[int, int], tuple[float, float]] = {
    (6, 0): (-0.15, 1.0), (6, 1): (-0.35, 3.0), (6, 2): (-0.45, 6.0), (6, 3): (-0.45, 7.0),
    (6, 4): (-0.3, 4.0), (6, 5): (-0.15, 2.0)}
#: Nights the back woke her: (week, weekday of waking) -> hours slept.
PAIN_NIGHTS: dict[tuple[int, int], float] = {
    (13, 2): 5.3, (13, 3): 5.6, (13, 4): 5.5, (13, 5): 6.2, (14, 0): 6.3}
#: Garmin's own HRV baseline after its three weeks of onboarding [ms].
GARMIN_BASELINE_MS = (50, 74)
ONBOARDING_DAYS = 21
#: Bed time and wake-up time (local, CEST = UTC+2 throughout the history).
BED_LOCAL = dt.time(22, 50)
UTC_OFFSET = dt.timedelta(hours=2)


def _days() -> list[dt.date]:
    return [plan.FIRST_MONDAY + dt.timedelta(days=i) for i in range(7 * plan.WEEKS)]


def _hard_days(sessions: list[plan.Session]) -> set[dt.date]:
    """Days of a long or tempo run (the next morning's HRV is a little lower)."""
    return {plan.day_of(s.week, s.weekday) for s in sessions if s.kind in ("long", "tempo")}


@dataclass(frozen=True)
class Day:
    """One day's values: the night ending that morning, the overnight HRV and resting HR."""

    date: dt.date
    deep_s: int
    light_s: int
    rem_s: int
    awake_s: int
    score: int
    hrv_ms: int
    rhr_bpm: int


def daily_values(sessions: list[plan.Session], seed: int) -> list[Day]:
    """One :class:`Day` per day of the history (module docstring for the story)."""
    rng = np.random.default_rng([seed, WELLNESS_STREAM])
    hard = _hard_days(sessions)
    out = []
    for i, day in enumerate(_days()):
        week, weekday = i // 7 + 1, day.weekday()
        key = (week, weekday)
        build = max(0, min(week, 13) - 8) if week <= 14 else 0  # weeks 9-12 and the pain
        after_hard = (day - dt.timedelta(days=1)) in hard
        sleep_h = float(np.clip(rng.normal(7.35, 0.4), 6.3, 8.6))
        sleep_h = DEADLINE_NIGHTS.get(key, PAIN_NIGHTS.get(key, sleep_h))
        ln_hrv = math.log(62) + rng.normal(0, 0.07) - 0.06 * after_hard - 0.03 * build
        rhr = 47 + rng.normal(0, 1.0) + 1.0 * after_hard + 0.5 * build
        dip, up = DEADLINE_MORNINGS.get(key, (0.0, 0.0))
        if key in PAIN_NIGHTS:
            dip, up = -0.3, 5.0
        total_s = round(sleep_h * 3600 / 60) * 60
        deep = round(total_s * rng.uniform(0.16, 0.22) / 60) * 60
        rem = round(total_s * rng.uniform(0.2, 0.25) / 60) * 60
        out.append(Day(
            date=day, deep_s=deep, rem_s=rem, light_s=total_s - deep - rem,
            awake_s=int(rng.integers(4, 40)) * 60,
            score=int(np.clip(round(40 + 6 * sleep_h + rng.normal(0, 4)), 20, 99)),
            hrv_ms=round(math.exp(ln_hrv + dip)), rhr_bpm=round(rhr + up)))
    return out


def _gmt(moment: dt.datetime) -> str:
    return f"{moment - UTC_OFFSET:%Y-%m-%dT%H:%M:%S}.0"


def _sleep_entry(v: Day) -> dict[str, object]:
    start = dt.datetime.combine(v.date - dt.timedelta(days=1), BED_LOCAL)
    end = start + dt.timedelta(seconds=v.deep_s + v.light_s + v.rem_s + v.awake_s)
    return {
        "calendarDate": v.date.isoformat(), "sleepStartTimestampGMT": _gmt(start),
        "sleepEndTimestampGMT": _gmt(end),
        "sleepWindowConfirmationType": "ENHANCED_CONFIRMED_FINAL",
        "deepSleepSeconds": v.deep_s, "lightSleepSeconds": v.light_s,
        "remSleepSeconds": v.rem_s, "awakeSleepSeconds": v.awake_s,
        "unmeasurableSeconds": 0, "averageRespiration": 14.0,
        "sleepScores": {"overallScore": v.score},
    }


def _health_entry(index: int, v: Day) -> dict[str, object]:
    onboarding = index < ONBOARDING_DAYS
    low, high = (0, 0) if onboarding else GARMIN_BASELINE_MS
    status = "ONBOARDING" if onboarding else "IN_RANGE" if low <= v.hrv_ms <= high else \
        "BELOW_BASELINE" if v.hrv_ms < low else "ABOVE_BASELINE"
    return {"calendarDate": v.date.isoformat(), "metrics": [
        {"type": "HRV", "value": v.hrv_ms, "status": status, "baselineLowerLimit": low,
         "baselineUpperLimit": high}]}


def _uds_entry(values: list[Day], index: int) -> dict[str, object]:
    week = [v.rhr_bpm for v in values[max(0, index - 6):index + 1]]
    return {"calendarDate": values[index].date.isoformat(), "userProfilePK": 90210,
            "currentDayRestingHeartRate": values[index].rhr_bpm,
            "restingHeartRate": round(sum(week) / len(week))}


def export_members(sessions: list[plan.Session], seed: int) -> dict[str, bytes]:
    """The three wellness files of the export: path in the zip -> JSON bytes."""
    values = daily_values(sessions, seed)
    names = {"first": values[0].date, "last": values[-1].date}

    def dump(entries: list[dict[str, object]]) -> bytes:
        return (json.dumps(entries, indent=1) + "\n").encode()

    return {
        SLEEP_FILE.format(**names): dump([_sleep_entry(v) for v in values]),
        HEALTH_FILE.format(**names): dump([_health_entry(i, v) for i, v in enumerate(values)]),
        UDS_FILE.format(**names): dump([_uds_entry(values, i) for i in range(len(values))]),
    }


def export_zip(members: dict[str, bytes]) -> bytes:
    """A zip of ``members`` with fixed times and order (the same bytes for the same input)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 10, 19, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()
