"""How many files an import will go through, counted before it starts (a progress bar's ETA).

Counted from folder listings and archives' central directories, as :func:`ingest.sources.expand`
will find them: activity and wellness files, and the entries of archives inside archives (a
Garmin export's ``UploadedFiles_*.zip``, stored in its archive: only its directory is read).
``None`` when the count cannot be known cheaply: an archive compressed inside another (it would
have to be inflated twice), an Apple Health export (cut into workouts while it is read) or an
unreadable archive. The bar then shows files done without the time left.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
from pathlib import Path
from typing import IO

from ingest.sources import MAX_ARCHIVE_DEPTH, is_importable_name


def count_files(paths: list[str | os.PathLike]) -> int | None:
    """Files ``expand(paths)`` will yield, or ``None`` if that cannot be known cheaply."""
    total = 0
    for path in map(Path, paths):
        if path.is_dir():
            files = [child for child in path.rglob("*")
                     if child.is_file() and not child.name.startswith(".")
                     and is_importable_name(child.name)]
        else:
            files = [path]
        for file in files:
            count = _archive_count(file) if zipfile.is_zipfile(file) else 1
            if count is None:
                return None
            total += count
    return total


def _archive_count(source: Path | _Slice, depth: int = 1) -> int | None:
    try:
        with zipfile.ZipFile(source) as archive:
            total = 0
            for info in archive.infolist():
                name = info.filename.lower()
                if info.is_dir() or not is_importable_name(name):
                    if name.endswith("export.xml"):
                        return None  # an Apple Health export
                    continue
                if name.endswith(".zip") and depth < MAX_ARCHIVE_DEPTH:
                    inner = _stored_member(archive, info)
                    count = None if inner is None else _archive_count(inner, depth + 1)
                    if count is None:
                        return None
                    total += count
                else:
                    total += 1
            return total
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None


class _Slice(io.RawIOBase):
    """Bytes ``start`` to ``start + size`` of a seekable file, as a file of their own."""

    def __init__(self, handle: IO[bytes], start: int, size: int) -> None:
        self.handle, self.start, self.size, self.position = handle, start, size, 0

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = min(max(base + offset, 0), self.size)
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:  # noqa: ANN001 - a writable buffer
        self.handle.seek(self.start + self.position)
        wanted = min(len(buffer), self.size - self.position)
        data = self.handle.read(wanted)
        buffer[:len(data)] = data
        self.position += len(data)
        return len(data)


def _stored_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> _Slice | None:
    """An uncompressed member as a seekable file (its data read in place); None otherwise."""
    if info.compress_type != zipfile.ZIP_STORED or archive.fp is None:
        return None
    archive.fp.seek(info.header_offset)
    header = archive.fp.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return None
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    return _Slice(archive.fp, info.header_offset + 30 + name_length + extra_length,
                  info.file_size)
