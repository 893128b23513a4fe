"""Store schema of the runner's own levers: gear, run context and the body-work log.

Tables (added by one store migration, :data:`LEVERS_MIGRATION`):

``gear``
    One item: ``name`` (unique, any case), ``kind`` (shoes | pack | other), ``carry`` (bottle |
    belt | vest | backpack, for packs), ``since`` (ISO date in use from), ``retire_km``,
    ``initial_m`` (distance before its first recorded activity) [m], ``retired``,
    ``default_for`` (a sport: new activities of that sport get this item), ``note``.
``activity_gear``
    Which items an activity used (several per activity: shoes and a vest).
``activity_context``
    What the runner said about one activity: ``carry``, ``surface``, ``tags`` (JSON list),
    ``excluded_from_load``, ``recorded_sport`` (the file's sport once the sport was changed).
``bodywork``
    Sessions logged by hand: ``date``, ``category``, ``minutes``, ``rpe`` (CR-10, optional),
    ``note``.
``bodywork_exercises``
    Exercises of a hand-logged session or of a FIT strength workout (``activity_id``).

A trigger gives every newly stored activity the default items of its sport (not retired, in
use by its date); the ``revision`` counter changes with every table, so cached reports follow.
"""

from __future__ import annotations

_TABLES = """
CREATE TABLE gear (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind TEXT NOT NULL CHECK (kind IN ('shoes', 'pack', 'other')),
    carry TEXT CHECK (carry IS NULL OR carry IN ('bottle', 'belt', 'vest', 'backpack')),
    since TEXT,
    retire_km REAL CHECK (retire_km IS NULL OR retire_km > 0),
    initial_m REAL NOT NULL DEFAULT 0 CHECK (initial_m >= 0),
    retired INTEGER NOT NULL DEFAULT 0,
    default_for TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE TABLE activity_gear (
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    gear_id INTEGER NOT NULL REFERENCES gear (id) ON DELETE CASCADE,
    PRIMARY KEY (activity_id, gear_id)
);
CREATE INDEX activity_gear_item ON activity_gear (gear_id);
CREATE TABLE activity_context (
    activity_id INTEGER PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
    carry TEXT CHECK (carry IS NULL OR carry IN ('none', 'bottle', 'belt', 'vest', 'backpack')),
    surface TEXT CHECK (surface IS NULL
                        OR surface IN ('road', 'trail', 'track', 'treadmill', 'mixed')),
    tags TEXT NOT NULL DEFAULT '[]',
    excluded_from_load INTEGER NOT NULL DEFAULT 0,
    recorded_sport TEXT
);
CREATE TABLE bodywork (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    date TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('core', 'mobility', 'strength')),
    minutes REAL NOT NULL CHECK (minutes > 0),
    rpe REAL CHECK (rpe IS NULL OR rpe BETWEEN 0 AND 10),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX bodywork_date ON bodywork (date);
CREATE TABLE bodywork_exercises (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bodywork_id INTEGER REFERENCES bodywork (id) ON DELETE CASCADE,
    activity_id INTEGER REFERENCES activities (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('core', 'mobility', 'strength')),
    sets INTEGER,
    reps INTEGER,
    duration_s REAL,
    weight_kg REAL,
    CHECK ((bodywork_id IS NULL) != (activity_id IS NULL))
);
CREATE INDEX bodywork_exercises_session ON bodywork_exercises (bodywork_id);
CREATE INDEX bodywork_exercises_activity ON bodywork_exercises (activity_id)
"""

_DEFAULT_GEAR_TRIGGER = (
    "CREATE TRIGGER activities_default_gear AFTER INSERT ON activities BEGIN "
    "INSERT OR IGNORE INTO activity_gear (activity_id, gear_id) "
    "SELECT NEW.id, id FROM gear WHERE default_for = NEW.sport AND retired = 0 "
    "AND (since IS NULL OR since <= NEW.local_date); END"
)

#: Statements of the store migration that adds these tables.
LEVERS_MIGRATION: list[str] = [
    *(statement for statement in _TABLES.split(";") if statement.strip()),
    _DEFAULT_GEAR_TRIGGER,
    *(
        f"CREATE TRIGGER {table}_{event.lower()}_revision AFTER {event} ON {table} "
        "BEGIN UPDATE revision SET value = value + 1; END"
        for table in ("gear", "activity_gear", "activity_context", "bodywork",
                      "bodywork_exercises")
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
]
