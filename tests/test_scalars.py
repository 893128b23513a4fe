"""ingest.scalars: single values out of polars and sqlite3 typed as what they hold."""

from __future__ import annotations

import datetime as dt
import sqlite3

import polars as pl
import pytest

from ingest import scalars


def test_numbers_and_days_of_polars_aggregates():
    column = pl.Series([3, None, 5])
    assert scalars.number(column.mean()) == 4.0
    assert scalars.number(column.max()) == 5.0 and isinstance(scalars.number(column.max()), float)
    days = pl.Series([dt.date(2026, 3, 2), dt.date(2026, 2, 27)])
    assert scalars.day(days.min()) == dt.date(2026, 2, 27)
    assert scalars.day_or_none(days.max()) == dt.date(2026, 3, 2)


def test_the_aggregate_of_no_values_is_none_or_a_clear_error():
    empty = pl.Series([], dtype=pl.Float64)
    assert scalars.number_or_none(empty.mean()) is None
    assert scalars.day_or_none(pl.Series([], dtype=pl.Date).max()) is None
    with pytest.raises(TypeError, match="expected a number, got None"):
        scalars.number(empty.mean())
    with pytest.raises(TypeError, match="expected a date, got 'x'"):
        scalars.day(pl.Series(["x"]).max())
    with pytest.raises(TypeError, match="expected a number"):
        scalars.number(pl.Series(["x"]).max())


def test_row_id_of_an_insert():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    db.execute("INSERT INTO t (v) VALUES ('a')")
    assert scalars.row_id(db.execute("INSERT INTO t (v) VALUES ('b')")) == 2
    with pytest.raises(ValueError, match="no row was inserted"):
        scalars.row_id(db.cursor())
