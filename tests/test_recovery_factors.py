"""Short nights, HRV below normal and raised resting HR in the factor analysis (docs/methods.md
sections 11.4 and 12.6): a runner whose back is worse after short nights is told so; one whose
back does not care is told so too, as often as the false-discovery rate allows."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from test_factors import history, row, with_pain

from analytics.factor_days import factor_days
from analytics.factors import factor_associations
from analytics.recovery import recovery_daily, recovery_flags

RECOVERY = ("short_sleep", "hrv_below_normal", "rhr_elevated")


def with_wellness(daily: pl.DataFrame, seed: int = 0, short_share: float = 0.2
                  ) -> pl.DataFrame:
    """The runner's nights, HRV and resting HR: about ``short_share`` of the nights short
    (4.5-5.8 h) at random, the others 6.5-8.5 h; after a short night HRV is lower and resting
    HR higher for two mornings. The flags of :func:`analytics.recovery.recovery_daily` are
    joined on."""
    rng = np.random.default_rng([seed, 12])
    n = daily.height
    short = rng.random(n) < short_share
    sleep_h = np.where(short, rng.uniform(4.5, 5.8, n), rng.uniform(6.5, 8.5, n))
    hrv = np.exp(math.log(60) + rng.normal(0, 0.1, n) - 0.25 * short)
    after = short | np.roll(short, 1)  # up on the morning of a short night and the next
    rhr = np.round(48 + rng.normal(0, 1.5, n) + 6 * after)
    wellness = pl.DataFrame({"date": daily["date"], "sleep_s": sleep_h * 3600,
                             "hrv_rmssd_ms": hrv, "resting_hr_bpm": rhr})
    return daily.join(recovery_flags(recovery_daily(wellness)), on="date", how="left")


def random_pain(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.choice([0.0, 1.0, 1.0, 2.0, 3.0], size=n)


def test_worse_back_after_short_nights_is_found():
    daily, runs = history()
    daily = with_wellness(daily)
    days, factors = factor_days(daily, runs)
    assert {f.name for f in factors} >= set(RECOVERY)
    rng = np.random.default_rng(3)
    pain = random_pain(rng, days.height) + 2.0 * days["short_sleep"].fill_null(0).to_numpy()
    pain[rng.random(days.height) > 0.8] = np.nan  # a day in five not rated
    ranked = factor_associations(with_pain(days, pain), factors)
    after = row(ranked, "short_sleep", 0)  # the night ending on the day of the rating
    assert after["enough_data"] and after["related"]
    assert after["effect"] == pytest.approx(2.0, abs=0.6)
    assert after["ci_adjusted_low"] > 0  # not a matter of that day's load
    assert after["text"].startswith("The day after a short night, your back was")
    # the night before that (lag 1) planted nothing: no effect of that size
    assert abs(row(ranked, "short_sleep", 1)["effect"]) < 1.0
    # all three recovery factors are tested with the same minimum data as the others
    shown = ranked.filter(pl.col("factor").is_in(RECOVERY))
    assert set(shown["factor"]) == set(RECOVERY)
    assert set(zip(shown["factor"], shown["lag_days"], strict=True)) == {
        (f, lag) for f in RECOVERY for lag in (0, 1)}


def test_too_few_short_nights_give_no_number():
    daily, runs = history()
    daily = with_wellness(daily, short_share=0.03)
    days, factors = factor_days(daily, runs)
    pain = random_pain(np.random.default_rng(1), days.height)
    short = row(factor_associations(with_pain(days, pain), factors), "short_sleep", 0)
    assert short["exposed_days"] < 8
    assert not short["enough_data"] and short["effect"] is None
    assert "not enough data yet" in short["text"]


def test_a_back_that_does_not_care_about_sleep_is_rarely_said_to():
    """Pain drawn at random: over 150 runners the share with a recovery factor called related
    stays within the 5 % false-discovery rate (with room for chance: <= 8 %), and so does the
    share with any factor at all (<= 10 %, as for the other factors)."""
    daily, runs = history()
    draws, recovery_related, any_related = 150, 0, 0
    for seed in range(draws):
        days, factors = factor_days(with_wellness(daily, seed), runs)
        rng = np.random.default_rng(500 + seed)
        pain = random_pain(rng, days.height)
        pain[rng.random(days.height) > 0.8] = np.nan
        ranked = factor_associations(with_pain(days, pain), factors, reps=300, seed=seed)
        related = ranked.filter(pl.col("related"))
        recovery_related += bool(related["factor"].is_in(RECOVERY).any())
        any_related += related.height > 0
    assert recovery_related / draws <= 0.08
    assert any_related / draws <= 0.10
