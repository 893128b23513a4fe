"""The store's journal tables: pain entries, session RPE and days trained without a recording."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from ingest.store.connection import Connection, utc_now

if TYPE_CHECKING:
    import polars as pl

    from ingest.journal import PainEntry


class JournalTables(Connection):
    """Pain, RPE and unrecorded days (methods of :class:`ingest.store.Store`)."""

    def add_pain(self, entries: list[PainEntry]) -> int:
        """Store entries in one transaction; an entry replaces the same day and area."""
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO pain (date, area, level, during_run, red_flags, note, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (date, area) DO UPDATE SET "
                "level = excluded.level, during_run = excluded.during_run, "
                "red_flags = excluded.red_flags, note = excluded.note, "
                "updated_at = excluded.updated_at",
                [_pain_row(entry) for entry in entries],
            )
        return len(entries)

    def update_pain(self, entry_id: int, entry: PainEntry) -> bool:
        """Overwrite one entry by id (its date and area may change)."""
        date, area, level, during_run, flags, note, updated = _pain_row(entry)
        with self.transaction() as db:
            changed = db.execute(
                "UPDATE pain SET date = ?, area = ?, level = ?, during_run = ?, red_flags = ?, "
                "note = ?, updated_at = ? WHERE id = ?",
                (date, area, level, during_run, flags, note, updated, entry_id),
            ).rowcount
        return bool(changed)

    def delete_pain(self, entry_id: int) -> bool:
        with self.transaction() as db:
            return bool(db.execute("DELETE FROM pain WHERE id = ?", (entry_id,)).rowcount)

    def pain(self) -> pl.DataFrame:
        """The journal, oldest first: id, date (Date), area, level, during_run, red_flags, note."""
        from ingest.store.frames import pain_frame

        cursor = self.db.cursor()
        cursor.row_factory = None  # plain tuples
        return pain_frame(cursor.execute(
            "SELECT id, date, area, level, during_run, red_flags, note FROM pain "
            "ORDER BY date, area"
        ).fetchall())

    def set_unrecorded(self, day: dt.date, trained: bool = True) -> None:
        """Mark (or unmark) a local day as trained without a recording: its load is unknown."""
        if trained:
            self.db.execute("INSERT OR IGNORE INTO unrecorded VALUES (?)", (day.isoformat(),))
        else:
            self.db.execute("DELETE FROM unrecorded WHERE date = ?", (day.isoformat(),))

    def unrecorded(self) -> list[dt.date]:
        return [dt.date.fromisoformat(r[0])
                for r in self.db.execute("SELECT date FROM unrecorded ORDER BY date")]

    def set_rpe(self, activity_id: int, rating: float) -> None:
        """Log a session RPE (CR-10); raises KeyError for an unknown activity."""
        if self.db.execute("SELECT 1 FROM activities WHERE id = ?",
                           (activity_id,)).fetchone() is None:
            raise KeyError(activity_id)
        self.db.execute(
            "INSERT INTO rpe VALUES (?, ?, ?) ON CONFLICT (activity_id) DO UPDATE SET "
            "rpe = excluded.rpe, updated_at = excluded.updated_at",
            (activity_id, rating, utc_now()),
        )

    def rpe(self) -> pl.DataFrame:
        from ingest.store.frames import rpe_frame

        return rpe_frame([tuple(r) for r in self.db.execute(
            "SELECT activity_id, rpe FROM rpe ORDER BY activity_id")])


def _pain_row(entry: PainEntry) -> tuple:
    return (entry.date.isoformat(), entry.area, entry.level, int(entry.during_run),
            json.dumps(list(entry.red_flags)), entry.note, utc_now())
