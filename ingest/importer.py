"""Import a batch of files into a store: one report per file, the batch never stops on one."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ingest.errors import ImportProblem
from ingest.reader import read_activities, sniff
from ingest.sources import Item
from ingest.store import Store


@dataclass
class FileReport:
    """The outcome for one input file (the ``--json`` line of ``strideload import``)."""

    file: str
    status: str  # "imported" | "duplicate" | "rejected"
    activities: int = 0
    warnings: list[str] = field(default_factory=list)
    reason: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "status": self.status,
            "activities": self.activities,
            "warnings": self.warnings,
            "reason": self.reason,
        }


def _format(data: bytes) -> str | None:
    try:
        return sniff(data)
    except ImportProblem:
        return None


def import_item(item: Item, store: Store) -> FileReport:
    """Load, decode and store one file; every failure becomes a 'rejected' report."""
    try:
        data = item.load()
    except ImportProblem as problem:
        return FileReport(item.name, "rejected", reason=problem.reason)
    except OSError as exc:
        return FileReport(item.name, "rejected", reason=f"cannot read the file ({exc.strerror})")
    sha256 = hashlib.sha256(data).hexdigest()
    known = store.known_file(sha256)
    if known is not None:
        return FileReport(
            item.name, "duplicate", reason=f"identical to {known['name']}, already imported"
        )
    try:
        activities = read_activities(data, item.name)
    except ImportProblem as problem:
        return FileReport(item.name, "rejected", reason=problem.reason)
    except Exception as exc:  # a decoder bug must not stop the batch; say so plainly
        return FileReport(
            item.name, "rejected", reason=f"unexpected decoder error ({type(exc).__name__}: {exc})"
        )
    report = FileReport(item.name, "duplicate")
    notes = []
    try:
        for activity in activities:
            stored = store.add(activity, sha256, item.name, activity.decoder)
            report.warnings.extend(activity.warnings)
            if stored.note:
                notes.append(stored.note)
            if stored.status in ("imported", "replaced"):
                report.status = "imported"
                report.activities += 1
    except OSError as exc:
        return FileReport(item.name, "rejected", report.activities, report.warnings,
                          f"could not be stored ({exc})")
    if report.status == "duplicate":
        report.reason = "; ".join(notes)
    else:
        report.warnings.extend(notes)
    store.record_file(sha256, item.name, len(data), _format(data), report.status,
                      report.activities)
    return report


def import_items(items: Iterable[Item], store: Store) -> Iterator[FileReport]:
    """Import items one after another, yielding a report as each finishes."""
    for item in items:
        yield import_item(item, store)
