"""The store's wellness tables (schema migration 6), kept apart from the activity tables.

``wellness``: one row per local calendar date and source, columns as named in
:mod:`ingest.wellness.records`. ``wellness_sleep``: the asleep intervals of sources that give
them (FIT sleep files, Apple Health), so that nights from two devices are merged, never added up.
"""

from __future__ import annotations

from ingest.wellness.records import RANGES, TEXT_VALUES

#: Value columns of the ``wellness`` table, in order.
VALUE_COLUMNS = (*RANGES, *TEXT_VALUES)

_VALUE_SQL = ", ".join(
    f"{name} {'TEXT' if name in TEXT_VALUES else 'REAL'}" for name in VALUE_COLUMNS)

MIGRATION: list[str] = [
    f"CREATE TABLE wellness (date TEXT NOT NULL, source TEXT NOT NULL, {_VALUE_SQL}, "
    "origin TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (date, source))",
    "CREATE TABLE wellness_sleep (source TEXT NOT NULL, start_ms INTEGER NOT NULL, "
    "end_ms INTEGER NOT NULL, PRIMARY KEY (source, start_ms, end_ms))",
    *(f"CREATE TRIGGER {table}_{event.lower()}_revision AFTER {event} ON {table} "
      "BEGIN UPDATE revision SET value = value + 1; END"
      for table in ("wellness", "wellness_sleep") for event in ("INSERT", "UPDATE", "DELETE")),
]
