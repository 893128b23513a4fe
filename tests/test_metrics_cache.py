"""The per-activity metrics frame is kept in the data directory between processes, and follows
every change of the stored metrics."""

from __future__ import annotations

import datetime as dt

from fitfiles import run_fit
from polars.testing import assert_frame_equal

from dashboard import service
from dashboard.import_hook import enrich
from ingest.importer import import_items
from ingest.sources import Item
from ingest.store import CACHE_DIR, Store

START = dt.datetime(2026, 5, 4, 6, 0, tzinfo=dt.UTC)


def add_runs(store: Store, days: range) -> None:
    items = [Item(f"run_{day}.fit", lambda day=day: run_fit(START + dt.timedelta(days=day),
                                                            seconds=900)) for day in days]
    assert {r.status for r in import_items(items, store, jobs=1, enrich=enrich)} == {"imported"}


def metrics_in_a_new_process(store: Store):
    service._CACHE.clear()  # what a new command starts with
    return service.activities_with_metrics(store)


def test_the_metrics_frame_is_read_back_and_follows_changes(tmp_path):
    with Store(tmp_path) as store:
        add_runs(store, range(3))
        built = metrics_in_a_new_process(store)
        (cached,) = (tmp_path / CACHE_DIR).glob("metrics-*.parquet")
        assert_frame_equal(metrics_in_a_new_process(store), built)
        assert cached.exists()

        add_runs(store, range(3, 5))  # new metrics: a new file, the old one gone
        grown = metrics_in_a_new_process(store)
        assert grown.height == 5 and grown["hr_seconds"].null_count() == 0
        (newer,) = (tmp_path / CACHE_DIR).glob("metrics-*.parquet")
        assert newer != cached

        store.delete_activity(int(grown["id"][0]))
        assert metrics_in_a_new_process(store).height == 4


def test_a_damaged_cache_file_is_rebuilt(tmp_path):
    with Store(tmp_path) as store:
        add_runs(store, range(2))
        built = metrics_in_a_new_process(store)
        (cached,) = (tmp_path / CACHE_DIR).glob("metrics-*.parquet")
        cached.write_bytes(b"not parquet")
        assert_frame_equal(metrics_in_a_new_process(store), built)
        assert cached.read_bytes()[:4] == b"PAR1"


def test_a_cache_is_no_data_of_the_runner(tmp_path):
    from ingest.backup import store_holds_data

    with Store(tmp_path) as store:
        metrics_in_a_new_process(store)
    assert (tmp_path / CACHE_DIR).is_dir()
    assert not store_holds_data(tmp_path)  # a backup may still be restored here


def test_the_factor_analysis_is_read_back_until_its_day_table_changes(tmp_path, monkeypatch):
    from analytics import factors as factor_module
    from ingest.journal import make_entry

    with Store(tmp_path) as store:
        add_runs(store, range(3))
        store.add_pain([make_entry(START.date() + dt.timedelta(days=k), k % 3)
                        for k in range(3)])
        end = START.date() + dt.timedelta(days=2)
        service._CACHE.clear()
        built = service.factors(store, end)
        (kept,) = (tmp_path / CACHE_DIR).glob("factors-*.parquet")

        def not_again(*args, **kwargs):
            raise AssertionError("the factor analysis ran again")

        monkeypatch.setattr(factor_module, "factor_associations", not_again)
        service._CACHE.clear()  # a new command
        assert_frame_equal(service.factors(store, end), built)
        store.set_setting("unrelated", "1")  # a new store revision, the same day table
        assert_frame_equal(service.factors(store, end), built)

        monkeypatch.undo()
        store.add_pain([make_entry(end, 6)])  # the day table changes: computed again
        service._CACHE.clear()
        changed = service.factors(store, end)
        (newer,) = (tmp_path / CACHE_DIR).glob("factors-*.parquet")
        assert newer != kept and not kept.exists()
        assert_frame_equal(changed, factor_module.factor_associations(
            *service.factor_table(store, end),
            min_exposed=service.load_settings(store).integer("factor_min_exposed_days"),
            min_days=service.load_settings(store).integer("factor_min_days")))
