"""What every wellness reader hands the store: values per day, nights of sleep, their source.

A reader (Garmin JSON, FIT wellness files, an intervals.icu CSV, a check-in by hand, and the
Apple Health reader of a later issue) returns one :class:`WellnessBatch`. The store
(:mod:`ingest.wellness.store`) turns it into one row per calendar day and source.

Values (SI-like units; every one optional)
------------------------------------------
resting_hr_bpm       the day's own resting heart rate [1/min]
resting_hr_7d_bpm    the device's 7-day rolling average of it [1/min] (Garmin)
hrv_rmssd_ms         overnight RMSSD [ms]
hrv_sdnn_ms          SDNN [ms] (Apple Health; a different series, never mixed with RMSSD)
hrv_weekly_ms        the device's 7-day HRV average [ms] (Garmin)
hrv_status           the device's own HRV status, e.g. ``balanced`` (Garmin's, shown as such)
hrv_baseline_low_ms, hrv_baseline_high_ms   the device's own "balanced" band [ms]
sleep_s              total sleep of the night ending that day: deep + light + REM [s]
nap_s                naps (< 3 h, ending after noon), kept apart from the night [s]
sleep_score          the device's sleep score (0-100)
sleep_quality        1 excellent, 2 good, 3 average, 4 poor (by hand, intervals.icu)
soreness             0 none - 4 extreme (by hand, intervals.icu)
fatigue              0 none - 4 extreme (intervals.icu)
stress_avg           the device's all-day average stress level (0-100, Garmin)

A day is the local calendar date; a night belongs to the date it ends on (its wake-up date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ingest.errors import Rejected
from ingest.journal import JournalError, shown

#: Where values come from, best first: the device that measured them (watch) before the phone
#: before a hand entry. When sources give the same day, each value is taken from the first.
SOURCES = ("fit", "garmin_export", "apple_health", "csv", "manual")

#: Value name -> (lowest, highest plausible value, unit, words for messages). Values outside
#: are refused when typed in and dropped (with a warning) when a file holds them.
RANGES: dict[str, tuple[float, float, str, str]] = {
    "resting_hr_bpm": (25, 120, "bpm", "resting heart rate"),
    "resting_hr_7d_bpm": (25, 120, "bpm", "7-day resting heart rate"),
    "hrv_rmssd_ms": (3, 300, "ms", "HRV (RMSSD)"),
    "hrv_sdnn_ms": (3, 300, "ms", "HRV (SDNN)"),
    "hrv_weekly_ms": (3, 300, "ms", "weekly HRV"),
    "hrv_baseline_low_ms": (3, 300, "ms", "HRV baseline (low)"),
    "hrv_baseline_high_ms": (3, 300, "ms", "HRV baseline (high)"),
    "sleep_s": (0, 16 * 3600, "s", "sleep"),
    "nap_s": (0, 4 * 3600, "s", "naps"),
    "sleep_score": (0, 100, "", "sleep score"),
    "sleep_quality": (1, 4, "", "sleep quality (1 excellent - 4 poor)"),
    "soreness": (0, 4, "", "soreness (0 none - 4 extreme)"),
    "fatigue": (0, 4, "", "fatigue (0 none - 4 extreme)"),
    "stress_avg": (0, 100, "", "stress level"),
}
#: Values that are whole numbers on their scale.
WHOLE = frozenset({"sleep_quality", "soreness", "fatigue"})
TEXT_VALUES = frozenset({"hrv_status"})
VALUE_NAMES = (*RANGES, *TEXT_VALUES)
#: Device HRV status words (FIT ``hrv_status``; Garmin JSON uses the same in capitals).
HRV_STATUSES = ("none", "poor", "low", "unbalanced", "balanced")


class WellnessError(JournalError):
    """A wellness value or file line that cannot be stored, with a one-line reason."""


class NotWellness(Rejected):
    """Bytes that look like a wellness file (JSON, CSV, FIT) but hold nothing we read."""


def check_value(name: str, value: object, what: str | None = None) -> float:
    """``value`` as a number within :data:`RANGES` ``[name]``; raises :class:`WellnessError`
    naming the value, the allowed range and what was given."""
    low, high, unit, words = RANGES[name]
    whole = name in WHOLE
    try:
        number = (float(value) if isinstance(value, str | int | float)
                  and not isinstance(value, bool) else float("nan"))
    except (TypeError, ValueError):
        number = float("nan")
    if not low <= number <= high or (whole and not number.is_integer()):
        kind = "a whole number" if whole else "a number"
        unit = f" {unit}" if unit else ""
        raise WellnessError(f"{what or words} must be {kind} from {low:g} to {high:g}{unit}, "
                            f"got {shown(value)}")
    return number


def plausible(name: str, value: float | None) -> bool:
    """Whether a device value lies within :data:`RANGES` (None counts as absent, not bad)."""
    if value is None:
        return True
    low, high = RANGES[name][:2]
    return low <= value <= high


@dataclass
class DayValues:
    """Values of one day: ``date`` when the file names it, else the instant ``at`` (UTC) whose
    local date is the day."""

    values: dict[str, float | str]
    date: dt.date | None = None
    at: dt.datetime | None = None


@dataclass
class Night:
    """One night's sleep: asleep intervals (UTC) when the device gives them, else a total for
    a named ``date``; the device's ``score`` if any."""

    spans: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    date: dt.date | None = None
    sleep_s: float | None = None
    score: float | None = None


@dataclass
class WellnessBatch:
    """What one wellness file (or one check-in) holds.

    Attributes
    ----------
    source
        One of :data:`SOURCES`.
    kind
        Words for reports, e.g. ``"Garmin sleep data"``.
    format
        ``"json"``, ``"fit"`` or ``"csv"`` (recorded with the file).
    days, nights
        The values and the nights of sleep.
    local_offset_s
        Local time - UTC when the file says (FIT ``monitoring_info``); else the store's time
        zone dates the instants.
    skipped_nights
        Nights the file marks off-wrist or unconfirmed (not nights, left out).
    warnings
        For the import report.
    """

    source: str
    kind: str
    format: str
    days: list[DayValues] = field(default_factory=list)
    nights: list[Night] = field(default_factory=list)
    local_offset_s: int | None = None
    skipped_nights: int = 0
    warnings: list[str] = field(default_factory=list)

    def drop_implausible(self) -> None:
        """Remove device values outside :data:`RANGES` and say so in the warnings."""
        dropped: dict[str, int] = {}
        for day in self.days:
            for name, value in list(day.values.items()):
                if name in RANGES and not isinstance(value, str) and not plausible(name, value):
                    dropped[name] = dropped.get(name, 0) + 1
                    del day.values[name]
        for night in self.nights:
            for name, total in (("sleep_s", night.sleep_s), ("sleep_score", night.score)):
                if not plausible(name, total):
                    dropped[name] = dropped.get(name, 0) + 1
                    if name == "sleep_s":
                        night.sleep_s = None
                    else:
                        night.score = None
        for name, count in dropped.items():
            low, high, unit, words = RANGES[name]
            self.warnings.append(f"{count} implausible {words} value(s) left out "
                                 f"(outside {low:g}-{high:g}{' ' + unit if unit else ''})")
