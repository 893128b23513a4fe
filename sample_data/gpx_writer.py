"""Write a :class:`~sample_data.recording.Recording` as GPX 1.1, as a phone running app does.

One ``trk`` of type ``running`` with one ``trkseg`` per stretch between pauses; each 1 Hz
``trkpt`` has ``ele`` (GPS altitude), ``time`` (UTC) and, when a chest strap was connected,
Garmin TrackPointExtension v1 ``hr`` and ``cad`` (cadence in strides/min, like the FIT
``cadence`` field).
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import quoteattr

import numpy as np

from sample_data.recording import Recording

CREATOR = "RunTracker 6.4 (Android)"
HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<gpx version=\"1.1\" creator={creator}"
    ' xmlns="http://www.topografix.com/GPX/1/1"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"'
    ' xsi:schemaLocation="http://www.topografix.com/GPX/1/1'
    " http://www.topografix.com/GPX/1/1/gpx.xsd"
    " http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
    ' http://www.garmin.com/xmlschemas/TrackPointExtensionv1.xsd">\n'
)


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _track_name(rec: Recording) -> str:
    local = rec.start + dt.timedelta(seconds=rec.local_offset_s)
    part = "Morning" if local.hour < 12 else "Afternoon" if local.hour < 18 else "Evening"
    return f"{part} Run"


def gpx_bytes(rec: Recording) -> bytes:
    """The GPX document of one outdoor run (UTF-8 bytes)."""
    c = rec.columns
    times = [_iso(rec.start + dt.timedelta(seconds=int(s))) for s in rec.time_s]
    lat = [f"{v:.7f}" for v in c["lat"]]
    lon = [f"{v:.7f}" for v in c["lon"]]
    ele = [f"{v:.1f}" for v in c["altitude"]]
    if "heart_rate" in c:
        hr = np.round(c["heart_rate"]).astype(int).tolist()
        cad = np.round(c["cadence"] / 2.0).astype(int).tolist()
        extensions = [
            "<extensions><gpxtpx:TrackPointExtension>"
            f"<gpxtpx:hr>{h}</gpxtpx:hr><gpxtpx:cad>{k}</gpxtpx:cad>"
            "</gpxtpx:TrackPointExtension></extensions>"
            for h, k in zip(hr, cad, strict=True)
        ]
    else:
        extensions = [""] * rec.n
    resumed = {resume for _, resume in rec.pauses}
    parts = [
        HEADER.format(creator=quoteattr(CREATOR)),
        f" <metadata><time>{times[0]}</time></metadata>\n",
        f" <trk>\n  <name>{_track_name(rec)}</name>\n  <type>running</type>\n  <trkseg>\n",
    ]
    for i, second in enumerate(rec.time_s.tolist()):
        if second in resumed:
            parts.append("  </trkseg>\n  <trkseg>\n")
        parts.append(
            f'   <trkpt lat="{lat[i]}" lon="{lon[i]}"><ele>{ele[i]}</ele>'
            f"<time>{times[i]}</time>{extensions[i]}</trkpt>\n"
        )
    parts.append("  </trkseg>\n </trk>\n</gpx>\n")
    return "".join(parts).encode("utf-8")
