"""Data access for the web app: the store of the running app, opened per request."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import zoneinfo
from collections.abc import Iterator

from flask import current_app

from dashboard.units import Units, units_of
from ingest.store import Store

DATA_DIR_KEY = "STRIDELOAD_DATA_DIR"
TODAY_KEY = "STRIDELOAD_TODAY"


@contextlib.contextmanager
def open_store() -> Iterator[Store]:
    """The app's store for the current request (SQLite connections are per thread)."""
    store = Store(current_app.config[DATA_DIR_KEY])
    try:
        yield store
    finally:
        store.close()


def display_units(store: Store) -> Units:
    """The runner's display units (profile setting 'units')."""
    profile = json.loads(store.get_setting("profile") or "{}")
    return units_of(profile.get("units"))


def local_today(store: Store) -> dt.date:
    """Today's date in the athlete's time zone."""
    return dt.datetime.now(zoneinfo.ZoneInfo(store.time_zone())).date()


def today(store: Store) -> dt.date:
    """The app's 'today': pinned in demo mode, else the date in the athlete's time zone."""
    pinned = current_app.config.get(TODAY_KEY)
    return dt.date.fromisoformat(pinned) if pinned else local_today(store)
