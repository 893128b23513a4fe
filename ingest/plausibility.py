"""Totals a runner can trust: every activity checked against its own samples and physics.

Damaged files carry absurd values - a time stamp decades away, a 26,000 km run, an 80-day
duration - and one of them is enough to spoil weekly summaries, load and advice.
:func:`ensure_plausible` runs once per decoded activity (after clean-up and derivation, from
:func:`ingest.reader.read_activities`):

1. samples timed far from the rest and impossible distance spikes are dropped
   (:func:`ingest.sample_evidence.trim_samples`); when that would drop most samples the
   activity is refused;
2. :func:`contradictions` checks the start date, the totals against the limits of the sport and
   against what the samples show; a total that fails is recomputed from the samples, or dropped
   when the samples cannot give it, with one warning naming each; an activity whose start or
   duration cannot be recomputed is refused with one line saying why.

The limits are physical (what nobody reaches in the sport), not statistical: they catch damage,
not unusual sessions. When the file was read to its end (not cut short) and the samples are
dense, totals must also not claim much more than the samples show (a changed byte in a summary
message); a file cut short may state totals beyond its surviving samples.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from ingest import derive, scalars
from ingest.derive import float_column
from ingest.errors import CorruptFile
from ingest.sample_evidence import (
    MAX_DURATION_S,
    Evidence,
    describe_duration,
    evidence,
    max_speed,
    trim_samples,
)
from ingest.schema import Activity, Summary

#: Earliest plausible start: FIT (2006), TCX (2007) and GPX (2002) postdate it; earlier dates
#: come from zero or damaged time stamps (FIT counts from 1989-12-31).
EARLIEST_START = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
#: How far in the future a start may be (time zones, a fast device clock).
FUTURE_TOLERANCE = dt.timedelta(days=2)
#: A summary start this far from the first sample is wrong [s] (real files: < 16 min).
START_TOLERANCE_S = 1800.0
#: Samples may run this long past the stated end [s] (FIT keeps records within 5 min of it).
END_TOLERANCE_S = 600.0
#: Timer and moving time may exceed the elapsed duration by this much (rounding) [s].
TIMER_TOLERANCE_S = 60.0
#: Totals of a complete file may exceed what dense samples show by this factor and margin.
COMPLETE_FACTOR = 1.25
COMPLETE_MARGIN_S = 600.0
COMPLETE_MARGIN_M = 500.0
#: Distance a summary may exceed the sport's top speed by (a GPS fix jumping at the start) [m].
DISTANCE_MARGIN_M = 100.0
#: A summary distance this much shorter than the samples cover contradicts them [m], [-].
SHORTFALL_M = 200.0
SHORTFALL_SHARE = 0.1
#: An average speed must lie within this factor (and margin) of distance over the time range
#: moving time .. elapsed time.
SPEED_FIT_FACTOR = 1.5
SPEED_FIT_MARGIN_M_S = 0.5
#: Vertical metres that may exceed the distance (GPS distance is horizontal) [m].
ASCENT_MARGIN_M = 500.0
#: Energy: elite endurance athletes spend about 1,200-1,500 kcal/h.
MAX_KCAL_PER_H = 2000.0
KCAL_MARGIN = 200.0
MAX_CADENCE_SPM = 300.0
MAX_POWER_W = 3000.0
#: Summary heart-rate averages may sit this far outside the samples' range [bpm].
HR_MARGIN_BPM = 5.0
ESSENTIAL = ("start_time", "duration_s")


# -- checks ------------------------------------------------------------------------------------
def _problems(s: Summary, ev: Evidence, complete: bool, now: dt.datetime) -> dict[str, str]:
    """Field -> why it is implausible, in check order (empty when every total is plausible)."""
    found: dict[str, str] = {}
    elapsed = _check_times(s, ev, complete, now, found)
    _check_distance_and_speed(s, ev, complete, elapsed, found)
    _check_rates(s, ev, complete, elapsed, found)
    return found


def _check_times(s: Summary, ev: Evidence, complete: bool, now: dt.datetime,
                 found: dict[str, str]) -> float | None:
    """Start, duration, timer and moving time; returns the elapsed time to judge others by."""
    start = s.start_time.timestamp()
    if not EARLIEST_START <= s.start_time <= now + FUTURE_TOLERANCE:
        found["start_time"] = "not a possible date"
    elif ev.first_s is not None and abs(start - ev.first_s) > START_TOLERANCE_S:
        found["start_time"] = "hours away from the first sample"
    covered = (None if ev.last_s is None or ev.first_s is None
               else ev.last_s - min(start, ev.first_s))
    duration = s.duration_s
    if duration is not None:
        if not 0.0 <= duration <= MAX_DURATION_S:
            found["duration_s"] = "longer than any activity"
        elif covered is not None and covered > duration + max(END_TOLERANCE_S, 0.1 * duration):
            found["duration_s"] = "samples run past the end of the stated duration"
        elif (complete and ev.dense and covered is not None
              and duration > COMPLETE_FACTOR * covered + COMPLETE_MARGIN_S):
            found["duration_s"] = "much longer than the recording"
    elapsed = duration if duration is not None and "duration_s" not in found else covered
    limit = (MAX_DURATION_S if elapsed is None
             else elapsed + max(TIMER_TOLERANCE_S, 0.02 * elapsed))
    for name in ("timer_time_s", "moving_time_s"):
        value = getattr(s, name)
        if value is not None and not 0.0 <= value <= limit:
            found[name] = "longer than the elapsed time"
    return elapsed


def _check_distance_and_speed(s: Summary, ev: Evidence, complete: bool, elapsed: float | None,
                              found: dict[str, str]) -> None:
    """Distance against physics and the samples; average speed against distance and time."""
    vmax = max_speed(s.sport)
    if s.distance_m is not None:
        limit = vmax * (elapsed if elapsed is not None else MAX_DURATION_S) + DISTANCE_MARGIN_M
        if not 0.0 <= s.distance_m <= limit:
            found["distance_m"] = f"faster than {vmax:g} m/s on average"
        elif ev.distance_m is not None and s.distance_m < ev.distance_m - max(
                SHORTFALL_M, SHORTFALL_SHARE * ev.distance_m):
            found["distance_m"] = "the samples cover a longer distance"
        elif (complete and ev.dense and ev.distance_m is not None
              and s.distance_m > COMPLETE_FACTOR * ev.distance_m + COMPLETE_MARGIN_M):
            found["distance_m"] = "much longer than the distance the samples cover"
    if s.avg_speed_m_s is None:
        return
    times = [t for t in (s.moving_time_s, s.timer_time_s, elapsed) if t]
    distance = None if "distance_m" in found else s.distance_m
    if not 0.0 <= s.avg_speed_m_s <= vmax:
        found["avg_speed_m_s"] = f"faster than {vmax:g} m/s"
    elif distance is not None and times and not (
            distance / max(times) / SPEED_FIT_FACTOR - SPEED_FIT_MARGIN_M_S <= s.avg_speed_m_s
            <= SPEED_FIT_FACTOR * distance / min(times) + SPEED_FIT_MARGIN_M_S):
        found["avg_speed_m_s"] = "does not fit distance and time"


def _check_rates(s: Summary, ev: Evidence, complete: bool, elapsed: float | None,
                 found: dict[str, str]) -> None:
    """Climbing, energy, cadence, power and heart rate."""
    hours = (elapsed if elapsed is not None else MAX_DURATION_S) / 3600
    vertical = (s.distance_m + ASCENT_MARGIN_M if s.distance_m is not None
                and "distance_m" not in found else max_speed(s.sport) * hours * 3600)
    for name in ("ascent_m", "descent_m"):
        value = getattr(s, name)
        if value is not None and not 0.0 <= value <= vertical:
            found[name] = "more climbing than distance"
    if s.calories_kcal is not None and not (
            0.0 <= s.calories_kcal <= MAX_KCAL_PER_H * hours + KCAL_MARGIN):
        found["calories_kcal"] = f"more than {MAX_KCAL_PER_H:g} kcal/h"
    if s.avg_cadence_spm is not None and not 0.0 <= s.avg_cadence_spm <= MAX_CADENCE_SPM:
        found["avg_cadence_spm"] = "out of range"
    if s.avg_power_w is not None and not 0.0 <= s.avg_power_w <= MAX_POWER_W:
        found["avg_power_w"] = "out of range"
    if s.avg_hr_bpm is None:
        return
    if s.max_hr_bpm is not None and s.avg_hr_bpm > s.max_hr_bpm + 1:
        found["avg_hr_bpm"] = "above the maximum"
    elif (complete and ev.dense and ev.hr_range is not None and not
          ev.hr_range[0] - HR_MARGIN_BPM <= s.avg_hr_bpm <= ev.hr_range[1] + HR_MARGIN_BPM):
        found["avg_hr_bpm"] = "outside the heart rates recorded"


def contradictions(summary: Summary, samples: pl.DataFrame, complete: bool = False,
                   now: dt.datetime | None = None) -> list[str]:
    """Why totals are implausible or contradict the samples, one phrase each (empty: fine).

    Parameters
    ----------
    summary, samples
        One activity (stored or decoded).
    complete
        The file was read to its end: dense samples must then also account for the totals.
    now
        The present, for the start date check (default: the clock).
    """
    now = now or dt.datetime.now(dt.UTC)
    problems = _problems(summary, evidence(samples, summary.sport), complete, now)
    return [f"{name} {reason}" for name, reason in problems.items()]


# -- repairs -----------------------------------------------------------------------------------
def _best_time(s: Summary, distance: float) -> float | None:
    """Moving time if a plausible speed follows from it, else timer time, else elapsed."""
    for seconds in (s.moving_time_s, s.timer_time_s, s.duration_s):
        if seconds and distance / seconds <= max_speed(s.sport):
            return seconds
    return None


def _from_samples(name: str, activity: Activity, ev: Evidence) -> object:
    """What the samples say the total ``name`` is (None when they cannot say)."""
    s, samples = activity.summary, activity.samples
    if name == "start_time":
        return None if ev.first_s is None else dt.datetime.fromtimestamp(ev.first_s, dt.UTC)
    if name == "duration_s":
        return (None if ev.last_s is None or ev.first_s is None
                else ev.last_s - min(s.start_time.timestamp(), ev.first_s))
    if name == "moving_time_s":
        return derive.moving_time_s(samples) if samples.height else None
    if name == "distance_m":
        return ev.distance_m
    if name == "avg_speed_m_s":
        seconds = _best_time(s, s.distance_m) if s.distance_m else None
        return s.distance_m / seconds if s.distance_m and seconds else None
    if name in ("ascent_m", "descent_m"):
        altitude = float_column(samples, "altitude_m") if samples.height else None
        gain = None if altitude is None else derive.elevation_gain_m(altitude)
        return None if gain is None else gain[name == "descent_m"]
    if name == "avg_cadence_spm":
        cadence = samples["cadence_spm"].drop_nulls()
        cadence = cadence.filter(cadence > 0)
        return scalars.number(cadence.mean()) if cadence.len() else None
    if name in ("avg_hr_bpm", "avg_power_w"):
        column = "heart_rate_bpm" if name == "avg_hr_bpm" else "power_w"
        values = samples[column].drop_nulls()
        return scalars.number(values.mean()) if values.len() else None
    return None  # timer time and calories: only the device knows them


def _show(name: str, value: object) -> str:
    if value is None:
        return "unknown"
    if name == "start_time":
        return f"{value:%Y-%m-%d %H:%M}"
    if name.endswith("_time_s") or name == "duration_s":
        return describe_duration(scalars.number(value))
    if name == "distance_m":
        return f"{scalars.number(value) / 1000:,.2f} km"
    unit = {"avg_speed_m_s": " m/s", "ascent_m": " m", "descent_m": " m", "avg_hr_bpm": " bpm",
            "calories_kcal": " kcal", "avg_cadence_spm": " spm", "avg_power_w": " W"}
    return f"{scalars.number(value):,.1f}{unit.get(name, '')}"


LABELS = {"start_time": "start", "duration_s": "duration", "timer_time_s": "timer time",
          "moving_time_s": "moving time", "distance_m": "distance",
          "avg_speed_m_s": "average speed", "ascent_m": "ascent", "descent_m": "descent",
          "calories_kcal": "calories", "avg_cadence_spm": "cadence",
          "avg_power_w": "power", "avg_hr_bpm": "average heart rate"}


def _repair_totals(activity: Activity, complete: bool, now: dt.datetime) -> list[str]:
    """Recompute failing totals from the samples, first failure first; the changes, in words.

    A total whose recomputed value fails as well becomes unknown (None).

    Raises
    ------
    CorruptFile
        When the start or the duration is implausible and the samples cannot replace it.
    """
    s = activity.summary
    ev = evidence(activity.samples, s.sport)
    before: dict[str, object] = {}
    while problems := _problems(s, ev, complete, now):
        name, reason = next(iter(problems.items()))
        new = None if name in before else _from_samples(name, activity, ev)
        if new is None and name in ESSENTIAL:
            raise CorruptFile(f"implausible {LABELS[name]} {_show(name, getattr(s, name))} "
                              f"({reason}), which the samples cannot replace: the file is damaged")
        before.setdefault(name, getattr(s, name))
        setattr(s, name, new)
    return [f"{LABELS[name]} {_show(name, old)} -> {_show(name, getattr(s, name))}"
            for name, old in before.items()]


def ensure_plausible(activity: Activity, now: dt.datetime | None = None) -> Activity:
    """Trim damaged samples and make the totals plausible, in place (see the module notes).

    Warnings say what was dropped or recomputed; ``activity.damaged`` is set when anything was.

    Raises
    ------
    CorruptFile
        When the activity cannot be made plausible, or a damaged file kept no measurable
        time (one line saying why).
    """
    now = now or dt.datetime.now(dt.UTC)
    notes = trim_samples(activity)
    changes = _repair_totals(activity, not activity.cut_short, now)
    if activity.damaged and not activity.summary.duration_s:
        raise CorruptFile("damaged: no more than one instant of the recording was readable")
    if changes:
        notes.append("implausible totals replaced by what the samples show: "
                     + "; ".join(changes))
    if notes:
        activity.warnings.extend(notes)
        activity.damaged = True
    return activity
