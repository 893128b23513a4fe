"""Body work per day and as sessions for the load (docs/methods.md section 10).

Strength-training programmes reduced sports injuries in a meta-analysis of RCTs (RR 0.315,
95 % CI 0.207-0.480) while stretching did not (RR 0.963, 0.846-1.095) (Lauersen, Bertelsen &
Andersen 2014 BJSM 48:871) [V]; exercise therapy is first-line for low-back pain (NICE NG59)
[V], extrapolated to the thoracic spine [P]. Mobility work is counted as comfort and mobility,
not as injury prevention.

Load of strength and yoga sessions: session RPE x minutes when rated, else duration x the
per-category default intensity (settings ``default_hrr_strength``, ``default_hrr_mobility``),
flagged estimated - never heart-rate TRIMP, never running (:func:`analytics.load.session_loads`).
"""

from __future__ import annotations

import polars as pl

from ingest.bodywork import CATEGORIES, SUB_SPORT_OF_CATEGORY

#: The evidence in one sentence, for pages and summaries.
EVIDENCE_NOTE = (
    "In randomised trials strength programmes reduced sports injuries (RR 0.32, 95 % CI "
    "0.21-0.48) and stretching did not (Lauersen 2014 BJSM 48:871) [V]; exercise therapy is the "
    "first treatment for low-back pain (NICE NG59) [V], here applied to the upper back [P]. "
    "Mobility work (cat-cow, thoracic extension, child's pose) is for comfort and mobility, not "
    "injury prevention.")
#: Per-day columns of :func:`bodywork_days` (all also summed per week).
BODYWORK_DAY_COLUMNS: tuple[str, ...] = (
    "bodywork_sessions", "bodywork_minutes",
    *(f"bodywork_{category}_{what}" for category in CATEGORIES
      for what in ("sessions", "minutes")),
)

#: Columns of the body-work sessions these functions read (``ingest.bodywork_store.sessions``).
SESSION_INPUT: dict[str, pl.DataType] = {
    "id": pl.Int64(), "date": pl.Date(), "source": pl.String(), "category": pl.String(),
    "minutes": pl.Float64(),
}


def bodywork_days(sessions: pl.DataFrame | pl.LazyFrame | None) -> pl.DataFrame:
    """Sessions and minutes per day, in total and by category (core, mobility, strength).

    Returns
    -------
    polars.DataFrame
        ``date`` and :data:`BODYWORK_DAY_COLUMNS` (sessions as counts, minutes [min]) for each
        day with body work.
    """
    schema = {"date": pl.Date(), **{c: pl.Float64() if c.endswith("minutes") else pl.UInt32()
                                    for c in BODYWORK_DAY_COLUMNS}}
    if sessions is None:
        return pl.DataFrame(schema=schema)
    frame = sessions.lazy().select("date", "category", "minutes").collect()
    if frame.is_empty():
        return pl.DataFrame(schema=schema)
    per_category = [
        expr
        for category in CATEGORIES
        for expr in (
            (pl.col("category") == category).sum().cast(pl.UInt32)
            .alias(f"bodywork_{category}_sessions"),
            pl.col("minutes").filter(pl.col("category") == category).sum()
            .alias(f"bodywork_{category}_minutes"),
        )
    ]
    return (
        frame.group_by("date")
        .agg(pl.len().cast(pl.UInt32).alias("bodywork_sessions"),
             pl.col("minutes").sum().alias("bodywork_minutes"), *per_category)
        .sort("date").select(list(schema)).cast(schema)  # type: ignore[arg-type]
    )


def manual_session_ratings(sessions: pl.DataFrame | pl.LazyFrame | None) -> pl.DataFrame:
    """Session RPE of the rated hand-logged sessions, keyed like
    :func:`manual_session_activities` (``activity_id`` = minus the session id, ``rpe``)."""
    schema = {"activity_id": pl.Int64(), "rpe": pl.Float64()}
    if sessions is None:
        return pl.DataFrame(schema=schema)
    return (sessions.lazy().filter((pl.col("source") == "manual") & pl.col("rpe").is_not_null())
            .select((-pl.col("id")).alias("activity_id"), "rpe").collect()
            .cast(schema))  # type: ignore[arg-type]


def manual_session_activities(sessions: pl.DataFrame | pl.LazyFrame | None) -> pl.DataFrame:
    """Hand-logged sessions as activity rows for :func:`analytics.load.session_loads`.

    ``id`` is minus the session id (never an activity id), ``sport`` ``training``,
    ``sub_sport`` by category (strength and core: strength_training, mobility:
    flexibility_training), ``duration_s`` = minutes x 60, starting at the day's midnight UTC;
    file sessions are activities already and are left out.
    """
    schema = {"id": pl.Int64(), "sport": pl.String(), "sub_sport": pl.String(),
              "local_date": pl.Date(), "start_time": pl.Datetime("ms", "UTC"),
              "duration_s": pl.Float64(), "timer_time_s": pl.Float64()}
    if sessions is None:
        return pl.DataFrame(schema=schema)
    manual = sessions.lazy().filter(pl.col("source") == "manual").collect()
    return manual.select(
        (-pl.col("id")).cast(pl.Int64).alias("id"),
        pl.lit("training").alias("sport"),
        pl.col("category").replace_strict(SUB_SPORT_OF_CATEGORY, return_dtype=pl.String)
        .alias("sub_sport"),
        pl.col("date").alias("local_date"),
        pl.col("date").cast(pl.Datetime("ms", "UTC")).alias("start_time"),
        (pl.col("minutes") * 60.0).alias("duration_s"),
        (pl.col("minutes") * 60.0).alias("timer_time_s"),
    ).cast(schema)  # type: ignore[arg-type]
