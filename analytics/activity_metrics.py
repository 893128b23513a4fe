"""Per-activity values computed once at import from the samples, then stored.

Loads depend on HRmax/HRrest, which the user can change, so the heart rate is stored as a
histogram (seconds at each whole bpm 30..230, artefact-filtered): Banister and Edwards TRIMP and
HRSS are then recomputed for any profile exactly and cheaply (:mod:`analytics.load`). Heart
rates are whole bpm in FIT, GPX and TCX files, so binning loses nothing; per-sample integration
at 1 Hz equals the histogram sum.

:data:`ACTIVITY_METRICS_SCHEMA` lists the stored columns; :func:`compute_activity_metrics`
returns one row of them as plain Python values; :func:`metrics_frame` turns rows into a frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import polars as pl

from analytics.cadence import BAND_STRUCT, cadence_drift, speed_band_cadence, steady_mask
from analytics.decoupling import aerobic_decoupling
from analytics.run_signals import SIGNAL_BAND_STRUCT, SIGNAL_KEYS, SIGNAL_SOURCES, run_signals
from analytics.samples import grade, grade_adjusted_speed, to_grid
from analytics.settings import Settings, integer

#: Bump when a stored metric's algorithm changes, so the store can recompute.
#: 2: warm-up and cool-down, breathing and running dynamics (:mod:`analytics.run_signals`).
METRICS_VERSION = 2
#: Histogram bins: one per whole bpm from HR_HIST_MIN_BPM to HR_HIST_MAX_BPM inclusive.
HR_HIST_MIN_BPM = 30
HR_HIST_MAX_BPM = 230
HR_HIST_BINS = HR_HIST_MAX_BPM - HR_HIST_MIN_BPM + 1
#: Rolling window of normalized speed, as for normalized power (Coggan) and NGP [s].
NORMALIZED_WINDOW_S = 30
#: Sports whose sessions are running (impact) load; everything else is cross-training.
RUNNING_SPORTS = frozenset({"running"})

#: Stored per-activity columns and their polars types.
ACTIVITY_METRICS_SCHEMA: dict[str, pl.DataType] = {
    "metrics_version": pl.Int32(),
    "hr_hist_s": pl.List(pl.Float64()),
    "hr_seconds": pl.Float64(),
    "hr_max_5s_bpm": pl.Float64(),
    "moving_s": pl.Float64(),
    "norm_speed_m_s": pl.Float64(),
    "drift_spm_per_h": pl.Float64(),
    "drift_pct": pl.Float64(),
    "drift_minutes": pl.Int32(),
    "drift_thirds_spm": pl.Float64(),
    "drift_thirds_pct": pl.Float64(),
    "drift_note": pl.String(),
    "drift_excluded_warmup_s": pl.Int32(),
    "drift_excluded_stopped_s": pl.Int32(),
    "drift_excluded_walking_s": pl.Int32(),
    "drift_excluded_steep_s": pl.Int32(),
    "cadence_bands": pl.List(BAND_STRUCT),
    "decoupling_pct": pl.Float64(),
    "decoupling_note": pl.String(),
    **{key: pl.Float64() for key in SIGNAL_KEYS},
    "warmup_note": pl.String(),
    "signal_bands": pl.List(SIGNAL_BAND_STRUCT),
}


def hr_histogram(hr_bpm: np.ndarray) -> np.ndarray:
    """Seconds at each whole bpm 30..230 of a 1 Hz heart-rate grid.

    Parameters
    ----------
    hr_bpm
        Artefact-filtered heart rate on a 1 Hz grid [bpm], NaN = none.

    Returns
    -------
    numpy.ndarray
        Length :data:`HR_HIST_BINS`; element i = seconds at ``30 + i`` bpm (values rounded to
        the nearest whole bpm; outside 30..230 ignored).

    Examples
    --------
    >>> h = hr_histogram(np.array([140.0, 140.0, 141.0, np.nan]))
    >>> h[110], h[111], h.sum()
    (np.float64(2.0), np.float64(1.0), np.float64(3.0))
    """
    bpm = np.rint(hr_bpm[np.isfinite(hr_bpm)]).astype(np.int64)
    bpm = bpm[(bpm >= HR_HIST_MIN_BPM) & (bpm <= HR_HIST_MAX_BPM)]
    return np.bincount(bpm - HR_HIST_MIN_BPM, minlength=HR_HIST_BINS).astype(np.float64)


def max_smoothed_hr(hr_bpm: np.ndarray, window_s: int = integer("hr_max_smoothing_s")
                    ) -> float | None:
    """Highest mean heart rate over ``window_s`` consecutive seconds (all present).

    Parameters
    ----------
    hr_bpm
        Artefact-filtered heart rate on a 1 Hz grid [bpm].

    Returns
    -------
    float or None
        [bpm]; ``None`` without a complete window.

    Examples
    --------
    >>> max_smoothed_hr(np.array([150.0, 160, 170, 180, 190, 150]))  # (160+...+190+150)/5
    170.0
    """
    if hr_bpm.size < window_s:
        return None
    ok = np.isfinite(hr_bpm)
    kernel = np.ones(window_s)
    total = np.convolve(np.where(ok, hr_bpm, 0.0), kernel, mode="valid")
    count = np.convolve(ok.astype(np.float64), kernel, mode="valid")
    full = count == window_s
    return float(np.max(total[full]) / window_s) if full.any() else None


def normalized_speed(speed_m_s: np.ndarray, moving: np.ndarray) -> float | None:
    """Normalized (grade-adjusted) speed, built like normalized power.

    .. math:: NGS = \\left(\\overline{\\left(\\overline{v}_{30\\,s}\\right)^4}\\right)^{1/4}

    over the moving seconds in order (30-s rolling mean, fourth power, mean, fourth root).

    Parameters
    ----------
    speed_m_s
        Grade-adjusted speed on a 1 Hz grid [m/s].
    moving
        Moving seconds.

    Returns
    -------
    float or None
        [m/s]; ``None`` with fewer than 30 moving seconds. A constant speed gives itself.

    References
    ----------
    Allen H, Coggan A (2010) Training and Racing with a Power Meter, 2nd ed. (normalized power);
    TrainingPeaks normalized graded pace (rTSS).
    """
    v = speed_m_s[moving]
    if v.size < NORMALIZED_WINDOW_S:
        return None
    csum = np.concatenate(([0.0], np.cumsum(v)))
    rolling = (csum[NORMALIZED_WINDOW_S:] - csum[:-NORMALIZED_WINDOW_S]) / NORMALIZED_WINDOW_S
    return float(np.mean(rolling**4) ** 0.25)


def _optional(value: float | None) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


def compute_activity_metrics(
    samples: pl.DataFrame, sport: str, settings: Settings | Mapping[str, object] | None = None
) -> dict[str, object]:
    """All stored per-activity metrics of one activity.

    Parameters
    ----------
    samples
        Samples frame (:data:`ingest.schema.SAMPLE_SCHEMA`), possibly empty.
    sport
        FIT sport name; cadence drift, speed bands and decoupling only for
        :data:`RUNNING_SPORTS`.
    settings
        Thresholds (:mod:`analytics.settings`); ``None`` = defaults.

    Returns
    -------
    dict
        Keys and types of :data:`ACTIVITY_METRICS_SCHEMA` (plain Python values; lists for the
        histogram and the speed bands).
    """
    s = Settings.coerce(settings)
    grid = to_grid(
        samples,
        max_gap_s=s.integer("resample_max_gap_s"),
        hr_min_bpm=s.number("hr_min_bpm"),
        hr_max_bpm=s.number("hr_max_bpm"),
        spike_bpm=s.number("hr_spike_bpm"),
        window=s.integer("hr_spike_window"),
        extra_columns=tuple(SIGNAL_SOURCES.values()),
    )
    t, hr, speed, cadence = (grid["t"], grid["heart_rate_bpm"], grid["speed_m_s"],
                             grid["cadence_spm"])
    hist = hr_histogram(hr)
    gradient = grade(grid["altitude_m"], grid["distance_m"],
                     half_window_s=s.integer("grade_half_window_s"),
                     min_distance_m=s.number("grade_min_distance_m"))
    gas = grade_adjusted_speed(speed, gradient)
    with np.errstate(invalid="ignore"):
        moving = np.isfinite(speed) & (speed >= s.number("stop_speed_m_s"))

    out: dict[str, object] = {
        "metrics_version": METRICS_VERSION,
        "hr_hist_s": hist.tolist() if hist.sum() > 0 else None,
        "hr_seconds": float(hist.sum()),
        "hr_max_5s_bpm": max_smoothed_hr(hr, s.integer("hr_max_smoothing_s")),
        "moving_s": float(moving.sum()),
        "norm_speed_m_s": normalized_speed(gas, moving),
        **run_signals(grid, gradient, is_run=sport in RUNNING_SPORTS, settings=s),
    }
    if sport not in RUNNING_SPORTS:
        note = f"{sport} is not running"
        return out | _no_run_metrics(note)

    exclusions = {
        "warmup_s": s.number("drift_warmup_s"),
        "stop_speed_m_s": s.number("stop_speed_m_s"),
        "walking_cadence_spm": s.number("walking_cadence_spm"),
        "max_abs_grade": s.number("max_abs_grade"),
    }
    drift = cadence_drift(
        t, cadence, speed, gradient,
        min_minutes=s.integer("drift_min_minutes"),
        minute_min_samples=s.integer("minute_min_samples"),
        band_width_m_s=s.number("speed_band_m_s"),
        **exclusions,
    )
    mask, _ = steady_mask(t, cadence, speed, gradient, **exclusions)
    decoupling, decoupling_note = aerobic_decoupling(
        t, gas, hr,
        stop_speed_m_s=s.number("stop_speed_m_s"),
        min_minutes=s.integer("decoupling_min_minutes"),
        max_speed_cv=s.number("decoupling_max_speed_cv"),
        minute_min_samples=s.integer("minute_min_samples"),
    )
    no_cadence = not np.isfinite(cadence).any()
    return out | {
        "drift_spm_per_h": _optional(drift.spm_per_h),
        "drift_pct": _optional(drift.pct_per_h),
        "drift_minutes": drift.minutes,
        "drift_thirds_spm": _optional(drift.thirds_spm),
        "drift_thirds_pct": _optional(drift.thirds_pct),
        "drift_note": "no cadence recorded" if no_cadence else drift.note,
        **{f"drift_excluded_{k}_s": drift.excluded_s.get(k, 0) for k in
           ("warmup", "stopped", "walking", "steep")},
        "cadence_bands": speed_band_cadence(
            cadence, speed, mask,
            band_width_m_s=s.number("speed_band_m_s"),
            min_seconds=s.number("band_min_seconds"),
        ),
        "decoupling_pct": _optional(decoupling),
        "decoupling_note": decoupling_note,
    }


def _no_run_metrics(note: str) -> dict[str, object]:
    return {
        "drift_spm_per_h": None, "drift_pct": None, "drift_minutes": 0,
        "drift_thirds_spm": None, "drift_thirds_pct": None, "drift_note": note,
        "drift_excluded_warmup_s": 0, "drift_excluded_stopped_s": 0,
        "drift_excluded_walking_s": 0, "drift_excluded_steep_s": 0,
        "cadence_bands": [], "decoupling_pct": None, "decoupling_note": note,
    }


def metrics_frame(rows: Iterable[Mapping[str, object]], ids: Iterable[int] | None = None
                  ) -> pl.DataFrame:
    """Rows of :func:`compute_activity_metrics` as a frame with :data:`ACTIVITY_METRICS_SCHEMA`.

    Parameters
    ----------
    rows
        One mapping per activity (missing keys become null).
    ids
        Activity ids; when given they become a leading ``id`` column (Int64) to join on.
    """
    rows = list(rows)
    frame = pl.DataFrame(
        {name: [row.get(name) for row in rows] for name in ACTIVITY_METRICS_SCHEMA},
        schema=ACTIVITY_METRICS_SCHEMA,
    )
    if ids is not None:
        frame = frame.insert_column(0, pl.Series("id", list(ids), dtype=pl.Int64))
    return frame
