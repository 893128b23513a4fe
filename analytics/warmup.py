"""Warm-up and cool-down of each run, with an easy activity just before or after it.

docs/methods.md section 11.1 [H]. The stored per-run values (:mod:`analytics.run_signals`:
easy running at the start and the end of the run itself) are completed by the activities
around it: an easy activity ending at most 30 min before a run counts as its warm-up, one
starting at most 30 min after it as its cool-down. Easy = not a run (a walk, an easy spin,
mobility), or a run at no more than 85 % of the run's reference speed (the median of its
middle half). Its duration (timer time) is added to the run's own.

A run whose own speed does not allow a judgement (intervals, fartlek, no speed recorded) and
that has no easy activity beside it stays unclassified (``None``), never "no warm-up".
"""

from __future__ import annotations

import polars as pl

from analytics.activity_metrics import RUNNING_SPORTS
from analytics.settings import number

#: Columns of :func:`run_warmups`.
WARMUP_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(), "warmup_s": pl.Float64(), "cooldown_s": pl.Float64(),
    "has_warmup": pl.Boolean(), "has_cooldown": pl.Boolean(),
    "warmup_activity_id": pl.Int64(), "cooldown_activity_id": pl.Int64(),
}
#: Activity columns read (missing ones count as null).
WARMUP_INPUT: dict[str, pl.DataType] = {
    "id": pl.Int64(), "sport": pl.String(), "start_time": pl.Datetime("ms", "UTC"),
    "duration_s": pl.Float64(), "timer_time_s": pl.Float64(), "distance_m": pl.Float64(),
    "warmup_s": pl.Float64(), "cooldown_s": pl.Float64(), "reference_speed_m_s": pl.Float64(),
}


def _typed(activities: pl.DataFrame) -> pl.DataFrame:
    present = activities.columns
    return activities.select(
        [pl.col(name).cast(dtype) if name in present else pl.lit(None, dtype).alias(name)
         for name, dtype in WARMUP_INPUT.items()])


def run_warmups(
    activities: pl.DataFrame,
    *,
    adjacent_min: float = number("warmup_adjacent_min"),
    min_warmup_s: float = number("warmup_min_s"),
    min_cooldown_s: float = number("cooldown_min_s"),
    fraction: float = number("warmup_speed_fraction"),
) -> pl.DataFrame:
    """Warm-up and cool-down of every run (module docstring).

    Parameters
    ----------
    activities
        Every activity (runs and others) with the columns of :data:`WARMUP_INPUT`; the run's
        ``warmup_s``/``cooldown_s``/``reference_speed_m_s`` are the stored metrics.

    Returns
    -------
    polars.DataFrame
        :data:`WARMUP_SCHEMA`, one row per run: seconds of warm-up / cool-down [s] (the run's
        own plus the easy activity beside it; ``None`` = unclassified), whether they reach
        ``min_warmup_s`` / ``min_cooldown_s``, and the id of the activity counted.
    """
    acts = _typed(activities).with_columns(
        (pl.col("start_time") + pl.duration(seconds=pl.col("duration_s").fill_null(0.0)))
        .alias("end_time"),
        pl.coalesce("timer_time_s", "duration_s").alias("active_s"),
        pl.col("sport").is_in(list(RUNNING_SPORTS)).fill_null(False).alias("is_run"),
    ).filter(pl.col("start_time").is_not_null())
    runs = acts.filter(pl.col("is_run")).sort("start_time")
    if runs.is_empty():
        return pl.DataFrame(schema=WARMUP_SCHEMA)
    others = acts.select(
        pl.col("id").alias("other_id"), pl.col("start_time").alias("other_start"),
        pl.col("end_time").alias("other_end"), pl.col("active_s").alias("other_s"),
        pl.col("is_run").alias("other_is_run"),
        (pl.col("distance_m") / pl.col("active_s")).alias("other_speed"))
    tolerance = f"{int(round(adjacent_min * 60))}s"
    before = runs.join_asof(others.sort("other_end"), left_on="start_time",
                            right_on="other_end", strategy="backward", tolerance=tolerance)
    after = runs.sort("end_time").join_asof(others.sort("other_start"), left_on="end_time",
                                            right_on="other_start", strategy="forward",
                                            tolerance=tolerance)

    def adjacent(frame: pl.DataFrame, name: str) -> pl.DataFrame:
        reference = pl.coalesce("reference_speed_m_s", pl.col("distance_m") / pl.col("active_s"))
        easy = (pl.col("other_id").is_not_null() & (pl.col("other_id") != pl.col("id")) & (
            ~pl.col("other_is_run") | (pl.col("other_speed") <= fraction * reference)))
        return frame.select(
            "id",
            pl.when(easy).then(pl.col("other_s")).alias(f"{name}_extra_s"),
            pl.when(easy).then(pl.col("other_id")).alias(f"{name}_activity_id"),
        )

    out = (runs.select("id", "warmup_s", "cooldown_s")
           .join(adjacent(before, "warmup"), on="id", how="left")
           .join(adjacent(after, "cooldown"), on="id", how="left"))

    def total(name: str) -> pl.Expr:
        own, extra = pl.col(f"{name}_s"), pl.col(f"{name}_extra_s")
        return (pl.when(own.is_null() & extra.is_null()).then(None)
                .otherwise(own.fill_null(0.0) + extra.fill_null(0.0)).alias(f"{name}_s"))

    return out.with_columns(total("warmup"), total("cooldown")).select(
        "id", "warmup_s", "cooldown_s",
        (pl.col("warmup_s") >= min_warmup_s).alias("has_warmup"),
        (pl.col("cooldown_s") >= min_cooldown_s).alias("has_cooldown"),
        "warmup_activity_id", "cooldown_activity_id",
    ).cast(WARMUP_SCHEMA)  # type: ignore[arg-type]
