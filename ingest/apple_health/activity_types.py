"""Apple's workout activity types -> the sport and sub-sport names of the FIT profile.

Using FIT names puts an Apple Watch workout where a Garmin one of the same kind goes: runs
(``HKIndoorWorkout`` = 1 makes a run a ``treadmill`` run, whose surface is then treadmill),
rides, swims (``HKSwimmingLocationType`` 1 pool, 2 open water), strength, yoga and Pilates as
``training`` sub-sports (the body-work log, :func:`ingest.bodywork.is_bodywork`), HIIT as
``hiit`` (FIT SDK 21). A type not in :data:`ACTIVITY_TYPES` becomes its name in snake case
(``TableTennis`` -> ``table_tennis``): cross-training of that name.
"""

from __future__ import annotations

import re

from ingest.apple_health.values import WORKOUT_PREFIX

#: Apple type (without :data:`WORKOUT_PREFIX`) -> (sport, sub-sport, indoor sub-sport).
ACTIVITY_TYPES: dict[str, tuple[str, str | None, str | None]] = {
    "Running": ("running", None, "treadmill"),
    "WheelchairRunPace": ("running", None, "treadmill"),
    "Walking": ("walking", None, "indoor_walking"),
    "WheelchairWalkPace": ("walking", None, "indoor_walking"),
    "Hiking": ("hiking", None, None),
    "Cycling": ("cycling", None, "indoor_cycling"),
    "HandCycling": ("cycling", "hand_cycling", "hand_cycling"),
    "Swimming": ("swimming", None, None),
    "Yoga": ("training", "yoga", "yoga"),
    "Pilates": ("training", "pilates", "pilates"),
    "Barre": ("training", "pilates", "pilates"),
    "TraditionalStrengthTraining": ("training", "strength_training", "strength_training"),
    "FunctionalStrengthTraining": ("training", "strength_training", "strength_training"),
    "CoreTraining": ("training", "strength_training", "strength_training"),
    "Flexibility": ("training", "flexibility_training", "flexibility_training"),
    "Cooldown": ("training", "flexibility_training", "flexibility_training"),
    "PreparationAndRecovery": ("training", "flexibility_training", "flexibility_training"),
    "MindAndBody": ("training", "flexibility_training", "flexibility_training"),
    "TaiChi": ("training", "flexibility_training", "flexibility_training"),
    "HighIntensityIntervalTraining": ("hiit", None, None),
    "CrossTraining": ("training", "cardio_training", "cardio_training"),
    "MixedCardio": ("training", "cardio_training", "cardio_training"),
    "MixedMetabolicCardioTraining": ("training", "cardio_training", "cardio_training"),
    "JumpRope": ("training", "cardio_training", "cardio_training"),
    "StepTraining": ("training", "cardio_training", "cardio_training"),
    "Elliptical": ("fitness_equipment", "elliptical", "elliptical"),
    "StairClimbing": ("fitness_equipment", "stair_climbing", "stair_climbing"),
    "Stairs": ("fitness_equipment", "stair_climbing", "stair_climbing"),
    "Rowing": ("rowing", None, "indoor_rowing"),
    "CrossCountrySkiing": ("cross_country_skiing", None, None),
    "DownhillSkiing": ("alpine_skiing", None, None),
    "Climbing": ("rock_climbing", None, None),
    "PaddleSports": ("paddling", None, None),
    "SurfingSports": ("surfing", None, None),
    "SkatingSports": ("inline_skating", None, "ice_skating"),
    "SwimBikeRun": ("multisport", None, None),
    "Transition": ("transition", None, None),
    "Other": ("generic", None, None),
}
#: ``HKSwimmingLocationType`` -> swimming sub-sport.
SWIMMING_LOCATIONS = {"1": "lap_swimming", "2": "open_water"}
INDOOR_KEY = "HKIndoorWorkout"
SWIMMING_LOCATION_KEY = "HKSwimmingLocationType"


def _snake(name: str) -> str:
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
    return re.sub(r"[^a-z_]", "", words).strip("_") or "generic"


def sport_of(activity_type: str, metadata: dict[str, str]) -> tuple[str, str | None]:
    """(sport, sub-sport) of a workout type such as ``HKWorkoutActivityTypeRunning``.

    Examples
    --------
    >>> sport_of("HKWorkoutActivityTypeRunning", {"HKIndoorWorkout": "1"})
    ('running', 'treadmill')
    >>> sport_of("HKWorkoutActivityTypeTableTennis", {})
    ('table_tennis', None)
    """
    name = activity_type.removeprefix(WORKOUT_PREFIX)
    sport, outdoor, indoor = ACTIVITY_TYPES.get(name, (_snake(name), None, None))
    sub_sport = indoor if metadata.get(INDOOR_KEY) in ("1", "true") else outdoor
    if sport == "swimming":
        sub_sport = SWIMMING_LOCATIONS.get(metadata.get(SWIMMING_LOCATION_KEY, ""))
    return sport, sub_sport


def type_words(activity_type: str) -> str:
    """``HKWorkoutActivityTypeTraditionalStrengthTraining`` -> 'traditional strength training'."""
    return _snake(activity_type.removeprefix(WORKOUT_PREFIX)).replace("_", " ")
