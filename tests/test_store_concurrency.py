"""Several processes and threads on one store: nothing is lost, nothing is stored twice.

Two importers (one going forwards, one backwards through the sample history's real FIT and
GPX files) and a reader that opens and closes the store in a loop, each in its own process;
afterwards every activity's samples read back and the store holds what a quiet import of the
same files gives. The web app opens the store once and lends each thread a connection.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dashboard.app import PAGES, create_app
from dashboard.data import POOL_KEY
from dashboard.pages import activity
from ingest.importer import import_items
from ingest.reader import read_activities
from ingest.sources import expand
from ingest.store import TEMP_PREFIX, Store

SAMPLE_FILES = sorted(str(p) for p in (Path(__file__).parents[1] / "sample_data" / "files")
                      .iterdir())
WORKERS = Path(__file__).with_name("store_workers.py")
TIMEOUT_S = 240


def worker(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WORKERS), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=TIMEOUT_S)
    assert process.returncode == 0, err
    return out


def sessions(store: Store) -> list[tuple]:
    return sorted(store.activities().select("start_ms", "sport", "samples").iter_rows())


def test_two_importers_and_a_reader_lose_nothing(tmp_path):
    data_dir, stop = tmp_path / "shared", tmp_path / "stop"
    reader = worker("read", str(data_dir), str(stop))
    importers = [worker("import", str(data_dir), *SAMPLE_FILES),
                 worker("import", str(data_dir), *reversed(SAMPLE_FILES))]
    try:
        outputs = [finish(importer) for importer in importers]
    finally:
        stop.touch()
        seen = json.loads(finish(reader))

    reports = [json.loads(line) for out in outputs for line in out.splitlines()]
    assert len(reports) == 2 * len(SAMPLE_FILES)
    assert [r for r in reports if r["status"] == "rejected"] == []
    assert sum(r["status"] == "imported" for r in reports) == len(SAMPLE_FILES)
    assert seen["problems"] == []
    assert seen["rounds"] >= 2 and seen["reads"] > 0

    with Store(tmp_path / "quiet") as quiet:
        list(import_items(expand(SAMPLE_FILES), quiet, jobs=1))
        expected = sessions(quiet)
    with Store(data_dir) as store:
        assert store.count() == len(expected) == len(SAMPLE_FILES)
        assert sessions(store) == expected
        for activity_id, height in store.activities().select("id", "samples").iter_rows():
            assert store.samples(activity_id).height == height
        files = sorted(p.name for p in store.samples_dir.iterdir())
        ids = store.activities()["id"].to_list()
        assert files == sorted(store.samples_path(i).name for i in ids)


def test_sweep_waits_for_a_writer_and_removes_only_orphans(tmp_path):
    with Store(tmp_path) as first:
        list(import_items(expand(SAMPLE_FILES[:2]), first, jobs=1))
        orphan = first.samples_path(999)  # as left by a crash between rename and commit
        orphan.write_bytes(b"left over")
        temp = first.samples_dir / f"{TEMP_PREFIX}gone-1-abc.parquet"
        temp.write_bytes(b"left over")
        with first.transaction():  # a writer at work: its files must stay
            with Store(tmp_path) as other:
                assert other.count() == 2
            assert orphan.exists() and temp.exists()
    with Store(tmp_path) as reopened:
        assert not orphan.exists() and not temp.exists()
        assert [reopened.samples(i).height > 0 for i in (1, 2)] == [True, True]


def test_old_connections_refuse_a_store_of_another_schema(tmp_path):
    Store(tmp_path).close()
    with Store(tmp_path, maintain=False) as connection:
        connection.db.execute("PRAGMA user_version = 99")
    with pytest.raises(RuntimeError, match="schema 99"):
        Store(tmp_path, maintain=False)


def test_web_app_opens_the_store_once_and_lends_a_connection_per_thread(tmp_path,
                                                                        monkeypatch):
    with Store(tmp_path) as store:
        list(import_items(expand(SAMPLE_FILES[:6]), store, jobs=1))
    app = create_app(tmp_path)

    def forbidden(self):
        raise AssertionError("migration or sweep on a request path")

    monkeypatch.setattr(Store, "_migrate", forbidden)
    monkeypatch.setattr(Store, "_sweep", forbidden)
    pool = app.server.extensions[POOL_KEY]
    in_use: set[int] = set()
    clash = threading.Event()
    real_borrow = pool.borrow
    lock = threading.Lock()

    def watched_borrow():
        context = real_borrow()
        store = context.__enter__()
        with lock:
            if id(store) in in_use:
                clash.set()
            in_use.add(id(store))

        class Lent:
            def __enter__(self):
                return store

            def __exit__(self, *exc):
                with lock:
                    in_use.discard(id(store))
                return context.__exit__(*exc)

        return Lent()

    monkeypatch.setattr(pool, "borrow", watched_borrow)
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def render_pages() -> None:
        try:
            start.wait()
            for _ in range(2):
                with app.server.test_request_context():
                    for page in PAGES:
                        page.layout(**({"activity_id": "1"} if page is activity else {}))
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=render_pages) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT_S)
    assert errors == []
    assert not clash.is_set()
    assert 1 <= len(pool._all) <= 6


class _CommitFails:
    """A connection whose next COMMIT fails; notes which samples files exist at ROLLBACK."""

    def __init__(self, real: sqlite3.Connection, samples_dir: Path) -> None:
        self._real = real
        self._samples_dir = samples_dir
        self.files_at_rollback: list[str] | None = None

    def execute(self, sql: str, *args):
        if sql == "COMMIT":
            raise sqlite3.OperationalError("disk I/O error")
        if sql == "ROLLBACK":
            self.files_at_rollback = sorted(p.name for p in self._samples_dir.iterdir())
        return self._real.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._real, name)


def test_a_failed_commit_removes_the_samples_while_still_holding_the_write_lock(
        tmp_path, monkeypatch):
    """Else another writer could reuse the rolled-back id and lose its file to our clean-up."""
    with Store(tmp_path) as store:
        list(import_items(expand(SAMPLE_FILES[:1]), store, jobs=1))
        kept = sorted(p.name for p in store.samples_dir.iterdir())
        (second,) = read_activities(SAMPLE_FILES[1])
        failing = _CommitFails(store.db, store.samples_dir)
        monkeypatch.setattr(store, "db", failing)
        with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
            store.add(second, "2" * 64, "second.fit.gz")
        monkeypatch.setattr(store, "db", failing._real)
        assert failing.files_at_rollback == kept
        assert sorted(p.name for p in store.samples_dir.iterdir()) == kept
        assert store.count() == 1
