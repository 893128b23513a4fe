"""The store's connection: opening, migrations, the sweep, transactions, settings, time zone.

:class:`Connection` is the base of :class:`ingest.store.Store`; the tables' methods are added by
the classes of :mod:`ingest.store.activities` and :mod:`ingest.store.journal`. Nothing here
imports polars (the command line's light commands open the store too).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import zoneinfo
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Self

from ingest.store import migrations

DB_NAME = "strideload.sqlite"
#: Folder of a data directory for derived data kept between processes (e.g. the metrics frame
#: of :mod:`dashboard.service`): named by what it was derived from, deleted at will.
CACHE_DIR = "cache"
#: How long a connection waits for another process's write transaction [ms].
BUSY_TIMEOUT_MS = 30_000


def utc_now() -> str:
    """This instant in UTC, ISO 8601 to the second (the ``*_at`` columns)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


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


def zone_offset(ms: int, zone: zoneinfo.ZoneInfo) -> int:
    """UTC offset of ``zone`` at the instant ``ms`` (ms since the epoch) [s]."""
    utcoffset = dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC).astimezone(zone).utcoffset()
    return int(utcoffset.total_seconds()) if utcoffset else 0


def localize(start_ms: int, end_ms: int, device_offset_s: int | None,
             zone: zoneinfo.ZoneInfo) -> tuple[int, str]:
    """(UTC offset at the start, local calendar date of the start) of an activity.

    The offset the file records (the watch's clock) decides; the time zone only fills in for
    files without one. A FIT watch records its offset when the activity ends: when that offset
    is the zone's at the end but not at the start, the activity crossed a daylight-saving
    change of the zone and the zone's offset at the start is used (a run from 00:30 on the
    night the clocks go back counts for that day, not the day before).
    """
    if device_offset_s is None:
        offset = zone_offset(start_ms, zone)
    elif device_offset_s == zone_offset(end_ms, zone):
        offset = zone_offset(start_ms, zone)
    else:
        offset = device_offset_s
    start = dt.datetime.fromtimestamp(start_ms / 1000, tz=dt.UTC)
    return offset, (start + dt.timedelta(seconds=offset)).date().isoformat()


def remove(path: Path) -> None:
    """Delete a file if it is there; a file that cannot be removed now is swept later."""
    with contextlib.suppress(FileNotFoundError, PermissionError):
        path.unlink()


class Connection:
    """One SQLite connection to a data directory (see :class:`ingest.store.Store`)."""

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
            elif self.schema_version() != migrations.SCHEMA_VERSION:
                raise RuntimeError(f"{self.data_dir} has schema {self.schema_version()}, "
                                   f"this strideload uses {migrations.SCHEMA_VERSION}; "
                                   "restart it")
        except BaseException:
            self.db.close()
            raise

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
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
        latest = migrations.SCHEMA_VERSION
        if self.schema_version() == latest:
            return
        with self.transaction() as db:  # re-read inside: another process may have migrated
            version = self.schema_version()
            if version > latest:
                raise RuntimeError(
                    f"{self.data_dir} was written by a newer strideload (schema {version})"
                )
            for target in range(version + 1, latest + 1):
                script = migrations._MIGRATIONS[target]
                statements = script.split(";") if isinstance(script, str) else script
                for statement in statements:
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {target}")

    def revision(self) -> int:
        """A number that changes whenever stored data changes (for caches of derived data)."""
        return self.db.execute("SELECT value FROM revision").fetchone()[0]

    def store_id(self) -> str:
        """This store's own random name: a store made anew in the same folder has another
        (revisions count from 0 again), for caches kept in the folder."""
        return self.db.execute("SELECT store_id FROM revision").fetchone()[0]

    def training_revision(self) -> str:
        """A name that changes whenever stored data other than the pain journal changes
        (``store id-count``), for caches of what never reads the journal: activities, their
        metrics and context, session loads, runs."""
        store_id, value, pain = self.db.execute(
            "SELECT store_id, value, pain_changes FROM revision").fetchone()
        return f"{store_id}-{value - pain}"

    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _sweep(self) -> bool:
        """Remove samples files no committed activity owns (temporary ones included).

        Only inside this connection's write transaction, taken without waiting: while another
        connection holds it, a file without an activity may be that writer's, so nothing is
        removed (``False``). See :mod:`ingest.store`.
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
                    remove(path)
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

    def local_today(self) -> dt.date:
        """Today's date in the athlete's time zone."""
        return dt.datetime.now(zoneinfo.ZoneInfo(self.time_zone())).date()

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
                offset, day = localize(row["start_ms"], row["end_ms"], row["local_offset_s"],
                                       zone)
                db.execute(
                    "UPDATE activities SET utc_offset_s = ?, local_date = ? WHERE id = ?",
                    (offset, day, row["id"]),
                )
