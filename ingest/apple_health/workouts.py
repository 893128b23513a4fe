"""A workout piece (:mod:`ingest.apple_health.pieces`) -> activities on the common schema.

Summary
    Start and end from ``startDate``/``endDate`` (their offset is the local offset); elapsed
    time = end - start; timer time = ``duration`` (Apple's active time, pauses excluded).
    Distance, energy, heart rate and power from ``WorkoutStatistics`` (iOS 16 and later),
    else from the ``totalDistance``/``totalEnergyBurned`` attributes of older exports; ascent
    from the ``HKElevationAscended`` metadata. What the workout does not state is derived
    from the samples (:func:`ingest.derive.complete`).
Legs
    A workout with two or more ``WorkoutActivity`` legs (a triathlon) becomes one activity
    per leg. The export does not name a leg's sport: it is the sport of the leg's distance
    statistic, else of the distance records in its window, else ``transition`` (in a
    multisport workout) or the workout's sport.
Samples
    :func:`ingest.apple_health.samples.build_samples` with the route points, heart rate and
    the metrics records of the sport's family (running, cycling or swimming).
"""

from __future__ import annotations

import re
from typing import Any, TypeGuard

import polars as pl

from ingest import gpx
from ingest.apple_health.activity_types import sport_of
from ingest.apple_health.pieces import FORMAT, WORKOUT_MAGIC, decode
from ingest.apple_health.samples import Series, build_samples, choose_source, pauses
from ingest.apple_health.values import (
    ENERGY_KCAL,
    LENGTH_M,
    POWER_W,
    PREFIX,
    QUANTITIES,
    RATE_PER_MIN,
    TIME_S,
    parse_date,
    to_si,
    window,
)
from ingest.errors import CorruptFile, ImportProblem
from ingest.schema import ON_FOOT_SPORTS, Activity, Summary
from ingest.xmlsafe import utc_from_ms

#: Sports whose records of each family are joined (others get heart rate only).
FAMILIES = {"on_foot": ON_FOOT_SPORTS, "cycling": frozenset({"cycling"}),
            "swimming": frozenset({"swimming"})}
#: Distance statistics and records -> the sport of a leg that has them.
LEG_SPORTS = {"DistanceSwimming": "swimming", "DistanceCycling": "cycling",
              "DistanceWalkingRunning": "running"}
ASCENT_KEY = "HKElevationAscended"
_DEVICE_NAME = re.compile(r"\bname:([^,>]+)")
_DEVICE_HARDWARE = re.compile(r"\bhardware:([^,>\s]+(?:,\d+)?)")
_LIST_FIELDS = ("source", "start", "end", "value")


def _statistic(statistics: dict[str, dict], name: str, field: str,
               units: dict[str, float]) -> float | None:
    found = statistics.get(f"{PREFIX}{name}")
    return None if found is None else to_si(found.get(field), found.get("unit"), units)


def _measure(text: str | None, units: dict[str, float]) -> float | None:
    """``'4521 cm'`` (a metadata value with its unit) in SI."""
    value, _, unit = (text or "").partition(" ")
    return to_si(value, unit.strip(), units)


def _device(attributes: dict[str, str]) -> str | None:
    """'Apple Watch (Watch6,2)' from the ``device`` text, else the source name."""
    text = attributes.get("device", "")
    name, hardware = _DEVICE_NAME.search(text), _DEVICE_HARDWARE.search(text)
    if name:
        return f"{name[1].strip()} ({hardware[1]})" if hardware else name[1].strip()
    return attributes.get("sourceName") or None


def _part_ok(part: object) -> TypeGuard[dict[str, Any]]:
    """A workout or leg as :func:`ingest.apple_health.export_pass.new_workout` makes it."""
    return isinstance(part, dict) and all(
        isinstance(part.get(key), kind) for key, kind in (
            ("attributes", dict), ("metadata", dict), ("events", list), ("statistics", list),
            ("legs", list))) and all(
        isinstance(item, dict) for key in ("events", "statistics") for item in part[key])


def _columns_ok(columns: object) -> bool:
    return isinstance(columns, dict) and len({
        len(values) if isinstance(values, list) else -1
        for values in (columns.get(field) for field in _LIST_FIELDS)} - {-1}) == 1 and all(
        isinstance(columns.get(field), list) for field in _LIST_FIELDS)


def _check(piece: dict) -> None:
    """Refuse a piece whose parts have the wrong shape (a hand-made or damaged file)."""
    workout, records = piece.get("workout"), piece.get("records")
    ok = (_part_ok(workout) and all(_part_ok(leg) for leg in workout["legs"])
          and isinstance(records, dict) and all(_columns_ok(c) for c in records.values())
          and all(isinstance(piece.get(key), list) for key in ("sources", "routes", "notes")))
    if not ok:
        raise CorruptFile("damaged Apple Health workout piece (unexpected structure)")


def _route(texts: list[str], warnings: list[str]) -> pl.DataFrame | None:
    """The route points of the workout's route files (GPX), in time order."""
    frames = []
    for text in texts:
        try:
            frames += [a.samples for a in gpx.parse_gpx(str(text).encode())]
        except ImportProblem as problem:
            warnings.append(f"route not read ({problem.reason})")
    if not frames:
        return None
    return pl.concat(frames).sort("timestamp")


def _window(attributes: dict[str, str]) -> tuple[int, int, int]:
    """(start ms, end ms, local offset s) of a workout or leg; CorruptFile when unreadable."""
    span = window(attributes)
    if span is None:
        raise CorruptFile("a workout without a readable startDate")
    if span[1] < span[0]:
        raise CorruptFile(f"a workout that ends before it starts ({attributes['startDate']})")
    return span


class _Workout:
    """One decoded piece: its records by type and its route, shared by its legs."""

    def __init__(self, piece: dict) -> None:
        self.workout = piece["workout"]
        self.attributes = self.workout["attributes"]
        self.warnings = [str(note) for note in piece["notes"]]
        sources = piece["sources"]
        name = self.attributes.get("sourceName")
        self.preferred = sources.index(name) if name in sources else None
        self.records = piece["records"]
        self.route = _route(piece["routes"], self.warnings)
        self.sport, self.sub_sport = sport_of(self.attributes.get("workoutActivityType", ""),
                                              self.workout["metadata"])

    def series(self, kind: str, start_ms: int, end_ms: int) -> Series | None:
        columns = self.records.get(kind)
        if columns is None:
            return None
        try:
            return choose_source(columns, self.preferred, start_ms, end_ms)
        except (TypeError, ValueError, OverflowError) as exc:
            raise CorruptFile(f"damaged Apple Health workout piece ({kind} records: {exc})"
                              ) from exc

    def leg_sport(self, leg: dict, start_ms: int, end_ms: int) -> tuple[str, str | None]:
        for statistic in leg["statistics"]:
            sport = LEG_SPORTS.get(str(statistic.get("type", "")).removeprefix(PREFIX))
            if sport:
                return sport, None
        counts = {sport: (found.value.size if (found := self.series(kind, start_ms, end_ms))
                          is not None else 0) for kind, sport in LEG_SPORTS.items()}
        best = max(counts, key=lambda sport: counts[sport])
        if counts[best]:
            return best, None
        return ("transition", None) if self.sport == "multisport" else (self.sport,
                                                                        self.sub_sport)

    def activities(self) -> list[Activity]:
        legs = self.workout["legs"]
        if len(legs) < 2:
            return [self.activity(self.workout, 0, self.sport, self.sub_sport)]
        out = []
        for index, leg in enumerate(legs):
            start_ms, end_ms, _ = _window(leg["attributes"])
            sport, sub_sport = self.leg_sport(leg, start_ms, end_ms)
            out.append(self.activity(leg, index, sport, sub_sport))
        return out

    def activity(self, part: dict, index: int, sport: str, sub_sport: str | None) -> Activity:
        """The activity of the workout (``part`` is the workout itself) or of one leg."""
        attributes = part["attributes"]
        start_ms, end_ms, offset_s = _window(attributes)
        events = part["events"] or [e for e in self.workout["events"]
                                    if (at := parse_date(e.get("date"))) is not None
                                    and start_ms <= at[0] <= end_ms]
        paused = pauses(events, end_ms)
        series: dict[str, Series] = {}
        for kind, quantity in QUANTITIES.items():
            if quantity.family == "all" or sport in FAMILIES[quantity.family]:
                found = self.series(kind, start_ms, end_ms)
                if found is not None:
                    series.setdefault(quantity.column, found)
        samples = build_samples(start_ms, end_ms, paused, self.route, series)
        summary = self.summary(part, sport, sub_sport, (start_ms, end_ms, offset_s), paused)
        summary.session_index = index
        return Activity(summary=summary, samples=samples, warnings=list(self.warnings),
                        decoder=FORMAT)

    def summary(self, part: dict, sport: str, sub_sport: str | None,
                window: tuple[int, int, int], paused: list[tuple[int, int]]) -> Summary:
        attributes = part["attributes"]
        start_ms, end_ms, offset_s = window
        statistics = {str(s.get("type")): s for s in part["statistics"] if isinstance(s, dict)}
        elapsed = (end_ms - start_ms) / 1000.0
        active = to_si(attributes.get("duration"), attributes.get("durationUnit"), TIME_S)
        if active is None:
            active = elapsed - sum(min(b, end_ms) - max(a, start_ms) for a, b in paused) / 1000
        distance = next((value for name in LEG_SPORTS if (value := _statistic(
            statistics, name, "sum", LENGTH_M)) is not None), None)
        if distance is None and part is self.workout:
            distance = to_si(attributes.get("totalDistance"),
                             attributes.get("totalDistanceUnit"), LENGTH_M)
        distance = distance if distance else None  # 0 for yoga or strength: no distance
        energy = _statistic(statistics, "ActiveEnergyBurned", "sum", ENERGY_KCAL)
        if energy is None and part is self.workout:
            energy = to_si(attributes.get("totalEnergyBurned"),
                           attributes.get("totalEnergyBurnedUnit"), ENERGY_KCAL)
        power = next((value for name in ("RunningPower", "CyclingPower") if (value := _statistic(
            statistics, name, "average", POWER_W)) is not None), None)
        metadata = {**self.workout["metadata"], **part["metadata"]}
        return Summary(
            format=FORMAT, start_time=utc_from_ms(start_ms), sport=sport, sub_sport=sub_sport,
            local_offset_s=offset_s, duration_s=elapsed, timer_time_s=max(active, 0.0),
            distance_m=distance, ascent_m=_measure(metadata.get(ASCENT_KEY), LENGTH_M),
            avg_hr_bpm=_statistic(statistics, "HeartRate", "average", RATE_PER_MIN),
            max_hr_bpm=_statistic(statistics, "HeartRate", "maximum", RATE_PER_MIN),
            avg_power_w=power, calories_kcal=energy, device=_device(self.attributes))


def read_workout(data: bytes) -> list[Activity]:
    """The activities of one workout piece (one, or one per leg of a multisport workout).

    Raises
    ------
    CorruptFile
        Not a workout piece, or one without a readable start.
    """
    piece = decode(data, WORKOUT_MAGIC)
    _check(piece)
    return _Workout(piece).activities()

