"""The body-work log in the store: hand-logged sessions, FIT strength workouts, one listing.

:func:`sessions` lists both kinds: ``source`` ``manual`` (table ``bodywork``, with an ``id``
for ``strideload bodywork delete``) and ``file`` (a stored activity of a body-work sport, see
:func:`ingest.bodywork.is_bodywork`, with its ``activity_id``). Minutes of a file session are its
timer time (else elapsed time).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

import polars as pl

from ingest import scalars
from ingest.bodywork import (
    FIT_SPORTS,
    BodyworkError,
    Exercise,
    check_category,
    fit_category,
    is_bodywork,
    session_category,
    session_minutes,
)

if TYPE_CHECKING:
    from ingest.store import Store

EXERCISE_DTYPE = pl.Struct({"name": pl.String, "category": pl.String, "sets": pl.Int64,
                            "reps": pl.Int64, "duration_s": pl.Float64,
                            "weight_kg": pl.Float64})
#: Columns of :func:`sessions`.
SESSION_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(), "activity_id": pl.Int64(), "date": pl.Date(), "source": pl.String(),
    "category": pl.String(), "minutes": pl.Float64(), "rpe": pl.Float64(),
    "sub_sport": pl.String(), "note": pl.String(), "exercises": pl.List(EXERCISE_DTYPE),
}
_EXERCISE_COLUMNS = "name, category, sets, reps, duration_s, weight_kg"


def _exercise_rows(exercises: Sequence[Exercise]) -> list[tuple]:
    return [(i, e.name, e.category, e.sets, e.reps, e.duration_s, e.weight_kg)
            for i, e in enumerate(exercises)]


def insert_activity_exercises(db: sqlite3.Connection, activity_id: int,
                              exercises: Sequence[Exercise]) -> None:
    """Store the exercises of an activity (inside the caller's transaction)."""
    db.executemany(
        f"INSERT INTO bodywork_exercises (activity_id, position, {_EXERCISE_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(activity_id, *row) for row in _exercise_rows(exercises)],
    )


def add_session(store: Store, day: dt.date, exercises: Sequence[Exercise],
                minutes: float | None = None, note: str = "", category: str | None = None,
                rpe: float | None = None) -> int:
    """Log a session by hand; returns its id.

    ``rpe``: how hard it felt (CR-10), for its load (session RPE x minutes).
    ``minutes`` default: the exercises' durations (see
    :func:`ingest.bodywork.session_minutes`); ``category`` default: the exercises' category
    (:func:`ingest.bodywork.session_category`).
    """
    total = session_minutes(exercises, minutes)
    chosen = check_category(category) if category else session_category(exercises)
    if len(note) > 500:
        raise BodyworkError("note is too long (500 characters at most)")
    if rpe is not None and not 0 <= rpe <= 10:
        raise BodyworkError(f"RPE must be 0-10 (CR-10 scale), got {rpe:g}")
    with store.transaction() as db:
        session_id = scalars.row_id(db.execute(
            "INSERT INTO bodywork (date, category, minutes, rpe, note, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (day.isoformat(), chosen, total, rpe, note.strip(),
             dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
        ))
        db.executemany(
            f"INSERT INTO bodywork_exercises (bodywork_id, position, {_EXERCISE_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(session_id, *row) for row in _exercise_rows(exercises)],
        )
    return session_id


def delete_session(store: Store, session_id: int) -> bool:
    """Delete a hand-logged session (and its exercises); False if there is none."""
    with store.transaction() as db:
        return bool(db.execute("DELETE FROM bodywork WHERE id = ?", (session_id,)).rowcount)


def _exercises(store: Store, column: str) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for row in store.db.execute(
            f"SELECT {column}, {_EXERCISE_COLUMNS} FROM bodywork_exercises "
            f"WHERE {column} IS NOT NULL ORDER BY {column}, position"):
        out.setdefault(row[0], []).append(
            {key: row[key] for key in ("name", "category", "sets", "reps", "duration_s",
                                       "weight_kg")})
    return out


def sessions(store: Store, start: dt.date | None = None, end: dt.date | None = None
             ) -> pl.DataFrame:
    """Every body-work session between ``start`` and ``end`` (inclusive), oldest first.

    Columns of :data:`SESSION_SCHEMA`; ``exercises`` is a list of
    ``{name, category, sets, reps, duration_s, weight_kg}``.
    """
    rows: list[dict] = []
    manual = _exercises(store, "bodywork_id")
    for r in store.db.execute("SELECT id, date, category, minutes, rpe, note FROM bodywork"):
        rows.append({"id": r["id"], "activity_id": None, "date": r["date"], "source": "manual",
                     "category": r["category"], "minutes": r["minutes"], "rpe": r["rpe"],
                     "sub_sport": None, "note": r["note"],
                     "exercises": manual.get(r["id"], [])})
    rated = dict(store.db.execute("SELECT activity_id, rpe FROM rpe").fetchall())
    recorded = _exercises(store, "activity_id")
    sports = ", ".join("?" * len(FIT_SPORTS))
    for r in store.db.execute(
            "SELECT id, local_date, sport, sub_sport, COALESCE(timer_time_s, duration_s) AS s "
            f"FROM activities WHERE sport IN ({sports})", tuple(sorted(FIT_SPORTS))):
        done = recorded.get(r["id"], [])
        if not is_bodywork(r["sport"], r["sub_sport"], bool(done)):
            continue
        exercises = [Exercise(**e) for e in done]
        rows.append({"id": None, "activity_id": r["id"], "date": r["local_date"],
                     "source": "file", "category": fit_category(r["sub_sport"], exercises),
                     "minutes": round((r["s"] or 0.0) / 60.0, 1), "rpe": rated.get(r["id"]),
                     "sub_sport": r["sub_sport"], "note": "", "exercises": done})
    for row in rows:
        row["date"] = dt.date.fromisoformat(row["date"])
    frame = pl.DataFrame(rows, schema=SESSION_SCHEMA)
    if start is not None:
        frame = frame.filter(pl.col("date") >= start)
    if end is not None:
        frame = frame.filter(pl.col("date") <= end)
    return frame.sort("date", "source", "id", "activity_id", nulls_last=True)
