"""The pieces one export is cut into: one per workout, one for the wellness; bytes to import.

A piece goes through the importer like a file (hashed, decoded in a worker process, stored,
reported): importing the same export again finds every piece already known, and one damaged
workout rejects that workout only. A piece is a first line naming its kind and version
(:data:`WORKOUT_MAGIC`, :data:`WELLNESS_MAGIC`) and one JSON object:

workout
    ``workout`` (the element as :func:`ingest.apple_health.export_pass.new_workout` made it),
    ``sources`` (source names), ``records`` (record type -> ``source``, ``start``, ``end``
    [epoch ms] and ``value`` lists in the units of :data:`ingest.apple_health.values.QUANTITIES`,
    every record overlapping the workout), ``routes`` (the route GPX texts) and ``notes``
    (routes that could not be read).
wellness
    ``days`` (``date`` -> value name -> value) and ``asleep`` ([start, end] epoch ms).

JSON is written with sorted keys, so the same workout always gives the same bytes.
"""

from __future__ import annotations

import json

from ingest.errors import CorruptFile

WORKOUT_MAGIC = b"strideload-apple-health-workout 1\n"
WELLNESS_MAGIC = b"strideload-apple-health-wellness 1\n"
FORMAT = "apple_health"


def encode(magic: bytes, content: dict) -> bytes:
    return magic + json.dumps(content, sort_keys=True, separators=(",", ":")).encode()


def decode(data: bytes, magic: bytes) -> dict:
    """The JSON object of a piece; raises :class:`CorruptFile` when it is not one."""
    if not data.startswith(magic):
        raise CorruptFile("not a piece of an Apple Health export")
    try:
        content = json.loads(data[len(magic):])
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorruptFile(f"damaged Apple Health export piece ({exc})") from exc
    if not isinstance(content, dict):
        raise CorruptFile("damaged Apple Health export piece (not an object)")
    return content


def is_piece(data: bytes) -> bool:
    return data.startswith((WORKOUT_MAGIC, WELLNESS_MAGIC))
