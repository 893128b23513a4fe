"""The store's activity tables: files, activities with laps and samples, per-activity metrics.

Writes are atomic per activity (see :mod:`ingest.store`). polars (frames and samples files,
:mod:`ingest.store.frames`) and the dedupe and levers modules are imported when an activity is
added or read, not when the store is opened.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import uuid
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ingest import scalars
from ingest.store.connection import Connection, localize, remove, utc_now

if TYPE_CHECKING:
    import datetime as dt

    import polars as pl

    from ingest.schema import Activity
    from ingest.sources import Fingerprint

#: Prefix of samples files being written (see :mod:`ingest.store`).
TEMP_PREFIX = ".tmp-"
#: Ids in one ``IN (...)`` query (SQLite allows 999 variables in older builds).
_IDS_PER_QUERY = 900
#: Stores one activity's metrics (id, version, JSON), stamped with the store's revision.
_INSERT_METRICS = ("INSERT INTO activity_metrics (activity_id, version, data, written) "
                   "VALUES (?, ?, ?, (SELECT value FROM revision))")


@dataclass
class Stored:
    """What happened to one activity offered to the store."""

    status: str  # "imported" | "duplicate" | "replaced"
    activity_id: int | None
    note: str | None = None  # e.g. which file was kept


class ActivityTables(Connection):
    """Files, activities, laps, samples and metrics (methods of :class:`ingest.store.Store`)."""

    # -- files -------------------------------------------------------------------------------
    def known_file(self, sha256: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM files WHERE sha256 = ?", (sha256,)).fetchone()

    def file_by_member(self, fingerprint: Fingerprint) -> sqlite3.Row | None:
        """The known file an archive entry of this fingerprint (path in its archive, CRC-32,
        size) held when it was imported (:meth:`record_member`), if the store still knows it.

        An entry of the same path, size and CRC-32 is taken for the same bytes without
        reading it: another content matches all three by chance once in 4 billion.
        """
        return self.db.execute(
            "SELECT files.* FROM archive_members JOIN files USING (sha256) "
            "WHERE archive_members.name = ? AND crc32 = ? AND archive_members.size = ?",
            fingerprint).fetchone()

    def record_member(self, fingerprint: Fingerprint, sha256: str) -> None:
        """Remember which bytes an archive entry of this fingerprint held."""
        self.db.execute("INSERT OR REPLACE INTO archive_members VALUES (?, ?, ?, ?)",
                        (*fingerprint, sha256))

    def record_file(self, sha256: str, name: str, size: int, fmt: str | None, status: str,
                    activities: int) -> None:
        """Remember an imported file; the first record of its bytes is kept (an import
        running at the same time that found it a duplicate does not overwrite it)."""
        self.db.execute(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
            (sha256, name, size, fmt, status, activities, utc_now()),
        )

    # -- activities ----------------------------------------------------------------------------
    def samples_path(self, activity_id: int) -> Path:
        return self.samples_dir / f"{activity_id:08d}.parquet"

    def _same_session(self, sha256: str, session_index: int, activity: Activity,
                      start_ms: int, end_ms: int) -> tuple[sqlite3.Row | None, bool]:
        """A stored activity that is the same session, and whether its samples said so: the
        same file's session, or one that overlaps in time or in samples (:mod:`ingest.dedupe`)."""
        from ingest import dedupe

        columns = "id, source_file, start_ms, end_ms, signals, samples"
        same_file = self.db.execute(
            f"SELECT {columns} FROM activities WHERE file_sha256 = ? AND session_index = ?",
            (sha256, session_index),
        ).fetchone()
        if same_file is not None:
            return same_file, True
        candidates = self.db.execute(
            f"SELECT {columns} FROM activities WHERE start_ms <= ? AND end_ms >= ?",
            (end_ms + dedupe.DEDUPE_START_S * 1000, start_ms - dedupe.DEDUPE_START_S * 1000),
        ).fetchall()
        for row in candidates:
            if dedupe.same_by_time(start_ms, end_ms, row["start_ms"], row["end_ms"],
                                   activity.damaged):
                return row, False
        for row in candidates:
            if dedupe.same_by_samples(activity.samples, self.samples(row["id"]),
                                      activity.damaged):
                return row, True
        return None, False

    def add(self, activity: Activity, sha256: str, source_file: str, decoder: str | None = None
            ) -> Stored:
        """Store one activity atomically (summary, laps, samples), applying the dedupe rules."""
        from ingest import dedupe
        from ingest.bodywork_store import insert_activity_exercises
        from ingest.context import carry_over
        from ingest.store.frames import write_samples

        s = activity.summary
        start_ms = _ms(s.start_time)
        end_ms = start_ms + round(1000 * (s.duration_s or 0.0))
        if activity.samples.height:
            end_ms = max(end_ms, _ms(activity.samples["timestamp"][-1]))
        signals = activity.signals()
        written: list[Path] = []

        def undo() -> None:
            for path in written:
                remove(path)

        with self.transaction(undo) as db:
            same, by_samples = self._same_session(sha256, s.session_index, activity, start_ms,
                                                  end_ms)
            if same is not None and not dedupe.replaces(
                    signals, activity.samples.height, activity.damaged,
                    _split(same["signals"]), same["samples"], by_samples):
                return Stored("duplicate", same["id"],
                              f"same session as {same['source_file']} (kept that one)")
            zone = zoneinfo.ZoneInfo(self.time_zone())
            offset, day = localize(start_ms, end_ms, s.local_offset_s, zone)
            row = {
                "file_sha256": sha256, "session_index": s.session_index,
                "source_file": source_file, "format": s.format, "decoder": decoder,
                "sport": s.sport, "sub_sport": s.sub_sport, "start_ms": start_ms,
                "end_ms": end_ms, "local_offset_s": s.local_offset_s, "utc_offset_s": offset,
                "local_date": day, "duration_s": s.duration_s, "timer_time_s": s.timer_time_s,
                "moving_time_s": s.moving_time_s, "distance_m": s.distance_m,
                "ascent_m": s.ascent_m, "descent_m": s.descent_m, "avg_hr_bpm": s.avg_hr_bpm,
                "max_hr_bpm": s.max_hr_bpm, "avg_cadence_spm": s.avg_cadence_spm,
                "avg_speed_m_s": s.avg_speed_m_s, "avg_power_w": s.avg_power_w,
                "calories_kcal": s.calories_kcal, "device": s.device,
                "samples": activity.samples.height, "signals": ",".join(signals),
                "warnings": json.dumps(activity.warnings), "imported_at": utc_now(),
            }
            cursor = db.execute(
                f"INSERT INTO activities ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                tuple(row.values()),
            )
            activity_id = scalars.row_id(cursor)
            db.executemany(
                "INSERT INTO laps VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (activity_id, i, _ms(lap.start_time), lap.elapsed_s, lap.timer_s,
                     lap.distance_m, lap.avg_hr_bpm, lap.max_hr_bpm, lap.avg_cadence_spm,
                     lap.avg_speed_m_s, lap.ascent_m)
                    for i, lap in enumerate(activity.laps)
                ],
            )
            if activity.metrics is not None:
                version, data = activity.metrics
                db.execute(_INSERT_METRICS, (activity_id, version, json.dumps(data)))
            insert_activity_exercises(db, activity_id, activity.exercises)
            if same is not None:  # the richer recording takes over the logged RPE
                db.execute("UPDATE rpe SET activity_id = ? WHERE activity_id = ?",
                           (activity_id, same["id"]))
                carry_over(db, same["id"], activity_id)  # and the gear and context
                db.execute("DELETE FROM activities WHERE id = ?", (same["id"],))
            temp = self.samples_dir / f"{TEMP_PREFIX}{_writer()}-{uuid.uuid4().hex}.parquet"
            final = self.samples_path(activity_id)
            written += [temp, final]
            write_samples(activity.samples, temp, activity.samples_file)
            os.replace(temp, final)
        if same is not None:  # committed: the replaced activity's file is nobody's now
            remove(self.samples_path(same["id"]))
            return Stored("replaced", activity_id,
                          f"same session as {same['source_file']}: kept this richer recording")
        return Stored("imported", activity_id)

    def delete_activity(self, activity_id: int) -> bool:
        """Delete an activity with its laps, metrics, RPE and samples; once no activity of its
        file is left, the file may be imported again (e.g. a good copy of a damaged one)."""
        with self.transaction() as db:
            row = db.execute("SELECT file_sha256 FROM activities WHERE id = ?",
                             (activity_id,)).fetchone()
            deleted = db.execute("DELETE FROM activities WHERE id = ?", (activity_id,)).rowcount
            if row is not None:
                db.execute("DELETE FROM files WHERE sha256 = ?1 AND NOT EXISTS "
                           "(SELECT 1 FROM activities WHERE file_sha256 = ?1)", (row[0],))
        remove(self.samples_path(activity_id))
        return bool(deleted)

    # -- per-activity metrics (computed by the analytics layer, stored as JSON) ---------------
    def set_metrics(self, activity_id: int, version: int, data: dict) -> None:
        self.db.execute(
            f"{_INSERT_METRICS} ON CONFLICT (activity_id) DO UPDATE SET version = "
            "excluded.version, data = excluded.data, written = excluded.written",
            (activity_id, version, json.dumps(data)),
        )

    def without_metrics(self, version: int) -> list[tuple[int, str]]:
        """(id, sport) of activities with no metrics or metrics of another version."""
        return [tuple(r) for r in self.db.execute(
            "SELECT a.id, a.sport FROM activities a LEFT JOIN activity_metrics m "
            "ON m.activity_id = a.id WHERE m.version IS NULL OR m.version != ? ORDER BY a.id",
            (version,))]

    def metrics(self, ids: Sequence[int] | None = None) -> list[tuple[int, dict]]:
        """(activity id, metrics) of every activity that has them (of ``ids`` only, when
        given), by id."""
        if ids is None:
            return [(r[0], json.loads(r[1])) for r in self.db.execute(
                "SELECT activity_id, data FROM activity_metrics ORDER BY activity_id")]
        found: list[tuple[int, dict]] = []
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = list(ids[start:start + _IDS_PER_QUERY])
            found += [(r[0], json.loads(r[1])) for r in self.db.execute(
                "SELECT activity_id, data FROM activity_metrics WHERE activity_id IN "
                f"({', '.join('?' * len(chunk))})", chunk)]
        return sorted(found, key=lambda item: item[0])

    def metrics_written(self) -> dict[int, int]:
        """Activity id -> when its stored metrics were written (the store's revision then:
        every write of metrics has a later one, so equal numbers mean equal metrics)."""
        return dict(self.db.execute("SELECT activity_id, written FROM activity_metrics"))

    # -- queries -------------------------------------------------------------------------------
    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM activities").fetchone()[0]

    def activities(self) -> pl.DataFrame:
        """All activity summaries, oldest first (``start_time`` as UTC datetime)."""
        from ingest.store.frames import activities_frame

        columns = [(row["name"], row["type"])
                   for row in self.db.execute("PRAGMA table_info(activities)")]
        rows = self.db.execute(f"SELECT {', '.join(name for name, _ in columns)} "
                               "FROM activities ORDER BY start_ms, id")
        return activities_frame(columns, rows.fetchall())

    def activity(self, activity_id: int) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM activities WHERE id = ?", (activity_id,)).fetchone()

    def laps(self, activity_id: int) -> pl.DataFrame:
        from ingest.store.frames import rows_frame

        return rows_frame(self.db.execute(
            "SELECT * FROM laps WHERE activity_id = ? ORDER BY lap_index", (activity_id,)
        ))

    def samples(self, activity_id: int) -> pl.DataFrame:
        """The samples frame of one activity (columns of :data:`ingest.schema.SAMPLE_SCHEMA`;
        a column added since the file was written is all-null: not recorded)."""
        from ingest.store.frames import read_samples

        return read_samples(self.samples_path(activity_id))


def _ms(moment: dt.datetime) -> int:
    return round(moment.timestamp() * 1000)


def _split(joined: str) -> list[str]:
    return joined.split(",") if joined else []


def _writer() -> str:
    """Host and process id, naming a temporary file for someone looking at the folder."""
    return f"{socket.gethostname()}-{os.getpid()}".replace(os.sep, "_")
