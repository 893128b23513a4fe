"""Totals a runner can trust: every activity checked against its own samples and physics.

Damaged files carry absurd values - a time stamp decades away, a 26,000 km run, an 80-day
duration - and one of them is enough to spoil weekly summaries, load and advice.
:func:`ensure_plausible` runs once per decoded activity (after clean-up and derivation, from
:func:`ingest.reader.read_activities`):

1. samples timed far from the rest are dropped (damaged time stamps: a handful of samples more
   than :data:`ISOLATED_GAP_S` from all others, or any more than :data:`MAX_DURATION_S` from the
   main block), as are cumulative distances that jump impossibly far and back; when that would
   drop most samples the activity is refused;
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
from dataclasses import dataclass

import numpy as np
import polars as pl

from ingest import derive
from ingest.derive import float_column, sample_seconds
from ingest.errors import CorruptFile
from ingest.schema import Activity, Summary

#: Earliest plausible start: FIT (2006), TCX (2007) and GPX (2002) postdate it; earlier dates
#: come from zero or damaged time stamps (FIT counts from 1989-12-31).
EARLIEST_START = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
#: How far in the future a start may be (time zones, a fast device clock).
FUTURE_TOLERANCE = dt.timedelta(days=2)
#: Longest plausible single activity [s]; multi-day ultras (e.g. Tor des Geants) take < 6.5 d.
MAX_DURATION_S = 7 * 86400.0
#: Highest plausible average speed per sport [m/s]: above every record of the sport (100 m
#: sprint 10.4 m/s, hour record on a bike 15 m/s, 50 m freestyle 2.4 m/s, rowing 6.2 m/s).
MAX_AVG_SPEED_M_S: dict[str, float] = {
    "running": 12.5, "walking": 12.5, "hiking": 12.5, "swimming": 3.0, "rowing": 7.0,
    "cycling": 35.0, "e_biking": 35.0, "transition": 35.0,
}
#: Any other sport (skiing, motor sports, flying ...): as fast as the GPS clean-up allows.
DEFAULT_MAX_SPEED_M_S = derive.MAX_PLAUSIBLE_SPEED_M_S
#: A summary start this far from the first sample is wrong [s] (real files: < 16 min).
START_TOLERANCE_S = 1800.0
#: Samples may run this long past the stated end [s] (FIT keeps records within 5 min of it).
END_TOLERANCE_S = 600.0
#: Timer and moving time may exceed the elapsed duration by this much (rounding) [s].
TIMER_TOLERANCE_S = 60.0
#: A block of at most this many samples, this far from all others, has damaged time stamps
#: (when the main block has at least :data:`DENSE_MIN_SAMPLES`: sparse files are left alone).
ISOLATED_SAMPLES = 3
ISOLATED_GAP_S = 3600.0
#: Samples are dense (a full account of the session) at this median interval or less [s].
DENSE_INTERVAL_S = 10.0
DENSE_MIN_SAMPLES = 30
#: Totals of a complete file may exceed what dense samples show by this factor and margin.
COMPLETE_FACTOR = 1.25
COMPLETE_MARGIN_S = 600.0
COMPLETE_MARGIN_M = 500.0
#: Vertical metres that may exceed the distance (GPS distance is horizontal) [m].
ASCENT_MARGIN_M = 500.0
#: Energy: elite endurance athletes spend about 1,200-1,500 kcal/h.
MAX_KCAL_PER_H = 2000.0
MAX_CADENCE_SPM = 300.0
MAX_POWER_W = 3000.0
#: Summary heart-rate averages may sit this far outside the samples' range [bpm].
HR_MARGIN_BPM = 5.0
#: Cumulative distance may step faster than the sport's average limit by this factor (GPS).
DISTANCE_STEP_FACTOR = 2.0

ESSENTIAL = ("start_time", "duration_s")


def max_speed(sport: str) -> float:
    """Highest plausible average speed of a sport [m/s]."""
    return MAX_AVG_SPEED_M_S.get(sport, DEFAULT_MAX_SPEED_M_S)


@dataclass(frozen=True)
class Evidence:
    """What the samples show about an activity (times in Unix seconds)."""

    n: int = 0
    first_s: float | None = None
    last_s: float | None = None
    distance_m: float | None = None  # sum of the plausible steps of cumulative distance
    dense: bool = False
    hr_range: tuple[float, float] | None = None


def _distance_steps(t: np.ndarray, d: np.ndarray, sport: str) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the valid cumulative distances and which steps between them are possible."""
    idx = np.flatnonzero(np.isfinite(d))
    step = np.diff(d[idx])
    limit = DISTANCE_STEP_FACTOR * max_speed(sport) * np.maximum(np.diff(t[idx]), 1.0) + 10.0
    return idx, (step >= 0.0) & (step <= limit)


def describe_duration(seconds: float) -> str:
    """'13 s', '41 min', '1 h 05 min' or '80 days' for warnings."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:.0f} days"
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def recorded_seconds(samples: pl.DataFrame) -> float:
    """Time the samples cover [s], leaving out gaps over :data:`ISOLATED_GAP_S` (time stamps
    a damaged file scattered, or long pauses)."""
    if samples.height < 2:
        return 0.0
    gaps = np.diff(sample_seconds(samples))
    return float(gaps[(gaps >= 0) & (gaps <= ISOLATED_GAP_S)].sum())


def evidence(samples: pl.DataFrame, sport: str) -> Evidence:
    """Span, covered distance, density and heart-rate range of the samples."""
    if not samples.height:
        return Evidence()
    t = sample_seconds(samples)
    d = float_column(samples, "distance_m")
    idx, possible = _distance_steps(t, d, sport)
    distance = float(np.diff(d[idx])[possible].sum()) if idx.size else None
    hr = float_column(samples, "heart_rate_bpm")
    hr = hr[np.isfinite(hr)]
    dense = samples.height >= DENSE_MIN_SAMPLES and np.median(np.diff(t)) <= DENSE_INTERVAL_S
    return Evidence(samples.height, float(t[0]), float(t[-1]), distance, bool(dense),
                    (float(hr.min()), float(hr.max())) if hr.size else None)


# -- checks ------------------------------------------------------------------------------------
def _problems(s: Summary, ev: Evidence, complete: bool, now: dt.datetime
              ) -> dict[str, str]:
    """Field -> why it is implausible (empty when every total is plausible)."""
    found: dict[str, str] = {}
    start = s.start_time.timestamp()
    if not EARLIEST_START <= s.start_time <= now + FUTURE_TOLERANCE:
        found["start_time"] = "not a possible date"
    elif ev.first_s is not None and abs(start - ev.first_s) > START_TOLERANCE_S:
        found["start_time"] = "hours away from the first sample"
    covered = None if ev.last_s is None else ev.last_s - min(start, ev.first_s)
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
    for name in ("timer_time_s", "moving_time_s"):
        value = getattr(s, name)
        if value is not None and not (
                0.0 <= value <= (elapsed if elapsed is not None else MAX_DURATION_S)
                + max(TIMER_TOLERANCE_S, 0.02 * (elapsed or 0.0))):
            found[name] = "longer than the elapsed time"
    vmax = max_speed(s.sport)
    if s.distance_m is not None:
        limit = vmax * (elapsed if elapsed is not None else MAX_DURATION_S) + 100.0
        if not 0.0 <= s.distance_m <= limit:
            found["distance_m"] = f"faster than {vmax:g} m/s on average"
        elif ev.distance_m is not None and s.distance_m < ev.distance_m - max(
                200.0, 0.1 * ev.distance_m):
            found["distance_m"] = "the samples cover a longer distance"
        elif (complete and ev.dense and ev.distance_m is not None
              and s.distance_m > COMPLETE_FACTOR * ev.distance_m + COMPLETE_MARGIN_M):
            found["distance_m"] = "much longer than the distance the samples cover"
    if s.avg_speed_m_s is not None:
        times = [t for t in (s.moving_time_s, s.timer_time_s, elapsed) if t]
        distance = None if "distance_m" in found else s.distance_m
        if not 0.0 <= s.avg_speed_m_s <= vmax:
            found["avg_speed_m_s"] = f"faster than {vmax:g} m/s"
        elif distance is not None and times and not (
                0.5 * distance / max(times) - 0.5 <= s.avg_speed_m_s
                <= 1.5 * distance / min(times) + 0.5):
            found["avg_speed_m_s"] = "does not fit distance and time"
    vertical = (s.distance_m + ASCENT_MARGIN_M if s.distance_m is not None
                and "distance_m" not in found else vmax * (elapsed or MAX_DURATION_S))
    for name in ("ascent_m", "descent_m"):
        value = getattr(s, name)
        if value is not None and not 0.0 <= value <= vertical:
            found[name] = "more climbing than distance"
    if s.calories_kcal is not None and not (
            0.0 <= s.calories_kcal <= MAX_KCAL_PER_H * (elapsed or MAX_DURATION_S) / 3600 + 200):
        found["calories_kcal"] = f"more than {MAX_KCAL_PER_H:g} kcal/h"
    if s.avg_cadence_spm is not None and not 0.0 <= s.avg_cadence_spm <= MAX_CADENCE_SPM:
        found["avg_cadence_spm"] = "out of range"
    if s.avg_power_w is not None and not 0.0 <= s.avg_power_w <= MAX_POWER_W:
        found["avg_power_w"] = "out of range"
    if s.avg_hr_bpm is not None and s.max_hr_bpm is not None and s.avg_hr_bpm > s.max_hr_bpm + 1:
        found["avg_hr_bpm"] = "above the maximum"
    elif (complete and ev.dense and ev.hr_range and s.avg_hr_bpm is not None
          and not ev.hr_range[0] - HR_MARGIN_BPM <= s.avg_hr_bpm <= ev.hr_range[1] + HR_MARGIN_BPM):
        found["avg_hr_bpm"] = "outside the heart rates recorded"
    return found


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
        return None if ev.last_s is None else ev.last_s - min(s.start_time.timestamp(),
                                                              ev.first_s)
    if name == "moving_time_s":
        return derive.moving_time_s(samples) if samples.height else None
    if name == "distance_m":
        return ev.distance_m
    if name == "avg_speed_m_s":
        seconds = _best_time(s, s.distance_m) if s.distance_m else None
        return s.distance_m / seconds if seconds else None
    if name in ("ascent_m", "descent_m"):
        altitude = float_column(samples, "altitude_m") if samples.height else None
        gain = None if altitude is None else derive.elevation_gain_m(altitude)
        return None if gain is None else gain[name == "descent_m"]
    if name == "avg_cadence_spm":
        cadence = samples["cadence_spm"].drop_nulls()
        cadence = cadence.filter(cadence > 0)
        return float(cadence.mean()) if cadence.len() else None
    if name in ("avg_hr_bpm", "avg_power_w"):
        column = "heart_rate_bpm" if name == "avg_hr_bpm" else "power_w"
        values = samples[column].drop_nulls()
        return float(values.mean()) if values.len() else None
    return None  # timer time and calories: only the device knows them


def _show(name: str, value: object) -> str:
    if value is None:
        return "unknown"
    if name == "start_time":
        return f"{value:%Y-%m-%d %H:%M}"
    if name.endswith("_time_s") or name == "duration_s":
        return describe_duration(float(value))
    if name == "distance_m":
        return f"{float(value) / 1000:,.2f} km"
    unit = {"avg_speed_m_s": " m/s", "ascent_m": " m", "descent_m": " m", "avg_hr_bpm": " bpm",
            "calories_kcal": " kcal", "avg_cadence_spm": " spm", "avg_power_w": " W"}
    return f"{float(value):,.1f}{unit.get(name, '')}"


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


def trim_samples(activity: Activity) -> list[str]:
    """Drop samples with damaged time stamps and impossible distance spikes, in place.

    Raises
    ------
    CorruptFile
        When more than half of the samples would be dropped (time stamps scattered).
    """
    samples, notes = activity.samples, []
    if samples.height < 2:
        return notes
    t = sample_seconds(samples)
    cuts = np.flatnonzero(np.diff(t) > ISOLATED_GAP_S) + 1
    bounds = list(zip(np.r_[0, cuts], np.r_[cuts, t.size], strict=True))
    main = max(bounds, key=lambda b: b[1] - b[0])
    keep = np.zeros(t.size, bool)
    for lo, hi in bounds:
        far = max(t[lo] - t[main[1] - 1], t[main[0]] - t[hi - 1]) > MAX_DURATION_S
        isolated = hi - lo <= ISOLATED_SAMPLES and main[1] - main[0] >= DENSE_MIN_SAMPLES
        if (lo, hi) == main or not (far or isolated):
            keep[lo:hi] = True
    dropped = int((~keep).sum())
    if dropped * 2 > t.size:
        raise CorruptFile("time stamps scattered over days or years: the file is damaged")
    if dropped:
        samples = samples.filter(pl.Series(keep))
        t = t[keep]
        notes.append(f"dropped {dropped} samples timed hours or more away from the rest "
                     "(damaged time stamps)")
    d = float_column(samples, "distance_m").copy()
    idx, possible = _distance_steps(t, d, activity.summary.sport)
    spike = np.zeros(idx.size, bool)
    spike[1:-1] = ~possible[:-1] & ~possible[1:]
    if spike.any():
        d[idx[spike]] = np.nan
        samples = samples.with_columns(pl.Series("distance_m", d).fill_nan(None))
        notes.append(f"dropped {int(spike.sum())} distance values that jumped impossibly far")
    if dropped:
        start = samples["timestamp"][0]
        samples = samples.with_columns(
            ((pl.col("timestamp") - start).dt.total_milliseconds() / 1000.0).alias("elapsed_s"))
    activity.samples = samples
    return notes


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
