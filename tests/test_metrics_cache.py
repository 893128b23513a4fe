"""What commands keep in the data directory between processes follows every change it is
computed from: the per-activity metrics frame, the activities with their metrics and context,
the session loads and runs (kept across pain entries, computed again after any other change),
the factor analysis."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from fitfiles import run_fit
from polars.testing import assert_frame_equal

from dashboard import preferences, service
from dashboard.import_hook import enrich
from ingest.importer import import_items
from ingest.sources import Item
from ingest.store import CACHE_DIR, Store

START = dt.datetime(2026, 5, 4, 6, 0, tzinfo=dt.UTC)


def add_runs(store: Store, days: range, seconds: int = 900) -> None:
    items = [Item(f"run_{day}.fit", lambda day=day: run_fit(START + dt.timedelta(days=day),
                                                            seconds=seconds)) for day in days]
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


def metrics_from_scratch(store: Store):
    from analytics.activity_metrics import metrics_frame

    stored = store.metrics()
    return metrics_frame([values for _, values in stored], [i for i, _ in stored])


def test_only_metrics_written_since_are_read_and_the_frame_equals_a_rebuild(tmp_path,
                                                                            monkeypatch):
    with Store(tmp_path) as store:
        add_runs(store, range(3))
        metrics_in_a_new_process(store)
        add_runs(store, range(3, 5))
        asked: list[list[int]] = []
        read = Store.metrics

        def recorded(self, ids=None):
            asked.append(list(ids) if ids is not None else "all")
            return read(self, ids)

        monkeypatch.setattr(Store, "metrics", recorded)
        service._CACHE.clear()
        frame = service._metrics(store)
        monkeypatch.undo()
        newest = sorted(store.metrics_written(), key=store.metrics_written().get)[-2:]
        assert asked == [sorted(newest)]  # the two new runs only
        assert_frame_equal(frame, metrics_from_scratch(store))
        store.delete_activity(newest[0])
        service._CACHE.clear()
        assert_frame_equal(service._metrics(store), metrics_from_scratch(store))


def test_metrics_rewritten_at_the_same_version_are_read_again(tmp_path):
    """A new sport recomputes an activity's metrics at the same version: the frame follows."""
    from ingest.context import edit_activity

    with Store(tmp_path) as store:
        add_runs(store, range(2))
        before = metrics_in_a_new_process(store)
        first = int(before["id"][0])
        assert before.filter(id=first)["warmup_s"].to_list() != [None]  # judged as a run
        edit_activity(store, first, sport="cycling")
        after = metrics_in_a_new_process(store)
        assert after.filter(id=first)["warmup_s"].to_list() == [None]  # not judged for rides
        assert_frame_equal(service._metrics(store), metrics_from_scratch(store))


@pytest.mark.parametrize("prefix", ["metrics", "activities"])
def test_a_damaged_cache_file_is_rebuilt(tmp_path, prefix):
    with Store(tmp_path) as store:
        add_runs(store, range(2))
        built = metrics_in_a_new_process(store)
        if prefix == "metrics":  # the activities frame built from it is not kept either
            for joined in (tmp_path / CACHE_DIR).glob("activities-*.parquet"):
                joined.unlink()
        (cached,) = (tmp_path / CACHE_DIR).glob(f"{prefix}-*.parquet")
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
            min_exposed=preferences.load_settings(store).integer("factor_min_exposed_days"),
            min_days=preferences.load_settings(store).integer("factor_min_days")))


def report_in_a_new_process(store: Store, end: dt.date):
    service._CACHE.clear()
    return service.report(store, end)


def report_from_scratch(store: Store, end: dt.date):
    """The report computed from the store with nothing kept."""
    from analytics.report import build_report

    frame = (store.activities().join(metrics_from_scratch(store), on="id", how="left")
             .join(service.context_frame(store), on="id", how="left"))
    return build_report(frame, end=end, **service.report_inputs(store))


def assert_same_report(rep, expected) -> None:
    assert_frame_equal(rep.sessions, expected.sessions)
    assert_frame_equal(rep.runs, expected.runs)
    assert_frame_equal(rep.daily, expected.daily)


def test_a_pain_entry_reuses_the_kept_activities_loads_and_runs(tmp_path, monkeypatch):
    import analytics.report as report_module
    from ingest.journal import make_entry

    end = START.date() + dt.timedelta(days=4)
    with Store(tmp_path) as store:
        add_runs(store, range(4))
        first = report_in_a_new_process(store, end)
        kept = {p.name for p in (tmp_path / CACHE_DIR).glob("*.parquet")}
        assert {name.split("-")[0] for name in kept} >= {"activities", "sessions", "runs"}

        def not_again(*args, **kwargs):
            raise AssertionError("computed again")

        training = store.training_revision()
        store.add_pain([make_entry(end, 5)])
        assert store.training_revision() == training != "" and store.revision() > 0
        for module, name in ((report_module, "session_loads"), (report_module, "_runs"),
                             (service, "context_frame")):
            monkeypatch.setattr(module, name, not_again)
        monkeypatch.setattr(Store, "activities", not_again)
        after = report_in_a_new_process(store, end)
        monkeypatch.undo()
        assert after.daily.filter(date=end)["pain"].to_list() == [5]
        assert first.daily.filter(date=end)["pain"].to_list() == [None]
        assert_same_report(after, report_from_scratch(store, end))
        assert {p.name for p in (tmp_path / CACHE_DIR).glob("*.parquet")} == kept


@pytest.mark.parametrize("change", ["rpe", "settings", "excluded", "delete"])
def test_any_other_change_computes_them_again(tmp_path, change):
    from ingest.context import edit_activity

    end = START.date() + dt.timedelta(days=4)
    with Store(tmp_path) as store:
        add_runs(store, range(4))
        before = report_in_a_new_process(store, end)
        training = store.training_revision()
        first = int(before.sessions["id"][0])
        if change == "rpe":
            store.set_rpe(first, 9)
        elif change == "settings":
            preferences.update_settings(store, {"acwr_method": "ewma"})
        elif change == "excluded":
            edit_activity(store, first, excluded=True)
        else:
            store.delete_activity(first)
        assert store.training_revision() != training
        after = report_in_a_new_process(store, end)
        assert_same_report(after, report_from_scratch(store, end))
        changed = (not after.sessions.equals(before.sessions)
                   or not after.daily.equals(before.daily))
        assert changed


def test_a_new_store_in_the_same_folder_reads_nothing_the_old_one_kept(tmp_path):
    end = START.date() + dt.timedelta(days=4)
    with Store(tmp_path) as store:
        add_runs(store, range(3))
        old = report_in_a_new_process(store, end)
        old_id = store.store_id()
    for path in tmp_path.iterdir():  # the data, not the cache folder
        if path.name != CACHE_DIR:
            path.unlink() if path.is_file() else shutil.rmtree(path)
    with Store(tmp_path) as store:
        add_runs(store, range(1, 4), seconds=1500)  # as many changes, other runs
        assert store.store_id() != old_id
        new = report_in_a_new_process(store, end)
        assert new.sessions["local_date"].to_list() != old.sessions["local_date"].to_list()
        assert_same_report(new, report_from_scratch(store, end))
        assert_frame_equal(service._metrics(store), metrics_from_scratch(store))


def test_a_store_replaced_in_place_is_not_served_from_memory(tmp_path):
    """A restore swaps the folder: the new store may have the same revision number, and a
    running dashboard must not serve the old store's report for it."""
    end = START.date() + dt.timedelta(days=4)
    other = tmp_path / "other"
    with Store(other) as store:
        add_runs(store, range(3), seconds=1500)
    data = tmp_path / "data"
    with Store(data) as store:
        add_runs(store, range(3))
        first = report_in_a_new_process(store, end)
        revision = store.revision()
    shutil.rmtree(data)
    shutil.copytree(other, data)
    with Store(data) as store:
        assert store.revision() == revision
        second = service.report(store, end)  # the same process: its memory is kept
        assert not second.sessions.equals(first.sessions)
        assert_same_report(second, report_from_scratch(store, end))
