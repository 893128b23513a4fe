"""Lagged Spearman of daily metrics vs pain: block bootstrap, Benjamini-Hochberg, minimum n."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from scipy.stats import false_discovery_control, rankdata, spearmanr

from analytics import association as assoc


def test_benjamini_hochberg_hand_values() -> None:
    p = np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205])
    # p * 8 / rank = .008, .032, .104, .082, .0672, .08, .084571, .205; running minimum
    # from the largest rank down gives:
    expected = [0.008, 0.032, 0.0672, 0.0672, 0.0672, 0.08, 0.084571, 0.205]
    np.testing.assert_allclose(assoc.benjamini_hochberg(p), expected, atol=1e-6)
    np.testing.assert_allclose(assoc.benjamini_hochberg(np.array([0.01, np.nan, 0.04])),
                               [0.02, np.nan, 0.04])
    assert np.isnan(assoc.benjamini_hochberg(np.array([np.nan]))).all()


def test_benjamini_hochberg_equals_scipys_with_ties_and_gaps() -> None:
    rng = np.random.default_rng(3)
    for size in (1, 2, 7, 40):
        p = rng.choice([0.001, 0.01, 0.04, 0.2, 0.5, 0.9, 1.0], size=size) * rng.uniform(
            0.9, 1.0, size=size) ** rng.integers(0, 2, size=size)
        p[rng.random(size) < 0.2] = np.nan
        q = assoc.benjamini_hochberg(p)
        finite = np.isfinite(p)
        assert np.array_equal(np.isnan(q), ~finite)
        if finite.any():
            np.testing.assert_allclose(q[finite], false_discovery_control(p[finite], method="bh"),
                                       rtol=1e-12)


def test_spearman_rows_matches_scipy_with_ties() -> None:
    rng = np.random.default_rng(3)
    x = rng.integers(0, 5, (4, 30)).astype(float)
    y = rng.integers(0, 8, (4, 30)).astype(float)
    got = assoc.spearman_rows(x, y)
    for row in range(4):
        assert got[row] == pytest.approx(spearmanr(x[row], y[row]).statistic)
    assert np.isnan(assoc.spearman_rows(np.ones(5), np.arange(5.0)))


def test_block_bootstrap_indices() -> None:
    idx = assoc.block_bootstrap_indices(20, 7, 50, np.random.default_rng(0))
    assert idx.shape == (50, 20) and idx.min() >= 0 and idx.max() < 20
    # each row is made of runs of 7 consecutive indices (the last run cut to 6)
    steps = np.diff(idx, axis=1)
    for cut in (6, 13):
        steps[:, cut] = 1
    assert (steps == 1).all()
    # every block start 0..13 can be drawn, the last one (indices 13..19) included
    many = assoc.block_bootstrap_indices(20, 7, 500, np.random.default_rng(1))
    assert set(many[:, 0]) == set(range(14)) and many.max() == 19
    # a block longer than the series: the series itself
    same = assoc.block_bootstrap_indices(5, 7, 3, np.random.default_rng(0))
    assert (same == np.arange(5)).all()


def test_hand_computed_rho_and_interval() -> None:
    # x = 1..5, pain 2, 1, 4, 3, 5: d = -1, 1, -1, 1, 0 -> rho = 1 - 6*4/(5*24) = 0.8.
    # Blocks of 7 > 5 pairs: every resample is the series itself, so the interval is
    # [0.8, 0.8] and p = 2 * (0 + 1) / (99 + 1) = 0.02. Lags 1-3 have < 5 pairs.
    daily = pl.DataFrame({"load": [1.0, 2, 3, 4, 5], "pain": [2, 1, 4, 3, 5]})
    out = assoc.lagged_association(daily, ["load"], min_pairs=5, reps=99)
    first = out.row(0, named=True)
    assert first["rho"] == pytest.approx(0.8) and first["n_pairs"] == 5
    assert (first["ci_low"], first["ci_high"]) == (pytest.approx(0.8), pytest.approx(0.8))
    assert first["p_value"] == pytest.approx(0.02) and first["q_value"] == pytest.approx(0.02)
    assert first["significant"] and "on the same day as days with higher load" in first["text"]
    assert out["status"].to_list() == ["ok"] + [assoc.NOT_ENOUGH] * 3
    assert out["rho"][1:].null_count() == 3  # never a number below the minimum


def lagged_history(days: int = 120) -> pl.DataFrame:
    rng = np.random.default_rng(11)
    load = rng.uniform(0, 100, days)
    pain = np.r_[[0.0], np.round(load[:-1] / 10)]  # pain follows yesterday's load
    return pl.DataFrame({"load": load, "running_load": rng.uniform(0, 50, days),
                         "pain": pain.astype(int)})


@pytest.mark.parametrize("lazy", [False, True])
def test_lag_one_relationship_is_found(lazy: bool) -> None:
    daily = lagged_history()
    out = assoc.lagged_association(daily.lazy() if lazy else daily, ["load", "running_load"],
                                   reps=500)
    assert out.schema == pl.Schema(assoc.ASSOCIATION_SCHEMA) and out.height == 8
    lag1 = out.filter((pl.col("metric") == "load") & (pl.col("lag_days") == 1)).row(0, named=True)
    assert lag1["rho"] > 0.95 and lag1["significant"] and lag1["ci_low"] > 0.9
    assert "1 day after days with higher load" in lag1["text"]
    others = out.filter(pl.col("metric") == "running_load")
    assert not others["significant"].any()
    # reproducible (seeded)
    assert_frame_equal(out, assoc.lagged_association(daily, ["load", "running_load"], reps=500))


def test_not_enough_data_and_no_variation() -> None:
    short = lagged_history(20)
    out = assoc.lagged_association(short, ["load"])
    assert out["status"].to_list() == [assoc.NOT_ENOUGH] * 4
    assert out["rho"].null_count() == 4 and not out["significant"].any()
    assert out["text"][0] == "load at lag 0: not enough data yet."
    flat = lagged_history().with_columns(pl.lit(2).alias("pain"))
    assert set(assoc.lagged_association(flat, ["load"])["status"]) == {"no variation"}
    nulls = lagged_history().with_columns(pl.lit(None, pl.Int64).alias("pain"))
    assert assoc.lagged_association(nulls, ["load"])["n_pairs"].to_list() == [0, 0, 0, 0]
    empty = assoc.lagged_association(lagged_history().clear(), ["load"])
    assert empty["status"].to_list() == [assoc.NOT_ENOUGH] * 4
    assert assoc.lagged_association(lagged_history(), []).height == 0


def test_at_most_three_metrics() -> None:
    with pytest.raises(ValueError, match="at most 3"):
        assoc.lagged_association(lagged_history(), ["load", "pain", "running_load", "x"])


def test_bootstrap_spearman_equals_ranking_every_resample() -> None:
    """Counting ranks per resample gives exactly scipy's average ranks (many ties)."""
    rng = np.random.default_rng(3)
    x = np.where(rng.random(120) < 0.4, 0.0, rng.gamma(2.0, 40.0, 120))  # rest days tie at 0
    y = rng.integers(0, 11, 120).astype(float)  # pain levels: heavy ties
    idx = assoc.block_bootstrap_indices(120, 7, 200, rng)
    expected = assoc.spearman_rows(x[idx], y[idx])
    np.testing.assert_allclose(assoc.bootstrap_spearman(x, y, idx), expected, rtol=1e-12,
                               atol=1e-12)
    assert np.isnan(assoc.bootstrap_spearman(np.ones(10), np.arange(10.0),
                                             np.tile(np.arange(10), (2, 1)))).all()


def test_resampled_ranks_are_scipys_average_ranks() -> None:
    rng = np.random.default_rng(5)
    values = rng.integers(0, 6, 40).astype(float)  # many ties
    idx = assoc.block_bootstrap_indices(40, 5, 30, rng)
    np.testing.assert_array_equal(assoc.resampled_ranks(values, idx),
                                  rankdata(values[idx], axis=-1))


def test_sentences_say_direction_lag_and_numbers() -> None:
    def sentence(rho: float | None, lag: int, significant: bool = True, **kw: float | None
                 ) -> str:
        numbers = {"ci_low": -0.8, "ci_high": -0.2} | kw
        return assoc._Test("load", lag, 40, "ok", rho, **numbers).sentence(significant)

    assert sentence(-0.5, 1) == (
        "In your data, pain tended to be lower 1 day after days with higher load (rho = "
        "-0.50, 95 % CI -0.80 to -0.20). An association, not a cause.")
    assert "higher 2 days after days with higher load" in sentence(0.5, 2, ci_low=0.2,
                                                                  ci_high=0.8)
    assert "lower on the same day as days" in sentence(-0.5, 0)
    assert sentence(-0.5, 3, significant=False) == (
        "In your data, no clear link between pain and load 3 day(s) earlier (rho = -0.50, "
        "95 % CI -0.80 to -0.20). This may change as data grows.")
    # without an interval there is no number to show, only the status
    assert sentence(-0.5, 1, ci_low=None) == "load at lag 1: ok."
    assert sentence(-0.5, 1, ci_high=None) == "load at lag 1: ok."
    assert sentence(None, 1) == "load at lag 1: ok."


def test_a_lag_without_pairs_does_not_end_the_other_lags() -> None:
    """Load known on even days, pain on odd days: no pairs on the same day, many a day later."""
    history = lagged_history()
    even = np.arange(history.height) % 2 == 0
    daily = history.with_columns(
        pl.when(pl.Series(even)).then(pl.col("load")).alias("load"),
        pl.when(pl.Series(~even)).then(pl.col("pain")).alias("pain"),
    )
    out = assoc.lagged_association(daily, ["load"], reps=300)
    assert out["n_pairs"].to_list() == [0, 60, 0, 59]
    assert out["status"].to_list() == [assoc.NOT_ENOUGH, "ok", assoc.NOT_ENOUGH, "ok"]
    assert out["significant"][1] and out["rho"][1] > 0.9


def test_interval_and_p_value_are_the_bootstrap_percentiles_and_tails() -> None:
    """Rebuild one test by hand: the same seeded blocks, percentiles 2.5/97.5 and the
    two-sided tail p = 2 (min(#rho* <= 0, #rho* >= 0) + 1) / (B + 1)."""
    daily = lagged_history(60)
    out = assoc.lagged_association(daily, ["running_load"], max_lag=0, min_pairs=20, reps=400,
                                   seed=9, block_days=5)
    row = out.row(0, named=True)
    x = daily["running_load"].to_numpy()
    y = daily["pain"].to_numpy().astype(float)
    idx = assoc.block_bootstrap_indices(60, 5, 400, np.random.default_rng(9))
    boot = assoc.bootstrap_spearman(x, y, idx)
    low, high = np.percentile(boot, [2.5, 97.5])
    tail = min(np.sum(boot <= 0), np.sum(boot >= 0))
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    assert row["p_value"] == pytest.approx(2 * (tail + 1) / 401) and row["p_value"] <= 1.0
    assert abs(row["rho"]) < 0.3 and not row["significant"]  # unrelated series


def test_significance_is_q_below_the_rate_and_missing_q_is_null() -> None:
    daily = lagged_history()
    out = assoc.lagged_association(daily, ["load"], reps=300, min_pairs=118)
    assert out["status"].to_list() == ["ok", "ok", "ok", assoc.NOT_ENOUGH]
    assert out["q_value"][3] is None and out["p_value"][3] is None
    q = out["q_value"][1]
    at = assoc.lagged_association(daily, ["load"], reps=300, min_pairs=118, fdr=q)
    assert not at["significant"][1]  # q < fdr, not <=
    above = assoc.lagged_association(daily, ["load"], reps=300, min_pairs=118, fdr=q * 1.01)
    assert above["significant"][1]


def test_a_lag_without_variation_does_not_end_the_other_lags() -> None:
    """Pain rated on even days, load 5 on even days and varied on odd days: on the same day
    load does not vary; one day later it does."""
    history = lagged_history()
    even = pl.Series(np.arange(history.height) % 2 == 0)
    daily = history.with_columns(
        pl.when(even).then(5.0).otherwise(pl.col("load")).alias("load"),
        pl.when(even).then(pl.col("pain")).alias("pain"),
    )
    out = assoc.lagged_association(daily, ["load"], reps=300, max_lag=1)
    assert out["status"].to_list() == ["no variation", "ok"]
