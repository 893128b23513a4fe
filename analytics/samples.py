"""Signal helpers on one activity's samples: 1 Hz grid, heart-rate artefacts, grade, GAP.

Input is a samples frame with the columns of :data:`ingest.schema.SAMPLE_SCHEMA`; output is
numpy arrays on a 1 Hz grid with NaN where a signal is missing or the recording paused. Pauses
longer than :data:`PAUSE_SLOTS` seconds keep only that many (empty) slots, so the grid grows
with the samples, never with the time between them (a damaged time stamp years away).
"""

from __future__ import annotations

from typing import TypedDict, Unpack

import numpy as np
import polars as pl

from analytics.settings import integer, number

#: Signals put on the 1 Hz grid.
GRID_COLUMNS = ("heart_rate_bpm", "speed_m_s", "cadence_spm", "altitude_m", "distance_m")

#: Empty slots kept for a longer pause: more than any window applied to the grid (grade
#: +-15 s, heart-rate smoothing 5 s, gap filling 10 s by default), so none spans a pause.
PAUSE_SLOTS = 60

#: Minetti et al. (2002) cost of running on level ground, Cr(0) [J/(kg m)].
_MINETTI_LEVEL = 3.6
#: Gradient range of the Minetti measurements [-].
MINETTI_MAX_GRADE = 0.45


def seconds_since_start(samples: pl.DataFrame) -> np.ndarray:
    """Time of each sample since the first one [s], from ``timestamp`` else ``elapsed_s``."""
    if samples["timestamp"].null_count() < samples.height:
        t = samples["timestamp"].dt.epoch("ms").cast(pl.Float64).fill_null(np.nan).to_numpy()
        t = t / 1000.0
    else:
        t = samples["elapsed_s"].cast(pl.Float64).fill_null(np.nan).to_numpy()
    finite = np.isfinite(t)
    return t - t[finite].min() if finite.any() else t


def fill_short_gaps(values: np.ndarray, max_gap_s: int) -> np.ndarray:
    """Carry each value forward to the next one when they are at most ``max_gap_s`` apart.

    Parameters
    ----------
    values
        Signal on a 1 Hz grid, NaN where no sample fell.
    max_gap_s
        Longest distance between two samples that is bridged [s]; longer gaps stay NaN
        (a pause), and nothing is filled after the last sample.

    Examples
    --------
    >>> fill_short_gaps(np.array([1.0, np.nan, 3.0, np.nan, np.nan, np.nan, 7.0]), 2).tolist()
    [1.0, 1.0, 3.0, nan, nan, nan, 7.0]
    """
    n = values.size
    valid = np.isfinite(values)
    if not valid.any():
        return values.copy()
    idx = np.arange(n)
    prev = np.maximum.accumulate(np.where(valid, idx, -1))
    nxt = np.minimum.accumulate(np.where(valid, idx, n)[::-1])[::-1]
    fill = ~valid & (prev >= 0) & (nxt < n) & (nxt - prev <= max_gap_s)
    out = values.copy()
    out[fill] = values[prev[fill]]
    return out


class HrFilter(TypedDict, total=False):
    """Keyword arguments of :func:`filter_hr` passed on by :func:`to_grid`."""

    hr_min_bpm: float
    hr_max_bpm: float
    spike_bpm: float
    window: int


def filter_hr(
    hr: np.ndarray,
    *,
    hr_min_bpm: float = number("hr_min_bpm"),
    hr_max_bpm: float = number("hr_max_bpm"),
    spike_bpm: float = number("hr_spike_bpm"),
    window: int = integer("hr_spike_window"),
) -> np.ndarray:
    """Drop heart-rate artefacts: out of range, and spikes away from the local median.

    A sample is a spike when ``|HR - median(HR over a centred window of `window` samples)| >
    spike_bpm``. Heart rate rises at most a few bpm per second, so a 25-bpm departure from the
    9-sample median is a contact or radio error [H].

    Parameters
    ----------
    hr
        Heart rate per sample [bpm], NaN = missing.

    Returns
    -------
    numpy.ndarray
        The same samples with artefacts set to NaN.

    Examples
    --------
    >>> filter_hr(np.array([140.0, 141, 142, 200, 143, 144, 20])).tolist()
    [140.0, 141.0, 142.0, nan, 143.0, 144.0, nan]
    """
    out = np.where((hr >= hr_min_bpm) & (hr <= hr_max_bpm), hr, np.nan)
    if not np.isfinite(out).any():
        return out
    median = (
        pl.Series(out).fill_nan(None)
        .rolling_median(window, min_samples=1, center=True)
        .cast(pl.Float64).fill_null(np.nan).to_numpy()
    )
    return np.where(np.abs(out - median) > spike_bpm, np.nan, out)


def grid_slots(seconds: np.ndarray, pause_slots: int = PAUSE_SLOTS
               ) -> tuple[np.ndarray, np.ndarray]:
    """Grid slot of each whole second, and the time of every slot, with pauses shortened.

    Consecutive seconds more than ``pause_slots`` apart are placed ``pause_slots`` slots
    apart; the slots in between continue the time of the slot before the pause.

    Parameters
    ----------
    seconds
        Whole seconds since the first sample (>= 0), in any order.

    Returns
    -------
    (slot, t)
        Slot index per input second, and seconds since start per slot (length = slots).

    Examples
    --------
    >>> slot, t = grid_slots(np.array([0, 1, 1000]), pause_slots=3)
    >>> slot.tolist(), t.tolist()
    ([0, 1, 4], [0.0, 1.0, 2.0, 3.0, 1000.0])
    """
    steps = np.diff(seconds)
    if (steps >= 0).all():  # the usual order: no sort needed
        first = np.concatenate(([True], steps != 0))
        unique = seconds[first]
        rank = np.cumsum(first) - 1
    else:
        unique = np.unique(seconds)
        rank = np.searchsorted(unique, seconds)
    shift = np.concatenate(([0], np.cumsum(np.maximum(np.diff(unique) - pause_slots, 0))))
    position = unique - shift
    slot = position[rank]
    index = np.arange(int(position[-1]) + 1)
    owner = np.searchsorted(position, index, side="right") - 1
    return slot, (index + shift[owner]).astype(np.float64)


def to_grid(
    samples: pl.DataFrame,
    *,
    max_gap_s: int = integer("resample_max_gap_s"),
    extra_columns: tuple[str, ...] = (),
    **hr_filter: Unpack[HrFilter],
) -> dict[str, np.ndarray]:
    """Put the signals of :data:`GRID_COLUMNS` (and ``extra_columns``) on a 1 Hz grid.

    Samples are placed at their whole second since the first sample (several in one second are
    averaged), pauses longer than :data:`PAUSE_SLOTS` shortened (:func:`grid_slots`); gaps up
    to ``max_gap_s`` are bridged with :func:`fill_short_gaps`. Heart rate is cleaned with
    :func:`filter_hr` (keyword arguments ``hr_filter``) before.

    Returns
    -------
    dict
        ``"t"`` (seconds since start of each slot: consecutive except across a long pause) and
        one array per column, all the same length; empty arrays for a frame without samples.
    """
    names = (*GRID_COLUMNS, *extra_columns)
    empty = {name: np.empty(0) for name in ("t", *names)}
    if samples.height == 0:
        return empty
    t = seconds_since_start(samples)
    ok = np.isfinite(t)
    if not ok.any():
        return empty
    sec, times = grid_slots(np.rint(t[ok]).astype(np.int64), max(PAUSE_SLOTS, max_gap_s + 1))
    n = times.size
    grid: dict[str, np.ndarray] = {"t": times}
    columns = samples.select(pl.col(names).cast(pl.Float64))  # one pass; nulls become NaN
    for name in names:
        values = columns[name].to_numpy()[ok]
        if name == "heart_rate_bpm":
            values = filter_hr(values, **hr_filter)
        good = np.isfinite(values)
        if not good.any():
            grid[name] = np.full(n, np.nan)
            continue
        total = np.bincount(sec[good], weights=values[good], minlength=n)
        count = np.bincount(sec[good], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            column = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        grid[name] = fill_short_gaps(column, max_gap_s)
    return grid


def grade(
    altitude_m: np.ndarray,
    distance_m: np.ndarray,
    *,
    half_window_s: int = integer("grade_half_window_s"),
    min_distance_m: float = number("grade_min_distance_m"),
) -> np.ndarray:
    """Gradient on the 1 Hz grid from altitude change over distance covered.

    .. math:: g_t = \\frac{h_{t+w} - h_{t-w}}{d_{t+w} - d_{t-w}}

    Parameters
    ----------
    altitude_m, distance_m
        Altitude [m] and cumulative distance [m] on the 1 Hz grid.
    half_window_s
        w [s]; the window damps barometer and GPS noise.
    min_distance_m
        Windows covering less distance give NaN (standing still has no gradient).

    Returns
    -------
    numpy.ndarray
        Gradient [-] (0.03 = 3 %), NaN where unknown (including the first and last w seconds).
    """
    n = altitude_m.size
    out = np.full(n, np.nan)
    w = half_window_s
    if n <= 2 * w:
        return out
    dh = altitude_m[2 * w:] - altitude_m[: n - 2 * w]
    dd = distance_m[2 * w:] - distance_m[: n - 2 * w]
    with np.errstate(invalid="ignore", divide="ignore"):
        out[w: n - w] = np.where(dd >= min_distance_m, dh / dd, np.nan)
    return out


def minetti_cost(gradient: np.ndarray) -> np.ndarray:
    """Energy cost of running on a gradient, Minetti et al. 2002 (Eq. for Cr).

    .. math:: C_r(i) = 155.4 i^5 - 30.4 i^4 - 43.3 i^3 + 46.3 i^2 + 19.5 i + 3.6

    Parameters
    ----------
    gradient
        i [-], clipped to the measured range -0.45..0.45.

    Returns
    -------
    numpy.ndarray
        [J/(kg m)]; 3.6 on the level.

    References
    ----------
    Minetti AE, Moia C, Roi GS, Susta D, Ferretti G (2002) Energy cost of walking and running at
    extreme uphill and downhill slopes. J Appl Physiol 93:1039-1046.
    doi:10.1152/japplphysiol.01177.2001
    """
    i = np.clip(gradient, -MINETTI_MAX_GRADE, MINETTI_MAX_GRADE)
    return ((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i + 3.6


def grade_adjusted_speed(speed_m_s: np.ndarray, gradient: np.ndarray) -> np.ndarray:
    """Level-ground speed of equal energy cost: ``speed * Cr(grade) / Cr(0)`` (Minetti 2002).

    Where the gradient is unknown (NaN) the speed is returned unchanged.

    Examples
    --------
    >>> grade_adjusted_speed(np.array([3.0, 3.0]), np.array([0.0, np.nan])).tolist()
    [3.0, 3.0]
    """
    factor = np.where(np.isfinite(gradient), minetti_cost(np.nan_to_num(gradient)), _MINETTI_LEVEL)
    return speed_m_s * factor / _MINETTI_LEVEL
