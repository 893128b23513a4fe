"""What came before each pain episode (analytics.episode_context), on hand-made daily and run
tables: the flagged week, the long run and the form signals in the weeks before, not those
before the lookback or inside the episode before."""

from __future__ import annotations

import datetime as dt

import polars as pl

from analytics.episode_context import episode_contexts
from analytics.settings import Settings

START = dt.date(2026, 3, 2)


def daily(pain: dict[int, int], spikes: dict[int, float]) -> pl.DataFrame:
    days = 70
    return pl.DataFrame({
        "date": [START + dt.timedelta(days=k) for k in range(days)],
        "pain": [pain.get(k) for k in range(days)],
        "flag_weekly_distance": [k in spikes for k in range(days)],
        "run_distance_change_pct": [spikes.get(k, 5.0) for k in range(days)],
        "run_distance_7d": [40000.0] * days,
        "early_in_block": [False] * days,
    }, schema_overrides={"pain": pl.Int32})


def runs(rows: list[dict]) -> pl.DataFrame:
    base = {"spike": False, "long_run_ratio": 0.8, "cadence_drop": False,
            "cadence_deviation_pct": 0.0, "cadence_deviation_z": 0.0, "decoupling_pct": None,
            "drift_pct": None, "distance_m": 10000.0}
    return pl.DataFrame([
        {**base, **row, "local_date": START + dt.timedelta(days=row["day"]),
         "start_time": dt.datetime.combine(START + dt.timedelta(days=row["day"]),
                                           dt.time(7))}
        for row in rows]).drop("day")


def test_signals_of_the_weeks_before_each_episode():
    pain = {k: 1 for k in range(70)} | {30: 4, 31: 5, 32: 3, 36: 4}  # episodes 30-32 and 36
    table = daily(pain, {8: 60.0, 27: 35.0, 28: 42.0})  # day 8: before the 3-week lookback
    run_table = runs([
        {"day": 29, "distance_m": 21000.0, "spike": True, "long_run_ratio": 1.32,
         "cadence_drop": True, "cadence_deviation_pct": -3.4, "cadence_deviation_z": -2.5,
         "decoupling_pct": 7.5, "drift_pct": -4.0},
        {"day": 25, "decoupling_pct": 4.0, "drift_pct": -1.0},  # under both thresholds
        {"day": 31, "spike": True, "long_run_ratio": 1.5},  # inside the first episode
    ])
    first, second = episode_contexts(table, run_table, Settings())
    assert (first.start, first.end, first.days, first.peak) == (
        START + dt.timedelta(days=30), START + dt.timedelta(days=32), 3, 5)
    assert first.lookback_start == START + dt.timedelta(days=9)  # 3 weeks before
    assert [(s.kind, (s.date - START).days) for s in first.signals] == [
        ("weekly_distance", 28), ("long_run", 29), ("cadence", 29), ("decoupling", 29),
        ("cadence_drift", 29)]
    texts = [s.text for s in first.signals]
    assert texts[0] == ("running distance in the 7 days to Mon 30 Mar: 40.0 km, +42 % on the "
                        "7 days before")
    assert texts[1:] == ["1.32 x the longest of the previous 30 days",
                         "cadence -3.4 % (-2.5 SD) against your usual at that speed",
                         "Pa:HR decoupling 7.5 %", "cadence fell 4.0 % during the run"]
    assert [s.threshold for s in first.signals] == [
        "> +30 %", "> 1.1 x", "<= -3 % or -2 SD", "> 5 %", "<= -3 %"]
    assert first.signals[1].run_km == 21.0
    # the second episode looks back to the day after the first ended: the long run inside the
    # first episode is not "before" it
    assert second.lookback_start == START + dt.timedelta(days=33)
    assert second.signals == ()


def test_no_episode_no_context():
    assert episode_contexts(daily({k: 2 for k in range(70)}, {}), runs([{"day": 3}]),
                            Settings()) == []
