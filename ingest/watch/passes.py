"""One pass over a watched folder: import what is new or changed, and only that.

A pass lists the folder (subfolders too, hidden files skipped, only names the importer
considers: :func:`ingest.sources.is_importable_name`) and compares each file's size and
modification time with what the store remembers (:mod:`ingest.watch.state`): unchanged files
cost one ``stat``. New and changed files are read; a file still being written waits:

* a FIT file is complete when its end is valid (:func:`ingest.watch.complete.fit_complete`);
  one that does not end properly (cut short, or still being copied) is imported, with what is
  readable, only after :data:`INCOMPLETE_FIT_SETTLE_S` unchanged;
* any other file (GPX, TCX, an archive) once its size and time have not changed for
  :data:`SETTLE_S`.

Complete files go through the store's normal import path (:func:`ingest.importer.import_items`),
so identical bytes are recognised by their hash and the same session from two files is kept
once. A file that cannot be read (a watch unplugged mid-pass) is left as it is, not remembered:
the next pass reads it again. The pass's reports go to the import history.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ingest.errors import TooLarge
from ingest.import_report import FileReport
from ingest.importer import Enrich, import_items
from ingest.reader import MAX_FILE_BYTES
from ingest.sources import Item, expand_upload, is_importable_name
from ingest.store import Store
from ingest.watch.complete import fit_complete, is_fit
from ingest.watch.state import (
    WAITING,
    Remembered,
    WatchedFolder,
    record_pass,
    remember,
    remembered,
)

#: Seconds a file other than a complete FIT file must keep its size and modification time
#: before it is imported (a copy or download in progress changes them every moment).
SETTLE_S = 2.0
#: Seconds a FIT file that does not end properly must stay unchanged before it is imported
#: with what is readable (a copy that stopped, or a watch that crashed while recording).
INCOMPLETE_FIT_SETTLE_S = 120.0


@dataclass
class PassResult:
    """What one pass over a folder did."""

    folder: WatchedFolder
    available: bool = True  # False: the folder is not there (a watch unplugged)
    reports: list[FileReport] = field(default_factory=list)
    read: int = 0  # files read (new or changed)
    waiting: dict[str, float] = field(default_factory=dict)  # path -> seconds to wait still
    pass_id: int | None = None  # its entry in the import history

    @property
    def wait_s(self) -> float | None:
        """Seconds until the next waiting file may be ready (None: nothing waits)."""
        return min(self.waiting.values()) if self.waiting else None


def _files(folder: str) -> Iterator[tuple[str, os.stat_result]]:
    """(path, stat) of the importable files under ``folder``, hidden ones skipped."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir():
                yield from _files(entry.path)
            elif entry.is_file() and is_importable_name(entry.name):
                yield entry.path, entry.stat()
        except OSError:  # gone meanwhile
            continue


def read_file(path: str) -> bytes:
    """The bytes of a watched file (one place, so tests can count the reads)."""
    with open(path, "rb") as handle:
        return handle.read()


@dataclass
class _Owner:
    """The watched file an item to import came from."""

    path: str
    size: int
    mtime_ns: int
    sha256: str
    seen_at: float


class _Pass:
    def __init__(self, store: Store, folder: WatchedFolder, now: float, settle_s: float,
                 incomplete_fit_s: float, result: PassResult) -> None:
        self.store = store
        self.folder = folder
        self.now = now
        self.settle_s = settle_s
        self.incomplete_fit_s = incomplete_fit_s
        self.result = result
        self.owners: list[_Owner] = []  # one per item given to the importer, in order

    def _wait(self, path: str, stat: os.stat_result, seen_at: float, need: float,
              known: Remembered | None) -> None:
        self.result.waiting[path] = need - (self.now - seen_at)
        if known is None or (known.status, known.size, known.mtime_ns, known.seen_at) != (
                WAITING, stat.st_size, stat.st_mtime_ns, seen_at):
            remember(self.store, path, Remembered(stat.st_size, stat.st_mtime_ns, "", WAITING,
                                                  seen_at))

    def items(self, memory: dict[str, Remembered]) -> Iterator[Item]:
        """Items of the new and changed files that are complete (read lazily, in order)."""
        for path, stat in _files(self.folder.path):
            known = memory.get(path)
            unchanged = known is not None and (known.size, known.mtime_ns) == (
                stat.st_size, stat.st_mtime_ns)
            if known is not None and unchanged and known.status != WAITING:
                continue
            seen_at = known.seen_at if known is not None and unchanged else self.now
            if unchanged and self.now - seen_at < self.settle_s:
                self._wait(path, stat, seen_at, self.settle_s, known)
                continue
            if stat.st_size > MAX_FILE_BYTES:
                self.owners.append(_Owner(path, stat.st_size, stat.st_mtime_ns, "", seen_at))
                yield Item.refused(path, TooLarge(f"file is larger than "
                                                  f"{MAX_FILE_BYTES // 2**20} MB"))
                continue
            try:
                data = read_file(path)
            except OSError:  # unplugged or unreadable now: the next pass tries again
                continue
            self.result.read += 1
            if len(data) != stat.st_size:  # written to while being read
                self._wait(path, stat, self.now, self.settle_s, known)
                continue
            fit = is_fit(data)
            if not (fit and fit_complete(data)):
                need = self.incomplete_fit_s if fit else self.settle_s
                if self.now - seen_at < need:
                    self._wait(path, stat, seen_at, need, known)
                    continue
            sha256 = hashlib.sha256(data).hexdigest()
            if known is not None and known.sha256 == sha256:  # touched or copied back
                remember(self.store, path, Remembered(stat.st_size, stat.st_mtime_ns, sha256,
                                                      known.status, seen_at))
                continue
            owner = _Owner(path, stat.st_size, stat.st_mtime_ns, sha256, seen_at)
            members = 0
            for item in expand_upload(path, data):  # archives: one item per member
                members += 1
                self.owners.append(owner)
                yield item
            if not members:  # an archive with nothing to import
                self.remember_reports(owner, [])

    def remember_reports(self, owner: _Owner, reports: list[FileReport]) -> None:
        statuses = {r.status for r in reports}
        status = next((s for s in ("imported", "rejected", "duplicate") if s in statuses),
                      "skipped")
        remember(self.store, owner.path, Remembered(owner.size, owner.mtime_ns, owner.sha256,
                                                    status, owner.seen_at))


def scan_folder(store: Store, folder: WatchedFolder, enrich: Enrich | None = None,
                jobs: int | None = 1, settle_s: float = SETTLE_S,
                incomplete_fit_s: float = INCOMPLETE_FIT_SETTLE_S,
                clock: Callable[[], float] = time.time) -> PassResult:
    """Import what is new or changed in one watched folder; record it in the history.

    Parameters
    ----------
    store
        Where activities, the remembered files and the history go.
    folder
        The folder; one that is not there gives a result with ``available=False``.
    enrich, jobs
        As for :func:`ingest.importer.import_items` (1: decode in this process).
    settle_s, incomplete_fit_s
        Seconds a file must stay unchanged before it is imported, when it is not a complete
        FIT file (:data:`SETTLE_S`), and when it is a FIT file that does not end properly
        (:data:`INCOMPLETE_FIT_SETTLE_S`).
    clock
        Unix time [s] (the time files are first seen unchanged from).
    """
    result = PassResult(folder)
    if not folder.available():
        result.available = False
        return result
    work = _Pass(store, folder, clock(), settle_s, incomplete_fit_s, result)
    pending: list[FileReport] = []
    owner: _Owner | None = None
    for index, report in enumerate(import_items(work.items(remembered(store, folder.path)),
                                                store, jobs=jobs, enrich=enrich)):
        if owner is not None and work.owners[index] is not owner:
            work.remember_reports(owner, pending)
            pending = []
        owner = work.owners[index]
        pending.append(report)
        result.reports.append(report)
    if owner is not None:
        work.remember_reports(owner, pending)
    result.pass_id = record_pass(store, "watch", result.reports, folder.path, folder.kind)
    return result


#: Longest a one-off import (``strideload import --from-watched``) waits for files still being
#: written [s]; files not complete by then are left for the next run.
ONE_OFF_WAIT_S = 30.0


def import_watched(store: Store, folders: list[WatchedFolder], enrich: Enrich | None = None,
                   jobs: int | None = None, max_wait_s: float = ONE_OFF_WAIT_S,
                   settle_s: float = SETTLE_S, incomplete_fit_s: float = INCOMPLETE_FIT_SETTLE_S
                   ) -> list[PassResult]:
    """One pass over each folder (for cron or a scheduled task), waiting up to ``max_wait_s``
    for files still being written; the last pass of each folder is returned."""
    results = []
    deadline = time.monotonic() + max_wait_s
    for folder in folders:
        reports: list[FileReport] = []
        while True:
            result = scan_folder(store, folder, enrich, jobs, settle_s, incomplete_fit_s)
            reports += result.reports
            wait = result.wait_s
            if wait is None or time.monotonic() + wait > deadline:
                break
            time.sleep(max(wait, 0.05))
        result.reports = reports
        results.append(result)
    return results
