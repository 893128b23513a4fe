"""Models behind the sample recordings: terrain, routes, pacing, heart rate, cadence, GPS noise.

Everything is plain numpy on 1 Hz series and draws randomness only from the generator it is
given, so the same seed gives the same numbers. The models are deliberately simple; they only
have to hold together the way real recordings do:

* running speed drops on climbs (``RUN_GRADE_SLOWDOWN``), cycling speed much more;
* heart rate follows the metabolic cost of the current speed and grade through a first-order
  lag (``HR_TAU_S``) and drifts upwards with time (cardiac drift);
* cadence rises with speed (about 11 steps/min per m/s, van Oeveren et al. 2017) and, on a
  fatigued long run, fades in the last third at unchanged speed;
* GPS positions wander a few metres around the true path (slow AR(1) noise, like the filtered
  output of a watch or phone GPS).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import lfilter

#: Home of the sample runner (Freiburg im Breisgau, Germany) [deg] and its altitude [m].
HOME_LAT_DEG = 47.9935
HOME_LON_DEG = 7.8421
HOME_ALTITUDE_M = 278.0
METRES_PER_DEG_LAT = 111_195.0  # mean Earth radius 6371.0088 km x pi / 180
#: Rolling hills: (amplitude [m], wavelength [m], phase x [rad], phase y [rad]).
HILLS = ((24.0, 3400.0, 0.3, 1.1), (11.0, 1500.0, 2.0, 0.4), (5.0, 800.0, 4.1, 2.7))
#: Running: fraction of speed lost per unit grade (0.025 per % grade).
RUN_GRADE_SLOWDOWN = 2.5
#: Fraction of the gap to the target speed closed each second (a ~3 s acceleration).
SPEED_RESPONSE = 0.3
#: Metabolic cost rises ~3.5 % per % grade on moderate slopes (Minetti et al. 2002).
COST_PER_GRADE = 3.5
#: Time constant of the heart-rate response to a change of effort [s].
HR_TAU_S = 30.0
#: Exponent of the speed -> %HR-reserve curve, anchored at (threshold speed, LTHR).
HR_SPEED_EXPONENT = 1.7
#: Running cadence at :data:`CADENCE_REF_SPEED` [steps/min] and its slope [steps/min per m/s].
CADENCE_REF_SPM = 166.0
CADENCE_REF_SPEED = 2.85
CADENCE_PER_SPEED = 11.0
#: Below this speed the runner walks [m/s]; walking cadence = 100 + 10 x speed.
WALK_SPEED = 2.0
#: Breathing: rate at rest and its rise per unit of heart-rate reserve [breaths/min].
RESPIRATION_REST = 14.0
RESPIRATION_PER_RESERVE = 30.0


@dataclass(frozen=True)
class Athlete:
    """The heart-rate and pace anchors of the sample runner."""

    hr_rest: float  # [1/min]
    hr_max: float  # [1/min]
    lthr: float  # [1/min]
    threshold_speed: float  # [m/s]

    @property
    def lt_fraction(self) -> float:
        """Lactate-threshold heart rate as a fraction of heart-rate reserve."""
        return (self.lthr - self.hr_rest) / (self.hr_max - self.hr_rest)


@dataclass
class Motion:
    """Where the athlete is, second by second (index = seconds since the start)."""

    distance_m: np.ndarray
    speed_m_s: np.ndarray
    grade: np.ndarray  # rise over run [-]
    paused: np.ndarray  # True while the timer is stopped (no records are written)


def ar1(rng: np.random.Generator, n: int, sigma: float, rho: float) -> np.ndarray:
    """Stationary AR(1) noise: x_t = rho x_{t-1} + sigma sqrt(1 - rho^2) e_t."""
    shocks = rng.standard_normal(n) * sigma * np.sqrt(1.0 - rho**2)
    start = rng.standard_normal() * sigma
    return lfilter([1.0], [1.0, -rho], shocks, zi=[rho * start])[0]


def terrain_altitude(x_m: np.ndarray, y_m: np.ndarray) -> np.ndarray:
    """Altitude of the rolling hills around home [m]; x east and y north of home [m].

    A sum of the :data:`HILLS` waves, shifted so that home is at :data:`HOME_ALTITUDE_M`.
    """
    alt = np.full(np.shape(x_m), HOME_ALTITUDE_M)
    for amplitude, wavelength, phase_x, phase_y in HILLS:
        alt += amplitude * (
            np.sin(2 * np.pi * x_m / wavelength + phase_x)
            * np.cos(2 * np.pi * y_m / (1.3 * wavelength) + phase_y)
            - np.sin(phase_x) * np.cos(phase_y)
        )
    return alt


def loop_route(rng: np.random.Generator, length_m: float) -> tuple[np.ndarray, np.ndarray]:
    """A closed loop from home of ``length_m``, sampled every metre: (x east, y north) [m].

    The loop is a randomly deformed, rotated circle r(theta) = 1 + sum a_k cos(k theta - phi_k)
    (k = 1..3), shifted to start at home and scaled to the wanted length.
    """
    theta = np.linspace(0.0, 2 * np.pi, 4097)
    radius = np.ones_like(theta)
    for k in (1, 2, 3):
        radius += rng.uniform(0.0, 0.3 / k) * np.cos(k * theta - rng.uniform(0, 2 * np.pi))
    turn = rng.uniform(0, 2 * np.pi)
    x = radius * np.cos(theta + turn)
    y = radius * np.sin(theta + turn)
    x, y = x - x[0], y - y[0]
    arc = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))])
    scale = length_m / arc[-1]
    grid = np.arange(0.0, np.ceil(length_m) + 1.0)
    along = grid / scale
    return np.interp(along, arc, x) * scale, np.interp(along, arc, y) * scale


def grade_along(altitude_m: np.ndarray, smooth_m: int = 25) -> np.ndarray:
    """Grade of an altitude profile sampled every metre, smoothed over ``smooth_m`` metres."""
    if altitude_m.size < 2:
        return np.zeros_like(altitude_m)
    kernel = np.ones(smooth_m) / smooth_m
    padded = np.pad(altitude_m, smooth_m // 2, mode="edge")
    smooth = np.convolve(padded, kernel, mode="valid")[: altitude_m.size]
    return np.gradient(smooth)


def to_lat_lon(x_m: np.ndarray, y_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Local metres east/north of home -> WGS84 degrees (equirectangular, fine over ~20 km)."""
    lat = HOME_LAT_DEG + y_m / METRES_PER_DEG_LAT
    lon = HOME_LON_DEG + x_m / (METRES_PER_DEG_LAT * np.cos(np.radians(HOME_LAT_DEG)))
    return lat, lon


def move(
    rng: np.random.Generator,
    segments: list[tuple[float, float]],
    grade_per_m: np.ndarray,
    slowdown: float,
    pause: tuple[float, int] | None = None,
    speed_cap: float = 1.5,
) -> Motion:
    """Integrate 1 Hz motion along a course.

    Each second the speed closes :data:`SPEED_RESPONSE` of the gap to its target: the flat
    target of the current segment, adjusted for grade and varied by slow AR(1) noise (3 %).

    Parameters
    ----------
    segments
        ``(end distance [m], target speed on the flat [m/s])``, in order; the last end is the
        total distance.
    grade_per_m
        Grade of the course every metre [-] (zeros for a treadmill).
    slowdown
        Fraction of the target speed lost per unit of uphill grade (at most 60 %); downhill
        gains half of that, capped at ``speed_cap`` times the target.
    pause
        ``(distance [m], seconds)``: the timer is stopped there for that long.
    """
    total = segments[-1][0]
    slowest = min(speed for _, speed in segments)
    pause_at, pause_s = pause if pause is not None else (np.inf, 0)
    n_max = int(total / (0.3 * slowest)) + pause_s + 120
    noise = ar1(rng, n_max, 0.03, 0.97).tolist()
    grades = grade_per_m.tolist()
    distance, speed, grade, paused = [0.0], [0.0], [grades[0]], [False]
    s = v = 0.0
    segment = 0
    for i in range(1, n_max):
        if s >= total:
            break
        if s >= pause_at:
            distance += [s] * pause_s
            speed += [0.0] * pause_s
            grade += [grade[-1]] * pause_s
            paused += [True] * pause_s
            pause_at, v = np.inf, 0.0
        while s >= segments[segment][0]:
            segment += 1
        g = grades[min(int(s), len(grades) - 1)]
        if g > 0:
            factor = max(1.0 - slowdown * g, 0.4)
        else:
            factor = min(1.0 - 0.5 * slowdown * g, speed_cap)
        v += (segments[segment][1] * factor * (1.0 + noise[i]) - v) * SPEED_RESPONSE
        s = min(s + v, total)
        distance.append(s)
        speed.append(v)
        grade.append(g)
        paused.append(False)
    return Motion(np.array(distance), np.array(speed), np.array(grade), np.array(paused))


def lagged(target: np.ndarray, start: float, tau_s: float = HR_TAU_S) -> np.ndarray:
    """First-order response y' = (target - y) / tau at 1 Hz, starting from ``start``."""
    alpha = 1.0 - np.exp(-1.0 / tau_s)
    return lfilter([alpha], [1.0, alpha - 1.0], target, zi=[(1.0 - alpha) * start])[0]


def ramp(x: np.ndarray, start: float, end: float) -> np.ndarray:
    """0 before ``start``, 1 after ``end``, linear in between."""
    return np.clip((x - start) / (end - start), 0.0, 1.0)


def running_effort(
    athlete: Athlete, motion: Motion, drift_per_hour: float, fatigue: float = 0.0
) -> np.ndarray:
    """Steady-state heart rate of a run as a fraction of heart-rate reserve [-].

    ``lt_fraction * (v_eff / v_threshold) ** HR_SPEED_EXPONENT`` with the grade-adjusted speed
    ``v_eff = v * (1 + COST_PER_GRADE * grade)``, times ``1 + drift_per_hour * t`` (cardiac
    drift) and, on a fatigued run, times up to ``1 + fatigue`` over the second half.
    """
    hours = np.arange(motion.speed_m_s.size) / 3600.0
    effort = motion.speed_m_s * (1.0 + COST_PER_GRADE * motion.grade)
    reserve = athlete.lt_fraction * np.clip(effort / athlete.threshold_speed, 0.0, 1.3) ** (
        HR_SPEED_EXPONENT
    )
    drift = 1.0 + drift_per_hour * hours + fatigue * ramp(hours / hours[-1], 0.5, 0.95)
    return np.maximum(reserve, 0.15) * drift


def cycling_effort(motion: Motion, drift_per_hour: float) -> np.ndarray:
    """Steady-state heart rate of an endurance ride as a fraction of HR reserve [-]."""
    hours = np.arange(motion.speed_m_s.size) / 3600.0
    reserve = np.clip(0.48 + 4.0 * motion.grade, 0.25, 0.85)
    reserve = np.where(motion.speed_m_s < 1.0, 0.2, reserve)
    return reserve * (1.0 + drift_per_hour * hours)


def heart_rate(
    rng: np.random.Generator, athlete: Athlete, reserve: np.ndarray, start_bpm: float
) -> np.ndarray:
    """Recorded heart rate [1/min]: the effort's steady state, lagged and slightly noisy."""
    target = athlete.hr_rest + np.minimum(reserve, 1.0) * (athlete.hr_max - athlete.hr_rest)
    hr = lagged(target, start_bpm) + ar1(rng, reserve.size, 1.2, 0.9)
    return np.clip(hr, athlete.hr_rest, athlete.hr_max)


def running_cadence(
    rng: np.random.Generator, motion: Motion, fade: float = 0.0
) -> np.ndarray:
    """Step rate of a run [steps/min]: rises with speed, walking below :data:`WALK_SPEED`.

    ``fade`` is the fraction lost in the last third of a fatigued run (ramping in between
    55 % and 72 % of the duration), at whatever the speed.
    """
    v = motion.speed_m_s
    running = CADENCE_REF_SPM + CADENCE_PER_SPEED * (v - CADENCE_REF_SPEED) + 40.0 * motion.grade
    spm = np.where(v < WALK_SPEED, 100.0 + 10.0 * v, running)
    progress = np.arange(v.size) / max(v.size - 1, 1)
    spm *= 1.0 - fade * ramp(progress, 0.55, 0.72)
    spm += ar1(rng, v.size, 1.0, 0.8)
    return np.where(v < 0.5, 0.0, spm)


def cycling_cadence(rng: np.random.Generator, motion: Motion) -> np.ndarray:
    """Pedalling rate [1/min]: lower on climbs, coasting (0) on descents and when stopped."""
    rpm = 86.0 - 120.0 * motion.grade + ar1(rng, motion.speed_m_s.size, 2.0, 0.9)
    return np.where((motion.grade < -0.03) | (motion.speed_m_s < 1.0), 0.0, rpm)


def keytel_kcal(heart_rate_bpm: np.ndarray, weight_kg: float, age: float) -> float:
    """Energy expenditure of a woman from 1 Hz heart rate [kcal] (Keytel et al. 2005).

    kcal/min = (-20.4022 + 0.4472 HR - 0.1263 weight + 0.074 age) / 4.184, J Sports Sci
    23:289, doi:10.1080/02640410470001730089; floored at 1 kcal/min for very low heart rates.
    """
    per_min = (-20.4022 + 0.4472 * heart_rate_bpm - 0.1263 * weight_kg + 0.074 * age) / 4.184
    return float(np.maximum(per_min, 1.0).sum() / 60.0)


def gps_wander(rng: np.random.Generator, n: int, sigma_m: float = 3.0) -> tuple[np.ndarray, ...]:
    """Slowly wandering position error (east, north) of a filtered GPS fix [m]."""
    return ar1(rng, n, sigma_m, 0.995), ar1(rng, n, sigma_m, 0.995)


def respiration_rate(rng: np.random.Generator, reserve: np.ndarray) -> np.ndarray:
    """Breathing rate of a run [breaths/min]: rises with effort (fraction of heart-rate
    reserve), follows it through a 20 s lag, with a little noise."""
    target = RESPIRATION_REST + RESPIRATION_PER_RESERVE * np.minimum(reserve, 1.1)
    return lagged(target, RESPIRATION_REST, 20.0) + ar1(rng, reserve.size, 0.8, 0.95)


def running_dynamics(rng: np.random.Generator, motion: Motion, cadence_spm: np.ndarray,
                     fade: float = 0.0) -> dict[str, np.ndarray]:
    """Vertical oscillation [mm], ground contact time [ms], its balance [% left] and step
    length [mm] of a run, as a chest strap reports them: oscillation and contact time fall
    with speed; on a fatigued run both rise by ``2 * fade`` over the last third."""
    v = motion.speed_m_s
    progress = np.arange(v.size) / max(v.size - 1, 1)
    tired = 1.0 + 2.0 * fade * ramp(progress, 0.55, 0.72)
    oscillation = (84.0 - 6.0 * (v - CADENCE_REF_SPEED)) * tired + ar1(rng, v.size, 1.5, 0.9)
    contact = (262.0 - 45.0 * (v - CADENCE_REF_SPEED)) * tired + ar1(rng, v.size, 4.0, 0.9)
    balance = 50.4 + ar1(rng, v.size, 0.3, 0.99)
    with np.errstate(invalid="ignore", divide="ignore"):
        step = np.where(cadence_spm > 0, 60_000.0 * v / cadence_spm, np.nan)
    running = v >= WALK_SPEED
    return {name: np.where(running, values, np.nan) for name, values in (
        ("vertical_oscillation", oscillation), ("stance_time", contact),
        ("stance_time_balance", balance), ("step_length", step))}
