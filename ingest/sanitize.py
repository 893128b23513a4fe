"""Replace physiologically impossible sample values by null, with a note for the import report.

Devices write placeholders instead of gaps: heart rate 0 when the strap loses contact (some
exports store a whole file of zeros), 255 for "invalid" in older firmware, negative speeds.
"""

from __future__ import annotations

import polars as pl

from ingest.schema import Activity

#: Plausible closed ranges per column; values outside become null.
#: Heart rate 25-250 bpm covers resting athletes to maximal efforts in every age group.
VALID_RANGES: dict[str, tuple[float, float]] = {
    "heart_rate_bpm": (25.0, 250.0),
    "speed_m_s": (0.0, 100.0),
    "cadence_spm": (0.0, 300.0),
    "cadence_rpm": (0.0, 250.0),
    "power_w": (0.0, 3000.0),
    "altitude_m": (-500.0, 9000.0),
    "temperature_c": (-60.0, 70.0),
}
LABELS = {
    "heart_rate_bpm": "heart rate",
    "speed_m_s": "speed",
    "cadence_spm": "cadence",
    "cadence_rpm": "cadence",
    "power_w": "power",
    "altitude_m": "altitude",
    "temperature_c": "temperature",
}


def clean(activity: Activity) -> Activity:
    """Null out-of-range sample and summary values in place; one warning per affected signal."""
    summary = activity.summary
    low, high = VALID_RANGES["heart_rate_bpm"]
    for name in ("avg_hr_bpm", "max_hr_bpm"):
        value = getattr(summary, name)
        if value is not None and not low <= value <= high:
            setattr(summary, name, None)
    samples = activity.samples
    if not samples.height:
        return activity
    fixes = []
    for column, (low, high) in VALID_RANGES.items():
        values = samples[column]
        present = values.is_not_null()
        bad = present & ((values < low) | (values > high))
        n_bad = int(bad.sum())
        if not n_bad:
            continue
        fixes.append(pl.when(bad).then(None).otherwise(pl.col(column)).alias(column))
        label = LABELS[column]
        if n_bad == int(present.sum()):
            activity.warnings.append(
                f"{label} was invalid in every sample (e.g. all zeros): dropped"
            )
        else:
            activity.warnings.append(f"{label}: {n_bad} impossible values dropped")
    if fixes:
        activity.samples = samples.with_columns(fixes)
    return activity
