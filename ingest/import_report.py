"""What an import says about each file: its report line, and internal errors logged.

Anything that goes wrong with one file because of a bug (in a decoder, the analytics hook or
storing) becomes an :class:`InternalError`: its traceback is appended to :data:`ERROR_LOG` in
the data directory and logged to the ``ingest.importer`` logger (the tests fail on it), and
the file's report says where the details are; the rest of the batch goes on.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path

#: File in the data directory that collects the tracebacks of internal errors.
ERROR_LOG = "errors.log"

_log = logging.getLogger("ingest.importer")


@dataclass
class FileReport:
    """The outcome for one input file (the ``--json`` line of ``strideload import``)."""

    file: str
    status: str  # "imported" | "duplicate" | "rejected"
    activities: int = 0
    warnings: list[str] = field(default_factory=list)
    reason: str | None = None
    wellness_days: int = 0  # days of resting HR, HRV or sleep added or changed
    wellness_dates: tuple[str, ...] = ()  # those days (ISO), for a batch's summary
    gear: list[str] = field(default_factory=list)  # assigned from a Strava export's CSV
    replaced: int = 0  # activities kept instead of a poorer recording of the same session

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "status": self.status,
            "activities": self.activities,
            "wellness_days": self.wellness_days,
            "warnings": self.warnings,
            "reason": self.reason,
            "gear": self.gear,
        }


@dataclass(frozen=True)
class InternalError:
    """A file failed because of a bug, not because of its content: the traceback to log."""

    details: str

    @staticmethod
    def now() -> InternalError:
        """The exception being handled."""
        return InternalError(traceback.format_exc())


def report_internal_error(name: str, error: InternalError, data_dir: str | os.PathLike
                          ) -> FileReport:
    """Append the traceback to the data directory's :data:`ERROR_LOG`; the rejection line."""
    log = Path(data_dir) / ERROR_LOG
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    try:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{stamp} internal error while reading {name}\n{error.details}\n")
        where = f"details in {log}"
    except OSError as exc:
        where = f"details could not be written to {log}: {exc.strerror}"
    _log.error("internal error while reading %s\n%s", name, error.details)
    return FileReport(name, "rejected", reason=f"internal error while reading {name} "
                                               f"({where}); the rest of the batch goes on")
