"""The per-day metrics of the report (:func:`analytics.report.build_report`): every rolling
value of its calendar, computed in one pass of polars expressions over the whole history
(each looks backwards only)."""

from __future__ import annotations

import polars as pl

from analytics import acwr as acwr_model
from analytics.fitness import atl, ctl, ramp, tsb
from analytics.monotony import monotony, monotony_level, own_percentile, strain
from analytics.pain import (
    episode_start_index,
    new_onset,
    not_improving,
    pain_trend,
    pain_vs_median,
    pain_zscore,
)
from analytics.progression import (
    change_vs_previous,
    change_vs_prior_mean,
    days_in_block,
    window_sum,
)
from analytics.rules import RULES
from analytics.settings import Settings


def _long_run_7d(lookback: int) -> list[pl.Expr]:
    """The run behind ``max_run_ratio_7d`` (the latest day of the window with that ratio): its
    distance ``long_run_7d_m``, the longest run of the window before it
    ``long_run_7d_prior_m`` [m] and its day ``long_run_7d_date`` (for the reason's words)."""
    ratio = pl.col("max_run_ratio")
    best = ratio.rolling_max(lookback, min_samples=1)

    def pick(column: str) -> pl.Expr:
        return pl.coalesce([pl.when(ratio.shift(k) == best).then(pl.col(column).shift(k))
                            for k in range(lookback)])

    return [pick("max_ratio_run_m").alias("long_run_7d_m"),
            (pick("max_ratio_run_m") / best).alias("long_run_7d_prior_m"),
            pick("date").alias("long_run_7d_date")]


def daily_metrics(frame: pl.DataFrame, s: Settings, birth_year: int | None) -> pl.DataFrame:
    """The per-day metrics of the report's calendar ``frame`` (one row per day, in date
    order, with the day's loads, runs, pain and journal columns): ACWR by the three methods
    and the one shown with its band, acute and chronic load, monotony and strain against the
    runner's own 90th percentile, CTL/ATL/TSB and ramp, 7-day sums and weekly changes, the
    block day, the long-run and cadence values of the last 7 days, pain now, its trend,
    z-score and episode (start, days, not improving, new onset) and age."""
    load = pl.col("load")
    history = pl.col("history_days")
    acute, chronic = s.integer("acwr_acute_days"), s.integer("acwr_chronic_days")
    gate = s.integer("acwr_min_history_days")
    seed_days = s.integer("fitness_seed_days")
    convention = s.text("ewma_convention")
    carry = s.integer("pain_carry_days")
    lookback = s.integer("load_flag_lookback_days")
    pain = pl.col("pain")
    index = pl.int_range(pl.len())
    ratios = {
        "acwr_rolling_coupled": acwr_model.acwr_rolling_coupled(load, acute, chronic),
        "acwr_rolling_uncoupled": acwr_model.acwr_rolling_uncoupled(load, acute, chronic),
        "acwr_ewma": acwr_model.acwr_ewma(load, acute, chronic, gate),
    }
    days = s.integer("monotony_days")
    cap = s.number("monotony_cap")
    episode_start = pl.col("pain_episode_start")
    out = frame.with_columns(
        episode_start_index(pain, s.integer("episode_min_level"), s.integer("episode_gap_days"))
        .alias("pain_episode_start")
    ).with_columns(
        acwr_model.acute_load(load, acute).alias("acute_load"),
        acwr_model.chronic_load_coupled(load, chronic).alias("chronic_load"),
        *[acwr_model.history_gate(expr, history, gate).alias(name)
          for name, expr in ratios.items()],
        acwr_model.history_status(history, gate, s.integer("acwr_calibrating_days"))
        .alias("acwr_status"),
        monotony(load, days, cap).alias("monotony"),
        strain(load, days, cap).alias("strain"),
        ctl(load, s.integer("ctl_days"), convention, seed_days).alias("ctl"),
        atl(load, s.integer("atl_days"), convention, seed_days).alias("atl"),
        window_sum(load).alias("load_7d"),
        window_sum(pl.col("run_distance_m")).alias("run_distance_7d"),
        window_sum(pl.col("run_timer_s")).alias("run_timer_7d"),
        *[
            expr(pl.col(name)).alias(f"{label}_{suffix}")
            for name, label in (("run_distance_m", "run_distance"), ("run_timer_s", "run_timer"),
                                ("load", "load"))
            for expr, suffix in ((change_vs_previous, "change_pct"),
                                 (change_vs_prior_mean, "change_3wk_pct"))
        ],
        days_in_block(pl.col("runs"), s.integer("block_break_days")).alias("block_day"),
        pl.col("max_run_ratio").rolling_max(lookback, min_samples=1).alias("max_run_ratio_7d"),
        *_long_run_7d(lookback),
        pl.col("longest_run_m").rolling_max(s.integer("long_run_window_days") + 1,
                                            min_samples=1).alias("longest_run_30d"),
        pl.col("cadence_deviation_pct").rolling_min(lookback, min_samples=1)
        .alias("cadence_deviation_pct_7d"),
        (pl.col("cadence_drop").cast(pl.Int8).rolling_max(lookback, min_samples=1) > 0)
        .alias("cadence_drop_7d"),
        pl.col("decoupling_pct").rolling_max(lookback, min_samples=1).alias("decoupling_pct_7d"),
        pain.forward_fill(limit=carry).alias("pain_now"),
        pain_vs_median(pain, s.integer("pain_median_days"), s.integer("pain_median_min_days"))
        .forward_fill(limit=carry).alias("pain_up"),
        pain_trend(pain, s.integer("rising_pain_days"), s.integer("rising_pain_min_days"))
        .forward_fill(limit=carry).alias("pain_trend"),
        pain_zscore(pain, s.integer("pain_z_days"), s.integer("pain_z_min_days"))
        .alias("pain_z"),
        (pl.col("pain_during_run").cast(pl.Int8)
         .rolling_max(s.integer("during_run_lookback_days"), min_samples=1) > 0)
        .fill_null(False).alias("pain_during_run_recent"),
        not_improving(pain, s.integer("no_improvement_days"), s.integer("episode_min_level"),
                      s.integer("episode_gap_days"), s.number("pain_change_points"),
                      s.number("pain_change_pct"), start=episode_start)
        .alias("pain_not_improving"),
        (index - episode_start + 1).alias("pain_episode_days"),
        new_onset(pain, pl.col("date"), birth_year, s.integer("onset_history_days"),
                  s.integer("episode_min_level"), s.integer("episode_gap_days"),
                  s.integer("onset_age_low"), s.integer("onset_age_high"), start=episode_start)
        .alias("pain_new_onset"),
        (pl.col("date").dt.year() - birth_year if birth_year else pl.lit(None, pl.Int32))
        .alias("age"),
    ).with_columns(
        pl.col(f"acwr_{s.text('acwr_method')}").alias("acwr"),
        pl.lit(s.text("acwr_method")).alias("acwr_method"),
        tsb(pl.col("ctl"), pl.col("atl")).alias("tsb"),
        ramp(pl.col("ctl")).alias("ctl_ramp"),
        own_percentile(pl.col("strain"), s.number("strain_percentile"),
                       s.integer("strain_window_days"), s.integer("strain_min_days"))
        .alias("strain_p90"),
        (pl.col("pain_z").abs() >= s.number("pain_z_notable")).fill_null(False)
        .alias("pain_notable"),
    )
    return out.with_columns(
        acwr_model.acwr_band(pl.col("acwr"), s.number("acwr_sweet_low"),
                             s.number("acwr_sweet_high"), s.number("acwr_danger"))
        .alias("acwr_band"),
        (pl.col("strain") > pl.col("strain_p90")).fill_null(False).alias("strain_high"),
        monotony_level(pl.col("monotony"), s.number("monotony_warn"),
                       RULES["flag_monotony"].limit.value(s)).alias("monotony_level"),
    )
