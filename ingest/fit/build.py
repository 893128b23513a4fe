"""Turn decoded FIT tables into activities: one per session, records split by session time.

Units: FIT positions are semicircles (deg = semicircles * 180 / 2**31); running cadence is
strides/min, so steps/min = 2 * (cadence + fractional_cadence) (FIT profile, record message).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from ingest.bodywork import exercises_from_sets
from ingest.errors import CorruptFile
from ingest.fit.tables import FIT_EPOCH_S, MIN_ABSOLUTE_TIME, FitTables
from ingest.schema import ON_FOOT_SPORTS, Activity, Lap, Summary, samples_frame

SEMICIRCLE_DEG = 180.0 / 2**31
#: Largest plausible difference between local time and UTC [s] (UTC-12 ... UTC+14).
MAX_LOCAL_OFFSET_S = 14 * 3600
#: A session start_time this much later than its end minus its elapsed time is wrong [s].
LATE_START_S = 60
#: Records this far outside every session's time window are desynchronised garbage [s].
ORPHAN_TOLERANCE_S = 300
#: Sub-sports newer than fitparse's profile (FIT SDK 21), by number.
NEWER_SUB_SPORTS = {62: "breathing"}


def floats(values: Sequence[Any] | np.ndarray | None, n: int) -> np.ndarray:
    """Column as float64, NaN for missing, non-numeric (strings, byte tuples) or absent."""
    if values is None:
        return np.full(n, np.nan)
    if isinstance(values, np.ndarray):
        return values.astype(np.float64, copy=False)
    return np.array(
        [v if isinstance(v, int | float) and not isinstance(v, bool) else np.nan for v in values],
        dtype=np.float64,
    )


def rows(tables: FitTables, name: str) -> list[dict[str, Any]]:
    """Messages of one type as dicts, NaN turned into None (summary messages are few)."""
    table, n = tables.table(name), tables.count(name)
    out = []
    for i in range(n):
        row = {}
        for column, values in table.items():
            value = values[i]
            if isinstance(value, np.generic):
                value = value.item()
            row[column] = None if isinstance(value, float) and np.isnan(value) else value
        out.append(row)
    return out


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


class Clock:
    """Converts raw FIT seconds to Unix seconds, anchoring device-relative times if it can."""

    def __init__(self, tables: FitTables) -> None:
        self.relative_shift: float | None = None
        for act in rows(tables, "activity"):
            ts, local = _number(act.get("timestamp")), _number(act.get("local_timestamp"))
            if ts is not None and local is not None and ts < MIN_ABSOLUTE_TIME <= local:
                self.relative_shift = local - ts
        self.used_relative = False

    def unix(self, raw: np.ndarray) -> np.ndarray:
        """Unix seconds; relative values are shifted to the device's local clock or NaN."""
        raw = np.asarray(raw, dtype=np.float64)
        relative = raw < MIN_ABSOLUTE_TIME
        if relative.any() and np.isfinite(raw[relative]).any():
            self.used_relative = True
        shift = np.nan if self.relative_shift is None else self.relative_shift
        return np.where(relative, raw + shift, raw) + FIT_EPOCH_S

    def one(self, raw: Any) -> float | None:
        value = _number(raw)
        if value is None:
            return None
        out = float(self.unix(np.array([value]))[0])
        return None if np.isnan(out) else out


def local_offset_s(tables: FitTables) -> int | None:
    """local time - UTC from the ``activity`` message (local_timestamp - timestamp) [s]."""
    for act in rows(tables, "activity"):
        ts, local = _number(act.get("timestamp")), _number(act.get("local_timestamp"))
        if ts is None or local is None or ts < MIN_ABSOLUTE_TIME or local < MIN_ABSOLUTE_TIME:
            continue
        offset = int(local - ts)
        if abs(offset) <= MAX_LOCAL_OFFSET_S:
            return offset
    return None


def device_name(tables: FitTables) -> str | None:
    """'manufacturer product' from file_id, or the creator's product_name from device_info."""
    for info in rows(tables, "device_info"):
        if info.get("device_index") in (0, "creator") and isinstance(info.get("product_name"), str):
            return info["product_name"]
    for file_id in rows(tables, "file_id"):
        parts = [
            value if isinstance(value, str) else f"{key} {value}"
            for key in ("manufacturer", "product")
            if (value := file_id.get(key)) is not None
        ]
        if parts:
            return " ".join(parts)
    return None


def _utc(unix_s: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(round(unix_s, 3), tz=dt.UTC)


def _sport(value: Any) -> str:
    if isinstance(value, str):
        return value
    return "unknown" if value is None else f"sport {value}"


def _spm(cadence: Any, fraction: Any, sport: str) -> float | None:
    """Average steps/min from FIT strides/min (+ fractional part) for on-foot sports."""
    strides = _number(cadence)
    if strides is None or sport not in ON_FOOT_SPORTS:
        return None
    return 2.0 * (strides + (_number(fraction) or 0.0))


def records_frame_columns(tables: FitTables, clock: Clock) -> dict[str, np.ndarray]:
    """Record columns in SI units (cadence still raw strides or rpm), time in Unix seconds."""
    rec, n = tables.table("record"), tables.count("record")

    def col(name: str) -> np.ndarray:
        return floats(rec.get(name), n)

    def preferred(first: str, second: str) -> np.ndarray:
        a = col(first)
        return np.where(np.isnan(a), col(second), a)

    cadence = col("cadence")
    return {
        "time": clock.unix(col("timestamp")),
        "lat_deg": col("position_lat") * SEMICIRCLE_DEG,
        "lon_deg": col("position_long") * SEMICIRCLE_DEG,
        "distance_m": col("distance"),
        "speed_m_s": preferred("enhanced_speed", "speed"),
        "altitude_m": preferred("enhanced_altitude", "altitude"),
        "heart_rate_bpm": col("heart_rate"),
        "cadence": cadence + np.nan_to_num(col("fractional_cadence")),
        "power_w": col("power"),
        "temperature_c": col("temperature"),
        "vertical_oscillation_mm": col("vertical_oscillation"),
        "stance_time_ms": col("stance_time"),
        "step_length_mm": col("step_length"),
        "stance_time_balance_pct": col("stance_time_balance"),
        "respiration_brpm": col("enhanced_respiration_rate"),
    }


def _samples(columns: dict[str, np.ndarray], mask: np.ndarray, sport: str):
    picked = {name: values[mask] for name, values in columns.items()}
    cadence = picked.pop("cadence")
    time = picked.pop("time")
    if sport in ON_FOOT_SPORTS:
        picked["cadence_spm"] = 2.0 * cadence
    else:
        picked["cadence_rpm"] = cadence
    picked["timestamp"] = np.round(time * 1000.0).astype(np.int64)
    return samples_frame(picked)


def _lap(row: dict[str, Any], clock: Clock, sport: str) -> Lap | None:
    start = clock.one(row.get("start_time"))
    if start is None:
        return None
    return Lap(
        start_time=_utc(start),
        elapsed_s=_number(row.get("total_elapsed_time")),
        timer_s=_number(row.get("total_timer_time")),
        distance_m=_number(row.get("total_distance")),
        avg_hr_bpm=_number(row.get("avg_heart_rate")),
        max_hr_bpm=_number(row.get("max_heart_rate")),
        avg_cadence_spm=_spm(row.get("avg_cadence"), row.get("avg_fractional_cadence"), sport),
        avg_speed_m_s=_number(row.get("enhanced_avg_speed")) or _number(row.get("avg_speed")),
        ascent_m=_number(row.get("total_ascent")),
    )


def _sub_sport(value: Any) -> str | None:
    if value in (None, "generic", 0):
        return None
    return NEWER_SUB_SPORTS.get(value, str(value)) if isinstance(value, int) else str(value)


def _session_summary(row: dict[str, Any], start: float, common: dict[str, Any]) -> Summary:
    sport = _sport(row.get("sport"))
    return Summary(
        format="fit",
        start_time=_utc(start),
        sport=sport,
        sub_sport=_sub_sport(row.get("sub_sport")),
        duration_s=_number(row.get("total_elapsed_time")),
        timer_time_s=_number(row.get("total_timer_time")),
        distance_m=_number(row.get("total_distance")),
        ascent_m=_number(row.get("total_ascent")),
        descent_m=_number(row.get("total_descent")),
        avg_hr_bpm=_number(row.get("avg_heart_rate")),
        max_hr_bpm=_number(row.get("max_heart_rate")),
        avg_cadence_spm=_spm(row.get("avg_cadence"), row.get("avg_fractional_cadence"), sport),
        avg_speed_m_s=_number(row.get("enhanced_avg_speed")) or _number(row.get("avg_speed")),
        avg_power_w=_number(row.get("avg_power")),
        calories_kcal=_number(row.get("total_calories")),
        **common,
    )


def build_activities(tables: FitTables) -> list[Activity]:
    """Activities of one FIT file: one per ``session``, or one from the records if none.

    Raises
    ------
    CorruptFile
        When the file has records or sessions but no usable time stamps.
    """
    clock = Clock(tables)
    columns = records_frame_columns(tables, clock)
    time = columns["time"]
    common: dict[str, Any] = {"local_offset_s": local_offset_s(tables),
                              "device": device_name(tables)}
    warnings: list[str] = []

    sessions = []
    for row in rows(tables, "session"):
        start = clock.one(row.get("start_time"))
        end = clock.one(row.get("timestamp"))
        elapsed = _number(row.get("total_elapsed_time")) or 0.0
        if start is None and end is not None:
            start = end - elapsed
        elif start is not None and end is not None and end > start:
            if end - elapsed < start - LATE_START_S:
                start = end - elapsed  # a late start_time (fenix 2 multi-sport files)
        else:
            end = None  # summary written before the records: its timestamp is not the end
        if start is None:
            continue
        sessions.append((start, max(end or start, start + elapsed), row))
    sessions.sort(key=lambda s: s[0])

    if not sessions:
        has_time = np.isfinite(time)
        if not has_time.any():
            raise CorruptFile(
                "no usable timestamps: the file does not say when this activity happened"
            )
        sport_rows = rows(tables, "sport")
        sport = _sport(sport_rows[0].get("sport")) if sport_rows else "unknown"
        start = float(np.nanmin(time))
        summary = Summary(format="fit", start_time=_utc(start), sport=sport, **common)
        summary.sub_sport = _sub_sport(sport_rows[0].get("sub_sport") if sport_rows else None)
        warnings.append("no session summary in the file: totals were computed from the records")
        groups: list[tuple[Summary, np.ndarray, tuple[float, float] | None]] = [
            (summary, has_time, None)]
    else:
        starts = np.array([s[0] for s in sessions])
        ends = np.array([s[1] for s in sessions])
        owner = np.clip(np.searchsorted(starts, time, side="right") - 1, 0, len(sessions) - 1)
        inside = (time >= starts[owner] - ORPHAN_TOLERANCE_S) & (
            time <= ends[owner] + ORPHAN_TOLERANCE_S
        )
        orphans = int((np.isfinite(time) & ~inside).sum())
        if orphans:
            warnings.append(f"dropped {orphans} records timed outside every session")
        groups = [
            (_session_summary(row, start, common), inside & (owner == i), (start, end))
            for i, (start, end, row) in enumerate(sessions)
        ]

    lap_rows = [(clock.one(r.get("start_time")), r) for r in rows(tables, "lap")]
    set_rows = [(clock.one(r.get("start_time")) or clock.one(r.get("timestamp")), r)
                for r in rows(tables, "set")]
    activities = []
    for index, (summary, mask, window) in enumerate(groups):
        summary.session_index = index
        samples = _samples(columns, mask, summary.sport).sort("timestamp", maintain_order=True)
        if len(groups) > 1:  # FIT distance runs on across the sessions of a multi-sport file
            first = samples["distance_m"].drop_nulls()
            if first.len():
                samples = samples.with_columns(pl.col("distance_m") - first[0])
        laps = [
            lap
            for start, row in lap_rows
            if start is not None
            and (window is None or window[0] - 1 <= start <= window[1])
            and (lap := _lap(row, clock, summary.sport)) is not None
        ]
        sets = [row for start, row in set_rows
                if len(groups) == 1 or (window is not None and start is not None
                                        and window[0] - 1 <= start <= window[1])]
        activity = Activity(summary=summary, samples=samples, laps=laps, warnings=list(warnings),
                            exercises=exercises_from_sets(sets))
        activities.append(activity)
    if clock.used_relative:
        for activity in activities:
            activity.summary.local_offset_s = 0
            activity.warnings.append(
                "the watch stored times relative to when it was switched on: the activity was "
                "placed using its local clock (time zone unknown)"
            )
    return activities
