"""Run-quality signals between the store, the analytics and the views: warm-up and cool-down,
breathing and running dynamics per activity (docs/methods.md sections 11.1-11.3).

Shared by ``strideload activities`` and the activity and Form pages.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from analytics.warmup import run_warmups
from dashboard import preferences, service
from ingest.store import Store

#: Columns added to ``strideload activities --format json|csv`` (SI units; null where the
#: activity did not record the signal, or the run could not be classified).
SIGNAL_COLUMNS = ("warmup_s", "cooldown_s", "respiration_brpm", "respiration_drift_pct",
                  "vertical_oscillation_mm", "ground_contact_ms", "stride_length_m")
#: Further per-run values for the pages.
PAGE_COLUMNS = ("has_warmup", "has_cooldown", "warmup_activity_id", "cooldown_activity_id",
                "warmup_note", "speed_cv", "ground_contact_balance_pct",
                "vertical_oscillation_change_pct", "ground_contact_change_pct")


def run_quality(store: Store) -> pl.DataFrame:
    """Per activity: ``id``, :data:`SIGNAL_COLUMNS` and :data:`PAGE_COLUMNS` (warm-up and
    cool-down with the easy activities beside a run, :func:`analytics.warmup.run_warmups`),
    ``own_warmup_s`` and ``own_cooldown_s`` (within the activity itself)."""
    acts = service.activities_with_metrics(store)
    s = preferences.load_settings(store)
    warm = run_warmups(acts, adjacent_min=s.number("warmup_adjacent_min"),
                       min_warmup_s=s.number("warmup_min_s"),
                       min_cooldown_s=s.number("cooldown_min_s"),
                       fraction=s.number("warmup_speed_fraction"))
    stored = [c for c in (*SIGNAL_COLUMNS, *PAGE_COLUMNS) if c not in warm.columns]
    own = [pl.col(f"{part}_s").alias(f"own_{part}_s") for part in ("warmup", "cooldown")]
    return (acts.select("id", *stored, *own)
            .join(warm, on="id", how="left", maintain_order="left")
            .select("id", *SIGNAL_COLUMNS, *PAGE_COLUMNS, "own_warmup_s", "own_cooldown_s"))


def activity_signals(store: Store, activity_id: int) -> dict[str, Any] | None:
    """:func:`run_quality` of one activity as a dict (``own_warmup_s``/``own_cooldown_s``:
    the easy running inside the activity itself, for shading its charts)."""
    row = run_quality(store).filter(pl.col("id") == activity_id)
    return row.row(0, named=True) if row.height else None


def with_signals(listing: pl.DataFrame, store: Store) -> pl.DataFrame:
    """The activities listing with :data:`SIGNAL_COLUMNS` (rounded for reading)."""
    if listing.is_empty():
        return listing.with_columns(pl.lit(None, pl.Float64).alias(c) for c in SIGNAL_COLUMNS)
    signals = run_quality(store).select("id", *SIGNAL_COLUMNS).with_columns(
        pl.col("warmup_s", "cooldown_s").round(0),
        pl.col("respiration_brpm", "respiration_drift_pct", "vertical_oscillation_mm",
               "ground_contact_ms").round(1),
        pl.col("stride_length_m").round(3))
    return listing.join(signals, on="id", how="left", maintain_order="left")
