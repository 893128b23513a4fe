"""The way back after a pain episode (docs/methods.md section 11.5) on daily frames whose
pain and running are known day by day."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from analytics.return_plan import return_status

FIRST = dt.date(2026, 3, 2)
WEEK_KM = 48.0  # 6 km a day before the episode, a 12-km long run on Sundays


def daily(pain: list[int | None], flags: dict[int, list[str]] | None = None) -> pl.DataFrame:
    """Days from :data:`FIRST`: running 6 km a day (12 on Sundays) for 35 days, then 3 km."""
    days = [FIRST + dt.timedelta(days=i) for i in range(len(pain))]
    distance = [(12000.0 if d.weekday() == 6 else 6000.0) if i < 35 else 3000.0
                for i, d in enumerate(days)]
    flags = flags or {}
    return pl.DataFrame({
        "date": days, "pain": pain, "distance_m": distance,
        "longest_run_m": distance,
        "red_flags": [flags.get(i, []) for i in range(len(pain))],
    }, schema_overrides={"pain": pl.Int32, "red_flags": pl.List(pl.String)})


def calm(n: int) -> list[int]:
    return [1] * n


def test_no_episode_no_plan():
    status = return_status(daily(calm(60)), FIRST + dt.timedelta(days=59))
    assert status.state == "none" and status.as_dicts() == []


def test_the_plan_starts_after_three_days_at_2_or_below_and_not_before():
    # 35 calm days, an episode of 6 days (3-5), one better day (2), 3 more, then calm
    pain = calm(35) + [3, 4, 5, 5, 4, 3, 2, 3, 3, 3] + [2, 2, 2] + calm(30)
    frame = daily(pain)
    single_good_day = FIRST + dt.timedelta(days=41)
    inside = return_status(frame, single_good_day)
    assert inside.state == "in_episode" and inside.days_low == 1 and inside.as_dicts() == []
    assert "Pain has been 2 or below for 1 day" in inside.text
    two_low = return_status(frame, FIRST + dt.timedelta(days=46))
    assert two_low.state == "in_episode"
    settled = return_status(frame, FIRST + dt.timedelta(days=47))
    assert settled.state == "returning" and settled.episode_start == FIRST + dt.timedelta(35)
    assert settled.settled_on == FIRST + dt.timedelta(days=47)
    plan = settled.as_dicts()
    assert set(plan[0]) == {"week", "max_distance_m", "max_long_run_m", "note"}
    # week 1: half of the mean week of the 3 weeks before, half of the 30-day longest run
    assert plan[0]["week"] == 1
    assert plan[0]["max_distance_m"] == pytest.approx(WEEK_KM * 1000 / 2)
    assert plan[0]["max_long_run_m"] == pytest.approx(6000.0)
    # +10 % a week up to the level before the episode, then done
    distances = [w["max_distance_m"] for w in plan]
    assert distances[1] == pytest.approx(distances[0] * 1.1, rel=1e-3)
    assert distances[-1] == pytest.approx(WEEK_KM * 1000) and len(plan) == 9


def test_a_red_flag_day_does_not_count_towards_settling():
    pain = calm(35) + [4, 4, 3] + [2, 2, 2, 2] + calm(20)
    flagged = daily(pain, {39: ["night-pain"]})
    # days 38-41 are rated 2; the flag on day 39 restarts the count: settled on day 42
    assert return_status(flagged, FIRST + dt.timedelta(days=41)).state == "in_episode"
    assert return_status(flagged, FIRST + dt.timedelta(days=42)).state == "returning"
    assert return_status(daily(pain), FIRST + dt.timedelta(days=40)).state == "returning"


def test_the_plan_holds_on_a_rise_and_steps_back_on_a_painful_day():
    settle = 35 + 3 + 3  # episode 3 days, settled on day 40 (index); the plan starts day 41
    week1 = [0, 0, 2, 1, 1, 1, 1]  # rises 2 points: hold
    week2 = [1, 1, 1, 1, 1, 1, 1]  # calm: +10 %
    week3 = [1, 3, 1, 1, 1, 1, 1]  # a day at 3: one week back
    pain = calm(35) + [4, 4, 3] + [2, 2, 2] + week1 + week2 + week3 + calm(10)
    frame = daily(pain)
    assert return_status(frame, FIRST + dt.timedelta(days=settle)).settled_on == (
        FIRST + dt.timedelta(days=settle - 1))
    today = FIRST + dt.timedelta(days=settle + 21)
    status = return_status(frame, today)
    weeks = status.weeks
    fractions = [round(w.max_distance_m / (WEEK_KM * 1000), 3) for w in weeks[:4]]
    assert fractions == [0.5, 0.5, 0.55, 0.5]
    assert "held: pain rose 2 points" in weeks[1].note
    assert "one week back: pain 3" in weeks[3].note
    assert [w.past for w in weeks[:4]] == [True, True, True, False]
    assert status.as_dicts()[0]["week"] == 4  # the plan ahead starts with this week


def test_pain_again_during_the_return_pauses_the_plan_and_then_steps_it_back():
    pain = calm(35) + [4, 4, 3] + [2, 2, 2] + calm(10) + [4, 3] + [2, 2] + [2] + calm(20)
    flare_day = 35 + 6 + 10
    paused = return_status(daily(pain), FIRST + dt.timedelta(days=flare_day + 2))
    assert paused.state == "in_episode" and paused.as_dicts() == []
    assert paused.flare_start == FIRST + dt.timedelta(days=flare_day)
    assert paused.episode_start == FIRST + dt.timedelta(days=35)  # the same return
    assert "the plan pauses" in paused.text
    back = return_status(daily(pain), FIRST + dt.timedelta(days=flare_day + 12))
    assert back.state == "returning"
    assert back.baseline_week_m == pytest.approx(WEEK_KM * 1000)  # not restarted lower
    notes = [w.note for w in back.weeks]
    assert any(note.endswith("one week back: pain 4 the week before") for note in notes)


def test_earlier_episodes_give_the_runner_her_own_time_to_settle():
    first = [3, 4, 3, 3, 2, 2, 2]  # settles after 7 days
    second = [4, 4, 4, 3, 3, 3, 3, 2, 2, 2]  # after 10 days
    pain = calm(35) + first + calm(80) + second + calm(80) + [3, 3]
    status = return_status(daily(pain), FIRST + dt.timedelta(days=len(pain) - 1))
    assert status.state == "in_episode" and status.flare_start is None
    assert status.own_episodes == 2 and status.own_median_days == pytest.approx(8.5)
    assert "median of 8 days" in status.text or "median of 9 days" in status.text
    assert "6 weeks (NICE CKS" in status.text and "[P]" in status.text
