"""Weekly summaries, one row per ISO week (Monday to Sunday, local calendar days).

Sums are over the week's days; a missing day (training known but not recorded) makes the week's
load or distance null rather than too low. Changes are against the previous week and against
the mean of the 3 weeks before (docs/methods.md section 5); a previous value of 0 gives null
(absolute values only). ACWR, monotony, strain, CTL, ATL and TSB are the values of the week's
last day. Sleep, resting heart rate and HRV are means over the week's days that have them.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from analytics.bodywork import BODYWORK_DAY_COLUMNS
from analytics.suggestions import SUGGESTIONS


def _strict_sum(name: str) -> pl.Expr:
    column = pl.col(name)
    return pl.when(column.null_count() > 0).then(None).otherwise(column.sum()).alias(name)


def _change(name: str) -> list[pl.Expr]:
    column = pl.col(name)
    previous = column.shift(1)
    prior = column.shift(1).rolling_mean(3, min_samples=3)
    return [
        pl.when(previous != 0).then(100.0 * (column - previous) / previous)
        .alias(f"{name}_change_pct"),
        pl.when(prior != 0).then(100.0 * (column - prior) / prior)
        .alias(f"{name}_change_3wk_pct"),
    ]


def weekly_summary(daily: pl.DataFrame | pl.LazyFrame, runs: pl.DataFrame | pl.LazyFrame,
                   start: dt.date | None = None, end: dt.date | None = None) -> pl.DataFrame:
    """One row per ISO week.

    Parameters
    ----------
    daily
        Daily report (:func:`analytics.report.build_report`): ``date``, ``sessions``, ``runs``,
        ``distance_m``, ``run_distance_m``, ``timer_s``, ``run_timer_s``, ``load``,
        ``running_load``,
        ``cross_load``, ``estimated``, ``acwr``, ``acwr_method``, ``monotony``, ``strain``,
        ``ctl``, ``atl``, ``tsb``, ``pain``, ``suggestion``, ``sleep_s``, ``resting_hr_bpm``,
        ``hrv_rmssd_ms``; one row per day in date order.
    runs
        Run table: ``local_date``, ``distance_m``, ``session_s``, ``long_run_ratio``,
        ``spike``, ``avg_cadence_spm``, ``drift_pct``, ``drift_spm_per_h``,
        ``decoupling_pct`` and, when known, ``has_warmup``, ``has_cooldown``
        (:func:`analytics.warmup.run_warmups`).
    start, end
        Keep weeks whose Monday is within these dates (inclusive).

    Returns
    -------
    polars.DataFrame
        ``week`` (ISO label ``YYYY-Www``), ``week_start`` (Monday), ``days`` (calendar days
        covered), ``sessions``, ``runs``, ``distance_m`` (all sports) and ``run_distance_m``
        [m], ``timer_s`` (all sports) and ``run_timer_s`` [s] (timer time, elapsed time for a
        file without a timer), ``load``, ``running_load``, ``cross_load`` and for running
        distance, running timer time and load their
        ``*_change_pct`` (vs last week) and ``*_change_3wk_pct`` (vs prior 3-week mean);
        ``longest_run_m``, ``longest_run_ratio`` (that run / longest of its previous 30 days),
        ``spike_runs``; week-end ``acwr``, ``acwr_method``, ``monotony``, ``strain``, ``ctl``,
        ``atl``, ``tsb``; run means ``cadence_spm`` (time-weighted), ``drift_pct``,
        ``drift_spm_per_h``, ``decoupling_pct``; ``warmup_share_pct`` and
        ``cooldown_share_pct`` (share of the runs classified for warm-up, ``runs_classified``,
        that had one; null without such runs); ``pain_mean``, ``pain_max``, ``pain_days``;
        ``sleep_mean_s``, ``resting_hr_mean_bpm``, ``hrv_mean_ms`` (RMSSD); ``estimated``;
        ``days_<suggestion>`` for each suggestion; body work
        (:data:`analytics.bodywork.BODYWORK_DAY_COLUMNS`: sessions and minutes, in total and
        per category; 0 when ``daily`` has none).
    """
    week = pl.col("date").dt.truncate("1w").alias("week_start")
    lazy = daily.lazy()
    have = lazy.collect_schema().names()
    days = (
        lazy.with_columns(pl.lit(0).alias(c) for c in BODYWORK_DAY_COLUMNS if c not in have)
        .sort("date")
        .group_by(week, maintain_order=True)
        .agg(
            pl.len().alias("days"),
            pl.col("sessions", "runs").sum(),
            *[_strict_sum(n) for n in ("distance_m", "run_distance_m", "load", "running_load",
                                       "cross_load")],
            pl.col("timer_s", "run_timer_s").sum(),
            pl.col("acwr", "acwr_method", "monotony", "strain", "ctl", "atl", "tsb").last(),
            pl.col("pain").mean().alias("pain_mean"),
            pl.col("pain").max().alias("pain_max"),
            pl.col("pain").count().alias("pain_days"),
            pl.col("sleep_s").mean().alias("sleep_mean_s"),
            pl.col("resting_hr_bpm").mean().alias("resting_hr_mean_bpm"),
            pl.col("hrv_rmssd_ms").mean().alias("hrv_mean_ms"),
            pl.col("estimated").any(),
            *[(pl.col("suggestion") == name).sum().alias(f"days_{name}")
              for name in SUGGESTIONS],
            *[pl.col(c).sum() for c in BODYWORK_DAY_COLUMNS],
        )
        .sort("week_start")
        .with_columns(*_change("run_distance_m"), *_change("run_timer_s"), *_change("load"))
    )
    w = pl.col("session_s")
    has_cadence = pl.col("avg_cadence_spm").is_not_null()
    run_frame = runs.lazy()
    names = run_frame.collect_schema().names()
    run_weeks = (
        run_frame.with_columns(pl.lit(None, pl.Boolean).alias(c) for c in ("has_warmup",
                                                                            "has_cooldown")
                               if c not in names)
        .group_by(pl.col("local_date").dt.truncate("1w").alias("week_start"))
        .agg(
            pl.col("distance_m").max().alias("longest_run_m"),
            pl.col("long_run_ratio").sort_by("distance_m", nulls_last=False).last()
            .alias("longest_run_ratio"),
            pl.col("spike").sum().alias("spike_runs"),
            ((pl.col("avg_cadence_spm") * w).filter(has_cadence).sum()
             / w.filter(has_cadence).sum()).fill_nan(None).alias("cadence_spm"),
            pl.col("drift_pct", "drift_spm_per_h", "decoupling_pct").mean(),
            *[(100.0 * pl.col(f"has_{part}").cast(pl.Float64).mean()).alias(f"{part}_share_pct")
              for part in ("warmup", "cooldown")],
            pl.col("has_warmup").is_not_null().sum().alias("runs_classified"),
        )
    )
    out = days.join(run_weeks, on="week_start", how="left", maintain_order="left")
    out = out.with_columns(
        pl.col("spike_runs").fill_null(0),
        pl.format("{}-W{}", pl.col("week_start").dt.iso_year(),
                  pl.col("week_start").dt.week().cast(pl.String).str.zfill(2)).alias("week"),
    )
    if start is not None:
        out = out.filter(pl.col("week_start") >= start)
    if end is not None:
        out = out.filter(pl.col("week_start") <= end)
    first = ["week", "week_start", "days", "sessions", "runs", "distance_m", "run_distance_m",
             "timer_s", "run_timer_s", "load", "running_load", "cross_load",
             "run_distance_m_change_pct", "run_distance_m_change_3wk_pct",
             "run_timer_s_change_pct", "run_timer_s_change_3wk_pct",
             "load_change_pct", "load_change_3wk_pct", "longest_run_m", "longest_run_ratio",
             "spike_runs", "acwr", "acwr_method", "monotony", "strain", "ctl", "atl", "tsb",
             "cadence_spm", "drift_pct", "drift_spm_per_h", "decoupling_pct",
             "warmup_share_pct", "cooldown_share_pct", "runs_classified", "pain_mean",
             "pain_max", "pain_days", "sleep_mean_s", "resting_hr_mean_bpm", "hrv_mean_ms",
             "estimated"]
    return out.select(*first, *[f"days_{n}" for n in SUGGESTIONS],
                      *BODYWORK_DAY_COLUMNS).collect()
