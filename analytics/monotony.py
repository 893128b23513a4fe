"""Training monotony and strain (Foster 1998).

docs/methods.md section 3: monotony = mean daily load over 7 days (zeros included) / population SD;
strain = weekly load x monotony. Warning 1.5, high 2.0 (Runalyze; the 2.0 is often attributed to
Foster) [P]. An all-zero week has no monotony (null); monotony is capped at 10, which also covers
SD = 0 (Runalyze). Strain is compared with the athlete's own 90th percentile [H].

References
----------
Foster C (1998) Monitoring training in athletes with reference to overtraining syndrome.
Med Sci Sports Exerc 30:1164-1168. doi:10.1097/00005768-199807000-00023
"""

from __future__ import annotations

import polars as pl

from analytics.settings import integer, number

#: Daily loads below this are floating-point noise, not training [points]. Without it a
#: window holding only a denormal value (1e-38) would get a monotony from rolling-sum round-off.
NEGLIGIBLE_LOAD = 1e-6


def monotony(load: pl.Expr, days: int = integer("monotony_days"),
             cap: float = number("monotony_cap")) -> pl.Expr:
    """Foster's monotony over the last ``days`` calendar days [-].

    .. math:: M_t = \\min\\left(\\frac{\\overline{L}_{t-6..t}}{\\sigma_{t-6..t}}, cap\\right)

    with the population SD (ddof 0). Null for an all-zero window (loads below
    :data:`NEGLIGIBLE_LOAD` count as zero), before ``days`` days and when a day is missing.

    Examples
    --------
    Loads 0, 10, 0, 10, 0, 10, 0: mean 30/7 = 4.2857; three days at 10 and four at 0 give
    SD = 10 * sqrt(3/7 * 4/7) = 4.9487; M = 4.2857 / 4.9487 = 0.8660.

    >>> df = pl.DataFrame({"L": [0.0, 10, 0, 10, 0, 10, 0]})
    >>> round(df.select(monotony(pl.col("L")))["L"][-1], 4)
    0.866
    """
    load = pl.when(load.abs() >= NEGLIGIBLE_LOAD).then(load).otherwise(0.0)
    mean = load.rolling_mean(days, min_samples=days)
    sd = load.rolling_std(days, min_samples=days, ddof=0)
    busy = load.rolling_max(days, min_samples=days) > 0
    return pl.when(busy).then(
        pl.when(sd > 0).then(mean / sd).otherwise(cap).clip(upper_bound=cap)
    )


def strain(load: pl.Expr, days: int = integer("monotony_days"),
           cap: float = number("monotony_cap")) -> pl.Expr:
    """Foster's strain = sum of the last ``days`` daily loads x monotony [points]."""
    return load.rolling_sum(days, min_samples=days) * monotony(load, days, cap)


def own_percentile(values: pl.Expr, quantile: float = number("strain_percentile"),
                   window_days: int = integer("strain_window_days"),
                   min_days: int = integer("strain_min_days")) -> pl.Expr:
    """Percentile of the previous ``window_days`` values (today excluded) [same unit].

    Null with fewer than ``min_days`` values. Linear interpolation between order statistics.
    """
    return values.shift(1).rolling_quantile(quantile, "linear", window_days,
                                            min_samples=min_days)


def monotony_level(values: pl.Expr, warn: float = number("monotony_warn"),
                   high: float = number("monotony_high")) -> pl.Expr:
    """``"normal"`` below ``warn``, ``"warning"`` up to ``high``, ``"high"`` above it (Runalyze
    levels 1.5 and 2.0); null for null monotony."""
    return (
        pl.when(values.is_null()).then(None)
        .when(values < warn).then(pl.lit("normal"))
        .when(values <= high).then(pl.lit("warning"))
        .otherwise(pl.lit("high"))
    )
