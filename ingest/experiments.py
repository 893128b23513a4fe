"""Personal experiments as stored (schema migration 10): the plan, the runner's ticks, resumes.

An experiment row keeps everything needed to redraw its calendar: the lever and comparison
texts, the pain area, the design, the first day, block length, pairs, the seed and the arms it
drew (stored too, so the schedule never changes after the start). ``stopped_on`` is set when the
runner stops it early; a finished experiment is one whose calendar has ended. Ticks
(followed or missed, one per day) cover what the recorded runs cannot show; resumes are the
days the runner went on after a pause for safety. Past experiments stay.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest import scalars

if TYPE_CHECKING:  # ingest.store imports MIGRATION from here (so polars only where used)
    import polars as pl

    from ingest.store import Store

MIGRATION: list[str] = [
    "CREATE TABLE IF NOT EXISTS experiments (id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "lever TEXT NOT NULL, compare_with TEXT, area TEXT NOT NULL, "
    "design TEXT NOT NULL CHECK (design IN ('pairs', 'ab')), start TEXT NOT NULL, "
    "block_days INTEGER NOT NULL CHECK (block_days > 0), "
    "pairs INTEGER NOT NULL CHECK (pairs > 0), seed INTEGER NOT NULL, arms TEXT NOT NULL, "
    "created_at TEXT NOT NULL, stopped_on TEXT)",
    "CREATE TABLE IF NOT EXISTS experiment_ticks (experiment_id INTEGER NOT NULL "
    "REFERENCES experiments (id) ON DELETE CASCADE, date TEXT NOT NULL, "
    "followed INTEGER NOT NULL CHECK (followed IN (0, 1)), PRIMARY KEY (experiment_id, date))",
    "CREATE TABLE IF NOT EXISTS experiment_resumes (experiment_id INTEGER NOT NULL "
    "REFERENCES experiments (id) ON DELETE CASCADE, date TEXT NOT NULL, "
    "PRIMARY KEY (experiment_id, date))",
]
_COLUMNS = ("id", "lever", "compare_with", "area", "design", "start", "block_days", "pairs",
            "seed", "arms", "created_at", "stopped_on")


@dataclass(frozen=True)
class Experiment:
    """One stored experiment (module docstring); ``arms``: one per block, ``on`` or ``off``."""

    id: int
    lever: str
    compare_with: str | None
    area: str
    design: str
    start: dt.date
    block_days: int
    pairs: int
    seed: int
    arms: tuple[str, ...]
    created_at: str
    stopped_on: dt.date | None = None


def _experiment(row: tuple) -> Experiment:
    values = dict(zip(_COLUMNS, row, strict=True))
    return Experiment(**{**values, "start": dt.date.fromisoformat(values["start"]),
                         "arms": tuple(json.loads(values["arms"])),
                         "stopped_on": None if values["stopped_on"] is None
                         else dt.date.fromisoformat(values["stopped_on"])})


def experiments(store: Store) -> list[Experiment]:
    """Every experiment, newest first."""
    rows = store.db.execute(f"SELECT {', '.join(_COLUMNS)} FROM experiments "
                            "ORDER BY id DESC").fetchall()
    return [_experiment(tuple(r)) for r in rows]


def get(store: Store, experiment_id: int) -> Experiment:
    """The experiment with this id (``KeyError`` if there is none)."""
    row = store.db.execute(f"SELECT {', '.join(_COLUMNS)} FROM experiments WHERE id = ?",
                           (experiment_id,)).fetchone()
    if row is None:
        raise KeyError(experiment_id)
    return _experiment(tuple(row))


def add(store: Store, lever: str, compare_with: str | None, area: str, design: str,
        start: dt.date, block_days: int, pairs: int, seed: int, arms: tuple[str, ...]) -> int:
    """Store a new experiment (inside the caller's transaction if any); returns its id."""
    cursor = store.db.execute(
        "INSERT INTO experiments (lever, compare_with, area, design, start, block_days, pairs, "
        "seed, arms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (lever, compare_with, area, design, start.isoformat(), block_days, pairs, seed,
         json.dumps(list(arms)), dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
    return scalars.row_id(cursor)


def stop(store: Store, experiment_id: int, day: dt.date) -> None:
    """Mark an experiment as stopped on ``day``."""
    store.db.execute("UPDATE experiments SET stopped_on = ? WHERE id = ?",
                     (day.isoformat(), experiment_id))


def set_tick(store: Store, experiment_id: int, day: dt.date, followed: bool) -> None:
    """The runner's tick for ``day`` (replaces an earlier one)."""
    store.db.execute(
        "INSERT INTO experiment_ticks (experiment_id, date, followed) VALUES (?, ?, ?) "
        "ON CONFLICT (experiment_id, date) DO UPDATE SET followed = excluded.followed",
        (experiment_id, day.isoformat(), int(followed)))


def ticks(store: Store, experiment_id: int) -> pl.DataFrame:
    """``date`` (Date), ``followed`` (Boolean) of an experiment's ticks, oldest first."""
    import polars as pl

    rows = store.db.execute("SELECT date, followed FROM experiment_ticks "
                            "WHERE experiment_id = ? ORDER BY date", (experiment_id,)).fetchall()
    return pl.DataFrame({"date": [dt.date.fromisoformat(r[0]) for r in rows],
                         "followed": [bool(r[1]) for r in rows]},
                        schema={"date": pl.Date, "followed": pl.Boolean})


def add_resume(store: Store, experiment_id: int, day: dt.date) -> None:
    """Record that the runner went on with the experiment on ``day``."""
    store.db.execute("INSERT OR IGNORE INTO experiment_resumes VALUES (?, ?)",
                     (experiment_id, day.isoformat()))


def resumes(store: Store, experiment_id: int) -> list[dt.date]:
    """The days the runner resumed the experiment, oldest first."""
    rows = store.db.execute("SELECT date FROM experiment_resumes WHERE experiment_id = ? "
                            "ORDER BY date", (experiment_id,)).fetchall()
    return [dt.date.fromisoformat(r[0]) for r in rows]
