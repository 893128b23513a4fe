"""The reference FIT decoder: fitparse 1.2.0, adapted to :class:`~ingest.fit.tables.FitTables`.

Two fitparse 1.2.0 behaviours are worked around here:

* developer field definitions live in a module-global registry (``fitparse.records.DEV_TYPES``)
  that carries over from one file to the next in the same process; it is cleared before each file;
* it raises at the first unreadable byte; messages read before that point are kept (the caller
  only hands it the bytes :func:`ingest.fit.scan.scan` found readable).
"""

from __future__ import annotations

import io
import struct

import fitparse
import fitparse.records
from fitparse.processors import FitFileDataProcessor
from fitparse.utils import FitParseError

from ingest.fit.tables import WANTED, FitTables


class _RawTimes(FitFileDataProcessor):
    """Keep date_time values as raw FIT seconds (fitparse would make naive datetimes)."""

    def process_type_date_time(self, field_data) -> None:  # noqa: D102 - fitparse hook
        pass

    def process_type_local_date_time(self, field_data) -> None:  # noqa: D102 - fitparse hook
        pass


def _message_row(message, wanted: tuple[str, ...]) -> dict[str, object]:
    """Wanted field values of one message; a field of the message beats a component of another."""
    row: dict[str, object] = {}
    from_field: set[str] = set()
    for field_data in message.fields:
        name = field_data.parent_field.name if field_data.parent_field else field_data.name
        if name not in wanted or field_data.value is None:
            continue
        is_field = field_data.field_def is not None
        if name in from_field and not is_field:
            continue
        row[name] = field_data.value
        if is_field:
            from_field.add(name)
    return row


def decode(data: bytes) -> FitTables:
    """Decode one FIT file (one segment of a chained file) with fitparse."""
    fitparse.records.DEV_TYPES.clear()
    rows: dict[str, list[dict[str, object]]] = {name: [] for name in WANTED}
    tables = FitTables(decoder="fitparse")
    try:
        fit = fitparse.FitFile(io.BytesIO(data), check_crc=False, data_processor=_RawTimes())
        for message in fit.get_messages():
            wanted = WANTED.get(message.name)
            if wanted is not None:
                rows[message.name].append(_message_row(message, wanted))
    except (FitParseError, struct.error, ValueError, KeyError, IndexError, TypeError) as exc:
        tables.stopped = f"{type(exc).__name__}: {exc}"
    for name, messages in rows.items():
        if messages:
            tables.columns[name] = {
                column: [row.get(column) for row in messages] for column in WANTED[name]
            }
            tables.rows[name] = len(messages)
    return tables
