"""Builders of small GPX and TCX documents for the reader tests (real XML text, no files)."""

from __future__ import annotations

GPX10_NS = "http://www.topografix.com/GPX/1/0"
GPX11_NS = "http://www.topografix.com/GPX/1/1"
TPX_V1_NS = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
TPX_V2_NS = "http://www.garmin.com/xmlschemas/TrackPointExtension/v2"
GPXDATA_NS = "http://www.cluetrust.com/XML/GPXDATA/1/0"
TCX_NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
AX_NS = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"


def gpx_point(
    lat: float | str,
    lon: float | str,
    time: str | None = None,
    ele: float | str | None = None,
    extensions: str = "",
) -> str:
    """One ``trkpt``; ``extensions`` is the inner XML of its ``<extensions>`` element."""
    parts = [f'<trkpt lat="{lat}" lon="{lon}">']
    if ele is not None:
        parts.append(f"<ele>{ele}</ele>")
    if time is not None:
        parts.append(f"<time>{time}</time>")
    if extensions:
        parts.append(f"<extensions>{extensions}</extensions>")
    parts.append("</trkpt>")
    return "".join(parts)


def tpx(prefix: str = "gpxtpx", **fields: object) -> str:
    """A Garmin ``TrackPointExtension`` with the given children, e.g. ``tpx(hr=140, cad=85)``."""
    inner = "".join(f"<{prefix}:{name}>{value}</{prefix}:{name}>" for name, value in fields.items())
    return f"<{prefix}:TrackPointExtension>{inner}</{prefix}:TrackPointExtension>"


def gpx_track(*segments: list[str], sport: str | None = None) -> str:
    """A ``trk`` with one ``trkseg`` per list of points."""
    kind = f"<type>{sport}</type>" if sport is not None else ""
    body = "".join(f"<trkseg>{''.join(points)}</trkseg>" for points in segments)
    return f"<trk><name>test</name>{kind}{body}</trk>"


def gpx_doc(
    *body: str,
    version: str = "1.1",
    creator: str = "strideload tests",
    namespaces: dict[str, str] | None = None,
) -> str:
    """A complete GPX document; ``namespaces`` maps extra prefixes to URIs."""
    default = GPX10_NS if version == "1.0" else GPX11_NS
    if namespaces is None:
        namespaces = {"gpxtpx": TPX_V1_NS}
    declared = "".join(f' xmlns:{prefix}="{uri}"' for prefix, uri in namespaces.items())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<gpx version="{version}" creator="{creator}" xmlns="{default}"{declared}>'
        f"{''.join(body)}</gpx>"
    )


def tcx_point(
    time: str,
    lat: float | str | None = None,
    lon: float | str | None = None,
    altitude: float | None = None,
    distance: float | None = None,
    hr: float | None = None,
    cadence: float | None = None,
    tpx: str = "",
) -> str:
    """One ``Trackpoint``; ``tpx`` is the inner XML of an ``ns3:TPX`` extension."""
    parts = [f"<Trackpoint><Time>{time}</Time>"]
    if lat is not None:
        parts.append(
            f"<Position><LatitudeDegrees>{lat}</LatitudeDegrees>"
            f"<LongitudeDegrees>{lon}</LongitudeDegrees></Position>"
        )
    if altitude is not None:
        parts.append(f"<AltitudeMeters>{altitude}</AltitudeMeters>")
    if distance is not None:
        parts.append(f"<DistanceMeters>{distance}</DistanceMeters>")
    if hr is not None:
        parts.append(f"<HeartRateBpm><Value>{hr}</Value></HeartRateBpm>")
    if cadence is not None:
        parts.append(f"<Cadence>{cadence}</Cadence>")
    if tpx:
        parts.append(f"<Extensions><ns3:TPX>{tpx}</ns3:TPX></Extensions>")
    parts.append("</Trackpoint>")
    return "".join(parts)


def tcx_lap(
    start: str,
    points: list[str],
    total_s: float | None = None,
    distance: float | None = None,
    calories: float | None = None,
    avg_hr: float | None = None,
    max_hr: float | None = None,
    lx: str = "",
) -> str:
    """One ``Lap``; ``lx`` is the inner XML of an ``ns3:LX`` lap extension."""
    parts = [f'<Lap StartTime="{start}">']
    if total_s is not None:
        parts.append(f"<TotalTimeSeconds>{total_s}</TotalTimeSeconds>")
    if distance is not None:
        parts.append(f"<DistanceMeters>{distance}</DistanceMeters>")
    if calories is not None:
        parts.append(f"<Calories>{calories}</Calories>")
    if avg_hr is not None:
        parts.append(f"<AverageHeartRateBpm><Value>{avg_hr}</Value></AverageHeartRateBpm>")
    if max_hr is not None:
        parts.append(f"<MaximumHeartRateBpm><Value>{max_hr}</Value></MaximumHeartRateBpm>")
    parts.append("<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>")
    if points:
        parts.append(f"<Track>{''.join(points)}</Track>")
    if lx:
        parts.append(f"<Extensions><ns3:LX>{lx}</ns3:LX></Extensions>")
    parts.append("</Lap>")
    return "".join(parts)


def tcx_activity(sport: str, *laps: str, device: str | None = None, activity_id: str = "") -> str:
    """One ``Activity`` with its laps and, optionally, a ``Creator`` device name."""
    creator = f'<Creator xsi:type="Device_t"><Name>{device}</Name></Creator>' if device else ""
    return f'<Activity Sport="{sport}"><Id>{activity_id}</Id>{"".join(laps)}{creator}</Activity>'


def tcx_doc(*activities: str, declare_ns3: bool = True) -> str:
    """A complete TCX document; ``declare_ns3=False`` leaves the ``ns3`` prefix unbound."""
    ns3 = f' xmlns:ns3="{AX_NS}"' if declare_ns3 else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<TrainingCenterDatabase xmlns="{TCX_NS}"{ns3}'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<Activities>{''.join(activities)}</Activities></TrainingCenterDatabase>"
    )
