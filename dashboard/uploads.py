"""Browser uploads: dcc.Upload data URLs -> import reports (files never touch the disk)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable

from dashboard.service import enrich
from ingest.errors import UnsupportedFile
from ingest.import_report import FileReport
from ingest.importer import import_items
from ingest.sources import Expansion, Item, expand_upload
from ingest.store import Store
from ingest.strava import apply_gear


def decode_data_url(content: str) -> bytes:
    """The bytes of a ``data:<type>;base64,<payload>`` string as dcc.Upload delivers them."""
    _, _, payload = content.partition(",")
    return base64.b64decode(payload, validate=True)


def _items(uploads: Iterable[tuple[str, str]], stats: Expansion) -> Iterable[Item]:
    for name, content in uploads:
        try:
            data = decode_data_url(content)
        except (binascii.Error, ValueError):
            yield Item.refused(name, UnsupportedFile("the upload arrived damaged"))
            continue
        yield from expand_upload(name, data, stats)


def import_uploads(uploads: list[tuple[str, str]], store: Store) -> tuple[list[FileReport], int]:
    """Import uploaded (file name, data URL) pairs; returns the reports and skipped count.

    Decoded in the web server's process: an upload is a handful of files, and worker processes
    would take longer to start than the decoding. The gear of a Strava export is assigned as
    its files are stored (each report's ``gear``).
    """
    stats = Expansion()
    reports = []
    for report in import_items(_items(uploads, stats), store, jobs=1, enrich=enrich):
        apply_gear(store, report, stats.gear_by_file)
        reports.append(report)
    return reports, stats.skipped
