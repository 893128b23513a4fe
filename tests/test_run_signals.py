"""Warm-up and cool-down, breathing and running dynamics, from FIT files written by Garmin's
encoder through the real import and store to ``strideload activities --format json``
(docs/methods.md sections 11.1-11.3)."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from click.testing import CliRunner
from fitfiles import run_fit, varied_run_fit

from analytics.activity_metrics import METRICS_VERSION, compute_activity_metrics
from analytics.run_signals import within_run_change
from analytics.samples import to_grid
from dashboard import service
from dashboard.cli import main
from ingest.fit import fast_decoder, fitparse_decoder, read_fit
from ingest.store import Store

START = dt.datetime(2026, 5, 4, 6, 0, tzinfo=dt.UTC)
JOG, TEMPO = 2.6, 3.9


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def listed(data: Path) -> dict[str, dict]:
    """``strideload activities --format json`` by file name."""
    result = invoke("activities", "--format", "json", "--data-dir", data)
    assert result.exit_code == 0, result.output
    return {Path(row["source_file"]).name: row for row in json.loads(result.stdout)}


def wobble(n: int, seed: int, size: float = 0.05) -> np.ndarray:
    """Slow pace fluctuations [m/s], as on a real run."""
    rng = np.random.default_rng(seed)
    return size * np.convolve(rng.normal(size=n + 59), np.ones(60) / np.sqrt(60), "valid")


def lagged(target: np.ndarray, tau_s: float = 25.0) -> np.ndarray:
    """First-order response at 1 Hz (breathing follows effort with a lag)."""
    out, value = np.empty_like(target), target[0]
    for i, x in enumerate(target):
        value += (x - value) / tau_s
        out[i] = value
    return out


def tempo_with_jog() -> list[float]:
    """10 min jogging, 25 min at tempo pace, 5 min jogging."""
    speeds = np.r_[np.full(600, JOG), np.full(1500, TEMPO), np.full(300, JOG)]
    return (speeds + wobble(speeds.size, 1)).tolist()


def intervals() -> tuple[list[float], list[dict]]:
    """20 min jog, 8 x (2 min hard, 2 min jog), 5 min jog; breathing follows the effort with
    a lag of a minute and never tires."""
    hard = np.r_[np.full(120, 5.0), np.full(120, JOG)]
    speeds = np.r_[np.full(1200, JOG), np.tile(hard, 8), np.full(300, JOG)]
    speeds = speeds + wobble(speeds.size, 2, 0.03)
    breathing = lagged(8.0 + 7.0 * speeds, 60.0)
    return speeds.tolist(), [{"enhanced_respiration_rate": round(b, 2)} for b in breathing]


#: The even tiring run: 50 min, its signals rising 18 % from start to end.
TIRING_S, TIRING_RISE = 3000, 0.18


def thirds_rise() -> float:
    """The rise [%] from the first to the last third of the minutes after the first 10 (the
    middle of each third), for a signal rising linearly :data:`TIRING_RISE` over the run."""
    minutes = (TIRING_S - 600) / 60

    def at(t_min: float) -> float:
        return 1.0 + TIRING_RISE * t_min * 60 / TIRING_S

    first, last = 10 + minutes / 6, 10 + 5 * minutes / 6
    return 100.0 * (at(last) / at(first) - 1.0)


def steady_tiring() -> tuple[list[float], list[dict]]:
    """50 min at an even pace; breathing, ground contact time and vertical oscillation
    (running dynamics from a strap) rise steadily with fatigue."""
    n = TIRING_S
    speeds = np.full(n, 3.0) + wobble(n, 3, 0.02)
    tired = 1.0 + TIRING_RISE * np.arange(n) / n
    extra = [{"enhanced_respiration_rate": round(30.0 * t, 2), "stance_time": round(250.0 * t),
              "vertical_oscillation": round(80.0 * t, 1), "stance_time_balance": 50.8,
              "step_length": 1080.0} for t in tired]
    return speeds.tolist(), extra


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("files")
    files = {"tempo.fit": varied_run_fit(START, tempo_with_jog())}
    speeds, extra = intervals()
    files["intervals.fit"] = varied_run_fit(START + dt.timedelta(days=1), speeds, extra=extra)
    speeds, extra = steady_tiring()
    files["steady.fit"] = varied_run_fit(START + dt.timedelta(days=2), speeds, extra=extra)
    # a 12-minute walk ending 10 minutes before an even run that starts at its pace
    walk_start = START + dt.timedelta(days=3)
    files["walk.fit"] = run_fit(walk_start, seconds=721, sport="walking", speed=1.4)
    files["after_walk.fit"] = run_fit(walk_start + dt.timedelta(minutes=22), seconds=1800,
                                      speed=3.0)
    files["alone.fit"] = run_fit(START + dt.timedelta(days=4), seconds=1800, speed=3.0)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    data_dir = tmp_path_factory.mktemp("store")
    result = invoke("import", folder, "--data-dir", data_dir, "--jobs", "1")
    assert result.exit_code == 0, result.output
    return data_dir


def test_a_run_with_a_10_minute_jog_before_the_tempo_part_has_a_warm_up(store_dir):
    tempo = listed(store_dir)["tempo.fit"]
    assert tempo["warmup_s"] == pytest.approx(600, abs=30)
    assert tempo["cooldown_s"] == pytest.approx(300, abs=30)


def test_an_even_run_has_no_warm_up_but_an_easy_walk_just_before_counts(store_dir):
    rows = listed(store_dir)
    assert rows["alone.fit"]["warmup_s"] == 0 and rows["alone.fit"]["cooldown_s"] == 0
    assert rows["after_walk.fit"]["warmup_s"] == pytest.approx(720, abs=2)
    assert rows["walk.fit"]["warmup_s"] is None  # a walk is not judged


def test_an_interval_session_is_unclassified_and_does_not_fake_a_breathing_drift(store_dir):
    row = listed(store_dir)["intervals.fit"]
    assert row["warmup_s"] is None and row["cooldown_s"] is None  # not "no warm-up"
    assert row["respiration_brpm"] == pytest.approx(8.0 + 7.0 * 3.3, abs=3.0)
    assert row["respiration_drift_pct"] is None
    # what a matched-speed comparison would have claimed on these intervals: a large rise,
    # from the jogs right after the hard repeats (breathing still high) in the last third
    # against the calm warm-up jog in the first
    with Store(store_dir) as store:
        activity_id = store.activities().filter(
            pl.col("source_file").str.ends_with("intervals.fit"))["id"][0]
        samples = store.samples(activity_id)
    g = to_grid(samples, extra_columns=("respiration_brpm",))
    steady = np.isfinite(g["speed_m_s"]) & (g["t"] >= 600)
    naive = within_run_change(g["t"], g["respiration_brpm"], g["speed_m_s"], steady)
    assert naive is not None and naive > 5.0


def test_breathing_and_dynamics_rise_at_matched_speed_on_an_even_tiring_run(store_dir):
    row = listed(store_dir)["steady.fit"]
    assert row["respiration_drift_pct"] == pytest.approx(thirds_rise(), abs=1.0)
    assert row["respiration_brpm"] == pytest.approx(30.0 * 1.09, abs=0.5)
    assert row["ground_contact_ms"] == pytest.approx(250.0 * 1.09, abs=2.0)
    assert row["vertical_oscillation_mm"] == pytest.approx(80.0 * 1.09, abs=1.0)
    assert row["stride_length_m"] == pytest.approx(1.08)
    with Store(store_dir) as store:
        quality = service.activities_with_metrics(store).filter(
            pl.col("source_file").str.ends_with("steady.fit")).row(0, named=True)
    assert quality["ground_contact_balance_pct"] == pytest.approx(50.8)
    assert quality["ground_contact_change_pct"] == pytest.approx(thirds_rise(), abs=1.0)
    assert quality["vertical_oscillation_change_pct"] == pytest.approx(thirds_rise(), abs=1.0)


def test_signals_not_recorded_are_null_never_zero(store_dir):
    row = listed(store_dir)["alone.fit"]
    for name in ("respiration_brpm", "respiration_drift_pct", "vertical_oscillation_mm",
                 "ground_contact_ms", "stride_length_m"):
        assert row[name] is None, name


@pytest.mark.parametrize("field", ["respiration_rate", "enhanced_respiration_rate"])
def test_both_respiration_fields_reach_the_samples_with_either_decoder(field):
    speeds = [3.0] * 120
    extra = [{field: 24 + (i % 3)} for i in range(120)]
    data = varied_run_fit(START, speeds, extra=extra)
    for decoder in (fast_decoder.decode, fitparse_decoder.decode):
        samples = read_fit(data, decoder)[0].samples
        assert samples["respiration_brpm"].to_list() == [24.0 + (i % 3) for i in range(120)]


def test_metrics_of_an_older_version_are_recomputed_and_old_samples_read_as_not_recorded(
        tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "tempo.fit").write_bytes(varied_run_fit(START, tempo_with_jog()))
    assert invoke("import", folder, "--data-dir", tmp_path / "d").exit_code == 0
    with Store(tmp_path / "d") as store:
        activity_id = int(store.activities()["id"][0])
        path = store.samples_path(activity_id)
        # a store written before this version: no respiration column, metrics of version 1
        pl.read_parquet(path).drop("respiration_brpm", "stance_time_balance_pct").write_parquet(
            path)
        old = compute_activity_metrics(store.samples(activity_id), "running")
        store.set_metrics(activity_id, METRICS_VERSION - 1,
                          {k: v for k, v in old.items() if not k.startswith("warmup")})
        samples = store.samples(activity_id)
        assert samples["respiration_brpm"].null_count() == samples.height
        assert store.without_metrics(METRICS_VERSION) == [(activity_id, "running")]
        acts = service.activities_with_metrics(store)
        assert acts["metrics_version"][0] == METRICS_VERSION
        assert acts["warmup_s"][0] == pytest.approx(600, abs=30)


@pytest.mark.skipif(not os.environ.get("STRIDELOAD_CORPUS"), reason="needs STRIDELOAD_CORPUS")
@pytest.mark.parametrize("name", ["fitparsers__hrv-activity.fit",
                                  "garminpysdk__HrmPluginTestActivity.fit",
                                  "garminpysdk__WithGearChangeData.fit"])
def test_real_recordings_carry_their_respiration_rate(name):
    from garmin_fit_sdk import Decoder, Stream

    path = Path(os.environ["STRIDELOAD_CORPUS"]) / "fit" / name
    messages, _ = Decoder(Stream.from_file(str(path))).read()
    expected = [r["enhanced_respiration_rate"] for r in messages["record_mesgs"]
                if r.get("enhanced_respiration_rate") is not None]
    samples = read_fit(path.read_bytes())[0].samples
    got = samples["respiration_brpm"].drop_nulls()
    assert got.len() == len(expected)
    assert got.mean() == pytest.approx(float(np.mean(expected)), rel=1e-6)


@pytest.mark.skipif(not os.environ.get("STRIDELOAD_CORPUS"), reason="needs STRIDELOAD_CORPUS")
def test_a_real_run_with_running_dynamics_has_them_per_run():
    path = Path(os.environ["STRIDELOAD_CORPUS"]) / "fit" / "fitparse__activity-small-fenix2-run.fit"
    activity = read_fit(path.read_bytes())[0]
    metrics = compute_activity_metrics(activity.samples, activity.summary.sport)
    samples = activity.samples.filter(pl.col("speed_m_s") >= 1.0)
    assert metrics["vertical_oscillation_mm"] == pytest.approx(
        samples["vertical_oscillation_mm"].mean(), rel=0.05)
    assert 150 < metrics["ground_contact_ms"] < 350
    assert metrics["signal_bands"] and metrics["respiration_brpm"] is None
