"""Run-quality signals of one run: warm-up and cool-down, breathing, running dynamics.

docs/methods.md sections 11.1-11.3, computed at import from the 1 Hz grid with the other
per-activity metrics (:mod:`analytics.activity_metrics`).

Warm-up and cool-down (11.1) [H]
    Speed is judged as its 30-s rolling median. The reference is the median of that speed over
    the moving seconds of the run's middle half (from 25 % to 75 % of its duration). After the
    first 60 s, the warm-up is the leading stretch whose speed stays at or below 85 % of the
    reference; it counts from 5 min (the stretch is reported from the start of the run). The
    cool-down is the same at the end and counts from 3 min. A run whose middle half varies in
    speed by more than 25 % (coefficient of variation: intervals, fartlek) has no middle half to
    compare with and is *unclassified*, never "no warm-up". Deviation from docs/methods.md 11.1:
    its second criterion (heart rate rising below 75 % of HRmax) is not applied - HRmax belongs
    to the profile, which the import does not know, and on easy runs the ordinary rise of heart
    rate over the first minutes would count as a warm-up on every run. Easy activities just
    before or after a run are added later (:mod:`analytics.warmup`). Warm-ups before activity:
    fewer injuries in 3 of 5 trials (Fradkin, Gabbe & Cameron 2006 J Sci Med Sport 9:214) [P];
    none specific to back pain [U].

Breathing (11.2) [U]
    Respiration rate as recorded (FIT ``enhanced_respiration_rate`` / ``respiration_rate``): the
    run's mean over its moving seconds, and its rise at matched speed - the last third minus
    the first third of the steady minutes, within 0.25 m/s speed bins, as for cadence
    (:func:`analytics.cadence.thirds_difference`) - relative to the first third [%]. No study
    links breathing rate to back pain: descriptive only.

Running dynamics (11.3) [U]
    Vertical oscillation [mm], ground contact time [ms] and its balance [% left], step length
    (Garmin's "stride length") [m]: means over the run's steady running, medians per speed band
    (so runs are compared at matched speed), and the within-run change of ground contact time
    and vertical oscillation at matched speed (a fatigue marker in lab studies [P], not an
    injury predictor).

Absent signals are ``None`` (not recorded), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from analytics.cadence import minute_medians, speed_band, thirds_difference
from analytics.grouped import group_medians
from analytics.settings import Settings, integer, number

#: Grid columns (samples columns) of the signals below.
SIGNAL_SOURCES = {
    "respiration_brpm": "respiration_brpm",
    "vertical_oscillation_mm": "vertical_oscillation_mm",
    "ground_contact_ms": "stance_time_ms",
    "ground_contact_balance_pct": "stance_time_balance_pct",
    "stride_length_m": "step_length_mm",
}
#: Scale from the samples column to the signal's unit (step length mm -> m).
SIGNAL_SCALE = {"stride_length_m": 0.001}
#: Signals whose within-run change at matched speed is stored (name -> stored key).
CHANGES = {"respiration_brpm": "respiration_drift_pct",
           "vertical_oscillation_mm": "vertical_oscillation_change_pct",
           "ground_contact_ms": "ground_contact_change_pct"}
#: Seconds of a signal a run needs for its mean.
MIN_SIGNAL_SECONDS = 60

#: One speed band of one run's signals (stored per activity as a list of these).
SIGNAL_BAND_STRUCT = pl.Struct({
    "speed_band_m_s": pl.Float64, "seconds": pl.Float64,
    **{name: pl.Float64 for name in SIGNAL_SOURCES},
})
#: Keys of :func:`run_signals` (all floats or None, plus the note and the bands).
SIGNAL_KEYS = ("warmup_s", "cooldown_s", "reference_speed_m_s", "speed_cv", *SIGNAL_SOURCES,
               *CHANGES.values())


@dataclass(frozen=True)
class WarmUp:
    """Result of :func:`warmup_cooldown`.

    Attributes
    ----------
    warmup_s, cooldown_s
        Easy running at the start / end [s]: the stretch when it reaches its minimum, else 0;
        ``None`` when the run is not classified (see ``note``).
    reference_speed_m_s
        Median 30-s speed of the middle half [m/s].
    speed_cv
        Its coefficient of variation over the middle half [-].
    note
        Why the run is not classified; ``None`` when it is.
    """

    warmup_s: float | None = None
    cooldown_s: float | None = None
    reference_speed_m_s: float | None = None
    speed_cv: float | None = None
    note: str | None = None


def rolling_median(values: np.ndarray, window_s: int) -> np.ndarray:
    """Centred rolling median over ``window_s`` seconds of a 1 Hz signal (NaN ignored; NaN
    where fewer than half the window has values)."""
    series = pl.Series(values, dtype=pl.Float64).fill_nan(None)
    out = series.rolling_median(window_s, min_samples=max(1, window_s // 2), center=True)
    return out.fill_null(np.nan).to_numpy()


def warmup_cooldown(
    t_s: np.ndarray, speed_m_s: np.ndarray,
    *,
    fraction: float = number("warmup_speed_fraction"),
    skip_s: float = number("warmup_skip_s"),
    smoothing_s: int = integer("warmup_smoothing_s"),
    min_warmup_s: float = number("warmup_min_s"),
    min_cooldown_s: float = number("cooldown_min_s"),
    max_cv: float = number("warmup_max_speed_cv"),
    stop_speed_m_s: float = number("stop_speed_m_s"),
) -> WarmUp:
    """Easy running at the start and the end of one run (module docstring).

    Parameters
    ----------
    t_s, speed_m_s
        1 Hz grid of the run: seconds since the start [s], speed [m/s] (NaN = none).

    Returns
    -------
    WarmUp

    Examples
    --------
    Ten minutes at 2.5 m/s, twenty at 3.6, five at 2.5: a 10-min warm-up, a 5-min cool-down.

    >>> speed = np.r_[np.full(600, 2.5), np.full(1200, 3.6), np.full(300, 2.5)]
    >>> w = warmup_cooldown(np.arange(speed.size, dtype=float), speed)
    >>> round(w.warmup_s), round(w.cooldown_s), w.note
    (601, 300, None)
    """
    smooth = rolling_median(speed_m_s, smoothing_s)
    if not np.isfinite(smooth).any():
        return WarmUp(note="no speed recorded")
    end = float(t_s[-1])
    with np.errstate(invalid="ignore"):
        moving = np.isfinite(smooth) & (smooth >= stop_speed_m_s)
    middle = moving & (t_s >= end / 4) & (t_s <= 3 * end / 4)
    if middle.sum() < smoothing_s:
        return WarmUp(note="too short to judge")
    reference = float(np.median(smooth[middle]))
    cv = float(np.std(smooth[middle]) / np.mean(smooth[middle]))
    if cv > max_cv:
        return WarmUp(reference_speed_m_s=reference, speed_cv=cv,
                      note=f"speed varies {100 * cv:.0f} % in the middle half (intervals or "
                           "fartlek): not classified")
    with np.errstate(invalid="ignore"):
        fast = np.isfinite(smooth) & (smooth > fraction * reference)
    judged = fast & (t_s >= skip_s) & (t_s <= end - skip_s)
    hits = np.flatnonzero(judged)
    if hits.size == 0:
        return WarmUp(0.0, 0.0, reference, cv)
    warmup = float(t_s[hits[0]] - t_s[0])
    cooldown = float(end - t_s[hits[-1]])
    return WarmUp(warmup if warmup >= min_warmup_s else 0.0,
                  cooldown if cooldown >= min_cooldown_s else 0.0, reference, cv)


def signal_bands(
    signals: dict[str, np.ndarray], speed_m_s: np.ndarray, mask: np.ndarray,
    *,
    band_width_m_s: float = number("speed_band_m_s"),
    min_seconds: float = number("band_min_seconds"),
) -> list[dict[str, float | None]]:
    """Median of each signal per speed band of one run, for comparisons at matched speed.

    Parameters
    ----------
    signals
        Name -> 1 Hz values (NaN = none), names of :data:`SIGNAL_SOURCES`.
    speed_m_s
        1 Hz speed [m/s].
    mask
        Seconds of steady running to use.

    Returns
    -------
    list of dict
        ``speed_band_m_s`` (lower edge), ``seconds`` (with any signal) and one median per
        signal (None where the band has none), for bands of at least ``min_seconds``.
    """
    present = np.zeros(mask.shape, dtype=bool)
    for values in signals.values():
        present |= np.isfinite(values)
    keep = mask & present & np.isfinite(speed_m_s)
    if not keep.any():
        return []
    bands, seconds, medians = group_medians(
        speed_band(speed_m_s[keep], band_width_m_s),
        {name: values[keep] for name, values in signals.items()})
    rows = []
    for i in np.flatnonzero(seconds >= min_seconds):
        row: dict[str, float | None] = {"speed_band_m_s": float(bands[i]),
                                        "seconds": float(seconds[i])}
        row |= {name: float(medians[name][i]) if np.isfinite(medians[name][i]) else None
                for name in signals}
        rows.append({name: row.get(name) for name in SIGNAL_BAND_STRUCT.to_schema()})
    return rows


def within_run_change(
    t_s: np.ndarray, values: np.ndarray, speed_m_s: np.ndarray, mask: np.ndarray,
    *,
    min_minutes: int = integer("drift_min_minutes"),
    minute_min_samples: int = integer("minute_min_samples"),
    band_width_m_s: float = number("speed_band_m_s"),
) -> float | None:
    """Last third minus first third of the steady minutes at matched speed, relative to the
    first third [%]; ``None`` with fewer than ``min_minutes`` minutes or no shared speed bin."""
    use = mask & np.isfinite(values)
    minutes = minute_medians(t_s, {"x": values, "v": speed_m_s}, use,
                             min_samples=minute_min_samples).drop_nulls()
    if minutes.height < min_minutes:
        return None
    _, pct = thirds_difference(minutes["x"].to_numpy(), minutes["v"].to_numpy(),
                               band_width_m_s=band_width_m_s)
    return pct


def _mean(values: np.ndarray, mask: np.ndarray) -> float | None:
    picked = values[mask & np.isfinite(values)]
    return float(picked.mean()) if picked.size >= MIN_SIGNAL_SECONDS else None


def run_signals(grid: dict[str, np.ndarray], gradient: np.ndarray, *, is_run: bool,
                settings: Settings) -> dict[str, object]:
    """The stored run-quality values of one activity (keys of :data:`SIGNAL_KEYS` and
    ``warmup_note``, ``signal_bands``).

    Parameters
    ----------
    grid
        :func:`analytics.samples.to_grid` with the samples columns of :data:`SIGNAL_SOURCES`.
    gradient
        Grade per second [-].
    is_run
        Warm-up, dynamics and matched-speed changes only for runs; the respiration mean for
        every activity that records it.
    settings
        :class:`analytics.settings.Settings`.
    """
    s = settings
    t, speed, cadence = grid["t"], grid["speed_m_s"], grid["cadence_spm"]
    signals = {name: grid[column] * SIGNAL_SCALE.get(name, 1.0)
               for name, column in SIGNAL_SOURCES.items()}
    with np.errstate(invalid="ignore"):
        moving = np.isfinite(speed) & (speed >= s.number("stop_speed_m_s"))
    out: dict[str, object] = dict.fromkeys(SIGNAL_KEYS)
    out |= {"warmup_note": None, "signal_bands": [],
            "respiration_brpm": _mean(signals["respiration_brpm"], moving if is_run else
                                      np.ones(t.shape, dtype=bool))}
    if not is_run or t.size == 0:
        return out
    warm = warmup_cooldown(
        t, speed, fraction=s.number("warmup_speed_fraction"), skip_s=s.number("warmup_skip_s"),
        smoothing_s=s.integer("warmup_smoothing_s"), min_warmup_s=s.number("warmup_min_s"),
        min_cooldown_s=s.number("cooldown_min_s"), max_cv=s.number("warmup_max_speed_cv"),
        stop_speed_m_s=s.number("stop_speed_m_s"))
    out |= {"warmup_s": warm.warmup_s, "cooldown_s": warm.cooldown_s,
            "reference_speed_m_s": warm.reference_speed_m_s, "speed_cv": warm.speed_cv,
            "warmup_note": warm.note}
    with np.errstate(invalid="ignore"):
        walking = np.isfinite(cadence) & (cadence < s.number("walking_cadence_spm"))
        steep = np.abs(gradient) > s.number("max_abs_grade")
    running = moving & ~walking
    for name in SIGNAL_SOURCES:
        if name != "respiration_brpm":
            out[name] = _mean(signals[name], running)
    out["signal_bands"] = signal_bands(
        signals, speed, running & ~steep, band_width_m_s=s.number("speed_band_m_s"),
        min_seconds=s.number("band_min_seconds"))
    steady_run = warm.speed_cv is not None and warm.speed_cv <= s.number("warmup_max_speed_cv")
    if steady_run:
        steady = running & ~steep & (t >= s.number("drift_warmup_s"))
        for name, key in CHANGES.items():
            out[key] = within_run_change(
                t, signals[name], speed, steady, min_minutes=s.integer("drift_min_minutes"),
                minute_min_samples=s.integer("minute_min_samples"),
                band_width_m_s=s.number("speed_band_m_s"))
    return out


def matched_speed_trend(runs: pl.DataFrame, signal: str) -> tuple[float | None, pl.DataFrame]:
    """One signal across runs at matched speed: each run's median in the reference band.

    The reference band is the speed band with the most seconds of ``signal`` over all runs,
    so every point is compared at the same speed (the signals all change with speed).

    Parameters
    ----------
    runs
        ``id``, ``local_date`` and ``signal_bands`` (lists of :data:`SIGNAL_BAND_STRUCT`).
    signal
        A name of :data:`SIGNAL_SOURCES`.

    Returns
    -------
    (band, frame)
        Lower edge of the reference band [m/s] (None without data) and ``id``,
        ``local_date``, ``value`` of the runs that have the signal in it, oldest first.
    """
    empty = pl.DataFrame(schema={"id": pl.Int64, "local_date": pl.Date, "value": pl.Float64})
    if runs.is_empty() or "signal_bands" not in runs.columns:
        return None, empty
    bands = (runs.select("id", "local_date", "signal_bands").explode("signal_bands")
             .drop_nulls("signal_bands").unnest("signal_bands")
             .filter(pl.col(signal).is_not_null()))
    if bands.is_empty():
        return None, empty
    band = float(bands.group_by("speed_band_m_s").agg(pl.col("seconds").sum())
                 .sort(["seconds", "speed_band_m_s"], descending=[True, False])
                 ["speed_band_m_s"][0])
    out = (bands.filter(pl.col("speed_band_m_s") == band)
           .select("id", pl.col("local_date").cast(pl.Date), pl.col(signal).alias("value"))
           .sort("local_date", "id"))
    return band, out
