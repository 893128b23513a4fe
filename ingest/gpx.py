"""GPX 1.0 / 1.1 reader: track points with their sensor extensions -> :class:`Activity`.

Every ``trkpt`` of every ``trkseg`` of every ``trk`` is read; waypoints and routes are ignored.
Sensor values come from the point's ``extensions`` matched by local name, whatever the
namespace (Garmin TrackPointExtension v1/v2, Cluetrust gpxdata, Strava's bare ``power``, ...).

Tracks are concatenated in time order into one activity. Tracks that start more than
:data:`TRACK_GAP_S` after the previous ones end (a multi-day tour saved as one file, one track
per day) start a new activity, so each day's load lands on its own day; a gap inside one track
never splits it. GPX times are UTC and say nothing about the local time zone, so
``local_offset_s`` is None. Distance, speed, moving time and ascent are left to
:func:`ingest.derive.complete`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

import numpy as np

from ingest.errors import NotAnActivity
from ingest.schema import ON_FOOT_SPORTS, Activity, Summary, samples_frame
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

#: Tracks starting more than this after the previous track ends are a separate activity [s].
TRACK_GAP_S = 6 * 3600
#: ``<trk><type>`` texts (lower case, spaces as underscores) -> sport names of the FIT profile.
TRACK_TYPES: dict[str, str] = {
    "running": "running",
    "run": "running",
    "trail_running": "running",
    "trailrun": "running",
    "treadmill_running": "running",
    "cycling": "cycling",
    "biking": "cycling",
    "bike": "cycling",
    "ride": "cycling",
    "road_biking": "cycling",
    "mountain_biking": "cycling",
    "indoor_cycling": "cycling",
    "hiking": "hiking",
    "hike": "hiking",
    "walking": "walking",
    "walk": "walking",
    "swimming": "swimming",
    "swim": "swimming",
}
#: StravaGPX writes numeric activity type codes in ``<trk><type>``.
STRAVA_TYPE_CODES: dict[str, str] = {"1": "cycling", "4": "hiking", "9": "running", "10": "walking"}
#: Extension element local names (lower case) -> column; "cadence" is converted per sport.
EXTENSION_FIELDS: dict[str, str] = {
    "hr": "heart_rate_bpm",
    "heartrate": "heart_rate_bpm",
    "cad": "cadence",
    "cadence": "cadence",
    "power": "power_w",
    "powerinwatts": "power_w",
    "atemp": "temperature_c",
    "temp": "temperature_c",
    "wtemp": "temperature_c",
}
#: Per-point values read from a GPX file, before the cadence is assigned to a column.
POINT_FIELDS = (
    "lat_deg",
    "lon_deg",
    "altitude_m",
    "heart_rate_bpm",
    "cadence",
    "power_w",
    "temperature_c",
)


@dataclass
class _Track:
    """The timed points of one ``trk`` and what was dropped from it."""

    sport: str
    time_ms: list[int] = field(default_factory=list)
    values: dict[str, list[float | None]] = field(
        default_factory=lambda: {name: [] for name in POINT_FIELDS}
    )
    untimed: int = 0
    bad_positions: int = 0


def parse_gpx(data: bytes) -> list[Activity]:
    """Decode a GPX document into activities (normally one; see the module notes).

    Parameters
    ----------
    data
        The GPX file's bytes.

    Raises
    ------
    NotAnActivity
        No track points, no timestamps (a route or plan), or every point on one instant.
    UnsafeInput, CorruptFile
        From :func:`ingest.xmlsafe.parse_xml_partial`; CorruptFile also for a document that
        breaks off (syntax error, cut short) before its first timed point. One that breaks off
        later keeps the points before, with a warning.
    """
    return read_partial(data, _read_document, "track points")


def _read_document(root: Element | None) -> list[Activity]:
    """The activities of a (possibly partial) GPX tree."""
    tracks = [_read_track(trk) for trk in children(root, "trk")] if root is not None else []
    n_points = sum(len(t.time_ms) + t.untimed for t in tracks)
    if not n_points:
        raise NotAnActivity("no track points (a route or waypoints only, not a recording)")
    timed = [t for t in tracks if t.time_ms]
    if not timed:
        raise NotAnActivity("no timestamps: a route or plan, not a recorded activity")
    _check_time_span(timed)
    assert root is not None  # there are tracks
    device = (root.get("creator") or "").strip() or None
    activities = [_activity(group, device, i) for i, group in enumerate(_group_by_gap(timed))]
    untimed = sum(t.untimed for t in tracks)
    if untimed:
        note = f"dropped {untimed} of {n_points} track points without a readable time"
        for activity in activities:
            activity.warnings.insert(0, note)
    return activities


def _read_track(trk: Element) -> _Track:
    """All ``trkpt`` of all ``trkseg`` of one ``trk``, in document order."""
    track = _Track(sport=_track_sport(trk))
    for segment in trk:
        if local_name(segment.tag) != "trkseg":
            continue
        for point in segment:
            if local_name(point.tag) == "trkpt":
                _read_point(point, track)
    return track


def _track_sport(trk: Element) -> str:
    """Sport from ``<type>``, else from a Locus ``<extensions><activity>``; else 'unknown'."""
    text = child_text(trk, "type")
    extensions = child(trk, "extensions")
    if text is None and extensions is not None:
        text = next((e.text for e in descendants(extensions, "activity") if e.text), None)
    return sport_from_type(text)


def sport_from_type(text: str | None) -> str:
    """Map a GPX track type ('Run', 'cycling', Strava's '9', ...) to a sport name."""
    if not text:
        return "unknown"
    key = text.strip().lower().replace(" ", "_")
    return STRAVA_TYPE_CODES.get(key) or TRACK_TYPES.get(key, "unknown")


def _read_point(point: Element, track: _Track) -> None:
    """Append one ``trkpt`` to ``track`` (or count it as dropped when it has no time)."""
    row: dict[str, float | None] = dict.fromkeys(POINT_FIELDS)
    lat, lon = to_float(point.get("lat")), to_float(point.get("lon"))
    if lat is not None and lon is not None:
        row["lat_deg"], row["lon_deg"] = lat, lon
    stamp = None
    for item in point:
        name = local_name(item.tag)
        if name == "time":
            stamp = parse_time(item.text)
        elif name == "ele":
            row["altitude_m"] = to_float(item.text)
        elif name == "extensions":
            _read_extensions(item, row)
    if stamp is None:
        track.untimed += 1
        return
    track.bad_positions += row["lat_deg"] is None
    track.time_ms.append(stamp[0])
    for name, value in row.items():
        track.values[name].append(value)


def _read_extensions(extensions: Element, row: dict[str, float | None]) -> None:
    """Fill sensor values from extension elements; the first numeric value of a field wins."""
    for item in extensions.iter():
        column = EXTENSION_FIELDS.get(local_name(item.tag).lower())
        if column is not None and row[column] is None:
            row[column] = to_float(item.text)


def _check_time_span(tracks: list[_Track]) -> None:
    """Refuse files whose points all carry one and the same timestamp (a placeholder)."""
    times = [ms for t in tracks for ms in t.time_ms]
    if len(times) > 1 and min(times) == max(times):
        when = utc_from_ms(times[0]).strftime("%Y-%m-%d %H:%M:%S UTC")
        raise NotAnActivity(
            f"all {len(times)} track points share one timestamp ({when}): "
            "no recording times, so not a recorded activity"
        )


def _group_by_gap(tracks: list[_Track]) -> list[list[_Track]]:
    """Order tracks by start and split where one starts > :data:`TRACK_GAP_S` after the last."""
    groups: list[list[_Track]] = []
    end_ms = 0
    for track in sorted(tracks, key=lambda t: min(t.time_ms)):
        start, end = min(track.time_ms), max(track.time_ms)
        if groups and start - end_ms <= TRACK_GAP_S * 1000:
            groups[-1].append(track)
            end_ms = max(end_ms, end)
        else:
            groups.append([track])
            end_ms = end
    return groups


def _activity(tracks: list[_Track], device: str | None, index: int) -> Activity:
    """Build one activity from time-ordered tracks: stable sort by time, cadence per sport."""
    time_ms = np.concatenate([np.asarray(t.time_ms, dtype=np.int64) for t in tracks])
    order = np.argsort(time_ms, kind="stable")
    values = {
        name: np.concatenate([np.asarray(t.values[name], dtype=np.float64) for t in tracks])[order]
        for name in POINT_FIELDS
    }
    sport = next((t.sport for t in tracks if t.sport != "unknown"), "unknown")
    cadence = values.pop("cadence")
    if sport == "unknown" or sport in ON_FOOT_SPORTS:
        values["cadence_spm"] = 2.0 * cadence  # TrackPointExtension cad counts strides
    else:
        values["cadence_rpm"] = cadence
    samples = samples_frame({"timestamp": time_ms[order], **values})
    summary = Summary(
        format="gpx",
        start_time=utc_from_ms(int(time_ms[order[0]])),
        sport=sport,
        local_offset_s=None,
        device=device,
        session_index=index,
    )
    return Activity(summary=summary, samples=samples, warnings=_warnings(tracks, order))


def _warnings(tracks: list[_Track], order: np.ndarray) -> list[str]:
    """Notes on missing positions and on re-ordering (``order`` is the sort applied)."""
    warnings = []
    bad = sum(t.bad_positions for t in tracks)
    if bad:
        warnings.append(f'{bad} track points had no valid position (e.g. lat="undefined")')
    if np.any(np.diff(order) < 0):
        warnings.append("track points were out of time order: sorted by time")
    return warnings
