"""`strideload demo` and the analytics on the bundled sample history (sample_data/story.json
says which weeks and runs carry the story; the checks compute everything from the data)."""

from __future__ import annotations

import csv
import datetime as dt
import json

import polars as pl
import pytest
from click.testing import CliRunner

from dashboard import service
from dashboard.cli import main
from dashboard.demo import demo_today, sample_dir
from ingest.store import Store

STORY = json.loads((sample_dir() / "story.json").read_text())


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    return data_dir, result.stdout


@pytest.fixture(scope="module")
def report(demo_store):
    with Store(demo_store[0]) as store:
        return service.report(store, end=demo_today())


def test_demo_loads_everything_and_prints_the_advice(demo_store):
    data_dir, output = demo_store
    files = list((sample_dir() / "files").iterdir())
    with open(sample_dir() / "rpe.csv", newline="") as handle:
        rpe_rows = list(csv.DictReader(handle))
    with Store(data_dir) as store:
        assert store.count() == len(files)
        assert store.pain().height == len((sample_dir() / "pain_journal.csv").read_text()
                                          .strip().splitlines()) - 1
        assert store.rpe().height == len(rpe_rows)
        assert store.time_zone() == "Europe/Berlin"
        assert service.load_profile(store).hr_max == 189
    assert f"{len(files)} activities" in output
    assert output.strip().splitlines()[3].startswith(f"{demo_today()}: ")


def test_demo_twice_changes_nothing(demo_store):
    data_dir, _ = demo_store
    with Store(data_dir) as store:
        before = (store.count(), store.pain().height, store.rpe().height)
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--data-dir", str(data_dir)])
    assert result.exit_code == 0
    with Store(data_dir) as store:
        assert (store.count(), store.pain().height, store.rpe().height) == before


def week_monday(number: int) -> dt.date:
    return dt.date.fromisoformat(STORY["weeks"][number - 1]["monday"])


def test_spike_week_is_detected(report):
    weekly = report.weekly()
    spike = weekly.filter(pl.col("week_start") == week_monday(STORY["spike_week"])).row(
        0, named=True)
    assert spike["run_distance_m_change_pct"] >= 35
    # the rule's 7-day window flags it on the spike week's last day
    sunday = week_monday(STORY["spike_week"]) + dt.timedelta(days=6)
    day = report.daily.filter(pl.col("date") == sunday).row(0, named=True)
    assert day["run_distance_change_pct"] >= 30


def test_long_run_spike_is_detected(report):
    day = dt.date.fromisoformat(STORY["spike_long_run"][:10])
    run = report.runs.filter(pl.col("local_date") == day).row(0, named=True)
    assert run["long_run_ratio"] >= 1.25 and run["spike"]


def test_cadence_drift_and_decoupling_on_the_marked_long_runs(report):
    days = [dt.date.fromisoformat(name[:10]) for name in STORY["marked_long_runs"]]
    runs = report.runs.filter(pl.col("local_date").is_in(days))
    assert runs.height == len(days)
    assert (runs["drift_thirds_pct"] <= -3).all()  # last third >= 3 % lower at matched speed
    assert (runs["drift_pct"] < 0).all()
    assert (runs["decoupling_pct"] > 5).all()


def test_pain_episode_and_the_advice_on_the_peak_day(report):
    episodes = report.pain_episodes()
    peak_days = [dt.date.fromisoformat(d) for d in STORY["peak_pain_dates"]]
    assert any(e["start"] <= peak_days[0] <= e["end"] and e["peak"] >= 5
               for e in episodes.iter_rows(named=True))
    advice = report.advise(peak_days[0]).as_dict()
    assert advice["suggestion"] in ("rest", "cross_train")
    assert any(r["metric"] == "pain" and r["value"] >= 5 for r in advice["reasons"])
    assert advice["tips"]
