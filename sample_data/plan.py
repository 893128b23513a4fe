"""The story of the sample history: 20 weeks of sessions, the pain journal and session RPE.

Weeks are ISO weeks (Monday to Sunday) numbered 1-20 from Monday :data:`FIRST_MONDAY`:

====== =============== ===============================================================
weeks  phase           what happens
====== =============== ===============================================================
1-8    base            ~30 km/week: easy, tempo, recovery and a long run of 11-13 km
9-11   build           35 -> 37 -> 42 km, long run up to 16 km (week 11: form fades)
12     spike           59 km (+40 %), long run of 21 km = 131 % of the 30-day longest
13     pain            upper-back pain rises from 2 to 5; two short runs, one cut short
14     cross-training  no running: pool swims, rides, yoga and strength
15-17  return          run-walk, then short easy runs, back to ~27 km
18-20  rebuilt base    30-32 km/week, pain back to 0-1
====== =============== ===============================================================

Her levers (:data:`GEAR`, :func:`gear_of`, :func:`bodywork_sessions`, :func:`bodywork_rows`):
a worn pair of shoes that passes its retirement distance in the build while a new pair joins
for the tempo and recovery runs (the worn pair stays in use on the treadmill); a hydration
vest on the long runs of the build and spike weeks; core work (watch, with ``set`` messages)
and mobility work (logged by hand) twice a week in the base, dropped in the build, taken up
again in the return. The body work draws from its
own random generator, so the runs, journal and RPE do not change with it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

FIRST_MONDAY = dt.date(2026, 6, 1)
WEEKS = 20
TIME_ZONE = "Europe/Berlin"
PAIN_AREA = "upper-back"

#: The athlete profile the demo loads (field names of ``analytics.athlete.AthleteProfile``).
PROFILE: dict[str, object] = {
    "sex": "female",
    "birth_year": 1988,
    "hr_rest": 48,
    "hr_max": 189,
    "lthr": 171,
    "threshold_pace_s_per_km": 285,
    "time_zone": TIME_ZONE,
}
#: Body mass, only used for the calories the watch writes [kg].
BODY_MASS_KG = 58.0

PHASES: dict[str, range] = {
    "base": range(1, 9),
    "build": range(9, 12),
    "spike": range(12, 13),
    "pain": range(13, 14),
    "cross_training": range(14, 15),
    "return": range(15, 18),
    "rebuilt_base": range(18, 21),
}
SPIKE_WEEK = 12
CROSS_TRAINING_WEEK = 14

RUN_KINDS = frozenset({"easy", "recovery", "tempo", "long", "run_walk", "treadmill"})
#: Session kind -> (FIT sport, FIT sub-sport).
SPORTS: dict[str, tuple[str, str]] = {
    **{kind: ("running", "generic") for kind in RUN_KINDS - {"treadmill"}},
    "treadmill": ("running", "treadmill"),
    "ride": ("cycling", "road"),
    "swim": ("swimming", "lap_swimming"),
    "yoga": ("training", "yoga"),
    "strength": ("training", "strength_training"),
    "core": ("training", "strength_training"),
}

# (week, weekday 0 = Monday, kind, km for runs and swims / minutes otherwise)
SCHEDULE: tuple[tuple[int, int, str, float], ...] = (
    (1, 1, "easy", 7), (1, 3, "tempo", 8), (1, 5, "recovery", 5), (1, 6, "long", 11),
    (2, 1, "easy", 7), (2, 2, "ride", 60), (2, 3, "tempo", 8), (2, 6, "long", 12),
    (3, 1, "easy", 7), (3, 3, "tempo", 8), (3, 4, "yoga", 45), (3, 5, "recovery", 5),
    (3, 6, "long", 12),
    (4, 1, "easy", 7), (4, 3, "tempo", 8), (4, 5, "treadmill", 5), (4, 6, "long", 12),
    (5, 1, "easy", 7), (5, 3, "tempo", 8), (5, 6, "long", 13),
    (6, 1, "easy", 7), (6, 2, "ride", 60), (6, 3, "tempo", 8), (6, 5, "recovery", 5),
    (6, 6, "long", 12),
    (7, 1, "easy", 7), (7, 3, "tempo", 8), (7, 4, "yoga", 45), (7, 5, "recovery", 5),
    (7, 6, "long", 13),
    (8, 1, "easy", 7), (8, 3, "tempo", 8), (8, 5, "recovery", 5), (8, 6, "long", 13),
    (9, 1, "easy", 7.5), (9, 3, "tempo", 8), (9, 5, "recovery", 5), (9, 6, "long", 14),
    (10, 1, "easy", 8), (10, 3, "tempo", 8.5), (10, 5, "recovery", 5), (10, 6, "long", 15),
    (11, 1, "easy", 8), (11, 2, "recovery", 5), (11, 3, "tempo", 9), (11, 5, "recovery", 4),
    (11, 6, "long", 16),
    (12, 0, "easy", 7), (12, 1, "tempo", 9), (12, 2, "easy", 7), (12, 3, "easy", 10),
    (12, 5, "recovery", 5), (12, 6, "long", 21),
    (13, 1, "easy", 6), (13, 3, "easy", 4.2),
    (14, 0, "swim", 1.5), (14, 1, "yoga", 45), (14, 2, "ride", 60), (14, 3, "swim", 1.8),
    (14, 4, "strength", 40), (14, 5, "ride", 60), (14, 6, "yoga", 40),
    (15, 1, "run_walk", 4), (15, 3, "run_walk", 5), (15, 5, "swim", 1.5), (15, 6, "easy", 5),
    (16, 1, "easy", 5), (16, 2, "treadmill", 6), (16, 4, "yoga", 45), (16, 6, "easy", 7),
    (17, 1, "easy", 6), (17, 3, "easy", 7), (17, 5, "recovery", 5), (17, 6, "long", 9),
    (18, 1, "easy", 7), (18, 2, "ride", 60), (18, 3, "tempo", 8), (18, 5, "recovery", 5),
    (18, 6, "long", 10),
    (19, 1, "easy", 7), (19, 3, "tempo", 8), (19, 4, "strength", 40), (19, 5, "recovery", 5),
    (19, 6, "long", 11),
    (20, 1, "easy", 7), (20, 3, "tempo", 8), (20, 5, "treadmill", 5), (20, 6, "long", 12),
)
#: Runs recorded with a phone app (GPX) instead of the watch: (week, weekday) -> strap worn.
PHONE_RUNS: dict[tuple[int, int], bool] = {
    (3, 5): True, (5, 1): False, (7, 5): True, (10, 5): True, (16, 6): True, (18, 5): True,
}
#: Long runs on which form fades: cadence -4 % in the last third, heart rate drifts up.
FATIGUED_RUNS = frozenset({(11, 6), (12, 6)})
#: Runs that start with about 10 minutes of slow jogging - except in the weeks she skips it.
WARMUP_KINDS = frozenset({"easy", "tempo"})
SKIPPED_WARMUP_WEEKS = frozenset(range(9, 14))
#: Runs done slowly because of back pain (week, weekday) -> speed factor.
PAINFUL_RUNS: dict[tuple[int, int], float] = {(13, 1): 0.93, (13, 3): 0.9}

# Pain journal of weeks 11-17, one level per day (Mon..Sun), the story's core.
STORY_PAIN: dict[int, tuple[int, ...]] = {
    11: (1, 1, 2, 1, 2, 1, 2),
    12: (2, 1, 2, 1, 2, 1, 2),
    13: (3, 3, 4, 5, 5, 4, 4),
    14: (4, 3, 3, 3, 2, 3, 2),
    15: (2, 2, 2, 2, 1, 2, 1),
    16: (1, 2, 1, 1, 1, 1, 1),
    17: (1, 1, 0, 1, 1, 1, 0),
}
STORY_NOTES: dict[tuple[int, int], str] = {
    (11, 6): "ache between the shoulder blades in the last 5 km",
    (12, 6): "upper back aching from km 15, shoulders tense",
    (13, 0): "stiff upper back all day",
    (13, 1): "pain between the shoulder blades while running, cut the run short",
    (13, 2): "hurts when turning, slept badly",
    (13, 3): "stopped after 4 km, sharp pain between the shoulder blades",
    (13, 4): "constant ache at the desk",
    (14, 0): "swimming felt fine",
    (14, 2): "cycling ok, a bit stiff after",
    (15, 1): "run-walk, no pain while running",
    (16, 6): "first 7 km, pain-free",
}
#: Days on which the story's pain peaks (level 5).
PEAK_PAIN = ((13, 3), (13, 4))
RUN_DURING_PAIN = frozenset({(11, 6), (12, 6), (13, 1), (13, 3)})
NOTES = {
    0: ("", "no pain", "fine"),
    1: ("slightly stiff between the shoulder blades", "a bit tight in the upper back", ""),
    2: ("upper back tight after the long run", "stiff upper back in the morning"),
    3: ("aching between the shoulder blades",),
    4: ("upper back sore most of the day",),
}
#: Typical session RPE (CR-10) per kind; long runs depend on distance (see :func:`rpe_for`).
RPE_BY_KIND = {
    "easy": 3, "recovery": 2, "tempo": 6, "run_walk": 3, "treadmill": 4, "ride": 4, "swim": 4,
    "yoga": 2, "strength": 5, "core": 3,
}

# -- her levers: gear and body work ------------------------------------------------------------
SHOES_WORN = "Brooks Ghost 15"
SHOES_NEW = "Nike Pegasus 41"
VEST = "Salomon ADV Skin 5 hydration vest"
#: The gear the demo adds (fields of ``strideload gear add``; ``retired`` after the history).
GEAR: tuple[dict[str, object], ...] = (
    {"name": SHOES_WORN, "kind": "shoes", "since": "2026-02-14", "initial_km": 430,
     "default_for": None, "retired": False,
     "note": "430 km on them before this history; kept for the treadmill"},
    {"name": SHOES_NEW, "kind": "shoes", "since": "2026-07-25", "initial_km": 0,
     "default_for": "running", "retired": False, "note": "bought for the build"},
    {"name": VEST, "kind": "pack", "since": "2026-06-13", "initial_km": 0, "default_for": None,
     "retired": False, "note": "for the long runs; in the build also for the medium runs"},
)
#: Weeks with the vest on the long runs; in the build and spike also on runs of 8 km or more.
VEST_WEEKS = (*range(3, 13), *range(18, 21))
VEST_MEDIUM_KM = 8.0
#: Weeks with body work (none in a busy fortnight of the base, in the build, spike, pain and
#: cross-training weeks, nor in a fortnight of the return).
BODYWORK_WEEKS = (1, 2, 4, 5, 7, 8, 15, 16, 19, 20)
CORE_WEEKDAY = 0  # Monday evening: the core routine
MOBILITY_WEEKDAY = 3  # Thursday evening: the mobility routine, always logged by hand
#: Weeks whose core routine she logged by hand (the watch stayed at home).
CORE_BY_HAND_WEEKS = (16, 20)
CORE_MINUTES = 20
#: The routines: (FIT exercise category, FIT exercise name, repetitions or None when held,
#: sets); every set is 40 s of work.
CORE_ROUTINE = (("plank", "plank", None, 2), ("plank", "side_plank", None, 2),
                ("hip_raise", "hip_raise", 12, 2), ("hip_stability", "dead_bug", 10, 2),
                ("warm_up", "opposite_arm_and_leg_balance", 10, 2))
STRENGTH_ROUTINE = (("squat", "squat", 12, 3), ("lunge", "lunge", 10, 3),
                    ("push_up", "push_up", 10, 3), ("row", "dumbbell_row", 12, 3),
                    ("plank", "plank", None, 3))
#: Dumbbell of the strength routine's rows [kg].
ROW_WEIGHT_KG = 8.0
#: Hand-logged routines: exercises as ``strideload bodywork add --exercise`` takes them.
MOBILITY_BY_HAND = ("cat-cow:3", "thoracic extension on a foam roller:4", "child's pose:3",
                    "thread the needle:3", "doorway chest stretch:2")
CORE_BY_HAND = ("plank:3", "side plank:2", "bridge:3x12", "dead bug:3x10", "bird-dog:3x10")


@dataclass(frozen=True)
class Session:
    """One training session as the runner did it."""

    week: int
    weekday: int
    kind: str
    amount: float  # km (runs, swims) or minutes (rides, yoga, strength)
    start_local: dt.datetime  # naive local wall-clock time
    phone: bool = False  # recorded as GPX by a phone app
    strap: bool = True  # heart-rate strap worn (also gives cadence in GPX)
    fatigued: bool = False
    pace_factor: float = 1.0
    warmup: bool = False  # starts with about 10 minutes of slow jogging

    @property
    def day(self) -> dt.date:
        return self.start_local.date()

    @property
    def sport(self) -> str:
        return SPORTS[self.kind][0]

    @property
    def sub_sport(self) -> str:
        return SPORTS[self.kind][1]

    @property
    def is_run(self) -> bool:
        return self.kind in RUN_KINDS

    @property
    def is_core(self) -> bool:
        return self.kind == "core"

    @property
    def file_name(self) -> str:
        """``YYYY-MM-DD-HHMM-<kind>.fit.gz`` (``.gpx.gz`` for phone recordings)."""
        label = "run" if self.kind in RUN_KINDS - {"treadmill"} else self.kind
        suffix = "gpx" if self.phone else "fit"
        return f"{self.start_local:%Y-%m-%d-%H%M}-{label}.{suffix}.gz"


def week_monday(week: int) -> dt.date:
    """Monday of sample week ``week`` (1-based)."""
    return FIRST_MONDAY + dt.timedelta(weeks=week - 1)


def day_of(week: int, weekday: int) -> dt.date:
    return week_monday(week) + dt.timedelta(days=weekday)


def phase_of(week: int) -> str:
    return next(name for name, weeks in PHASES.items() if week in weeks)


def _start_time(rng: random.Random, kind: str, weekday: int) -> dt.time:
    """Morning runs on weekdays, later on weekends; cross-training in the evening."""
    if kind in ("swim", "yoga", "strength", "core") or (kind == "ride" and weekday < 5):
        minutes = rng.randrange(17 * 60 + 30, 19 * 60 + 15)
    elif weekday >= 5:
        minutes = rng.randrange(8 * 60, 9 * 60 + 45)
    else:
        minutes = rng.randrange(6 * 60, 7 * 60 + 20)
    return dt.time(minutes // 60, minutes % 60)


def sessions(rng: random.Random) -> list[Session]:
    """The 20 weeks of sessions, in time order."""
    out = []
    for week, weekday, kind, amount in SCHEDULE:
        key = (week, weekday)
        when = dt.datetime.combine(day_of(week, weekday), _start_time(rng, kind, weekday))
        if kind in RUN_KINDS and key not in PAINFUL_RUNS:
            amount += round(rng.uniform(0.0, 0.12), 2)  # runners overshoot round numbers
        out.append(
            Session(
                week, weekday, kind, amount, when,
                phone=key in PHONE_RUNS,
                strap=PHONE_RUNS.get(key, True),
                fatigued=key in FATIGUED_RUNS,
                pace_factor=PAINFUL_RUNS.get(key, 1.0),
                warmup=kind in WARMUP_KINDS and week not in SKIPPED_WARMUP_WEEKS,
            )
        )
    return out


def rpe_for(session: Session) -> int:
    """Session RPE (CR-10) the runner would give this session."""
    if session.kind == "long":
        return 4 if session.amount < 12.5 else 5 if session.amount < 15.5 else 6 if (
            session.amount < 19.5) else 8
    if session.pace_factor < 1.0:
        return 6
    return RPE_BY_KIND[session.kind]


def rpe_rows(rng: random.Random, plan: list[Session]) -> list[tuple[str, int]]:
    """(file name, RPE) for most sessions: about one in eight ordinary ones goes unrated."""
    rows = []
    for session in plan:
        key = (session.week, session.weekday)
        story = session.fatigued or key in PAINFUL_RUNS
        if story or rng.random() > 0.12:
            rows.append((session.file_name, rpe_for(session)))
    return rows


def pain_rows(rng: random.Random, plan: list[Session]) -> list[tuple[str, str, int, bool, str]]:
    """The pain journal: (date, area, level 0-10, pain during a run, note).

    In the story weeks (:data:`STORY_PAIN`) the runner logs every day; otherwise on most days,
    and the upper back is more often stiff the day after a long or hard run, so pain follows
    the previous day's load (a weak, realistic association). Her levers show too: the day
    after a run with the vest it is one point stiffer, and so it is after 7 days without body
    work - at most 2 before the spike week, and at most 1 in the rebuilt base.
    """
    km_by_day: dict[dt.date, float] = {}
    for session in plan:
        if session.is_run:
            km_by_day[session.day] = km_by_day.get(session.day, 0.0) + session.amount
    vest_days = {s.day for s in plan if wears_vest(s)}
    body_days = bodywork_days(plan)
    rows = []
    for week in range(1, WEEKS + 1):
        for weekday in range(7):
            day = day_of(week, weekday)
            km_before = km_by_day.get(day - dt.timedelta(days=1), 0.0)
            if week in STORY_PAIN:
                level = STORY_PAIN[week][weekday]
            elif rng.random() > (0.7 if week < 9 else 0.8):
                continue
            elif week < 9 or week >= 18:
                level = int(rng.random() < (0.8 if km_before >= 10 else 0.4 if km_before >= 7.5
                                            else 0.1))
            else:
                level = 1 + int(km_before >= 10 and rng.random() < 0.6)
            if week not in STORY_PAIN:
                without_body_work = not any(day - dt.timedelta(days=k) in body_days
                                            for k in range(7))
                after_vest = day - dt.timedelta(days=1) in vest_days
                level = min(level + without_body_work + after_vest,
                            2 if week < PHASES["rebuilt_base"][0] else 1)
            note = STORY_NOTES.get((week, weekday))
            if note is None:
                note = rng.choice(NOTES.get(level, ("",)))
            during = (week, weekday) in RUN_DURING_PAIN and day in km_by_day
            rows.append((day.isoformat(), PAIN_AREA, level, during, note))
    return rows


def wears_vest(session: Session) -> bool:
    """The vest on the long runs of weeks 3-12 and 18-20 and, in the build and spike weeks, on
    runs of 8 km or more."""
    busy = session.week in (*PHASES["build"], *PHASES["spike"])
    return session.is_run and session.week in VEST_WEEKS and (
        session.kind == "long" or (busy and session.amount >= VEST_MEDIUM_KM))


def gear_of(session: Session) -> list[str]:
    """The gear of a run: the worn shoes until the new pair takes the tempo and recovery runs
    of the build and, from the return on, every run but the treadmill's; the vest
    (:func:`wears_vest`)."""
    if not session.is_run:
        return []
    new = session.kind != "treadmill" and (session.week >= 15 or (
        session.week >= 9 and session.kind in ("tempo", "recovery")))
    out = [SHOES_NEW if new else SHOES_WORN]
    if wears_vest(session):
        out.append(VEST)
    return out


def bodywork_days(plan: list[Session]) -> set[dt.date]:
    """Days with body work: the core and mobility routines, yoga and strength sessions."""
    days = {day_of(week, weekday) for week in BODYWORK_WEEKS
            for weekday in (CORE_WEEKDAY, MOBILITY_WEEKDAY)}
    return days | {s.day for s in plan if s.kind in ("yoga", "strength")}


def bodywork_sessions(rng: random.Random) -> list[Session]:
    """The core routines recorded with the watch (FIT strength workouts), in time order."""
    out = []
    for week in BODYWORK_WEEKS:
        if week in CORE_BY_HAND_WEEKS:
            continue
        when = dt.datetime.combine(day_of(week, CORE_WEEKDAY),
                                   _start_time(rng, "core", CORE_WEEKDAY))
        out.append(Session(week, CORE_WEEKDAY, "core", CORE_MINUTES, when))
    return out


def bodywork_rows() -> list[tuple[str, str, int, str, str]]:
    """The sessions logged by hand: (date, category, minutes, exercises joined by '; ', note)."""
    rows = []
    for week in BODYWORK_WEEKS:
        if week in CORE_BY_HAND_WEEKS:
            rows.append((day_of(week, CORE_WEEKDAY).isoformat(), "core", CORE_MINUTES,
                         "; ".join(CORE_BY_HAND), "core routine, watch left at home"))
        rows.append((day_of(week, MOBILITY_WEEKDAY).isoformat(), "mobility", 15,
                     "; ".join(MOBILITY_BY_HAND), "evening mobility"))
    return sorted(rows)


def bodywork_rpe_rows(rng: random.Random, sessions: list[Session]) -> list[tuple[str, int]]:
    """(file name, RPE) of the watch's core routines; about one in five goes unrated."""
    return [(s.file_name, RPE_BY_KIND["core"]) for s in sessions if rng.random() > 0.2]
