"""TCX (Garmin Training Center Database v2) reader: one :class:`Activity` per ``<Activity>``.

Trackpoints give the samples; ``<Lap>`` elements give :class:`~ingest.schema.Lap` records and,
summed, the summary's timer time (``TotalTimeSeconds`` is timer time, pauses excluded),
distance, calories and heart rate. Elements are matched by local name, so the usual ``ns3:``
prefix of the ActivityExtension (``TPX``/``LX``) and its default-namespace variant both work.

Cadence: ``RunCadence`` (TPX extension) and, for on-foot sports, the plain ``Cadence`` element
count strides per minute, so they are doubled into ``cadence_spm``; for other sports ``Cadence``
is pedal (or stroke) revolutions per minute and goes to ``cadence_rpm``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

import numpy as np
import polars as pl

from ingest.errors import NotAnActivity
from ingest.schema import ON_FOOT_SPORTS, Activity, Lap, Summary, samples_frame
from ingest.xml_activities import read_partial
from ingest.xmlsafe import (
    child,
    child_text,
    children,
    descendants,
    local_name,
    parse_time,
    to_float,
    utc_from_ms,
)

#: ``Activity/@Sport`` (lower case) -> sport name of the FIT profile.
SPORTS: dict[str, str] = {"running": "running", "biking": "cycling", "other": "other"}
#: Trackpoint children holding one number -> field.
TRACKPOINT_FIELDS: dict[str, str] = {
    "AltitudeMeters": "altitude_m",
    "DistanceMeters": "distance_m",
    "Cadence": "cadence",
}
POSITION_FIELDS: dict[str, str] = {"LatitudeDegrees": "lat_deg", "LongitudeDegrees": "lon_deg"}
#: ActivityExtension v2 ``TPX`` children -> field.
TPX_FIELDS: dict[str, str] = {"Speed": "speed_m_s", "RunCadence": "run_cadence", "Watts": "power_w"}
#: Per-trackpoint values, before cadence is assigned to its column.
POINT_FIELDS = (
    "lat_deg",
    "lon_deg",
    "altitude_m",
    "distance_m",
    "heart_rate_bpm",
    "cadence",
    "run_cadence",
    "speed_m_s",
    "power_w",
)
#: Laps overlap when the next one starts this much earlier than the previous timer ran out [s].
LAP_OVERLAP_TOLERANCE_S = 1.0
LAPS_OVERLAP_WARNING = (
    "laps overlap in time: lap totals ignored, summary taken from the trackpoints"
)


@dataclass
class _Points:
    """Timed trackpoints of one activity as columns, plus what was dropped."""

    time_ms: list[int] = field(default_factory=list)
    values: dict[str, list[float | None]] = field(
        default_factory=lambda: {name: [] for name in POINT_FIELDS}
    )
    untimed: int = 0
    bad_positions: int = 0


def parse_tcx(data: bytes) -> list[Activity]:
    """Decode a TCX document into one activity per ``<Activity>`` element.

    Parameters
    ----------
    data
        The TCX file's bytes.

    Raises
    ------
    NotAnActivity
        No ``<Activity>`` (a course or workout file), or none with timed trackpoints or lap totals.
    UnsafeInput, CorruptFile
        From :func:`ingest.xmlsafe.parse_xml_partial`; CorruptFile also for a document that
        breaks off (syntax error, cut short) before anything was recorded. One that breaks off
        later keeps the activities and trackpoints before, with a warning.
    """
    return read_partial(data, _read_document, "trackpoints")


def _read_document(root: Element | None) -> list[Activity]:
    """The activities of a (possibly partial) TCX tree."""
    elements = list(descendants(root, "Activity")) if root is not None else []
    if not elements:
        raise NotAnActivity("no activities: a course or workout plan, not a recorded activity")
    activities = [a for a in map(_read_activity, elements) if a is not None]
    if not activities:
        raise NotAnActivity("no trackpoints with a time and no laps with totals: nothing recorded")
    for index, activity in enumerate(activities):
        activity.summary.session_index = index
    return activities


def _read_activity(element: Element) -> Activity | None:
    """One activity, or None when it has neither timed trackpoints nor laps with totals."""
    sport = SPORTS.get((element.get("Sport") or "").strip().lower(), "unknown")
    on_foot = sport == "unknown" or sport in ON_FOOT_SPORTS
    points = _Points()
    lap_elements = list(children(element, "Lap"))
    laps, lap_starts_ms = _read_laps(lap_elements, points, on_foot)
    if not points.time_ms and not any(lap.timer_s or lap.distance_m for lap in laps):
        return None
    creator = child(element, "Creator")
    start_ms = min(lap_starts_ms + points.time_ms)
    summary = Summary(
        format="tcx",
        start_time=utc_from_ms(start_ms),
        sport=sport,
        local_offset_s=_local_offset(element, lap_elements),
        device=child_text(creator, "Name") if creator is not None else None,
    )
    warnings = []
    ends_ms = [max(points.time_ms)] if points.time_ms else []
    if _laps_overlap(laps, lap_starts_ms):
        warnings.append(LAPS_OVERLAP_WARNING)
    else:
        _summarise_laps(summary, laps, lap_elements)
        if laps and laps[-1].timer_s is not None:
            ends_ms.append(lap_starts_ms[-1] + round(1000.0 * laps[-1].timer_s))
    if ends_ms:
        summary.duration_s = (max(ends_ms) - start_ms) / 1000.0
    samples, order = _samples(points, on_foot)
    warnings += _point_warnings(points, order)
    return Activity(summary=summary, samples=samples, laps=laps, warnings=warnings)


def _read_laps(
    lap_elements: list[Element], points: _Points, on_foot: bool
) -> tuple[list[Lap], list[int]]:
    """Read every lap's trackpoints into ``points``; return the laps and their starts [ms].

    A lap without a readable ``StartTime`` starts at its first timed trackpoint; a lap with
    neither is skipped.
    """
    laps: list[Lap] = []
    starts_ms: list[int] = []
    for lap_element in lap_elements:
        first = len(points.time_ms)
        for track in children(lap_element, "Track"):
            for trackpoint in children(track, "Trackpoint"):
                _read_trackpoint(trackpoint, points)
        start = parse_time(lap_element.get("StartTime"))
        start_ms = start[0] if start else min(points.time_ms[first:], default=None)
        if start_ms is not None:
            laps.append(_read_lap(lap_element, start_ms, on_foot))
            starts_ms.append(start_ms)
    return laps, starts_ms


def _read_trackpoint(trackpoint: Element, points: _Points) -> None:
    """Append one trackpoint to ``points`` (or count it as dropped when it has no time)."""
    row: dict[str, float | None] = dict.fromkeys(POINT_FIELDS)
    stamp = None
    has_position = False
    for item in trackpoint:
        name = local_name(item.tag)
        if name == "Time":
            stamp = parse_time(item.text)
        elif name in TRACKPOINT_FIELDS:
            row[TRACKPOINT_FIELDS[name]] = to_float(item.text)
        elif name == "Position":
            has_position = True
            for coordinate in item:
                column = POSITION_FIELDS.get(local_name(coordinate.tag))
                if column is not None:
                    row[column] = to_float(coordinate.text)
        elif name == "HeartRateBpm":
            row["heart_rate_bpm"] = to_float(child_text(item, "Value"))
        elif name == "Extensions":
            for extension in item.iter():
                column = TPX_FIELDS.get(local_name(extension.tag))
                if column is not None and row[column] is None:
                    row[column] = to_float(extension.text)
    if stamp is None:
        points.untimed += 1
        return
    if row["lat_deg"] is None or row["lon_deg"] is None:
        row["lat_deg"] = row["lon_deg"] = None
        points.bad_positions += has_position
    points.time_ms.append(stamp[0])
    for name, value in row.items():
        points.values[name].append(value)


def _read_lap(element: Element, start_ms: int, on_foot: bool) -> Lap:
    """A :class:`Lap` from a ``<Lap>`` element; zero heart rate or cadence means absent."""
    extensions = child(element, "Extensions")
    lx = {}
    if extensions is not None:
        lx = {local_name(e.tag): to_float(e.text) for e in extensions.iter()}
    strides = _positive(lx.get("AvgRunCadence"))
    if strides is None and on_foot:
        strides = _positive(to_float(child_text(element, "Cadence")))
    return Lap(
        start_time=utc_from_ms(start_ms),
        timer_s=to_float(child_text(element, "TotalTimeSeconds")),
        distance_m=to_float(child_text(element, "DistanceMeters")),
        avg_hr_bpm=_bpm(child(element, "AverageHeartRateBpm")),
        max_hr_bpm=_bpm(child(element, "MaximumHeartRateBpm")),
        avg_cadence_spm=2.0 * strides if strides is not None else None,
        avg_speed_m_s=lx.get("AvgSpeed"),
    )


def _bpm(element: Element | None) -> float | None:
    return None if element is None else _positive(to_float(child_text(element, "Value")))


def _positive(value: float | None) -> float | None:
    return value if value is not None and value > 0 else None


def _local_offset(element: Element, lap_elements: list[Element]) -> int | None:
    """UTC offset [s] stated by the activity's Id or a lap start time (e.g. ``+01:00``).

    ``Z`` and ``+00:00`` are taken as "not stated": many exporters write UTC that way.
    """
    texts = [child_text(element, "Id")] + [lap.get("StartTime") for lap in lap_elements]
    for text in texts:
        stamp = parse_time(text)
        if stamp is not None and stamp[1]:
            return stamp[1]
    return None


def _laps_overlap(laps: list[Lap], starts_ms: list[int]) -> bool:
    """True when a lap starts before the previous lap's timer time has run out."""
    for lap, start_ms, next_ms in zip(laps, starts_ms, starts_ms[1:], strict=False):
        if next_ms < start_ms + 1000.0 * ((lap.timer_s or 0.0) - LAP_OVERLAP_TOLERANCE_S):
            return True
    return False


def _summarise_laps(summary: Summary, laps: list[Lap], lap_elements: list[Element]) -> None:
    """Fill the summary with lap totals.

    Timer time, distance and calories are sums over the laps, average heart rate is the mean
    of the lap averages weighted by lap timer time, maximum heart rate the largest lap maximum.
    """
    summary.timer_time_s = _total(lap.timer_s for lap in laps)
    summary.distance_m = _total(lap.distance_m for lap in laps)
    summary.calories_kcal = _total(to_float(child_text(e, "Calories")) for e in lap_elements)
    weighted = [(lap.avg_hr_bpm, lap.timer_s) for lap in laps if lap.avg_hr_bpm and lap.timer_s]
    if weighted:
        total_s = sum(seconds for _, seconds in weighted)
        summary.avg_hr_bpm = sum(bpm * seconds for bpm, seconds in weighted) / total_s
    summary.max_hr_bpm = max((lap.max_hr_bpm for lap in laps if lap.max_hr_bpm), default=None)


def _total(values: Iterable[float | None]) -> float | None:
    """Sum of the values that are not None; None when all are."""
    present = [v for v in values if v is not None]
    return float(sum(present)) if present else None


def _samples(points: _Points, on_foot: bool) -> tuple[pl.DataFrame, np.ndarray]:
    """The samples frame, sorted by time (stable), and the sort order applied."""
    time_ms = np.asarray(points.time_ms, dtype=np.int64)
    order = np.argsort(time_ms, kind="stable")
    values = {
        name: np.asarray(column, dtype=np.float64)[order] for name, column in points.values.items()
    }
    cadence, strides = values.pop("cadence"), values.pop("run_cadence")
    if on_foot:
        strides = np.where(np.isnan(strides), cadence, strides)
    else:
        values["cadence_rpm"] = cadence
    values["cadence_spm"] = 2.0 * strides
    return samples_frame({"timestamp": time_ms[order], **values}), order


def _point_warnings(points: _Points, order: np.ndarray) -> list[str]:
    warnings = []
    if points.untimed:
        warnings.append(f"dropped {points.untimed} trackpoints without a readable time")
    if points.bad_positions:
        warnings.append(f"{points.bad_positions} trackpoints had an unreadable position")
    if np.any(np.diff(order) < 0):
        warnings.append("trackpoints were out of time order: sorted by time")
    return warnings
