"""Import new files from the watched folders while a program runs.

:class:`Watcher` runs passes (:func:`ingest.watch.passes.scan_folder`) in one thread of its
own, with a store connection of its own:

* file-system events (watchdog: inotify, FSEvents, ReadDirectoryChangesW) wake it as soon as
  a file in a watched folder changes; it waits :data:`DEBOUNCE_S` for more, then runs a pass;
* folders whose events do not arrive (network drives, FUSE and FAT mounts, a watch:
  :func:`ingest.watch.devices.needs_polling`) are polled every :data:`POLL_S`; all others are
  re-read every :data:`RESCAN_S` as well, in case an event was lost;
* a folder that disappears (a watch unplugged) is checked for every :data:`POLL_S` and read
  again as soon as it is back; a file still being written is looked at again when it may be
  complete;
* the folder list is re-read every :data:`POLL_S`, so folders added on the Settings page or
  the command line are watched within seconds.

A pass that fails on a bug is logged (logger ``ingest.watch``) and retried later; the thread
goes on.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from ingest.importer import Enrich
from ingest.sources import is_importable_name
from ingest.store import Store
from ingest.watch.devices import needs_polling
from ingest.watch.passes import INCOMPLETE_FIT_SETTLE_S, SETTLE_S, PassResult, scan_folder
from ingest.watch.state import WatchedFolder, watched_folders

#: Seconds between polls of folders without events, of missing folders and of the folder list.
POLL_S = 2.0
#: Seconds between passes over folders that report events (a safety net for lost events).
RESCAN_S = 60.0
#: Seconds to wait after an event for more before a pass (a copy writes many times).
DEBOUNCE_S = 0.3

_log = logging.getLogger("ingest.watch")


@dataclass
class _Folder:
    """The watcher's state of one watched folder."""

    due: float  # monotonic time of the next pass
    polled: bool = False
    watch: ObservedWatch | None = None  # its event subscription, while it is there
    identity: tuple[int, int] | None = None  # (device, inode) it was subscribed with


class _Events(FileSystemEventHandler):
    """Marks the watched folders where something changed and wakes the watcher."""

    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = [os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")]
        if any(p and (event.is_directory or is_importable_name(os.path.basename(p)))
               for p in paths):
            self.watcher.changed([p for p in paths if p])


class Watcher:
    """Watches the store's folders and imports what arrives, in a thread (:meth:`start`) or in
    the calling one (:meth:`run`).

    Parameters
    ----------
    store
        A connection for this watcher alone (it is used from the watcher's thread).
    enrich, jobs
        As for :func:`ingest.importer.import_items`.
    on_pass
        Called with each pass's result that read something (e.g. to print it).
    force_polling
        Poll every folder (no file-system events).
    """

    def __init__(self, store: Store, enrich: Enrich | None = None, jobs: int | None = 1,
                 on_pass: Callable[[PassResult], None] | None = None,
                 poll_s: float = POLL_S, rescan_s: float = RESCAN_S,
                 settle_s: float = SETTLE_S, incomplete_fit_s: float = INCOMPLETE_FIT_SETTLE_S,
                 force_polling: bool = False) -> None:
        self.store = store
        self.enrich = enrich
        self.jobs = jobs
        self.on_pass = on_pass
        self.poll_s = poll_s
        self.rescan_s = rescan_s
        self.settle_s = settle_s
        self.incomplete_fit_s = incomplete_fit_s
        self.force_polling = force_polling
        self.passes = 0  # passes run so far
        self._folders: dict[str, _Folder] = {}
        self._dirty: set[str] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._observer: BaseObserver | None = None
        self._thread: threading.Thread | None = None

    # -- control -----------------------------------------------------------------------------
    def start(self) -> Watcher:
        """Run in a daemon thread of its own."""
        self._thread = threading.Thread(target=self.run, name="strideload-watcher",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 30) -> None:
        """Stop after the pass under way (if any) and wait for the thread."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def changed(self, paths: list[str]) -> None:
        """Files changed at ``paths`` (called by the event handler's thread)."""
        with self._lock:
            for folder in self._folders:
                if any(p == folder or p.startswith(folder.rstrip(os.sep) + os.sep)
                       for p in paths):
                    self._dirty.add(folder)
        self._wake.set()

    # -- the loop ----------------------------------------------------------------------------
    def run(self) -> None:
        """Watch until :meth:`stop` (from another thread) or KeyboardInterrupt."""
        if not self.force_polling:
            self._observer = Observer()
            self._observer.daemon = True
            try:
                self._observer.start()
            except Exception as exc:  # no event API here: poll everything
                _log.warning("file-system events unavailable (%s); polling instead", exc)
                self._observer = None
        try:
            while not self._stop.is_set():
                next_due = self._turn()
                woken = self._wake.wait(max(0.0, min(next_due - time.monotonic(),
                                                     self.poll_s)))
                self._wake.clear()
                if woken and not self._stop.is_set():
                    self._stop.wait(DEBOUNCE_S)  # let the writer go on a little
        finally:
            if self._observer is not None:
                self._observer.stop()
                self._observer.join(timeout=10)

    def _turn(self) -> float:
        """Run the passes that are due; returns when the next one is."""
        now = time.monotonic()
        try:
            folders = watched_folders(self.store)
        except Exception:
            _log.exception("cannot read the watched folders")
            return now + self.poll_s
        self._forget_removed({f.path for f in folders})
        with self._lock:
            dirty, self._dirty = self._dirty, set()
        next_due = now + self.rescan_s
        for folder in folders:
            if self._stop.is_set():
                break
            state = self._subscribe(folder, now)
            if folder.path in dirty or state.due <= now:
                state.due = self._pass(folder, state)
            next_due = min(next_due, state.due)
        return next_due

    def _pass(self, folder: WatchedFolder, state: _Folder) -> float:
        """Run one pass over ``folder``; returns when the next one is due."""
        try:
            result = scan_folder(self.store, folder, self.enrich, self.jobs, self.settle_s,
                                 self.incomplete_fit_s)
        except Exception:  # a bug: the folder is tried again later, the thread goes on
            _log.exception("watching %s failed", folder.path)
            return time.monotonic() + self.poll_s
        self.passes += 1
        if result.read and self.on_pass is not None:
            self.on_pass(result)
        polled = state.polled or not result.available
        due = time.monotonic() + (self.poll_s if polled else self.rescan_s)
        if result.wait_s is not None:
            due = min(due, time.monotonic() + max(result.wait_s, 0.05))
        return due

    # -- event subscriptions ---------------------------------------------------------------------
    def _subscribe(self, folder: WatchedFolder, now: float) -> _Folder:
        """The folder's state, its event subscription renewed if it (re)appeared."""
        with self._lock:  # the event handler's thread reads the keys
            state = self._folders.setdefault(folder.path, _Folder(due=now))
        try:
            stat = os.stat(folder.path)
            identity = (stat.st_dev, stat.st_ino)
        except OSError:
            identity = None
        if identity != state.identity:  # plugged in, unplugged, or replaced
            self._unsubscribe(state)
            state.identity = identity
            state.due = now
            if identity is not None:
                state.polled = (self.force_polling or self._observer is None
                                or needs_polling(folder.path))
                if not state.polled and self._observer is not None:
                    try:
                        state.watch = self._observer.schedule(_Events(self), folder.path,
                                                              recursive=True)
                    except Exception as exc:  # e.g. out of inotify watches
                        _log.warning("polling %s: no file-system events (%s)", folder.path,
                                     exc)
                        state.polled = True
        return state

    def _unsubscribe(self, state: _Folder) -> None:
        if state.watch is not None and self._observer is not None:
            try:
                self._observer.unschedule(state.watch)
            except Exception:  # its folder is gone and watchdog has dropped it already
                pass
        state.watch = None

    def _forget_removed(self, paths: set[str]) -> None:
        with self._lock:
            gone = [self._folders.pop(p) for p in list(self._folders) if p not in paths]
        for state in gone:
            self._unsubscribe(state)
