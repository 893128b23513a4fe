"""The store's schema: version -> migration, applied in order by :class:`ingest.store.Store`.

Each migration is a SQL script (statements separated by ';') or a list of statements; the
schema version of a store is SQLite's ``user_version``. Later tables are declared by the
modules that use them.
"""

from __future__ import annotations

from ingest.access import MIGRATION as ACCESS_MIGRATION
from ingest.experiments import MIGRATION as EXPERIMENTS_MIGRATION
from ingest.levers_schema import LEVERS_MIGRATION
from ingest.plans import MIGRATION as PLANS_MIGRATION
from ingest.watch.schema import MIGRATION as WATCH_MIGRATION
from ingest.wellness.schema import MIGRATION as WELLNESS_MIGRATION

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
_MIGRATIONS[11] = PLANS_MIGRATION  # planned sessions (ingest.plans)
_MIGRATIONS[12] = [  # archive entries by fingerprint: a re-import skips known ones unread
    "CREATE TABLE IF NOT EXISTS archive_members (name TEXT NOT NULL, crc32 INTEGER NOT NULL, "
    "size INTEGER NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (name, crc32, size)) "
    "WITHOUT ROWID",
]
_MIGRATIONS[13] = [  # pain entries counted apart (caches of what never reads the journal)
    "ALTER TABLE revision ADD COLUMN pain_changes INTEGER NOT NULL DEFAULT 0",
    # when each activity's metrics were written (the store's revision then): a rewrite of the
    # same version (a new sport) is told apart, and a cache re-reads only what was rewritten
    "ALTER TABLE activity_metrics ADD COLUMN written INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE revision ADD COLUMN store_id TEXT NOT NULL DEFAULT ''",
    "UPDATE revision SET store_id = lower(hex(randomblob(16)))",
    *(statement for event in ("INSERT", "UPDATE", "DELETE") for statement in (
        f"DROP TRIGGER pain_{event.lower()}_revision",
        f"CREATE TRIGGER pain_{event.lower()}_revision AFTER {event} ON pain BEGIN UPDATE "
        "revision SET value = value + 1, pain_changes = pain_changes + 1; END")),
]
SCHEMA_VERSION = max(_MIGRATIONS)
