"""Planned sessions as stored (schema migration 11): what the runner means to do on coming days.

A planned session is a day, a sport and a distance or a duration (or both). Plans are for
today or later; :func:`make_plan` checks what a runner typed and says in one line what is
wrong. The week ahead (:mod:`analytics.week`) evaluates the rules on the load the plans add.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # ingest.store imports MIGRATION from here; polars only where frames are built
    import polars as pl

    from ingest.store import Store

MIGRATION: list[str] = [
    "CREATE TABLE IF NOT EXISTS planned_sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "date TEXT NOT NULL, sport TEXT NOT NULL, "
    "distance_m REAL CHECK (distance_m IS NULL OR distance_m > 0), "
    "minutes REAL CHECK (minutes IS NULL OR minutes > 0), created_at TEXT NOT NULL, "
    "CHECK (distance_m IS NOT NULL OR minutes IS NOT NULL))",
    *(f"CREATE TRIGGER planned_sessions_{event.lower()}_revision AFTER {event} ON "
      "planned_sessions BEGIN UPDATE revision SET value = value + 1; END"
      for event in ("INSERT", "UPDATE", "DELETE")),
]

#: Sports a session can be planned for.
PLAN_SPORTS = ("running", "walking", "hiking", "cycling", "swimming", "strength", "mobility")
#: Longest plannable distance [km] and duration [min], and how far ahead [days].
MAX_KM = 300.0
MAX_MINUTES = 24 * 60
MAX_DAYS_AHEAD = 366
#: Columns of :func:`planned` and their polars types.
PLAN_COLUMNS = {"id": "Int64", "date": "Date", "sport": "String", "distance_m": "Float64",
                "minutes": "Float64"}


class PlanError(ValueError):
    """A planned session that cannot be stored, with a one-line reason."""


@dataclass(frozen=True)
class PlannedSession:
    """A checked plan: day, sport (:data:`PLAN_SPORTS`), distance [m] and/or minutes."""

    date: dt.date
    sport: str
    distance_m: float | None
    minutes: float | None


def _amount(value: float | str | None, what: str, unit: str, most: float) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise PlanError(f"{what} must be a number of {unit}, got {value!r}"[:200])
    try:
        number = float(value)
    except ValueError as exc:
        raise PlanError(f"{what} must be a number of {unit}, got {value!r}"[:200]) from exc
    if not math.isfinite(number) or not 0 < number <= most:
        raise PlanError(f"{what} must be more than 0 and at most {most:g} {unit}, "
                        f"got {value!r}")
    return number


def make_plan(day: str | dt.date, sport: str, distance_km: float | str | None = None,
              minutes: float | str | None = None, *, today: dt.date) -> PlannedSession:
    """Check a planned session as typed (``day`` ``YYYY-MM-DD``, today up to
    :data:`MAX_DAYS_AHEAD` days ahead); :class:`PlanError` says what is wrong."""
    if isinstance(day, dt.date):
        date = day
    else:
        try:
            date = dt.date.fromisoformat(day.strip())
        except (AttributeError, ValueError) as exc:
            raise PlanError(f"invalid date {day!r}: expected YYYY-MM-DD"[:200]) from exc
    if date < today:
        raise PlanError(f"date {date} is in the past: plans are for today ({today}) or later")
    if (date - today).days > MAX_DAYS_AHEAD:
        raise PlanError(f"date {date} is more than {MAX_DAYS_AHEAD} days ahead")
    name = sport.strip().lower() if isinstance(sport, str) else ""
    if name not in PLAN_SPORTS:
        raise PlanError(f"unknown sport {sport!r}"[:200] + f"; plan one of "
                        f"{', '.join(PLAN_SPORTS)}")
    distance = _amount(distance_km, "distance", "km", MAX_KM)
    duration = _amount(minutes, "minutes", "minutes", MAX_MINUTES)
    if distance is None and duration is None:
        raise PlanError("give a distance in km or a duration in minutes")
    return PlannedSession(date, name, None if distance is None else distance * 1000.0,
                          duration)


def add(store: Store, plan: PlannedSession) -> int:
    """Store a checked plan; returns its id."""
    with store.transaction() as db:
        cursor = db.execute(
            "INSERT INTO planned_sessions (date, sport, distance_m, minutes, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (plan.date.isoformat(), plan.sport, plan.distance_m, plan.minutes,
             dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
    return int(cursor.lastrowid or 0)


def delete(store: Store, plan_id: int) -> bool:
    """Delete a planned session; False if there is none with this id."""
    with store.transaction() as db:
        return bool(db.execute("DELETE FROM planned_sessions WHERE id = ?",
                               (plan_id,)).rowcount)


def planned(store: Store, start: dt.date | None = None, end: dt.date | None = None
            ) -> pl.DataFrame:
    """Planned sessions between ``start`` and ``end`` (inclusive), by date then id (columns
    of :data:`PLAN_COLUMNS`)."""
    import polars as pl

    rows = store.db.execute("SELECT id, date, sport, distance_m, minutes FROM planned_sessions "
                            "ORDER BY date, id").fetchall()
    frame = pl.DataFrame([{"id": r[0], "date": dt.date.fromisoformat(r[1]), "sport": r[2],
                           "distance_m": r[3], "minutes": r[4]} for r in rows],
                         schema={name: getattr(pl, kind) for name, kind in
                                 PLAN_COLUMNS.items()})
    if start is not None:
        frame = frame.filter(pl.col("date") >= start)
    if end is not None:
        frame = frame.filter(pl.col("date") <= end)
    return frame
