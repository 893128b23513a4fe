"""Weekly progression and the single-run spike.

docs/methods.md sections 2 and 5. The 10 % rule had no effect in an RCT of 532 novices (Buist 2008
AJSM 36:33) [V]. Progressing weekly distance > 30 % over 2 weeks: distance-related injuries
HR 1.59 (0.96-2.66) in 874 novices (Nielsen 2014 JOSPT 44:739) [V]; +20-60 % weekly increase:
risk difference 22.6 % at day 21 in runners preparing a half marathon (Damsted 2019 JOSPT
49:230) [V]. In 5,205 runners a single run > 110 % of the longest run of the previous 30 days
was associated with overuse injury (HRR 1.64 for +10-30 %, 1.52 for +30-100 %, 2.28 for
> +100 %; Frandsen et al. 2025 BJSM 59:1203) [V], while ACWR and week-to-week ratio were not.

Daily functions map a daily series (one row per calendar day, in date order) to an
expression; a previous value of 0 gives null (absolute values only).
"""

from __future__ import annotations

import polars as pl

from analytics.settings import integer, number

#: Frandsen et al. 2025 spike categories above the spike threshold (the setting
#: ``long_run_spike_ratio``, 1.10 in the study): (upper ratio bound, label, hazard rate ratio).
SPIKE_BANDS = ((1.30, "small", 1.64), (2.00, "moderate", 1.52), (float("inf"), "large", 2.28))


def _pct_change(current: pl.Expr, previous: pl.Expr) -> pl.Expr:
    return pl.when(previous != 0).then((current - previous) / previous * 100.0)


def window_sum(values: pl.Expr, days: int = 7) -> pl.Expr:
    """Sum of the last ``days`` days including today; null if any day is null."""
    return values.rolling_sum(days, min_samples=days)


def change_vs_previous(values: pl.Expr, days: int = 7) -> pl.Expr:
    """Change of the last ``days``-day sum vs the ``days`` days before it [%].

    Examples
    --------
    Week 1: 10 km/day x 7 = 70; week 2: 13 km/day = 91 -> +30 %.

    >>> df = pl.DataFrame({"d": [10.0] * 7 + [13.0] * 7})
    >>> round(df.select(change_vs_previous(pl.col("d")))["d"][-1], 6)
    30.0
    """
    total = window_sum(values, days)
    return _pct_change(total, total.shift(days))


def change_vs_prior_mean(values: pl.Expr, days: int = 7, periods: int = 3) -> pl.Expr:
    """Change of the last ``days``-day sum vs the mean of the ``periods`` periods before [%]."""
    total = window_sum(values, days)
    prior = values.shift(days).rolling_sum(days * periods, min_samples=days * periods) / periods
    return _pct_change(total, prior)


def long_run_ratio(distance: pl.Expr, time: pl.Expr,
                   window_days: int = integer("long_run_window_days")) -> pl.Expr:
    """Run distance / longest run of the previous ``window_days`` days [-] (Frandsen 2025).

    Evaluate over runs only, sorted by ``time`` (start, Datetime); "previous" = started within
    ``window_days`` x 24 h before this run, earlier runs of the same day included. Null when no
    run (or only runs of 0 m) precede it in the window.

    Examples
    --------
    On 5 Feb the window is 6 Jan - 4 Feb: longest 11 km, 13.2 / 11 = 1.2.

    >>> import datetime as dt
    >>> t = [dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 10), dt.datetime(2024, 1, 20),
    ...      dt.datetime(2024, 2, 5)]
    >>> runs = pl.DataFrame({"t": t, "d": [10.0, 8.0, 11.0, 13.2]})
    >>> ratio = runs.select(long_run_ratio(pl.col("d"), pl.col("t")))["d"]
    >>> [None if v is None else round(v, 6) for v in ratio]
    [None, 0.8, 1.1, 1.2]
    """
    longest = distance.rolling_max_by(time, f"{window_days}d", closed="left")
    return pl.when(longest > 0).then(distance / longest)


def spike_band(ratio: pl.Expr, spike_ratio: float = number("long_run_spike_ratio")
               ) -> pl.Expr:
    """Frandsen 2025 category of a long-run ratio: none (up to ``spike_ratio``), small,
    moderate or large (:data:`SPIKE_BANDS`)."""
    expr = pl.when(ratio.is_null()).then(None).when(ratio <= spike_ratio).then(pl.lit("none"))
    for upper, label, _ in SPIKE_BANDS:
        expr = expr.when(ratio <= upper).then(pl.lit(label))
    return expr


def days_in_block(runs: pl.Expr, break_days: int = integer("block_break_days")) -> pl.Expr:
    """Days since the start of the current training block (0 on its first day).

    A block starts with the first run after at least ``break_days`` days without a run (or the
    first run of the series). Null before the first run.

    Parameters
    ----------
    runs
        Number of runs per calendar day.
    """
    index = pl.int_range(runs.len())
    run_index = pl.when(runs > 0).then(index)
    previous_run = run_index.forward_fill().shift(1)
    starts = pl.when((runs > 0) & (previous_run.is_null()
                                   | (index - previous_run > break_days))).then(index)
    return index - starts.forward_fill()
