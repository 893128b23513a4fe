"""Tabular views of stored data for the CLI and the web app (pure functions on frames)."""

from __future__ import annotations

import json

import polars as pl

#: Columns of ``strideload activities --format csv|json`` (SI units, times ISO 8601 UTC).
LISTING_COLUMNS = (
    "id", "source_file", "format", "sport", "sub_sport", "start_time", "local_date",
    "duration_s", "moving_time_s", "distance_m", "ascent_m", "avg_hr_bpm", "max_hr_bpm",
    "avg_cadence_spm", "device", "samples", "warnings",
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
        pl.col("local_date"),
        *(pl.col(c).cast(pl.Float64).round(3) for c in LISTING_COLUMNS[7:14]),
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


def activity_display(listing: pl.DataFrame) -> pl.DataFrame:
    """The listing in runner's units with the unit in each header (for the terminal table)."""
    def num(column: str, scale: float = 1.0, digits: int = 0) -> pl.Expr:
        value = (pl.col(column) * scale).round(digits)
        text = value.cast(pl.Int64).cast(pl.String) if digits == 0 else value.cast(pl.String)
        return text.fill_null("")

    return listing.select(
        pl.col("id"),
        pl.col("local_date").alias("date"),
        pl.col("start_time").str.slice(11, 5).alias("start (UTC)"),
        pl.col("sport"),
        pl.col("duration_s").map_elements(format_duration, return_dtype=pl.String)
        .fill_null("").alias("duration"),
        num("distance_m", 0.001, 2).alias("distance (km)"),
        num("ascent_m").alias("ascent (m)"),
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


def format_pace(speed_m_s: float | None) -> str:
    """'5:12' min/km from m/s; '' when unknown or standing."""
    if not speed_m_s or speed_m_s <= 0:
        return ""
    seconds = round(1000.0 / speed_m_s)
    return f"{seconds // 60}:{seconds % 60:02d}"


#: Columns of the web app's activity table (id is a markdown link to the detail page).
ACTIVITY_TABLE_COLUMNS = [
    {"name": "id", "id": "link", "presentation": "markdown"},
    {"name": "date", "id": "local_date"},
    {"name": "sport", "id": "sport"},
    {"name": "duration", "id": "duration"},
    {"name": "distance (km)", "id": "distance_km", "type": "numeric"},
    {"name": "pace (min/km)", "id": "pace"},
    {"name": "avg HR (bpm)", "id": "avg_hr_bpm", "type": "numeric"},
    {"name": "cadence (spm)", "id": "avg_cadence_spm", "type": "numeric"},
    {"name": "ascent (m)", "id": "ascent_m", "type": "numeric"},
    {"name": "device", "id": "device"},
    {"name": "file", "id": "file"},
    {"name": "warnings", "id": "warnings", "type": "numeric"},
]


def activity_rows(activities: pl.DataFrame) -> list[dict[str, object]]:
    """Rows for the activity table, newest first, in runner's units."""
    rows = []
    for a in activities.sort("start_ms", descending=True).iter_rows(named=True):
        on_foot = a["sport"] in ("running", "walking", "hiking")
        rows.append({
            "link": f"[{a['id']}](/activities/{a['id']})",
            "local_date": a["local_date"],
            "sport": a["sport"] + (f" ({a['sub_sport']})" if a["sub_sport"] else ""),
            "duration": format_duration(a["duration_s"]),
            "distance_km": None if a["distance_m"] is None else round(a["distance_m"] / 1000, 2),
            "pace": format_pace(a["avg_speed_m_s"]) if on_foot else "",
            "avg_hr_bpm": None if a["avg_hr_bpm"] is None else round(a["avg_hr_bpm"]),
            "avg_cadence_spm": None if a["avg_cadence_spm"] is None
            else round(a["avg_cadence_spm"]),
            "ascent_m": None if a["ascent_m"] is None else round(a["ascent_m"]),
            "device": a["device"] or "",
            "file": a["source_file"].rsplit("/", 1)[-1],
            "warnings": len(json.loads(a["warnings"])),
        })
    return rows


def lap_rows(laps: pl.DataFrame, sport: str) -> list[dict[str, object]]:
    """Laps in runner's units with the unit in each column name."""
    on_foot = sport in ("running", "walking", "hiking")
    rows = []
    for lap in laps.iter_rows(named=True):
        rows.append({
            "lap": lap["lap_index"] + 1,
            "time": format_duration(lap["timer_s"] or lap["elapsed_s"]),
            "distance (km)": "" if lap["distance_m"] is None else f"{lap['distance_m'] / 1000:.2f}",
            ("pace (min/km)" if on_foot else "speed (km/h)"):
                format_pace(lap["avg_speed_m_s"]) if on_foot
                else ("" if lap["avg_speed_m_s"] is None else f"{lap['avg_speed_m_s'] * 3.6:.1f}"),
            "avg HR (bpm)": "" if lap["avg_hr_bpm"] is None else f"{lap['avg_hr_bpm']:.0f}",
            "cadence (spm)": "" if lap["avg_cadence_spm"] is None
            else f"{lap['avg_cadence_spm']:.0f}",
        })
    return rows
