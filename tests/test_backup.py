"""Backup and restore: one archive of the whole store, made while an import runs, restored whole."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from fitfiles import run_fit

from dashboard.cli import main
from ingest import backup, gear
from ingest.backup import BackupError, restore_backup, write_backup
from ingest.journal import make_entry
from ingest.reader import read_activities
from ingest.store import DB_NAME, Store

START = dt.datetime(2026, 3, 2, 6, 30, tzinfo=dt.UTC)
SAMPLES = sorted((Path(__file__).parents[1] / "sample_data" / "files").glob("*.fit.gz"))


def fill(data_dir: Path) -> None:
    """A store with activities, journal, RPE, settings, unrecorded days, gear and a table that a
    later feature adds, which the backup must include without knowing it."""
    with Store(data_dir) as store:
        for day in range(3):
            (activity,) = read_activities(run_fit(START + dt.timedelta(days=day), seconds=300),
                                          f"run_{day}.fit")
            stored = store.add(activity, f"{day}" * 64, f"run_{day}.fit")
            store.set_rpe(stored.activity_id, 4 + day)
        store.add_pain([make_entry("2026-03-02", "3", "upper-back", True, (), "stiff",
                                   today=dt.date(2026, 3, 3))])
        store.set_unrecorded(dt.date(2026, 3, 5))
        store.set_time_zone("Europe/Berlin")
        store.set_setting("profile", json.dumps({"hr_max": 188}))
        gear.add_gear(store, "Trail shoes", "shoes")
        store.db.execute("CREATE TABLE later_feature (id INTEGER PRIMARY KEY, note TEXT)")
        store.db.execute("INSERT INTO later_feature (note) VALUES ('kept without code changes')")


def rows(data_dir: Path) -> dict[str, set[tuple]]:
    """Every row of every table (the store's content, whatever its tables)."""
    db = sqlite3.connect(data_dir / DB_NAME)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                           "AND name NOT LIKE 'sqlite_%'")]
        return {t: set(db.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables}
    finally:
        db.close()


def sample_files(data_dir: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in (data_dir / "samples").glob("*.parquet")}


@pytest.fixture
def source(tmp_path) -> Path:
    fill(tmp_path / "source")
    return tmp_path / "source"


def test_backups_made_while_an_import_runs_restore_a_consistent_store(source, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    for path in SAMPLES[:24]:
        shutil.copy(path, folder)
    before = rows(source)
    started = subprocess.Popen(
        [sys.executable, "-c", "from dashboard.cli import main; main()", "import", str(folder),
         "--data-dir", str(source), "--jobs", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    archives = []
    try:
        while len(rows(source)["activities"]) == len(before["activities"]):
            time.sleep(0.05)  # wait until the import is storing
        while started.poll() is None:
            archive = tmp_path / f"during-{len(archives)}.zip"
            write_backup(source, archive)
            archives.append((archive, started.poll() is None))
    finally:
        _, errors = started.communicate(timeout=300)
    assert started.returncode == 0, errors
    assert any(during for _, during in archives), "no backup finished while the import ran"
    after = rows(source)
    assert len(after["activities"]) == len(before["activities"]) + 24
    source_files = sample_files(source)
    for archive, _ in archives:
        target = tmp_path / f"restored-{archive.stem}"
        manifest = restore_backup(archive, target)
        restored = rows(target)
        assert {t: len(r) for t, r in restored.items()} == manifest["tables"]
        for table, content in restored.items():
            assert before[table] <= content or table == "revision", table  # nothing lost
            assert content <= after[table] or table == "revision", table  # nothing invented
        files = sample_files(target)
        assert len(files) == len(restored["activities"])
        assert all(source_files[name] == digest for name, digest in files.items())
        with Store(target) as store:  # a store the app opens, with readable samples
            assert store.samples(max(r[0] for r in restored["activities"])).height > 0

    quiet = tmp_path / "after.zip"
    write_backup(source, quiet)
    restore_backup(quiet, tmp_path / "restored-after")
    assert rows(tmp_path / "restored-after") == after  # every table, row for row
    assert sample_files(tmp_path / "restored-after") == source_files  # byte for byte


def test_restore_refuses_a_store_with_data_unless_forced(source, tmp_path):
    archive = tmp_path / "backup.zip"
    write_backup(source, archive)
    other = tmp_path / "other"
    with Store(other) as store:
        store.set_setting("units", "imperial")
    with pytest.raises(BackupError, match="already holds a store with data"):
        restore_backup(archive, other)
    assert rows(other)["settings"] == {("units", "imperial")}
    restore_backup(archive, other, force=True)
    assert rows(other) == rows(source)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.zip", "other", "source"]


def test_an_empty_store_is_replaced_without_force(source, tmp_path):
    archive = tmp_path / "backup.zip"
    write_backup(source, archive)
    Store(tmp_path / "fresh").close()  # opened once, e.g. by `strideload activities`
    restore_backup(archive, tmp_path / "fresh")
    assert rows(tmp_path / "fresh") == rows(source)


def test_a_damaged_archive_is_refused_and_changes_nothing(source, tmp_path):
    archive = tmp_path / "backup.zip"
    manifest = write_backup(source, archive)
    damaged = tmp_path / "damaged.zip"
    member = next(name for name in manifest["files"] if name.startswith("samples/"))
    with zipfile.ZipFile(archive) as old, zipfile.ZipFile(damaged, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == member:
                data = data[:100] + bytes([data[100] ^ 1]) + data[101:]
            new.writestr(info, data)
    target = tmp_path / "target"
    with Store(target) as store:
        store.set_setting("units", "metric")
    with pytest.raises(BackupError, match=f"{member} does not match its checksum"):
        restore_backup(damaged, target, force=True)
    assert rows(target)["settings"] == {("units", "metric")}  # the old store, untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "backup.zip", "damaged.zip", "source", "target"]  # no half-restored folder left


def test_restore_never_replaces_a_folder_that_is_not_a_store(source, tmp_path):
    archive = tmp_path / "backup.zip"
    write_backup(source, archive)
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("years of work")
    with pytest.raises(BackupError, match="not a strideload store"):
        restore_backup(archive, home, force=True)
    assert (home / "thesis.tex").read_text() == "years of work"


def test_an_activity_replaced_during_the_backup_starts_it_again(source, tmp_path, monkeypatch):
    real = backup._add_file
    calls = []

    def replaced_once(archive, path, name, compress):
        calls.append(name)
        if name.startswith("samples/") and calls.count(name) == 1:
            raise backup._Replaced(name)
        return real(archive, path, name, compress)

    monkeypatch.setattr(backup, "_add_file", replaced_once)
    manifest = write_backup(source, tmp_path / "backup.zip")
    assert manifest["tables"]["activities"] == 3
    assert not list(tmp_path.glob(".backup.zip.*"))  # no partial archive left


def test_backup_and_restore_on_the_command_line(source, tmp_path):
    archive = tmp_path / "strideload.zip"
    runner = CliRunner()
    made = runner.invoke(main, ["backup", str(archive), "--data-dir", str(source)])
    assert made.exit_code == 0, made.output
    assert made.output.startswith("Backed up 3 activities, 1 pain entries, ")
    refused = runner.invoke(main, ["restore", str(archive), "--data-dir", str(source)])
    assert refused.exit_code == 1
    assert "already holds a store with data" in refused.output
    assert "Traceback" not in refused.output
    restored = runner.invoke(main, ["restore", str(archive), "--data-dir",
                                    str(tmp_path / "new")])
    assert restored.exit_code == 0, restored.output
    assert rows(tmp_path / "new") == rows(source)
    not_a_backup = tmp_path / "notes.zip"
    with zipfile.ZipFile(not_a_backup, "w") as handle:
        handle.writestr("notes.txt", "hello")
    wrong = runner.invoke(main, ["restore", str(not_a_backup), "--data-dir",
                                 str(tmp_path / "x")])
    assert wrong.exit_code == 1
    assert "notes.zip is not a strideload backup" in wrong.output
