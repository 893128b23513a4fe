"""Find a plugged-in Garmin watch by its folders, and tell which folders need polling.

A Garmin watch connected over USB shows up as a drive (USB mass storage) or, on newer models
under Linux, as an MTP device that GNOME mounts through gvfs. Either way it holds a ``GARMIN``
folder with ``Activity`` (older models: ``Garmin/Activities``) and, on models that record them,
the wellness folders ``Monitor``, ``Sleep`` and ``HRV``. Drives appear under the platform's
removable-media places (:func:`media_places`); the names are matched ignoring case (FAT is
case-insensitive, and models differ).

Events of the file system do not arrive from network drives, FUSE mounts (MTP) and, depending
on the platform, FAT drives: :func:`needs_polling` tells which folders are checked by polling.
"""

from __future__ import annotations

import getpass
import os
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path

#: Overrides the places searched for a watch (folders separated by ``os.pathsep``).
MEDIA_ENV = "STRIDELOAD_MEDIA"
#: Where a watch's activities are, from its mount (newer models first).
ACTIVITY_FOLDERS = (("GARMIN", "Activity"), ("Garmin", "Activities"))
#: A watch's wellness folders (FIT files of resting HR, sleep and HRV), inside ``GARMIN``.
WELLNESS_FOLDERS = ("Monitor", "Sleep", "HRV")
#: File systems whose changes are not reported as events (or not reliably): polled instead.
POLLED_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "afs", "9p", "vfat", "msdos", "exfat", "fuseblk",
    "fuse", "fuse.gvfsd-fuse", "fuse.sshfs", "fuse.rclone", "davfs", "ncpfs",
})


@dataclass(frozen=True)
class GarminWatch:
    """A connected watch: its mount and the folders strideload imports from."""

    mount: str
    activity: str
    wellness: tuple[str, ...] = field(default=())

    @property
    def folders(self) -> list[str]:
        return [self.activity, *self.wellness]


def media_places() -> list[Path]:
    """Folders under which removable drives appear on this platform (or :data:`MEDIA_ENV`)."""
    if os.environ.get(MEDIA_ENV):
        return [Path(p) for p in os.environ[MEDIA_ENV].split(os.pathsep) if p]
    if sys.platform == "win32":
        return [Path(f"{letter}:\\") for letter in string.ascii_uppercase[3:]]
    if sys.platform == "darwin":
        return [Path("/Volumes")]
    user = getpass.getuser()
    return [Path("/media") / user, Path("/media"), Path("/run/media") / user,
            Path(f"/run/user/{os.getuid()}/gvfs")]


def _child(folder: Path, name: str) -> Path | None:
    """``folder/name`` ignoring the case of ``name``, if there is such a folder."""
    exact = folder / name
    if exact.is_dir():
        return exact
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.lower() == name.lower() and entry.is_dir():
                    return Path(entry.path)
    except OSError:
        pass
    return None


def _watch_at(mount: Path) -> GarminWatch | None:
    for parent, activities in ACTIVITY_FOLDERS:
        garmin = _child(mount, parent)
        activity = _child(garmin, activities) if garmin else None
        if garmin is not None and activity is not None:
            wellness = tuple(os.fspath(p) for p in (_child(garmin, n) for n in WELLNESS_FOLDERS)
                             if p is not None)
            return GarminWatch(os.fspath(mount), os.fspath(activity), wellness)
    return None


def _subfolders(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            return sorted(Path(e.path) for e in entries if e.is_dir() and not
                          e.name.startswith("."))
    except OSError:
        return []


def find_garmin_watches(places: list[Path] | None = None) -> list[GarminWatch]:
    """Connected Garmin watches: a mount (or, for MTP, a storage inside one) under a media
    place holding ``GARMIN/Activity`` or ``Garmin/Activities``."""
    found: dict[str, GarminWatch] = {}
    for place in media_places() if places is None else places:
        for mount in [place] if sys.platform == "win32" else _subfolders(place):
            for candidate in [mount, *_subfolders(mount)]:  # MTP: mount/<storage>/GARMIN
                watch = _watch_at(candidate)
                if watch is not None:
                    found.setdefault(os.path.realpath(watch.activity), watch)
                    break
    return list(found.values())


def _mounts() -> list[tuple[str, str]]:
    """(mount point, file system type) of this machine's mounts (Linux; empty elsewhere)."""
    try:
        with open("/proc/self/mounts", encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return []
    mounts = []
    for line in lines:
        parts = line.split()
        if len(parts) >= 3:  # spaces in mount points are written as \040
            mounts.append((parts[1].replace("\\040", " "), parts[2]))
    return mounts


def filesystem_of(path: str, mounts: list[tuple[str, str]] | None = None) -> str | None:
    """The file system type of the mount holding ``path`` (Linux), else None."""
    resolved = os.path.realpath(path)
    best: tuple[int, str] | None = None
    for point, kind in _mounts() if mounts is None else mounts:
        inside = resolved == point or resolved.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) > best[0]):
            best = (len(point), kind)
    return best[1] if best else None


def needs_polling(path: str, mounts: list[tuple[str, str]] | None = None) -> bool:
    """Should this folder be polled rather than trusted to report changes as events?

    Network drives and FUSE/FAT mounts on Linux (by file system type), network shares on
    Windows (``\\\\server\\share``), and anything under a removable-media place.
    """
    if path.startswith("\\\\"):
        return True
    kind = filesystem_of(path, mounts)
    if kind is not None and kind in POLLED_FILESYSTEMS:
        return True
    resolved = Path(os.path.realpath(path))
    return sys.platform != "win32" and any(place in resolved.parents for place in media_places())
