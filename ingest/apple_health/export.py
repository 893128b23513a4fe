"""Cut an Apple Health export into pieces to import: one pass over ``export.xml``, then one
piece per workout and one for the wellness.

:func:`pieces` reads ``export.xml`` once (:func:`ingest.apple_health.xmlstream.stream_xml`
with :class:`ingest.apple_health.export_pass.ExportPass`) into a temporary
:class:`~ingest.apple_health.spool.Spool`, then yields ``(name, load)`` pairs: ``load()``
builds the bytes of a workout piece (its records and route read back then) or the wellness
piece. Where the export came from (a zip, a folder, the XML alone) is an
:class:`ExportSource`, made by :mod:`ingest.sources`. If reading stops early (a damaged or
truncated file), the first pair's ``load`` raises the reason and the workouts read before
it still follow; nothing half-read is stored.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ingest.apple_health.activity_types import type_words
from ingest.apple_health.export_pass import ExportPass
from ingest.apple_health.pieces import WORKOUT_MAGIC, encode
from ingest.apple_health.spool import Spool
from ingest.apple_health.values import KIND_IDS, PREFIX, window
from ingest.apple_health.wellness import wellness_piece
from ingest.apple_health.xmlstream import stream_xml
from ingest.errors import ImportProblem, TooLarge, UnsupportedFile

XML_NAME = "export.xml"
#: The folder beside export.xml holding the route GPX files of the workouts.
ROUTES_FOLDER = "workout-routes"
#: Bytes read to recognise an export (its DOCTYPE declares ``HealthData``; ~10 KB long).
HEAD_BYTES = 64 * 1024
#: Largest ``export.xml`` read [bytes]; real ones are 0.5-5 GB after years of a watch.
MAX_EXPORT_XML_BYTES = 16 * 1024**3
WELLNESS_NAME = "resting HR, HRV and sleep"
_EXPORT_MARK = re.compile(rb"<!DOCTYPE\s+HealthData|<HealthData[\s>]")

Progress = Callable[[str, int, int | None], None]
Piece = tuple[str, Callable[[], bytes]]


def looks_like_export(head: bytes) -> bool:
    """Whether the first bytes of an XML file are those of an Apple Health ``export.xml``."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and bool(
        _EXPORT_MARK.search(head))


def is_export_file(path: Path) -> bool:
    """Whether ``path`` is an ``export.xml`` file (by its content)."""
    try:
        with open(path, "rb") as handle:
            return looks_like_export(handle.read(HEAD_BYTES))
    except OSError:
        return False


@dataclass
class ExportSource:
    """Where one export's files are.

    Attributes
    ----------
    label
        The name of its ``export.xml`` in reports (``export.zip/apple_health_export/export.xml``).
    size
        Bytes of ``export.xml`` (for progress), if known.
    open_xml
        Opens ``export.xml`` for reading (a context manager).
    read_route
        The bytes of a route file given its ``FileReference`` path
        (``/workout-routes/route_2024-05-01_7.12am.gpx``); raises an ImportProblem or OSError.
    """

    label: str
    size: int | None
    open_xml: Callable[[], contextlib.AbstractContextManager[BinaryIO]]
    read_route: Callable[[str], bytes]


def folder_source(xml: Path, label: str | None = None) -> ExportSource:
    """An unzipped export: ``export.xml`` and the ``workout-routes`` folder beside it
    (``label``: its name in reports, default its path)."""
    folder = xml.parent.resolve()

    def read_route(reference: str) -> bytes:
        from ingest.reader import load_bytes

        path = (folder / reference.lstrip("/\\")).resolve()
        if not path.is_relative_to(folder):
            raise UnsupportedFile(f"route path {reference!r} leaves the export folder")
        return load_bytes(path)

    return ExportSource(label or os.fspath(xml), xml.stat().st_size, lambda: open(xml, "rb"),
                        read_route)


def workout_name(label: str, workout: dict) -> str:
    """'.../export.xml#2024-05-01 07:12 running' (the local start the export gives)."""
    attributes = workout["attributes"]
    return (f"{label}#{attributes.get('startDate', '')[:16]} "
            f"{type_words(attributes.get('workoutActivityType', ''))}")


def _routes(workout: dict, source: ExportSource) -> tuple[list[str], list[str]]:
    texts, notes = [], []
    for reference in workout["routes"]:
        try:
            texts.append(source.read_route(reference).decode("utf-8"))
        except (ImportProblem, OSError, UnicodeDecodeError, zipfile.BadZipFile, KeyError,
                zlib.error) as exc:
            reason = exc.reason if isinstance(exc, ImportProblem) else (
                "missing from the export" if isinstance(exc, KeyError | FileNotFoundError)
                else str(exc))
            notes.append(f"route {reference} not read ({reason})")
    return texts, notes


def workout_piece(workout: dict, spool: Spool, names: list[str], source: ExportSource
                  ) -> bytes:
    """The bytes of one workout piece (format: :mod:`ingest.apple_health.pieces`)."""
    span = window(workout["attributes"])
    records: dict[str, dict[str, list]] = {}
    local: dict[int, int] = {}  # spool source id -> index in this piece's sources
    for kind, kind_id in KIND_IDS.items() if span else ():
        assert span is not None  # no kinds are read without one
        rows = spool.window(kind_id, span[0], span[1])
        if rows:
            columns = records[kind.removeprefix(PREFIX)] = {
                "source": [], "start": [], "end": [], "value": []}
            for source_id, start, end, value in rows:
                columns["source"].append(local.setdefault(source_id, len(local)))
                columns["start"].append(start)
                columns["end"].append(end)
                columns["value"].append(value)
    texts, notes = _routes(workout, source)
    return encode(WORKOUT_MAGIC, {"workout": workout, "records": records, "routes": texts,
                                  "notes": notes,
                                  "sources": [names[i]
                                              for i in sorted(local, key=local.__getitem__)]})


def _read(source: ExportSource, spool: Spool, progress: Progress | None
          ) -> tuple[ExportPass, ImportProblem | None]:
    reader = ExportPass(spool)
    report = None if progress is None else (lambda done, total: progress(source.label, done,
                                                                         total))
    try:
        with source.open_xml() as stream:
            stream_xml(stream, reader, source.size, report)
    except ImportProblem as problem:
        return reader, problem
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        return reader, UnsupportedFile(f"export.xml could not be read to its end ({exc})")
    return reader, None


def _notes(reader: ExportPass, label: str) -> list[str]:
    notes = []
    if reader.unreadable:
        counts = ", ".join(f"{n} {kind.rpartition('Identifier')[2]}"
                           for kind, n in reader.unreadable.most_common())
        notes.append(f"{label}: records without a readable value, unit or date left out "
                     f"({counts})")
    if reader.dropped_children:
        notes.append(f"{label}: {reader.dropped_children} workout events, statistics or "
                     "metadata beyond the limit per workout left out")
    return notes


def pieces(source: ExportSource, notes: list[str], progress: Progress | None = None
           ) -> Iterator[Piece]:
    """(name, load) of every piece of the export, after one pass over ``export.xml``.

    ``notes`` receives one-line notes for the import report (records left out);
    ``progress(label, bytes read, total)`` is called while ``export.xml`` is read.
    """
    if source.size is not None and source.size > MAX_EXPORT_XML_BYTES:
        yield source.label, _raiser(TooLarge(
            f"export.xml is larger than {MAX_EXPORT_XML_BYTES // 1024**3} GB; too large"))
        return
    with tempfile.TemporaryDirectory(prefix="strideload-apple-health-") as folder:
        spool = Spool(Path(folder))
        try:
            reader, problem = _read(source, spool, progress)
            spool.finish()
            notes += _notes(reader, source.label)
            if problem is not None:
                if spool.workouts:
                    problem.reason += (f"; the {spool.workouts} workouts read before that "
                                       "are imported")
                yield source.label, _raiser(problem)
            names = sorted(spool.sources, key=spool.sources.__getitem__)
            for workout in spool.stored_workouts():
                yield workout_name(source.label, workout), (
                    functools.partial(workout_piece, workout, spool, names, source))
            wellness = wellness_piece(spool)
            if wellness is not None:
                yield f"{source.label}#{WELLNESS_NAME}", lambda: wellness
            elif not spool.workouts and problem is None:
                notes.append(f"{source.label}: no workouts, resting heart rate, HRV or sleep "
                             "in this Apple Health export")
        finally:
            spool.close()


def _raiser(problem: ImportProblem) -> Callable[[], bytes]:
    def fail() -> bytes:
        raise problem

    return fail
