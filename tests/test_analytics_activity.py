"""Per-activity metrics from samples: 1 Hz grid, HR artefacts, histogram, drift, Pa:HR, bands."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analytics import activity_metrics as am
from analytics import cadence, decoupling, samples
from ingest.schema import samples_frame

START_MS = int(dt.datetime(2024, 5, 1, 6, tzinfo=dt.UTC).timestamp() * 1000)


def run_samples(seconds: int, **columns: np.ndarray) -> pl.DataFrame:
    """A 1 Hz recording of ``seconds`` samples with the given signal arrays."""
    ts = START_MS + 1000 * np.arange(seconds)
    return samples_frame({"timestamp": ts, **columns})


# --- 1 Hz grid and heart-rate artefacts -----------------------------------------------------

def test_fill_short_gaps() -> None:
    values = np.array([1.0, np.nan, 3.0, np.nan, np.nan, np.nan, 7.0, np.nan])
    # 1 -> 3 are 2 s apart (bridged); 3 -> 7 are 4 s apart (a pause); nothing after the end
    out = samples.fill_short_gaps(values, 2)
    np.testing.assert_array_equal(out, [1, 1, 3, np.nan, np.nan, np.nan, 7, np.nan])
    # a short gap late in the series is bridged too (its length counts, not its place)
    late = samples.fill_short_gaps(np.array([1.0, 2, 3, 4, 5, np.nan, 7]), 2)
    np.testing.assert_array_equal(late, [1, 2, 3, 4, 5, 5, 7])
    assert np.isnan(samples.fill_short_gaps(np.full(3, np.nan), 2)).all()


def test_filter_hr_range_and_spikes() -> None:
    hr = np.array([140.0, 141, 142, 200, 143, 144, 20, 231, 145, np.nan])
    out = samples.filter_hr(hr)
    # 200 is 57 bpm above the 9-sample median (143); 20 and 231 are outside 30..230
    np.testing.assert_array_equal(out, [140, 141, 142, np.nan, 143, 144, np.nan, np.nan, 145,
                                        np.nan])
    assert np.isnan(samples.filter_hr(np.full(4, np.nan))).all()


def test_filter_hr_bounds_are_inclusive() -> None:
    # exactly 25 bpm from the median of its 9 neighbours is kept, 26 bpm is a spike
    kept = samples.filter_hr(np.array([140.0] * 4 + [165.0] + [140.0] * 4))
    assert kept[4] == 165
    dropped = samples.filter_hr(np.array([140.0] * 4 + [166.0] + [140.0] * 4))
    assert np.isnan(dropped[4]) and np.isfinite(np.delete(dropped, 4)).all()
    # the range 30..230 includes its ends (a run at 30 bpm is an artefact filter's edge case)
    edges = samples.filter_hr(np.array([30.0, 30.0, 30.0]), spike_bpm=300)
    assert (edges == 30).all()
    top = samples.filter_hr(np.array([230.0, 230.0, 230.0]))
    assert (top == 230).all()
    # a narrower window: the median of 3 samples
    assert np.isnan(samples.filter_hr(np.array([140.0, 190.0, 140.0]), window=3)[1])


def test_to_grid_places_and_averages_samples() -> None:
    # samples at 0, 0.4 (same second: averaged), 3 and 20 s; gap 0 -> 3 bridged, 3 -> 20 not
    ts = START_MS + np.array([0, 400, 3000, 20000])
    frame = samples_frame({"timestamp": ts, "speed_m_s": [2.0, 4.0, 5.0, 6.0]})
    grid = samples.to_grid(frame, max_gap_s=10)
    assert grid["t"].size == 21
    np.testing.assert_array_equal(grid["speed_m_s"][:5], [3, 3, 3, 5, np.nan])
    assert grid["speed_m_s"][20] == 6 and np.isnan(grid["speed_m_s"][4:20]).all()
    assert np.isnan(grid["heart_rate_bpm"]).all()
    assert samples.to_grid(samples_frame())["t"].size == 0


def test_to_grid_cleans_heart_rate_with_the_filter_settings() -> None:
    ts = START_MS + 1000 * np.arange(9)
    hr = [140.0, 141, 142, 200, 143, 144, 150, 160, 145]
    grid = samples.to_grid(samples_frame({"timestamp": ts, "heart_rate_bpm": hr}), max_gap_s=0)
    # 200 is a spike (57 bpm above the median of its neighbours); the rest is kept
    np.testing.assert_array_equal(grid["heart_rate_bpm"],
                                  [140, 141, 142, np.nan, 143, 144, 150, 160, 145])
    strict = samples.to_grid(samples_frame({"timestamp": ts, "heart_rate_bpm": hr}),
                             max_gap_s=0, hr_max_bpm=155.0, spike_bpm=100.0)
    np.testing.assert_array_equal(strict["heart_rate_bpm"],
                                  [140, 141, 142, np.nan, 143, 144, 150, np.nan, 145])
    # other signals are not filtered as heart rate: a speed of 200 stays
    speed = samples.to_grid(samples_frame({"timestamp": ts, "speed_m_s": hr}), max_gap_s=0)
    assert speed["speed_m_s"][3] == 200
    # one sample is one second of grid
    one = samples.to_grid(samples_frame({"timestamp": ts[:1], "speed_m_s": [3.0]}))
    assert one["t"].tolist() == [0.0] and one["speed_m_s"].tolist() == [3.0]


def test_to_grid_uses_elapsed_without_timestamps() -> None:
    frame = samples_frame({"elapsed_s": [10.0, 11.0, 12.0], "speed_m_s": [1.0, 2.0, 3.0]})
    grid = samples.to_grid(frame)
    np.testing.assert_array_equal(grid["t"], [0, 1, 2])


def test_grade_and_grade_adjusted_speed() -> None:
    n = 100
    distance = 3.0 * np.arange(n)
    altitude = 100 + 0.3 * np.arange(n)  # 0.3 m per 3 m = 10 %
    g = samples.grade(altitude, distance, half_window_s=15, min_distance_m=10)
    assert np.isnan(g[:15]).all() and np.isnan(g[-15:]).all()
    np.testing.assert_allclose(g[15:-15], 0.1)
    # standing still: no distance in the window -> no grade
    assert np.isnan(samples.grade(altitude, np.zeros(n))).all()
    # the shortest series with a grade: 2w + 1 samples give one, at the centre
    short = samples.grade(altitude[:31], distance[:31], half_window_s=15, min_distance_m=10)
    assert np.isnan(np.delete(short, 15)).all() and short[15] == pytest.approx(0.1)
    assert np.isnan(samples.grade(altitude[:30], distance[:30], half_window_s=15)).all()
    assert np.isnan(samples.grade(altitude[:20], distance[:20], half_window_s=15)).all()
    # a window of exactly min_distance_m has a grade; a shorter one has none
    assert samples.grade(altitude, distance, half_window_s=1, min_distance_m=6.0)[1] == \
        pytest.approx(0.1)
    assert np.isnan(samples.grade(altitude, distance, half_window_s=1, min_distance_m=6.01)[1])
    # Minetti 2002: Cr(0) = 3.6; Cr(0.1) = 155.4e-5 - 30.4e-4 - 43.3e-3 + 46.3e-2 + 1.95 + 3.6
    #             = 5.968214 J/(kg m)
    assert samples.minetti_cost(np.array([0.0]))[0] == pytest.approx(3.6)
    assert samples.minetti_cost(np.array([0.1]))[0] == pytest.approx(5.968214)
    # beyond the measured range (-0.45..0.45) the cost stays at the range's end
    ends = samples.minetti_cost(np.array([-0.45, -0.8, 0.45, 0.8]))
    assert ends[1] == ends[0] and ends[3] == ends[2] and ends[0] != ends[2]
    gas = samples.grade_adjusted_speed(np.array([3.0]), np.array([0.1]))
    assert gas[0] == pytest.approx(3.0 * 5.968214 / 3.6)


# --- heart-rate metrics ---------------------------------------------------------------------

def test_hr_histogram_and_max_smoothed_hr() -> None:
    hr = np.array([150.0] * 10 + [180.4] * 5 + [np.nan] * 3 + [229.6, 231.0])
    hist = am.hr_histogram(hr)
    assert hist.size == 201
    # 150 -> bin 120 (10 s); 180.4 rounds to 180 -> bin 150 (5 s); 229.6 -> 230 -> bin 200;
    # 231 is outside 30..230
    assert (hist[120], hist[150], hist[200], hist.sum()) == (10.0, 5.0, 1.0, 16.0)
    # best complete 5-s window: the five samples at 180.4
    assert am.max_smoothed_hr(hr) == pytest.approx(180.4)
    assert am.max_smoothed_hr(np.array([150.0, np.nan, 150, 150, 150])) is None
    assert am.max_smoothed_hr(np.array([150.0])) is None


def test_normalized_speed() -> None:
    moving = np.ones(120, dtype=bool)
    assert am.normalized_speed(np.full(120, 3.0), moving) == pytest.approx(3.0)
    # 60 s at 2 m/s then 60 s at 4 m/s: 30-s means are 2 (31 windows), 4 (31 windows) and
    # 2 + 2k/30 for k = 1..29 across the switch (29 windows); NGS = mean(m^4)^(1/4)
    v = np.r_[np.full(60, 2.0), np.full(60, 4.0)]
    means = np.r_[np.full(31, 2.0), 2 + 2 * np.arange(1, 30) / 30, np.full(31, 4.0)]
    assert am.normalized_speed(v, moving) == pytest.approx(np.mean(means**4) ** 0.25)
    assert am.normalized_speed(v[:29], moving[:29]) is None


# --- cadence drift ----------------------------------------------------------------------------

def drift_run(minutes: int = 70) -> dict[str, np.ndarray]:
    """Speed alternating 2.8 / 3.2 m/s by minute; cadence = 170 + 4 t[h] + 10 (v - 3)."""
    t = np.arange(minutes * 60, dtype=np.float64)
    speed = np.where((t // 60) % 2 == 0, 2.8, 3.2)
    cad = 170 + 4 * t / 3600 + 10 * (speed - 3.0)
    return {"t": t, "speed": speed, "cadence": cad}


def test_fit_drift_recovers_slope() -> None:
    t = np.array([0.25, 0.5, 0.75, 1.0])
    b1, pct = cadence.fit_drift(t, 170 + 4 * t, np.full(4, 3.0))
    assert b1 == pytest.approx(4.0) and pct == pytest.approx(400 / 170)
    # with speed and grade terms: c = 170 + 4 t + 10 (v - 3) - 50 g
    t = np.array([0.25, 0.5, 0.75, 1.0, 1.25, 1.5])
    v = np.array([3.0, 3.1, 2.9, 3.0, 3.2, 2.8])
    g = np.array([0.0, 0.02, -0.01, 0.01, 0.0, -0.02])
    b1, _ = cadence.fit_drift(t, 170 + 4 * t + 10 * (v - 3) - 50 * g, v, g)
    assert b1 == pytest.approx(4.0)


def test_cadence_drift_speed_adjusted() -> None:
    run = drift_run()
    drift = cadence.cadence_drift(run["t"], run["cadence"], run["speed"],
                                  np.full(run["t"].size, np.nan))
    # minutes 10..69 are steady (60 minutes); the model is exact, so b1 = 4 spm/h. Minute
    # medians sit at t = 60 m + 29.5 s but are fitted at 60 m + 30 s, so b0 = 170 - 4 * 0.5/3600
    assert drift.minutes == 60 and drift.note is None
    assert drift.spm_per_h == pytest.approx(4.0)
    assert drift.pct_per_h == pytest.approx(100 * 4 / (170 - 2 / 3600))
    assert drift.excluded_s == {"warmup": 600, "stopped": 0, "walking": 0, "steep": 0}
    # Thirds: minutes 10-29 vs 50-69. The 2.8 bin (even minutes) has median minutes 19 and 59,
    # the 3.2 bin (odd) 20 and 60: both 40 min apart -> 4 * 40/60 = 2.6667 spm. First-third
    # cadences: 168 + 4 (19*60 + 29.5)/3600 = 169.299444, 172 + 4 (20*60 + 29.5)/3600 =
    # 173.366111; mean 171.332778 -> 2.666667 / 171.332778 = 1.556424 %
    assert drift.thirds_spm == pytest.approx(4 * 40 / 60)
    first = (168 + 4 * (19 * 60 + 29.5) / 3600 + 172 + 4 * (20 * 60 + 29.5) / 3600) / 2
    assert drift.thirds_pct == pytest.approx(100 * (4 * 40 / 60) / first)


def test_cadence_drift_exclusions() -> None:
    run = drift_run(60)
    t, speed, cad = run["t"], run["speed"].copy(), run["cadence"].copy()
    speed[(t >= 1200) & (t < 1260)] = 0.5  # a 60-s stop
    cad[(t >= 1800) & (t < 1860)] = 120.0  # 60 s of walking
    altitude = 100 + 0.25 * np.clip(t - 2400, 0, 60)  # 60 s climbing 0.25 m/s at 3 m/s
    gradient = samples.grade(altitude, 3.0 * t)
    mask, excluded = cadence.steady_mask(t, cad, speed, gradient)
    # The +-15 s window spans 90 m; grade > 3 % needs > 2.7 m, i.e. >= 11 s of the climb
    # inside the window: t in 2396..2464 = 69 s
    assert excluded == {"warmup": 600, "stopped": 60, "walking": 60, "steep": 69}
    assert mask.sum() == 3600 - 600 - 60 - 60 - 69
    drift = cadence.cadence_drift(t, cad, speed, gradient)
    assert drift.excluded_s == excluded
    # minutes 20, 30 and 40 keep < 30 s or none; 50 - 3 = 47 minutes remain, slope still ~4
    assert drift.minutes == 47
    assert drift.spm_per_h == pytest.approx(4.0, abs=0.02)


def test_cadence_drift_needs_30_steady_minutes() -> None:
    run = drift_run(39)  # 29 minutes after the warm-up
    drift = cadence.cadence_drift(run["t"], run["cadence"], run["speed"],
                                  np.full(run["t"].size, np.nan))
    assert drift.spm_per_h is None and drift.minutes == 29
    assert drift.note == "29 steady minutes, 30 needed"


def test_speed_band_cadence() -> None:
    cad = np.array([170.0] * 70 + [180.0] * 61 + [160.0] * 10)
    speed = np.array([2.9] * 70 + [3.3] * 61 + [2.0] * 10)
    bands = cadence.speed_band_cadence(cad, speed, np.ones(cad.size, dtype=bool))
    # 2.9 -> band 2.75, 3.3 -> band 3.25; the 10 s at 2.0 are below 60 s and dropped
    assert bands == [{"speed_band_m_s": 2.75, "cadence_spm": 170.0, "seconds": 70.0},
                     {"speed_band_m_s": 3.25, "cadence_spm": 180.0, "seconds": 61.0}]
    assert cadence.speed_band_cadence(cad, speed, np.zeros(cad.size, dtype=bool)) == []


def test_cadence_deviation_against_baseline() -> None:
    day = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)

    def band(c: float, speed: float = 3.0) -> dict[str, float]:
        return {"speed_band_m_s": speed, "cadence_spm": c, "seconds": 600.0}

    runs = pl.DataFrame({
        "id": [1, 2, 3, 4, 5, 6],
        "start_time": [day + dt.timedelta(days=d) for d in (0, 7, 14, 21, 70, 71)],
        "cadence_bands": [[band(170)], [band(172)], [band(174)],
                          [band(166), band(160, 2.75)], [band(171)], []],
    })
    for frame in (runs, runs.lazy()):
        out = cadence.cadence_deviation(frame)
        # run 4: baseline median(170, 172, 174) = 172, sample SD 2 -> -6 spm,
        # -6/172 = -3.488 %, z = -3; the 2.75 band has no baseline. Runs 1-3 have < 3
        # baseline runs; run 5's 56-day window (from day 14) holds 2 runs; run 6 has no bands.
        expected = pl.DataFrame({
            "id": [4], "cadence_deviation_spm": [-6.0],
            "cadence_deviation_pct": [-600 / 172], "cadence_deviation_z": [-3.0],
            "cadence_baseline_runs": [3], "cadence_drop": [True],
        })
        assert_frame_equal(out, expected, check_dtypes=False)
    empty = runs.clear()
    assert cadence.cadence_deviation(empty).height == 0


# --- aerobic decoupling ---------------------------------------------------------------------

def test_pa_hr_formula() -> None:
    # same speed, HR 140 -> 147: 100 * (1 - 140/147) = 4.761905 %
    assert decoupling.pa_hr(3 / 140, 3 / 147) == pytest.approx(100 * (1 - 140 / 147))


def test_aerobic_decoupling_steady_run() -> None:
    run = drift_run(70)
    hr = np.where(run["t"] < 2100, 140.0, 147.0)
    pct, note = decoupling.aerobic_decoupling(run["t"], run["speed"], hr)
    # halves of 35 min: first 18 min at 2.8 and 17 at 3.2 -> 104.8/35; second 105.2/35.
    # Pa:HR = 100 (1 - (105.2/35/147) / (104.8/35/140)) = 100 (1 - 420.8/440.16) = 4.398401 %
    assert note is None
    assert pct == pytest.approx(100 * (1 - (105.2 * 140) / (104.8 * 147)))


def test_aerobic_decoupling_exclusions() -> None:
    short = drift_run(59)
    pct, note = decoupling.aerobic_decoupling(short["t"], short["speed"],
                                              np.full(short["t"].size, 140.0))
    assert pct is None and note == "59 moving minutes with heart rate, 60 needed"
    run = drift_run(70)
    intervals = np.where((run["t"] // 120) % 2 == 0, 2.5, 4.5)  # CV of minute speeds 0.29
    pct, note = decoupling.aerobic_decoupling(run["t"], intervals, np.full(4200, 150.0))
    assert pct is None and note.startswith("not steady: speed varies 29 % (at most 15)")
    # exactly 60 moving minutes are enough
    just = drift_run(60)
    pct, note = decoupling.aerobic_decoupling(just["t"], just["speed"], np.full(3600, 140.0))
    assert note is None and pct == pytest.approx(0.0)
    # minute speeds alternating 2.55 / 3.45 m/s vary by a CV of 0.15: steady when exactly
    # that much is allowed, not with 0.14
    even = np.where((run["t"] // 60) % 2 == 0, 2.55, 3.45)
    minutes = np.array([2.55, 3.45] * 35)
    cv = float(np.std(minutes) / np.mean(minutes))
    assert cv == pytest.approx(0.15)
    assert decoupling.aerobic_decoupling(run["t"], even, np.full(4200, 150.0),
                                         max_speed_cv=cv)[1] is None
    assert decoupling.aerobic_decoupling(run["t"], even, np.full(4200, 150.0),
                                         max_speed_cv=0.14)[1].startswith("not steady")
    # seconds without heart rate, or stopped, are not moving minutes with heart rate
    hr = np.where(run["t"] < 1200, np.nan, 140.0)  # no HR for the first 20 minutes
    assert decoupling.aerobic_decoupling(run["t"], run["speed"], hr)[1] == (
        "50 moving minutes with heart rate, 60 needed")
    walking = np.where(run["t"] < 1200, 0.5, run["speed"])  # 20 min below 1 m/s
    assert decoupling.aerobic_decoupling(run["t"], walking, np.full(4200, 140.0))[1] == (
        "50 moving minutes with heart rate, 60 needed")
    at_stop_speed = np.where(run["t"] < 1200, 1.0, run["speed"])  # exactly 1 m/s moves
    assert decoupling.aerobic_decoupling(run["t"], at_stop_speed, np.full(4200, 140.0),
                                         max_speed_cv=1.0)[1] is None


# --- compute_activity_metrics ---------------------------------------------------------------

def test_compute_activity_metrics_run() -> None:
    run = drift_run(70)
    hr = np.where(run["t"] < 2100, 140.0, 147.0)
    frame = run_samples(4200, speed_m_s=run["speed"], cadence_spm=run["cadence"],
                        heart_rate_bpm=hr, distance_m=np.cumsum(run["speed"]))
    m = am.compute_activity_metrics(frame, "running")
    assert set(m) == set(am.ACTIVITY_METRICS_SCHEMA)
    hist = np.array(m["hr_hist_s"])
    assert (hist[110], hist[117], hist.sum()) == (2100.0, 2100.0, 4200.0)
    assert m["hr_seconds"] == 4200.0 and m["hr_max_5s_bpm"] == 147.0
    assert m["moving_s"] == 4200.0
    assert m["drift_spm_per_h"] == pytest.approx(4.0) and m["drift_minutes"] == 60
    assert m["drift_excluded_warmup_s"] == 600 and m["drift_note"] is None
    assert m["decoupling_pct"] == pytest.approx(100 * (1 - (105.2 * 140) / (104.8 * 147)))
    # bands after the warm-up: 30 minutes at each speed
    assert [b["seconds"] for b in m["cadence_bands"]] == [1800.0, 1800.0]
    frame_out = am.metrics_frame([m], ids=[7])
    assert frame_out.columns == ["id", *am.ACTIVITY_METRICS_SCHEMA]
    assert frame_out["hr_hist_s"].list.len()[0] == 201


def test_compute_activity_metrics_other_sport_and_empty() -> None:
    run = drift_run(40)
    frame = run_samples(2400, speed_m_s=run["speed"], heart_rate_bpm=np.full(2400, 120.0))
    ride = am.compute_activity_metrics(frame, "cycling")
    assert ride["hr_seconds"] == 2400.0 and ride["drift_note"] == "cycling is not running"
    assert ride["cadence_bands"] == [] and ride["decoupling_pct"] is None
    for empty in (samples_frame(), samples_frame(height=50)):  # no rows; all-null rows
        m = am.compute_activity_metrics(empty, "running")
        assert m["hr_hist_s"] is None and m["hr_seconds"] == 0.0
        assert m["hr_max_5s_bpm"] is None and m["norm_speed_m_s"] is None
        assert m["drift_spm_per_h"] is None and m["drift_note"] == "no cadence recorded"
    frame = am.metrics_frame([])
    assert frame.height == 0 and frame.schema == pl.Schema(am.ACTIVITY_METRICS_SCHEMA)
