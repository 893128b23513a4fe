"""Gear, run context and body work between the store, the analytics and the views.

Shared by the command line and the web app: tables of gear with their use, the Today notes on
shoes, activity listings with their context, body-work listings for JSON/CSV/tables.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import polars as pl

from analytics.gear import gear_notes, gear_usage
from analytics.levers import activity_levers, levers_by_day
from analytics.suggestions import Reason
from dashboard import preferences
from dashboard.tables import format_duration
from dashboard.units import METRIC, Units
from ingest import bodywork_store, gear
from ingest.context import context_frame
from ingest.store import Store

#: Columns added to ``strideload activities`` (CSV/JSON) by :func:`with_context`.
CONTEXT_COLUMNS = ("gear", "carry", "surface", "tags", "excluded_from_load")
#: Columns of ``strideload gear list --format json|csv``, in order.
GEAR_COLUMNS = ("id", "name", "kind", "carry", "since", "distance_m", "duration_s",
                "activities", "first_used", "last_used", "retire_km", "past_retirement",
                "retired", "default_for", "note")


def usage(store: Store) -> pl.DataFrame:
    """:func:`analytics.gear.gear_usage` of the store (the runner's settings)."""
    return gear_usage(gear.items(store), gear.assignments(store), store.activities(),
                      preferences.load_settings(store))


def gear_listing(store: Store) -> pl.DataFrame:
    """Gear rows for JSON/CSV: SI units, dates as ISO text."""
    return usage(store).select(GEAR_COLUMNS).with_columns(
        pl.col("since", "first_used", "last_used").cast(pl.String),
        pl.col("distance_m", "duration_s").round(1),
    )


def _status(row: dict) -> str:
    if row["retired"]:
        return "retired"
    return "past retirement" if row["past_retirement"] else "in use"


def gear_display(listing: pl.DataFrame, units: Units = METRIC) -> pl.DataFrame:
    """Gear in the runner's units for a terminal or a page table (the columns also without
    gear)."""
    columns = ("id", "name", "kind", f"distance ({units.distance})", "time", "activities",
               f"retire at ({units.distance})", "status", "default for")
    rows = [(
        str(row["id"]),
        row["name"],
        row["kind"] + (f" ({row['carry']})" if row["carry"] else ""),
        f"{units.dist(row['distance_m']):.1f}",
        format_duration(row["duration_s"]),
        str(row["activities"]),
        "" if row["retire_km"] is None else f"{units.dist(row['retire_km'] * 1000.0):.0f}",
        _status(row),
        row["default_for"] or "",
    ) for row in listing.iter_rows(named=True)]
    # without gear: no rows, the same columns
    return pl.DataFrame(rows, schema={k: pl.String for k in columns}, orient="row")


def activity_frame(store: Store) -> pl.DataFrame:
    """Per activity: shoes and their wear, carry, surface, tags, exclusion
    (:func:`analytics.levers.activity_levers`) - an input for later analyses."""
    return activity_levers(store.activities(), context_frame(store), gear.items(store))


def day_frame(store: Store) -> pl.DataFrame:
    """Per day: runs with a pack, carry, surfaces, shoes and body work
    (:func:`analytics.levers.levers_by_day`) - an input for later analyses."""
    return levers_by_day(activity_frame(store), bodywork_store.sessions(store))


def shoe_notes(store: Store, day: dt.date, units: Units = METRIC) -> list[Reason]:
    """Today's context reasons about shoes (:func:`analytics.gear.gear_notes`)."""
    items = gear.items(store)
    if items.filter(pl.col("kind") == "shoes").is_empty():
        return []
    settings = preferences.load_settings(store)
    activities = store.activities()
    assigned = gear.assignments(store)
    used = gear_usage(items, assigned, activities, settings, as_of=day)
    return gear_notes(used, assigned, activities, day, settings,
                      unit=(units.distance, units.metres))


def with_context(listing: pl.DataFrame, store: Store, fmt: str) -> pl.DataFrame:
    """The activities listing with :data:`CONTEXT_COLUMNS` (lists joined by '; ' in CSV)."""
    context = context_frame(store).select("id", *CONTEXT_COLUMNS)
    if listing.is_empty():
        return listing.with_columns(pl.lit(None, pl.String).alias(c) for c in CONTEXT_COLUMNS)
    out = listing.join(context, on="id", how="left", maintain_order="left")
    if fmt == "csv":
        out = out.with_columns(pl.col("gear", "tags").list.join("; "))
    return out


def exercise_text(exercise: dict) -> str:
    """'bridge 3x12', 'plank 2 x 40 s', 'cat-cow 5 min', 'row 3x12 @ 8 kg' for tables."""
    sets, reps, seconds = exercise["sets"], exercise["reps"], exercise["duration_s"]
    amount = ""
    if sets and reps:
        amount = f" {sets}x{reps}"
    elif sets and seconds:
        amount = f" {sets} x {seconds / sets:.0f} s"
    elif seconds:
        amount = f" {seconds / 60:.3g} min"
    elif sets:
        amount = f" {sets} sets"
    if exercise.get("weight_kg"):
        amount += f" @ {exercise['weight_kg']:g} kg"
    return exercise["name"] + amount


def bodywork_listing(store: Store, start: dt.date | None = None, end: dt.date | None = None
                     ) -> list[dict[str, object]]:
    """Body-work sessions as JSON-ready rows (``strideload bodywork list --format json``)."""
    frame = bodywork_store.sessions(store, start, end)
    return [{**row, "date": row["date"].isoformat()} for row in frame.iter_rows(named=True)]


def bodywork_table(rows: list[dict[str, Any]], fmt: str) -> pl.DataFrame:
    """Rows of :func:`bodywork_listing` flattened for CSV or a terminal table."""
    schema = {"id": pl.String, "activity_id": pl.String, "date": pl.String,
              "source": pl.String, "category": pl.String, "minutes": pl.Float64,
              "rpe": pl.Float64, "exercises": pl.String, "note": pl.String}
    flat = [{
        "id": None if row["id"] is None else str(row["id"]),
        "activity_id": None if row["activity_id"] is None else str(row["activity_id"]),
        "date": row["date"], "source": row["source"], "category": row["category"],
        "minutes": row["minutes"], "rpe": row["rpe"],
        "exercises": "; ".join(exercise_text(e) for e in row["exercises"]),
        "note": row["note"],
    } for row in rows]
    frame = pl.DataFrame(flat, schema=schema)
    if fmt == "table":
        frame = frame.with_columns(pl.col("id", "activity_id").fill_null(""),
                                   pl.col("minutes", "rpe").round(1).cast(pl.String)
                                   .fill_null(""))
    return frame


def json_rows(rows: list[dict[str, object]]) -> str:
    return json.dumps(rows, indent=1)
