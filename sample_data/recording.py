"""Turn a planned :class:`~sample_data.plan.Session` into what a watch or phone records.

A :class:`Recording` holds 1 Hz (pool swims: per length) samples in physical units, the timer
pauses, the laps and, for swims, the lengths; the FIT and GPX writers only format it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

import numpy as np

from sample_data import physiology as phy
from sample_data import plan
from sample_data.plan import BODY_MASS_KG, PROFILE, TIME_ZONE, Session

#: Flat-ground target speeds [m/s].
EASY_SPEED = 2.86  # 5:50 /km
RECOVERY_SPEED = 2.70
LONG_SPEED = 2.78
JOG_SPEED = 2.60
WALK_BREAK_SPEED = 1.45  # walking breaks of the run-walk sessions
RIDE_SPEED = 7.6
#: Cycling: fraction of speed lost per unit grade (10 % per % of climb).
RIDE_GRADE_SLOWDOWN = 10.0
#: Barometric altitude of the gym with the treadmill [m].
GYM_ALTITUDE_M = 281.0
#: Tempo repetitions run at this fraction of threshold speed, 1.5 km each with 500 m jogs.
TEMPO_FRACTION = 0.98
#: Weeks whose watch runs carry running dynamics (she turned them on in the build).
DYNAMICS_WEEKS = range(9, 21)
#: Warm-up: the first metres at this fraction of the run's first speed (about 10 min).
WARMUP_M = 1300.0
WARMUP_FRACTION = 0.72
#: Long runs on which form fades: extra cardiac drift and the cadence fade [-].
FATIGUE_DRIFT = 0.20
CADENCE_FADE = 0.045
#: Cardiac drift of an ordinary run or ride, as relative %HRR growth per hour [1/h].
DRIFT_PER_HOUR = 0.03
#: Auto-lap distance per sport [m].
LAP_DISTANCE_M = {"running": 1000.0, "cycling": 5000.0}
POOL_LENGTH_M = 25.0
#: Route choice: random loops tried, and the accepted net climb to half distance [m].
ROUTE_TRIES = 20
HALFWAY_CLIMB_M = 3.0


@dataclass
class Length:
    """One pool length (or a rest, ``active=False``), times in seconds since the start."""

    start_s: int
    end_s: int
    strokes: int
    active: bool = True


@dataclass
class ExerciseSet:
    """One ``set`` of a strength workout, times in seconds since the start."""

    start_s: int
    duration_s: int
    category: str  # FIT exercise_category
    exercise: str  # FIT <category>_exercise_name
    reps: int | None = None
    weight_kg: float | None = None


@dataclass
class Recording:
    """One recorded activity in physical units.

    ``columns`` holds the signals the device recorded (absent keys were not recorded):
    distance [m], speed [m/s], altitude [m], lat/lon [deg], heart_rate [1/min], cadence
    [steps/min on foot, rpm on the bike, strokes/min in the pool].
    """

    session: Session
    start: dt.datetime  # UTC, time of the first record
    local_offset_s: int
    time_s: np.ndarray  # seconds since start of each record (gaps where the timer stopped)
    columns: dict[str, np.ndarray]
    calories_kcal: float
    pauses: list[tuple[int, int]] = field(default_factory=list)  # (stopped at, resumed at) [s]
    lap_starts: list[int] = field(default_factory=lambda: [0])  # start of each lap [s]
    lengths: list[Length] = field(default_factory=list)
    sets: list[ExerciseSet] = field(default_factory=list)  # active sets (rests between)

    @property
    def n(self) -> int:
        return int(self.time_s.size)


def start_utc(session: Session) -> tuple[dt.datetime, int]:
    """(UTC start, local - UTC offset [s]) of a session's local wall-clock start."""
    local = session.start_local.replace(tzinfo=zoneinfo.ZoneInfo(TIME_ZONE))
    offset = local.utcoffset() or dt.timedelta()
    return local.astimezone(dt.UTC), int(offset.total_seconds())


def run_segments(session: Session, athlete: phy.Athlete, form: float) -> list[tuple[float, float]]:
    """(end distance [m], flat target speed [m/s]) of a run, from its kind and distance; a
    warm-up (:data:`WARMUP_M` at :data:`WARMUP_FRACTION` of the first speed) first."""
    segments = _run_segments(session, athlete, form)
    if not session.warmup:
        return segments
    return [(WARMUP_M, WARMUP_FRACTION * segments[0][1])] + [
        (end, speed) for end, speed in segments if end > WARMUP_M]


def _run_segments(session: Session, athlete: phy.Athlete, form: float
                  ) -> list[tuple[float, float]]:
    total = session.amount * 1000.0
    pace = form * session.pace_factor
    if session.kind == "tempo":
        reps = 3 if total >= 9000 else 2
        rep_speed = TEMPO_FRACTION * athlete.threshold_speed
        segments, end = [(2500.0, EASY_SPEED * pace)], 2500.0
        for rep in range(reps):
            if rep:
                end += 500.0
                segments.append((end, JOG_SPEED))
            end += 1500.0
            segments.append((end, rep_speed))
        return segments + [(total, EASY_SPEED * pace)]
    if session.kind == "run_walk":
        segments, end = [], 0.0
        while end < total:
            end = min(end + 810.0, total)
            segments.append((end, RECOVERY_SPEED * pace))
            if end < total:
                end = min(end + 90.0, total)
                segments.append((end, WALK_BREAK_SPEED))
        return segments
    if session.kind == "treadmill":
        return [(1000.0, 2.70), (total, 2.90)]  # belt at 9.7 then 10.4 km/h
    speed = {"long": LONG_SPEED, "recovery": RECOVERY_SPEED}.get(session.kind, EASY_SPEED)
    return [(total, speed * pace)]


def _pauses(paused: np.ndarray) -> list[tuple[int, int]]:
    """(last second before, first second after) each stretch of ``paused``."""
    edges = np.diff(paused.astype(np.int8))
    stops = np.flatnonzero(edges == 1)
    resumes = np.flatnonzero(edges == -1) + 1
    return [(int(a), int(b)) for a, b in zip(stops, resumes, strict=True)]


def _lap_starts(time_s: np.ndarray, distance: np.ndarray, every_m: float) -> list[int]:
    """Times [s] at which an auto-lap of ``every_m`` metres starts (the first is 0)."""
    index = np.floor(distance / every_m)
    crossings = np.flatnonzero(np.diff(index) > 0) + 1
    return [0] + [int(time_s[i]) for i in crossings if i < distance.size - 1]


def _course(rng: np.random.Generator, length_m: float) -> tuple[np.ndarray, ...]:
    """A hilly loop from home: x, y, altitude and grade every metre.

    Of up to :data:`ROUTE_TRIES` random loops, the first that is back at the start altitude
    (within :data:`HALFWAY_CLIMB_M`) at half distance is kept - else the closest - so that
    neither half of a run is net downhill, as on the loops a runner picks for long runs.
    """
    best = None
    for _ in range(ROUTE_TRIES):
        x, y = phy.loop_route(rng, length_m)
        altitude = phy.terrain_altitude(x, y)
        climb = abs(altitude[altitude.size // 2] - altitude[0])
        if best is None or climb < best[0]:
            best = (climb, x, y, altitude)
        if climb <= HALFWAY_CLIMB_M:
            break
    _, x, y, altitude = best
    return x, y, altitude, phy.grade_along(altitude)


def _outdoor_columns(
    rng: np.random.Generator,
    motion: phy.Motion,
    course: tuple[np.ndarray, ...],
    phone: bool,
) -> dict[str, np.ndarray]:
    """Position with GPS wander and altitude (barometric on a watch, GPS on a phone)."""
    x, y, altitude, _ = course
    grid = np.arange(x.size, dtype=np.float64)
    n = motion.distance_m.size
    east, north = phy.gps_wander(rng, n, 4.0 if phone else 3.0)
    lat, lon = phy.to_lat_lon(
        np.interp(motion.distance_m, grid, x) + east,
        np.interp(motion.distance_m, grid, y) + north,
    )
    alt = np.interp(motion.distance_m, grid, altitude)
    if phone:
        alt = alt + phy.ar1(rng, n, 3.0, 0.995)
    else:
        alt = alt + rng.uniform(-4.0, 4.0) + phy.ar1(rng, n, 0.3, 0.98)
    return {"lat": lat, "lon": lon, "altitude": alt}


def _keep(columns: dict[str, np.ndarray], paused: np.ndarray) -> dict[str, np.ndarray]:
    return {name: values[~paused] for name, values in columns.items()}


def _kcal(session: Session, heart_rate: np.ndarray) -> float:
    age = session.day.year - int(PROFILE["birth_year"])
    return phy.keytel_kcal(heart_rate, BODY_MASS_KG, age)


def run(session: Session, athlete: phy.Athlete, rng: np.random.Generator) -> Recording:
    """A run outdoors (watch or phone, hilly loop) or on a treadmill, with one pause."""
    start, offset = start_utc(session)
    form = rng.normal(1.0, 0.015)
    segments = run_segments(session, athlete, form)
    total = segments[-1][0]
    indoor = session.kind == "treadmill"
    course = None if indoor else _course(rng, total)
    grade = np.zeros(int(total) + 2) if course is None else course[3]
    pause = (rng.uniform(0.3, 0.7) * total, int(rng.integers(15, 91)))
    motion = phy.move(rng, segments, grade, phy.RUN_GRADE_SLOWDOWN, pause)
    fatigue = FATIGUE_DRIFT if session.fatigued else 0.0
    effort = phy.running_effort(athlete, motion, DRIFT_PER_HOUR, fatigue)
    hr = phy.heart_rate(rng, athlete, effort, rng.uniform(85.0, 100.0))
    cadence = phy.running_cadence(rng, motion, CADENCE_FADE if session.fatigued else 0.0)
    n = motion.speed_m_s.size
    speed = np.maximum(motion.speed_m_s + rng.normal(0.0, 0.02, n), 0.0)
    columns = {"distance": motion.distance_m, "speed": speed, "heart_rate": hr,
               "cadence": cadence}
    if course is None:
        columns["altitude"] = GYM_ALTITUDE_M + phy.ar1(rng, n, 0.2, 0.98)
    else:
        columns |= _outdoor_columns(rng, motion, course, session.phone)
    if not session.strap:
        del columns["heart_rate"], columns["cadence"]
    elif not session.phone:  # the strap's breathing rate and running dynamics (drawn last)
        columns["respiration"] = phy.respiration_rate(rng, effort)
        if session.week in DYNAMICS_WEEKS:
            columns |= phy.running_dynamics(rng, motion, cadence,
                                            CADENCE_FADE if session.fatigued else 0.0)
    return _moving_recording(session, start, offset, columns, motion, hr, "running")


def _moving_recording(session: Session, start: dt.datetime, offset: int,
                      columns: dict[str, np.ndarray],
                      motion: phy.Motion, hr: np.ndarray, sport: str) -> Recording:
    """The recording of a session with pauses: samples while moving, auto-laps per distance."""
    kept = _keep(columns, motion.paused)
    time_s = np.flatnonzero(~motion.paused)
    return Recording(
        session, start, offset, time_s, kept,
        calories_kcal=_kcal(session, hr[~motion.paused]),
        pauses=_pauses(motion.paused),
        lap_starts=_lap_starts(time_s, kept["distance"], LAP_DISTANCE_M[sport]),
    )


def ride(session: Session, athlete: phy.Athlete, rng: np.random.Generator) -> Recording:
    """An endurance ride on the hilly loops, one stop at a traffic light."""
    start, offset = start_utc(session)
    total = session.amount * 60.0 * rng.uniform(6.6, 7.4)  # planned minutes x ~7 m/s
    course = _course(rng, total)
    pause = (rng.uniform(0.3, 0.7) * total, int(rng.integers(20, 61)))
    motion = phy.move(rng, [(total, RIDE_SPEED)], course[3], RIDE_GRADE_SLOWDOWN, pause, 1.6)
    effort = phy.cycling_effort(motion, DRIFT_PER_HOUR)
    hr = phy.heart_rate(rng, athlete, effort, rng.uniform(85.0, 95.0))
    n = motion.speed_m_s.size
    columns = {
        "distance": motion.distance_m,
        "speed": np.maximum(motion.speed_m_s + rng.normal(0.0, 0.05, n), 0.0),
        "heart_rate": hr,
        "cadence": phy.cycling_cadence(rng, motion),
        **_outdoor_columns(rng, motion, course, phone=False),
    }
    return _moving_recording(session, start, offset, columns, motion, hr, "cycling")


def swim_sets(total_m: float) -> list[tuple[float, float, int]]:
    """(distance [m], pace [s/100 m], rest after [s]): warm-up, n x 200 m, cool-down."""
    reps = int((total_m - 500.0) // 200.0)
    cool_down = total_m - 300.0 - 200.0 * reps
    return [(300.0, 135.0, 40)] + [(200.0, 120.0, 20)] * reps + [(cool_down, 140.0, 0)]


def swim(session: Session, athlete: phy.Athlete, rng: np.random.Generator) -> Recording:
    """A pool swim: one record per length, a lap per set, rests as idle lengths."""
    start, offset = start_utc(session)
    lengths: list[Length] = []
    lap_times = []
    t = 0
    for distance, pace, rest in swim_sets(session.amount * 1000.0):
        lap_times.append(t)
        for _ in range(round(distance / POOL_LENGTH_M)):
            duration = max(int(round(pace / 4 + rng.normal(0.0, 1.2))), 20)
            lengths.append(Length(t, t + duration, int(rng.integers(15, 19))))
            t += duration
        if rest:
            lengths.append(Length(t, t + rest, 0, active=False))
            t += rest
    effort = np.full(t + 1, 0.3)
    for length in lengths:
        if length.active:
            effort[length.start_s:length.end_s] = 0.62
    hr = phy.heart_rate(rng, athlete, effort, 80.0)
    active = [length for length in lengths if length.active]
    ends = np.array([0] + [length.end_s for length in active])
    durations = np.array([length.end_s - length.start_s for length in active], dtype=float)
    strokes = np.array([length.strokes for length in active], dtype=float)
    columns = {
        "distance": POOL_LENGTH_M * np.arange(ends.size, dtype=np.float64),
        "speed": np.concatenate([[0.0], POOL_LENGTH_M / durations]),
        "heart_rate": hr[ends],
        "cadence": np.concatenate([[0.0], 60.0 * strokes / durations]),
    }
    return Recording(
        session, start, offset, ends, columns,
        calories_kcal=_kcal(session, hr),
        lap_starts=lap_times,
        lengths=lengths,
    )


#: Strength and core workouts: (warm-up, set period, cool-down) [s] and the effort of a set
#: [fraction of HRR]; every set is :data:`SET_S` of work.
STRENGTH_TIMING = (300, 120, 300, 0.55)
CORE_TIMING = (150, 90, 120, 0.45)
SET_S = 40


def exercise_sets(session: Session, n: int) -> list[ExerciseSet]:
    """The sets of a strength or core workout of ``n`` seconds: the routine's exercises in
    order, each set at the next multiple of the set period after the warm-up."""
    warmup, period, cooldown, _ = CORE_TIMING if session.is_core else STRENGTH_TIMING
    routine = plan.CORE_ROUTINE if session.is_core else plan.STRENGTH_ROUTINE
    planned = [(category, name, reps) for category, name, reps, sets in routine
               for _ in range(sets)]
    starts = [s for s in range(0, n, period) if s > warmup and s + SET_S <= n - cooldown]
    return [
        ExerciseSet(start, SET_S, category, name, reps,
                    plan.ROW_WEIGHT_KG if name == "dumbbell_row" else None)
        for start, (category, name, reps) in zip(starts, planned, strict=False)
    ]


def studio(session: Session, athlete: phy.Athlete, rng: np.random.Generator) -> Recording:
    """Yoga (flows raise the heart rate a little), or strength and core workouts (40 s sets,
    the routines of :mod:`sample_data.plan`)."""
    start, offset = start_utc(session)
    n = int(session.amount * 60) + 1
    t = np.arange(n)
    sets = []
    if session.kind == "yoga":
        flow = (t % 600 < 240) & (t < n - 600)  # sun salutations, a calm last 10 minutes
        effort = 0.16 + 0.12 * flow + phy.ar1(rng, n, 0.02, 0.995)
    else:
        sets = exercise_sets(session, n)
        working = np.zeros(n, dtype=bool)
        for one in sets:
            working[one.start_s:one.start_s + one.duration_s] = True
        hard = (CORE_TIMING if session.is_core else STRENGTH_TIMING)[3]
        effort = np.where(working, hard, 0.25)
    hr = phy.heart_rate(rng, athlete, effort, 75.0)
    return Recording(
        session, start, offset, t, {"heart_rate": hr},
        calories_kcal=_kcal(session, hr), sets=sets,
    )


BUILDERS = {"running": run, "cycling": ride, "swimming": swim, "training": studio}


def record(session: Session, athlete: phy.Athlete, rng: np.random.Generator) -> Recording:
    """The recording of one session, built by the model of its sport."""
    return BUILDERS[session.sport](session, athlete, rng)
