"""Dates, units and record types of an Apple Health ``export.xml``, converted to SI.

Dates are written ``2024-05-01 07:12:03 +0200``: local wall-clock time and its UTC offset, to
the second. :func:`parse_date` turns them into (UTC epoch milliseconds, offset [s]) fast
(millions of records): the calendar part is cached per day.

Values carry their unit in the ``unit`` attribute, which follows the phone's locale (``km``
or ``mi``, ``km/hr`` or ``mi/hr``, ``cm`` or ``in``); :func:`to_si` converts them with the
tables below. :data:`QUANTITIES` lists the record types read for workouts, with the samples
column (or role) each one feeds and the factor from SI to that column's unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PREFIX = "HKQuantityTypeIdentifier"
CATEGORY_PREFIX = "HKCategoryTypeIdentifier"
WORKOUT_PREFIX = "HKWorkoutActivityType"

#: Unit text -> factor to the SI unit of its dimension.
LENGTH_M = {"m": 1.0, "km": 1000.0, "cm": 0.01, "mm": 0.001, "mi": 1609.344, "yd": 0.9144,
            "ft": 0.3048, "in": 0.0254}
SPEED_M_S = {"m/s": 1.0, "km/hr": 1 / 3.6, "km/h": 1 / 3.6, "mi/hr": 0.44704, "mi/h": 0.44704,
             "m/min": 1 / 60, "m/hr": 1 / 3600}
TIME_S = {"ms": 0.001, "s": 1.0, "min": 60.0, "hr": 3600.0, "h": 3600.0, "d": 86400.0}
RATE_PER_MIN = {"count/min": 1.0, "count/s": 60.0, "count/hr": 1 / 60}
POWER_W = {"W": 1.0, "kW": 1000.0}
COUNT = {"count": 1.0}
ENERGY_KCAL = {"kcal": 1.0, "Cal": 1.0, "cal": 0.001, "kJ": 1 / 4.184, "J": 1 / 4184}


@dataclass(frozen=True)
class Quantity:
    """How one record type feeds a workout.

    ``column`` is a samples column (:data:`ingest.schema.SAMPLE_SCHEMA`) or a role: ``steps``
    (intervals turned into cadence) or ``distance`` (intervals summed along the workout).
    ``units`` is the unit table, ``scale`` the factor from its SI unit to the column's unit.
    ``family`` names the sports that use it: ``all``, ``on_foot``, ``cycling``, ``swimming``.
    """

    column: str
    units: dict[str, float]
    scale: float = 1.0
    family: str = "all"


#: Record types read for workouts (without :data:`PREFIX`).
QUANTITIES: dict[str, Quantity] = {
    "HeartRate": Quantity("heart_rate_bpm", RATE_PER_MIN),
    "RunningSpeed": Quantity("speed_m_s", SPEED_M_S, family="on_foot"),
    "RunningPower": Quantity("power_w", POWER_W, family="on_foot"),
    "RunningStrideLength": Quantity("step_length_mm", LENGTH_M, 1000.0, "on_foot"),
    "RunningVerticalOscillation": Quantity("vertical_oscillation_mm", LENGTH_M, 1000.0,
                                           "on_foot"),
    "RunningGroundContactTime": Quantity("stance_time_ms", TIME_S, 1000.0, "on_foot"),
    "StepCount": Quantity("steps", COUNT, family="on_foot"),
    "DistanceWalkingRunning": Quantity("distance", LENGTH_M, family="on_foot"),
    "CyclingSpeed": Quantity("speed_m_s", SPEED_M_S, family="cycling"),
    "CyclingPower": Quantity("power_w", POWER_W, family="cycling"),
    "CyclingCadence": Quantity("cadence_rpm", RATE_PER_MIN, family="cycling"),
    "DistanceCycling": Quantity("distance", LENGTH_M, family="cycling"),
    "DistanceSwimming": Quantity("distance", LENGTH_M, family="swimming"),
}
#: Number of each quantity in the spool (by position in :data:`QUANTITIES`).
KIND_IDS = {f"{PREFIX}{name}": i for i, name in enumerate(QUANTITIES)}
KIND_NAMES = list(QUANTITIES)

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
#: Days cached by :func:`parse_date` before the cache starts afresh (bounded memory).
_DAY_CACHE_SIZE = 50_000
_days: dict[str, int] = {}


def _days_since_epoch(day: str) -> int:
    days = _days.get(day)
    if days is None:
        if len(_days) >= _DAY_CACHE_SIZE:
            _days.clear()
        days = _days[day] = dt.date.fromisoformat(day).toordinal() - _EPOCH_ORDINAL
    return days


def parse_date(text: str | None) -> tuple[int, int] | None:
    """``'2024-05-01 07:12:03 +0200'`` -> (UTC epoch ms, UTC offset [s]); None if unreadable.

    Examples
    --------
    >>> parse_date("1970-01-01 02:00:01 +0200")
    (1000, 7200)
    """
    if text is None or len(text) != 25 or text[10] != " " or text[19] != " ":
        return _parse_slowly(text)
    try:
        days = _days_since_epoch(text[:10])
        hour, minute, second = int(text[11:13]), int(text[14:16]), int(text[17:19])
        offset = int(text[21:23]) * 3600 + int(text[23:25]) * 60
    except ValueError:
        return None
    sign = text[20]
    if (sign not in "+-" or text[13] != ":" or text[16] != ":" or hour > 23 or minute > 59
            or second > 60):
        return None
    offset = -offset if sign == "-" else offset
    return (days * 86400 + hour * 3600 + minute * 60 + second - offset) * 1000, offset


def _parse_slowly(text: str | None) -> tuple[int, int] | None:
    """Dates in other shapes (``2024-05-01T07:12:03+02:00``, fractions of a second)."""
    if not text:
        return None
    try:
        stamp = dt.datetime.fromisoformat(text.strip().replace(" +", "+").replace(" -", "-"))
    except ValueError:
        return None
    offset = stamp.utcoffset()
    if offset is None:
        return None
    return round(stamp.timestamp() * 1000), int(offset.total_seconds())


def local_day(text: str) -> dt.date | None:
    """The local calendar date a date string names (its first ten characters)."""
    try:
        return dt.date.fromisoformat(text[:10])
    except (TypeError, ValueError):
        return None


def to_si(value: str | None, unit: str | None, table: dict[str, float]) -> float | None:
    """``value`` in ``unit`` converted with ``table``; None when either is unknown or the
    value is not a finite number."""
    if value is None:
        return None
    factor = table.get(unit or "")
    if factor is None:
        return None
    try:
        number = float(value) * factor
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def window(attributes: dict[str, str]) -> tuple[int, int, int] | None:
    """(start ms, end ms, local offset s) of a workout or leg from its ``startDate`` and
    ``endDate`` (or ``duration``); None without a readable start."""
    start, end = parse_date(attributes.get("startDate")), parse_date(attributes.get("endDate"))
    if start is None:
        return None
    if end is None:
        seconds = to_si(attributes.get("duration"), attributes.get("durationUnit"), TIME_S)
        end = (start[0] + round(1000 * (seconds or 0.0)), start[1])
    return start[0], end[0], start[1]
