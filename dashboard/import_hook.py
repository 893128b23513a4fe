"""The hook every import runs on each decoded activity: its per-activity metrics.

Kept apart from :mod:`dashboard.service` so that ``strideload import`` and the decoding workers
load only the per-activity analytics, not the report, the factors or the web app's pieces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from analytics.activity_metrics import METRICS_VERSION, compute_activity_metrics

if TYPE_CHECKING:
    from ingest.schema import Activity


def enrich(activity: Activity) -> Activity:
    """Attach the per-activity metrics (the import hook; runs in the decoding process)."""
    activity.metrics = (METRICS_VERSION,
                        compute_activity_metrics(activity.samples, activity.summary.sport))
    return activity
