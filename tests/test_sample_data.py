"""The committed sample history: regenerates identically, imports cleanly, tells its story.

``story.json`` only says *which* weeks, files and dates to look at; every figure checked here
is computed from the imported activities and the pain journal.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import sample_data
from ingest.derive import haversine_m
from ingest.import_report import FileReport
from ingest.importer import import_items
from ingest.sources import expand
from ingest.store import Store
from sample_data.generate import DEFAULT_SEED, WELLNESS_EXPORT, generate

SAMPLE_DIR = Path(sample_data.__file__).parent
FILES_DIR = SAMPLE_DIR / "files"
STORY = json.loads((SAMPLE_DIR / "story.json").read_text())
PROFILE = json.loads((SAMPLE_DIR / "profile.json").read_text())
GENERATED_TEXTS = ("profile.json", "pain_journal.csv", "rpe.csv", "gear.json", "bodywork.csv",
                   "story.json")
MAX_TOTAL_BYTES = 5 * 2**20


def read_csv(name: str) -> list[dict[str, str]]:
    with open(SAMPLE_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Iterator[tuple[Store, list[FileReport]]]:
    """Every sample file imported into a fresh store set to the athlete's time zone."""
    store = Store(tmp_path_factory.mktemp("store"))
    store.set_time_zone(PROFILE["time_zone"])
    reports = list(import_items(expand([FILES_DIR]), store))
    yield store, reports
    store.close()


@pytest.fixture(scope="module")
def activities(imported) -> pl.DataFrame:
    """Imported summaries with the bare file name and the ISO week of the local date."""
    store, _ = imported
    return store.activities().with_columns(
        pl.col("source_file").map_elements(lambda p: Path(p).name, pl.String).alias("file"),
        pl.col("local_date").str.to_date().alias("day"),
    ).with_columns(pl.col("day").dt.strftime("%G-W%V").alias("iso_week"))


@pytest.fixture(scope="module")
def runs(activities) -> pl.DataFrame:
    return activities.filter(pl.col("sport") == "running")


def samples_of(imported, activities: pl.DataFrame, file: str) -> pl.DataFrame:
    store, _ = imported
    (activity_id,) = activities.filter(pl.col("file") == file)["id"].to_list()
    return store.samples(activity_id)


def week_info(week: int) -> dict:
    return STORY["weeks"][week - 1]


def weekly_longest(runs: pl.DataFrame) -> pl.DataFrame:
    """The longest run of each week."""
    return runs.sort("distance_m", descending=True).group_by("iso_week").first()


def decoupling_pct(samples: pl.DataFrame) -> float:
    """Pa:HR = 100 (EF1 - EF2) / EF1, EF = mean speed / mean HR of each half (moving samples)."""
    moving = samples.filter(pl.col("speed_m_s") >= 1.0)
    half = moving["elapsed_s"].max() / 2
    first = moving.filter(pl.col("elapsed_s") < half)
    second = moving.filter(pl.col("elapsed_s") >= half)
    ef1 = first["speed_m_s"].mean() / first["heart_rate_bpm"].mean()
    ef2 = second["speed_m_s"].mean() / second["heart_rate_bpm"].mean()
    return 100.0 * (ef1 - ef2) / ef1


def cadence_drop_pct(samples: pl.DataFrame, bin_m_s: float = 0.1, min_count: int = 30) -> float:
    """How much lower cadence is in the last third than in the first, at matched speed [%].

    Drops the first 10 minutes, stops (< 1 m/s) and walking (< 130 steps/min); compares the
    mean cadence of the first and last thirds (by elapsed time) within 0.1 m/s speed bins
    that hold >= 30 samples in both, weighted by the smaller count.
    """
    duration = samples["elapsed_s"].max()
    steady = samples.filter(
        (pl.col("elapsed_s") >= 600)
        & (pl.col("speed_m_s") >= 1.0)
        & (pl.col("cadence_spm") >= 130)
    ).with_columns((pl.col("speed_m_s") / bin_m_s).floor().alias("bin"))
    thirds = [
        steady.filter(condition).group_by("bin").agg(
            pl.col("cadence_spm").mean().alias("cadence"), pl.len().alias("n")
        )
        for condition in (
            pl.col("elapsed_s") < duration / 3,
            pl.col("elapsed_s") >= 2 * duration / 3,
        )
    ]
    both = thirds[0].join(thirds[1], on="bin", suffix="_last").filter(
        (pl.col("n") >= min_count) & (pl.col("n_last") >= min_count)
    )
    assert both.height >= 3, "too few speed bins shared by the first and last third"
    weight = np.minimum(both["n"].to_numpy(), both["n_last"].to_numpy())
    drop = 100.0 * (1.0 - both["cadence_last"].to_numpy() / both["cadence"].to_numpy())
    return float(np.average(drop, weights=weight))


# -- the files ----------------------------------------------------------------------------------
def test_generator_reproduces_the_committed_files(tmp_path):
    generate(tmp_path, DEFAULT_SEED)
    committed = sorted(p.name for p in FILES_DIR.iterdir())
    regenerated = sorted(p.name for p in (tmp_path / "files").iterdir())
    assert regenerated == committed
    for name in committed:
        ours = gzip.decompress((FILES_DIR / name).read_bytes())
        assert gzip.decompress((tmp_path / "files" / name).read_bytes()) == ours, name
    for name in GENERATED_TEXTS:
        assert (tmp_path / name).read_bytes() == (SAMPLE_DIR / name).read_bytes(), name
    with zipfile.ZipFile(tmp_path / WELLNESS_EXPORT) as ours, \
            zipfile.ZipFile(SAMPLE_DIR / WELLNESS_EXPORT) as committed_zip:
        assert ours.namelist() == committed_zip.namelist()
        for name in ours.namelist():
            assert ours.read(name) == committed_zip.read(name), name


def test_files_are_gzip_without_name_or_time_and_fit_the_size_budget():
    total = 0
    for path in FILES_DIR.iterdir():
        head = path.read_bytes()[:10]
        assert head[:3] == b"\x1f\x8b\x08" and head[3] == 0, path.name  # no FNAME flag
        assert int.from_bytes(head[4:8], "little") == 0, path.name  # mtime 0
        total += path.stat().st_size
    total += sum(p.stat().st_size for p in SAMPLE_DIR.glob("*.csv"))
    total += sum(p.stat().st_size for p in SAMPLE_DIR.glob("*.json"))
    total += sum(p.stat().st_size for p in SAMPLE_DIR.glob("*.md"))
    total += sum(p.stat().st_size for p in SAMPLE_DIR.glob("*.zip"))
    assert total <= MAX_TOTAL_BYTES


def test_every_file_imports_without_rejection_or_unexpected_warning(imported):
    _, reports = imported
    assert len(reports) == len(list(FILES_DIR.iterdir()))
    for report in reports:
        name = Path(report.file).name
        assert (report.status, report.activities, report.reason) == ("imported", 1, None), name
        assert report.warnings == STORY["expected_warnings"].get(name, []), name


def test_activities_are_recorded_like_a_watch_and_a_phone(activities, runs):
    fit_runs = runs.filter(pl.col("format") == "fit")
    assert set(fit_runs["local_offset_s"].to_list()) == {7200}  # CEST, from the watch
    assert (fit_runs["timer_time_s"] < fit_runs["duration_s"]).all()  # one pause each
    assert fit_runs["signals"].str.contains("heart_rate").all()
    phone = runs.filter(pl.col("format") == "gpx")
    assert sorted(phone["file"]) == STORY["phone_runs"]
    assert phone["local_offset_s"].is_null().all()
    no_hr = phone.filter(~pl.col("signals").str.contains("heart_rate"))
    assert sorted(no_hr["file"]) == STORY["phone_runs_without_heart_rate"] != []
    treadmill = runs.filter(pl.col("sub_sport") == "treadmill")
    assert sorted(treadmill["file"]) == STORY["treadmill_runs"] != []
    assert not treadmill["signals"].str.contains("gps").any()
    kinds = set(zip(activities["sport"], activities["sub_sport"], strict=True))
    assert {("swimming", "lap_swimming"), ("cycling", "road"), ("training", "yoga"),
            ("training", "strength_training")} <= kinds


def test_watch_runs_have_a_lap_per_kilometre(imported, runs):
    store, _ = imported
    for row in runs.filter(pl.col("format") == "fit").iter_rows(named=True):
        laps = store.laps(row["id"])
        assert laps.height == int(np.ceil(row["distance_m"] / 1000.0)), row["file"]
        assert laps["distance_m"][:-1].to_numpy() == pytest.approx(1000.0, abs=5.0)


def test_gps_wanders_a_few_metres_around_the_watch_distance(imported, activities, runs):
    outdoor = runs.filter((pl.col("format") == "fit") & pl.col("signals").str.contains("gps"))
    for file in outdoor["file"][:10]:
        samples = samples_of(imported, activities, file)
        lat, lon = samples["lat_deg"].to_numpy(), samples["lon_deg"].to_numpy()
        path = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:]).sum()
        assert path == pytest.approx(samples["distance_m"][-1], rel=0.03), file
        # a loop from home: it ends where it started, give or take the GPS error
        assert haversine_m(lat[0], lon[0], lat[-1], lon[-1]) < 25.0, file


# -- physiology ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def base_runs(imported, activities, runs) -> list[pl.DataFrame]:
    """Samples of the watch runs of the base weeks (1-8)."""
    weeks = {w["iso_week"] for w in STORY["weeks"] if w["phase"] == "base"}
    files = runs.filter(pl.col("iso_week").is_in(weeks) & (pl.col("format") == "fit"))["file"]
    return [samples_of(imported, activities, file) for file in files]


def speed_steps(samples: pl.DataFrame, low: float = 3.0, high: float = 3.3) -> list[int]:
    """Sample indices where the runner speeds up for a tempo repetition.

    A step is where the mean speed of the previous minute is below ``low`` and that of the
    next minute above ``high`` [m/s]; the centre of each such stretch is returned.
    """
    speed = samples["speed_m_s"].to_numpy()
    window = np.ones(60) / 60
    mean = np.convolve(speed, window, mode="valid")  # mean[j] = mean(speed[j:j+60])
    i = np.arange(60, speed.size - 60)
    step = (mean[i - 60] < low) & (mean[i] > high)
    stretches = np.split(i[step], np.flatnonzero(np.diff(i[step]) > 1) + 1)
    return [int(s.mean()) for s in stretches if s.size]


def test_heart_rate_follows_pace_with_a_lag(base_runs):
    """Averaged over the tempo repetitions, heart rate reaches half its rise 10-60 s late."""
    responses = [
        samples["heart_rate_bpm"].to_numpy()[i - 30 : i + 240]
        for samples in base_runs
        for i in speed_steps(samples)
        if 30 <= i < samples.height - 240
    ]
    assert len(responses) >= 8
    hr = np.mean(responses, axis=0)  # hr[30] is the moment of the speed step
    before, after = hr[20:30].mean(), hr[210:240].mean()
    assert after - before > 15.0
    half_rise_s = int(np.argmax(hr[30:] >= (before + after) / 2))
    assert 10 <= half_rise_s <= 60


def test_cadence_rises_with_speed(base_runs):
    running = pl.concat(base_runs).filter(pl.col("speed_m_s") > 2.2)
    slope = np.polyfit(running["speed_m_s"], running["cadence_spm"], 1)[0]
    assert 6.0 < slope < 16.0  # steps/min per m/s
    assert 150 < running["cadence_spm"].median() < 185  # steps, not strides


# -- the story ----------------------------------------------------------------------------------
def test_spike_week_distance_is_up_at_least_35_percent(runs):
    weekly = runs.group_by("iso_week").agg(pl.col("distance_m").sum())
    km = dict(zip(weekly["iso_week"], weekly["distance_m"], strict=True))
    spike = STORY["spike_week"]
    ratio = km[week_info(spike)["iso_week"]] / km[week_info(spike - 1)["iso_week"]]
    assert ratio >= 1.35


def test_spike_long_run_exceeds_the_30_day_longest_by_25_percent(runs):
    spike = runs.filter(pl.col("file") == STORY["spike_long_run"]).row(0, named=True)
    before = runs.filter(
        (pl.col("day") < spike["day"]) & (pl.col("day") >= spike["day"] - dt.timedelta(days=30))
    )
    assert spike["distance_m"] / before["distance_m"].max() >= 1.25
    assert spike["iso_week"] == week_info(STORY["spike_week"])["iso_week"]


def test_cadence_fades_and_heart_rate_decouples_only_on_the_marked_long_runs(
    imported, activities, runs
):
    marked = STORY["marked_long_runs"]
    for file in marked:
        samples = samples_of(imported, activities, file)
        assert cadence_drop_pct(samples) >= 3.0, file
        assert decoupling_pct(samples) > 5.0, file
    others = weekly_longest(runs).filter(
        ~pl.col("file").is_in(marked) & (pl.col("format") == "fit") & (pl.col("duration_s") > 3600)
    )
    assert others.height >= 10
    for file in others["file"]:
        samples = samples_of(imported, activities, file)
        assert cadence_drop_pct(samples) < 1.5, file
        assert 0.0 < decoupling_pct(samples) < 5.0, file


def test_pain_rises_to_its_peak_after_the_spike_and_settles(runs):
    journal = read_csv("pain_journal.csv")
    assert len({row["date"] for row in journal}) > 60
    assert {row["area"] for row in journal} == {STORY["pain_area"]}
    level = {row["date"]: int(row["level"]) for row in journal}
    spike_day = runs.filter(pl.col("file") == STORY["spike_long_run"])["day"][0]
    peak = max(level.values())
    assert peak >= 5
    assert sorted(d for d, v in level.items() if v == peak) == STORY["peak_pain_dates"]
    for date in STORY["peak_pain_dates"]:
        assert 0 < (dt.date.fromisoformat(date) - spike_day).days <= 7
    assert level[spike_day.isoformat()] <= 2
    before = [v for d, v in level.items() if d < week_info(STORY["spike_week"])["monday"]]
    assert max(before) <= 2
    during = sorted(row["date"] for row in journal if row["during_run"] == "true")
    assert during == STORY["pain_during_run_dates"]
    assert set(during) <= {d.isoformat() for d in runs["day"]}
    rebuilt = min(w["monday"] for w in STORY["weeks"] if w["phase"] == "rebuilt_base")
    last_weeks = [v for d, v in level.items() if d >= rebuilt]
    assert last_weeks and max(last_weeks) <= 1


def test_pain_is_higher_the_day_after_a_long_run_before_the_spike(runs):
    """The weak load-pain association the journal is meant to let the analytics estimate."""
    daily = runs.group_by("day").agg(pl.col("distance_m").sum())
    metres = dict(zip(daily["day"], daily["distance_m"], strict=True))
    spike_monday = dt.date.fromisoformat(week_info(STORY["spike_week"])["monday"])
    after_long, other = [], []
    for row in read_csv("pain_journal.csv"):
        day = dt.date.fromisoformat(row["date"])
        if day < spike_monday:
            long_before = metres.get(day - dt.timedelta(days=1), 0.0) >= 10_000
            (after_long if long_before else other).append(int(row["level"]))
    assert len(after_long) >= 8 and len(other) >= 30
    assert np.mean(after_long) >= np.mean(other) + 0.3


def test_cross_training_week_has_swims_rides_and_yoga_but_no_run(activities):
    week = activities.filter(
        pl.col("iso_week") == week_info(STORY["cross_training_week"])["iso_week"]
    )
    assert set(week["sport"]) == {"swimming", "cycling", "training"}
    assert "yoga" in set(week["sub_sport"])
    for return_week in STORY["return_weeks"]:
        iso_week = week_info(return_week)["iso_week"]
        assert (activities.filter(pl.col("iso_week") == iso_week)["sport"] == "running").any()


def test_most_runs_have_a_session_rpe(runs, activities):
    rpe = {row["file"]: int(row["rpe"]) for row in read_csv("rpe.csv")}
    assert set(rpe) <= set(activities["file"])
    assert all(1 <= value <= 10 for value in rpe.values())
    rated = sum(file in rpe for file in runs["file"])
    assert rated >= 0.75 * runs.height
    assert rpe[STORY["spike_long_run"]] > np.median(list(rpe.values()))
