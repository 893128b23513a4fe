"""Gear from a Strava bulk export: its ``activities.csv`` names the gear of each activity file.

The export holds ``activities.csv`` beside the folder ``activities/``; each row gives the
"Activity Gear" (a name, blank when none) and the "Filename" (``activities/123.fit.gz``,
relative to the CSV). While a folder or archive is expanded, :func:`read_gear` reads the CSV
into :attr:`ingest.sources.Expansion.gear_by_file` (keyed by the item names of the files);
after a file is imported, :func:`apply_gear` creates the gear (shoes for on-foot sports, else
other) and gives it to the file's activities in place of any item of that kind they had.
"""

from __future__ import annotations

import csv
import io
import posixpath
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ingest.schema import ON_FOOT_SPORTS

if TYPE_CHECKING:
    from ingest.import_report import FileReport
    from ingest.store import Store

ACTIVITIES_CSV = "activities.csv"
GEAR_COLUMN = "Activity Gear"
FILE_COLUMN = "Filename"
#: Largest activities.csv read [bytes] (100,000 activities are ~60 MB with all columns).
MAX_CSV_BYTES = 128 * 1024 * 1024


class ExportProblem(ValueError):
    """An activities.csv that cannot be read, with the reason."""


def is_activities_csv(name: str) -> bool:
    return posixpath.basename(name.replace("\\", "/")).lower() == ACTIVITIES_CSV


def read_gear(data: bytes, folder: str) -> dict[str, str]:
    """File item name -> gear name of the rows of one activities.csv.

    ``folder`` is the item-name prefix of the CSV's folder (``export.zip/`` or
    ``/home/me/export/``); rows without gear or file are skipped. Columns are found by their
    header (Strava repeats some names; the first counts).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExportProblem(f"{ACTIVITIES_CSV} is not UTF-8 text ({exc.reason})") from exc
    rows = csv.reader(io.StringIO(text))
    header = next(rows, [])
    if GEAR_COLUMN not in header or FILE_COLUMN not in header:
        raise ExportProblem(f"{ACTIVITIES_CSV} has no '{GEAR_COLUMN}' and '{FILE_COLUMN}' "
                            "columns: not a Strava export")
    gear_at, file_at = header.index(GEAR_COLUMN), header.index(FILE_COLUMN)
    out = {}
    for row in rows:
        if len(row) > max(gear_at, file_at):
            gear, name = " ".join(row[gear_at].split()), row[file_at].strip()
            if gear and name:
                out[folder + posixpath.normpath(name.replace("\\", "/"))] = gear
    return out


def apply_gear(store: Store, report: FileReport, gear_by_file: Mapping[str, str]) -> list[str]:
    """Give the activities of an imported file the gear its export row names.

    Returns the names of gear items created now; the report's ``gear`` lists what was
    assigned.
    """
    from ingest import gear as gear_store

    name = gear_by_file.get(report.file.replace("\\", "/"))
    if name is None or report.status != "imported":
        return []
    rows = store.db.execute("SELECT id, sport FROM activities WHERE source_file = ?",
                            (report.file,)).fetchall()
    if not rows:
        return []
    kind = "shoes" if any(r["sport"] in ON_FOOT_SPORTS for r in rows) else "other"
    try:
        gear_id, added = gear_store.find_or_add(store, name, kind)
    except gear_store.GearError as exc:
        report.warnings.append(f"gear {name[:40]!r} from {ACTIVITIES_CSV} not added: {exc}")
        return []
    gear_store.use_item(store, [r["id"] for r in rows], gear_id)
    report.gear.append(name)
    return [name] if added else []
