"""The week ahead reuses today's report (:func:`analytics.report.with_activities`): the same
daily rows, week and advice as a full rebuild with the planned sessions, on the demo store and
when an added session changes the resolved profile (then every load is computed again)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analytics.activity_metrics import HR_HIST_BINS, HR_HIST_MIN_BPM
from analytics.report import build_report, with_activities
from analytics.week import WEEK_DAYS, planned_activities, typical_speeds
from analytics.week import week_ahead as evaluate_week
from dashboard import service
from dashboard.demo import demo_today, load_demo
from dashboard.service import upcoming
from dashboard.week import week_ahead
from ingest import plans as plan_store
from ingest.store import Store


def full_rebuild(store: Store, day: dt.date):
    """The week ahead as computed before the reuse: the whole report again, plans added."""
    rep = service.report(store, end=day)
    plans = upcoming(store, day)
    extra = planned_activities(plans, typical_speeds(rep.sessions, day))
    activities = pl.concat([service.activities_with_metrics(store), extra],
                           how="diagonal_relaxed")
    projected = build_report(activities, end=day + dt.timedelta(days=WEEK_DAYS - 1),
                             **service.report_inputs(store),
                             pain_free_alternatives=rep.alternatives)
    today_row = rep.daily.filter(pl.col("date") == day).row(0, named=True)
    week = evaluate_week(projected.daily, today_row, day, plans, rep.settings,
                         rep.alternatives)
    return projected, [d.as_dict() for d in week]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with Store(tmp_path_factory.mktemp("demo") / "data") as store:
        load_demo(store, jobs=1)
        day = demo_today()
        for ahead, sport, km, minutes in ((0, "cycling", None, 45.0), (1, "running", 24.0, None),
                                          (2, "strength", None, 30.0),
                                          (3, "running", 12.0, 70.0), (5, "running", 30.0, None),
                                          (6, "swimming", None, 40.0)):
            plan_store.add(store, plan_store.PlannedSession(
                day + dt.timedelta(days=ahead), sport,
                None if km is None else km * 1000.0, minutes))
        yield store, day


def test_week_ahead_equals_the_full_rebuild_on_the_demo_store(demo):
    store, day = demo
    projected, expected = full_rebuild(store, day)
    rep = service.report(store, end=day)
    extra = planned_activities(upcoming(store, day), typical_speeds(rep.sessions, day))
    fast = with_activities(rep, extra, day + dt.timedelta(days=WEEK_DAYS - 1))
    assert_frame_equal(fast.daily, projected.daily)
    assert_frame_equal(fast.runs, projected.runs)
    assert fast.profile == projected.profile
    week = week_ahead(store, day)
    assert week == expected
    assert [d["suggestion"] for d in week] != ["train"] * WEEK_DAYS  # the plan flags days
    assert sum(len(d["planned"]) for d in week) == 6


def test_with_nothing_planned_the_runs_are_kept_and_the_days_equal_a_rebuild(demo):
    store, day = demo
    rep = service.report(store, end=day)
    later = day + dt.timedelta(days=WEEK_DAYS - 1)
    nothing = planned_activities(upcoming(store, day).clear(), typical_speeds(rep.sessions, day))
    fast = with_activities(rep, nothing, later)
    full = build_report(service.activities_with_metrics(store), end=later,
                        **service.report_inputs(store), pain_free_alternatives=rep.alternatives)
    assert fast.runs is rep.runs  # not computed again
    assert_frame_equal(fast.runs, full.runs)
    assert_frame_equal(fast.daily, full.daily)
    assert fast.daily["date"].max() == later


def _run(i: int, day: dt.date, km: float, hr_max: float) -> dict:
    """A run at 150 bpm throughout (so its heart-rate load depends on HRmax)."""
    seconds = km * 330.0
    hist = [0.0] * HR_HIST_BINS
    hist[150 - HR_HIST_MIN_BPM] = seconds
    return {"id": i, "sport": "running", "local_date": day,
            "start_time": dt.datetime.combine(day, dt.time(7), dt.UTC), "duration_s": seconds,
            "timer_time_s": seconds, "moving_s": seconds, "distance_m": km * 1000.0,
            "hr_max_5s_bpm": hr_max, "hr_hist_s": hist, "hr_seconds": seconds}


def test_an_added_session_that_changes_the_profile_recomputes_every_load():
    today = dt.date(2024, 3, 4)
    history = pl.DataFrame([_run(i + 1, today - dt.timedelta(days=2 * i + 1), 8.0, 170.0)
                            for i in range(30)])
    added = pl.DataFrame([_run(-1, today + dt.timedelta(days=2), 10.0, 196.0)])
    now = build_report(history, end=today)
    later = today + dt.timedelta(days=6)
    fast = with_activities(now, added, later)
    full = build_report(pl.concat([history, added], how="diagonal_relaxed"), end=later)
    assert fast.profile.hr_max == 196.0 != now.profile.hr_max
    assert fast.sessions["load"][0] != now.sessions["load"][0]
    assert_frame_equal(fast.sessions, full.sessions)
    assert_frame_equal(fast.daily, full.daily)


def test_a_long_run_planned_for_the_day_is_judged_by_its_advice(demo):
    """The day's suggestion reads a run planned for it and not yet recorded, as the week
    strip does: a run far longer than the last 30 days' longest is flagged, with its km."""
    store, today = demo
    day = today + dt.timedelta(days=4)  # nothing planned or recorded yet
    before = service.advice(store, day)
    assert not any("The run you plan" in r["text"] for r in before["reasons"])
    plan_id = plan_store.add(store, plan_store.PlannedSession(day, "running", 40_000.0, None))
    try:
        after = service.advice(store, day)
        (reason,) = [r for r in after["reasons"] if "The run you plan" in r["text"]]
        assert reason["text"].startswith("The run you plan, 40 km, is ")
        assert after["suggestion"] == "easy" != before["suggestion"]
        assert week_ahead(store, day)[0]["suggestion"] == "easy"
    finally:
        plan_store.delete(store, plan_id)
    assert service.advice(store, day)["reasons"] == before["reasons"]
