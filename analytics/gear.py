"""Gear: distance and time per item, shoes past retirement, parallel shoe use.

docs/methods.md section 10. Distance per item = its distance before tracking (``initial_m``,
our addition for shoes bought earlier) + the distances of the activities it is assigned to;
time = their timer time (else elapsed time).

- **Retirement** [U]: 500-800 km (300-500 mi) is advised by shoe makers and retailers, not by
  trials; default ``shoe_retire_km`` = 700 km, an item's own ``retire_km`` wins. Shown as
  "commonly advised", for context.
- **Parallel use** [V]: running in more than one pair was associated with fewer running-related
  injuries (HR 0.61, 95 % CI 0.39-0.97; 264 recreational runners followed 22 weeks; Malisoux
  et al. 2015 Scand J Med Sci Sports 25:110). Pairs are counted over the last
  ``parallel_shoes_days`` days [H].
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import polars as pl

from analytics.activity_metrics import RUNNING_SPORTS
from analytics.settings import Settings
from analytics.suggestions import Reason

RETIRE_SOURCE = "shoe makers and retailers advise 500-800 km (300-500 mi); not from trials"
PARALLEL_SOURCE = "Malisoux et al. 2015 Scand J Med Sci Sports 25:110"
PARALLEL_FINDING = ("running in more than one pair in parallel was associated with fewer "
                    "running-related injuries (HR 0.61, 95 % CI 0.39-0.97; 264 recreational "
                    "runners, 22 weeks; cohort)")
#: Columns of :func:`gear_usage`.
USAGE_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(), "name": pl.String(), "kind": pl.String(), "carry": pl.String(),
    "since": pl.Date(), "distance_m": pl.Float64(), "duration_s": pl.Float64(),
    "activities": pl.UInt32(), "first_used": pl.Date(), "last_used": pl.Date(),
    "retire_km": pl.Float64(), "past_retirement": pl.Boolean(), "retired": pl.Boolean(),
    "default_for": pl.String(), "note": pl.String(),
}


def _activity_columns(activities: pl.DataFrame) -> pl.DataFrame:
    date = pl.col("local_date")
    if activities.schema["local_date"] == pl.String:
        date = date.str.to_date()
    sport = pl.col("sport") if "sport" in activities.columns else pl.lit(None, pl.String)
    return activities.select(
        pl.col("id").alias("activity_id"), date.alias("local_date"), sport.alias("sport"),
        pl.col("distance_m").cast(pl.Float64).fill_null(0.0),
        pl.coalesce("timer_time_s", "duration_s").cast(pl.Float64).fill_null(0.0)
        .alias("time_s"),
    )


def gear_usage(items: pl.DataFrame, assignments: pl.DataFrame, activities: pl.DataFrame,
               settings: Settings | Mapping[str, object] | None = None,
               as_of: dt.date | None = None) -> pl.DataFrame:
    """Distance, time and use of every item (module docstring).

    Parameters
    ----------
    items
        ``ingest.gear.items``: ``id``, ``name``, ``kind``, ``carry``, ``since``,
        ``retire_km``, ``initial_m``, ``retired``, ``default_for``, ``note``.
    assignments
        ``activity_id``, ``gear_id``.
    activities
        ``id``, ``local_date`` (Date or ISO text), ``distance_m`` [m], ``timer_time_s``,
        ``duration_s`` [s].
    as_of
        Count only activities up to this day (default: all).

    Returns
    -------
    polars.DataFrame
        Columns of :data:`USAGE_SCHEMA`: ``distance_m`` [m], ``duration_s`` [s],
        ``activities`` (count), ``retire_km`` (the item's, else ``shoe_retire_km`` for
        shoes) [km], ``past_retirement`` (distance >= retirement distance).
    """
    s = Settings.coerce(settings)
    used = assignments.join(_activity_columns(activities), on="activity_id", how="inner")
    if as_of is not None:
        used = used.filter(pl.col("local_date") <= as_of)
    per_item = used.group_by("gear_id").agg(
        pl.col("distance_m").sum().alias("assigned_m"),
        pl.col("time_s").sum().alias("duration_s"),
        pl.len().cast(pl.UInt32).alias("activities"),
        pl.col("local_date").min().alias("first_used"),
        pl.col("local_date").max().alias("last_used"),
    )
    retire = pl.coalesce(pl.col("retire_km"), pl.when(pl.col("kind") == "shoes")
                         .then(pl.lit(s.number("shoe_retire_km"))))
    out = items.join(per_item, left_on="id", right_on="gear_id", how="left",
                     maintain_order="left").with_columns(
        (pl.col("initial_m") + pl.col("assigned_m").fill_null(0.0)).alias("distance_m"),
        pl.col("duration_s").fill_null(0.0),
        pl.col("activities").fill_null(0),
        retire.alias("retire_km"),
    ).with_columns(
        (pl.col("distance_m") >= pl.col("retire_km") * 1000.0).fill_null(False)
        .alias("past_retirement"),
    )
    return out.select(list(USAGE_SCHEMA)).cast(USAGE_SCHEMA)  # type: ignore[arg-type]


def _distance(metres: float, unit: tuple[str, float]) -> str:
    return f"{metres / unit[1]:.0f} {unit[0]}"


def gear_notes(usage: pl.DataFrame, assignments: pl.DataFrame, activities: pl.DataFrame,
               day: dt.date, settings: Settings | Mapping[str, object] | None = None,
               unit: tuple[str, float] = ("km", 1000.0)) -> list[Reason]:
    """Context reasons for the Today page on ``day``.

    One per pair of shoes in use (not retired, run in within ``parallel_shoes_days``, or the
    default of a sport) whose distance passed its retirement distance [U]; then the number of
    pairs run in over that window with the parallel-use finding [V] (when any run had shoes).

    Parameters
    ----------
    usage
        :func:`gear_usage` (as of ``day``).
    assignments, activities
        As for :func:`gear_usage`; ``activities`` also needs ``sport``.
    unit
        Display distance unit: (name, metres per unit).
    """
    s = Settings.coerce(settings)
    window = s.integer("parallel_shoes_days")
    since = day - dt.timedelta(days=window - 1)
    shoes = usage.filter(pl.col("kind") == "shoes")
    runs = _activity_columns(activities).filter(
        pl.col("sport").is_in(list(RUNNING_SPORTS)) & pl.col("local_date").is_between(since, day))
    worn = assignments.join(runs, on="activity_id").join(
        shoes.select(pl.col("id").alias("gear_id"), "name"), on="gear_id")
    in_use = set(worn["gear_id"].to_list())
    notes = []
    for item in shoes.filter(~pl.col("retired") & pl.col("past_retirement")).iter_rows(named=True):
        if item["id"] not in in_use and item["default_for"] is None:
            continue
        limit = item["retire_km"] * 1000.0
        notes.append(Reason(
            "shoe_distance", round(item["distance_m"] / unit[1], 1),
            f">= {_distance(limit, unit)}, commonly advised", unit[0], RETIRE_SOURCE, "U",
            f"For context: shoes {item['name']} = {_distance(item['distance_m'], unit)} vs "
            f">= {_distance(limit, unit)}, when shoes are commonly advised to be replaced - "
            f"{RETIRE_SOURCE}. Not a diagnosis.", context=True))
    pairs = worn["gear_id"].n_unique()
    if pairs:
        names = ", ".join(sorted(set(worn["name"].to_list())))
        said = (f"you ran in {pairs} pairs ({names})" if pairs > 1
                else f"you ran in one pair ({names})")
        notes.append(Reason(
            "shoe_pairs", pairs, ">= 2 pairs in parallel", "pairs", PARALLEL_SOURCE, "V",
            f"For context: in the last {window} days {said}; {PARALLEL_FINDING} - "
            f"{PARALLEL_SOURCE}. Not a diagnosis.", context=True))
    return notes
