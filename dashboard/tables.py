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
