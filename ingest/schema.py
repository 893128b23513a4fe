"""The seam between decoders and everything else: one activity = a summary + a samples frame.

Every importer (FIT, GPX, TCX) returns :class:`Activity` objects. The samples frame always has
exactly the columns of :data:`SAMPLE_SCHEMA`, in SI units; a signal the file does not carry is an
all-null column, never zeros.

Samples columns
---------------
timestamp               UTC instant, millisecond precision
elapsed_s               seconds since the activity's first sample [s]
distance_m              cumulative distance [m]
speed_m_s               speed [m/s]
heart_rate_bpm          heart rate [1/min]
cadence_spm             on-foot cadence in steps per minute (both feet) [1/min]
cadence_rpm             cadence of other sports: pedal revolutions or strokes per minute [1/min]
altitude_m              altitude above sea level [m]
lat_deg, lon_deg        WGS84 position [deg]
power_w                 power [W]
temperature_c           temperature [deg C]
vertical_oscillation_mm running dynamics: vertical oscillation [mm]
stance_time_ms          running dynamics: ground contact time [ms]
step_length_mm          running dynamics: step length [mm]
stance_time_balance_pct running dynamics: left foot's share of ground contact time [%]
respiration_brpm        respiration rate [breaths/min]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ingest.bodywork import Exercise

SAMPLE_SCHEMA: dict[str, pl.DataType] = {
    "timestamp": pl.Datetime("ms", "UTC"),
    "elapsed_s": pl.Float64(),
    "distance_m": pl.Float64(),
    "speed_m_s": pl.Float64(),
    "heart_rate_bpm": pl.Float64(),
    "cadence_spm": pl.Float64(),
    "cadence_rpm": pl.Float64(),
    "altitude_m": pl.Float64(),
    "lat_deg": pl.Float64(),
    "lon_deg": pl.Float64(),
    "power_w": pl.Float64(),
    "temperature_c": pl.Float64(),
    "vertical_oscillation_mm": pl.Float64(),
    "stance_time_ms": pl.Float64(),
    "step_length_mm": pl.Float64(),
    "stance_time_balance_pct": pl.Float64(),
    "respiration_brpm": pl.Float64(),
}

#: Signals that make one recording "richer" than another (see dedupe in the store).
SIGNAL_COLUMNS: dict[str, str] = {
    "gps": "lat_deg",
    "heart_rate": "heart_rate_bpm",
    "cadence": "cadence_spm",
    "altitude": "altitude_m",
    "power": "power_w",
    "distance": "distance_m",
    "speed": "speed_m_s",
    "temperature": "temperature_c",
    "running_dynamics": "vertical_oscillation_mm",
    "respiration": "respiration_brpm",
}

#: Sports whose cadence is counted in steps (FIT strides/min are doubled for these).
ON_FOOT_SPORTS = frozenset({"running", "walking", "hiking"})


def samples_frame(columns: Mapping[str, Collection[Any]] | None = None,
                  height: int = 0) -> pl.DataFrame:
    """Build a samples frame with the canonical columns, dtypes and order.

    Parameters
    ----------
    columns
        Column name -> sequence of values (lists, numpy arrays or polars Series). Missing columns
        become all-null; unknown names raise ``KeyError``. NaN becomes null.
    height
        Number of rows when ``columns`` is empty (all-null frame).
    """
    columns = dict(columns or {})
    unknown = set(columns) - set(SAMPLE_SCHEMA)
    if unknown:
        raise KeyError(f"unknown sample columns: {sorted(unknown)}")
    if columns:  # one select over all columns (a pass per column costs ~20x more)
        given = pl.DataFrame([pl.Series(name, values) for name, values in columns.items()])
        return given.select([_canonical(given, name, dtype) for name, dtype
                             in SAMPLE_SCHEMA.items()])
    return pl.DataFrame([pl.Series(name, [None] * height, dtype=dtype)
                         for name, dtype in SAMPLE_SCHEMA.items()])


def _canonical(given: pl.DataFrame, name: str, dtype: pl.DataType) -> pl.Expr:
    """The expression giving column ``name`` of :func:`samples_frame` from ``given``."""
    if name not in given.columns:
        return pl.lit(None, dtype).alias(name)
    if name == "timestamp":
        column = pl.col(name)
        return column if given.schema[name] == dtype else column.cast(pl.Int64).cast(dtype)
    return pl.col(name).cast(pl.Float64, strict=False).fill_nan(None)


def empty_samples() -> pl.DataFrame:
    """A samples frame with no rows (an activity with a summary only, e.g. a pool swim)."""
    return samples_frame()


@dataclass
class Lap:
    """One lap as recorded by the device (or one TCX ``Lap``)."""

    start_time: dt.datetime
    elapsed_s: float | None = None
    timer_s: float | None = None
    distance_m: float | None = None
    avg_hr_bpm: float | None = None
    max_hr_bpm: float | None = None
    avg_cadence_spm: float | None = None
    avg_speed_m_s: float | None = None
    ascent_m: float | None = None


@dataclass
class Summary:
    """Per-activity summary. Times are timezone-aware UTC; durations in s, distances in m."""

    format: str  # "fit" | "gpx" | "tcx"
    start_time: dt.datetime
    sport: str = "unknown"
    sub_sport: str | None = None
    local_offset_s: int | None = None  # local time - UTC, from the device, when it says
    duration_s: float | None = None  # elapsed wall-clock time
    timer_time_s: float | None = None  # time the device timer ran (excludes pauses)
    moving_time_s: float | None = None
    distance_m: float | None = None
    ascent_m: float | None = None
    descent_m: float | None = None
    avg_hr_bpm: float | None = None
    max_hr_bpm: float | None = None
    avg_cadence_spm: float | None = None
    avg_speed_m_s: float | None = None
    avg_power_w: float | None = None
    calories_kcal: float | None = None
    device: str | None = None
    session_index: int = 0  # position within a multi-sport file


@dataclass
class Activity:
    """One activity: its summary, its samples (columns of :data:`SAMPLE_SCHEMA`) and laps."""

    summary: Summary
    samples: pl.DataFrame = field(default_factory=empty_samples)
    laps: list[Lap] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    decoder: str = ""  # which decoder read it (e.g. "fitparse", "xml"), shown in reports
    #: (version, values) computed from the samples by a later layer, stored with the activity
    metrics: tuple[int, dict] | None = None
    #: Exercises of a strength workout (FIT ``set`` messages), in order.
    exercises: list[Exercise] = field(default_factory=list)
    #: The file was damaged (part unreadable, checksum wrong) or totals were repaired: such a
    #: recording never replaces a stored one of the same session.
    damaged: bool = False
    #: The samples stop where the file became unreadable: totals the file states may cover more.
    cut_short: bool = False
    #: ``samples`` encoded as the store's samples file where the activity was decoded (by
    #: :func:`ingest.importer.decode_file`, last), or None: the store encodes them itself.
    samples_file: bytes | None = None

    def signals(self) -> list[str]:
        """Names of the signals present (at least one non-null sample), in a stable order."""
        return [
            name
            for name, column in SIGNAL_COLUMNS.items()
            if self.samples.height and self.samples[column].null_count() < self.samples.height
        ]
