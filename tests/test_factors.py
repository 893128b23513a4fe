"""The factor analysis (docs/methods.md section 11.4) on day tables built by
:func:`analytics.factor_days.factor_days` from synthetic reports: planted effects are found,
load confounding is shown, small data never gives a number, and random pain gives near-nominal
false positives after Benjamini-Hochberg."""

from __future__ import annotations

import datetime as dt
import time

import numpy as np
import polars as pl
import pytest
from scipy.stats import false_discovery_control

from analytics.factor_days import factor_days
from analytics.factors import factor_associations, top_factors

FIRST = dt.date(2026, 1, 5)  # a Monday
RUN_WEEKDAYS = (1, 3, 5, 6)


def history(weeks: int = 24, vest_weeks: range = range(4, 14), body_gap: range = range(9, 13),
            seed: int = 0) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(daily, runs) of a runner: four runs a week, the Sunday one long; a vest on the long
    runs of ``vest_weeks``; body work on Mondays and Thursdays except in ``body_gap``."""
    rng = np.random.default_rng(seed)
    dates = [FIRST + dt.timedelta(days=i) for i in range(7 * weeks)]
    runs, load = [], []
    for i, day in enumerate(dates):
        week, weekday = i // 7, day.weekday()
        if weekday in RUN_WEEKDAYS:
            long = weekday == 6
            load.append(float(rng.uniform(110, 150) if long else rng.uniform(40, 70)))
            runs.append({"local_date": day, "carry": "vest" if long and week in vest_weeks
                         else None, "shoes": "A" if week % 3 else "B", "shoe_km_before": 0.0,
                         "retire_km": 700.0, "has_warmup": bool(rng.random() < 0.6),
                         "surface": None})
        else:
            load.append(0.0)
    body = [1.0 if d.weekday() in (0, 3) and i // 7 not in body_gap else 0.0
            for i, d in enumerate(dates)]
    daily = pl.DataFrame({"date": dates, "load": load, "running_load": load,
                          "bodywork_sessions": body, "pain": [None] * len(dates)},
                         schema_overrides={"pain": pl.Float64})
    return daily, pl.DataFrame(runs)


def with_pain(daily: pl.DataFrame, pain: np.ndarray) -> pl.DataFrame:
    return daily.with_columns(pl.Series("pain", pain).fill_nan(None))


def table(daily: pl.DataFrame, runs: pl.DataFrame):
    return factor_days(daily, runs)


def row(ranked: pl.DataFrame, factor: str, lag: int) -> dict:
    return ranked.filter((pl.col("factor") == factor) & (pl.col("lag_days") == lag)).row(
        0, named=True)


def test_a_planted_vest_effect_is_found_also_after_accounting_for_load():
    daily, runs = history()
    days, factors = table(daily, runs)
    rng = np.random.default_rng(1)
    vest_before = np.r_[0.0, days["carry_vest"].fill_null(0.0).to_numpy()[:-1]]
    pain = rng.choice([0.0, 1.0, 1.0, 2.0], size=days.height) + 1.5 * vest_before
    ranked = factor_associations(with_pain(days, pain), factors)
    vest = row(ranked, "carry_vest", 1)
    assert vest["related"] and vest["rank"] == 1
    assert vest["ci_low"] < 1.5 < vest["ci_high"]
    assert vest["effect_adjusted"] == pytest.approx(1.5, abs=0.5)
    assert vest["exposed_days"] == 10 and vest["unexposed_days"] > 60
    assert vest["text"].startswith(
        f"The day after runs with the vest, your back was {vest['effect']:.1f} points worse")
    assert "also after accounting for that day's load" in vest["text"]
    assert "not a cause" in vest["text"]
    # long runs carry the vest: that day's load was higher, and the sentence says so
    assert vest["load_difference_pct"] > 25 and "more training load" in vest["text"]
    assert top_factors(ranked)["factor"][0] == "carry_vest"


def test_an_effect_of_load_alone_fades_once_load_is_accounted_for():
    daily, runs = history(vest_weeks=range(0, 24))  # the vest on every long run
    days, factors = table(daily, runs)
    rng = np.random.default_rng(2)
    load_before = np.r_[0.0, days["load"].to_numpy()[:-1]]
    pain = rng.normal(1.0, 0.5, days.height) + 0.02 * load_before
    vest = row(factor_associations(with_pain(days, pain), factors), "carry_vest", 1)
    assert vest["effect"] > 1.0  # the vest days are the heavy days ...
    assert vest["ci_adjusted_low"] < 0 < vest["ci_adjusted_high"]  # ... and nothing more
    if vest["related"]:
        assert "but not clearly once that day's load is accounted for" in vest["text"]


def test_below_the_minimum_data_there_is_never_a_number():
    daily, runs = history(vest_weeks=range(4, 11))  # 7 long runs with the vest
    days, factors = table(daily, runs)
    pain = np.random.default_rng(3).choice([0.0, 1.0, 2.0], size=days.height)
    short = days.with_columns(pl.when(pl.col("date") < FIRST + dt.timedelta(days=30))
                              .then(pl.col("long_run_ratio")).alias("long_run_ratio"))
    rows = factor_associations(with_pain(short, pain), factors)
    vest = row(rows, "carry_vest", 1)
    assert not vest["enough_data"] and vest["exposed_days"] == 7
    for key in ("effect", "effect_adjusted", "ci_low", "ci_high", "p_value", "q_value"):
        assert vest[key] is None, key
    assert vest["text"] == ("The day after runs with the vest: not enough data yet: 7 of 8 days "
                            "(rated days with it and without it, each).")
    assert rows.filter(~pl.col("enough_data"))["rank"].min() > rows.filter(
        pl.col("enough_data"))["rank"].max()


def test_q_values_are_benjamini_hochberg_over_every_factor_and_lag_shown():
    daily, runs = history()
    days, factors = table(daily, runs)
    pain = np.random.default_rng(4).choice([0.0, 1.0, 2.0, 3.0], size=days.height)
    ranked = factor_associations(with_pain(days, pain), factors)
    shown = ranked.filter(pl.col("enough_data"))
    assert shown.height >= 10
    expected = false_discovery_control(shown["p_value"].to_numpy(), method="bh")
    assert shown["q_value"].to_numpy() == pytest.approx(expected)
    assert (shown["related"] == (shown["q_value"] < 0.05)).all()


def test_a_year_of_days_with_2000_resamples_takes_seconds():
    daily, runs = history(weeks=52)
    days, factors = table(daily, runs)
    pain = np.random.default_rng(5).choice([0.0, 1.0, 2.0], size=days.height)
    factor_associations(with_pain(days.head(60), pain[:60]), factors)  # imports scipy.stats
    began = time.perf_counter()
    ranked = factor_associations(with_pain(days, pain), factors, reps=2000)
    assert ranked.filter(pl.col("enough_data")).height >= 10
    assert time.perf_counter() - began < 3.0


@pytest.mark.parametrize("kind", ["independent", "autocorrelated"])
def test_random_pain_relates_to_no_factor_near_the_nominal_rate(kind):
    """Over many histories whose pain has nothing to do with their factors, the share with any
    factor reported as related stays near the false-discovery rate (5 %): under the global
    null Benjamini-Hochberg bounds exactly that share. 300 resamples instead of 2,000 keep
    the test fast: p-values come from the bootstrap SE (read with t), so fewer resamples only
    make the SE a little noisier - they cannot make small p-values impossible, as percentile
    p-values (floor 2/301) would."""
    daily, runs = history()
    days, factors = table(daily, runs)
    rated = np.random.default_rng(6).random(days.height) < 0.8
    seeds, any_related, p_small, tests = 200, 0, 0, 0
    for seed in range(seeds):
        rng = np.random.default_rng(100 + seed)
        if kind == "independent":
            pain = rng.choice([0.0, 1.0, 1.0, 2.0, 3.0], size=days.height)
        else:
            noise = rng.normal(size=days.height)
            pain = np.zeros(days.height)
            for i in range(1, days.height):
                pain[i] = 0.6 * pain[i - 1] + noise[i]
            pain = np.clip(np.round(1.5 + pain), 0, 6)
        pain[~rated] = np.nan
        ranked = factor_associations(with_pain(days, pain), factors, reps=300, seed=seed)
        shown = ranked.filter(pl.col("enough_data"))
        any_related += bool(shown["related"].any())
        p_small += int((shown["p_value"] < 0.05).sum())
        tests += shown.height
    assert any_related / seeds <= 0.10
    assert 0.01 <= p_small / tests <= 0.08


def test_tips_name_a_warm_up_streak_and_only_the_levers_among_related_factors():
    from analytics.lever_tips import lever_tips, warmup_tip

    days = [FIRST + dt.timedelta(days=i) for i in range(6)]
    runs = pl.DataFrame({"local_date": days,
                         "has_warmup": [True, False, None, False, False, None]})
    assert warmup_tip(runs, days[-1]).startswith("Your last 3 runs had no warm-up")
    assert warmup_tip(runs, days[3]) is None  # only 2 in a row by then
    assert "Fradkin" in warmup_tip(runs, days[-1])
    daily, history_runs = history()
    table_days, factors = table(daily, history_runs)
    rng = np.random.default_rng(7)
    vest_before = np.r_[0.0, table_days["carry_vest"].fill_null(0.0).to_numpy()[:-1]]
    load_before = np.r_[0.0, table_days["load"].to_numpy()[:-1]]
    pain = rng.choice([0.0, 1.0], size=table_days.height) + 1.5 * vest_before \
        + 0.03 * load_before
    ranked = factor_associations(with_pain(table_days, pain), factors)
    related = set(top_factors(ranked)["factor"])
    assert {"carry_vest", "load"} <= related
    tips = lever_tips(runs, ranked, days[-1])
    assert any(t.startswith("From your data: The day after runs with the vest") for t in tips)
    assert not any("training load, your back" in t for t in tips)  # load is no lever


def test_resampled_coefficients_equal_those_of_the_resamples_themselves():
    """The block sums give each resample's slope and load-adjusted coefficient as fitting the
    resampled pairs does (blocks of 7 over 52 pairs: the last block is cut to 3)."""
    from analytics.association import block_bootstrap_indices, block_bootstrap_starts
    from analytics.factors import _adjusted, _resampled_coefficients, _slopes

    x, y, z = np.random.default_rng(3).normal(size=(3, 52))
    starts = block_bootstrap_starts(52, 7, 40, np.random.default_rng(4))
    idx = block_bootstrap_indices(52, 7, 40, np.random.default_rng(4))
    slopes, adjusted = _resampled_coefficients(x, y, z, starts, 7)
    assert slopes == pytest.approx(_slopes(x[idx], y[idx]), rel=1e-9)
    assert adjusted == pytest.approx(_adjusted(x[idx], y[idx], z[idx]), rel=1e-9)


def test_a_resample_that_draws_one_value_only_has_no_slope():
    """Sums of squares of one load value repeated lose digits: such a resample is constant,
    not a slope of rounding noise (which would widen the interval)."""
    from analytics.factors import _resampled_coefficients

    x = np.full(365, 134.89335688193515)  # a day's load; its sums do not cancel exactly
    x[0] = 80.0
    y, z = np.random.default_rng(1).normal(size=(2, 365))
    starts = np.vstack([np.ones(365, int), np.arange(365)])  # blocks of one pair
    slopes, adjusted = _resampled_coefficients(x, y, z, starts, 1)
    assert np.isnan(slopes[0]) and np.isnan(adjusted[0])
    assert slopes[1] == pytest.approx(np.polyfit(x, y, 1)[0])
