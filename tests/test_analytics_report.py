"""The top-level report: daily rows for the CLI, advice JSON, weekly summaries."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analytics import report as rp
from analytics.athlete import AthleteProfile
from analytics.settings import Settings

PROFILE = AthleteProfile(sex="male", hr_rest=50, hr_max=190, lthr=170)
MONDAY = dt.date(2024, 1, 1)
# one hour at LTHR is 100 points; at 140 bpm one hour is
# 100 * (90/140) e^(1.92*90/140) / ((120/140) e^(1.92*120/140)) = 50.811 points
HOUR_AT_140 = 100 * (90 / 140) * math.exp(1.92 * 90 / 140) / (
    120 / 140 * math.exp(1.92 * 120 / 140))


def activity(i: int, day: int, sport: str, minutes: float, km: float | None,
             bpm: int | None = 140) -> dict[str, object]:
    date = MONDAY + dt.timedelta(days=day)
    hist = None
    if bpm is not None:
        h = np.zeros(201)
        h[bpm - 30] = minutes * 60
        hist = h.tolist()
    return {
        "id": i, "sport": sport, "local_date": date.isoformat(),
        "start_time": dt.datetime.combine(date, dt.time(7), tzinfo=dt.UTC),
        "duration_s": minutes * 60, "timer_time_s": minutes * 60,
        "distance_m": None if km is None else km * 1000, "hr_hist_s": hist,
        "hr_seconds": minutes * 60 if bpm else 0.0, "avg_cadence_spm": 170.0 if km else None,
    }


def two_weeks() -> pl.DataFrame:
    return pl.DataFrame([
        activity(1, 1, "running", 60, 8.0),    # Tue wk 1
        activity(2, 3, "cycling", 60, None),   # Thu wk 1: cross-training
        activity(3, 6, "running", 90, 12.0),   # Sun wk 1
        activity(4, 8, "running", 60, 10.0),   # Tue wk 2
        activity(5, 13, "running", 120, 15.0),  # Sun wk 2
    ], schema_overrides={"hr_hist_s": pl.List(pl.Float64)})


def pain_journal() -> pl.DataFrame:
    return pl.DataFrame({
        "date": [MONDAY + dt.timedelta(days=d) for d in (0, 6, 7, 13, 13)],
        "area": ["upper-back", "upper-back", "upper-back", "upper-back", "neck"],
        "level": [1, 3, 0, 2, 4],
        "during_run": [False, True, False, False, False],
        "red_flags": [[], [], [], [], []],
        "note": [""] * 5,
    }, schema_overrides={"red_flags": pl.List(pl.String)})


def test_daily_rows_for_the_cli() -> None:
    daily = rp.build_report(two_weeks(), pain_journal(), profile=PROFILE).daily
    assert set(rp.CLI_DAILY_COLUMNS) <= set(daily.columns)
    assert daily["date"].to_list() == [MONDAY + dt.timedelta(days=d) for d in range(14)]
    by_day = {r["date"]: r for r in daily.iter_rows(named=True)}
    tue, thu, sun = (by_day[MONDAY + dt.timedelta(days=d)] for d in (1, 3, 6))
    assert tue["load"] == pytest.approx(HOUR_AT_140) and tue["running_load"] == tue["load"]
    # the ride counts in the total load, not in running (impact) load or distance
    assert thu["load"] == pytest.approx(HOUR_AT_140) and thu["running_load"] == 0
    assert thu["cross_load"] == pytest.approx(HOUR_AT_140) and thu["run_distance_m"] == 0
    assert sun["load"] == pytest.approx(1.5 * HOUR_AT_140) and sun["run_distance_m"] == 12000
    # timer time in total and for running; the ride has no distance
    assert thu["timer_s"] == 3600 and thu["run_timer_s"] == 0 and thu["distance_m"] == 0
    assert sun["timer_s"] == sun["run_timer_s"] == 5400 and sun["distance_m"] == 12000
    # Monday 1 Jan precedes the first recording: unknown, not a rest day
    first = by_day[MONDAY]
    assert first["load"] is None and first["history_days"] == 0 and not first["missing"]
    assert by_day[MONDAY + dt.timedelta(days=2)]["load"] == 0  # a rest day
    # pain: highest area of the day (neck 4 > upper back 2 on day 13)
    assert by_day[MONDAY + dt.timedelta(days=13)]["pain"] == 4
    assert by_day[MONDAY + dt.timedelta(days=6)]["pain_during_run"]
    # 14 days of history: ACWR suppressed everywhere
    assert daily["acwr_rolling_uncoupled"].null_count() == 14
    assert set(daily["acwr_status"]) == {"insufficient_history"}


def test_pain_areas_and_window() -> None:
    daily = rp.build_report(two_weeks(), pain_journal(), profile=PROFILE,
                            pain_areas=["upper-back"]).daily_rows(MONDAY + dt.timedelta(days=10))
    assert daily["date"][0] == MONDAY + dt.timedelta(days=10) and daily.height == 4
    assert daily["pain"][-1] == 2  # the neck is not counted


def test_eager_and_lazy_inputs_agree() -> None:
    eager = rp.build_report(two_weeks(), pain_journal(), profile=PROFILE).daily
    lazy = rp.build_report(two_weeks().lazy(), pain_journal().lazy(), profile=PROFILE).daily
    assert_frame_equal(eager, lazy)


def test_store_shaped_frame_and_missing_metrics() -> None:
    # Store.activities() has ISO local_date strings and no metric columns: every session then
    # falls back to the duration default (estimated); HRmax from Tanaka: 208 - 0.7 * 40 = 180
    # (age in 2024, the year of the last activity)
    store = two_weeks().drop("hr_hist_s", "hr_seconds")
    r = rp.build_report(store, profile=AthleteProfile(birth_year=1984))
    assert set(r.sessions["load_source"]) == {"duration_default"}
    assert r.sessions["estimated"].all() and r.daily["estimated_28d"][-1]
    assert r.profile.hr_max == pytest.approx(180.0) and r.profile.estimated["hr_max"]


def test_empty_and_null_inputs() -> None:
    empty = rp.build_report(two_weeks().clear())
    assert empty.daily.height == 0 and empty.weekly().height == 0
    journal_only = rp.build_report(two_weeks().clear(), pain_journal())
    assert journal_only.daily.height == 14
    assert journal_only.daily["load"].null_count() == 14  # nothing recorded: unknown
    assert journal_only.daily["rule"][13] == "R2"  # pain 4
    nulls = two_weeks().with_columns(pl.lit(None, pl.Float64).alias("duration_s"),
                                     pl.lit(None, pl.Float64).alias("timer_time_s"),
                                     pl.lit(None, pl.List(pl.Float64)).alias("hr_hist_s"))
    r = rp.build_report(nulls, profile=PROFILE)
    assert r.sessions["load"].null_count() == 5
    assert r.daily.filter(pl.col("sessions") > 0)["missing"].all()


def test_unrecorded_days_are_missing() -> None:
    skipped = MONDAY + dt.timedelta(days=2)
    daily = rp.build_report(two_weeks(), profile=PROFILE, unrecorded=[skipped]).daily
    row = daily.filter(pl.col("date") == skipped).row(0, named=True)
    assert row["missing"] and row["load"] is None
    # every 7-day window over it is unknown; the one starting the day after is known
    windows = daily.filter(pl.col("date") >= skipped)["load_7d"]
    assert windows[:7].null_count() == 7 and windows[7] is not None


def test_advise_json() -> None:
    day = MONDAY + dt.timedelta(days=6)
    advice = rp.build_report(two_weeks(), pain_journal(), profile=PROFILE, end=day).advise(day)
    data = advice.as_dict()
    json.dumps(data)
    assert data["date"] == "2024-01-07" and data["suggestion"] == "cross_train"
    # pain 3 during the run; 12 km vs 8 km is no spike yet: the history is shorter than 30 days
    assert [r["metric"] for r in data["reasons"]] == ["pain", "pain_during_run"]
    assert data["tips"]
    with pytest.raises(ValueError, match="invalid day"):
        rp.build_report(two_weeks()).advise(dt.date(2030, 1, 1))
    # no pain-free alternative: rest instead
    rest = rp.build_report(two_weeks(), pain_journal(), profile=PROFILE, end=day,
                     pain_free_alternatives=[]).advise(day)
    assert rest.suggestion == "rest"


def test_weekly_summary() -> None:
    # a 7-day long-run window, so that the ratio is known from day 8 (the first run + 7 days)
    weeks = rp.build_report(two_weeks(), pain_journal(), profile=PROFILE,
                            settings={"long_run_window_days": 7}).weekly()
    assert weeks["week"].to_list() == ["2024-W01", "2024-W02"]
    w1, w2 = weeks.iter_rows(named=True)
    # week 1: runs 8 + 12 km (the 1 Jan is unknown: load and distance of the week unknown)
    assert (w1["runs"], w1["sessions"], w1["days"]) == (2, 3, 7)
    assert w1["run_distance_m"] is None and w1["load"] is None
    assert w1["timer_s"] == (60 + 60 + 90) * 60 and w1["run_timer_s"] == 150 * 60
    # week 2: 10 + 15 km; loads 1 h and 2 h at 140 bpm
    assert w2["run_distance_m"] == 25000 and w2["load"] == pytest.approx(3 * HOUR_AT_140)
    assert w2["running_load"] == w2["load"] and w2["cross_load"] == 0
    assert w2["run_distance_m_change_pct"] is None  # previous week unknown
    assert w2["run_timer_s_change_pct"] == pytest.approx(100 * (180 - 150) / 150)
    # longest runs: 12 km (day 6, before the window is covered: no ratio) and 15 km on day 13:
    # 15 / longest of days 6-12 (12 and 10 km) = 1.25, a spike; day 8: 10/12, none
    assert (w1["longest_run_m"], w1["longest_run_ratio"]) == (12000, None)
    assert (w2["longest_run_m"], w2["longest_run_ratio"]) == (15000, pytest.approx(1.25))
    assert (w1["spike_runs"], w2["spike_runs"]) == (0, 1)
    # pain: week 1 ratings 1, 3 -> mean 2, max 3; week 2: 0 and 4 -> 2, 4
    assert (w1["pain_mean"], w1["pain_max"], w1["pain_days"]) == (2.0, 3, 2)
    assert (w2["pain_mean"], w2["pain_max"]) == (2.0, 4)
    assert w2["cadence_spm"] == pytest.approx(170.0)
    for w in (w1, w2):
        assert sum(w[f"days_{s}"] for s in ("train", "easy", "cross_train", "rest",
                                            "see_professional")) == 7
    assert w2["acwr_method"] == "rolling_uncoupled" and w2["ctl"] is not None
    only_second = rp.build_report(two_weeks(), profile=PROFILE).weekly(MONDAY + dt.timedelta(7))
    assert only_second["week"].to_list() == ["2024-W02"]


def test_settings_pick_the_shown_acwr() -> None:
    rows = [activity(i, i, "running", 60, 10.0) for i in range(60)]
    frame = pl.DataFrame(rows, schema_overrides={"hr_hist_s": pl.List(pl.Float64)})
    r = rp.build_report(frame, profile=PROFILE, settings={"acwr_method": "ewma"})
    last = r.daily.row(-1, named=True)
    # the same load every day: every ACWR is 1 once shown; calibrating from day 28 to 41
    assert last["acwr"] == pytest.approx(1.0) and last["acwr_method"] == "ewma"
    assert last["acwr_rolling_coupled"] == pytest.approx(1.0)
    status = r.daily["acwr_status"].to_list()
    assert status[26] == "insufficient_history" and status[27] == "calibrating"
    assert status[40] == "calibrating" and status[41] == "ok"
    assert r.daily["acwr_ewma"][26] is None and r.daily["acwr_ewma"][27] == pytest.approx(1.0)
    # same load every day: monotony capped at 10 -> flagged from day 28 on
    assert r.daily["monotony"][-1] == 10.0 and r.daily["flag_monotony"][-1]
    assert not r.daily["flag_monotony"][26]
    assert isinstance(r.settings, Settings)
    assert r.association()["status"][0] == "not enough data yet"  # no pain journal
    assert r.pain_episodes().height == 0
