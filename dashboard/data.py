"""Data access for the web app: the store, opened once per process, lent to each request.

:class:`StorePool` opens the store when the app is built (migrations and the sweep of
leftover files run then, never on a request) and lends each request a connection of its own:
Flask serves requests in threads and a SQLite connection must not be used by two threads at
once. Connections are reused by later requests; there are as many as requests ran at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import threading
from collections.abc import Iterator

from dashboard.units import Units, units_of
from ingest.store import Store

DATA_DIR_KEY = "STRIDELOAD_DATA_DIR"
TODAY_KEY = "STRIDELOAD_TODAY"
POOL_KEY = "strideload_store_pool"  # in the Flask app's ``extensions``


class StorePool:
    """One process's store: opened (and maintained) once, one connection per thread in use."""

    def __init__(self, data_dir: str | os.PathLike) -> None:
        self.data_dir = data_dir
        self._idle = [Store(data_dir)]  # migrates and sweeps, once
        self._all = list(self._idle)
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def borrow(self) -> Iterator[Store]:
        """A connection no other thread uses until it is given back."""
        with self._lock:
            store = self._idle.pop() if self._idle else None
        if store is None:
            store = Store(self.data_dir, maintain=False)
            with self._lock:
                self._all.append(store)
        try:
            yield store
        finally:
            if store.db.in_transaction:  # left open by an interrupted caller
                store.db.execute("ROLLBACK")
            with self._lock:
                self._idle.append(store)

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                store.close()
            self._idle.clear()
            self._all.clear()


@contextlib.contextmanager
def open_store() -> Iterator[Store]:
    """The app's store for the current request (a pooled connection; never closed here)."""
    from flask import current_app  # the command line reads units and today without flask

    with current_app.extensions[POOL_KEY].borrow() as store:
        yield store


def display_units(store: Store) -> Units:
    """The runner's display units (profile setting 'units')."""
    profile = json.loads(store.get_setting("profile") or "{}")
    return units_of(profile.get("units"))


def local_today(store: Store) -> dt.date:
    """Today's date in the athlete's time zone."""
    return store.local_today()


def today(store: Store) -> dt.date:
    """The app's 'today': pinned in demo mode, else the date in the athlete's time zone."""
    from flask import current_app

    pinned = current_app.config.get(TODAY_KEY)
    return dt.date.fromisoformat(pinned) if pinned else local_today(store)
