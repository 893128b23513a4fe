"""The store's tables of watched files and of the import history (schema migration 8); what
they hold is described in :mod:`ingest.watch.state`."""

from __future__ import annotations

MIGRATION: list[str] = [
    "CREATE TABLE watch_files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, "
    "mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL, status TEXT NOT NULL, "
    "seen_at REAL NOT NULL)",
    "CREATE TABLE import_passes (id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "at TEXT NOT NULL, origin TEXT NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL, "
    "imported INTEGER NOT NULL, duplicates INTEGER NOT NULL, rejected INTEGER NOT NULL, "
    "activities INTEGER NOT NULL, runs INTEGER NOT NULL, wellness_days INTEGER NOT NULL, "
    "seen INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE import_reports (pass_id INTEGER NOT NULL "
    "REFERENCES import_passes (id) ON DELETE CASCADE, position INTEGER NOT NULL, "
    "file TEXT NOT NULL, status TEXT NOT NULL, "
    "activities INTEGER NOT NULL, runs INTEGER NOT NULL, wellness_days INTEGER NOT NULL, "
    "reason TEXT, warnings TEXT NOT NULL, PRIMARY KEY (pass_id, position))",
]
