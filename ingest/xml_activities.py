"""Activities of a GPX or TCX document that may break off: what precedes the break is kept.

Shared by :mod:`ingest.gpx` and :mod:`ingest.tcx`: the document is parsed up to where it
breaks off (:func:`ingest.xmlsafe.parse_xml_partial`), read by the format's own reader, and
every activity found before the break carries a warning saying what was kept.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.etree.ElementTree import Element

from ingest.errors import NotAnActivity
from ingest.sample_evidence import describe_duration, recorded_seconds
from ingest.schema import Activity
from ingest.xmlsafe import parse_xml_partial


def read_partial(data: bytes, read_document: Callable[[Element | None], list[Activity]],
                 points: str) -> list[Activity]:
    """The activities ``read_document`` finds in ``data``, keeping those before a break.

    Parameters
    ----------
    data
        The raw document bytes.
    read_document
        The format's reader of a (possibly partial) tree; raises NotAnActivity.
    points
        What a sample is called in the format, for the warning ("track points").

    Raises
    ------
    NotAnActivity
        From ``read_document`` on a whole document.
    UnsafeInput, CorruptFile
        From :func:`ingest.xmlsafe.parse_xml_partial`; CorruptFile also for a document that
        breaks off before anything readable.
    """
    partial = parse_xml_partial(data)
    try:
        activities = read_document(partial.root)
    except NotAnActivity:
        if partial.damage is not None:  # nothing readable before the break
            raise partial.damage  # noqa: B904 - its cause is the parse error
        raise
    if partial.damage is not None:
        kept = sum(a.samples.height for a in activities)
        seconds = sum(recorded_seconds(a.samples) for a in activities)
        note = partial.note(f"{kept} {points} ({describe_duration(seconds)})" if kept
                            else "lap totals")
        for activity in activities:
            activity.warnings.insert(0, note)
            activity.damaged = activity.cut_short = True
    return activities
