"""How many files an import will go through, counted before it starts (a progress bar's ETA).

Counted from folder listings and archives' central directories, as :func:`ingest.sources.expand`
will find them: activity and wellness files, and the entries of archives inside archives (a
Garmin export's ``UploadedFiles_*.zip``; one stored in its archive is read at its directory
only, a compressed one is inflated once). ``None`` when the count cannot be known beforehand: an
Apple Health export (cut into workouts while it is read) or an unreadable archive.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

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


def _archive_count(source: Path | zipfile.ZipExtFile, depth: int = 1) -> int | None:
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
                    with archive.open(info) as member:
                        inner = _archive_count(member, depth + 1)
                    if inner is None:
                        return None
                    total += inner
                else:
                    total += 1
            return total
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None
