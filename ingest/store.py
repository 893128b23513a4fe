"""The local store: SQLite (WAL) for summaries and metadata, one Parquet file per activity.

Layout of a data directory::

    strideload.sqlite        activities, laps, imported files, settings (+ journal, profile)
    samples/00000042.parquet samples of activity 42 (zstd), columns of ingest.schema

Writes are atomic per activity: inside one write transaction (``BEGIN IMMEDIATE``, which
SQLite grants to one connection of one process at a time) the activity's rows are inserted, its
samples are written to ``samples/.tmp-<host>-<pid>-<random>.parquet``, fsync'ed and renamed to
``<id>.parquet``, and the transaction commits. If anything fails, the files are removed while
the write lock is still held and the transaction rolls back, so no half activity is ever seen.

Several processes may use one store at once (the dashboard open while the command line
imports; two imports). No process deletes a file another live process may still need:

* A samples file without a committed activity exists only while its writer holds the write
  lock, or after a crash between rename and commit. Opening a store sweeps such orphans, and
  temporary files, only from inside its own write transaction, taken without waiting: when
  another process holds the lock it may be mid-activity, so the sweep is left for a later
  open. Ids of rolled-back activities may be reused; the next writer's rename replaces the
  stale file.
* The file of a committed activity is removed only after the transaction that deleted (or
  replaced) that activity has committed: from then on the activity is gone for every reader,
  its rows and its samples alike. If removing fails (e.g. open elsewhere on Windows), a later
  sweep removes it.
* The dedupe checks run inside the write transaction, so two imports of the same files keep
  each session once, like one import would.
* Migrations run in one write transaction that first re-reads the schema version, so two
  processes opening an old store migrate it once.

A :class:`Store` is one SQLite connection; use it from one thread at a time. Long-running
multi-threaded programs (the web app) open the store once (migrations and the sweep) and then
hand each thread a connection of its own with ``Store(data_dir, maintain=False)``, which
checks the schema version and does nothing else.

Deduplication: identical bytes (SHA-256) are imported once. The same session recorded by two
devices or exported twice (starts within :data:`~ingest.dedupe.DEDUPE_START_S` and the two time
spans overlap by more than :data:`~ingest.dedupe.DEDUPE_MIN_OVERLAP` of the longer one), or one
recording read from two files (identical samples, e.g. a damaged copy), is kept once: the
recording with more signals wins (ties keep the one already stored), a damaged one never does
(:mod:`ingest.dedupe`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import sqlite3
import uuid
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ingest import dedupe, scalars
from ingest.access import MIGRATION as ACCESS_MIGRATION
from ingest.bodywork_store import insert_activity_exercises
from ingest.context import carry_over
from ingest.dedupe import DEDUPE_START_S
from ingest.experiments import MIGRATION as EXPERIMENTS_MIGRATION
from ingest.journal import PainEntry
from ingest.levers_schema import LEVERS_MIGRATION
from ingest.schema import SAMPLE_SCHEMA, Activity
from ingest.watch.schema import MIGRATION as WATCH_MIGRATION
from ingest.wellness.schema import MIGRATION as WELLNESS_MIGRATION

DB_NAME = "strideload.sqlite"
#: How long a connection waits for another process's write transaction [ms].
BUSY_TIMEOUT_MS = 30_000
#: Prefix of samples files being written (see the module docstring).
TEMP_PREFIX = ".tmp-"

#: Schema version -> SQL script (statements separated by ';') or list of statements.
_MIGRATIONS: dict[int, str | list[str]] = {
    1: """
    CREATE TABLE files (
        sha256 TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        format TEXT,
        status TEXT NOT NULL,
        activities INTEGER NOT NULL,
        imported_at TEXT NOT NULL
    );
    CREATE TABLE activities (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        file_sha256 TEXT NOT NULL,
        session_index INTEGER NOT NULL,
        source_file TEXT NOT NULL,
        format TEXT NOT NULL,
        decoder TEXT,
        sport TEXT NOT NULL,
        sub_sport TEXT,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        local_offset_s INTEGER,
        utc_offset_s INTEGER NOT NULL,
        local_date TEXT NOT NULL,
        duration_s REAL,
        timer_time_s REAL,
        moving_time_s REAL,
        distance_m REAL,
        ascent_m REAL,
        descent_m REAL,
        avg_hr_bpm REAL,
        max_hr_bpm REAL,
        avg_cadence_spm REAL,
        avg_speed_m_s REAL,
        avg_power_w REAL,
        calories_kcal REAL,
        device TEXT,
        samples INTEGER NOT NULL,
        signals TEXT NOT NULL,
        warnings TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        UNIQUE (file_sha256, session_index)
    );
    CREATE INDEX activities_start ON activities (start_ms);
    CREATE INDEX activities_local_date ON activities (local_date);
    CREATE TABLE laps (
        activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
        lap_index INTEGER NOT NULL,
        start_ms INTEGER NOT NULL,
        elapsed_s REAL,
        timer_s REAL,
        distance_m REAL,
        avg_hr_bpm REAL,
        max_hr_bpm REAL,
        avg_cadence_spm REAL,
        avg_speed_m_s REAL,
        ascent_m REAL,
        PRIMARY KEY (activity_id, lap_index)
    );
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    2: """
    CREATE TABLE pain (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        date TEXT NOT NULL,
        area TEXT NOT NULL,
        level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 10),
        during_run INTEGER NOT NULL,
        red_flags TEXT NOT NULL,
        note TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (date, area)
    );
    CREATE TABLE rpe (
        activity_id INTEGER PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
        rpe REAL NOT NULL CHECK (rpe BETWEEN 0 AND 10),
        updated_at TEXT NOT NULL
    );
    """,
    3: """
    CREATE TABLE activity_metrics (
        activity_id INTEGER PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        data TEXT NOT NULL
    );
    """,
}
_MIGRATIONS[4] = [
    "CREATE TABLE revision (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL)",
    "INSERT INTO revision VALUES (1, 0)",
    *(
        f"CREATE TRIGGER {table}_{event.lower()}_revision AFTER {event} ON {table} "
        "BEGIN UPDATE revision SET value = value + 1; END"
        for table in ("activities", "pain", "rpe", "activity_metrics", "settings")
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
]
_MIGRATIONS[5] = [  # days trained without a recording: their load is unknown, not 0
    "CREATE TABLE unrecorded (date TEXT PRIMARY KEY)",
    *(f"CREATE TRIGGER unrecorded_{event.lower()}_revision AFTER {event} ON unrecorded "
      "BEGIN UPDATE revision SET value = value + 1; END" for event in ("INSERT", "DELETE")),
]
_MIGRATIONS[6] = WELLNESS_MIGRATION  # resting HR, HRV, sleep (ingest.wellness)
_MIGRATIONS[7] = LEVERS_MIGRATION  # gear, run context, body work
_MIGRATIONS[8] = WATCH_MIGRATION  # watched files, import history (ingest.watch)
_MIGRATIONS[9] = ACCESS_MIGRATION  # password hash, share links (ingest.access)
_MIGRATIONS[10] = EXPERIMENTS_MIGRATION  # personal experiments (ingest.experiments)
SCHEMA_VERSION = max(_MIGRATIONS)

ACTIVITY_COLUMNS = (
    "id", "source_file", "format", "sport", "sub_sport", "start_time", "local_date",
    "duration_s", "moving_time_s", "distance_m", "ascent_m", "avg_hr_bpm", "max_hr_bpm",
    "avg_cadence_spm", "device", "samples", "warnings",
)


@dataclass
class Stored:
    """What happened to one activity offered to the store."""

    status: str  # "imported" | "duplicate" | "replaced"
    activity_id: int | None
    note: str | None = None  # e.g. which file was kept


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _ms(moment: dt.datetime) -> int:
    return round(moment.timestamp() * 1000)


def system_time_zone() -> str:
    """IANA name of this machine's time zone when it can be found, else 'UTC'."""
    name = os.environ.get("TZ")
    if name:
        with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
            zoneinfo.ZoneInfo(name)
            return name
    with contextlib.suppress(OSError):
        link = os.readlink("/etc/localtime")
        if "zoneinfo/" in link:
            return link.split("zoneinfo/", 1)[1]
    return "UTC"


class Store:
    """A data directory: open it, add activities, query summaries and samples."""

    def __init__(self, data_dir: str | os.PathLike, maintain: bool = True) -> None:
        """Open (creating if needed) the store in ``data_dir``.

        ``maintain=False`` opens one more connection to a store this process has already
        opened: no migrations, no sweep; a store of another schema version is refused.
        """
        self.data_dir = Path(data_dir)
        self.samples_dir = self.data_dir / "samples"
        self.samples_dir.mkdir(parents=True, exist_ok=True)
        # one thread at a time, but not always the same one (the web app's pool)
        self.db = sqlite3.connect(self.data_dir / DB_NAME, isolation_level=None,
                                  timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")
            if maintain:
                self._migrate()
                self._sweep()
            elif self.schema_version() != SCHEMA_VERSION:
                raise RuntimeError(f"{self.data_dir} has schema {self.schema_version()}, "
                                   f"this strideload uses {SCHEMA_VERSION}; restart it")
        except BaseException:
            self.db.close()
            raise

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self, undo: Callable[[], None] | None = None
                    ) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception.

        ``undo`` runs on failure before the rollback, while this connection still holds the
        write lock (to remove files written inside the transaction).
        """
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
            self.db.execute("COMMIT")
        except BaseException:
            try:
                if undo is not None:
                    undo()
            finally:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
            raise

    def _migrate(self) -> None:
        if self.schema_version() == SCHEMA_VERSION:
            return
        with self.transaction() as db:  # re-read inside: another process may have migrated
            version = self.schema_version()
            if version > SCHEMA_VERSION:
                raise RuntimeError(
                    f"{self.data_dir} was written by a newer strideload (schema {version})"
                )
            for target in range(version + 1, SCHEMA_VERSION + 1):
                script = _MIGRATIONS[target]
                statements = script.split(";") if isinstance(script, str) else script
                for statement in statements:
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {target}")

    def revision(self) -> int:
        """A number that changes whenever stored data changes (for caches of derived data)."""
        return self.db.execute("SELECT value FROM revision").fetchone()[0]

    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _sweep(self) -> bool:
        """Remove samples files no committed activity owns (temporary ones included).

        Only inside this connection's write transaction, taken without waiting: while another
        connection holds it, a file without an activity may be that writer's, so nothing is
        removed (``False``). See the module docstring.
        """
        self.db.execute("PRAGMA busy_timeout = 0")
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:  # busy: another writer is at work
            return False
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            known = {row[0] for row in self.db.execute("SELECT id FROM activities")}
            for path in self.samples_dir.glob("*.parquet"):
                if not (path.stem.isdigit() and int(path.stem) in known):
                    _remove(path)
        finally:
            self.db.execute("ROLLBACK")  # nothing was written
        return True

    # -- settings ------------------------------------------------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def time_zone(self) -> str:
        """Time zone used for activities whose file gives no UTC offset (GPX, some FIT)."""
        return self.get_setting("time_zone") or system_time_zone()

    def set_time_zone(self, name: str) -> None:
        """Store the athlete's time zone and re-date activities that depend on it."""
        zone = zoneinfo.ZoneInfo(name)  # raises for unknown names
        with self.transaction() as db:
            db.execute(
                "INSERT INTO settings (key, value) VALUES ('time_zone', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (name,),
            )
            rows = db.execute(
                "SELECT id, start_ms, end_ms, local_offset_s FROM activities"
            ).fetchall()
            for row in rows:
                offset, day = _localize(row["start_ms"], row["end_ms"], row["local_offset_s"],
                                        zone)
                db.execute(
                    "UPDATE activities SET utc_offset_s = ?, local_date = ? WHERE id = ?",
                    (offset, day, row["id"]),
                )

    # -- files -------------------------------------------------------------------------------
    def known_file(self, sha256: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM files WHERE sha256 = ?", (sha256,)).fetchone()

    def record_file(self, sha256: str, name: str, size: int, fmt: str | None, status: str,
                    activities: int) -> None:
        """Remember an imported file; the first record of its bytes is kept (an import
        running at the same time that found it a duplicate does not overwrite it)."""
        self.db.execute(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
            (sha256, name, size, fmt, status, activities, _utc_now()),
        )

    # -- activities ----------------------------------------------------------------------------
    def samples_path(self, activity_id: int) -> Path:
        return self.samples_dir / f"{activity_id:08d}.parquet"

    def _same_session(self, sha256: str, session_index: int, activity: Activity,
                      start_ms: int, end_ms: int) -> tuple[sqlite3.Row | None, bool]:
        """A stored activity that is the same session, and whether its samples said so: the
        same file's session, or one that overlaps in time or in samples (:mod:`ingest.dedupe`)."""
        columns = "id, source_file, start_ms, end_ms, signals, samples"
        same_file = self.db.execute(
            f"SELECT {columns} FROM activities WHERE file_sha256 = ? AND session_index = ?",
            (sha256, session_index),
        ).fetchone()
        if same_file is not None:
            return same_file, True
        candidates = self.db.execute(
            f"SELECT {columns} FROM activities WHERE start_ms <= ? AND end_ms >= ?",
            (end_ms + DEDUPE_START_S * 1000, start_ms - DEDUPE_START_S * 1000),
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
        s = activity.summary
        start_ms = _ms(s.start_time)
        end_ms = start_ms + round(1000 * (s.duration_s or 0.0))
        if activity.samples.height:
            end_ms = max(end_ms, _ms(activity.samples["timestamp"][-1]))
        signals = activity.signals()
        written: list[Path] = []

        def undo() -> None:
            for path in written:
                _remove(path)

        with self.transaction(undo) as db:
            same, by_samples = self._same_session(sha256, s.session_index, activity, start_ms,
                                                  end_ms)
            if same is not None and not dedupe.replaces(
                    signals, activity.samples.height, activity.damaged,
                    _split(same["signals"]), same["samples"], by_samples):
                return Stored("duplicate", same["id"],
                              f"same session as {same['source_file']} (kept that one)")
            zone = zoneinfo.ZoneInfo(self.time_zone())
            offset, day = _localize(start_ms, end_ms, s.local_offset_s, zone)
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
                "warnings": json.dumps(activity.warnings), "imported_at": _utc_now(),
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
                db.execute("INSERT INTO activity_metrics VALUES (?, ?, ?)",
                           (activity_id, version, json.dumps(data)))
            insert_activity_exercises(db, activity_id, activity.exercises)
            if same is not None:  # the richer recording takes over the logged RPE
                db.execute("UPDATE rpe SET activity_id = ? WHERE activity_id = ?",
                           (activity_id, same["id"]))
                carry_over(db, same["id"], activity_id)  # and the gear and context
                db.execute("DELETE FROM activities WHERE id = ?", (same["id"],))
            temp = self.samples_dir / f"{TEMP_PREFIX}{_writer()}-{uuid.uuid4().hex}.parquet"
            final = self.samples_path(activity_id)
            written += [temp, final]
            _write_parquet(activity.samples, temp)
            os.replace(temp, final)
        if same is not None:  # committed: the replaced activity's file is nobody's now
            _remove(self.samples_path(same["id"]))
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
        _remove(self.samples_path(activity_id))
        return bool(deleted)

    # -- pain journal and RPE ------------------------------------------------------------------
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
        rows = self.db.execute(
            "SELECT id, date, area, level, during_run, red_flags, note FROM pain "
            "ORDER BY date, area"
        ).fetchall()
        return pl.DataFrame(
            {
                "id": [r["id"] for r in rows],
                "date": [dt.date.fromisoformat(r["date"]) for r in rows],
                "area": [r["area"] for r in rows],
                "level": [r["level"] for r in rows],
                "during_run": [bool(r["during_run"]) for r in rows],
                "red_flags": [json.loads(r["red_flags"]) for r in rows],
                "note": [r["note"] for r in rows],
            },
            schema=PAIN_SCHEMA,
        )

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
        if self.activity(activity_id) is None:
            raise KeyError(activity_id)
        self.db.execute(
            "INSERT INTO rpe VALUES (?, ?, ?) ON CONFLICT (activity_id) DO UPDATE SET "
            "rpe = excluded.rpe, updated_at = excluded.updated_at",
            (activity_id, rating, _utc_now()),
        )

    def rpe(self) -> pl.DataFrame:
        rows = self.db.execute("SELECT activity_id, rpe FROM rpe ORDER BY activity_id").fetchall()
        return pl.DataFrame([tuple(r) for r in rows], schema={"activity_id": pl.Int64,
                                                              "rpe": pl.Float64}, orient="row")

    # -- per-activity metrics (computed by the analytics layer, stored as JSON) ---------------
    def set_metrics(self, activity_id: int, version: int, data: dict) -> None:
        self.db.execute(
            "INSERT INTO activity_metrics VALUES (?, ?, ?) ON CONFLICT (activity_id) DO UPDATE "
            "SET version = excluded.version, data = excluded.data",
            (activity_id, version, json.dumps(data)),
        )

    def without_metrics(self, version: int) -> list[tuple[int, str]]:
        """(id, sport) of activities with no metrics or metrics of another version."""
        return [tuple(r) for r in self.db.execute(
            "SELECT a.id, a.sport FROM activities a LEFT JOIN activity_metrics m "
            "ON m.activity_id = a.id WHERE m.version IS NULL OR m.version != ? ORDER BY a.id",
            (version,))]

    def metrics_fingerprint(self) -> tuple[int, int, int]:
        """Changes whenever stored metrics are added, replaced by another version or removed
        (metrics of one activity and version never change)."""
        return tuple(self.db.execute(
            "SELECT COUNT(*), COALESCE(SUM(activity_id), 0), COALESCE(SUM(version), 0) "
            "FROM activity_metrics").fetchone())

    def metrics(self) -> list[tuple[int, dict]]:
        """(activity id, metrics) of every activity that has them."""
        return [(r[0], json.loads(r[1])) for r in self.db.execute(
            "SELECT activity_id, data FROM activity_metrics ORDER BY activity_id")]

    # -- queries -------------------------------------------------------------------------------
    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM activities").fetchone()[0]

    def activities(self) -> pl.DataFrame:
        """All activity summaries, oldest first (``start_time`` as UTC datetime)."""
        types = {"INTEGER": pl.Int64(), "REAL": pl.Float64(), "TEXT": pl.String()}
        schema = {row["name"]: types[row["type"]]
                  for row in self.db.execute("PRAGMA table_info(activities)")}
        rows = self.db.execute(f"SELECT {', '.join(schema)} FROM activities ORDER BY start_ms, id")
        frame = pl.DataFrame(rows.fetchall(), schema=schema, orient="row")
        return frame.with_columns(
            pl.col("start_ms").cast(pl.Int64).cast(pl.Datetime("ms", "UTC")).alias("start_time")
        )

    def activity(self, activity_id: int) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM activities WHERE id = ?", (activity_id,)).fetchone()

    def laps(self, activity_id: int) -> pl.DataFrame:
        cursor = self.db.execute(
            "SELECT * FROM laps WHERE activity_id = ? ORDER BY lap_index", (activity_id,)
        )
        names = [d[0] for d in cursor.description]
        return pl.DataFrame(cursor.fetchall(), schema=names, orient="row")

    def samples(self, activity_id: int) -> pl.DataFrame:
        """The samples frame of one activity (columns of :data:`ingest.schema.SAMPLE_SCHEMA`;
        a column added since the file was written is all-null: not recorded)."""
        frame = pl.read_parquet(self.samples_path(activity_id))
        missing = [pl.lit(None, dtype).alias(name) for name, dtype in SAMPLE_SCHEMA.items()
                   if name not in frame.columns]
        return frame.with_columns(missing).select(list(SAMPLE_SCHEMA)) if missing else frame


PAIN_SCHEMA = {
    "id": pl.Int64(), "date": pl.Date(), "area": pl.String(), "level": pl.Int64(),
    "during_run": pl.Boolean(), "red_flags": pl.List(pl.String), "note": pl.String(),
}


def _pain_row(entry: PainEntry) -> tuple:
    return (entry.date.isoformat(), entry.area, entry.level, int(entry.during_run),
            json.dumps(list(entry.red_flags)), entry.note, _utc_now())


def _split(joined: str) -> list[str]:
    return joined.split(",") if joined else []


def _zone_offset(ms: int, zone: zoneinfo.ZoneInfo) -> int:
    utcoffset = dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC).astimezone(zone).utcoffset()
    return int(utcoffset.total_seconds()) if utcoffset else 0


def _localize(start_ms: int, end_ms: int, device_offset_s: int | None,
              zone: zoneinfo.ZoneInfo) -> tuple[int, str]:
    """(UTC offset at the start, local calendar date of the start) of an activity.

    The offset the file records (the watch's clock) decides; the time zone only fills in for
    files without one. A FIT watch records its offset when the activity ends: when that offset
    is the zone's at the end but not at the start, the activity crossed a daylight-saving
    change of the zone and the zone's offset at the start is used (a run from 00:30 on the
    night the clocks go back counts for that day, not the day before).
    """
    if device_offset_s is None:
        offset = _zone_offset(start_ms, zone)
    elif device_offset_s == _zone_offset(end_ms, zone):
        offset = _zone_offset(start_ms, zone)
    else:
        offset = device_offset_s
    start = dt.datetime.fromtimestamp(start_ms / 1000, tz=dt.UTC)
    return offset, (start + dt.timedelta(seconds=offset)).date().isoformat()


def _writer() -> str:
    """Host and process id, naming a temporary file for someone looking at the folder."""
    return f"{socket.gethostname()}-{os.getpid()}".replace(os.sep, "_")


def _remove(path: Path) -> None:
    """Delete a file if it is there; a file that cannot be removed now is swept later."""
    with contextlib.suppress(FileNotFoundError, PermissionError):
        path.unlink()


def _write_parquet(samples: pl.DataFrame, path: Path) -> None:
    """Write with zstd and fsync, so a rename afterwards publishes a complete file."""
    samples.select(list(SAMPLE_SCHEMA)).write_parquet(path, compression="zstd")
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
