"""Body work (strength, core, mobility, yoga): exercises, categories and what FIT files say.

A body-work session is either a FIT activity of a body-work sport (:func:`fit_category`) with
the exercises of its ``set`` messages (:func:`exercises_from_sets`), or a session logged by
hand: a date, minutes, a note and exercises written ``NAME``, ``NAME:SETSxREPS`` or
``NAME:MIN`` (:func:`parse_exercise`). Every exercise has a category, ``core``, ``mobility`` or
``strength``; a session's category is the one most of its exercises have (ties: the first).

Exercise values: ``sets`` (count), ``reps`` (repetitions per set; FIT sets of one exercise with
different counts give their rounded mean), ``duration_s`` (total time of all sets) [s],
``weight_kg`` (heaviest set) [kg]. Pure functions; storing is :mod:`ingest.bodywork_store`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

CATEGORIES = ("core", "mobility", "strength")

#: The exercise list offered on the Today page and accepted by name (category of each).
EXERCISES: dict[str, str] = {
    "plank": "core",
    "side plank": "core",
    "bridge": "core",
    "russian twist": "core",
    "bird-dog": "core",
    "dead bug": "core",
    "cat-cow": "mobility",
    "thoracic extension on a foam roller": "mobility",
    "child's pose": "mobility",
    "thread the needle": "mobility",
    "doorway chest stretch": "mobility",
    "band pull-apart": "strength",
    "push-up": "strength",
    "squat": "strength",
    "lunge": "strength",
    "row": "strength",
}
#: Other spellings of the listed exercises (lower case, spaces for hyphens and underscores).
ALIASES: dict[str, str] = {
    "planks": "plank", "side planks": "side plank", "glute bridge": "bridge",
    "hip raise": "bridge", "bird dog": "bird-dog", "birddog": "bird-dog",
    "cat cow": "cat-cow", "cat camel": "cat-cow", "thoracic extension": (
        "thoracic extension on a foam roller"),
    "foam roller thoracic extension": "thoracic extension on a foam roller",
    "childs pose": "child's pose", "doorway stretch": "doorway chest stretch",
    "chest stretch": "doorway chest stretch", "band pull apart": "band pull-apart",
    "push up": "push-up", "pushup": "push-up",
}
#: FIT exercise (category, name) -> the listed exercise it is.
FIT_EXERCISES: dict[tuple[str, str], str] = {
    ("plank", "plank"): "plank",
    ("plank", "side_plank"): "side plank",
    ("hip_raise", "hip_raise"): "bridge",
    ("hip_stability", "dead_bug"): "dead bug",
    ("warm_up", "cat_camel"): "cat-cow",
    ("warm_up", "opposite_arm_and_leg_balance"): "bird-dog",
    ("core", "elevated_feet_russian_twist"): "russian twist",
    ("push_up", "push_up"): "push-up",
    ("squat", "squat"): "squat",
}
#: FIT exercise categories (profile type ``exercise_category``) that train the trunk.
FIT_CORE_CATEGORIES = frozenset({"core", "crunch", "plank", "sit_up", "hip_raise",
                                 "hip_stability", "leg_raise", "chop"})
FIT_MOBILITY_CATEGORIES = frozenset({"warm_up"})
#: FIT sports whose body-work sub-sports are listed in :data:`FIT_SUB_SPORTS`.
FIT_SPORTS = frozenset({"training", "fitness_equipment"})
#: FIT sub-sport -> body-work category (strength sessions: from their exercises, if any).
FIT_SUB_SPORTS: dict[str, str] = {
    "strength_training": "strength",
    "yoga": "mobility",
    "pilates": "core",
    "breathing": "mobility",
    "flexibility_training": "mobility",
}
#: Sub-sport of a hand-logged session of each category, for its load (strength or mobility).
SUB_SPORT_OF_CATEGORY = {"core": "strength_training", "strength": "strength_training",
                         "mobility": "flexibility_training"}
#: Longest plausible session [min] and values of one exercise.
MAX_MINUTES = 600
MAX_SETS = 50
MAX_REPS = 1000

_SPEC = re.compile(r"^\s*(?P<name>[^:]+?)\s*(?::\s*(?P<amount>[^:]*?)\s*)?$")
_SETS_REPS = re.compile(r"^(\d+)\s*[xX]\s*(\d+)$")


class BodyworkError(ValueError):
    """A body-work value that cannot be stored, with a message naming the problem."""


@dataclass(frozen=True)
class Exercise:
    """One exercise of a session (see the module docstring for the units)."""

    name: str
    category: str
    sets: int | None = None
    reps: int | None = None
    duration_s: float | None = None
    weight_kg: float | None = None

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "category": self.category, "sets": self.sets,
                "reps": self.reps, "duration_s": self.duration_s, "weight_kg": self.weight_kg}


def canonical_name(name: str) -> str:
    """The listed exercise ``name`` means (any case, hyphens or spaces), else ``name`` as typed
    (free text, stripped)."""
    key = re.sub(r"[\s_\-]+", " ", name.strip().lower().replace("\u2019", "'"))
    for listed in EXERCISES:
        if key == re.sub(r"[\s_\-]+", " ", listed):
            return listed
    return ALIASES.get(key, name.strip())


def parse_exercise(spec: str, default_category: str = "strength") -> Exercise:
    """An exercise from ``NAME``, ``NAME:SETSxREPS`` (e.g. ``plank:3x10``) or ``NAME:MIN``.

    Listed exercises get their category; free text gets ``default_category``.
    """
    match = _SPEC.match(spec or "")
    if not match or not match["name"].strip():
        raise BodyworkError(f"exercise must be NAME, NAME:SETSxREPS or NAME:MIN, got {spec!r}")
    name = canonical_name(match["name"])
    if len(name) > 80:
        raise BodyworkError(f"exercise name is too long (80 characters at most): {name[:20]}...")
    category = EXERCISES.get(name, default_category)
    amount = match["amount"]
    if amount is None:
        return Exercise(name, category)
    if sets_reps := _SETS_REPS.match(amount):
        sets, reps = int(sets_reps[1]), int(sets_reps[2])
        if not (1 <= sets <= MAX_SETS and 1 <= reps <= MAX_REPS):
            raise BodyworkError(f"{name}: sets must be 1-{MAX_SETS} and reps 1-{MAX_REPS}, "
                                f"got {amount!r}")
        return Exercise(name, category, sets=sets, reps=reps)
    try:
        minutes = float(amount)
    except ValueError as exc:
        raise BodyworkError(f"{name}: expected SETSxREPS (e.g. 3x10) or minutes after ':', "
                            f"got {amount!r}") from exc
    if not 0 < minutes <= MAX_MINUTES:
        raise BodyworkError(f"{name}: minutes must be more than 0 and at most {MAX_MINUTES}, "
                            f"got {amount!r}")
    return Exercise(name, category, duration_s=round(minutes * 60.0, 1))


def session_category(exercises: Sequence[Exercise], default: str = "strength") -> str:
    """The category most exercises have (ties: the one that comes first), else ``default``."""
    counts: dict[str, int] = {}
    for exercise in exercises:
        counts[exercise.category] = counts.get(exercise.category, 0) + 1
    return max(counts, key=lambda c: counts[c]) if counts else default


def session_minutes(exercises: Sequence[Exercise], minutes: float | None) -> float:
    """``minutes`` when given, else the sum of the exercises' durations (all must have one)."""
    if minutes is not None:
        if not 0 < minutes <= MAX_MINUTES:
            raise BodyworkError(f"minutes must be more than 0 and at most {MAX_MINUTES}, "
                                f"got {minutes:g}")
        return float(minutes)
    timed = [e.duration_s for e in exercises if e.duration_s is not None]
    if not timed or len(timed) < len(exercises):
        raise BodyworkError("say how long the session took: --minutes N, or minutes for every "
                            "exercise (NAME:MIN)")
    return round(sum(timed) / 60.0, 1)


def check_category(category: str) -> str:
    if category not in CATEGORIES:
        raise BodyworkError(f"category must be one of {', '.join(CATEGORIES)}, got {category!r}")
    return category


# -- FIT ----------------------------------------------------------------------------------------
def is_bodywork(sport: str | None, sub_sport: str | None, has_exercises: bool = False) -> bool:
    """Whether an activity is body work: a body-work sub-sport of training or fitness equipment,
    or a training activity with exercise sets."""
    return sport in FIT_SPORTS and (sub_sport in FIT_SUB_SPORTS or (
        sport == "training" and has_exercises))


def fit_category(sub_sport: str | None, exercises: Sequence[Exercise]) -> str:
    """Category of a FIT body-work session: strength sessions (or none given) by their
    exercises, the other sub-sports by :data:`FIT_SUB_SPORTS`."""
    fixed = FIT_SUB_SPORTS.get(sub_sport or "", "strength")
    return session_category(exercises, fixed) if fixed == "strength" else fixed


def _fit_names(category: Any, subtype: Any) -> tuple[str | None, str | None]:
    """(category name, exercise name) of FIT ``set`` values (names, numbers or 1-tuples)."""
    from fitparse.profile import FIELD_TYPES

    def first(value: Any) -> Any:
        if isinstance(value, tuple | list):
            return next((v for v in value if v is not None), None)
        return value

    category, subtype = first(category), first(subtype)
    if isinstance(category, int):
        category = FIELD_TYPES["exercise_category"].values.get(category)
    if not isinstance(category, str) or category == "unknown":
        return None, None
    names = FIELD_TYPES.get(f"{category}_exercise_name")
    exercise = names.values.get(subtype) if names is not None and isinstance(subtype, int) \
        else None
    return category, exercise


def _fit_exercise(category: str | None, exercise: str | None) -> tuple[str, str]:
    """(name, our category) of a FIT exercise."""
    if category is None:
        return "exercise", "strength"
    listed = FIT_EXERCISES.get((category, exercise or category))
    if listed is not None:
        return listed, EXERCISES[listed]
    ours = ("core" if category in FIT_CORE_CATEGORIES
            else "mobility" if category in FIT_MOBILITY_CATEGORIES else "strength")
    return (exercise or category).replace("_", " "), ours


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


def exercises_from_sets(sets: Iterable[Mapping[str, Any]]) -> list[Exercise]:
    """Exercises of the FIT ``set`` messages of one session, in file order.

    Rest sets are skipped; consecutive active sets of one exercise become one
    :class:`Exercise` (FIT profile: ``duration`` [s], ``repetitions``, ``weight`` [kg],
    ``category`` and ``category_subtype``).
    """
    out: list[Exercise] = []
    group: list[Mapping[str, Any]] = []
    key: tuple[str, str] | None = None

    def flush() -> None:
        if not group or key is None:
            return
        name, category = key
        reps = [r for g in group if (r := _number(g.get("repetitions"))) is not None]
        durations = [d for g in group if (d := _number(g.get("duration"))) is not None]
        weights = [w for g in group if (w := _number(g.get("weight"))) is not None]
        out.append(Exercise(
            name, category, sets=len(group),
            reps=round(sum(reps) / len(reps)) if reps else None,
            duration_s=round(sum(durations), 1) if durations else None,
            weight_kg=max(weights) if weights else None,
        ))

    for row in sets:
        if row.get("set_type") in ("rest", 0):
            continue
        this = _fit_exercise(*_fit_names(row.get("category"), row.get("category_subtype")))
        if this != key:
            flush()
            group, key = [], this
        group.append(row)
    flush()
    return out
