"""Fill in what a recording lacks: distance, speed, moving time, elevation gain; clean GPS.

All functions are pure: a samples frame (see :mod:`ingest.schema`) in, a new frame (and
warnings) out. Thresholds are module constants with their reasoning.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ingest import scalars
from ingest.schema import Activity

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG) [m]
#: Faster than any human-powered sport (and than the cars some GPX files include) [m/s].
MAX_PLAUSIBLE_SPEED_M_S = 100.0
#: Below this a sample counts as stopped for moving time [m/s] (slow walking is ~0.8 m/s).
MOVING_SPEED_M_S = 0.5
#: A gap between samples longer than this is a pause, not movement [s].
MAX_MOVING_GAP_S = 60.0
#: Hysteresis for elevation gain: rises smaller than this are GPS/barometer noise [m].
ELEVATION_HYSTERESIS_M = 2.0
#: Window of the running median applied to altitude before summing gain [samples].
ELEVATION_MEDIAN_WINDOW = 5
#: Half-window of the central difference that turns distance into speed [samples].
SPEED_HALF_WINDOW = 2


def haversine_m(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Great-circle distance between points given in degrees [m] (haversine formula)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def sample_seconds(frame: pl.DataFrame) -> np.ndarray:
    """Unix time of each sample [s]."""
    return frame["timestamp"].dt.epoch("ms").to_numpy().astype(np.float64) / 1000.0


def float_column(frame: pl.DataFrame, column: str) -> np.ndarray:
    """A column as float64, NaN for missing."""
    return frame[column].cast(pl.Float64).fill_null(np.nan).to_numpy()


def clean_positions(samples: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """Null out impossible positions: (0, 0), out-of-range values and single-point jumps.

    A point is a jump when reaching it from the previous valid point *and* leaving it for the
    next one both need more than :data:`MAX_PLAUSIBLE_SPEED_M_S`.
    """
    lat, lon = float_column(samples, "lat_deg"), float_column(samples, "lon_deg")
    valid = np.isfinite(lat) & np.isfinite(lon)
    if not valid.any():
        return samples, []
    warnings = []
    bad = valid & (((lat == 0) & (lon == 0)) | (np.abs(lat) > 90) | (np.abs(lon) > 180))
    if bad.any():
        warnings.append(f"dropped {int(bad.sum())} GPS points at 0,0 or out of range")
    valid &= ~bad
    idx = np.flatnonzero(valid)
    if idx.size >= 3:
        t = sample_seconds(samples)[idx]
        d = haversine_m(lat[idx[:-1]], lon[idx[:-1]], lat[idx[1:]], lon[idx[1:]])
        dt = np.diff(t)
        fast = d > MAX_PLAUSIBLE_SPEED_M_S * np.maximum(dt, 1.0)
        spike = np.zeros(idx.size, dtype=bool)
        spike[1:-1] = fast[:-1] & fast[1:]
        if spike.any():
            warnings.append(f"dropped {int(spike.sum())} GPS points that jumped implausibly far")
            valid[idx[spike]] = False
    if not warnings:
        return samples, []
    keep = pl.Series(valid)
    return (
        samples.with_columns(
            pl.when(keep).then(pl.col("lat_deg")).otherwise(None).alias("lat_deg"),
            pl.when(keep).then(pl.col("lon_deg")).otherwise(None).alias("lon_deg"),
        ),
        warnings,
    )


def distance_from_gps(samples: pl.DataFrame) -> pl.Series:
    """Cumulative haversine distance over the valid positions, carried over gaps [m].

    Steps that would need more than :data:`MAX_PLAUSIBLE_SPEED_M_S` (GPS re-acquired far away,
    a time jump) add nothing. Rows before the first fix are null.
    """
    lat, lon = float_column(samples, "lat_deg"), float_column(samples, "lon_deg")
    idx = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    out = np.full(samples.height, np.nan)
    if idx.size:
        step = haversine_m(lat[idx[:-1]], lon[idx[:-1]], lat[idx[1:]], lon[idx[1:]])
        dt = np.diff(sample_seconds(samples)[idx])
        step[step > MAX_PLAUSIBLE_SPEED_M_S * np.maximum(dt, 1.0)] = 0.0
        at_fix = np.concatenate([[0.0], np.cumsum(step)])
        out[idx[0]:] = at_fix[np.searchsorted(idx, np.arange(idx[0], samples.height), "right") - 1]
    return pl.Series("distance_m", out).fill_nan(None)


def speed_from_distance(samples: pl.DataFrame) -> pl.Series:
    """Speed as a central difference of distance over time, +-:data:`SPEED_HALF_WINDOW` [m/s]."""
    dist, t = float_column(samples, "distance_m"), sample_seconds(samples)
    n, k = samples.height, SPEED_HALF_WINDOW
    out = np.full(n, np.nan)
    if n >= 2:
        lo = np.clip(np.arange(n) - k, 0, n - 1)
        hi = np.clip(np.arange(n) + k, 0, n - 1)
        dt = t[hi] - t[lo]
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where(dt > 0, (dist[hi] - dist[lo]) / dt, np.nan)
    return pl.Series("speed_m_s", out).fill_nan(None)


def moving_time_s(samples: pl.DataFrame) -> float | None:
    """Time spent moving [s]: intervals at >= :data:`MOVING_SPEED_M_S`, gaps <= 60 s.

    Returns None when the recording has no speed at all (e.g. a pool swim without records).
    """
    speed = float_column(samples, "speed_m_s")
    if samples.height < 2 or not np.isfinite(speed).any():
        return None
    dt = np.diff(sample_seconds(samples))
    moving = (speed[1:] >= MOVING_SPEED_M_S) & (dt > 0) & (dt <= MAX_MOVING_GAP_S)
    return float(dt[moving].sum())


def elevation_gain_m(altitude: np.ndarray) -> tuple[float, float] | None:
    """Total ascent and descent [m] after a running median and a hysteresis threshold.

    The altitude is first smoothed with a centred running median of
    :data:`ELEVATION_MEDIAN_WINDOW` samples; then a climb (or descent) is counted only once it
    exceeds :data:`ELEVATION_HYSTERESIS_M` from the last turning point, which removes the
    metre-scale jitter of GPS and barometric altitude.
    """
    alt = altitude[np.isfinite(altitude)]
    if alt.size < 2:
        return None
    w = min(ELEVATION_MEDIAN_WINDOW, alt.size)
    pad = np.pad(alt, (w // 2, w - 1 - w // 2), mode="edge")
    smooth = np.median(np.lib.stride_tricks.sliding_window_view(pad, w), axis=1)
    ascent = descent = 0.0
    ref = smooth[0]
    for value in smooth[1:]:
        if value - ref >= ELEVATION_HYSTERESIS_M:
            ascent += value - ref
            ref = value
        elif ref - value >= ELEVATION_HYSTERESIS_M:
            descent += ref - value
            ref = value
    return ascent, descent


def _mean(values: pl.Series) -> float | None:
    value = values.drop_nulls().mean()
    return scalars.number_or_none(value)


def complete(activity: Activity) -> Activity:
    """Clean GPS and derive whatever the decoder could not read, in place; returns it.

    Fills the distance and speed columns when absent and the summary's duration, distance,
    moving time, ascent/descent, heart rate, cadence, speed and power averages when the file
    did not state them. Device-stated summary values always win.
    """
    samples, warnings = clean_positions(activity.samples)
    activity.warnings.extend(warnings)
    if samples.height and samples["distance_m"].null_count() == samples.height:
        samples = samples.with_columns(distance_from_gps(samples))
    if samples.height and samples["speed_m_s"].null_count() == samples.height:
        samples = samples.with_columns(speed_from_distance(samples))
    if samples.height:
        start = samples["timestamp"][0]
        samples = samples.with_columns(
            ((pl.col("timestamp") - start).dt.total_milliseconds() / 1000.0).alias("elapsed_s")
        )
    activity.samples = samples

    s = activity.summary
    if not samples.height:
        return activity
    if s.duration_s is None:
        s.duration_s = float(samples["elapsed_s"][-1])
    if s.distance_m is None:
        dist = samples["distance_m"].drop_nulls()
        s.distance_m = scalars.number(dist.max()) if dist.len() else None
    if s.moving_time_s is None:
        s.moving_time_s = moving_time_s(samples)
    if s.ascent_m is None:
        gain = elevation_gain_m(float_column(samples, "altitude_m"))
        if gain is not None:
            s.ascent_m, s.descent_m = gain
    hr = samples["heart_rate_bpm"]
    if s.avg_hr_bpm is None:
        s.avg_hr_bpm = _mean(hr)
    if s.max_hr_bpm is None and hr.drop_nulls().len():
        s.max_hr_bpm = scalars.number(hr.max())
    if s.avg_cadence_spm is None:
        s.avg_cadence_spm = _mean(samples["cadence_spm"].filter(samples["cadence_spm"] > 0))
    if s.avg_power_w is None:
        s.avg_power_w = _mean(samples["power_w"])
    if s.avg_speed_m_s is None and s.distance_m:
        moving = s.moving_time_s or s.timer_time_s or s.duration_s
        s.avg_speed_m_s = s.distance_m / moving if moving else None
    return activity
