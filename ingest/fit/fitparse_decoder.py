"""The reference FIT decoder: fitparse 1.2.0, adapted to :class:`~ingest.fit.tables.FitTables`.

It is given the normalised files of :func:`ingest.fit.scan.scan`: complete, without developer
fields (fitparse 1.2.0 keeps developer-field definitions in a module-global registry that leaks
from one file into the next) and with misaligned fields retyped as bytes (which fitparse 1.2.0
refuses). Should fitparse still raise (damaged bytes make it raise almost anything), the
messages read before that point are kept and the decoder reports that it stopped.
"""

from __future__ import annotations

import io

import fitparse
from fitparse.processors import FitFileDataProcessor

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
    rows: dict[str, list[dict[str, object]]] = {name: [] for name in WANTED}
    tables = FitTables(decoder="fitparse")
    try:
        fit = fitparse.FitFile(io.BytesIO(data), check_crc=False, data_processor=_RawTimes())
        for message in fit.get_messages():
            wanted = WANTED.get(message.name)
            if wanted is not None:
                rows[message.name].append(_message_row(message, wanted))
    except Exception:  # damaged bytes make fitparse raise almost anything
        tables.stopped = f"a damaged message after {sum(map(len, rows.values()))} readable ones"
    for name, messages in rows.items():
        if messages:
            tables.columns[name] = {
                column: [row.get(column) for row in messages] for column in WANTED[name]
            }
            tables.rows[name] = len(messages)
    return tables
