"""The handler of the one pass over ``export.xml``: what each element becomes.

* ``Record`` (children of ``HealthData``) of a type in
  :data:`ingest.apple_health.values.QUANTITIES`: converted to SI and spooled with its source,
  start and end; resting heart rate, HRV (SDNN) and asleep intervals
  (:data:`WELLNESS_QUANTITIES`, :data:`SLEEP_TYPE`) are spooled as wellness. Every other
  record (the bulk of an export: energy, stand hours, audio levels ...) is passed over before
  its attributes are even looked at.
* ``Workout``: its attributes, ``MetadataEntry``, ``WorkoutEvent``, ``WorkoutStatistics``,
  ``WorkoutRoute/FileReference`` paths and ``WorkoutActivity`` legs (with their own
  metadata, events and statistics) become one plain dict, spooled when the element ends.
  Lists are capped at :data:`MAX_CHILDREN` entries per workout.

Records nested in a ``Correlation`` repeat top-level ones (Apple's DTD says so) and are
skipped, like everything below depth 2 outside a workout.
"""

from __future__ import annotations

from collections import Counter

from ingest.apple_health.spool import Spool
from ingest.apple_health.values import (
    CATEGORY_PREFIX,
    KIND_IDS,
    PREFIX,
    QUANTITIES,
    RATE_PER_MIN,
    TIME_S,
    parse_date,
    to_si,
)
from ingest.errors import NotAnActivity

ROOT = "HealthData"
#: Wellness record types -> (value name of :mod:`ingest.wellness.records`, units, scale).
WELLNESS_QUANTITIES = {
    f"{PREFIX}RestingHeartRate": ("resting_hr_bpm", RATE_PER_MIN, 1.0),
    f"{PREFIX}HeartRateVariabilitySDNN": ("hrv_sdnn_ms", TIME_S, 1000.0),
}
SLEEP_TYPE = f"{CATEGORY_PREFIX}SleepAnalysis"
#: Sleep values that count as asleep (in bed and awake do not; docs/methods.md section 12.2).
ASLEEP_VALUES = frozenset(f"HKCategoryValueSleepAnalysis{name}" for name in (
    "Asleep", "AsleepUnspecified", "AsleepCore", "AsleepDeep", "AsleepREM"))
ASLEEP = "asleep"
#: Most metadata entries, events, statistics, routes or legs kept per workout.
MAX_CHILDREN = 5000
_QUANTITY_OF_KIND = list(QUANTITIES.values())  # by kind id (its position)


def _pairs(attributes: list[str]) -> dict[str, str]:
    return dict(zip(attributes[::2], attributes[1::2], strict=False))


def new_workout(attributes: dict[str, str]) -> dict:
    """The dict a ``Workout`` element becomes (and a ``WorkoutActivity`` leg, without legs)."""
    return {"attributes": attributes, "metadata": {}, "events": [], "statistics": [],
            "routes": [], "legs": []}


class ExportPass:
    """Receives the tags of ``export.xml`` (see :func:`ingest.apple_health.xmlstream.stream_xml`)
    and fills a :class:`~ingest.apple_health.spool.Spool`."""

    def __init__(self, spool: Spool) -> None:
        self.spool = spool
        self.depth = 0
        self.workout: dict | None = None
        self.leg: dict | None = None  # the WorkoutActivity being read
        self.in_route = False
        self.unreadable: Counter[str] = Counter()  # kept types without a usable value/date
        self.dropped_children = 0

    # -- tags ---------------------------------------------------------------------------------
    def start(self, name: str, attributes: list[str]) -> None:
        self.depth += 1
        if self.depth == 2:
            if name == "Record":
                self._record(attributes)
            elif name == "Workout":
                self.workout = new_workout(_pairs(attributes))
        elif self.depth == 1:
            if name != ROOT:
                raise NotAnActivity(f"XML with a <{name}> root: not an Apple Health export")
        elif self.workout is not None:
            self._workout_child(name, _pairs(attributes))

    def end(self, name: str) -> None:
        if self.depth == 2 and self.workout is not None:
            self.spool.add_workout(self.workout)
            self.workout = None
        elif self.depth == 3:
            self.in_route = self.in_route and name != "WorkoutRoute"
            if name == "WorkoutActivity":
                self.leg = None
        self.depth -= 1

    # -- records ------------------------------------------------------------------------------
    def _record(self, attributes: list[str]) -> None:
        kind = attributes[1] if attributes[:1] == ["type"] else _pairs(attributes).get("type")
        if kind is None:
            return
        kind_id = KIND_IDS.get(kind)
        if kind_id is None:
            if kind in WELLNESS_QUANTITIES or kind == SLEEP_TYPE:
                self._wellness(kind, _pairs(attributes))
            return
        record = _pairs(attributes)
        quantity = _QUANTITY_OF_KIND[kind_id]
        value = to_si(record.get("value"), record.get("unit"), quantity.units)
        start, end = parse_date(record.get("startDate")), parse_date(record.get("endDate"))
        if value is None or start is None or end is None:
            self.unreadable[kind] += 1
            return
        self.spool.add_record(kind_id, self.spool.source_id(record.get("sourceName", "")),
                              start[0], end[0], value * quantity.scale)

    def _wellness(self, kind: str, record: dict[str, str]) -> None:
        start_text = record.get("startDate", "")
        start, end = parse_date(start_text), parse_date(record.get("endDate"))
        if start is None or end is None:
            self.unreadable[kind] += 1
            return
        if kind == SLEEP_TYPE:
            if record.get("value") in ASLEEP_VALUES and end[0] > start[0]:
                self.spool.add_wellness(ASLEEP, start_text[:10], start[0], end[0], None)
            return
        name, units, scale = WELLNESS_QUANTITIES[kind]
        value = to_si(record.get("value"), record.get("unit"), units)
        if value is None:
            self.unreadable[kind] += 1
            return
        self.spool.add_wellness(name, start_text[:10], start[0], end[0], value * scale)

    # -- workouts -----------------------------------------------------------------------------
    def _add(self, items: list, item: object) -> None:
        if len(items) < MAX_CHILDREN:
            items.append(item)
        else:
            self.dropped_children += 1

    def _workout_child(self, name: str, attributes: dict[str, str]) -> None:
        workout = self.workout
        assert workout is not None
        owner = self.leg if self.depth == 4 and self.leg is not None else workout
        if self.depth == 3 and name == "WorkoutActivity":
            self.leg = new_workout(attributes)
            self._add(workout["legs"], self.leg)
        elif self.depth == 3 and name == "WorkoutRoute":
            self.in_route = True
        elif self.depth == 4 and self.in_route and name == "FileReference":
            self._add(workout["routes"], attributes.get("path", ""))
        elif self.depth > 4 or (self.depth == 4 and owner is workout):
            return  # metadata of routes and events
        elif name == "MetadataEntry" and "key" in attributes:
            if len(owner["metadata"]) < MAX_CHILDREN:
                owner["metadata"][attributes["key"]] = attributes.get("value", "")
        elif name == "WorkoutEvent":
            self._add(owner["events"], attributes)
        elif name == "WorkoutStatistics":
            self._add(owner["statistics"], attributes)
