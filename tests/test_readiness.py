"""The readiness modifier (docs/methods.md section 12.6): HRV below normal with resting HR up or
two short nights turns "train" into "easy" - never rest on its own, never above pain or red
flags - and says why in numbers."""

from __future__ import annotations

import datetime as dt
import json
import math

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_analytics_suggestions import evaluate, rows

from analytics.recovery import recovery_daily
from analytics.rules import RULES
from analytics.settings import Settings
from analytics.suggestions import advice_from_row, apply_rules

RULE = "r3_recovery_low"
#: A day whose recovery values are those of the example: HRV 38 ms against 42-55 ms, resting
#: HR 58 bpm, 6 above its median of 52.
LOW = {"hrv_below_normal": True, "hrv_7d_ms": 38.2, "hrv_normal_low_ms": 42.3,
       "hrv_normal_high_ms": 55.1, "resting_hr_bpm": 58.0, "rhr_median_bpm": 52.0,
       "rhr_delta_bpm": 6.0, "sleep_s": 7.1 * 3600}


@pytest.mark.parametrize(("signals", "fires"), [
    ({"rhr_elevated": True}, True),
    ({"short_nights": True}, True),
    ({"rhr_elevated": True, "short_nights": True}, True),
    ({}, False),  # HRV below normal alone
    ({"rhr_elevated": False, "short_nights": False}, False),
    ({"hrv_below_normal": False, "rhr_elevated": True, "short_nights": True}, False),
    ({"hrv_below_normal": None, "rhr_elevated": True}, False),  # HRV still learning
])
def test_hrv_below_normal_needs_a_second_signal(signals, fires):
    row = evaluate(**LOW | signals)
    assert row[RULE] is fires
    assert (row["rule"], row["suggestion"]) == (("R3", "easy") if fires else ("R4", "train"))


def test_the_reason_says_values_baselines_units_and_sources():
    advice = advice_from_row(evaluate(**LOW | {"rhr_elevated": True}))
    hrv, rhr = advice.reasons
    assert (hrv.metric, hrv.value, hrv.unit, hrv.grade) == ("hrv_7d", 38.2, "ms", "H")
    assert hrv.text == ("Your HRV this week, 38 ms, is below your normal band (42-55 ms, from "
                        "your last 60 days).")
    assert "Plews et al. 2014" in hrv.source and "Plews et al. 2014" in hrv.why
    assert hrv.section == 12
    assert (rhr.metric, rhr.value, rhr.unit) == ("resting_hr", 58.0, "bpm")
    assert ("your resting heart rate, 58 bpm, is 6 bpm above your 30-day median (52 bpm) on 2 "
            "days running") in rhr.text
    assert rhr.threshold == ">= 57 bpm (5 bpm above your 30-day median) on 2 days running"
    assert "Buchheit 2014" in rhr.source and rhr.text.endswith("(5 bpm or more counts).")
    nights = advice_from_row(evaluate(**LOW | {"short_nights": True, "sleep_s": 5.4 * 3600}))
    sleep = nights.reasons[-1]
    assert (sleep.metric, sleep.value, sleep.unit) == ("sleep", 5.4, "h")
    assert "you slept less than 6 h on each of the last 2 nights (last night 5.4 h)" in sleep.text
    as_json = nights.as_dict()["reasons"][0]
    assert as_json["source"] == RULES[RULE].evidence.source and as_json["grade"] == "H"


def test_the_words_follow_the_settings():
    s = Settings({"rhr_elevated_bpm": 4.0, "rhr_median_days": 21, "short_sleep_h": 6.5,
                  "short_nights": 3, "hrv_baseline_days": 42})
    row = evaluate(settings=s, **LOW | {"rhr_elevated": True, "short_nights": True})
    texts = [r.text for r in advice_from_row(row, s).reasons]
    assert "from your last 42 days" in texts[0]
    assert "your 21-day median (52 bpm) on 2 days running (4 bpm or more counts)" in texts[1]
    assert "less than 6.5 h on each of the last 3 nights" in texts[2]


@pytest.mark.parametrize(("changes", "rule"), [
    ({"pain_now": 3}, "R2"),
    ({"pain_during_run_recent": True}, "R2"),
    ({"pain_now": 5}, "R1"),
    ({"pain_up": 2.0, "pain_now": 2}, "R1"),
    ({"pain_now": 3}, "R1"),  # without a pain-free alternative
    ({"red_flags_recent": ["fever"]}, "R0"),
    ({"red_flags_recent": ["chest-pressure"]}, "R0"),
])
def test_pain_and_red_flags_win_and_keep_their_own_reasons(changes, rule):
    alternatives = rule != "R1" or changes != {"pain_now": 3}
    row = evaluate(alternatives=alternatives, **LOW | {"rhr_elevated": True} | changes)
    assert row[RULE] and row["rule"] == rule
    metrics = {r.metric for r in advice_from_row(row).reasons}
    assert not metrics & {"hrv_7d", "resting_hr", "sleep"}


def test_it_is_never_counted_as_a_load_flag():
    # pain 1 with one load flag is an easy run; low readiness does not make it cross-training
    row = evaluate(pain_now=1, tsb=-31.0, **LOW | {"rhr_elevated": True})
    assert (row["load_flags"], row["rule"]) == (1, "R3")
    assert [r.metric for r in advice_from_row(row).reasons] == ["tsb", "hrv_7d", "resting_hr"]


readiness = st.fixed_dictionaries({
    "hrv_below_normal": st.one_of(st.none(), st.booleans()),
    "rhr_elevated": st.one_of(st.none(), st.booleans()),
    "short_nights": st.one_of(st.none(), st.booleans()),
})


@settings(max_examples=150, deadline=None)
@given(rows, readiness, st.booleans())
def test_low_readiness_only_ever_turns_train_into_easy(changes, signals, alternatives):
    without = evaluate(alternatives=alternatives, **changes)
    low = evaluate(alternatives=alternatives, **changes | LOW | signals)
    if low[RULE]:
        assert low["rule"] == ("R3" if without["rule"] in ("R3", "R4") else without["rule"])
    else:
        assert low["rule"] == without["rule"]
    assert low["suggestion"] not in ("rest", "cross_train") or \
        low["suggestion"] == without["suggestion"]


# --- from the daily wellness: the edges of each signal ------------------------------------------

START = dt.date(2024, 3, 1)


def wellness(days: int = 33, *, rhr_last: list[float] = (), sleep_h_last: list[float] = (),
             hrv_drop: float = 0.4) -> pl.DataFrame:
    """28 days of HRV alternating around 60 ms, then ``days - 28`` days lower by ``hrv_drop``
    (ln); resting HR 48 bpm and 7.5 h nights, the last ones replaced."""
    a = math.log(60)
    hrv = [math.exp(a + (0.1 if i % 2 else -0.1)) for i in range(min(days, 28))]
    hrv += [math.exp(a - hrv_drop)] * max(0, days - 28)
    rhr = [48.0] * (days - len(rhr_last)) + list(rhr_last)
    sleep = [7.5 * 3600] * (days - len(sleep_h_last)) + [h * 3600 for h in sleep_h_last]
    return pl.DataFrame({"date": [START + dt.timedelta(days=i) for i in range(days)],
                         "hrv_rmssd_ms": hrv, "resting_hr_bpm": rhr, "sleep_s": sleep})


def last_day(frame: pl.DataFrame, s: Settings | None = None) -> dict:
    return apply_rules(recovery_daily(frame, s), s).row(-1, named=True)


@pytest.mark.parametrize(("rhr_last", "fires"), [
    ([53.0, 53.0], True),  # exactly +5 bpm on 2 days running
    ([52.9, 53.0], False),  # +4.9 the day before
    ([48.0, 60.0], False),  # one day only
])
def test_resting_hr_edge(rhr_last, fires):
    row = last_day(wellness(rhr_last=rhr_last))
    assert row["hrv_below_normal"] is True
    assert row[RULE] is fires and row["suggestion"] == ("easy" if fires else "train")


@pytest.mark.parametrize(("sleep_h_last", "fires"), [
    ([5.99, 5.99], True),
    ([5.99, 6.0], False),  # 6 h is not short
    ([7.5, 5.0], False),  # one short night
])
def test_short_nights_edge(sleep_h_last, fires):
    assert last_day(wellness(sleep_h_last=sleep_h_last))[RULE] is fires


def test_normal_hrv_with_both_other_signals_does_not_fire_and_learning_does_not_either():
    row = last_day(wellness(rhr_last=[56.0, 56.0], sleep_h_last=[5.0, 5.0], hrv_drop=0.0))
    assert row["rhr_elevated"] and row["short_nights"] and row["hrv_below_normal"] is False
    assert row[RULE] is False
    young = last_day(wellness(days=20, rhr_last=[56.0, 56.0], sleep_h_last=[5.0, 5.0]))
    assert young["hrv_below_normal"] is None and young[RULE] is False


def test_a_threshold_setting_moves_the_decision():
    frame = wellness(rhr_last=[54.0, 54.0])
    assert last_day(frame)[RULE] is True
    assert last_day(frame, Settings({"rhr_elevated_bpm": 7.0}))[RULE] is False
    nights = wellness(sleep_h_last=[6.2, 6.2])
    assert last_day(nights)[RULE] is False
    assert last_day(nights, Settings({"short_sleep_h": 6.5}))[RULE] is True


# --- `strideload advise` on a store with an imported Garmin export ---------------------------


def garmin_export(days: int, end: dt.date) -> bytes:
    """An account export: HRV around 60 ms, then 38 ms for the last week; resting HR 48 bpm,
    then 55 on the last two days; 7.5 h nights."""
    from wellness_files import export_health_status, export_sleep, export_uds, export_zip

    dates = [(end - dt.timedelta(days=days - 1 - i)).isoformat() for i in range(days)]
    hrv = [60.0 + (6 if i % 2 else -6) for i in range(days - 7)] + [38.0] * 7
    rhr = [48] * (days - 2) + [55, 55]
    nights = [{"date": d, "deep": 5400, "light": 16200, "rem": 5400, "score": 80}
              for d in dates]
    return export_zip({
        "DI_CONNECT/DI-Connect-Wellness/2024_sleepData.json": export_sleep(nights),
        "DI_CONNECT/DI-Connect-Wellness/2024_healthStatusData.json": export_health_status(
            [(d, v, "BALANCED") for d, v in zip(dates, hrv, strict=True)]),
        "DI_CONNECT/DI-Connect-Aggregator/UDSFile_2024.json": export_uds(
            [(d, r, 49) for d, r in zip(dates, rhr, strict=True)]),
    })


def test_advise_on_a_store_with_wellness_says_easy_with_the_numbers(tmp_path):
    from click.testing import CliRunner

    from dashboard.cli import main

    end = dt.date(2024, 5, 10)
    export = tmp_path / "garmin.zip"
    export.write_bytes(garmin_export(40, end))
    data = ["--data-dir", str(tmp_path / "store")]

    def run(*args: str) -> str:
        result = CliRunner().invoke(main, [*args, *data])
        assert result.exit_code == 0, result.output
        return result.stdout

    run("import", str(export))
    run("pain", "add", (end - dt.timedelta(days=39)).isoformat(), "0")
    advice = json.loads(run("advise", "--date", end.isoformat(), "--format", "json"))
    assert (advice["suggestion"], advice["rule"]) == ("easy", "R3")
    hrv, rhr = advice["reasons"]
    assert (hrv["metric"], hrv["value"], hrv["unit"], hrv["grade"]) == ("hrv_7d", 38.0, "ms", "H")
    assert hrv["source"] == RULES[RULE].evidence.source
    assert "Your HRV this week, 38 ms, is below your normal band" in hrv["text"]
    assert (rhr["metric"], rhr["value"]) == ("resting_hr", 55.0)
    assert "your resting heart rate, 55 bpm, is 7 bpm above your 30-day median (48 bpm)" \
        in rhr["text"]
    text = run("advise", "--date", end.isoformat())
    assert text.splitlines()[1] == f"  - {hrv['text']}" and "38 ms" in hrv["text"]
    # the day before: resting HR up on one day only - train as planned
    before = json.loads(run("advise", "--date", (end - dt.timedelta(days=1)).isoformat(),
                            "--format", "json"))
    assert before["suggestion"] == "train"
    # pain wins: a rating of 3 today is cross-training, with no word of HRV
    run("pain", "add", end.isoformat(), "3")
    pained = json.loads(run("advise", "--date", end.isoformat(), "--format", "json"))
    assert pained["suggestion"] == "cross_train"
    assert not {r["metric"] for r in pained["reasons"]} & {"hrv_7d", "resting_hr", "sleep"}
