"""Recovery signals against the runner's own normal (hand-computed values)."""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
import pytest

from analytics.recovery import FLAG_COLUMNS, recovery_daily, recovery_flags
from analytics.recovery_status import recovery_status
from analytics.settings import Settings
from analytics.suggestions import apply_rules

START = dt.date(2024, 3, 1)


def days(n: int) -> list[dt.date]:
    return [START + dt.timedelta(days=i) for i in range(n)]


def frame(**columns: list) -> pl.DataFrame:
    n = len(next(iter(columns.values())))
    return pl.DataFrame({"date": days(n), **columns})


def test_hrv_week_is_the_mean_of_ln_rmssd_with_three_values_needed():
    values = [60.0, None, 50.0, None, None, None, 40.0, None]
    daily = recovery_daily(frame(hrv_rmssd_ms=values))
    expected = math.exp((math.log(60) + math.log(50) + math.log(40)) / 3)
    assert daily["hrv_7d_ms"][6] == pytest.approx(expected)
    assert daily["hrv_7d_ms"][1] is None  # two values only
    # day 8: the window (days 2-8) holds 50 and 40 only
    assert daily["hrv_7d_ms"][7] is None


def test_hrv_below_normal_after_21_days_against_mean_minus_half_an_sd():
    # 21 days alternating ln values a +/- d: mean a, sample SD d * sqrt(21/20)
    a, d = math.log(60), 0.1
    base = [math.exp(a + (d if i % 2 else -d)) for i in range(20)]
    learning = recovery_daily(frame(hrv_rmssd_ms=base))
    assert learning["hrv_below_normal"].null_count() == 20
    assert learning["hrv_days"][-1] == 20
    week_low = [math.exp(a - 0.2)] * 7
    daily = recovery_daily(frame(hrv_rmssd_ms=base + week_low))
    row = daily.row(-1, named=True)
    lns = [math.log(v) for v in (base + week_low)[-27:]]
    mean = sum(lns) / len(lns)
    sd = math.sqrt(sum((x - mean) ** 2 for x in lns) / (len(lns) - 1))
    assert row["hrv_normal_low_ms"] == pytest.approx(math.exp(mean - 0.5 * sd))
    assert row["hrv_normal_high_ms"] == pytest.approx(math.exp(mean + 0.5 * sd))
    assert row["hrv_7d_ms"] == pytest.approx(math.exp(a - 0.2))
    assert row["hrv_below_normal"] is True
    wider = recovery_daily(frame(hrv_rmssd_ms=base + week_low), Settings({"hrv_band_sd": 2.0}))
    assert wider["hrv_below_normal"][-1] is False


def test_resting_hr_elevated_only_on_two_days_running_above_the_30_day_median():
    rhr = [48.0, 49.0, 47.0] * 7 + [54.0, 48.0, 53.0, 54.0]
    daily = recovery_daily(frame(resting_hr_bpm=rhr))
    tail = daily.tail(4)
    assert tail["rhr_median_bpm"].to_list() == [48.0, 48.0, 48.0, 48.0]
    assert tail["rhr_delta_bpm"].to_list() == [6.0, 0.0, 5.0, 6.0]
    # up (>= 5 bpm) on the 1st, 3rd and 4th: elevated on the 4th only
    assert tail["rhr_elevated"].to_list() == [False, False, False, True]
    # 21 days of data (the day and 20 before) give the first median: day 21
    assert daily["rhr_median_bpm"].is_not_null().arg_true()[0] == 20
    assert daily["rhr_elevated"][19] is None


def test_sleep_debt_against_the_own_median_and_short_nights():
    sleep = [7.5 * 3600] * 21 + [7 * 3600, 5.5 * 3600, 8 * 3600, 5 * 3600, 5.9 * 3600]
    daily = recovery_daily(frame(sleep_s=sleep))
    tail = daily.tail(5)
    assert tail["sleep_norm_s"].to_list() == [27000.0] * 5
    # shortfalls 0.5, 2, 0, 2.5, 1.6 h summed over the last 7 nights
    assert tail["sleep_debt_7d_s"].to_list() == pytest.approx(
        [1800.0, 9000.0, 9000.0, 18000.0, 23760.0])
    assert tail["short_sleep"].to_list() == [False, True, False, True, True]
    assert tail["short_nights"].to_list() == [False, False, False, False, True]


def test_a_missing_night_does_not_make_two_short_nights():
    daily = recovery_daily(frame(sleep_s=[5 * 3600, None, 5 * 3600]))
    assert daily["short_nights"].to_list() == [None, None, None]


def test_readiness_rule_needs_hrv_below_normal_and_a_second_signal():
    a = math.log(60)
    hrv = [math.exp(a + (0.1 if i % 2 else -0.1)) for i in range(28)] + [40.0] * 5
    rhr = [48.0] * 31 + [56.0, 56.0]
    sleep = [7.5 * 3600] * 33
    alone = recovery_daily(frame(hrv_rmssd_ms=hrv, sleep_s=sleep))
    assert alone["hrv_below_normal"][-1] is True
    assert apply_rules(alone)["r3_recovery_low"][-1] is False
    both = recovery_daily(frame(hrv_rmssd_ms=hrv, resting_hr_bpm=rhr, sleep_s=sleep))
    assert apply_rules(both)["r3_recovery_low"].to_list()[-3:] == [False, False, True]
    flags = recovery_flags(both)
    assert flags.columns == ["date", *FLAG_COLUMNS]
    assert flags.row(-1) == (START + dt.timedelta(days=32), False, True, True)


def test_calendar_runs_to_end_with_missing_days_null():
    daily = recovery_daily(frame(resting_hr_bpm=[50.0, None, 52.0]),
                           end=START + dt.timedelta(days=4))
    assert daily["date"].to_list() == days(5)
    assert daily["resting_hr_bpm"].to_list() == [50.0, None, 52.0, None, None]
    assert recovery_daily(pl.DataFrame({"date": [], "sleep_s": []},
                                       schema={"date": pl.Date, "sleep_s": pl.Float64})
                          ).is_empty()


def test_status_says_still_learning_with_the_count_then_compares():
    rhr = [48.0] * 10
    learning = recovery_status(recovery_daily(frame(resting_hr_bpm=rhr)), days(10)[-1])
    hrv, resting, sleep = learning
    assert (hrv.state, sleep.state) == ("no_data", "no_data")
    assert resting.state == "learning" and resting.learning == (10, 21)
    assert resting.text == "Resting HR 48 bpm: still learning your normal (10 of 21 days)."
    rhr = [48.0] * 30 + [55.0, 56.0]
    hrv_values = [60.0] * 32
    status = recovery_status(recovery_daily(frame(resting_hr_bpm=rhr, hrv_rmssd_ms=hrv_values,
                                                  hrv_status=["balanced"] * 32)), days(33)[-1])
    hrv, resting, _ = status
    assert resting.state == "elevated" and resting.flagged
    assert resting.text == ("Resting HR 56 bpm (on 01 Apr), +8 vs your 30-day median 48 bpm, "
                            "up on 2 days running.")
    assert hrv.state == "normal" and hrv.device_status == "balanced"
    assert hrv.text.startswith("HRV 60 ms (7-day mean) (on 01 Apr), within your normal 60-60 ms")
    assert (hrv.evidence, hrv.grade) == ("Plews et al. 2014 IJSPP 9:783", "P")
