"""Aerobic decoupling (Pa:HR) of steady runs of at least 60 minutes.

docs/methods.md section 6: EF = mean (grade-adjusted) speed / mean heart rate in each half of the
run; Pa:HR = 100 (EF1 - EF2) / EF1; above 5 % is excessive (Friel / TrainingPeaks) [V];
GoldenCheetah src/Metrics/AerobicDecoupling.cpp.

"Steady" is not defined in docs/methods.md. Here a run is steady when the coefficient of variation
of its per-minute median grade-adjusted speed is at most 0.15 [H]; easy long runs on rolling
terrain vary ~5-12 % (altitude noise included), intervals and fartlek 20-40 %. Halves are split
by moving time (speed >= the stop speed, heart rate present).
"""

from __future__ import annotations

import numpy as np

from analytics.cadence import minute_medians
from analytics.settings import integer, number


def pa_hr(ef_first: float, ef_second: float) -> float:
    """Aerobic decoupling from the efficiency factors of the two halves.

    .. math:: Pa{:}HR = 100 \\frac{EF_1 - EF_2}{EF_1}

    Parameters
    ----------
    ef_first, ef_second
        Efficiency factor = speed / heart rate [(m/s)/bpm] of the first and second half.

    Returns
    -------
    float
        [%]; positive when heart rate drifted up relative to speed.

    Examples
    --------
    >>> round(pa_hr(3.0 / 140, 3.0 / 147), 6)  # same speed, HR up 5 %: 100 * (1 - 140/147)
    4.761905
    """
    return 100.0 * (ef_first - ef_second) / ef_first


def aerobic_decoupling(
    t_s: np.ndarray,
    speed_m_s: np.ndarray,
    hr_bpm: np.ndarray,
    *,
    stop_speed_m_s: float = number("stop_speed_m_s"),
    min_minutes: int = integer("decoupling_min_minutes"),
    max_speed_cv: float = number("decoupling_max_speed_cv"),
    minute_min_samples: int = integer("minute_min_samples"),
) -> tuple[float | None, str | None]:
    """Pa:HR of one run on the 1 Hz grid.

    Parameters
    ----------
    t_s
        Seconds since start [s].
    speed_m_s
        Grade-adjusted speed (or plain speed without altitude) [m/s].
    hr_bpm
        Artefact-filtered heart rate [bpm].

    Returns
    -------
    (pct, note)
        Decoupling [%] and ``None``, or ``None`` and the reason in words.
    """
    with np.errstate(invalid="ignore"):
        use = np.isfinite(hr_bpm) & np.isfinite(speed_m_s) & (speed_m_s >= stop_speed_m_s)
    moving_min = use.sum() / 60.0
    if moving_min < min_minutes:
        return None, f"{moving_min:.0f} moving minutes with heart rate, {min_minutes} needed"
    minutes = minute_medians(t_s, {"v": speed_m_s}, use, min_samples=minute_min_samples)
    v = minutes["v"].to_numpy()
    cv = float(np.std(v) / np.mean(v))
    if cv > max_speed_cv:
        return None, f"not steady: speed varies {100 * cv:.0f} % (at most {100 * max_speed_cv:.0f})"
    idx = np.flatnonzero(use)
    half = idx.size // 2
    first, second = idx[:half], idx[half:]
    ef1 = np.mean(speed_m_s[first]) / np.mean(hr_bpm[first])
    ef2 = np.mean(speed_m_s[second]) / np.mean(hr_bpm[second])
    return pa_hr(float(ef1), float(ef2)), None
