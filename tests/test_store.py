"""The SQLite + Parquet store: atomic writes, dedupe rules, schema version, time zones."""

from __future__ import annotations

import datetime as dt
import sqlite3

import polars as pl
import pytest
from fitfiles import run_fit

from ingest import store as store_module
from ingest.importer import import_item
from ingest.reader import read_activities
from ingest.schema import SAMPLE_SCHEMA
from ingest.sources import Item
from ingest.store import SCHEMA_VERSION, Store

START = dt.datetime(2026, 5, 4, 17, 0, tzinfo=dt.UTC)


def activity(start=START, **options):
    (one,) = read_activities(run_fit(start, **options), "run.fit")
    return one


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "data") as opened:
        yield opened


def test_add_stores_summary_laps_and_samples(store):
    stored = store.add(activity(seconds=300), "a" * 64, "run.fit", "fitparse")
    assert stored.status == "imported"
    row = store.activity(stored.activity_id)
    assert (row["sport"], row["samples"], row["local_offset_s"]) == ("running", 300, 3600)
    assert row["local_date"] == "2026-05-04"
    assert row["signals"].split(",") == [
        "gps", "heart_rate", "cadence", "altitude", "distance", "speed"]
    samples = store.samples(stored.activity_id)
    assert samples.schema == pl.Schema(SAMPLE_SCHEMA)
    assert samples["cadence_spm"][0] == 171.0
    assert store.laps(stored.activity_id)["avg_cadence_spm"].to_list() == [171.0]
    assert store.samples_path(stored.activity_id).stat().st_size > 0


def test_local_date_uses_device_offset_then_the_time_zone_setting(store):
    late = dt.datetime(2026, 5, 4, 22, 30, tzinfo=dt.UTC)  # 00:30 next day in Berlin (CEST)
    with_offset = store.add(activity(late, local_offset_s=7200), "b" * 64, "watch.fit")
    no_offset = store.add(activity(late + dt.timedelta(days=2), local_offset_s=None),
                          "c" * 64, "phone.fit")
    store.set_time_zone("UTC")
    assert store.activity(no_offset.activity_id)["local_date"] == "2026-05-06"
    store.set_time_zone("Europe/Berlin")
    assert store.activity(with_offset.activity_id)["local_date"] == "2026-05-05"
    assert store.activity(no_offset.activity_id)["local_date"] == "2026-05-07"
    assert store.activity(no_offset.activity_id)["utc_offset_s"] == 7200


def test_same_session_from_two_sources_keeps_the_richer_one(store):
    poorer = activity(heart_rate=None)  # phone recording without heart rate
    richer = activity(START + dt.timedelta(seconds=90))  # the watch, started 90 s later
    first = store.add(poorer, "d" * 64, "phone.fit")
    second = store.add(richer, "e" * 64, "watch.fit")
    assert second.status == "replaced"
    assert "phone.fit" in second.note
    assert store.count() == 1
    assert store.activity(second.activity_id)["source_file"] == "watch.fit"
    assert not store.samples_path(first.activity_id).exists()
    again = store.add(activity(heart_rate=None), "f" * 64, "phone-copy.fit")
    assert again.status == "duplicate"
    assert again.note == "same session as watch.fit (kept that one)"
    assert store.count() == 1


def test_different_sessions_are_not_merged(store):
    store.add(activity(seconds=600), "1" * 64, "morning.fit")
    # starts 3 minutes later: outside the 2-minute rule
    store.add(activity(START + dt.timedelta(minutes=3), seconds=600), "2" * 64, "other.fit")
    # starts together but covers only half the time of the longer one: overlap 50 % < 80 %
    # (another recording: its samples differ from the first 600 s of morning.fit)
    store.add(activity(START, seconds=1200, heart_rate=150), "3" * 64, "longer.fit")
    assert store.count() == 3


def test_a_cut_short_copy_of_a_stored_run_is_a_duplicate_even_when_richer(store):
    full = read_activities(run_fit(START, seconds=1200), "run.fit")[0]
    store.add(full, "4" * 64, "run.fit")
    data = run_fit(START, seconds=1200)
    (cut,) = read_activities(data[:len(data) // 3], "copy.fit")
    assert cut.damaged and cut.samples.height < 600  # overlap < 80 %: the time rule misses it
    cut.samples = cut.samples.with_columns(temperature_c=pl.lit(21.0))  # a signal more
    stored = store.add(cut, "5" * 64, "copy.fit")
    assert (stored.status, stored.note) == ("duplicate", "same session as run.fit (kept that one)")
    assert store.activities()["source_file"].to_list() == ["run.fit"]


def test_a_damaged_summary_sharing_time_with_a_stored_run_is_a_duplicate(store):
    store.add(activity(seconds=1800), "a" * 64, "run.fit")
    (copy,) = read_activities(run_fit(START, seconds=1800), "copy.fit")
    copy.summary.start_time -= dt.timedelta(days=5)  # what damage left of its summary
    copy.summary.duration_s = 5 * 86400 + 600.0
    copy.samples = copy.samples.clear()
    copy.damaged = True
    assert store.add(copy, "b" * 64, "copy.fit").status == "duplicate"
    copy.damaged = False  # the same summary from an intact file is another session
    assert store.add(copy, "c" * 64, "other.fit").status == "imported"


def test_a_fuller_copy_of_one_recording_replaces_the_cut_short_one(store):
    data = run_fit(START, seconds=1200)
    (cut,) = read_activities(data[:len(data) // 3], "copy.fit")
    store.add(cut, "6" * 64, "copy.fit")
    (full,) = read_activities(data, "run.fit")
    assert store.add(full, "7" * 64, "run.fit").status == "replaced"
    assert store.activities()["samples"].to_list() == [1200]


def test_failure_mid_write_leaves_nothing_half_stored(store, monkeypatch):
    store.add(activity(seconds=60), "9" * 64, "kept.fit")
    before = sorted(p.name for p in store.samples_dir.iterdir())

    def broken_executemany(*_args, **_kwargs):
        raise OSError("disk full")

    real = store.db
    monkeypatch.setattr(store, "db", _FailingConnection(real, broken_executemany))
    with pytest.raises(OSError, match="disk full"):
        store.add(activity(START + dt.timedelta(days=1)), "8" * 64, "lost.fit")
    monkeypatch.setattr(store, "db", real)
    assert store.count() == 1
    assert store.activities()["source_file"].to_list() == ["kept.fit"]
    assert sorted(p.name for p in store.samples_dir.iterdir()) == before


def test_crash_after_parquet_rename_is_cleaned_on_open(tmp_path):
    with Store(tmp_path) as first:
        first.add(activity(seconds=60), "7" * 64, "a.fit")
        orphan = first.samples_path(999)
        orphan.write_bytes(b"left over by a crash")
    with Store(tmp_path) as reopened:
        assert not orphan.exists()
        assert reopened.count() == 1


def test_schema_version_and_refusing_newer_stores(tmp_path):
    with Store(tmp_path) as fresh:
        assert fresh.schema_version() == SCHEMA_VERSION
    db = sqlite3.connect(tmp_path / store_module.DB_NAME)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(RuntimeError, match="newer strideload"):
        Store(tmp_path)


def test_wal_mode(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


class _FailingConnection:
    """Wraps a sqlite3 connection, replacing executemany (used for laps) with a failure."""

    def __init__(self, real: sqlite3.Connection, executemany) -> None:
        self._real = real
        self.executemany = executemany

    def __getattr__(self, name):
        return getattr(self._real, name)


def test_deleting_an_activity_removes_everything_of_it_and_allows_a_new_import(tmp_path):
    data = run_fit(START, seconds=300)
    with Store(tmp_path) as store:
        (report,) = [import_item(Item("run.fit", lambda: data), store)]
        (activity_id,) = store.activities()["id"].to_list()
        store.set_rpe(activity_id, 5)
        store.set_metrics(activity_id, 1, {"hr_seconds": 300.0})
        assert store.delete_activity(activity_id)
        for table in ("activities", "laps", "rpe", "activity_metrics", "files"):
            assert store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
        assert not store.samples_path(activity_id).exists()
        again = import_item(Item("run.fit", lambda: data), store)
        assert (report.status, again.status) == ("imported", "imported")

