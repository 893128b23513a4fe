"""What relates to your pain: each factor against next-day and 2-day pain, one honest analysis.

docs/methods.md section 11.4 [H method, V statistics]. For every factor (a column of the
day table of :mod:`analytics.factor_days`) and lag L, the pairs are the days t with a value of
the factor, a known load and a pain rating on day t + L.

- Effect: the slope of pain on the factor by least squares. For a yes/no factor (0/1) that is
  the mean pain after days with it minus after days without; for a number it is the change of
  pain per ``per`` units.
- Adjusted: the factor's coefficient in ``pain(t+L) ~ factor(t) + load(t)`` - the same,
  after accounting for that day's load.
- Standard error: 7-day moving-block bootstrap of the pairs, 2,000 resamples (Tang & Landes
  2020 PLoS ONE 15:e0228077) [V]; daily series are autocorrelated, so days are resampled in
  blocks of 7 consecutive pairs. All resamples of a test come from one index array, computed
  with numpy at once.
- 95 % CI and p-value: the estimate over its bootstrap SE, referred to a t distribution whose
  degrees of freedom count independent blocks, not days - the SE rests on that few, as a
  cluster-robust SE on G clusters is read with G - 1 (Cameron & Miller 2015 J Hum Resour
  50:317) [P]: blocks of 7 pairs minus one; for a yes/no factor Welch-Satterthwaite over the
  blocks holding days with it and those holding days without (a factor present in one
  stretch of weeks has few), at most all blocks minus one; for a factor spanning a window of
  days (body work in the previous 7 days, 7-day changes) a block is that much longer, since
  neighbouring days share its value. Our choice: on 57 pairs the plain
  normal reading of a block-bootstrap SE called 10-20 % of unrelated factors "p < 0.05" in
  simulations (more for a factor present in one stretch and autocorrelated pain), and
  percentile intervals were as narrow. Then Benjamini-Hochberg over every factor x lag shown
  (:func:`analytics.association.benjamini_hochberg`) [V]; "related" = q below ``association_fdr``.
- Minimum data: 8 rated days with and 8 without a yes/no factor, 28 rated days for a number;
  below it "not enough data yet: N of M days" and never a number.
- Confounding, shown beside each factor: how much that day's load differed between days with
  and without it [%] (for a number: the correlation of the factor with that day's load).
- Ranked: enough data first, by q-value, then by |effect| / SE. Wording is never causal.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from analytics.association import benjamini_hochberg, block_bootstrap_starts
from analytics.settings import integer, number
from analytics.student_t import t_cdf, t_quantile

BINARY = "binary"
CONTINUOUS = "continuous"
#: Columns of :func:`factor_associations`.
FACTOR_SCHEMA: dict[str, pl.DataType] = {
    "factor": pl.String(), "label": pl.String(), "kind": pl.String(), "lag_days": pl.Int32(),
    "exposed_days": pl.Int32(), "unexposed_days": pl.Int32(), "rated_days": pl.Int32(),
    "effect": pl.Float64(), "effect_adjusted": pl.Float64(), "ci_low": pl.Float64(),
    "ci_high": pl.Float64(), "ci_adjusted_low": pl.Float64(), "ci_adjusted_high": pl.Float64(),
    "unit": pl.String(), "p_value": pl.Float64(), "q_value": pl.Float64(),
    "enough_data": pl.Boolean(), "related": pl.Boolean(), "load_difference_pct": pl.Float64(),
    "load_correlation": pl.Float64(), "confounding": pl.String(), "status": pl.String(),
    "text": pl.String(), "rank": pl.Int32(),
}
#: |load difference| [%] or |correlation| from which confounding is named in the sentence.
CONFOUNDING_PCT = 25.0
CONFOUNDING_R = 0.3


@dataclass(frozen=True)
class Factor:
    """One factor of the day table.

    Attributes
    ----------
    name
        Column of the day table and machine name (``carry_vest``).
    subject
        Words for the days with it: "runs with the vest", "a short night".
    kind
        :data:`BINARY` (0/1, null = not applicable) or :data:`CONTINUOUS`.
    per, per_text
        A number's effect is given per ``per`` of its units, in words ``per_text``
        ("10 % more 7-day load").
    lags
        Days from the factor to the pain rating.
    night
        The value of day t describes the night before it (sleep): lag 0 is "the day after".
    adjust
        Also fit the model with that day's load (not for the load itself).
    window_days
        Days one value spans (7 for "in the previous 7 days"): neighbouring days share it,
        so independent stretches are that much longer than a bootstrap block.
    """

    name: str
    subject: str
    kind: str = BINARY
    per: float = 1.0
    per_text: str = ""
    lags: tuple[int, ...] = (1, 2)
    night: bool = False
    adjust: bool = True
    window_days: int = 1

    def when(self, lag: int) -> str:
        """"The day after runs with the vest", "Two days after ...", "On days with ..."."""
        days = lag + int(self.night)
        if days == 0:
            return f"On days with {self.subject}"
        count = {1: "The day", 2: "Two days", 3: "Three days"}.get(days, f"{days} days")
        return f"{count} after {self.subject}"


def _slopes(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least-squares slope of y on x for each row (NaN where x is constant)."""
    xc = x - x.mean(axis=-1, keepdims=True)
    sxx = (xc * xc).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sxx > 1e-12, (xc * y).sum(axis=-1) / sxx, np.nan)


def _adjusted(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Coefficient of x in y ~ 1 + x + z for each row (NaN where x and z are collinear)."""
    xc = x - x.mean(axis=-1, keepdims=True)
    zc = z - z.mean(axis=-1, keepdims=True)
    sxx, szz, sxz = (xc * xc).sum(-1), (zc * zc).sum(-1), (xc * zc).sum(-1)
    sxy, szy = (xc * y).sum(-1), (zc * y).sum(-1)
    det = sxx * szz - sxz * sxz
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(det > 1e-9 * np.maximum(sxx * szz, 1e-12), (szz * sxy - sxz * szy) / det,
                        np.nan)


def _resampled_coefficients(x: np.ndarray, y: np.ndarray, z: np.ndarray, starts: np.ndarray,
                            block: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_slopes` and :func:`_adjusted` of every moving-block resample of the pairs
    ``(x, y, z)`` (``starts``: :func:`analytics.association.block_bootstrap_starts`), from
    sums: a resample's sums are its blocks' sums, and each block's sums come from a sliding
    window over the pairs (no resample is copied, and each block adds 8 numbers, not its
    pairs). The same numbers up to rounding; a row where x (or x and z) do not vary is NaN as
    there, also when rounding leaves a tiny variance (x drawn at one value only)."""
    m = x.size
    block = min(block, m)
    columns = np.column_stack((x, y, z, x * x, x * y, z * z, x * z, z * y))
    windows = np.lib.stride_tricks.sliding_window_view(columns, block, axis=0).sum(-1)
    cut = m - (starts.shape[1] - 1) * block  # length of the last block
    last = np.lib.stride_tricks.sliding_window_view(columns, cut, axis=0).sum(-1)
    sums = last[starts[:, -1]]
    for column in starts[:, :-1].T:  # block by block: small arrays, no thread pool to wake
        sums += windows[column]
    sx, sy, sz, sxx, sxy, szz, sxz, szy = sums.T
    cxx, cxy = sxx - sx * sx / m, sxy - sx * sy / m
    czz, cxz, czy = szz - sz * sz / m, sxz - sx * sz / m, szy - sz * sy / m
    det = cxx * czz - cxz * cxz
    with np.errstate(invalid="ignore", divide="ignore"):
        # sums of squares lose digits when x barely varies: such a row is constant here
        slopes = np.where(cxx > np.maximum(1e-12, 1e-10 * sxx), cxy / cxx, np.nan)
        adjusted = np.where(det > 1e-9 * np.maximum(cxx * czz, 1e-12),
                            (czz * cxy - cxz * czy) / det, np.nan)
    return slopes, adjusted


def _interval(boot: np.ndarray, estimate: float, df: float
              ) -> tuple[float | None, float | None, float | None]:
    """(low, high, SE) of ``estimate`` from its resampled values: SE = their standard
    deviation, interval = estimate +- t(0.975, df) SE (:func:`analytics.student_t.t_quantile`)."""
    boot = boot[np.isfinite(boot)]
    if boot.size < 10:
        return None, None, None
    se = float(boot.std(ddof=1))
    half = t_quantile(df, 0.975) * se
    return estimate - half, estimate + half, se


@dataclass
class _Test:
    factor: Factor
    lag: int
    n: int = 0
    exposed: int | None = None
    unexposed: int | None = None
    status: str = ""
    effect: float | None = None
    adjusted: float | None = None
    ci: tuple[float | None, float | None] = (None, None)
    ci_adjusted: tuple[float | None, float | None] = (None, None)
    se: float | None = None
    p_value: float | None = None
    load_difference_pct: float | None = None
    load_correlation: float | None = None

    @property
    def enough(self) -> bool:
        return self.status == "ok"


def _run_test(test: _Test, x: np.ndarray, y: np.ndarray, z: np.ndarray, *, min_exposed: int,
              min_days: int, block_days: int, reps: int, seed: int) -> None:
    """Fill ``test`` from the pairs (x, y, z) of one factor and lag."""
    f = test.factor
    test.n = x.size
    if f.kind == BINARY:
        test.exposed, test.unexposed = int((x == 1).sum()), int((x == 0).sum())
        short = min(test.exposed, test.unexposed) < min_exposed
    else:
        short = test.n < min_days
    if short:
        test.status = "not enough data yet"
        return
    if f.kind == BINARY:
        low, high = z[x == 0].mean(), z[x == 1].mean()
        if low > 0:
            test.load_difference_pct = float(100.0 * (high / low - 1.0))
    elif f.adjust and z.std() > 0 and x.std() > 0:
        test.load_correlation = float(np.corrcoef(x, z)[0, 1])
    scale = f.per if f.kind == CONTINUOUS else 1.0
    effect = float(_slopes(x, y)) * scale
    if not math.isfinite(effect):
        test.status = "no variation yet"
        return
    rng = np.random.default_rng([seed, zlib.crc32(f.name.encode()), test.lag])
    boot_slopes, boot_adjusted = _resampled_coefficients(
        x, y, z, block_bootstrap_starts(x.size, block_days, reps, rng), block_days)
    df = _degrees_of_freedom(x, y, f.kind, block_days + f.window_days - 1)
    low, high, se = _interval(boot_slopes * scale, effect, df)
    if se is None or se == 0:
        test.status = "no variation yet"
        return
    test.status, test.effect, test.ci, test.se = "ok", effect, (low, high), se
    test.p_value = 2.0 * t_cdf(df, -abs(effect) / se)  # two-sided: 2 P(T <= -|t|)
    if f.adjust:
        adjusted = float(_adjusted(x, y, z)) * scale
        if math.isfinite(adjusted):
            a_low, a_high, _ = _interval(boot_adjusted * scale, adjusted, df)
            test.adjusted, test.ci_adjusted = adjusted, (a_low, a_high)


def _degrees_of_freedom(x: np.ndarray, y: np.ndarray, kind: str, block_days: int) -> float:
    """Degrees of freedom of the SE: independent blocks (of ``block_days`` consecutive pairs)
    minus one; for a yes/no factor by Welch-Satterthwaite over the two groups, each with its
    own blocks minus one (Satterthwaite 1946 Biometrics Bull 2:110) [V], never more than all
    blocks minus one."""
    blocks = np.arange(x.size) // block_days
    every = float(max(1, int(blocks[-1])))
    if kind != BINARY:
        return every
    parts = []
    for group in (x == 1, x == 0):
        count = np.unique(blocks[group]).size
        parts.append((float(y[group].var(ddof=1)) / group.sum(), max(1, count - 1)))
    total = sum(w for w, _ in parts)
    denominator = sum(w * w / df for w, df in parts)
    if denominator <= 0:
        return float(min(df for _, df in parts))
    return min(every, max(1.0, total * total / denominator))


def _points(value: float) -> str:
    return f"{abs(value):.1f} point{'' if round(abs(value), 1) == 1.0 else 's'}"


def _confounding(test: _Test) -> str:
    f = test.factor
    if test.load_difference_pct is not None:
        pct = test.load_difference_pct
        more = "more" if pct >= 0 else "less"
        return (f"days with {f.subject} also had {abs(pct):.0f} % {more} training load than "
                "days without")
    if test.load_correlation is not None:
        return (f"{f.subject} went together with that day's training load "
                f"(r = {test.load_correlation:.2f})")
    return ""


def _notable(test: _Test) -> bool:
    return ((test.load_difference_pct is not None
             and abs(test.load_difference_pct) >= CONFOUNDING_PCT)
            or (test.load_correlation is not None
                and abs(test.load_correlation) >= CONFOUNDING_R))


def _sentence(test: _Test, related: bool, q: float | None, tests_shown: int,
              min_exposed: int, min_days: int) -> str:
    f = test.factor
    when = test.factor.when(test.lag)
    if test.status == "not enough data yet":
        if f.kind == BINARY:
            have = min(test.exposed or 0, test.unexposed or 0)
            return (f"{when}: not enough data yet: {have} of {min_exposed} days (rated days "
                    "with it and without it, each).")
        return f"{when}: not enough data yet: {test.n} of {min_days} days."
    if test.status != "ok" or test.effect is None:
        return f"{when}: {test.status}."
    low, high = test.ci
    direction = "worse" if test.effect > 0 else "better"
    per = f" per {f.per_text}" if f.kind == CONTINUOUS else ""
    head = (f"{when}, your back was {_points(test.effect)} {direction}{per} on average "
            f"(95 % CI {low:+.1f} to {high:+.1f})")
    if not related:
        return (f"{head}: no clear link in your data yet (q = {q:.2f} after "
                f"{tests_shown} comparisons).")
    a_low, a_high = test.ci_adjusted
    if test.adjusted is None or a_low is None or a_high is None:
        tail = ""
    elif (a_low > 0 and test.effect > 0) or (a_high < 0 and test.effect < 0):
        tail = ", also after accounting for that day's load"
    else:
        tail = (f", but not clearly once that day's load is accounted for "
                f"({test.adjusted:+.1f}, 95 % CI {a_low:+.1f} to {a_high:+.1f})")
    note = f" Note: {_confounding(test)}." if _notable(test) else ""
    return f"{head}{tail}. An association in your data, not a cause.{note}"


def factor_associations(
    days: pl.DataFrame,
    factors: Sequence[Factor],
    *,
    pain: str = "pain",
    load: str = "load",
    min_exposed: int = integer("factor_min_exposed_days"),
    min_days: int = integer("factor_min_days"),
    block_days: int = integer("bootstrap_block_days"),
    reps: int = integer("factor_bootstrap_reps"),
    seed: int = integer("bootstrap_seed"),
    fdr: float = number("association_fdr"),
) -> pl.DataFrame:
    """Every factor x lag against pain (module docstring), ranked strongest first.

    Parameters
    ----------
    days
        One row per calendar day in date order: ``pain`` (0-10, null = unrated), ``load``
        (that day's training load, null = unknown) and one column per factor (yes/no as 0/1
        or booleans; null = not applicable that day).
    factors
        The factors to test (columns missing from ``days`` or never present are left out).

    Returns
    -------
    polars.DataFrame
        :data:`FACTOR_SCHEMA`, one row per factor and lag, ranked (``rank`` 1 = strongest).
    """
    present = [f for f in factors if f.name in days.columns
               and days[f.name].cast(pl.Float64).drop_nulls().len() > 0
               and (f.kind == CONTINUOUS or days[f.name].cast(pl.Float64).max() == 1)]
    def values(column: str) -> np.ndarray:
        return days[column].cast(pl.Float64).fill_null(np.nan).to_numpy()

    y_all, z_all = values(pain), values(load)
    tests: list[_Test] = []
    for f in present:
        x_all = values(f.name)
        for lag in f.lags:
            n = x_all.size - lag
            x, z, y = x_all[:n], z_all[:n], y_all[lag:]
            ok = np.isfinite(x) & np.isfinite(y) & np.isfinite(z)
            test = _Test(f, lag)
            _run_test(test, x[ok], y[ok], z[ok], min_exposed=min_exposed, min_days=min_days,
                      block_days=block_days, reps=reps, seed=seed)
            tests.append(test)
    q_values = benjamini_hochberg(np.array([np.nan if t.p_value is None else t.p_value
                                            for t in tests]))
    shown = int(np.isfinite(q_values).sum())
    order = sorted(range(len(tests)), key=lambda i: (
        not tests[i].enough, q_values[i] if np.isfinite(q_values[i]) else 2.0,
        -abs(tests[i].effect or 0.0) / (tests[i].se or 1.0)))
    rows = []
    for rank, i in enumerate(order, start=1):
        t, q = tests[i], q_values[i]
        q_value = float(q) if np.isfinite(q) else None
        related = q_value is not None and q_value < fdr
        rows.append({
            "factor": t.factor.name, "label": t.factor.subject, "kind": t.factor.kind,
            "lag_days": t.lag, "exposed_days": t.exposed, "unexposed_days": t.unexposed,
            "rated_days": t.n, "effect": t.effect, "effect_adjusted": t.adjusted,
            "ci_low": t.ci[0], "ci_high": t.ci[1], "ci_adjusted_low": t.ci_adjusted[0],
            "ci_adjusted_high": t.ci_adjusted[1],
            "unit": f"pain points per {t.factor.per_text}"
            if t.factor.kind == CONTINUOUS else "pain points (with - without)",
            "p_value": t.p_value, "q_value": q_value, "enough_data": t.enough,
            "related": related, "load_difference_pct": t.load_difference_pct,
            "load_correlation": t.load_correlation, "confounding": _confounding(t) or None,
            "status": t.status,
            "text": _sentence(t, related, q_value, shown, min_exposed, min_days),
            "rank": rank,
        })
    return pl.DataFrame(rows, schema=FACTOR_SCHEMA, orient="row") if rows else \
        pl.DataFrame(schema=FACTOR_SCHEMA)


def top_factors(ranked: pl.DataFrame, n: int = 3) -> pl.DataFrame:
    """The ``n`` strongest related factors of :func:`factor_associations`, one row (its best
    lag) per factor."""
    return (ranked.filter(pl.col("related")).sort("rank")
            .unique("factor", keep="first", maintain_order=True).head(n))
