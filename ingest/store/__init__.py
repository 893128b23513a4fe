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

from ingest.store.activities import TEMP_PREFIX, ActivityTables, Stored
from ingest.store.connection import BUSY_TIMEOUT_MS, CACHE_DIR, DB_NAME, system_time_zone
from ingest.store.journal_tables import JournalTables
from ingest.store.migrations import _MIGRATIONS, SCHEMA_VERSION

__all__ = ["BUSY_TIMEOUT_MS", "CACHE_DIR", "DB_NAME", "SCHEMA_VERSION", "TEMP_PREFIX",
           "_MIGRATIONS", "Store", "Stored", "system_time_zone"]


class Store(ActivityTables, JournalTables):
    """A data directory: open it, add activities, query summaries and samples, keep the journal.

    One SQLite connection (:class:`ingest.store.connection.Connection`) with the methods of the
    activity tables (:mod:`ingest.store.activities`) and the journal tables
    (:mod:`ingest.store.journal_tables`).
    """
