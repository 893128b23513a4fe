"""Expand what the user names (files, folders, .zip archives, nested zips) into single files.

Archives are read entry by entry, never extracted to disk: an archive nested uncompressed in
an archive on disk (a Garmin export's ``UploadedFiles_*_Part<N>.zip``) is read in place
through a window onto that file (:mod:`ingest.zip_window`); other nested archives are read
into memory. Each entry of an archive carries its fingerprint (:data:`Fingerprint`), by which
a store can tell an entry it imported before without reading it
(:meth:`ingest.store.Store.file_by_member`). Entries are refused when their path would
escape the archive's folder (absolute paths, ``..``), when they declare or expand to more than
the caps below, or when they compress suspiciously well (zip bombs).
Inside folders and archives only files with a known extension are considered, and wellness
files by name (:data:`WELLNESS_NAME`: a Garmin export's sleep, health-status and daily-summary
JSON, web-API JSON named for sleep, HRV or resting HR, a wellness CSV); other files (JSON
sidecars of a Garmin export, CSVs of a Strava export) are counted as skipped. A Strava
export's ``activities.csv`` is read first, for the gear of each file (:mod:`ingest.strava`).
An Apple Health export (an ``export.xml`` recognised by its content, in an archive, a folder
or named alone) is streamed, never read whole, and cut into one item per workout and one for
its wellness (:mod:`ingest.apple_health.export`); its route files are read by its workouts.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ingest import strava
from ingest.apple_health import export as apple
from ingest.errors import ImportProblem, TooLarge, UnsafeInput, UnsupportedFile
from ingest.reader import MAX_FILE_BYTES
from ingest.zip_window import Window, member_window

#: Extensions considered inside folders and archives (lower case), also with one or more
#: ``.gz`` after them (``.fit.gz`` of a Strava export, ``.fit.gz.gz``).
ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")
ARCHIVE_SUFFIXES = (".zip",)
#: Wellness files considered inside folders and archives (matched on the file's own name).
WELLNESS_NAME = re.compile(
    r"(^UDSFile_|_healthStatusData|sleep|hrv|rhr|resting_?heart_?rate).*\.json$"
    r"|wellness.*\.csv$", re.IGNORECASE)
#: Total bytes one archive (with its nested archives) may expand to.
MAX_ARCHIVE_BYTES = 8 * 1024**3
#: Largest compression ratio accepted for an entry; FIT compresses ~3-5x, GPX ~10-20x,
#: zip bombs 1000x and more.
MAX_COMPRESSION_RATIO = 100
#: Deepest nesting of archives inside archives (a Garmin export nests one level).
MAX_ARCHIVE_DEPTH = 4


#: An archive entry's path in its archive, CRC-32 and size: what its archive's directory
#: says about it, known without reading it.
Fingerprint = tuple[str, int, int]


@dataclass
class Item:
    """One file to import: a display name and a way to get its bytes (or the reason it can't)."""

    name: str
    load: Callable[[], bytes]
    #: An archive entry's fingerprint (None for a file on its own).
    fingerprint: Fingerprint | None = None

    @staticmethod
    def refused(name: str, problem: ImportProblem) -> Item:
        def fail() -> bytes:
            raise problem.with_file(name)

        return Item(name, fail)


@dataclass
class Expansion:
    """Counts kept while expanding, for the final report."""

    skipped: int = 0
    #: Gear of Strava export files: item name -> gear name (:func:`ingest.strava.read_gear`).
    gear_by_file: dict[str, str] = field(default_factory=dict)
    #: activities.csv files that could not be read, with the reason; Apple Health records
    #: left out.
    notes: list[str] = field(default_factory=list)
    #: Called while a file is read in one long pass (an Apple Health ``export.xml``):
    #: ``progress(name, bytes read, total bytes or None)``.
    progress: apple.Progress | None = None

    def read_export_csv(self, load: Callable[[], bytes], folder: str, label: str) -> None:
        """Read a Strava activities.csv (a one-line note if it cannot be read)."""
        try:
            self.gear_by_file.update(strava.read_gear(load(), folder))
        except (strava.ExportProblem, ImportProblem, OSError, zipfile.BadZipFile) as exc:
            self.notes.append(f"{label}: gear not read ({exc})")


def _is_activity_name(name: str) -> bool:
    """An activity file's name (also under gzip layers), or a wellness file's
    (:data:`WELLNESS_NAME`)."""
    lowered = name.lower()
    while lowered.endswith(".gz"):
        lowered = lowered[:-3]
    return (lowered.endswith(ACTIVITY_SUFFIXES)
            or WELLNESS_NAME.search(posixpath.basename(name.replace("\\", "/"))) is not None)


def _is_archive_name(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def is_importable_name(name: str) -> bool:
    """Is a file of this name considered inside folders: an activity, wellness or archive?"""
    return _is_activity_name(name) or _is_archive_name(name)


def _unsafe_member(name: str) -> bool:
    normalized = posixpath.normpath(name.replace("\\", "/"))
    return (
        normalized.startswith(("/", "../"))
        or normalized == ".."
        or (len(normalized) > 1 and normalized[1] == ":")
    )


class _Budget:
    """Bytes an archive (and its nested archives) may still expand to."""

    def __init__(self) -> None:
        self.left = MAX_ARCHIVE_BYTES

    def take(self, info: zipfile.ZipInfo) -> None:
        if info.file_size > MAX_FILE_BYTES:
            raise TooLarge(f"declares {info.file_size / 2**20:.0f} MB uncompressed; too large")
        if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
            raise UnsafeInput(
                f"compressed {info.file_size // max(info.compress_size, 1)}:1 (possible zip bomb)"
            )
        if info.file_size > self.left:
            raise UnsafeInput(f"archive expands beyond the {MAX_ARCHIVE_BYTES / 2**30:g} GB "
                              "limit (possible zip bomb)")
        self.left -= info.file_size


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read one entry, never more than its declared size (lying headers are caught)."""
    with archive.open(info) as stream:
        data = stream.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise UnsafeInput("entry is larger than its header says (possible zip bomb)")
    return data


Source = bytes | Path | Window


def _open_zip(data: Source) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsupportedFile(f"damaged zip archive ({exc})") from exc


def _nested(source: Source, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Source:
    """A nested archive's bytes: a window onto the file when it is stored uncompressed in an
    archive on disk, else read into memory."""
    if isinstance(source, bytes) or info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 1:
        return _read_member(archive, info)
    return member_window(source, info)


def _zip_items(
    source: Source, label: str, stats: Expansion, budget: _Budget, depth: int
) -> Iterator[Item]:
    try:
        archive = _open_zip(source)
    except ImportProblem as problem:
        yield Item.refused(label, problem)
        return
    with archive, contextlib.closing(source) if isinstance(source, Window) else (
            contextlib.nullcontext()):
        export = _zip_export(archive, label, budget)
        if export is not None:
            yield from _export_items(export[0], stats)
        for info in archive.infolist():
            if (strava.is_activities_csv(info.filename) and not _unsafe_member(info.filename)
                    and info.file_size <= strava.MAX_CSV_BYTES):
                folder = posixpath.dirname(info.filename.replace("\\", "/"))
                stats.read_export_csv(functools.partial(_read_member, archive, info),
                                      f"{label}/{folder}/" if folder else f"{label}/",
                                      f"{label}/{info.filename}")
        for info in archive.infolist():
            if info.is_dir() or (export is not None and (
                    info.filename == export[1][0] or info.filename.startswith(export[1][1]))):
                continue  # export.xml and its routes are read by the export's items
            name = f"{label}/{info.filename}"
            wanted_archive = _is_archive_name(info.filename)
            if not (wanted_archive or _is_activity_name(info.filename)):
                stats.skipped += 1
                continue
            if _unsafe_member(info.filename):
                yield Item.refused(name, UnsafeInput("path escapes the archive folder; refused"))
                continue
            try:
                budget.take(info)
            except ImportProblem as problem:
                yield Item.refused(name, problem)
                continue
            if wanted_archive:
                if depth >= MAX_ARCHIVE_DEPTH:
                    yield Item.refused(name, UnsafeInput("archives nested too deeply"))
                    continue
                try:
                    inner = _nested(source, archive, info)
                except (ImportProblem, zipfile.BadZipFile, OSError, EOFError) as exc:
                    refusal = exc if isinstance(exc, ImportProblem) else UnsupportedFile(
                        f"damaged archive entry ({exc})"
                    )
                    yield Item.refused(name, refusal)
                    continue
                yield from _zip_items(inner, name, stats, budget, depth + 1)
            else:
                yield Item(name, _member_loader(archive, info),
                           (info.filename, info.CRC, info.file_size))


def _zip_export(archive: zipfile.ZipFile, label: str, budget: _Budget
                ) -> tuple[apple.ExportSource, tuple[str, str]] | None:
    """The Apple Health export in an archive, if any, and the names of the members it reads
    itself (its export.xml and the prefix of its routes)."""
    for info in archive.infolist():
        name = info.filename.replace("\\", "/")
        if posixpath.basename(name).lower() != apple.XML_NAME or _unsafe_member(name):
            continue
        try:
            with archive.open(info) as stream:
                head = stream.read(apple.HEAD_BYTES)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
            continue
        if apple.looks_like_export(head):
            return _zip_source(archive, info, label, budget)
    return None


def _zip_source(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, budget: _Budget
                ) -> tuple[apple.ExportSource, tuple[str, str]]:
    folder = posixpath.dirname(info.filename.replace("\\", "/"))
    prefix = f"{folder}/" if folder else ""
    source = apple.ExportSource(f"{label}/{info.filename}", info.file_size,
                                lambda: _open_export(archive, info),
                                lambda reference: _read_route(archive, prefix, reference, budget))
    return source, (info.filename, f"{prefix}{apple.ROUTES_FOLDER}/")


def _open_export(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> BinaryIO:
    """A stream of an archived export.xml (never more than its declared size)."""
    if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
        raise UnsafeInput(f"compressed {info.file_size // info.compress_size}:1 "
                          "(possible zip bomb)")
    return archive.open(info)  # type: ignore[return-value]  # typeshed: IO, not ZipExtFile


def _read_route(archive: zipfile.ZipFile, prefix: str, reference: str, budget: _Budget
                ) -> bytes:
    """An archived route file named by its path in export.xml (KeyError if it is missing)."""
    member = posixpath.normpath(prefix + reference.replace("\\", "/").lstrip("/"))
    if _unsafe_member(member) or not member.startswith(prefix):
        raise UnsafeInput(f"route path {reference!r} escapes the export folder")
    info = archive.getinfo(member)
    budget.take(info)
    return _read_member(archive, info)


def _export_items(source: apple.ExportSource, stats: Expansion) -> Iterator[Item]:
    for name, load in apple.pieces(source, stats.notes, stats.progress):
        yield Item(name, load)


def _member_loader(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], bytes]:
    def load() -> bytes:
        try:
            return _read_member(archive, info)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise UnsupportedFile(f"damaged archive entry ({exc})") from exc

    return load


def _path_loader(path: Path) -> Callable[[], bytes]:
    def load() -> bytes:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise TooLarge(f"file is larger than {MAX_FILE_BYTES // 2**20} MB")
        return path.read_bytes()

    return load


def _path_items(path: Path, stats: Expansion, explicit: bool, label: str | None = None
                ) -> Iterator[Item]:
    label = label or os.fspath(path)
    if path.is_dir():
        for export in sorted(path.rglob(strava.ACTIVITIES_CSV)):
            if export.is_file() and export.stat().st_size <= strava.MAX_CSV_BYTES:
                stats.read_export_csv(export.read_bytes, os.fspath(export.parent) + "/",
                                      os.fspath(export))
        children = [child for child in sorted(path.rglob("*"))
                    if child.is_file() and not child.name.startswith(".")]
        exports = [child for child in children
                   if child.name.lower() == apple.XML_NAME and apple.is_export_file(child)]
        routes = [xml.parent / apple.ROUTES_FOLDER for xml in exports]
        for child in children:
            if child in exports:
                yield from _export_items(apple.folder_source(child), stats)
            elif any(child.is_relative_to(folder) for folder in routes):
                continue  # read by the export's workouts
            elif is_importable_name(child.name):
                yield from _path_items(child, stats, explicit=False)
            else:
                stats.skipped += 1
    elif not path.exists():
        yield Item.refused(label, UnsupportedFile("no such file or folder"))
    elif explicit and apple.is_export_file(path):
        yield from _export_items(apple.folder_source(path, label), stats)
    elif _is_archive_name(path.name) or (explicit and zipfile.is_zipfile(path)):
        yield from _zip_items(path, label, stats, _Budget(), depth=1)
    else:
        yield Item(label, _path_loader(path))


def expand_upload(name: str, data: bytes, stats: Expansion | None = None) -> Iterator[Item]:
    """Items of one uploaded file (a browser upload: name and bytes, nothing on disk)."""
    stats = stats if stats is not None else Expansion()
    if _is_archive_name(name) or data[:4] == b"PK\x03\x04":
        yield from _zip_items(data, name, stats, _Budget(), depth=1)
    elif apple.looks_like_export(data[:apple.HEAD_BYTES]):
        yield from _export_items(apple.ExportSource(
            name, len(data), lambda: io.BytesIO(data), _no_route), stats)
    else:
        yield Item(name, lambda: data)


def _no_route(reference: str) -> bytes:
    raise UnsupportedFile("not uploaded (upload the whole export.zip for the routes)")


def expand_file(path: Path, label: str, stats: Expansion | None = None) -> Iterator[Item]:
    """Items of one file on disk named ``label`` in reports (a browser upload kept in a
    temporary file under its original name)."""
    stats = stats if stats is not None else Expansion()
    yield from _path_items(path, stats, explicit=True, label=label)


def expand(paths: list[str | os.PathLike], stats: Expansion | None = None) -> Iterator[Item]:
    """Yield one :class:`Item` per activity file found under ``paths``, lazily.

    Files named explicitly are always tried (the decoder decides); inside folders and archives
    only known extensions are. Damaged or unsafe entries become items whose ``load`` raises
    the reason, so the caller reports them like any other rejected file.
    """
    stats = stats if stats is not None else Expansion()
    for path in paths:
        yield from _path_items(Path(path), stats, explicit=True)
