"""The week ahead (analytics.week): plans as activities, the rules day by day on the projected
load with today's pain held, what to change, and the limits of a week without a plan."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from analytics.athlete import AthleteProfile
from analytics.report import build_report
from analytics.week import (
    FALLBACK_SPEED_M_S,
    plan_text,
    planned_activities,
    typical_speeds,
    week_ahead,
    week_limits,
)

PROFILE = AthleteProfile(sex="female", birth_year=1985, hr_rest=50, hr_max=190, lthr=170)
TODAY = dt.date(2024, 3, 4)  # a Monday
SPEED = 1000 / 330  # 5:30 min/km [m/s]


def runs(km_by_days_back: dict[int, float]) -> pl.DataFrame:
    """Runs without heart rate, each ``km`` long, ``days back`` before today."""
    rows = []
    for i, (back, km) in enumerate(sorted(km_by_days_back.items(), reverse=True)):
        day = TODAY - dt.timedelta(days=back)
        seconds = km * 1000 / SPEED
        rows.append({"id": i + 1, "sport": "running", "local_date": day,
                     "start_time": dt.datetime.combine(day, dt.time(7), dt.UTC),
                     "duration_s": seconds, "timer_time_s": seconds, "moving_s": seconds,
                     "distance_m": km * 1000.0})
    return pl.DataFrame(rows)


#: Six weeks of 8 km every other day, and a 10 km run 20 days ago (the longest).
HISTORY = {**{back: 8.0 for back in range(42, 0, -2)}, 20: 10.0}


def plans(*rows: tuple[int, int, str, float | None, float | None]) -> pl.DataFrame:
    """(id, days ahead, sport, km, minutes) -> the plan frame of ingest.plans."""
    return pl.DataFrame(
        [{"id": i, "date": TODAY + dt.timedelta(days=ahead), "sport": sport,
          "distance_m": None if km is None else km * 1000.0, "minutes": minutes}
         for i, ahead, sport, km, minutes in rows],
        schema={"id": pl.Int64, "date": pl.Date, "sport": pl.String,
                "distance_m": pl.Float64, "minutes": pl.Float64})


def pain(level: int) -> pl.DataFrame:
    return pl.DataFrame({"date": [TODAY], "area": ["upper-back"], "level": [level],
                         "during_run": [False], "red_flags": [[]], "note": [""]},
                        schema_overrides={"red_flags": pl.List(pl.String)})


def week(planned: pl.DataFrame, today_pain: int = 0) -> list:
    history = runs(HISTORY)
    now = build_report(history, pain(today_pain), profile=PROFILE, end=TODAY)
    speeds = typical_speeds(now.sessions, TODAY)
    extra = planned_activities(planned, speeds)
    projected = build_report(pl.concat([history, extra], how="diagonal_relaxed"),
                             pain(today_pain), profile=PROFILE,
                             end=TODAY + dt.timedelta(days=6))
    today_row = now.daily.filter(pl.col("date") == TODAY).row(0, named=True)
    return week_ahead(projected.daily, today_row, TODAY, planned, now.settings)


def test_plans_become_activities_with_the_missing_half_from_the_runners_speed() -> None:
    speeds = {"running": SPEED}
    acts = planned_activities(plans((1, 1, "running", 11.0, None),
                                    (2, 2, "cycling", None, 60.0),
                                    (3, 3, "strength", None, 30.0),
                                    (4, 4, "running", None, 55.0)), speeds)
    assert acts["id"].to_list() == [-1, -2, -3, -4]
    assert acts["timer_time_s"][0] == pytest.approx(11_000 / SPEED)  # 60.5 min at 5:30/km
    assert acts["distance_m"][1] == pytest.approx(3600 * FALLBACK_SPEED_M_S["cycling"])
    assert (acts["sport"][2], acts["sub_sport"][2], acts["distance_m"][2]) == (
        "training", "strength_training", None)
    assert acts["distance_m"][3] == pytest.approx(55 * 60 * SPEED)  # 10 km
    assert acts["local_date"][0] == TODAY + dt.timedelta(days=1)
    assert plan_text({"sport": "running", "distance_m": 11000.0, "minutes": 60.0}) == \
        "running 11 km, 60 min"


def test_typical_speed_is_the_median_of_the_last_90_days() -> None:
    now = build_report(runs(HISTORY), profile=PROFILE, end=TODAY)
    assert typical_speeds(now.sessions, TODAY)["running"] == pytest.approx(SPEED)


def test_no_plan_every_day_trains_and_says_its_longest_run() -> None:
    days = week(plans())
    assert [d.advice.date for d in days] == [TODAY + dt.timedelta(days=k) for k in range(7)]
    assert {d.advice.suggestion for d in days} == {"train"}
    # the 10 km run 20 days back is the longest of the 30 days before each day: 11 km allowed
    assert [round(d.max_run_m) for d in days] == [11000] * 7
    assert days[0].as_dict()["planned"] == [] and days[0].changes == []


def test_a_long_planned_run_flags_its_day_and_says_how_far_to_go() -> None:
    days = week(plans((7, 6, "running", 13.0, None)))
    sunday = days[6]
    assert sunday.advice.date.strftime("%A") == "Sunday"
    assert sunday.advice.suggestion == "easy" and sunday.planned[0]["text"] == "running 13 km"
    assert sunday.changes == ["Keep Sunday's run under 11 km."]
    (spike,) = [r for r in sunday.advice.reasons if r.metric == "long_run_ratio"]
    assert spike.text == ("The run you plan on Sunday, 13 km, is 30 % longer than your "
                          "longest of the 30 days before (10 km).")
    assert spike.value == pytest.approx(1.3)
    assert {d.advice.suggestion for d in days[:6]} == {"train"}
    data = sunday.as_dict()
    assert set(data) >= {"date", "planned", "suggestion", "reasons"}
    assert data["date"] == "2024-03-10" and data["planned"][0]["id"] == 7


def test_too_much_running_in_the_week_names_the_days_and_the_cut() -> None:
    # the 7 days before ran 24 km (8 km 2, 4 and 6 days back); +30 % allows 31.2 km
    limits = week_limits(build_report(runs(HISTORY), profile=PROFILE, end=TODAY).daily,
                         TODAY)
    assert limits["before_m"] == pytest.approx(24_000)
    assert limits["max_distance_m"] == pytest.approx(31_200) and limits["change_pct"] == 30
    days = week(plans(*[(k, k, "running", 8.0, None) for k in range(7)]))
    flagged = [d for d in days if any("7 days to" in c for c in d.changes)]
    assert flagged, [d.changes for d in days]
    last = days[6]
    # 56 km planned over the 7 days against 24 km: the cut is 56 - 31.2 km
    assert "Keep the 7 days to Sunday under 31.2 km: 24.8 km less than planned." in last.changes
    (weekly,) = [r for r in last.advice.reasons if r.metric == "weekly_distance_change"]
    assert weekly.text == ("With your plan you would run 56 km in the 7 days to Sunday, "
                           "133 % more than in the 7 days before (24 km).")


def test_todays_pain_is_held_for_the_week() -> None:
    days = week(plans((1, 2, "running", 5.0, None)), today_pain=6)
    assert {d.advice.suggestion for d in days} == {"rest"}
    assert days[3].advice.reasons[0].text == ("Your back pain is 6/10; from 5/10 we suggest a "
                                              "day without running.")


def test_early_in_a_block_the_stricter_weekly_limit_applies() -> None:
    fresh = {back: 8.0 for back in (6, 4, 2)}  # a block started 6 days ago
    daily = build_report(runs(fresh), profile=PROFILE, end=TODAY).daily
    limits = week_limits(daily, TODAY)
    assert limits["early_in_block"] and limits["change_pct"] == 20
    assert limits["max_distance_m"] == pytest.approx(24_000 * 1.2)
    assert week_limits(build_report(runs({30: 5.0}), profile=PROFILE, end=TODAY).daily,
                       TODAY)["max_distance_m"] is None
