"""Cadence: within-run speed-adjusted drift, and each run against the runner's own baseline.

docs/methods.md section 6. Cadence rises with speed (van Oeveren et al. 2017), so cadence is only
ever compared at matched speed. No study links within-run cadence drift to injury [U]: drift is
presented as a fatigue/form marker.

Within a run (computed at import from the 1 Hz grid, see :mod:`analytics.activity_metrics`):
drop the first 10 min, stops (< 1 m/s), walking (< 130 spm) and |grade| > 3 %; take per-minute
medians; with >= 30 steady minutes fit

.. math:: c = b_0 + b_1 t + b_2 (v - \\tilde v) + b_3 (g - \\tilde g)

(t hours since the start of the run, v speed, g grade, tilde = the run's median; b3 only when
every minute has a grade). Drift = b1 [spm/h], % drift = 100 b1 / b0 [%/h]. Centring speed
and grade makes b0 the cadence at the run's typical speed at t = 0; with uncentred speed b0
would be a cadence at 0 m/s and the % drift meaningless (docs/methods.md writes b0 without saying
which; this is our reading). Also the last third minus the first third of the steady minutes,
within matched speed bins.

:func:`drift_detail` repeats these steps for one run and keeps what a chart needs: every
second with the reason it was left out, the per-minute medians and the fitted line.

Across runs: per speed band (0.25 m/s), the median cadence of the run against the median of the
same band over the previous 8 weeks; a drop >= 3 % or more than 2 SD is flagged [H].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from analytics.grouped import group_medians
from analytics.samples import grade, to_grid
from analytics.settings import Settings, integer, number

#: Order in which a second that is not steady is attributed to a reason.
EXCLUSION_REASONS = ("warmup", "stopped", "walking", "steep")
#: :func:`exclusion_codes` of a steady second; reasons are coded by their index in
#: :data:`EXCLUSION_REASONS`.
STEADY = -1
#: :func:`exclusion_codes` of a second without cadence or speed.
NO_DATA = -2

#: One speed band of one run (stored per activity as a list of these).
BAND_STRUCT = pl.Struct({
    "speed_band_m_s": pl.Float64, "cadence_spm": pl.Float64, "seconds": pl.Float64,
})


@dataclass(frozen=True)
class Drift:
    """Result of :func:`cadence_drift`.

    Attributes
    ----------
    spm_per_h
        b1 [spm/h]; ``None`` when not computed (see ``note``).
    pct_per_h
        100 b1 / b0 [%/h].
    minutes
        Steady minutes used [min].
    thirds_spm, thirds_pct
        Last third minus first third within matched speed bins [spm] and relative to the first
        third [%]; ``None`` without a shared speed bin.
    note
        Why drift is missing, in words; ``None`` when computed.
    excluded_s
        Seconds with cadence and speed left out, per reason of :data:`EXCLUSION_REASONS`.
    """

    spm_per_h: float | None = None
    pct_per_h: float | None = None
    minutes: int = 0
    thirds_spm: float | None = None
    thirds_pct: float | None = None
    note: str | None = None
    excluded_s: dict[str, int] = field(default_factory=dict)


def exclusion_codes(
    t_s: np.ndarray,
    cadence_spm: np.ndarray,
    speed_m_s: np.ndarray,
    gradient: np.ndarray,
    *,
    warmup_s: float = number("drift_warmup_s"),
    stop_speed_m_s: float = number("stop_speed_m_s"),
    walking_cadence_spm: float = number("walking_cadence_spm"),
    max_abs_grade: float = number("max_abs_grade"),
) -> np.ndarray:
    """Per second, whether it counts as steady running and if not, why.

    Parameters
    ----------
    t_s
        Seconds since the start of the run [s] (1 Hz grid).
    cadence_spm, speed_m_s, gradient
        [steps/min], [m/s], [-]; NaN = missing. A missing grade does not exclude a second.

    Returns
    -------
    numpy.ndarray of int8
        :data:`STEADY`, :data:`NO_DATA` (cadence or speed missing), or the index in
        :data:`EXCLUSION_REASONS` of the first reason that applies (warm-up before stopped
        before walking before steep).

    Examples
    --------
    >>> exclusion_codes(np.array([0.0, 700, 701, 702, 703]),
    ...                 np.array([160.0, 160, 160, 120, np.nan]),
    ...                 np.array([3.0, 3.0, 0.5, 3.0, 3.0]),
    ...                 np.array([0.0, 0.0, 0.0, 0.1, 0.0])).tolist()
    [0, -1, 1, 2, -2]
    """
    present = np.isfinite(cadence_spm) & np.isfinite(speed_m_s)
    with np.errstate(invalid="ignore"):
        reasons = (
            t_s < warmup_s,
            speed_m_s < stop_speed_m_s,
            cadence_spm < walking_cadence_spm,
            np.abs(gradient) > max_abs_grade,
        )
    codes = np.where(present, STEADY, NO_DATA).astype(np.int8)
    for index in reversed(range(len(EXCLUSION_REASONS))):  # the first reason is written last
        codes[present & reasons[index]] = index
    return codes


def steady_mask(
    t_s: np.ndarray,
    cadence_spm: np.ndarray,
    speed_m_s: np.ndarray,
    gradient: np.ndarray,
    **exclusions: float,
) -> tuple[np.ndarray, dict[str, int]]:
    """Seconds of steady running, and why the others were left out.

    Parameters
    ----------
    t_s, cadence_spm, speed_m_s, gradient
        As in :func:`exclusion_codes`.
    exclusions
        Thresholds, keyword arguments of :func:`exclusion_codes`.

    Returns
    -------
    mask : numpy.ndarray of bool
        True for seconds with cadence and speed that pass every exclusion.
    excluded_s : dict
        Reason -> seconds (each second counted once, in the order of
        :data:`EXCLUSION_REASONS`).
    """
    codes = exclusion_codes(t_s, cadence_spm, speed_m_s, gradient, **exclusions)
    excluded = {name: int(np.count_nonzero(codes == index))
                for index, name in enumerate(EXCLUSION_REASONS)}
    return codes == STEADY, excluded


def minute_medians(
    t_s: np.ndarray,
    columns: dict[str, np.ndarray],
    mask: np.ndarray,
    *,
    min_samples: int = integer("minute_min_samples"),
) -> pl.DataFrame:
    """Per-minute medians of the masked seconds.

    Returns
    -------
    polars.DataFrame
        ``t_h`` (middle of the minute, hours since start) and one median per column; only
        minutes with at least ``min_samples`` masked seconds, in time order. NaN inputs are
        ignored (a minute whose values are all NaN gets null).
    """
    picked = {name: values[mask] for name, values in columns.items()}
    minute, counts, medians = group_medians((t_s[mask] // 60).astype(np.int64), picked)
    full = counts >= min_samples
    return pl.DataFrame({"t_h": (minute[full] * 60 + 30) / 3600,
                         **{name: medians[name][full] for name in columns}},
                        schema=dict.fromkeys(["t_h", *columns], pl.Float64)).fill_nan(None)


def _drift_design(t_h: np.ndarray, speed_m_s: np.ndarray,
                  gradient: np.ndarray | None) -> np.ndarray:
    """Columns 1, t, v - median(v) [, g - median(g)] of the drift regression."""
    columns = [np.ones_like(t_h), t_h, speed_m_s - np.median(speed_m_s)]
    if gradient is not None:
        columns.append(gradient - np.median(gradient))
    return np.column_stack(columns)


def drift_coefficients(t_h: np.ndarray, cadence_spm: np.ndarray, speed_m_s: np.ndarray,
                       gradient: np.ndarray | None = None) -> np.ndarray:
    """Least-squares coefficients of the drift model (arguments as in :func:`fit_drift`).

    Returns
    -------
    numpy.ndarray
        b0 [spm] (cadence at t = 0 at the run's median speed and grade), b1 [spm/h],
        b2 [spm per m/s] and, with ``gradient``, b3 [spm per unit grade].
    """
    design = _drift_design(t_h, speed_m_s, gradient)
    return np.linalg.lstsq(design, cadence_spm, rcond=None)[0]


def fit_drift(t_h: np.ndarray, cadence_spm: np.ndarray, speed_m_s: np.ndarray,
              gradient: np.ndarray | None = None) -> tuple[float, float]:
    """Least-squares drift of cadence over time at constant speed (and grade).

    .. math:: c = b_0 + b_1 t + b_2 (v - \\tilde v) [+ b_3 (g - \\tilde g)]

    Parameters
    ----------
    t_h
        Time of each minute since the start of the run [h].
    cadence_spm, speed_m_s
        Per-minute medians [steps/min], [m/s].
    gradient
        Per-minute median grade [-], or ``None`` to leave the grade term out.

    Returns
    -------
    (b1, pct)
        b1 [spm/h] and 100 b1 / b0 [%/h].

    Examples
    --------
    Cadence 170 + 4 t with speed fixed: b1 = 4 spm/h, 100 * 4 / 170 = 2.353 %/h.

    >>> t = np.array([0.25, 0.5, 0.75, 1.0])
    >>> b1, pct = fit_drift(t, 170 + 4 * t, np.full(4, 3.0))
    >>> round(b1, 6), round(pct, 3)
    (4.0, 2.353)
    """
    coef = drift_coefficients(t_h, cadence_spm, speed_m_s, gradient)
    return float(coef[1]), float(100.0 * coef[1] / coef[0])


def speed_band(speed_m_s: np.ndarray, width: float) -> np.ndarray:
    """Lower edge of the ``width``-wide speed bin of each speed [m/s]."""
    return np.round(np.floor(speed_m_s / width) * width, 6)


def thirds_difference(
    cadence_spm: np.ndarray, speed_m_s: np.ndarray,
    *, band_width_m_s: float = number("speed_band_m_s"),
) -> tuple[float | None, float | None]:
    """Last third minus first third of a run's steady minutes, within matched speed bins.

    For each speed bin present in both thirds, the difference of the median cadences; the mean
    of these differences weighted by the smaller of the two minute counts.

    Parameters
    ----------
    cadence_spm, speed_m_s
        Per-minute medians in time order [steps/min], [m/s].

    Returns
    -------
    (diff_spm, diff_pct)
        [spm] and 100 * diff / (weighted first-third cadence) [%]; ``(None, None)`` when no
        bin is shared.
    """
    k = cadence_spm.size // 3
    if k == 0:
        return None, None
    first_bands, first_n, first = group_medians(speed_band(speed_m_s[:k], band_width_m_s),
                                                {"c": cadence_spm[:k]})
    last_bands, last_n, last = group_medians(speed_band(speed_m_s[-k:], band_width_m_s),
                                             {"c": cadence_spm[-k:]})
    _, in_first, in_last = np.intersect1d(first_bands, last_bands, return_indices=True)
    if in_first.size == 0:
        return None, None
    w = np.minimum(first_n[in_first], last_n[in_last]).astype(np.float64)
    c_first, c_last = first["c"][in_first], last["c"][in_last]
    diff = float(np.sum(w * (c_last - c_first)) / w.sum())
    base = float(np.sum(w * c_first) / w.sum())
    return diff, 100.0 * diff / base


def cadence_drift(
    t_s: np.ndarray,
    cadence_spm: np.ndarray,
    speed_m_s: np.ndarray,
    gradient: np.ndarray,
    *,
    min_minutes: int = integer("drift_min_minutes"),
    minute_min_samples: int = integer("minute_min_samples"),
    band_width_m_s: float = number("speed_band_m_s"),
    **exclusions: float,
) -> Drift:
    """Within-run speed-adjusted cadence drift (module docstring for the model).

    Parameters
    ----------
    t_s, cadence_spm, speed_m_s, gradient
        1 Hz grid of one run: [s], [steps/min], [m/s], [-].
    min_minutes
        Steady minutes needed [min].
    exclusions
        Keyword arguments of :func:`steady_mask`.

    Returns
    -------
    Drift
    """
    mask, excluded = steady_mask(t_s, cadence_spm, speed_m_s, gradient, **exclusions)
    minutes = minute_medians(t_s, {"c": cadence_spm, "v": speed_m_s, "g": gradient}, mask,
                             min_samples=minute_min_samples)
    if minutes.height < min_minutes:
        return Drift(minutes=minutes.height, excluded_s=excluded,
                     note=f"{minutes.height} steady minutes, {min_minutes} needed")
    c, v = minutes["c"].to_numpy(), minutes["v"].to_numpy()
    g = minutes["g"].to_numpy() if minutes["g"].null_count() == 0 else None
    b1, pct = fit_drift(minutes["t_h"].to_numpy(), c, v, g)
    thirds_spm, thirds_pct = thirds_difference(c, v, band_width_m_s=band_width_m_s)
    return Drift(spm_per_h=b1, pct_per_h=pct, minutes=minutes.height, thirds_spm=thirds_spm,
                 thirds_pct=thirds_pct, excluded_s=excluded)


@dataclass(frozen=True)
class DriftDetail:
    """Result of :func:`drift_detail`: what the drift fit of one run saw.

    Attributes
    ----------
    seconds
        The 1 Hz grid: ``t_s`` [s since start], ``cadence_spm``, ``speed_m_s``, ``grade``
        [-] and ``reason``: ``"steady"``, one of :data:`EXCLUSION_REASONS`, or null where
        cadence or speed is missing.
    minutes
        :func:`minute_medians` of the steady seconds: ``t_h`` [h], ``cadence_spm``,
        ``speed_m_s``, ``grade``, and ``adjusted_spm`` = the median cadence moved to the
        run's median speed (and grade) with the fitted b2 (b3), null without a fit.
    intercept_spm
        b0 [spm]; the fitted line is ``intercept_spm + spm_per_h * t_h``.
    spm_per_h, pct_per_h
        b1 [spm/h] and 100 b1 / b0 [%/h], as :func:`cadence_drift`.
    note
        Why there is no fit, in words; ``None`` with a fit.
    """

    seconds: pl.DataFrame
    minutes: pl.DataFrame
    intercept_spm: float | None = None
    spm_per_h: float | None = None
    pct_per_h: float | None = None
    note: str | None = None


def drift_detail(samples: pl.DataFrame,
                 settings: Settings | Mapping[str, object] | None = None) -> DriftDetail:
    """The within-run drift of one run with everything needed to draw it.

    The same steps as the stored metric (:func:`cadence_drift` on the 1 Hz grid of
    :func:`analytics.samples.to_grid` with :func:`analytics.samples.grade`): seconds coded by
    :func:`exclusion_codes`, per-minute medians of the steady ones (:func:`minute_medians`),
    the regression of :func:`drift_coefficients` when at least ``drift_min_minutes`` remain.

    Parameters
    ----------
    samples
        Samples frame of one run (:data:`ingest.schema.SAMPLE_SCHEMA`), possibly empty.
    settings
        Thresholds (:mod:`analytics.settings`); ``None`` = defaults.

    Returns
    -------
    DriftDetail
    """
    s = Settings.coerce(settings)
    grid = to_grid(samples, max_gap_s=s.integer("resample_max_gap_s"))
    t, cadence, speed = grid["t"], grid["cadence_spm"], grid["speed_m_s"]
    gradient = grade(grid["altitude_m"], grid["distance_m"],
                     half_window_s=s.integer("grade_half_window_s"),
                     min_distance_m=s.number("grade_min_distance_m"))
    codes = exclusion_codes(
        t, cadence, speed, gradient,
        warmup_s=s.number("drift_warmup_s"), stop_speed_m_s=s.number("stop_speed_m_s"),
        walking_cadence_spm=s.number("walking_cadence_spm"),
        max_abs_grade=s.number("max_abs_grade"),
    )
    names = np.array([*EXCLUSION_REASONS, None, "steady"], dtype=object)  # NO_DATA, STEADY
    seconds = pl.DataFrame({
        "t_s": t, "cadence_spm": cadence, "speed_m_s": speed, "grade": gradient,
        "reason": pl.Series(names[codes], dtype=pl.String),
    }).with_columns(pl.col("cadence_spm", "speed_m_s", "grade").fill_nan(None))
    minutes = minute_medians(
        t, {"cadence_spm": cadence, "speed_m_s": speed, "grade": gradient}, codes == STEADY,
        min_samples=s.integer("minute_min_samples"),
    )
    needed = s.integer("drift_min_minutes")
    if not np.isfinite(cadence).any():
        note: str | None = "no cadence recorded"
    elif minutes.height < needed:
        note = f"{minutes.height} steady minutes, {needed} needed"
    else:
        note = None
    if note is not None:
        return DriftDetail(seconds, minutes.with_columns(
            pl.lit(None, dtype=pl.Float64).alias("adjusted_spm")), note=note)
    t_h, c, v = (minutes[name].to_numpy() for name in ("t_h", "cadence_spm", "speed_m_s"))
    g = minutes["grade"].to_numpy() if minutes["grade"].null_count() == 0 else None
    coef = drift_coefficients(t_h, c, v, g)
    adjusted = c - _drift_design(t_h, v, g)[:, 2:] @ coef[2:]
    return DriftDetail(
        seconds, minutes.with_columns(pl.Series("adjusted_spm", adjusted)),
        intercept_spm=float(coef[0]), spm_per_h=float(coef[1]),
        pct_per_h=float(100.0 * coef[1] / coef[0]),
    )


def speed_band_cadence(
    cadence_spm: np.ndarray, speed_m_s: np.ndarray, mask: np.ndarray,
    *,
    band_width_m_s: float = number("speed_band_m_s"),
    min_seconds: float = number("band_min_seconds"),
) -> list[dict[str, float]]:
    """Median cadence of one run per speed band, for the across-run baseline.

    Parameters
    ----------
    cadence_spm, speed_m_s
        1 Hz grid [steps/min], [m/s].
    mask
        Steady seconds (:func:`steady_mask`).

    Returns
    -------
    list of dict
        ``{"speed_band_m_s": lower edge [m/s], "cadence_spm": median, "seconds": count}`` for
        bands with at least ``min_seconds``, slowest first.
    """
    if not mask.any():
        return []
    frame = pl.DataFrame({
        "speed_band_m_s": speed_band(speed_m_s[mask], band_width_m_s), "c": cadence_spm[mask],
    })
    bands = (
        frame.group_by("speed_band_m_s")
        .agg(pl.col("c").median().alias("cadence_spm"),
             pl.len().cast(pl.Float64).alias("seconds"))
        .filter(pl.col("seconds") >= min_seconds)
        .sort("speed_band_m_s")
    )
    return bands.to_dicts()


def cadence_deviation(
    runs: pl.DataFrame | pl.LazyFrame,
    *,
    baseline_days: int = integer("cadence_baseline_days"),
    min_runs: int = integer("cadence_baseline_min_runs"),
    drop_pct: float = number("cadence_drop_pct"),
    drop_sd: float = number("cadence_drop_sd"),
) -> pl.DataFrame:
    """Each run's speed-adjusted cadence against the runner's baseline at similar speed.

    For run r and speed band k with cadence c_rk and seconds w_rk, the baseline B_rk is the
    median of c_sk over the runs s of the previous ``baseline_days`` (start before r's start),
    S_rk their SD; bands with fewer than ``min_runs`` baseline runs are skipped. Then

    .. math::
        D = \\frac{\\sum_k w_k (c_k - B_k)}{\\sum_k w_k}, \\quad
        D_\\% = \\frac{100 \\sum_k w_k (c_k - B_k) / B_k}{\\sum_k w_k}, \\quad
        z = \\frac{\\sum_k w_k (c_k - B_k) / S_k}{\\sum_k w_k}

    (z over the bands with S_k > 0). A drop is flagged when D% <= -drop_pct or z <= -drop_sd
    [H].

    Parameters
    ----------
    runs
        One row per run: ``id``, ``start_time`` (Datetime), ``cadence_bands`` (list of
        :data:`BAND_STRUCT`; null or empty when the run had no steady cadence).

    Returns
    -------
    polars.DataFrame
        ``id``, ``cadence_deviation_spm``, ``cadence_deviation_pct``, ``cadence_deviation_z``,
        ``cadence_baseline_runs`` (fewest baseline runs over the compared bands),
        ``cadence_drop`` (bool); only runs with at least one compared band.
    """
    window = f"{baseline_days}d"
    rows = (
        runs.lazy()
        .select("id", "start_time", pl.col("cadence_bands").cast(pl.List(BAND_STRUCT)))
        .explode("cadence_bands")
        .drop_nulls("cadence_bands")
        .unnest("cadence_bands")
        .sort("start_time", "id")
        .with_columns(
            pl.col("cadence_spm").rolling_median_by("start_time", window, closed="left")
            .over("speed_band_m_s").alias("base"),
            pl.col("cadence_spm").rolling_std_by("start_time", window, closed="left")
            .over("speed_band_m_s").alias("sd"),
            pl.col("cadence_spm").is_not_null().cast(pl.Int32)
            .rolling_sum_by("start_time", window, closed="left")
            .over("speed_band_m_s").alias("n_base"),
        )
        .filter(pl.col("n_base") >= min_runs)
        .with_columns((pl.col("cadence_spm") - pl.col("base")).alias("d"))
    )
    w = pl.col("seconds")
    has_sd = pl.col("sd") > 0
    out = (
        rows.group_by("id")
        .agg(
            ((w * pl.col("d")).sum() / w.sum()).alias("cadence_deviation_spm"),
            (100 * (w * pl.col("d") / pl.col("base")).sum() / w.sum())
            .alias("cadence_deviation_pct"),
            ((w * pl.col("d") / pl.col("sd")).filter(has_sd).sum() / w.filter(has_sd).sum())
            .fill_nan(None).alias("cadence_deviation_z"),
            pl.col("n_base").min().alias("cadence_baseline_runs"),
        )
        .with_columns(
            ((pl.col("cadence_deviation_pct") <= -drop_pct)
             | (pl.col("cadence_deviation_z") <= -drop_sd).fill_null(False))
            .alias("cadence_drop")
        )
        .sort("id")
    )
    return out.collect()
