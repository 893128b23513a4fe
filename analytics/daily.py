"""Daily series in the athlete's local calendar days.

docs/methods.md section 0: a rest day is 0; a day whose training is known but not (fully) recorded
is *missing* (null), not 0. A day is missing when the runner reports it as trained but
unrecorded (``unrecorded``) or when one of its sessions has no load (no heart rate, pace,
RPE nor duration). Days before the first recorded session are unknown (null), not rest.
Rolling windows over a missing day give null, so nothing is silently averaged as zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from analytics.load import LOAD_SOURCES, SESSION_SCHEMA
from analytics.settings import integer
from ingest import scalars

#: Columns of :func:`daily_series`.
DAILY_SCHEMA: dict[str, pl.DataType] = {
    "date": pl.Date(),
    "history_days": pl.Int32(),
    "sessions": pl.UInt32(),
    "runs": pl.UInt32(),
    "load": pl.Float64(),
    "running_load": pl.Float64(),
    "cross_load": pl.Float64(),
    "distance_m": pl.Float64(),
    "run_distance_m": pl.Float64(),
    "timer_s": pl.Float64(),
    "run_timer_s": pl.Float64(),
    "longest_run_m": pl.Float64(),
    "load_sources": pl.List(pl.String()),
    "estimated": pl.Boolean(),
    "missing": pl.Boolean(),
    "estimated_28d": pl.Boolean(),
    "mixed_sources_28d": pl.Boolean(),
}


def _strict_sum(values: pl.Expr) -> pl.Expr:
    """Sum that is null when any value is null (an unknown session makes the day unknown)."""
    return pl.when(values.null_count() > 0).then(None).otherwise(values.sum())


def daily_series(
    sessions: pl.DataFrame | pl.LazyFrame,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    unrecorded: Iterable[dt.date] | None = None,
    window_days: int = integer("acwr_chronic_days"),
) -> pl.DataFrame:
    """One row per local calendar day from ``start`` to ``end``.

    Parameters
    ----------
    sessions
        :func:`analytics.load.session_loads` (``local_date``, ``is_run``, ``load``,
        ``load_source``, ``estimated``, ``session_s``, ``distance_m``).
    start, end
        First and last day; default the first and last session day.
    unrecorded
        Days the runner reports as trained but not recorded: their loads and distance are null.
    window_days
        Window of ``estimated_28d`` and ``mixed_sources_28d`` [days].

    Returns
    -------
    polars.DataFrame
        Columns of :data:`DAILY_SCHEMA`: ``history_days`` = days since the first session
        including the day (<= 0 before it); ``load``, ``running_load`` (running sessions),
        ``cross_load`` (all other sports) [points]; ``distance_m`` of all sessions,
        ``run_distance_m`` and ``longest_run_m`` of runs [m]; ``timer_s`` of all sessions,
        ``run_timer_s`` of runs: the sum of ``session_s``, the watch's timer time (elapsed
        time for a file without a timer, e.g. GPX) [s];
        ``estimated_28d`` any estimated load and ``mixed_sources_28d`` more than one
        ``load_source`` in the last ``window_days`` days.
    """
    frame = sessions.lazy().select(list(SESSION_SCHEMA)).collect()
    first = scalars.day_or_none(frame["local_date"].min())
    start = start or first
    end = end or scalars.day_or_none(frame["local_date"].max())
    if start is None or end is None or start > end:
        return pl.DataFrame(schema=DAILY_SCHEMA)
    run = pl.col("is_run")
    days = frame.group_by("local_date").agg(
        pl.len().cast(pl.UInt32).alias("sessions"),
        run.sum().cast(pl.UInt32).alias("runs"),
        _strict_sum(pl.col("load")).alias("load"),
        _strict_sum(pl.col("load").filter(run)).alias("running_load"),
        _strict_sum(pl.col("load").filter(~run)).alias("cross_load"),
        pl.col("distance_m").sum().alias("distance_m"),
        _strict_sum(pl.col("distance_m").filter(run)).alias("run_distance_m"),
        pl.col("session_s").sum().alias("timer_s"),
        pl.col("session_s").filter(run).sum().alias("run_timer_s"),
        pl.col("distance_m").filter(run).max().alias("longest_run_m"),
        pl.col("load_source").drop_nulls().unique().sort().alias("load_sources"),
        pl.col("estimated").any().alias("estimated"),
        *[(pl.col("load_source") == name).any().alias(f"_{name}") for name in LOAD_SOURCES],
    ).rename({"local_date": "date"})
    calendar = pl.DataFrame({"date": pl.date_range(start, end, "1d", eager=True)})
    skipped = pl.Series("x", list(unrecorded or []), dtype=pl.Date)
    history = (pl.col("date") - pl.lit(first)).dt.total_days() + 1 if first else pl.lit(0)
    recorded = history > 0
    loads = ("load", "running_load", "cross_load", "distance_m", "run_distance_m")
    out = (
        calendar.join(days, on="date", how="left", maintain_order="left")
        .with_columns(
            history.cast(pl.Int32).alias("history_days"),
            pl.col("date").is_in(skipped.implode()).alias("unrecorded"),
        )
        .with_columns(
            pl.col("sessions", "runs").fill_null(0),
            pl.col("timer_s", "run_timer_s").fill_null(0.0),
            pl.col("load_sources").fill_null([]),
            pl.col("estimated").fill_null(False),
            *[
                pl.when(pl.col("unrecorded") | ~recorded).then(None)
                .otherwise(pl.col(name).fill_null(pl.when(pl.col("sessions") > 0)
                                                  .then(None).otherwise(0.0)))
                .alias(name)
                for name in loads
            ],
        )
        .with_columns(
            (pl.col("unrecorded") | (recorded & pl.col("load").is_null())).alias("missing"),
        )
    )
    used = [
        pl.col(f"_{name}").fill_null(False).cast(pl.Int8).rolling_max(window_days, min_samples=1)
        for name in LOAD_SOURCES
    ]
    out = out.with_columns(
        pl.col("estimated").cast(pl.Int8).rolling_max(window_days, min_samples=1).cast(pl.Boolean)
        .alias("estimated_28d"),
        (pl.sum_horizontal(used) > 1).alias("mixed_sources_28d"),
    )
    return out.select(list(DAILY_SCHEMA)).cast(DAILY_SCHEMA)  # type: ignore[arg-type]
