"""Back up a whole store into one archive, and restore it - safely, while the store is in use.

The archive is a zip file holding

* ``strideload.sqlite`` - a consistent snapshot made with SQLite's online backup API, so every
  table (whatever tables later versions add) is included as it was at one instant, while the
  dashboard or an import keeps using the store;
* ``samples/NNNNNNNN.parquet`` - the samples of every activity in that snapshot (files are
  never changed in place, only added or removed, so a copy read after the snapshot is the
  snapshot's; one removed meanwhile makes the backup start again);
* ``manifest.json`` - format and schema version, the rows of every table and the SHA-256 and
  size of every file.

A restore checks the archive against its manifest, builds the store in a folder next to the
target and only then puts it in place: a store is never half-restored. It refuses to replace a
store that holds data unless told to (``force``), and never replaces a folder that is not a
store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import uuid
import zipfile
import zlib
from pathlib import Path

from ingest.store import CACHE_DIR, DB_NAME, SCHEMA_VERSION

FORMAT = "strideload-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SAMPLES = "samples"
#: Names an archive may hold (anything else is refused: no path can escape the store).
MEMBER = re.compile(rf"^(?:{re.escape(DB_NAME)}|{SAMPLES}/\d{{8}}\.parquet)$")
#: Files of a store besides its members: SQLite's write-ahead log and shared memory, and the
#: importer's log of internal errors (not backed up).
STORE_FILES = (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", SAMPLES, "errors.log", CACHE_DIR)
#: Tables that hold no data of the runner (a store with only these is empty).
BOOKKEEPING_TABLES = frozenset({"revision"})
#: Snapshots tried when activities keep being replaced while their samples are copied.
ATTEMPTS = 5
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one line for the runner."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def table_counts(db: sqlite3.Connection) -> dict[str, int]:
    """Rows of every table of a store (all tables, whatever their names)."""
    names = [row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    return {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def _snapshot(db_path: Path, target: Path) -> tuple[int, dict[str, int], list[int]]:
    """Copy the database with the online backup API: (schema version, counts, activity ids)."""
    source = sqlite3.connect(db_path, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # all pages in one step: one consistent instant
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        version = copy.execute("PRAGMA user_version").fetchone()[0]
        counts = table_counts(copy)
        ids = [row[0] for row in copy.execute("SELECT id FROM activities ORDER BY id")]
    finally:
        copy.close()
        source.close()
    return version, counts, ids


class _Replaced(Exception):
    """An activity of the snapshot lost its samples file meanwhile (it was replaced)."""


def _add_file(archive: zipfile.ZipFile, path: Path, name: str, compress: int) -> dict:
    """Copy one file into the archive: its SHA-256 and size for the manifest."""
    digest, size = hashlib.sha256(), 0
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = compress
    try:
        source = open(path, "rb")
    except FileNotFoundError as exc:
        raise _Replaced(name) from exc
    with source, archive.open(info, "w", force_zip64=True) as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"sha256": digest.hexdigest(), "bytes": size}


def write_backup(data_dir: str | os.PathLike, target: str | os.PathLike) -> dict:
    """Write one archive of the whole store in ``data_dir`` to ``target``; returns the manifest.

    The archive is written under a temporary name and renamed: ``target`` is either the old
    file or the complete new one.

    Raises
    ------
    BackupError
        No store in ``data_dir``, the target cannot be written, or the store kept changing.
    """
    data_dir, target = Path(data_dir), Path(target)
    db_path = data_dir / DB_NAME
    if not db_path.is_file():
        raise BackupError(f"no strideload store in {data_dir}")
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.partial")
    with tempfile.TemporaryDirectory(prefix="strideload-backup-") as work:
        for _ in range(ATTEMPTS):
            snapshot = Path(work) / f"{uuid.uuid4().hex}.sqlite"
            try:
                version, counts, ids = _snapshot(db_path, snapshot)
            except sqlite3.Error as exc:
                raise BackupError(f"cannot read the store in {data_dir}: {exc}") from exc
            try:
                with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                    files = {DB_NAME: _add_file(archive, snapshot, DB_NAME, zipfile.ZIP_DEFLATED)}
                    for activity_id in ids:
                        name = f"{SAMPLES}/{activity_id:08d}.parquet"
                        files[name] = _add_file(archive, data_dir / name, name,
                                                zipfile.ZIP_STORED)  # zstd inside already
                    manifest = {
                        "format": FORMAT, "format_version": FORMAT_VERSION,
                        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                        "schema_version": version, "tables": counts, "files": files,
                    }
                    archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
                os.replace(partial, target)
            except _Replaced:
                partial.unlink(missing_ok=True)
                continue
            except OSError as exc:
                partial.unlink(missing_ok=True)
                raise BackupError(f"cannot write {target}: {exc.strerror or exc}") from exc
            finally:
                snapshot.unlink(missing_ok=True)
            return manifest
    raise BackupError("activities kept being replaced while backing up: try again")


# -- restore ------------------------------------------------------------------------------------
def read_manifest(archive: zipfile.ZipFile, name: str) -> dict:
    """The manifest of an archive, checked for format and member names."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise BackupError(f"{name} is not a strideload backup (no readable manifest)") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{name} is not a strideload backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{name} has backup format {manifest.get('format_version')}; "
                          f"this strideload reads format {FORMAT_VERSION}")
    if manifest.get("schema_version", 0) > SCHEMA_VERSION:
        raise BackupError(f"{name} was written by a newer strideload "
                          f"(schema {manifest['schema_version']})")
    files = manifest.get("files")
    if not isinstance(files, dict) or DB_NAME not in files or not all(
            isinstance(member, str) and MEMBER.match(member) for member in files):
        raise BackupError(f"{name}: the manifest lists files a store does not hold")
    return manifest


def _extract(archive: zipfile.ZipFile, member: str, expected: dict, folder: Path,
             name: str) -> None:
    """Copy one member out, refusing it unless its size and SHA-256 match the manifest."""
    out_path = folder / member
    out_path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    try:
        with archive.open(member) as source, open(out_path, "wb") as out:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > expected["bytes"]:
                    break
                digest.update(chunk)
                out.write(chunk)
    except KeyError as exc:
        raise BackupError(f"{name}: {member} is missing from the archive") from exc
    except (zipfile.BadZipFile, zlib.error) as exc:
        raise BackupError(f"{name}: {member} is damaged in the archive") from exc
    if size != expected["bytes"] or digest.hexdigest() != expected["sha256"]:
        raise BackupError(f"{name}: {member} does not match its checksum (damaged backup)")


def _check_database(folder: Path, manifest: dict, name: str) -> None:
    """The restored database is intact, has the manifest's rows and every activity's samples."""
    db = sqlite3.connect(folder / DB_NAME)
    try:
        if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{name}: the database in the archive is damaged")
        counts = table_counts(db)
        ids = [row[0] for row in db.execute("SELECT id FROM activities")]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{name}: the database in the archive is damaged ({exc})") from exc
    finally:
        db.close()
    if counts != manifest.get("tables"):
        raise BackupError(f"{name}: the database does not hold the rows the manifest lists")
    missing = [i for i in ids if f"{SAMPLES}/{i:08d}.parquet" not in manifest["files"]]
    if missing:
        raise BackupError(f"{name}: samples of {len(missing)} activities are missing")


def store_holds_data(data_dir: Path) -> bool:
    """Whether ``data_dir`` holds a store with any data (or files that are not a store's)."""
    if not data_dir.exists():
        return False
    if any(entry.name not in STORE_FILES for entry in data_dir.iterdir()):
        return True
    if any((data_dir / SAMPLES).glob("*.parquet")):
        return True
    if not (data_dir / DB_NAME).exists():
        return False
    db = sqlite3.connect(data_dir / DB_NAME, timeout=30)
    try:
        counts = table_counts(db)
    finally:
        db.close()
    return any(n for table, n in counts.items() if table not in BOOKKEEPING_TABLES)


def _foreign(data_dir: Path) -> list[str]:
    return sorted(e.name for e in data_dir.iterdir() if e.name not in STORE_FILES) \
        if data_dir.exists() else []


def restore_backup(archive_path: str | os.PathLike, data_dir: str | os.PathLike,
                   force: bool = False) -> dict:
    """Restore the store of an archive into ``data_dir``; returns the manifest.

    Parameters
    ----------
    force
        Replace a store that holds data (its contents are deleted once the restored store is in
        place). A folder holding other files is never replaced.

    Raises
    ------
    BackupError
        The archive is not a backup or fails its checks, or ``data_dir`` holds data (and not
        ``force``) or files that are not a store's. Nothing is changed then.
    """
    archive_path, data_dir = Path(archive_path), Path(data_dir)
    name = archive_path.name
    foreign = _foreign(data_dir)
    if foreign:
        raise BackupError(f"{data_dir} holds files that are not a strideload store "
                          f"({', '.join(foreign[:3])}): restore into an empty folder")
    if not force and store_holds_data(data_dir):
        raise BackupError(f"{data_dir} already holds a store with data: restore into another "
                          "--data-dir, or replace it with --force")
    try:
        archive = zipfile.ZipFile(archive_path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"cannot read {name}: not a readable zip archive") from exc
    try:
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}.restoring-",
                                        dir=data_dir.parent))
    except OSError as exc:
        raise BackupError(f"cannot restore into {data_dir}: {exc.strerror or exc}") from exc
    try:
        with archive:
            manifest = read_manifest(archive, name)
            for member, expected in manifest["files"].items():
                _extract(archive, member, expected, staging, name)
        _check_database(staging, manifest, name)
        _swap(staging, data_dir)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(f"cannot restore into {data_dir}: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _swap(staging: Path, data_dir: Path) -> None:
    """Put the restored store in place of ``data_dir`` (two renames; the old one is deleted)."""
    if not data_dir.exists():
        os.rename(staging, data_dir)
        return
    old = data_dir.with_name(f".{data_dir.name}.replaced-{uuid.uuid4().hex}")
    os.rename(data_dir, old)
    try:
        os.rename(staging, data_dir)
    except BaseException:
        os.rename(old, data_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
