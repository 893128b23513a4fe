"""One entry point for single files: bytes (or a path or file object) in, activities out."""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from ingest import derive, plausibility, sanitize
from ingest.apple_health.pieces import WORKOUT_MAGIC
from ingest.errors import ImportProblem, TooLarge, UnsafeInput, UnsupportedFile
from ingest.schema import Activity

#: Largest single activity file we decode (after decompression) [bytes]. A 24-hour 1 Hz FIT
#: recording with every sensor is ~10 MB; a GPX of the same ~40 MB.
MAX_FILE_BYTES = 256 * 1024 * 1024
#: Gzip layers unwrapped around one file (``x.fit.gz.gz``, a double-compressed ``x.fit.gz``).
MAX_GZIP_LAYERS = 3

Source = str | os.PathLike | bytes | bytearray | BinaryIO


def load_bytes(source: Source, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a path, bytes or file object (closing only what we open), refusing > ``limit``."""
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        if path.stat().st_size > limit:
            raise TooLarge(f"file is larger than {limit // 2**20} MB")
        data = path.read_bytes()
    else:
        data = source.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"file is larger than {limit // 2**20} MB")
    return data


def gunzip(data: bytes, limit: int = MAX_FILE_BYTES) -> bytes:
    """Decompress gzip bytes, refusing output over ``limit`` (a gzip bomb) or damage."""
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while chunk := stream.read(1 << 20):
                out += chunk
                if len(out) > limit:
                    raise UnsafeInput(
                        f"gzip expands to more than {limit // 2**20} MB (possible gzip bomb)"
                    )
    except (OSError, EOFError, zlib.error) as exc:
        raise UnsupportedFile(f"damaged gzip data ({exc})") from exc
    return bytes(out)


def sniff(data: bytes) -> str:
    """Detect the format from content: 'fit', 'gpx', 'tcx', 'gz', 'zip' or 'apple_health'
    (a workout of an Apple Health export, :mod:`ingest.apple_health.pieces`)."""
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    if data.startswith(WORKOUT_MAGIC):
        return "apple_health"
    if data[:2] == b"\x1f\x8b":
        return "gz"
    if data[:4] == b"PK\x03\x04":
        return "zip"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<"):
        if b"<gpx" in head:
            return "gpx"
        if b"<trainingcenterdatabase" in head:
            return "tcx"
    if not data.strip():
        raise UnsupportedFile("empty file")
    if head.startswith(b"<"):
        raise UnsupportedFile("XML, but neither GPX nor TCX")
    raise UnsupportedFile("not a FIT, GPX or TCX file")


def _decoders() -> dict[str, Callable[[bytes], list[Activity]]]:
    from ingest import gpx, tcx
    from ingest.apple_health.workouts import read_workout
    from ingest.fit import read_fit

    return {"fit": read_fit, "gpx": gpx.parse_gpx, "tcx": tcx.parse_tcx,
            "apple_health": read_workout}


def _plausible(activities: list[Activity]) -> list[Activity]:
    """The activities whose totals can be made plausible; the first refusal if none can."""
    kept, refused = [], []
    for activity in activities:
        try:
            kept.append(plausibility.ensure_plausible(activity))
        except ImportProblem as problem:
            refused.append(problem)
    if not kept:
        raise refused[0]
    for refusal in refused:
        for activity in kept:
            activity.warnings.append(f"another session of the file was left out: {refusal}")
    return kept


def read_activities(source: Source, name: str | None = None) -> list[Activity]:
    """Decode one file (FIT, GPX, TCX, gzip-compressed up to MAX_GZIP_LAYERS times).

    Raises an :class:`~ingest.errors.ImportProblem` subclass naming ``name`` when the file is
    refused; salvage and clean-up notes end up in each activity's ``warnings``.
    """
    if name is None:
        name = os.fspath(source) if isinstance(source, str | os.PathLike) else "<input>"
    try:
        data = load_bytes(source)
        kind = sniff(data)
        for _ in range(MAX_GZIP_LAYERS):
            if kind != "gz":
                break
            data = gunzip(data)
            kind = sniff(data)
        if kind == "gz":
            raise UnsafeInput(f"gzip inside gzip more than {MAX_GZIP_LAYERS} layers deep")
        if kind == "zip":
            raise UnsupportedFile("a zip archive: import it as an archive, not as one activity")
        activities = _decoders()[kind](data)
        for index, activity in enumerate(activities):
            activity.summary.session_index = index
            sanitize.clean(activity)
            derive.complete(activity)
        return _plausible(activities)
    except ImportProblem as problem:
        problem.with_file(name)
        raise
