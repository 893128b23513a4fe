"""A temporary SQLite file holding what one pass over ``export.xml`` keeps, so memory stays
bounded whatever the export's size.

In an export, the records come first (grouped by type) and the workouts last: which records
fall inside a workout is known only at the end. So the records a workout may need
(:data:`ingest.apple_health.values.QUANTITIES`), the wellness records and the workouts are
appended here during the pass (in batches of :data:`BATCH`), indexed at the end, and each
workout's time window is then read back with one indexed query. SQLite's page cache, not the
export, bounds the memory; the file lives in a temporary folder removed afterwards.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

#: Rows buffered before they are written (~2 MB of Python tuples).
BATCH = 20_000
#: Records longer than this are day or hour totals, useless inside a workout [ms].
MAX_RECORD_SPAN_MS = 3600 * 1000
#: Distinct source names kept; later ones share one id (a hostile file cannot grow the map).
MAX_SOURCES = 10_000
OTHER_SOURCE = "(other sources)"

_SCHEMA = """
CREATE TABLE records (kind INTEGER, source INTEGER, start_ms INTEGER, end_ms INTEGER,
                      value REAL);
CREATE TABLE wellness (kind TEXT, day TEXT, start_ms INTEGER, end_ms INTEGER, value REAL);
CREATE TABLE workouts (id INTEGER PRIMARY KEY, data TEXT);
"""


class Spool:
    """The temporary store of one export pass (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.db = sqlite3.connect(folder / "export-pass.sqlite", isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "temp_store = FILE",
                       "cache_size = -16000"):  # 16 MB of page cache
            self.db.execute(f"PRAGMA {pragma}")
        self.db.executescript(_SCHEMA)
        self.db.execute("BEGIN")
        self.sources: dict[str, int] = {}
        self._records: list[tuple[int, int, int, int, float]] = []
        self._wellness: list[tuple[str, str, int, int, float | None]] = []
        self.workouts = 0

    def close(self) -> None:
        self.db.close()

    def source_id(self, name: str) -> int:
        """A small number for a source name (the same one every time)."""
        found = self.sources.get(name)
        if found is None:
            if len(self.sources) >= MAX_SOURCES:
                name = OTHER_SOURCE
            found = self.sources.setdefault(name, len(self.sources))
        return found

    def add_record(self, kind: int, source: int, start_ms: int, end_ms: int, value: float
                   ) -> None:
        if 0 <= end_ms - start_ms <= MAX_RECORD_SPAN_MS:
            self._records.append((kind, source, start_ms, end_ms, value))
            if len(self._records) >= BATCH:
                self._flush_records()

    def add_wellness(self, kind: str, day: str, start_ms: int, end_ms: int,
                     value: float | None) -> None:
        self._wellness.append((kind, day, start_ms, end_ms, value))
        if len(self._wellness) >= BATCH:
            self._flush_wellness()

    def add_workout(self, data: dict) -> None:
        self.db.execute("INSERT INTO workouts (data) VALUES (?)", (json.dumps(data),))
        self.workouts += 1

    def _flush_records(self) -> None:
        self.db.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?)", self._records)
        self._records.clear()

    def _flush_wellness(self) -> None:
        self.db.executemany("INSERT INTO wellness VALUES (?, ?, ?, ?, ?)", self._wellness)
        self._wellness.clear()

    def finish(self) -> None:
        """Write what is buffered and index the records by type and start (end of the pass)."""
        self._flush_records()
        self._flush_wellness()
        self.db.execute("CREATE INDEX records_by_time ON records (kind, start_ms)")
        self.db.execute("COMMIT")

    def stored_workouts(self) -> Iterator[dict]:
        """The workouts in the order they were read."""
        for (data,) in self.db.execute("SELECT data FROM workouts ORDER BY id"):
            yield json.loads(data)

    def window(self, kind: int, start_ms: int, end_ms: int) -> list[tuple[int, int, int, float]]:
        """(source, start_ms, end_ms, value) of records of ``kind`` overlapping the window,
        by start."""
        return self.db.execute(
            "SELECT source, start_ms, end_ms, value FROM records WHERE kind = ? AND "
            "start_ms BETWEEN ? AND ? AND end_ms >= ? ORDER BY start_ms, source, end_ms, value",
            (kind, start_ms - MAX_RECORD_SPAN_MS, end_ms, start_ms)).fetchall()

    def wellness(self, kind: str) -> sqlite3.Cursor:
        """(day, start_ms, end_ms, value) of one wellness kind, by day and time."""
        return self.db.execute("SELECT day, start_ms, end_ms, value FROM wellness WHERE kind = ? "
                               "ORDER BY day, start_ms", (kind,))
