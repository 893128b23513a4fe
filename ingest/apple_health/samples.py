"""The samples of one workout: a time line joined with the watch's records, in SI units.

Time line
    The route's points inside the workout when it has a route (GPS position and altitude,
    about one per second); else the times of the heart-rate records, or without those the
    times of the running or cycling metrics. Points inside a pause (:func:`pauses`) are left
    out, as a FIT recording has no records while its timer is stopped.
Joined values
    Each samples column takes the record nearest in time (a record's time is the middle of
    its interval), within :data:`JOIN_TOLERANCE_MS`, from one source: the source that
    recorded the workout when it wrote that record type in the window, else the source with
    most records there (another app's workout still gets the watch's heart rate).
Cadence
    On-foot cadence [steps/min] = steps of the StepCount interval containing the sample /
    the interval's length [min]; intervals shorter than :data:`MIN_STEP_INTERVAL_MS` give none.
Distance
    Without a route: the distance intervals (walking/running, cycling or swimming) summed along
    the workout, interpolated linearly within each interval; with a route it is left to
    :func:`ingest.derive.complete` (GPS).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from ingest.apple_health.values import parse_date
from ingest.schema import SAMPLE_SCHEMA, samples_frame

#: A record further than this from a sample is not joined to it [ms]. An Apple Watch writes
#: heart rate every ~5 s during a workout and the running metrics every few seconds.
JOIN_TOLERANCE_MS = 15_000
#: StepCount intervals shorter than this give no cadence (a rate over too short a time) [ms].
MIN_STEP_INTERVAL_MS = 1_000
#: Event type pairs (start, end) that bound a pause: by hand, and the watch's auto-pause.
PAUSE_EVENTS = {"HKWorkoutEventTypePause": "HKWorkoutEventTypeResume",
                "HKWorkoutEventTypeMotionPaused": "HKWorkoutEventTypeMotionResumed"}
ROUTE_COLUMNS = ("lat_deg", "lon_deg", "altitude_m")


@dataclass
class Series:
    """Records of one type from one source, sorted by start: times [epoch ms] and values."""

    start: np.ndarray
    end: np.ndarray
    value: np.ndarray

    @property
    def middle(self) -> np.ndarray:
        return (self.start + self.end) // 2


def choose_source(columns: dict[str, list], preferred: int | None, start_ms: int,
                  end_ms: int) -> Series | None:
    """The records of one type (columns ``source``, ``start``, ``end``, ``value``) inside the
    window from one source (see the module docstring); None when there are none."""
    source = np.asarray(columns["source"], dtype=np.int64)
    start = np.asarray(columns["start"], dtype=np.int64)
    end = np.asarray(columns["end"], dtype=np.int64)
    value = np.asarray(columns["value"], dtype=np.float64)
    point = start == end
    inside = np.isfinite(value) & np.where(point, (start >= start_ms) & (start <= end_ms),
                                           (end > start_ms) & (start < end_ms))
    if not inside.any():
        return None
    present, counts = np.unique(source[inside], return_counts=True)
    chosen = preferred if preferred in present else int(present[np.argmax(counts)])
    keep = inside & (source == chosen)
    order = np.argsort(start[keep], kind="stable")
    return Series(start[keep][order], end[keep][order], value[keep][order])


def pauses(events: list[dict], end_ms: int) -> list[tuple[int, int]]:
    """Paused intervals [epoch ms] from ``WorkoutEvent`` attributes: from a pause (or the
    watch's motion pause) to the next resume of the same kind, or to ``end_ms``."""
    timed = sorted((stamp[0], event.get("type", "")) for event in events
                   if (stamp := parse_date(event.get("date"))) is not None)
    out: list[tuple[int, int]] = []
    open_since: dict[str, int] = {}
    for at, kind in timed:
        if kind in PAUSE_EVENTS:
            open_since.setdefault(kind, at)
        for pause, resume in PAUSE_EVENTS.items():
            if kind == resume and pause in open_since:
                out.append((open_since.pop(pause), at))
    out += [(since, end_ms) for since in open_since.values() if since < end_ms]
    return sorted(out)


def _outside(times: np.ndarray, paused: list[tuple[int, int]]) -> np.ndarray:
    keep = np.ones(times.size, dtype=bool)
    for start, end in paused:
        keep &= ~((times >= start) & (times < end))
    return keep


def nearest(times: np.ndarray, series: Series, tolerance_ms: int = JOIN_TOLERANCE_MS
            ) -> np.ndarray:
    """The value of the record nearest to each time (NaN beyond ``tolerance_ms``)."""
    at = series.middle
    order = np.argsort(at, kind="stable")
    at, values = at[order], series.value[order]
    right = np.clip(np.searchsorted(at, times), 0, at.size - 1)
    left = np.clip(right - 1, 0, at.size - 1)
    to_left, to_right = np.abs(times - at[left]), np.abs(at[right] - times)
    pick = np.where(to_right < to_left, right, left)
    return np.where(np.minimum(to_left, to_right) <= tolerance_ms, values[pick], np.nan)


def cadence_from_steps(times: np.ndarray, steps: Series) -> np.ndarray:
    """Steps per minute of the StepCount interval containing each time (its end included;
    NaN outside)."""
    index = np.searchsorted(steps.start, times, side="right") - 1
    found = index >= 0
    index = np.clip(index, 0, steps.start.size - 1)
    length = (steps.end - steps.start)[index]
    inside = found & (times <= steps.end[index]) & (length >= MIN_STEP_INTERVAL_MS)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = steps.value[index] / (length / 60_000.0)
    return np.where(inside, rate, np.nan)


def distance_along(times: np.ndarray, intervals: Series) -> np.ndarray:
    """Distance covered since the first interval began [m], interpolated within intervals."""
    ends = np.maximum.accumulate(intervals.end)
    x = np.concatenate([intervals.start[:1], ends]).astype(np.float64)
    y = np.concatenate([[0.0], np.cumsum(intervals.value)])
    return np.interp(times.astype(np.float64), x, y)


def build_samples(start_ms: int, end_ms: int, paused: list[tuple[int, int]],
                  route: pl.DataFrame | None, series: dict[str, Series]) -> pl.DataFrame:
    """The samples frame of one workout window.

    Parameters
    ----------
    start_ms, end_ms
        The workout (or leg) window [epoch ms].
    paused
        Paused intervals (:func:`pauses`).
    route
        Route points (``timestamp`` and :data:`ROUTE_COLUMNS`) or None.
    series
        Samples column (or ``steps`` / ``distance``) -> records from the chosen source.
    """
    columns: dict[str, np.ndarray] = {}
    if route is not None and route.height:
        stamps = route["timestamp"].dt.epoch("ms").to_numpy()
        inside = (stamps >= start_ms) & (stamps <= end_ms)
        times = stamps[inside]
        for name in ROUTE_COLUMNS:
            columns[name] = route[name].cast(pl.Float64).fill_null(np.nan).to_numpy()[inside]
    else:
        base = [series["heart_rate_bpm"]] if "heart_rate_bpm" in series else [
            s for name, s in series.items() if name in SAMPLE_SCHEMA]
        times = np.unique(np.concatenate([s.middle for s in base])) if base else np.array(
            [], np.int64)
        times = times[(times >= start_ms) & (times <= end_ms)]
    keep = _outside(times, paused)
    times = times[keep]
    columns = {name: values[keep] for name, values in columns.items()}
    if not times.size:
        return samples_frame()
    for name, records in series.items():
        if name in SAMPLE_SCHEMA:
            columns[name] = nearest(times, records)
    if "steps" in series:
        columns["cadence_spm"] = cadence_from_steps(times, series["steps"])
    if "distance" in series and (route is None or not route.height):
        columns["distance_m"] = distance_along(times, series["distance"])
    return samples_frame({"timestamp": times, **columns})
