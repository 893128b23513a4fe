"""Tabular views of stored data for the CLI and the web app (pure functions on frames)."""

from __future__ import annotations

import json

import polars as pl

from dashboard.units import METRIC, Units

#: Columns of ``strideload activities --format csv|json`` (SI units). ``start_time`` is UTC
#: (ISO 8601, ``Z``), ``start_local`` the same instant on the local clock with its UTC offset,
#: ``local_date`` the calendar day the activity counts for; ``elapsed_s`` is wall-clock time
#: from start to end, ``timer_s`` the time the watch's timer ran (pauses excluded; empty for
#: a file without a timer), ``moving_time_s`` the time in motion; ``distance_m`` is the
#: activity's own distance, whatever its sport.
LISTING_COLUMNS = (
    "id", "source_file", "format", "sport", "sub_sport", "start_time", "start_local",
    "local_date", "elapsed_s", "timer_s", "moving_time_s", "distance_m", "ascent_m",
    "avg_hr_bpm", "max_hr_bpm", "avg_cadence_spm", "device", "samples", "warnings",
)
_STORED_NUMBERS = {"elapsed_s": "duration_s", "timer_s": "timer_time_s"}


def local_start(start_time: pl.Expr, offset_s: pl.Expr) -> pl.Expr:
    """ISO 8601 local time with its offset, e.g. ``2026-11-16T07:00:00+09:00``.

    ``start_time`` is a UTC datetime, ``offset_s`` local time - UTC [s].
    """
    offset = offset_s.cast(pl.Int64)
    size = offset.abs()
    sign = pl.when(offset < 0).then(pl.lit("-")).otherwise(pl.lit("+"))
    return pl.concat_str(
        (start_time.dt.replace_time_zone(None) + pl.duration(seconds=offset))
        .dt.strftime("%Y-%m-%dT%H:%M:%S"),
        sign,
        (size // 3600).cast(pl.String).str.zfill(2), pl.lit(":"),
        (size % 3600 // 60).cast(pl.String).str.zfill(2),
    )


def activity_listing(activities: pl.DataFrame) -> pl.DataFrame:
    """Stored activities -> the documented listing columns, warnings joined with ' | '."""
    if activities.is_empty():
        return pl.DataFrame(schema={name: pl.String for name in LISTING_COLUMNS})
    return activities.select(
        pl.col("id"),
        pl.col("source_file"),
        pl.col("format"),
        pl.col("sport"),
        pl.col("sub_sport"),
        pl.col("start_time").dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
        local_start(pl.col("start_time"), pl.col("utc_offset_s")).alias("start_local"),
        pl.col("local_date"),
        *(pl.col(_STORED_NUMBERS.get(c, c)).cast(pl.Float64).round(3).alias(c)
          for c in LISTING_COLUMNS[8:16]),
        pl.col("device"),
        pl.col("samples"),
        pl.col("warnings").map_elements(lambda w: " | ".join(json.loads(w)),
                                        return_dtype=pl.String),
    )


def format_duration(seconds: float | None) -> str:
    """'1:02:03' for h:mm:ss, '' when unknown."""
    if seconds is None:
        return ""
    seconds = round(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def activity_display(listing: pl.DataFrame, units: Units = METRIC) -> pl.DataFrame:
    """The listing in the runner's units with the unit in each header (terminal table)."""
    def num(column: str, scale: float = 1.0, digits: int = 0) -> pl.Expr:
        value = (pl.col(column) * scale).round(digits)
        text = value.cast(pl.Int64).cast(pl.String) if digits == 0 else value.cast(pl.String)
        return text.fill_null("")

    return listing.select(
        pl.col("id"),
        pl.col("local_date").alias("date"),
        pl.col("start_local").str.slice(11, 5).alias("start (local)"),
        pl.col("sport"),
        *(pl.col(f"{name}_s").map_elements(format_duration, return_dtype=pl.String)
          .fill_null("").alias(name) for name in ("elapsed", "timer")),
        num("distance_m", 1 / units.metres, 2).alias(f"distance ({units.distance})"),
        num("ascent_m", 1 / units.height_metres).alias(f"ascent ({units.height})"),
        num("avg_hr_bpm").alias("avg HR (bpm)"),
        num("avg_cadence_spm").alias("cadence (spm)"),
        pl.col("device").fill_null(""),
        pl.col("source_file").map_elements(lambda p: p.rsplit("/", 1)[-1][-40:],
                                           return_dtype=pl.String).alias("file"),
        pl.when(pl.col("warnings") != "").then(pl.lit("yes")).otherwise(pl.lit(""))
        .alias("warnings"),
    )


def render_table(frame: pl.DataFrame) -> str:
    """Left-aligned plain-text table with a header rule."""
    headers = frame.columns
    rows = [["" if v is None else str(v) for v in row] for row in frame.iter_rows()]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


ON_FOOT = ("running", "walking", "hiking")


def activity_table_columns(units: Units = METRIC) -> list[dict[str, object]]:
    """Columns of the web app's activity grid (AG Grid column definitions; id is a markdown
    link to the detail page, sorted by the activity's number)."""
    def col(field: str, name: str, numeric: bool = False) -> dict[str, object]:
        extra = {"type": "numericColumn", "filter": "agNumberColumnFilter"} if numeric else {}
        return {"field": field, "headerName": name, **extra}

    return [
        {**col("link", "id"), "cellRenderer": "markdown", "linkTarget": "_self",
         "comparator": {"function": "byLinkNumber"}},  # dashboard/assets/grid_functions.js
        col("local_date", "date"),
        col("sport", "sport"),
        col("elapsed", "elapsed"),
        col("timer", "timer"),
        col("distance", f"distance ({units.distance})", True),
        col("pace", f"pace ({units.pace})"),
        col("avg_hr_bpm", "avg HR (bpm)", True),
        col("avg_cadence_spm", "cadence (spm)", True),
        col("ascent", f"ascent ({units.height})", True),
        col("device", "device"),
        col("file", "file"),
        col("warnings", "warnings", True),
    ]


def _rounded(value: float | None, digits: int = 0) -> float | int | None:
    if value is None:
        return None
    return round(value) if digits == 0 else round(value, digits)


def activity_rows(activities: pl.DataFrame, units: Units = METRIC) -> list[dict[str, object]]:
    """Rows for the activity table, newest first, in the runner's units (an activity with
    ``excluded_from_load`` says so after its sport)."""
    rows = []
    for a in activities.sort("start_ms", descending=True).iter_rows(named=True):
        rows.append({
            "link": f"[{a['id']}](/activities/{a['id']})",
            "local_date": a["local_date"],
            "sport": a["sport"] + (f" ({a['sub_sport']})" if a["sub_sport"] else "")
            + (" - not in load" if a.get("excluded_from_load") else ""),
            "elapsed": format_duration(a["duration_s"]),
            "timer": format_duration(a["timer_time_s"]),
            "distance": _rounded(units.dist(a["distance_m"]), 2),
            "pace": units.pace_text(a["avg_speed_m_s"]) if a["sport"] in ON_FOOT else "",
            "avg_hr_bpm": _rounded(a["avg_hr_bpm"]),
            "avg_cadence_spm": _rounded(a["avg_cadence_spm"]),
            "ascent": _rounded(units.height_value(a["ascent_m"])),
            "device": a["device"] or "",
            "file": a["source_file"].rsplit("/", 1)[-1],
            "warnings": len(json.loads(a["warnings"])),
        })
    return rows


def lap_rows(laps: pl.DataFrame, sport: str, units: Units = METRIC) -> list[dict[str, object]]:
    """Laps in the runner's units with the unit in each column name."""
    on_foot = sport in ON_FOOT
    rows = []
    for lap in laps.iter_rows(named=True):
        distance, speed = units.dist(lap["distance_m"]), units.speed_value(lap["avg_speed_m_s"])
        rows.append({
            "lap": lap["lap_index"] + 1,
            "time": format_duration(lap["timer_s"] or lap["elapsed_s"]),
            f"distance ({units.distance})": "" if distance is None else f"{distance:.2f}",
            (f"pace ({units.pace})" if on_foot else f"speed ({units.speed})"):
                units.pace_text(lap["avg_speed_m_s"]) if on_foot
                else ("" if speed is None else f"{speed:.1f}"),
            "avg HR (bpm)": "" if lap["avg_hr_bpm"] is None else f"{lap['avg_hr_bpm']:.0f}",
            "cadence (spm)": "" if lap["avg_cadence_spm"] is None
            else f"{lap['avg_cadence_spm']:.0f}",
        })
    return rows
