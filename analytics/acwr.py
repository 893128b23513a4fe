"""Acute:chronic workload ratio (ACWR): descriptive only.

docs/methods.md section 2. Indexed by calendar day (a row per day, rest days 0), never by
session. Three methods, all computed; the setting ``acwr_method`` picks the one shown:

- rolling coupled: A = mean(L[t-6..t]), C = mean(L[t-27..t]);
- rolling uncoupled: C = mean(L[t-27..t-7]) (Windt & Gabbett 2019 BJSM 53:988; coupling creates
  a spurious correlation, Lolli et al. 2019 BJSM 53:921);
- EWMA: E_t = lam L_t + (1 - lam) E_{t-1}, lam = 2/(N+1), N = 7 and 28, E_0 = L_0 (Williams et
  al. 2017 BJSM 51:209).

C = 0 gives null (undefined), never infinity. Before 28 days of history the ratio is
suppressed; until day 42 it is labelled "calibrating" (EWMA seed weight (1 - 2/29)^42 = 5 %).
Bands (Gabbett 2016 BJSM 50:273, team sports): 0.8-1.3 "sweet spot", >= 1.5 "danger zone".
Critique: Impellizzeri et al. 2021 Sports Med 51:581; in 5,205 runners ACWR did not predict
injury (Frandsen et al. 2025 BJSM 59:1203).

All functions map a daily load expression (one row per calendar day, in date order) to an
expression.
"""

from __future__ import annotations

import polars as pl

from analytics.settings import integer, number


def _ratio(acute: pl.Expr, chronic: pl.Expr) -> pl.Expr:
    """acute / chronic, null where chronic is 0 or null."""
    return pl.when(chronic != 0).then(acute / chronic)


def acute_load(load: pl.Expr, days: int = integer("acwr_acute_days")) -> pl.Expr:
    """Rolling mean daily load of the last ``days`` days including today [points/day].

    Null until ``days`` days exist or when a day in the window is null (missing).
    """
    return load.rolling_mean(days, min_samples=days)


def chronic_load_coupled(load: pl.Expr, days: int = integer("acwr_chronic_days")) -> pl.Expr:
    """Rolling mean daily load of the last ``days`` days including today [points/day]."""
    return load.rolling_mean(days, min_samples=days)


def chronic_load_uncoupled(load: pl.Expr, acute_days: int = integer("acwr_acute_days"),
                           chronic_days: int = integer("acwr_chronic_days")) -> pl.Expr:
    """Mean daily load of days t-27..t-7 (the chronic window without the acute days)."""
    span = chronic_days - acute_days
    return load.shift(acute_days).rolling_mean(span, min_samples=span)


def acwr_rolling_coupled(load: pl.Expr, acute_days: int = integer("acwr_acute_days"),
                         chronic_days: int = integer("acwr_chronic_days")) -> pl.Expr:
    """Rolling coupled ACWR = mean(L[t-6..t]) / mean(L[t-27..t]) [-].

    Examples
    --------
    28 days of load 10, then 20: A = (6*10 + 20)/7 = 11.4286, C = (27*10 + 20)/28 = 10.3571,
    ACWR = 1.1034.

    >>> df = pl.DataFrame({"L": [10.0] * 27 + [20.0]})
    >>> round(df.select(acwr_rolling_coupled(pl.col("L")))["L"][-1], 4)
    1.1034
    """
    return _ratio(acute_load(load, acute_days), chronic_load_coupled(load, chronic_days))


def acwr_rolling_uncoupled(load: pl.Expr, acute_days: int = integer("acwr_acute_days"),
                           chronic_days: int = integer("acwr_chronic_days")) -> pl.Expr:
    """Rolling uncoupled ACWR = mean(L[t-6..t]) / mean(L[t-27..t-7]) [-]."""
    return _ratio(acute_load(load, acute_days),
                  chronic_load_uncoupled(load, acute_days, chronic_days))


def ewma(load: pl.Expr, span: int, min_samples: int = 1) -> pl.Expr:
    """EWMA with lam = 2/(span+1), seeded with the first value; nulls are skipped (held).

    .. math:: E_t = \\lambda L_t + (1 - \\lambda) E_{t-1}, \\quad E_0 = L_0

    A constant series gives the constant. A null day gives null and leaves E unchanged.
    """
    return load.ewm_mean(alpha=2.0 / (span + 1.0), adjust=False, ignore_nulls=True,
                         min_samples=min_samples)


def acwr_ewma(load: pl.Expr, acute_days: int = integer("acwr_acute_days"),
              chronic_days: int = integer("acwr_chronic_days"),
              min_history_days: int = integer("acwr_min_history_days")) -> pl.Expr:
    """EWMA ACWR = EWMA_7 / EWMA_28 (Williams et al. 2017) [-], null before
    ``min_history_days`` loads."""
    return _ratio(ewma(load, acute_days), ewma(load, chronic_days, min_history_days))


def history_gate(ratio: pl.Expr, history_days: pl.Expr,
                 min_days: int = integer("acwr_min_history_days")) -> pl.Expr:
    """The ratio, null while ``history_days`` (days since the first session) < ``min_days``."""
    return pl.when(history_days >= min_days).then(ratio)


def history_status(history_days: pl.Expr,
                   min_days: int = integer("acwr_min_history_days"),
                   calibrating_days: int = integer("acwr_calibrating_days")) -> pl.Expr:
    """``"insufficient_history"`` before ``min_days``, ``"calibrating"`` before
    ``calibrating_days``, then ``"ok"``."""
    return (
        pl.when(history_days < min_days).then(pl.lit("insufficient_history"))
        .when(history_days < calibrating_days).then(pl.lit("calibrating"))
        .otherwise(pl.lit("ok"))
    )


def acwr_band(ratio: pl.Expr, sweet_low: float = number("acwr_sweet_low"),
              sweet_high: float = number("acwr_sweet_high"),
              danger: float = number("acwr_danger")) -> pl.Expr:
    """Gabbett's band of an ACWR: ``"low"`` (< 0.8), ``"sweet_spot"`` (0.8-1.3),
    ``"elevated"`` (1.3-1.5), ``"danger_zone"`` (>= 1.5); null for a null ratio."""
    return (
        pl.when(ratio.is_null()).then(None)
        .when(ratio < sweet_low).then(pl.lit("low"))
        .when(ratio <= sweet_high).then(pl.lit("sweet_spot"))
        .when(ratio < danger).then(pl.lit("elevated"))
        .otherwise(pl.lit("danger_zone"))
    )
