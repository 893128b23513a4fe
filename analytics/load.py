"""Session load: Banister and Edwards TRIMP, HRSS, pace-based load, session RPE, fallbacks.

docs/methods.md section 1. The load of a session is put on one scale, HRSS points (100 = one hour
at lactate threshold), so that sessions with and without heart rate can be summed into a daily
load and CTL/ATL/TSB thresholds quoted in TSS-like points (Friel, intervals.icu) apply. Each
session records how its load was obtained (``load_source``: ``hr_trimp`` | ``pace`` | ``srpe`` |
``duration_default``) and whether it is ``estimated``; Banister TRIMP, Edwards TRIMP and
sRPE (arbitrary units) are kept beside it.

Choice of source, first available wins (docs/methods.md: HR, then pace, sRPE, duration default):

1. ``hr_trimp``: heart rate covers at least ``hr_min_coverage`` of the session, the profile has
   HRmax and LTHR, and TRIMP is at most ``trimp_max_per_hour`` per session hour. With HRr
   clamped to 1 TRIMP cannot exceed 60 a e^b (262-274) per hour of heart rate, so the Runalyze
   plausibility check only catches heart-rate time longer than the session (a broken time
   base).
2. ``pace``: on-foot sessions with a normalized speed and an entered threshold speed.
3. ``srpe``: a session RPE was logged; put on the HRSS scale with ``srpe_rpe_at_threshold``
   (one hour at that rating = 100) [H].
4. ``duration_default``: session time x a per-sport default intensity, as the TRIMP of a default
   fraction of heart-rate reserve (Runalyze substitutes a default average heart rate),
   expressed in HRSS. Always ``estimated``.

Body work (strength, core, Pilates, yoga, breathing, flexibility: FIT sub-sports of training or
fitness equipment, and sessions logged by hand) skips 1 and 2: sRPE when rated, else duration
x the default intensity of its category (docs/methods.md section 10); ``bodywork`` is true.

``estimated`` is also true for ``hr_trimp`` when HRmax, HRrest or LTHR is an estimate.
sRPE is the runner's own rating, and pace uses an entered threshold, so neither is estimated.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import polars as pl

from analytics.activity_metrics import HR_HIST_BINS, HR_HIST_MIN_BPM, RUNNING_SPORTS
from analytics.athlete import ResolvedProfile
from analytics.settings import Settings, text
from ingest.bodywork import FIT_SPORTS, FIT_SUB_SPORTS
from ingest.schema import ON_FOOT_SPORTS

LOAD_SOURCES = ("hr_trimp", "pace", "srpe", "duration_default")

#: Sport -> setting with its default fraction of heart-rate reserve (others: default_hrr_other).
DEFAULT_HRR_SETTING = {
    "running": "default_hrr_running",
    "cycling": "default_hrr_cycling",
    "swimming": "default_hrr_swimming",
    "walking": "default_hrr_walking",
    "hiking": "default_hrr_hiking",
}
#: Body-work category -> setting with its default fraction of heart-rate reserve.
BODYWORK_HRR_SETTING = {"strength": "default_hrr_strength", "core": "default_hrr_strength",
                        "mobility": "default_hrr_mobility"}

#: Columns of :func:`session_loads`.
SESSION_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "local_date": pl.Date(),
    "start_time": pl.Datetime("ms", "UTC"),
    "sport": pl.String(),
    "is_run": pl.Boolean(),
    "bodywork": pl.Boolean(),
    "session_s": pl.Float64(),
    "distance_m": pl.Float64(),
    "trimp": pl.Float64(),
    "edwards_trimp": pl.Float64(),
    "hrss": pl.Float64(),
    "pace_load": pl.Float64(),
    "rpe": pl.Float64(),
    "srpe_au": pl.Float64(),
    "load": pl.Float64(),
    "load_source": pl.String(),
    "estimated": pl.Boolean(),
}


def trimp_constants(sex: str, female_convention: str = text("trimp_female_convention")
                    ) -> tuple[float, float]:
    """Weighting constants (a, b) of Banister's TRIMP.

    Parameters
    ----------
    sex
        ``"male"``: a = 0.64, b = 1.92 (Morton et al. 1990). ``"female"``: b = 1.67 with a by
        ``female_convention``: ``"common"`` 0.86 (common in apps, primary source not found
        [U]), ``"runalyze"`` 0.8218, ``"goldencheetah"`` 0.64. ``"unknown"``: a = 0.7252,
        b = 1.795 (Runalyze).

    Returns
    -------
    (a, b)

    References
    ----------
    Morton RH, Fitz-Clarke JR, Banister EW (1990) Modeling human performance in running.
    J Appl Physiol 69:1171-1177. doi:10.1152/jappl.1990.69.3.1171

    Examples
    --------
    >>> trimp_constants("female", "runalyze")
    (0.8218, 1.67)
    """
    if sex == "male":
        return 0.64, 1.92
    if sex == "female":
        factors = {"common": 0.86, "runalyze": 0.8218, "goldencheetah": 0.64}
        if female_convention not in factors:
            raise ValueError(f"invalid female_convention {female_convention!r}")
        return factors[female_convention], 1.67
    if sex == "unknown":
        return 0.7252, 1.795
    raise ValueError(f"invalid sex {sex!r}")


def heart_rate_reserve(hr_bpm: np.ndarray, hr_rest: float, hr_max: float) -> np.ndarray:
    """Fraction of heart-rate reserve, clamped: HRr = clip((HR - HRrest)/(HRmax - HRrest), 0, 1)."""
    return np.clip((hr_bpm - hr_rest) / (hr_max - hr_rest), 0.0, 1.0)


def banister_weight(hrr: np.ndarray | float, a: float, b: float) -> np.ndarray:
    """TRIMP per minute at a fraction of heart-rate reserve: ``HRr * a * exp(b * HRr)``."""
    return np.asarray(hrr) * a * np.exp(b * np.asarray(hrr))


def _bins_dot(hist_s: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Histogram(s) . weights; einsum, not BLAS, whose thread start-up dominates at this size."""
    return np.einsum("...j,j->...", np.asarray(hist_s, dtype=np.float64), weights)


def banister_trimp(hist_s: np.ndarray, hr_rest: float, hr_max: float, a: float, b: float
                   ) -> np.ndarray:
    """Banister TRIMP of heart-rate histograms (per-sample integration, exactly).

    .. math:: TRIMP = \\sum_i \\frac{\\Delta t_i}{60} HRr_i \\, a \\, e^{b \\, HRr_i}

    with HRr clamped to [0, 1]; summing over the histogram bins (seconds at each bpm) equals
    summing over the 1 Hz samples.

    Parameters
    ----------
    hist_s
        Seconds at each bpm 30..230 [s]: shape (201,) or (n, 201).
    hr_rest, hr_max
        [bpm]
    a, b
        :func:`trimp_constants`.

    Returns
    -------
    numpy.ndarray
        TRIMP [arbitrary units]; scalar array for one histogram. Valid range: endurance
        exercise; HRr is clamped, so TRIMP <= 60 a e^b per hour.

    References
    ----------
    Banister EW (1975) in Topics in Environmental Physiology and Medicine; Morton et al. (1990)
    J Appl Physiol 69:1171. Code: GoldenCheetah src/Metrics/TRIMPPoints.cpp.

    Examples
    --------
    One hour at HRr 0.5 (HRrest 60, HRmax 180 -> 120 bpm), men:
    60 * 0.5 * 0.64 * exp(0.96) = 19.2 * 2.611696 = 50.145.

    >>> h = np.zeros(201); h[120 - 30] = 3600
    >>> round(float(banister_trimp(h, 60, 180, 0.64, 1.92)), 3)
    50.145
    """
    bpm = np.arange(HR_HIST_BINS) + HR_HIST_MIN_BPM
    per_minute = banister_weight(heart_rate_reserve(bpm, hr_rest, hr_max), a, b)
    return _bins_dot(hist_s, per_minute) / 60.0


def edwards_trimp(hist_s: np.ndarray, hr_max: float) -> np.ndarray:
    """Edwards' summated heart-rate zone score.

    .. math:: TRIMP = \\sum_{z=1}^{5} z \\cdot minutes\\ in\\ zone\\ z

    zones 50-60, 60-70, 70-80, 80-90 and >= 90 % of HRmax (heart rate above HRmax counts in
    zone 5; below 50 % counts 0). Lower zone edges are inclusive.

    Parameters
    ----------
    hist_s
        Seconds at each bpm 30..230 [s], shape (201,) or (n, 201).
    hr_max
        [bpm]

    Returns
    -------
    numpy.ndarray
        [arbitrary units]

    References
    ----------
    Edwards S (1993) The Heart Rate Monitor Book. Polar Electro Oy.

    Examples
    --------
    10 min at 150 bpm with HRmax 200 (75 %, zone 3) = 30.

    >>> h = np.zeros(201); h[150 - 30] = 600
    >>> float(edwards_trimp(h, 200))
    30.0
    """
    bpm = np.arange(HR_HIST_BINS) + HR_HIST_MIN_BPM
    zone = np.clip(np.floor(bpm / hr_max * 10 + 1e-9) - 4, 0, 5)
    return _bins_dot(hist_s, zone) / 60.0


def threshold_hour_trimp(lthr: float, hr_rest: float, hr_max: float, a: float, b: float
                         ) -> float:
    """TRIMP of 60 minutes at LTHR, the HRSS normaliser (GoldenCheetah TRIMP100)."""
    return float(60.0 * banister_weight(heart_rate_reserve(np.array(lthr), hr_rest, hr_max), a, b))


def hrss(trimp: np.ndarray | float, trimp_threshold_hour: float) -> np.ndarray:
    """Heart-rate stress score: ``100 * TRIMP / TRIMP(60 min at LTHR)``.

    Returns
    -------
    numpy.ndarray
        [points]; one hour at LTHR = 100.

    References
    ----------
    GoldenCheetah TRIMP100 (src/Metrics/TRIMPPoints.cpp); Elevate HRSS.

    Examples
    --------
    >>> float(hrss(83.5, 167.0))
    50.0
    """
    return 100.0 * np.asarray(trimp) / trimp_threshold_hour


def pace_load(moving_s: np.ndarray | float, norm_speed_m_s: np.ndarray | float,
              threshold_speed_m_s: float) -> np.ndarray:
    """rTSS-like pace-based load.

    .. math:: L = 100 \\cdot hours \\cdot IF^2, \\quad IF = NGS / v_{threshold}

    Parameters
    ----------
    moving_s
        Moving time [s].
    norm_speed_m_s
        Normalized grade-adjusted speed [m/s] (:func:`analytics.activity_metrics.normalized_speed`).
    threshold_speed_m_s
        [m/s]

    Returns
    -------
    numpy.ndarray
        [points]; one hour at threshold speed = 100. For runs, walks and hikes.

    References
    ----------
    TrainingPeaks rTSS; Skiba (2006) GOVSS, GoldenCheetah src/Metrics/GOVSS.cpp.

    Examples
    --------
    30 min at 80 % of threshold: 100 * 0.5 * 0.8**2 = 32.

    >>> round(float(pace_load(1800, 3.2, 4.0)), 6)
    32.0
    """
    intensity = np.asarray(norm_speed_m_s) / threshold_speed_m_s
    return 100.0 * np.asarray(moving_s) / 3600.0 * intensity**2


def session_rpe(rpe: np.ndarray | float, minutes: np.ndarray | float) -> np.ndarray:
    """Foster's session RPE: CR-10 rating x session minutes [arbitrary units].

    References
    ----------
    Foster C et al. (2001) A new approach to monitoring exercise training. J Strength Cond Res
    15:109-115. Ratings entered hours or days later stay valid (Foster 2021 IJSPP 16:612).

    Examples
    --------
    >>> float(session_rpe(5, 60))
    300.0
    """
    return np.asarray(rpe, dtype=np.float64) * np.asarray(minutes)


def srpe_points(srpe_au: np.ndarray | float, rpe_at_threshold: float) -> np.ndarray:
    """sRPE on the HRSS scale: one hour at ``rpe_at_threshold`` = 100 points [H].

    Examples
    --------
    >>> round(float(srpe_points(420, 7)), 6)  # 60 min at RPE 7
    100.0
    """
    return 100.0 * np.asarray(srpe_au) / (60.0 * rpe_at_threshold)


def duration_default_load(minutes: np.ndarray | float, hrr: np.ndarray | float,
                          hrr_threshold: float, b: float) -> np.ndarray:
    """Load of a session known only by its duration, from a default intensity.

    The TRIMP of ``minutes`` at fraction ``hrr`` of heart-rate reserve, divided by the TRIMP of
    an hour at the threshold fraction ``hrr_threshold`` (a cancels):

    .. math:: L = 100 \\frac{minutes}{60}
              \\frac{HRr \\, e^{b \\, HRr}}{HRr_{LT} \\, e^{b \\, HRr_{LT}}}

    Returns
    -------
    numpy.ndarray
        [points], estimated.

    Examples
    --------
    An hour at the threshold fraction itself is 100:

    >>> round(float(duration_default_load(60, 0.85, 0.85, 1.92)), 6)
    100.0
    """
    hrr = np.asarray(hrr, dtype=np.float64)
    ratio = banister_weight(hrr, 1.0, b) / banister_weight(hrr_threshold, 1.0, b)
    return 100.0 * np.asarray(minutes) / 60.0 * ratio


def hist_matrix(hist: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """Heart-rate histograms of a list column as a matrix.

    Returns
    -------
    (matrix, valid)
        ``(n, 201)`` seconds (zeros where missing) and a boolean mask of rows with a histogram.
    """
    valid = (hist.list.len() == HR_HIST_BINS).fill_null(False).to_numpy()
    matrix = np.zeros((hist.len(), HR_HIST_BINS))
    if valid.any():
        flat = hist.filter(pl.Series(valid)).explode().cast(pl.Float64).to_numpy()
        matrix[valid] = flat.reshape(-1, HR_HIST_BINS)
    return matrix, valid


#: Activity columns read by :func:`session_loads`; missing ones are treated as null.
ACTIVITY_INPUT_COLUMNS: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "sport": pl.String(),
    "sub_sport": pl.String(),
    "local_date": pl.Date(),
    "start_time": pl.Datetime("ms", "UTC"),
    "duration_s": pl.Float64(),
    "timer_time_s": pl.Float64(),
    "distance_m": pl.Float64(),
    "hr_hist_s": pl.List(pl.Float64()),
    "hr_seconds": pl.Float64(),
    "moving_s": pl.Float64(),
    "norm_speed_m_s": pl.Float64(),
}


def normalise_activities(activities: pl.DataFrame | pl.LazyFrame,
                         columns: Mapping[str, pl.DataType] = ACTIVITY_INPUT_COLUMNS
                         ) -> pl.DataFrame:
    """Activities with ``columns`` typed and missing ones null, oldest first (by start time,
    then id; a frame already in start-time order keeps its order).

    ``local_date`` may be an ISO string (as ``Store.activities()`` returns it) or a Date.
    """
    frame = activities.lazy()
    schema = frame.collect_schema()
    exprs = []
    for name, dtype in columns.items():
        if name not in schema:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
        elif schema[name] == dtype:
            continue
        elif name == "local_date" and schema[name] == pl.String:
            exprs.append(pl.col(name).str.to_date())
        else:
            exprs.append(pl.col(name).cast(dtype))
    out = frame.with_columns(exprs).collect()
    # already in order (e.g. normalised before): skip the sort, which copies the histograms
    return out if out["start_time"].is_sorted() else out.sort("start_time", "id")


def bodywork_category(sport: pl.Series, sub_sport: pl.Series) -> pl.Series:
    """Body-work category (core, mobility, strength) of each session, null for other sports:
    the body-work sub-sports of training and fitness equipment (:mod:`ingest.bodywork`)."""
    category = sub_sport.replace_strict(FIT_SUB_SPORTS, default=None, return_dtype=pl.String)
    return pl.select(pl.when(sport.is_in(list(FIT_SPORTS))).then(category)).to_series()


def session_loads(
    activities: pl.DataFrame | pl.LazyFrame,
    profile: ResolvedProfile,
    rpe: pl.DataFrame | pl.LazyFrame | None = None,
    settings: Settings | Mapping[str, object] | None = None,
) -> pl.DataFrame:
    """Load of every session, with its source and whether it is estimated (module docstring).

    Parameters
    ----------
    activities
        Store activities joined with the stored metrics: ``id``, ``sport``, ``sub_sport``,
        ``local_date``
        (Date or ISO string), ``start_time``, ``duration_s``, ``timer_time_s``, ``distance_m``,
        ``hr_hist_s``, ``hr_seconds``, ``moving_s``, ``norm_speed_m_s`` (missing columns =
        null).
    profile
        :func:`analytics.athlete.resolve_profile`.
    rpe
        ``activity_id``, ``rpe`` (CR-10); the last rating of an activity counts.
    settings
        :class:`analytics.settings.Settings` or overrides.

    Returns
    -------
    polars.DataFrame
        Columns of :data:`SESSION_SCHEMA`, oldest first: ``session_s`` timer time (else
        elapsed) [s]; ``trimp``, ``edwards_trimp``, ``srpe_au`` [AU]; ``hrss``, ``pace_load``,
        ``load`` [points]; ``bodywork`` for strength and yoga sessions (module docstring).
    """
    s = Settings.coerce(settings)
    acts = normalise_activities(activities)
    n = acts.height
    if rpe is not None:
        ratings = (rpe.lazy().select(pl.col("activity_id").cast(pl.Int64).alias("id"),
                                     pl.col("rpe").cast(pl.Float64))
                   .group_by("id", maintain_order=True).last().collect())
        acts = acts.join(ratings, on="id", how="left", maintain_order="left")
    else:
        acts = acts.with_columns(pl.lit(None, dtype=pl.Float64).alias("rpe"))

    session_s = acts.select(pl.coalesce("timer_time_s", "duration_s")).to_series().to_numpy()
    session_s = np.asarray(session_s, dtype=np.float64)
    hr_seconds = acts["hr_seconds"].fill_null(0.0).to_numpy()
    sports = acts["sport"].fill_null("unknown")
    body_category = bodywork_category(acts["sport"], acts["sub_sport"])
    body = body_category.is_not_null().to_numpy()
    a, b = trimp_constants(profile.sex, s.text("trimp_female_convention"))

    matrix, has_hist = hist_matrix(acts["hr_hist_s"])
    nan = np.full(n, np.nan)
    trimp, edwards, hr_score, hr_load = nan.copy(), nan.copy(), nan.copy(), nan.copy()
    if profile.hr_max is not None and profile.lthr is not None:
        trimp = np.where(has_hist, banister_trimp(matrix, profile.hr_rest, profile.hr_max, a, b),
                         np.nan)
        edwards = np.where(has_hist, edwards_trimp(matrix, profile.hr_max), np.nan)
        norm = threshold_hour_trimp(profile.lthr, profile.hr_rest, profile.hr_max, a, b)
        hr_score = hrss(trimp, norm)
        hours = np.where(np.isfinite(session_s), session_s, hr_seconds) / 3600.0
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            covered = ~(hr_seconds < s.number("hr_min_coverage") * session_s)
            plausible = trimp / hours <= s.number("trimp_max_per_hour")
        hr_load = np.where(covered & plausible & ~body, hr_score, np.nan)

    on_foot = sports.is_in(list(ON_FOOT_SPORTS)).to_numpy()
    paced = nan.copy()
    if profile.threshold_speed_m_s is not None:
        paced = np.where(on_foot, pace_load(acts["moving_s"].fill_null(np.nan).to_numpy(),
                                            acts["norm_speed_m_s"].fill_null(np.nan).to_numpy(),
                                            profile.threshold_speed_m_s), np.nan)
    rating = acts["rpe"].fill_null(np.nan).to_numpy()
    srpe = session_rpe(rating, session_s / 60.0)
    srpe_load = srpe_points(srpe, s.number("srpe_rpe_at_threshold"))

    hrr_threshold = (
        (profile.lthr - profile.hr_rest) / (profile.hr_max - profile.hr_rest)
        if profile.hr_max is not None and profile.lthr is not None
        else s.number("lthr_hrr_fraction")
    )
    default_hrr = np.where(body, body_category.replace_strict(
        {c: s.number(name) for c, name in BODYWORK_HRR_SETTING.items()},
        default=np.nan, return_dtype=pl.Float64).to_numpy(), sports.replace_strict(
        {sp: s.number(name) for sp, name in DEFAULT_HRR_SETTING.items()},
        default=s.number("default_hrr_other"), return_dtype=pl.Float64,
    ).to_numpy())
    fallback = duration_default_load(session_s / 60.0, default_hrr, hrr_threshold, b)

    candidates = (hr_load, paced, srpe_load, fallback)
    load = nan.copy()
    code = np.full(n, -1)
    for i, values in enumerate(candidates):
        take = np.isnan(load) & np.isfinite(values)
        load[take] = values[take]
        code[take] = i
    estimated = (code == LOAD_SOURCES.index("duration_default")) | (
        (code == LOAD_SOURCES.index("hr_trimp")) & profile.hr_params_estimated
    )

    def col(values: np.ndarray) -> pl.Series:
        return pl.Series(values, dtype=pl.Float64).fill_nan(None)

    return pl.DataFrame({
        "id": acts["id"],
        "local_date": acts["local_date"],
        "start_time": acts["start_time"],
        "sport": acts["sport"],
        "is_run": sports.is_in(list(RUNNING_SPORTS)),
        "bodywork": pl.Series(body, dtype=pl.Boolean),
        "session_s": col(session_s),
        "distance_m": acts["distance_m"],
        "trimp": col(trimp),
        "edwards_trimp": col(edwards),
        "hrss": col(hr_score),
        "pace_load": col(paced),
        "rpe": acts["rpe"],
        "srpe_au": col(srpe),
        "load": col(load),
        "load_source": pl.Series(code).replace_strict(
            dict(enumerate(LOAD_SOURCES)), default=None, return_dtype=pl.String),
        "estimated": pl.Series(estimated, dtype=pl.Boolean),
    }, schema=SESSION_SCHEMA)
