"""Fitness-fatigue model: CTL, ATL, TSB and CTL ramp.

docs/methods.md section 4:

.. math::
    X_t = X_{t-1} + k (L_t - X_{t-1}), \\quad TSB_t = CTL_{t-1} - ATL_{t-1}, \\quad
    ramp_t = CTL_t - CTL_{t-7}

with tau = 42 days (CTL) and 7 days (ATL). The smoothing constant k is a setting:
``"exponential"`` k = 1 - exp(-1/tau) (GoldenCheetah src/Metrics/PMCData.cpp, intervals.icu) or
``"n_plus_1"`` k = 2/(tau + 1) (Runalyze). The model runs over the whole imported history and is
seeded with the mean load of the first 14 days (X_{-1} = seed). A missing (null) day gives null
and leaves X unchanged. Guidance: ramp 5-8/week typical, > 8-10 high (Friel) [P]; TSB < -30 high
(intervals.icu) [P]; GoldenCheetah flags TSB < -40, ramp > 8.

All functions map a daily load expression (one row per calendar day, in date order) to an
expression.
"""

from __future__ import annotations

import math

import polars as pl

from analytics.settings import integer, text


def smoothing_constant(days: float, convention: str = text("ewma_convention")) -> float:
    """k of the fitness-fatigue EWMA for time constant ``days``.

    Examples
    --------
    >>> round(smoothing_constant(42, "exponential"), 6)  # 1 - exp(-1/42)
    0.023528
    >>> round(smoothing_constant(42, "n_plus_1"), 6)  # 2/43
    0.046512
    """
    if convention == "exponential":
        return 1.0 - math.exp(-1.0 / days)
    if convention == "n_plus_1":
        return 2.0 / (days + 1.0)
    raise ValueError(f"invalid convention {convention!r}")


def fitness_ewma(load: pl.Expr, days: float, convention: str = text("ewma_convention"),
                 seed_days: int = integer("fitness_seed_days")) -> pl.Expr:
    """Seeded EWMA of daily load: X_t = X_{t-1} + k (L_t - X_{t-1}), X_{-1} = seed.

    The seed is the mean of the first ``seed_days`` known loads. Implemented with polars'
    unseeded EWMA Y (Y_0 = L_0) plus the decaying seed correction
    X_t = Y_t + (1 - k)^{m_t} (seed - L_0), m_t = number of known loads up to t.

    Returns
    -------
    polars.Expr
        [points/day]; null where the load is null. A constant load gives the constant.
    """
    k = smoothing_constant(days, convention)
    known = load.drop_nulls()
    seed = known.head(seed_days).mean()
    steps = load.is_not_null().cum_sum()
    unseeded = load.ewm_mean(alpha=k, adjust=False, ignore_nulls=True)
    return unseeded + pl.lit(1.0 - k).pow(steps) * (seed - known.first())


def ctl(load: pl.Expr, days: float = integer("ctl_days"),
        convention: str = text("ewma_convention"),
        seed_days: int = integer("fitness_seed_days")) -> pl.Expr:
    """Chronic training load (fitness) [points/day]."""
    return fitness_ewma(load, days, convention, seed_days)


def atl(load: pl.Expr, days: float = integer("atl_days"),
        convention: str = text("ewma_convention"),
        seed_days: int = integer("fitness_seed_days")) -> pl.Expr:
    """Acute training load (fatigue) [points/day]."""
    return fitness_ewma(load, days, convention, seed_days)


def tsb(ctl_values: pl.Expr, atl_values: pl.Expr) -> pl.Expr:
    """Training stress balance (form): TSB_t = CTL_{t-1} - ATL_{t-1} [points/day]."""
    return (ctl_values - atl_values).shift(1)


def ramp(ctl_values: pl.Expr, days: int = 7) -> pl.Expr:
    """CTL ramp: CTL_t - CTL_{t-7} [points/day per week]."""
    return ctl_values - ctl_values.shift(days)
