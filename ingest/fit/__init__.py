"""FIT import: walk the bytes, decode each chained file, build activities, report damage."""

from __future__ import annotations

from collections.abc import Callable

from ingest.errors import NotAnActivity
from ingest.fit import fast_decoder, fitparse_decoder
from ingest.fit.build import build_activities, rows
from ingest.fit.scan import ScanResult, scan
from ingest.fit.tables import FitTables
from ingest.sample_evidence import describe_duration, recorded_seconds
from ingest.schema import Activity

Decoder = Callable[[bytes], FitTables]

#: FIT file types (file_id.type) that hold workouts.
ACTIVITY_FILE_TYPES = frozenset({"activity", None})


def _file_type(tables: FitTables) -> object:
    ids = rows(tables, "file_id")
    return ids[0].get("type") if ids else None


def _damage_warnings(result: ScanResult, activities: list[Activity], size: int) -> list[str]:
    notes = []
    if result.trailing_bytes and result.problem:
        notes.append(f"ignored {result.trailing_bytes} unreadable bytes after the activity")
    elif result.problem and result.problem_offset is not None:
        kept = sum(recorded_seconds(a.samples) for a in activities)
        notes.append(
            f"truncated or damaged FIT file ({result.problem}): kept the first "
            f"{describe_duration(kept)} ({result.problem_offset / size:.0%} of the file), "
            "the rest was unreadable"
        )
    if any(s.crc_ok is False for s in result.segments):
        notes.append("checksum mismatch: the file may be damaged; imported what could be read")
    if result.misaligned_fields:
        notes.append(
            f"{len(result.misaligned_fields)} field definitions had sizes that do not fit their "
            "type; those fields were skipped"
        )
    return notes


def fast_or_fitparse(data: bytes) -> FitTables:
    """Decode with the fast decoder, or with fitparse (noting why) what it does not support
    or cannot read."""
    try:
        return fast_decoder.decode(data)
    except fast_decoder.NotSupported as exc:
        note = f"decoded with fitparse (fast decoder: {exc})"
    except Exception:  # values of damaged messages the fast decoder trips on
        note = "decoded with fitparse (the fast decoder could not read a damaged part)"
    tables = fitparse_decoder.decode(data)
    tables.notes.append(note)
    return tables


def read_fit(data: bytes, decoder: Decoder = fast_or_fitparse) -> list[Activity]:
    """Decode FIT bytes (possibly chained) into activities, with warnings for any damage.

    Each chained file is decoded by ``decoder`` (default: the fast decoder, fitparse for what
    it does not support); each activity's ``decoder`` names the one that read it.

    Raises
    ------
    ingest.errors.Rejected
        Not a FIT file, nothing readable, or a FIT file that holds no activity.
    """
    result = scan(data)
    activities: list[Activity] = []
    other_types = []
    decoder_notes = []
    for segment in result.segments:
        tables = decoder(segment.data)
        if tables.stopped and segment.complete:
            decoder_notes.append(f"the decoder stopped early ({tables.stopped})")
        for note in tables.notes:
            if note not in decoder_notes:
                decoder_notes.append(note)
        file_type = _file_type(tables)
        if file_type not in ACTIVITY_FILE_TYPES:
            other_types.append(str(file_type))
            continue
        if tables.count("record") or tables.count("session"):
            for activity in build_activities(tables):
                activity.decoder = tables.decoder
                activity.cut_short = not segment.complete or tables.stopped is not None
                activity.damaged = activity.cut_short or segment.crc_ok is False
                activities.append(activity)
    if not activities:
        if other_types:
            raise NotAnActivity(f"a FIT '{other_types[0]}' file, not an activity")
        raise NotAnActivity("a FIT file without any activity records or sessions")
    notes = _damage_warnings(result, activities, len(data)) + decoder_notes
    for activity in activities:
        activity.warnings.extend(notes)
    return activities
