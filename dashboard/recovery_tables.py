"""Wellness days as tables: the listing (CLI CSV/JSON, SI units) and the readable form."""

from __future__ import annotations

import polars as pl

from dashboard.export import hours_minutes

#: Columns of ``strideload wellness --format json|csv``, in order (first the documented ones).
LISTING_COLUMNS = (
    "date", "resting_hr_bpm", "hrv_rmssd_ms", "hrv_sdnn_ms", "sleep_s", "sleep_score", "source",
    "resting_hr_7d_bpm", "hrv_status", "hrv_weekly_ms", "hrv_baseline_low_ms",
    "hrv_baseline_high_ms", "nap_s", "sleep_quality", "soreness", "fatigue", "stress_avg",
    "resting_hr_source", "hrv_source", "sleep_source",
)
_WHOLE = ("sleep_quality", "soreness", "fatigue", "sleep_score")


def wellness_listing(days: pl.DataFrame) -> pl.DataFrame:
    """:func:`ingest.wellness.store.wellness_days` with ISO dates, whole-number scales as
    integers and the columns in :data:`LISTING_COLUMNS` order."""
    return days.select(LISTING_COLUMNS).with_columns(
        pl.col("date").cast(pl.String),
        *[pl.col(c).round(0).cast(pl.Int64) for c in _WHOLE],
        pl.col("hrv_rmssd_ms", "hrv_sdnn_ms", "hrv_weekly_ms", "hrv_baseline_low_ms",
               "hrv_baseline_high_ms").round(1),
    )


def _text(value: object, unit: str = "", digits: int = 0) -> str:
    return "" if value is None else f"{value:.{digits}f}{unit}"


def wellness_display(days: pl.DataFrame) -> pl.DataFrame:
    """One readable row per day, newest first: sleep as h:mm, scales as 'n/4'."""
    rows = []
    for day in days.sort("date", descending=True).iter_rows(named=True):
        rows.append({
            "date": day["date"].isoformat(),
            "sleep (h:mm)": "" if day["sleep_s"] is None else hours_minutes(day["sleep_s"]),
            "sleep score": _text(day["sleep_score"]),
            "resting HR": _text(day["resting_hr_bpm"], " bpm"),
            "HRV (RMSSD)": _text(day["hrv_rmssd_ms"], " ms"),
            "HRV (SDNN)": _text(day["hrv_sdnn_ms"], " ms"),
            "Garmin HRV status": day["hrv_status"] or "",
            "sleep quality": _text(day["sleep_quality"], "/4"),
            "soreness": _text(day["soreness"], "/4"),
            "source": day["source"],
        })
    frame = pl.DataFrame(rows, schema={k: pl.String for k in rows[0]}) if rows else pl.DataFrame()
    return frame.select([c for c in frame.columns if (frame[c] != "").any()])


def recovery_rows(daily: pl.DataFrame) -> list[dict[str, str]]:
    """Days of :func:`dashboard.service.recovery`, newest first, as text cells: sleep h:mm,
    resting HR (with the difference to its median), HRV night and 7-day mean, HRV SDNN (when
    any day has it: Apple Health), pain, source."""
    sdnn = "hrv_sdnn_ms" in daily.columns and daily["hrv_sdnn_ms"].is_not_null().any()
    rows = []
    for day in daily.sort("date", descending=True).iter_rows(named=True):
        delta = day["rhr_delta_bpm"]
        row = {
            "date": f"{day['date']:%a %d %b}",
            "sleep (h:mm)": "-" if day["sleep_s"] is None else hours_minutes(day["sleep_s"]),
            "resting HR (bpm)": (_text(day["resting_hr_bpm"]) or "-")
            + ("" if delta is None else f" ({delta:+.0f})"),
            "HRV (ms)": _text(day["hrv_rmssd_ms"]) or "-",
            "HRV 7-day (ms)": _text(day["hrv_7d_ms"]) or "-",
        }
        if sdnn:
            row["HRV SDNN (ms)"] = _text(day["hrv_sdnn_ms"]) or "-"
        rows.append({**row, "pain (0-10)": _text(day["pain"]) or "-",
                     "source": day["source"] or "-"})
    return rows
