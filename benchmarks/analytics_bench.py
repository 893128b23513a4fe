"""Benchmark the daily analytics on 10 years of history (target: < 100 ms).

Generates a synthetic athlete (deterministic, ``random.Random``-style seeded numpy generator):
``--years`` of training with ~6 sessions a week (runs, rides, swims, yoga), every activity with
its stored metrics (heart-rate histogram, cadence speed bands, drift, Pa:HR for long runs), a
daily pain journal and session RPE for a quarter of the sessions. Then times
:func:`analytics.report.build_report` - every daily metric (loads, ACWR x3, monotony, strain,
CTL/ATL/TSB, ramp, weekly changes, long-run ratio, cadence baseline, pain measures, rules and the
suggestion of every day) - ``--repeat`` times and prints the median, plus the median of the
weekly summary and of one ``advise`` call on top of a built report.

Run with::

    python benchmarks/analytics_bench.py --years 10 --repeat 21
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable

import numpy as np
import polars as pl

from analytics.activity_metrics import ACTIVITY_METRICS_SCHEMA, HR_HIST_BINS, HR_HIST_MIN_BPM
from analytics.athlete import AthleteProfile
from analytics.report import build_report

TARGET_MS = 100.0
START = dt.date(2015, 1, 5)
#: Weekly pattern: (sport, minutes) per weekday; None = rest.
PATTERN = (None, ("running", 50), ("cycling", 60), ("running", 45), None, ("running", 40),
           ("running", 100))


def synthetic_history(years: int, seed: int = 42) -> tuple[pl.DataFrame, pl.DataFrame,
                                                            pl.DataFrame]:
    """(activities with metrics, pain journal, RPE) for ``years`` years."""
    rng = np.random.default_rng(seed)
    days = 365 * years
    rows = []
    for i in range(days):
        date = START + dt.timedelta(days=i)
        plan = PATTERN[i % 7]
        if plan is None or rng.random() < 0.08:  # rest days and some missed sessions
            continue
        sport, minutes = plan
        if sport == "cycling" and rng.random() < 0.3:
            sport = rng.choice(["swimming", "yoga"])
        minutes *= float(rng.uniform(0.8, 1.25)) * (1.0 + 0.3 * np.sin(i / 60))
        seconds = minutes * 60
        hist = np.zeros(HR_HIST_BINS)
        hr = rng.normal(145, 8, size=int(seconds) // 10).round().astype(int)
        np.add.at(hist, np.clip(hr - HR_HIST_MIN_BPM, 0, HR_HIST_BINS - 1), 10.0)
        run = sport == "running"
        speed = float(rng.uniform(2.7, 3.4)) if run else None
        rows.append({
            "id": len(rows) + 1, "sport": sport, "local_date": date.isoformat(),
            "start_time": dt.datetime.combine(date, dt.time(7), tzinfo=dt.UTC),
            "duration_s": seconds * 1.02, "timer_time_s": seconds,
            "distance_m": seconds * speed if run else None,
            "avg_cadence_spm": float(rng.normal(172, 3)) if run else None,
            "hr_hist_s": hist.tolist(), "hr_seconds": float(hist.sum()),
            "hr_max_5s_bpm": float(hr.max()), "moving_s": seconds,
            "norm_speed_m_s": speed,
            "cadence_bands": [
                {"speed_band_m_s": b, "cadence_spm": float(rng.normal(166 + 8 * b, 2)),
                 "seconds": seconds / 3}
                for b in (2.75, 3.0, 3.25)
            ] if run else [],
            "drift_pct": float(rng.normal(1, 1)) if run and minutes > 40 else None,
            "decoupling_pct": float(rng.normal(3, 2)) if run and minutes > 60 else None,
        })
    activities = pl.DataFrame(rows, schema_overrides={
        "hr_hist_s": ACTIVITY_METRICS_SCHEMA["hr_hist_s"],
        "cadence_bands": ACTIVITY_METRICS_SCHEMA["cadence_bands"],
    })
    pain = pl.DataFrame({
        "date": [START + dt.timedelta(days=i) for i in range(days)],
        "area": ["upper-back"] * days,
        "level": np.clip(rng.poisson(1.0, days), 0, 10),
        "during_run": rng.random(days) < 0.03,
        "red_flags": [[] for _ in range(days)],
        "note": [""] * days,
    }, schema_overrides={"red_flags": pl.List(pl.String)})
    rated = activities.sample(fraction=0.25, seed=seed)
    rpe = pl.DataFrame({"activity_id": rated["id"], "rpe": rng.integers(2, 9, rated.height)})
    return activities, pain, rpe


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    activities, pain, rpe = synthetic_history(args.years)
    profile = AthleteProfile(sex="female", birth_year=1985, hr_rest=48, lthr=168)
    report = build_report(activities, pain, rpe, profile)
    print(f"history: {args.years} years, {activities.height} activities, "
          f"{report.daily.height} days, {report.daily.width} daily columns")
    daily = median_ms(lambda: build_report(activities, pain, rpe, profile), args.repeat)
    weekly = median_ms(report.weekly, args.repeat)
    last = report.daily["date"][-1]
    advise = median_ms(lambda: report.advise(last, planned_distance_m=20000), args.repeat)
    verdict = "OK" if daily < TARGET_MS else "SLOWER THAN TARGET"
    print(f"all daily metrics (build_report): median {daily:.1f} ms "
          f"(target < {TARGET_MS:.0f} ms: {verdict})")
    print(f"weekly summary on a built report: median {weekly:.1f} ms")
    print(f"advise(day, planned run) on a built report: median {advise:.1f} ms")


if __name__ == "__main__":
    main()
