"""Helpers of the watch tests: runs as FIT bytes, a watch's folder tree, the store's history."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

from fitfiles import run_fit

START = dt.datetime(2026, 9, 1, 6, 0, tzinfo=dt.UTC)


def run_bytes(day: int, seconds: int = 600, sport: str = "running") -> bytes:
    """A run (or ``sport``) on day ``day`` after START: distinct bytes and sessions per day."""
    return run_fit(START + dt.timedelta(days=day), seconds=seconds, sport=sport)


def garmin_mount(media: Path, name: str = "GARMIN", wellness: bool = True) -> Path:
    """A watch's drive under a media place: GARMIN/Activity (+ Monitor, Sleep, HRV)."""
    mount = media / name
    (mount / "GARMIN" / "Activity").mkdir(parents=True)
    if wellness:
        for folder in ("Monitor", "Sleep", "HRV"):
            (mount / "GARMIN" / folder).mkdir()
    return mount


def wait_for(condition: Callable[[], object], timeout: float = 20, what: str = "") -> float:
    """Poll ``condition`` until true; seconds it took (a test failure after ``timeout``)."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.05)
    return time.monotonic() - start
