"""Watched folders in the store's settings, the import history and the dashboard notice."""

from __future__ import annotations

import pytest
from watch_helpers import run_bytes

from dashboard.import_text import notice_lines, report_text
from ingest.import_report import FileReport
from ingest.importer import import_items
from ingest.sources import expand
from ingest.store import SCHEMA_VERSION, Store
from ingest.watch import state
from ingest.watch.state import (
    WatchError,
    add_folders,
    dismiss,
    latest_watch_import,
    pass_reports,
    recent_passes,
    record_pass,
    remove_folder,
    unseen_watch_passes,
    watched_folders,
)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "data") as opened:
        yield opened


def test_folders_are_added_listed_and_removed_and_kept_in_the_store(tmp_path, store):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    assert [f.path for f in add_folders(store, [one])] == [str(one)]
    assert add_folders(store, [one]) == []  # already watched
    add_folders(store, [two], "garmin")
    with Store(tmp_path / "data") as again:  # another connection, later
        folders = watched_folders(again)
    assert [(f.path, f.kind) for f in folders] == [(str(one), "folder"), (str(two), "garmin")]
    assert folders[1].as_dict() == {"path": str(two), "kind": "garmin", "available": True}
    two.rmdir()  # a watch unplugged: still watched, not there now
    assert watched_folders(store)[1].as_dict()["available"] is False
    assert remove_folder(store, two).path == str(two)
    assert [f.path for f in watched_folders(store)] == [str(one)]


def test_folders_that_cannot_be_watched_are_refused_with_the_reason(tmp_path, store):
    (tmp_path / "file.fit").write_bytes(b"x")
    with pytest.raises(WatchError, match="does not exist"):
        add_folders(store, [tmp_path / "missing"])
    with pytest.raises(WatchError, match="is a file, not a folder"):
        add_folders(store, [tmp_path / "file.fit"])
    with pytest.raises(WatchError, match="is not watched"):
        remove_folder(store, tmp_path)
    assert watched_folders(store) == []


def test_the_watch_tables_are_a_schema_migration(store):
    tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"watch_files", "import_passes", "import_reports"} <= tables
    assert store.schema_version() == SCHEMA_VERSION


def _imported(store, tmp_path, files: dict[str, bytes]) -> list[FileReport]:
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return list(import_items(expand([tmp_path / n for n in files]), store, jobs=1))


def test_history_keeps_each_file_with_its_reason_and_counts_runs(tmp_path, store):
    reports = _imported(store, tmp_path, {"run.fit": run_bytes(0), "ride.fit": run_bytes(
        1, sport="cycling"), "bad.fit": b"\0" * 64})
    pass_id = record_pass(store, "watch", reports, str(tmp_path), "garmin")
    (entry,) = recent_passes(store)
    assert (entry.id, entry.imported, entry.rejected, entry.activities, entry.runs) == (
        pass_id, 2, 1, 2, 1)
    stored = pass_reports(store, pass_id)
    assert [(r.file, r.status) for r in stored] == [(r.file, r.status) for r in reports]
    assert stored[2].reason == reports[2].reason and "Traceback" not in stored[2].reason
    assert report_text(stored[2]) == f"rejected bad.fit: {reports[2].reason}"
    assert record_pass(store, "watch", []) is None  # nothing read, nothing recorded


def test_notice_counts_new_runs_per_source_until_dismissed(tmp_path, store):
    assert latest_watch_import(store) == 0
    reports = _imported(store, tmp_path, {"a.fit": run_bytes(0), "b.fit": run_bytes(1)})
    first = record_pass(store, "watch", reports, "/media/anna/GARMIN/GARMIN/Activity", "garmin")
    record_pass(store, "upload", _imported(store, tmp_path, {"c.fit": run_bytes(2)}))
    assert notice_lines(unseen_watch_passes(store)) == [
        "2 new runs imported from your watch."]  # uploads are no news
    ride = _imported(store, tmp_path, {"ride.fit": run_bytes(3, sport="cycling"),
                                       "x.gpx": b"<gpx"})
    second = record_pass(store, "watch", ride, "/home/anna/Dropbox/HealthFit", "folder")
    assert latest_watch_import(store) == second
    assert notice_lines(unseen_watch_passes(store)) == [
        "2 new runs imported from your watch.", "1 new activity imported from HealthFit.",
        "1 file could not be imported; the reason is in the import history."]
    dismiss(store, first)
    assert [p.id for p in unseen_watch_passes(store)] == [second]
    dismiss(store, second)
    assert notice_lines(unseen_watch_passes(store)) == []


def test_history_keeps_the_newest_passes(tmp_path, store, monkeypatch):
    monkeypatch.setattr(state, "KEEP_PASSES", 3)
    report = FileReport("x.gpx", "rejected", reason="malformed XML")
    ids = [record_pass(store, "import", [report]) for _ in range(5)]
    assert [p.id for p in recent_passes(store)] == ids[:1:-1]
    assert store.db.execute("SELECT COUNT(*) FROM import_reports").fetchone()[0] == 3
