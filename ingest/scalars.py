"""Single values out of polars (``Series.mean()``, ``max()``, ``item()``) and sqlite3 (the id of
an inserted row) as the type they hold.

polars types an aggregate as any Python literal or ``None`` (an empty or all-null column). These
helpers say which one a caller expects and fail with a clear message when it is something else,
instead of a ``TypeError`` from ``float(None)`` further on.
"""

from __future__ import annotations

import sqlite3
from datetime import date


def number(value: object) -> float:
    """A numeric aggregate as a float; ``TypeError`` naming the value when it is not a number."""
    if isinstance(value, int | float):
        return float(value)
    raise TypeError(f"expected a number, got {value!r}")


def number_or_none(value: object) -> float | None:
    """A numeric aggregate as a float, or None for the aggregate of no values."""
    return None if value is None else number(value)


def day(value: object) -> date:
    """A date aggregate (e.g. the first day of a ``date`` column); ``TypeError`` otherwise."""
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date, got {value!r}")


def day_or_none(value: object) -> date | None:
    """A date aggregate, or None for the aggregate of no values."""
    return None if value is None else day(value)


def row_id(cursor: sqlite3.Cursor) -> int:
    """The rowid of the row an ``INSERT`` on ``cursor`` just added (sqlite3 types it optional:
    None before any insert)."""
    if cursor.lastrowid is None:
        raise ValueError("no row was inserted")
    return cursor.lastrowid
