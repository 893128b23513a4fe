"""The store's rows as polars frames, and the samples files (Parquet, zstd).

The only module of :mod:`ingest.store` that imports polars: the store's methods import it when
they build a frame or touch a samples file, so commands that do neither stay light.
"""

from __future__ import annotations

import io
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from ingest.schema import SAMPLE_SCHEMA

PAIN_SCHEMA = {
    "id": pl.Int64(), "date": pl.Date(), "area": pl.String(), "level": pl.Int64(),
    "during_run": pl.Boolean(), "red_flags": pl.List(pl.String), "note": pl.String(),
}
_SQL_TYPES = {"INTEGER": pl.Int64(), "REAL": pl.Float64(), "TEXT": pl.String()}


def activities_frame(columns: Sequence[tuple[str, str]], rows: list[tuple]) -> pl.DataFrame:
    """Activity rows (of ``columns``: (name, SQL type) pairs) with ``start_time`` (UTC)."""
    schema = {name: _SQL_TYPES[sql_type] for name, sql_type in columns}
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    return frame.with_columns(
        pl.col("start_ms").cast(pl.Int64).cast(pl.Datetime("ms", "UTC")).alias("start_time")
    )


def rows_frame(cursor: sqlite3.Cursor) -> pl.DataFrame:
    """A query's rows, columns named as the query names them (types inferred)."""
    names = [d[0] for d in cursor.description]
    return pl.DataFrame(cursor.fetchall(), schema=names, orient="row")


def pain_frame(rows: list[tuple]) -> pl.DataFrame:
    """Pain journal rows (id, date, area, level, during_run, red_flags as JSON text, note)
    -> columns of :data:`PAIN_SCHEMA`."""
    stored = pl.DataFrame(rows, orient="row", schema={
        "id": pl.Int64(), "date": pl.String(), "area": pl.String(), "level": pl.Int64(),
        "during_run": pl.Int64(), "red_flags": pl.String(), "note": pl.String()})
    return stored.with_columns(
        pl.col("date").str.to_date("%Y-%m-%d"),
        pl.col("during_run").cast(pl.Boolean),
        pl.col("red_flags").str.json_decode(PAIN_SCHEMA["red_flags"]),
    )


def rpe_frame(rows: list[tuple]) -> pl.DataFrame:
    """(activity_id, rpe) rows."""
    return pl.DataFrame(rows, schema={"activity_id": pl.Int64, "rpe": pl.Float64},
                        orient="row")


def read_samples(path: Path) -> pl.DataFrame:
    """A samples file (columns of :data:`ingest.schema.SAMPLE_SCHEMA`; a column added since
    the file was written is all-null: not recorded)."""
    frame = pl.read_parquet(path)
    missing = [pl.lit(None, dtype).alias(name) for name, dtype in SAMPLE_SCHEMA.items()
               if name not in frame.columns]
    return frame.with_columns(missing).select(list(SAMPLE_SCHEMA)) if missing else frame


def encode_samples(samples: pl.DataFrame) -> bytes:
    """The samples file's bytes (Parquet, zstd level 1: as small as the default level 3 on
    1 Hz recordings, 20 % faster): made where an activity is decoded (a worker process), so
    the storing process only writes them (``Activity.samples_file``)."""
    buffer = io.BytesIO()
    samples.select(list(SAMPLE_SCHEMA)).write_parquet(buffer, compression="zstd",
                                                      compression_level=1)
    return buffer.getvalue()


def write_samples(samples: pl.DataFrame, path: Path, encoded: bytes | None = None) -> None:
    """Write the samples (``encoded`` by :func:`encode_samples` when given) and fsync, so a
    rename afterwards publishes a complete file."""
    with open(path, "wb") as handle:
        handle.write(encoded if encoded is not None else encode_samples(samples))
        handle.flush()
        os.fsync(handle.fileno())
