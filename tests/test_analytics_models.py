"""Daily expression models: ACWR, monotony/strain, CTL/ATL/TSB, progression, pain expressions.

Each expression is checked on a Series (a Series literal), an eager and a lazy frame, and on
empty and all-null input. Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence

import polars as pl
import pytest
from polars.testing import assert_series_equal

from analytics import acwr, fitness, monotony, pain, progression

Fn = Callable[[pl.Expr], pl.Expr]
FLOAT = pl.Float64()


def run_everywhere(fn: Fn, values: Sequence[float | None], dtype: pl.DataType = FLOAT
                   ) -> pl.Series:
    """Evaluate ``fn`` on a Series literal, an eager and a lazy frame; all three must agree."""
    series = pl.Series("x", values, dtype=dtype)
    on_series = pl.select(fn(pl.lit(series))).to_series()
    eager = series.to_frame().select(fn(pl.col("x"))).to_series()
    lazy = series.to_frame().lazy().select(fn(pl.col("x"))).collect().to_series()
    for other in (eager, lazy):
        assert_series_equal(on_series, other, check_names=False)
    return eager


def check(fn: Fn, values: Sequence[float | None], expected: Sequence[float | None],
          dtype: pl.DataType = FLOAT, tol: float = 1e-6) -> None:
    got = run_everywhere(fn, values, dtype)
    assert got.dtype.is_numeric(), got.dtype  # an all-null column of no type is no result
    assert_series_equal(got, pl.Series(got.name, expected, dtype=got.dtype),
                        check_names=False, abs_tol=tol)


def check_empty_and_null(fn: Fn, n: int = 40) -> None:
    assert run_everywhere(fn, []).len() == 0
    out = run_everywhere(fn, [None] * n)
    assert out.null_count() == n


# --- ACWR ---------------------------------------------------------------------------------

LOADS_28 = [10.0] * 27 + [20.0]


def test_acwr_rolling_coupled_hand_value() -> None:
    # A = (6*10 + 20)/7 = 80/7; C = (27*10 + 20)/28 = 290/28; ACWR = 2240/2030 = 1.1034483
    check(acwr.acwr_rolling_coupled, LOADS_28, [None] * 27 + [2240 / 2030])


def test_acwr_rolling_uncoupled_hand_value() -> None:
    # A = 80/7 = 11.428571; C = mean(L[t-27..t-7]) = 21 days of 10 = 10 -> 1.1428571
    check(acwr.acwr_rolling_uncoupled, LOADS_28, [None] * 27 + [80 / 7 / 10])


def test_acwr_ewma_hand_value() -> None:
    # E7 = 0.25*20 + 0.75*10 = 12.5 (lam = 2/8); E28 = (2/29)*20 + (27/29)*10 = 310/29;
    # ratio = 12.5 / (310/29) = 1.1693548; the chronic EWMA needs 28 loads.
    check(acwr.acwr_ewma, LOADS_28, [None] * 27 + [12.5 * 29 / 310])


@pytest.mark.parametrize("fn", [acwr.acwr_rolling_coupled, acwr.acwr_rolling_uncoupled,
                                acwr.acwr_ewma])
def test_acwr_undefined_when_chronic_is_zero(fn: Fn) -> None:
    check(fn, [0.0] * 30, [None] * 30)
    check_empty_and_null(fn)


def test_acwr_ewma_holds_over_a_missing_day() -> None:
    # the 7-day EWMA skips a null day: after 10, null, 20 it is 0.25*20 + 0.75*10 = 12.5
    got = run_everywhere(lambda e: acwr.ewma(e, 7), [10.0, None, 20.0])
    assert got.to_list() == [10.0, None, 12.5]


def test_acwr_missing_day_makes_rolling_windows_null() -> None:
    values: list[float | None] = [10.0] * 60
    values[30] = None  # training known but not recorded
    got = run_everywhere(acwr.acwr_rolling_coupled, values)
    assert got[27] == pytest.approx(1.0) and got[29] == pytest.approx(1.0)
    # the 28-day chronic windows ending on days 30..57 contain the missing day
    assert got[30:58].null_count() == 28
    assert got[58] == pytest.approx(1.0)


def test_history_gate_and_status() -> None:
    days = pl.DataFrame({"h": [-1, 0, 1, 27, 28, 41, 42], "r": [1.0] * 7})
    out = days.select(
        acwr.history_gate(pl.col("r"), pl.col("h")).alias("gated"),
        acwr.history_status(pl.col("h")).alias("status"),
    )
    assert out["gated"].to_list() == [None, None, None, None, 1.0, 1.0, 1.0]
    assert out["status"].to_list() == ["insufficient_history"] * 4 + ["calibrating"] * 2 + ["ok"]


def test_acwr_band_edges() -> None:
    ratios = pl.DataFrame({"r": [None, 0.79, 0.8, 1.3, 1.31, 1.49, 1.5, 3.0]})
    got = ratios.select(acwr.acwr_band(pl.col("r"))).to_series().to_list()
    assert got == [None, "low", "sweet_spot", "sweet_spot", "elevated", "elevated",
                   "danger_zone", "danger_zone"]


def test_ewma_of_constant_is_constant() -> None:
    check(lambda e: acwr.ewma(e, 28), [7.0] * 10, [7.0] * 10)


# --- monotony and strain -------------------------------------------------------------------

def test_monotony_and_strain_hand_values() -> None:
    week = [0.0, 10, 0, 10, 0, 10, 0]
    # mean = 30/7 = 4.285714; population SD = 10*sqrt(3/7*4/7) = 4.948717; M = 0.8660254
    m = (30 / 7) / (10 * math.sqrt(3 / 7 * 4 / 7))
    check(monotony.monotony, week, [None] * 6 + [m])
    # strain = weekly load 30 x monotony = 25.980762
    check(monotony.strain, week, [None] * 6 + [30 * m])


def test_monotony_all_zero_week_is_undefined_and_constant_week_capped() -> None:
    check(monotony.monotony, [0.0] * 7, [None] * 7)
    # SD = 0 with load > 0 -> cap 10 (Runalyze); strain = 35 * 10
    check(monotony.monotony, [5.0] * 7, [None] * 6 + [10.0])
    check(monotony.strain, [5.0] * 7, [None] * 6 + [350.0])
    # mean 71/7 = 10.142857, SD = 0.349927 -> 28.98 -> capped at 10
    check(monotony.monotony, [10.0] * 6 + [11.0], [None] * 6 + [10.0])
    # light days (a short walk): loads up to 1 point are training, and an SD below 1 counts
    light = [0.5, 1.0, 0.5, 1.0, 0.5, 1.0, 0.5]
    mean, sd = 5 / 7, math.sqrt(sum((x - 5 / 7) ** 2 for x in light) / 7)
    check(monotony.monotony, light, [None] * 6 + [mean / sd])
    check(lambda e: monotony.monotony(e, cap=2.0), [5.0] * 7, [None] * 6 + [2.0])
    check(lambda e: monotony.strain(e, cap=2.0), [5.0] * 7, [None] * 6 + [70.0])
    check_empty_and_null(monotony.monotony)
    check_empty_and_null(monotony.strain)


def test_monotony_level() -> None:
    frame = pl.DataFrame({"m": [None, 1.49, 1.5, 2.0, 2.01]})
    got = frame.select(monotony.monotony_level(pl.col("m"))).to_series().to_list()
    assert got == [None, "normal", "warning", "warning", "high"]


def test_own_percentile_uses_previous_days_only() -> None:
    # At index 10 the previous 10 values are 1..10: linear 90th percentile at position
    # 0.9 * 9 = 8.1 -> 9 + 0.1 * (10 - 9) = 9.1. Fewer than 5 values -> null.
    def fn(e: pl.Expr) -> pl.Expr:
        return monotony.own_percentile(e, 0.9, window_days=10, min_days=5)

    got = run_everywhere(fn, [float(v) for v in range(1, 12)])
    assert got[:5].null_count() == 5
    assert got[10] == pytest.approx(9.1)
    check_empty_and_null(fn)


# --- fitness-fatigue ------------------------------------------------------------------------

def test_smoothing_constants() -> None:
    assert fitness.smoothing_constant(7, "exponential") == pytest.approx(1 - math.exp(-1 / 7))
    assert fitness.smoothing_constant(7, "n_plus_1") == pytest.approx(0.25)
    with pytest.raises(ValueError, match="invalid convention"):
        fitness.smoothing_constant(7, "half_life")


def test_fitness_ewma_seeded_hand_values() -> None:
    # seed = mean(10, 20) = 15 (seed_days 2); k = 2/8 = 0.25 (n_plus_1, tau 7)
    # X0 = 15 + 0.25*(10 - 15) = 13.75; X1 = 13.75 + 0.25*(20 - 13.75) = 15.3125
    # X2 = 15.3125 + 0.25*(30 - 15.3125) = 18.984375
    def fn(e: pl.Expr) -> pl.Expr:
        return fitness.fitness_ewma(e, 7, "n_plus_1", seed_days=2)

    check(fn, [10.0, 20.0, 30.0], [13.75, 15.3125, 18.984375])
    check_empty_and_null(fn)


def test_fitness_ewma_holds_over_missing_day() -> None:
    # The null day stays null and X is unchanged: X after 30 is computed from X1 = 15.3125.
    def fn(e: pl.Expr) -> pl.Expr:
        return fitness.fitness_ewma(e, 7, "n_plus_1", seed_days=2)

    check(fn, [10.0, 20.0, None, 30.0], [13.75, 15.3125, None, 18.984375])


def test_ctl_atl_tsb_ramp() -> None:
    # constant load: CTL = ATL = 50 from the seed on; TSB = 0 from day 2; ramp 0 from day 8
    frame = pl.DataFrame({"L": [50.0] * 10}).lazy().with_columns(
        fitness.ctl(pl.col("L")).alias("ctl"), fitness.atl(pl.col("L")).alias("atl"),
    ).with_columns(
        fitness.tsb(pl.col("ctl"), pl.col("atl")).alias("tsb"),
        fitness.ramp(pl.col("ctl")).alias("ramp"),
    ).collect()
    assert frame["ctl"].to_list() == pytest.approx([50.0] * 10)
    assert frame["tsb"].to_list()[1:] == pytest.approx([0.0] * 9)
    assert frame["tsb"][0] is None and frame["ramp"][:7].null_count() == 7
    # TSB_t = CTL_{t-1} - ATL_{t-1}; ramp_t = CTL_t - CTL_{t-7}
    hand = pl.DataFrame({"c": [1.0, 2, 3, 4, 5, 6, 7, 8.5], "a": [0.0, 0, 1, 1, 1, 1, 1, 1]})
    out = hand.select(fitness.tsb(pl.col("c"), pl.col("a")).alias("t"),
                      fitness.ramp(pl.col("c")).alias("r"))
    assert out["t"].to_list() == [None, 1.0, 2.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert out["r"].to_list() == [None] * 7 + [7.5]


# --- progression ----------------------------------------------------------------------------

def test_change_vs_previous_and_prior_mean() -> None:
    # last 7 days 7*13 = 91 vs previous 70: +30 %
    check(progression.change_vs_previous, [10.0] * 7 + [13.0] * 7, [None] * 13 + [30.0])
    # three weeks of 70, then 84: prior mean 70 -> +20 %
    check(progression.change_vs_prior_mean, [10.0] * 21 + [12.0] * 7, [None] * 27 + [20.0])
    # previous week 0 -> no percentage (absolute values only)
    check(progression.change_vs_previous, [0.0] * 7 + [5.0] * 7, [None] * 14)
    # other window lengths: 2 days of 10 then 2 of 15 -> +50 %; 2 days vs the 3 x 2 before
    check(lambda e: progression.change_vs_previous(e, days=2), [10.0, 10, 15, 15],
          [None, None, None, 50.0])
    check(lambda e: progression.change_vs_prior_mean(e, days=2, periods=3),
          [10.0] * 6 + [15.0] * 2, [None] * 7 + [50.0])
    check_empty_and_null(progression.change_vs_previous)
    check_empty_and_null(progression.change_vs_prior_mean)


def test_long_run_ratio_and_spike_band() -> None:
    t = [dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 10), dt.datetime(2024, 1, 20),
         dt.datetime(2024, 2, 5), dt.datetime(2024, 4, 1)]
    runs = pl.DataFrame({"t": t, "d": [10.0, 8.0, 11.0, 13.2, 5.0]})
    for frame in (runs, runs.lazy()):
        got = frame.select(progression.long_run_ratio(pl.col("d"), pl.col("t"))).lazy() \
            .collect().to_series()
        # 8/10; 11/10; 5 Feb: window 6 Jan - 4 Feb holds 8 and 11 -> 13.2/11; April: none
        assert got.to_list() == pytest.approx([None, 0.8, 1.1, 1.2, None])
    # only runs of 0 m before: no ratio (not infinite)
    zero = pl.DataFrame({"t": t[:2], "d": [0.0, 5.0]})
    assert zero.select(progression.long_run_ratio(pl.col("d"), pl.col("t"))).to_series() \
        .to_list() == [None, None]
    bands = pl.DataFrame({"r": [None, 1.05, 1.1, 1.2, 1.5, 2.5]})
    assert bands.select(progression.spike_band(pl.col("r"))).to_series().to_list() == [
        None, "none", "none", "small", "moderate", "large"]
    # each band includes its upper edge
    edges = pl.DataFrame({"r": [1.3, 2.0]})
    assert edges.select(progression.spike_band(pl.col("r"))).to_series().to_list() == [
        "small", "moderate"]
    # the first edge is the spike threshold of the settings; the others are Frandsen's
    assert bands.select(progression.spike_band(pl.col("r"), 1.25)).to_series().to_list() == [
        None, "none", "none", "none", "moderate", "large"]


def test_days_in_block() -> None:
    # 13 days off do not break a block
    check(progression.days_in_block, [1] + [0] * 13 + [1], list(range(15)), dtype=pl.Int64())
    # no run on day 0 -> null; the block starts on day 1; runs on days 4 and 19 are 14 days
    # off apart (>= block_break_days 14) -> a new block starts on day 19
    runs = [0, 1, 0, 0, 1] + [0] * 14 + [1, 0, 1]
    expected = [None, 0, 1, 2, 3] + list(range(4, 18)) + [0, 1, 2]
    check(progression.days_in_block, runs, expected, dtype=pl.Int64())
    # a run the day after a block start continues that block (the previous run is 1 day back)
    check(progression.days_in_block, [1] + [0] * 14 + [1, 1], [0] + list(range(1, 15)) + [0, 1],
          dtype=pl.Int64())


# --- pain expressions -----------------------------------------------------------------------

def test_pain_vs_median() -> None:
    # needs 3 ratings among the 7 days before; day 3 is unrated.
    # day 4: median(1, 2, 1) = 1 -> 2 - 1 = 1; day 5: median(1, 2, 1, 2) = 1.5 -> -0.5;
    # day 6: median(1, 2, 1, 2, 1) = 1 -> 0; day 7: median(1, 2, 1, 2, 1, 1) = 1 -> 4 - 1 = 3
    check(pain.pain_vs_median, [1, 2, 1, None, 2, 1, 1, 4],
          [None, None, None, None, 1.0, -0.5, 0.0, 3.0], dtype=pl.Int64())


def test_pain_zscore() -> None:
    # window 4, at least 3: previous 1, 2, 3, 4 -> mean 2.5, sample SD sqrt(5/3) = 1.290994;
    # z = (10 - 2.5) / 1.290994 = 5.809475
    def fn(e: pl.Expr) -> pl.Expr:
        return pain.pain_zscore(e, days=4, min_days=3)

    got = run_everywhere(fn, [1.0, 2, 3, 4, 10])
    assert got[4] == pytest.approx(7.5 / math.sqrt(5 / 3))
    assert got[:3].null_count() == 3
    assert got[3] == pytest.approx(2.0)  # exactly 3 ratings before: mean 2, SD 1
    # an SD below 1 is still an SD: previous 2, 2, 3 -> mean 7/3, SD 0.57735
    assert run_everywhere(fn, [2.0, 2, 3, 4])[3] == pytest.approx((4 - 7 / 3) / math.sqrt(1 / 3))
    # SD = 0 -> undefined
    assert run_everywhere(fn, [2.0, 2, 2, 2, 5])[4] is None
    check_empty_and_null(fn)


def test_pain_trend() -> None:
    # ratings 0, 1, -, 3, 4, 5, 6, 7 on days 0..7: slope exactly 1 point/day
    got = run_everywhere(pain.pain_trend, [0, 1, None, 3, 4, 5, 6, 7], pl.Int64())
    assert got[7] == pytest.approx(1.0)
    assert got[3] is None and got[4] is None  # 3 and 4 ratings < 5
    assert got[5] == pytest.approx(1.0)  # exactly 5 ratings (days 0, 1, 3, 4, 5)
    # an 8-day window: on day 9 the ratings of days 2..9 count (0, 0 then 2..7 -> not 1/day)
    late = run_everywhere(pain.pain_trend, [9, 9, 0, 0, 2, 3, 4, 5, 6, 7], pl.Int64())
    # least squares over x = 2..9, y = 0 0 2 3 4 5 6 7 (the two 9s are outside the window)
    xs, ys = list(range(2, 10)), [0, 0, 2, 3, 4, 5, 6, 7]
    n, sx, sy = 8, sum(xs), sum(ys)
    sxy, sxx = sum(x * y for x, y in zip(xs, ys, strict=True)), sum(x * x for x in xs)
    assert late[9] == pytest.approx((n * sxy - sx * sy) / (n * sxx - sx * sx))
    # one rating is no trend, even when one rating is enough: null, not NaN
    single = run_everywhere(lambda e: pain.pain_trend(e, days=8, min_days=1), [None, 4, None])
    assert single.to_list() == [None, None, None]
    # two ratings on consecutive days are a line
    two = run_everywhere(lambda e: pain.pain_trend(e, days=8, min_days=2), [None, 4, 6])
    assert two.to_list() == [None, None, 2.0]
    check_empty_and_null(pain.pain_trend)


def test_pain_episodes_with_gaps_and_peaks() -> None:
    days = pl.date_range(dt.date(2024, 5, 1), dt.date(2024, 5, 16), eager=True)
    levels = [1, 3, None, None, 5, 4, 2, 4, None, None, None, None, 3, 5, 5, 1]
    frame = pl.DataFrame({"date": days, "pain": levels}, schema_overrides={"pain": pl.Int64})

    def rows(**kw: int) -> list[tuple]:
        return [tuple(r.values()) for r in pain.pain_episodes(frame, **kw).iter_rows(named=True)]

    d = dt.date
    # two unrated days (3 allowed) do not end the first episode; four unrated days end the
    # second; the 2 on 7 May ends the first; peak_date is the first day at the peak
    assert rows() == [
        (d(2024, 5, 2), d(2024, 5, 6), 5, d(2024, 5, 5), 5, 4.0),
        (d(2024, 5, 8), d(2024, 5, 8), 1, d(2024, 5, 8), 4, 4.0),
        (d(2024, 5, 13), d(2024, 5, 15), 3, d(2024, 5, 14), 5, 13 / 3),
    ]
    # four unrated days allowed: the last two episodes are one
    assert rows(gap_days=4)[1:] == [(d(2024, 5, 8), d(2024, 5, 15), 8, d(2024, 5, 14), 5,
                                     4.25)]
    # from level 5 only the 5s count: 5 May alone, then 14-15 May
    assert [(r[0], r[1]) for r in rows(min_level=5)] == [
        (d(2024, 5, 5), d(2024, 5, 5)), (d(2024, 5, 14), d(2024, 5, 15))]
    # episode ids follow the same rules as the list
    ids = frame.select(pain.episode_id(pl.col("pain"))).to_series().to_list()
    assert ids == [None, 1, 1, 1, 1, 1, None, 2, 2, 2, 2, None, 3, 3, 3, None]
    starts = frame.select(pain.episode_start_index(pl.col("pain"), 3, 4)).to_series()
    assert starts.to_list() == [None, 1, 1, 1, 1, 1, None] + [7] * 8 + [None]
    # unrated days before the first rating are outside; an episode may start on day 0
    edge = pl.DataFrame({"pain": [None, None, 3, 1, 4, 4]}, schema={"pain": pl.Int64})
    assert edge.select(pain.episode_id(pl.col("pain"))).to_series().to_list() == [
        None, None, 1, None, 2, 2]
    first = pl.DataFrame({"pain": [4, 4, 1]}, schema={"pain": pl.Int64})
    assert first.select(pain.episode_id(pl.col("pain"))).to_series().to_list() == [1, 1, None]


def _improving(levels: list[int | None], **kw: float) -> list[bool]:
    frame = pl.DataFrame({"pain": levels}, schema={"pain": pl.Int64})
    return frame.select(pain.not_improving(pl.col("pain"), **kw)).to_series().to_list()


def test_not_improving_at_the_edges_of_a_meaningful_change() -> None:
    """First week vs the last 7 days of an episode (Farrar 2001: 2 points or 30 %)."""
    # a pain-free 2 on day 0, then an episode from day 1: first week 6 4 5 5 5 5 5 (mean 5),
    # then 4s (a 10 on day 22 leaves the 7-day mean of day 29 alone). A drop of 1 is exactly
    # 20 % of 5: improved with change_pct 20; not with 20.2 (1.01 needed), from day 1 + 28.
    levels = [2, 6, 4, 5, 5, 5, 5, 5] + [4] * 14 + [10] + [4] * 15
    assert not any(_improving(levels, change_points=3, change_pct=20))
    stuck = _improving(levels, change_points=3, change_pct=20.2)
    assert stuck.index(True) == 29 and all(stuck[29:])
    # exactly 2 points are meaningful whatever the percentage: first week 8, then 6
    assert not any(_improving([8] * 7 + [6] * 30, change_points=2, change_pct=90))
    assert all(_improving([8] * 7 + [6] * 30, change_points=2.5, change_pct=90)[28:])
    # an episode from day 0 with an unrated first-week day: first week 5 (five 5s)
    opening = [5, 5, None, 5, 5, 5, 5] + [4] * 30
    assert not any(_improving(opening, change_points=3, change_pct=20))
    assert _improving(opening, change_points=3, change_pct=20.2)[28:] == [True] * 9
    # one rating in the last 7 days is enough to compare (ratings every 4th day, gap 3)
    sparse = [5] * 7 + [5, None, None, None] * 8
    assert _improving(sparse)[28:] == [True] * 11
    # no rating at all in the last 7 days (a long gap allowed): unknown, not flagged - the
    # last rating (day 29) leaves the 7-day window on day 36
    silent = [5] * 30 + [None] * 8
    assert _improving(silent, gap_days=10)[28:] == [True] * 8 + [False] * 2
    # the episode's gap setting decides where it starts: 3 unrated days break it with gap 2
    broken = [4, None, None, None] + [5] * 7 + [4] * 30
    assert _improving(broken, gap_days=2, change_points=3, change_pct=20).count(True) == 0
    assert _improving(broken, gap_days=3, change_points=3, change_pct=20)[28:].count(True) > 0


def _new(levels: list[int | None], birth_year: int, **kw: int) -> list[bool]:
    dates = pl.date_range(dt.date(2024, 1, 1), dt.date(2024, 1, 1) + dt.timedelta(
        days=len(levels) - 1), eager=True)
    frame = pl.DataFrame({"date": dates, "pain": levels}, schema_overrides={"pain": pl.Int64})
    return frame.select(pain.new_onset(pl.col("pain"), pl.col("date"), birth_year, **kw)
                        ).to_series().to_list()


def test_new_onset_needs_a_pain_free_rating_before_and_an_odd_age() -> None:
    # one pain-free rating the day before is enough to call the episode new (age 74 > 50)
    assert _new([0, 4, 4], 1950) == [False, True, True]
    assert _new([None, 0, None, 4], 1950) == [False, False, False, True]
    # an earlier episode (a 3, then 4 unrated days) means it is a recurrence, not new
    assert not any(_new([3, None, None, None, None, 4, 4], 1950))
    # age at the start: 20 and 50 are not red flags, 19 and 51 are
    assert _new([0, 4], 2004)[1] is False and _new([0, 4], 2005)[1] is True
    assert _new([0, 4], 1974)[1] is False and _new([0, 4], 1973)[1] is True
    # flagged for history_days from the start only
    assert _new([0] + [4] * 10, 1950, history_days=5) == [False] + [True] * 5 + [False] * 5
    # the gap setting splits episodes: with gap 2 the third unrated day ends the new episode,
    # and the next one (after a 4) is not new; with gap 3 it is the same, new episode
    split = [0, 0, 4, None, None, None, 4, 4]
    assert _new(split, 1950, gap_days=2) == [False, False, True, True, True] + [False] * 3
    assert _new(split, 1950, gap_days=3) == [False, False] + [True] * 6
    # a rating of 2 is below the episode level: the episode starts at the 4
    assert _new([0, 2, 4], 1950) == [False, False, True]


def test_episodes_not_improving_and_new_onset() -> None:
    days = pl.date_range(dt.date(2024, 1, 1), dt.date(2024, 3, 31), eager=True)
    # 30 pain-free rated days, then pain 4 every day from 31 Jan (index 30) to the end
    levels = [0] * 30 + [4] * (days.len() - 30)
    frame = pl.DataFrame({"date": days, "pain": levels})
    episodes = pain.pain_episodes(frame)
    assert episodes.row(0, named=True) | {"mean": 4.0} == {
        "start": dt.date(2024, 1, 31), "end": dt.date(2024, 3, 31), "days": 61,
        "peak_date": dt.date(2024, 1, 31), "peak": 4, "mean": 4.0}
    flags = frame.with_columns(
        pain.not_improving(pl.col("pain")).alias("stuck"),
        pain.new_onset(pl.col("pain"), pl.col("date"), 1970).alias("new"),
    )
    stuck = flags["stuck"].to_list()
    # 28 days into the episode (index 30 + 28 = 58) without improvement
    assert stuck.index(True) == 58 and all(stuck[58:])
    # age 54 at onset > 50, 30 pain-free rated days before: flagged for the first 28 days
    new = flags["new"].to_list()
    assert new[30:58] == [True] * 28 and not any(new[:30]) and not any(new[58:])
    # a 30-year-old: no new-onset flag; no birth year: none either
    assert not frame.select(pain.new_onset(pl.col("pain"), pl.col("date"), 1994)).to_series().any()
    assert not frame.select(pain.new_onset(pl.col("pain"), pl.col("date"), None)).to_series().any()


def test_improving_episode_is_not_flagged() -> None:
    # pain 6 for a week, then 3 (drop 3 points >= 2) for five weeks
    frame = pl.DataFrame({"pain": [6] * 7 + [3] * 35})
    assert not frame.select(pain.not_improving(pl.col("pain"))).to_series().any()


def test_journal_starting_in_pain_is_not_new_onset() -> None:
    days = pl.date_range(dt.date(2024, 1, 1), dt.date(2024, 1, 20), eager=True)
    frame = pl.DataFrame({"date": days, "pain": [4] * 20})
    got = frame.select(pain.new_onset(pl.col("pain"), pl.col("date"), 1950)).to_series()
    assert not got.any()


def test_daily_pain_aggregates_entries() -> None:
    journal = pl.DataFrame({
        "date": [dt.date(2024, 1, 1), dt.date(2024, 1, 1), dt.date(2024, 1, 3)],
        "area": ["upper-back", "neck", "neck"],
        "level": [2, 5, 1],
        "during_run": [True, False, False],
        "red_flags": [["fever"], ["numbness", "fever"], []],
        "note": ["", "", ""],
    })
    for frame in (journal, journal.lazy()):
        out = pain.daily_pain(frame)
        # highest level of the day; flags united and sorted; unrated 2 Jan absent (not 0)
        assert out.to_dicts() == [
            {"date": dt.date(2024, 1, 1), "pain": 5, "pain_during_run": True,
             "red_flags": ["fever", "numbness"]},
            {"date": dt.date(2024, 1, 3), "pain": 1, "pain_during_run": False,
             "red_flags": []},
        ]
    upper = pain.daily_pain(journal, areas=["upper-back"])
    # other areas do not count as pain, but their red flags do
    assert upper["pain"].to_list() == [2, None]
    assert upper["red_flags"].to_list() == [["fever", "numbness"], []]
    unknown = journal.with_columns(pl.lit(None, pl.Boolean).alias("during_run"))
    assert not pain.daily_pain(unknown)["pain_during_run"].any()  # not said: no
    minimal = pain.daily_pain(journal.drop("red_flags", "during_run"))
    assert minimal["red_flags"].to_list() == [[], []]
    assert not minimal["pain_during_run"].any()
    assert pain.daily_pain(None).schema == pl.Schema(pain.PAIN_SCHEMA)
    assert pain.daily_pain(journal.clear()).height == 0
