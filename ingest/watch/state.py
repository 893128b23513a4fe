"""What the watcher keeps in the store: the watched folders, the files already read, and the
import history (schema migration 7).

* The folders are a JSON list in the settings table (key :data:`FOLDERS_KEY`), each with its
  ``kind``: ``"garmin"`` for a watch's folders (the notice then says "from your watch"),
  ``"folder"`` for any other.
* ``watch_files`` remembers each file a pass has read: path, size, modification time (ns),
  SHA-256 of its bytes, what became of it (``status``: a report's status, or ``"waiting"``
  while it may still be written) and since when it has had this size and time (``seen_at``,
  Unix time [s]). A file whose size and time are unchanged is not read again; one whose bytes
  are unchanged (touched, copied back) is not imported again.
* ``import_passes`` and ``import_reports``: one row per import (a watch pass, an upload, an
  ``import`` command) and one per file in it, as :class:`ingest.importer.FileReport` gives them.
  The newest :data:`KEEP_PASSES` passes are kept. ``seen`` marks watch passes whose notice the
  runner dismissed.

The tables are created by :data:`ingest.watch.schema.MIGRATION`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ingest import scalars
from ingest.import_report import FileReport
from ingest.store import Store

FOLDERS_KEY = "watched_folders"
FOLDER_KINDS = ("folder", "garmin")
#: Origins of an import in the history.
ORIGINS = ("watch", "upload", "import")
#: Passes kept in the history (older ones are removed with their file lines).
KEEP_PASSES = 200


class WatchError(ValueError):
    """A folder that cannot be watched or unwatched, with a message for the runner."""


@dataclass(frozen=True)
class WatchedFolder:
    """One watched folder (``kind`` in :data:`FOLDER_KINDS`)."""

    path: str
    kind: str = "folder"

    def available(self) -> bool:
        """Is the folder there now (a watch plugged in, a network drive connected)?"""
        return os.path.isdir(self.path)

    def label(self) -> str:
        """How a notice names it: 'your watch', or the folder's name."""
        return "your watch" if self.kind == "garmin" else Path(self.path).name or self.path

    def as_dict(self) -> dict[str, object]:
        """The ``watch list --format json`` record."""
        return {"path": self.path, "kind": self.kind, "available": self.available()}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _read_folders(store: Store) -> list[WatchedFolder]:
    return [WatchedFolder(entry["path"], entry["kind"])
            for entry in json.loads(store.get_setting(FOLDERS_KEY) or "[]")]


def _write_folders(store: Store, folders: list[WatchedFolder]) -> None:
    store.set_setting(FOLDERS_KEY, json.dumps([{"path": f.path, "kind": f.kind}
                                               for f in folders]))


def watched_folders(store: Store) -> list[WatchedFolder]:
    """The watched folders, in the order they were added."""
    return _read_folders(store)


def normalise(path: str | os.PathLike) -> str:
    """The absolute form a folder is kept under (``~`` expanded, symlinks kept)."""
    return os.path.abspath(os.path.expanduser(os.fspath(path)))


def add_folders(store: Store, paths: list[str | os.PathLike], kind: str = "folder"
                ) -> list[WatchedFolder]:
    """Watch existing folders; returns those newly added (ones already watched are skipped).

    Raises
    ------
    WatchError
        A path that is no folder (nothing is added then).
    """
    if kind not in FOLDER_KINDS:
        raise WatchError(f"kind must be one of {', '.join(FOLDER_KINDS)}, not {kind!r}")
    wanted = [normalise(p) for p in paths]
    for path in wanted:
        if not os.path.isdir(path):
            reason = "is a file, not a folder" if os.path.exists(path) else "does not exist"
            raise WatchError(f"cannot watch {path}: it {reason}")
    with store.transaction():  # read and write at once: another process may add too
        folders = _read_folders(store)
        known = {f.path for f in folders}
        added = [WatchedFolder(p, kind) for p in dict.fromkeys(wanted) if p not in known]
        if added:
            _write_folders(store, folders + added)
    return added


def remove_folder(store: Store, path: str | os.PathLike) -> WatchedFolder:
    """Stop watching a folder (it may be gone already, e.g. a watch unplugged).

    Raises
    ------
    WatchError
        The folder is not watched.
    """
    target = normalise(path)
    with store.transaction():
        folders = _read_folders(store)
        kept = [f for f in folders if f.path != target]
        if len(kept) == len(folders):
            raise WatchError(f"{target} is not watched (see strideload watch list)")
        _write_folders(store, kept)
    return next(f for f in folders if f.path == target)


# -- files already read -----------------------------------------------------------------------
WAITING = "waiting"


@dataclass(frozen=True)
class Remembered:
    """What a pass saw at one path (``sha256`` is empty while it is waiting)."""

    size: int
    mtime_ns: int
    sha256: str
    status: str
    seen_at: float  # Unix time [s] since which the file has had this size and time


def remembered(store: Store, folder: str) -> dict[str, Remembered]:
    """The remembered files under ``folder``, by path."""
    prefix = folder.rstrip(os.sep) + os.sep
    rows = store.db.execute(
        "SELECT path, size, mtime_ns, sha256, status, seen_at FROM watch_files "
        "WHERE substr(path, 1, ?) = ?", (len(prefix), prefix))
    return {r["path"]: Remembered(r["size"], r["mtime_ns"], r["sha256"], r["status"],
                                  r["seen_at"]) for r in rows}


def remember(store: Store, path: str, seen: Remembered) -> None:
    """Remember what a pass saw at ``path``."""
    store.db.execute(
        "INSERT INTO watch_files VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
        "size = excluded.size, mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, "
        "status = excluded.status, seen_at = excluded.seen_at",
        (path, seen.size, seen.mtime_ns, seen.sha256, seen.status, seen.seen_at))


# -- import history ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Pass:
    """One import in the history: where from, when, and the counts of its files."""

    id: int
    at: str  # UTC, ISO 8601
    origin: str  # one of ORIGINS
    source: str  # the folder, or 'upload' / 'import'
    kind: str  # the folder's kind for a watch pass, else the origin
    imported: int
    duplicates: int
    rejected: int
    activities: int
    runs: int
    wellness_days: int

    def label(self) -> str:
        """Where the files came from, for a notice or the history: 'your watch', a folder's
        name, 'an upload', 'the command line'."""
        if self.origin == "watch":
            return WatchedFolder(self.source, self.kind).label()
        return {"upload": "an upload", "import": "the command line"}[self.origin]


def _runs(store: Store, report: FileReport) -> int:
    """Running activities among the ones a report imported (the newest from that file)."""
    if not report.activities:
        return 0
    rows = store.db.execute(
        "SELECT sport FROM activities WHERE source_file = ? ORDER BY id DESC LIMIT ?",
        (report.file, report.activities)).fetchall()
    return sum(r[0] == "running" for r in rows)


def record_pass(store: Store, origin: str, reports: list[FileReport], source: str = "",
                kind: str = "") -> int | None:
    """Add one import and its file lines to the history; None when there was no file."""
    if origin not in ORIGINS:
        raise ValueError(f"origin must be one of {', '.join(ORIGINS)}, not {origin!r}")
    if not reports:
        return None
    runs = [_runs(store, r) for r in reports]
    counts = {s: sum(r.status == s for r in reports) for s in ("imported", "duplicate",
                                                               "rejected")}
    with store.transaction() as db:
        pass_id = scalars.row_id(db.execute(
            "INSERT INTO import_passes (at, origin, source, kind, imported, duplicates, "
            "rejected, activities, runs, wellness_days) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_now(), origin, source or origin, kind or origin, counts["imported"],
             counts["duplicate"], counts["rejected"], sum(r.activities for r in reports),
             sum(runs), len({d for r in reports for d in r.wellness_dates}))))
        db.executemany(
            "INSERT INTO import_reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(pass_id, i, r.file, r.status, r.activities, n, r.wellness_days, r.reason,
              json.dumps(r.warnings)) for i, (r, n) in enumerate(zip(reports, runs,
                                                                     strict=True))])
        db.execute("DELETE FROM import_passes WHERE id <= ?", (pass_id - KEEP_PASSES,))
    return pass_id


def _pass(row) -> Pass:
    return Pass(*(row[name] for name in Pass.__dataclass_fields__))


def recent_passes(store: Store, limit: int = 20) -> list[Pass]:
    """The newest imports first."""
    rows = store.db.execute("SELECT * FROM import_passes ORDER BY id DESC LIMIT ?", (limit,))
    return [_pass(r) for r in rows]


def pass_reports(store: Store, pass_id: int) -> list[FileReport]:
    """The file lines of one import, in their order."""
    rows = store.db.execute(
        "SELECT file, status, activities, wellness_days, reason, warnings FROM import_reports "
        "WHERE pass_id = ? ORDER BY position", (pass_id,))
    return [FileReport(r["file"], r["status"], r["activities"], json.loads(r["warnings"]),
                       r["reason"], r["wellness_days"]) for r in rows]


def unseen_watch_passes(store: Store) -> list[Pass]:
    """Watch passes that imported or rejected something and whose notice is not dismissed."""
    rows = store.db.execute(
        "SELECT * FROM import_passes WHERE origin = 'watch' AND seen = 0 "
        "AND (imported > 0 OR rejected > 0) ORDER BY id")
    return [_pass(r) for r in rows]


def latest_watch_import(store: Store) -> int:
    """Id of the newest watch pass that imported something (0: none yet)."""
    return store.db.execute("SELECT COALESCE(MAX(id), 0) FROM import_passes "
                            "WHERE origin = 'watch' AND imported > 0").fetchone()[0]


def dismiss(store: Store, up_to: int) -> None:
    """Dismiss the notice of watch passes up to id ``up_to``."""
    store.db.execute("UPDATE import_passes SET seen = 1 WHERE origin = 'watch' AND id <= ?",
                     (up_to,))
