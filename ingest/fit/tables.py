"""Decoded FIT content in columns: the contract between FIT decoders and the activity builder.

A decoder turns the bytes of one FIT file (one segment of a chained file) into
:class:`FitTables`: for each message type in :data:`WANTED`, one column per wanted field, one
row per message, in file order. Values follow fitparse's conventions so that every decoder can
be checked against it (fitparse is the reference):

* numbers are scaled and offset as the FIT profile says (``value / scale - offset``);
* invalid markers (0xFF..., NaN) are ``None``;
* enum values are rendered to their profile names (``"running"``) when the profile knows them,
  else left as integers; sub-fields are stored under their parent field's name
  (``file_id.product`` holds the rendered ``garmin_product``);
* ``date_time`` fields stay raw: seconds since the FIT epoch (1989-12-31 00:00 UTC), values
  below 0x10000000 being relative to device power-on;
* components are expanded (``record.speed`` -> ``enhanced_speed``, ``compressed_speed_distance``
  -> ``speed`` and accumulated ``distance``); a field present in the message itself wins over the
  same field reached as a component of another one;
* compressed-timestamp headers yield a ``timestamp`` value.

Columns may be Python lists or numpy arrays (float arrays use NaN for ``None``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ingest.fit.newer_fields  # noqa: F401 - declares the respiration fields both decoders read

#: Seconds between the Unix epoch and the FIT epoch (1989-12-31T00:00:00Z).
FIT_EPOCH_S = 631_065_600
#: FIT date_time values below this are seconds since device power-on, not absolute times.
MIN_ABSOLUTE_TIME = 0x10000000

WANTED: dict[str, tuple[str, ...]] = {
    "file_id": ("type", "manufacturer", "product", "time_created"),
    "device_info": ("device_index", "manufacturer", "product", "product_name"),
    "activity": ("timestamp", "local_timestamp"),
    "sport": ("sport", "sub_sport"),
    "session": (
        "start_time", "timestamp", "sport", "sub_sport", "total_elapsed_time",
        "total_timer_time", "total_distance", "total_ascent", "total_descent", "avg_heart_rate",
        "max_heart_rate", "avg_cadence", "avg_fractional_cadence", "avg_speed",
        "enhanced_avg_speed", "avg_power", "total_calories",
    ),
    "lap": (
        "start_time", "timestamp", "total_elapsed_time", "total_timer_time", "total_distance",
        "total_ascent", "avg_heart_rate", "max_heart_rate", "avg_cadence",
        "avg_fractional_cadence", "avg_speed", "enhanced_avg_speed",
    ),
    "set": (
        "timestamp", "start_time", "duration", "repetitions", "weight", "set_type", "category",
        "category_subtype",
    ),
    "record": (
        "timestamp", "position_lat", "position_long", "distance", "speed", "enhanced_speed",
        "altitude", "enhanced_altitude", "heart_rate", "cadence", "fractional_cadence", "power",
        "temperature", "vertical_oscillation", "stance_time", "step_length",
        "stance_time_balance", "enhanced_respiration_rate",
    ),
}


@dataclass
class FitTables:
    """Columns per wanted message type for one FIT file, plus how decoding went."""

    columns: dict[str, dict[str, Any]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    decoder: str = "fitparse"
    stopped: str | None = None  # why the decoder stopped before the end, if it did
    notes: list[str] = field(default_factory=list)  # for the import report (e.g. a fallback)

    def table(self, name: str) -> dict[str, Any]:
        """Columns of one message type (empty dict when the file has none)."""
        return self.columns.get(name, {})

    def count(self, name: str) -> int:
        return self.rows.get(name, 0)
