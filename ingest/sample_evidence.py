"""What an activity's samples show, and samples whose time stamps or distances are damaged.

:func:`evidence` summarises the samples for the plausibility checks (:mod:`ingest.plausibility`):
span, the distance covered in plausible steps, density, heart-rate range. :func:`trim_samples`
drops what damage leaves in them: a handful of samples timed hours or more from all others, any
sample more than :data:`MAX_DURATION_S` from the main block, cumulative distances that jump
impossibly far and back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from ingest import derive
from ingest.derive import float_column, sample_seconds
from ingest.errors import CorruptFile
from ingest.schema import Activity

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
#: A block of at most this many samples, this far from all others, has damaged time stamps
#: (when the main block has at least :data:`DENSE_MIN_SAMPLES`: sparse files are left alone).
ISOLATED_SAMPLES = 3
ISOLATED_GAP_S = 3600.0
#: Samples are dense (a full account of the session) at this median interval or less [s].
DENSE_INTERVAL_S = 10.0
DENSE_MIN_SAMPLES = 30
#: Cumulative distance may step faster than the sport's average limit by this factor (GPS).
DISTANCE_STEP_FACTOR = 2.0


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


def trim_samples(activity: Activity) -> list[str]:
    """Drop samples with damaged time stamps and impossible distance spikes, in place.

    Raises
    ------
    CorruptFile
        When more than half of the samples would be dropped (time stamps scattered).
    """
    samples = activity.samples
    notes: list[str] = []
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
