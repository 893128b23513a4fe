"""The runner's levers as frames for later analyses: per activity and per day.

Per activity (:func:`activity_levers`): the shoes and their wear at the start of the run
(``shoe_km_before``: the pair's distance before tracking plus its earlier activities [km]),
what was carried, the surface, tags, exclusion. Per day (:func:`levers_by_day`): runs and
their distance with a pack, the heaviest carry, surfaces and shoes of the day's runs, and the
body-work columns of :func:`analytics.bodywork.bodywork_days` (0 on days without).
Excluded activities are left out of the per-day frame, as out of the load.
"""

from __future__ import annotations

import polars as pl

from analytics.activity_metrics import RUNNING_SPORTS
from analytics.bodywork import BODYWORK_DAY_COLUMNS, bodywork_days
from ingest.gear import CARRY_TYPES

#: Carry types by weight, for the heaviest of a day (none below the lightest pack).
CARRY_RANK = {name: rank for rank, name in enumerate(("none", *CARRY_TYPES))}


def activity_levers(activities: pl.DataFrame, context: pl.DataFrame, items: pl.DataFrame
                    ) -> pl.DataFrame:
    """One row per activity, oldest first.

    Parameters
    ----------
    activities
        ``id``, ``local_date`` (ISO text or Date), ``start_ms``, ``sport``, ``distance_m``.
    context
        :func:`ingest.context.context_frame`.
    items
        :func:`ingest.gear.items` (``name``, ``initial_m``).

    Returns
    -------
    polars.DataFrame
        ``id``, ``local_date`` (Date), ``sport``, ``is_run``, ``distance_m``, ``shoes``,
        ``shoe_km_before`` [km], ``carry``, ``surface``, ``tags``, ``excluded_from_load``.
    """
    date = pl.col("local_date")
    if activities.schema["local_date"] == pl.String:
        date = date.str.to_date()
    frame = (
        activities.select("id", date.alias("local_date"), "start_ms", "sport", "distance_m")
        .join(context.select("id", "shoes", "carry", "surface", "tags", "excluded_from_load"),
              on="id", how="left")
        .join(items.select(pl.col("name").alias("shoes"), "initial_m"), on="shoes", how="left")
        .sort("start_ms", "id")
    )
    earlier = (pl.col("distance_m").fill_null(0.0).cum_sum() - pl.col("distance_m").fill_null(0.0)
               ).over("shoes")
    return frame.select(
        "id", "local_date", "sport", pl.col("sport").is_in(list(RUNNING_SPORTS)).alias("is_run"),
        "distance_m", "shoes",
        pl.when(pl.col("shoes").is_not_null())
        .then((pl.col("initial_m") + earlier) / 1000.0).alias("shoe_km_before"),
        "carry", "surface", "tags", pl.col("excluded_from_load").fill_null(False),
    )


def levers_by_day(levers: pl.DataFrame, bodywork: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per day with runs or body work.

    Returns
    -------
    polars.DataFrame
        ``date``, ``runs``, ``runs_with_pack``, ``pack_distance_m`` [m], ``carry`` (heaviest
        of the day's runs, null when none was recorded), ``surfaces``, ``shoes`` (sorted
        lists) and :data:`analytics.bodywork.BODYWORK_DAY_COLUMNS`.
    """
    runs = levers.filter(pl.col("is_run") & ~pl.col("excluded_from_load"))
    packed = pl.col("carry").is_not_null() & (pl.col("carry") != "none")
    rank = pl.col("carry").replace_strict(CARRY_RANK, default=None, return_dtype=pl.Int8)
    days = runs.group_by(pl.col("local_date").alias("date")).agg(
        pl.len().cast(pl.UInt32).alias("runs"),
        packed.sum().cast(pl.UInt32).alias("runs_with_pack"),
        pl.col("distance_m").filter(packed).sum().alias("pack_distance_m"),
        pl.col("carry").sort_by(rank).drop_nulls().last().alias("carry"),
        pl.col("surface").drop_nulls().unique().sort().alias("surfaces"),
        pl.col("shoes").drop_nulls().unique().sort().alias("shoes"),
    )
    body = bodywork_days(bodywork)
    out = days.join(body, on="date", how="full", coalesce=True).sort("date")
    return out.with_columns(
        pl.col("runs", "runs_with_pack").fill_null(0),
        pl.col("pack_distance_m").fill_null(0.0),
        pl.col("surfaces", "shoes").fill_null([]),
        pl.col(BODYWORK_DAY_COLUMNS).fill_null(0),
    )
