"""Linking pain to load for one athlete: lagged Spearman with a block-bootstrap interval.

docs/methods.md section 8. At most 3 pre-declared daily metrics x lags 0..3 days against pain.
Daily series are autocorrelated, so the 95 % interval comes from a moving-block bootstrap with
7-day blocks (Tang & Landes 2020 PLoS ONE 15:e0228077) [V]; the p-value is the bootstrap one
(twice the share of resampled rho on the far side of 0, +1 smoothing), adjusted across all
tests with Benjamini-Hochberg. |rho| = 0.5 needs ~29 pairs, 0.3 ~85: below
``association_min_pairs`` no number is shown ("not enough data yet"). The wording is never
causal: "in your data, pain tended to be higher ...".

Blocks are blocks of consecutive *pairs* (days where both series are known), which equal
calendar blocks when pain is rated every day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from analytics.settings import integer, number

NOT_ENOUGH = "not enough data yet"
MAX_METRICS = 3

#: Columns of :func:`lagged_association`.
ASSOCIATION_SCHEMA: dict[str, pl.DataType] = {
    "metric": pl.String(),
    "lag_days": pl.Int32(),
    "n_pairs": pl.Int32(),
    "rho": pl.Float64(),
    "ci_low": pl.Float64(),
    "ci_high": pl.Float64(),
    "p_value": pl.Float64(),
    "q_value": pl.Float64(),
    "significant": pl.Boolean(),
    "status": pl.String(),
    "text": pl.String(),
}


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values); NaN entries are left out and kept NaN.

    .. math:: q_{(i)} = \\min_{j \\ge i} \\min\\left(1, \\frac{m}{j} p_{(j)}\\right)

    over the m finite p-values sorted ascending. The same values as
    :func:`scipy.stats.false_discovery_control` (``method="bh"``; a test compares them),
    computed here because importing scipy.stats takes 0.4-0.7 s, more than the rest of
    ``strideload advise`` after a pain entry.

    References
    ----------
    Benjamini Y, Hochberg Y (1995) Controlling the false discovery rate. J R Stat Soc B
    57:289-300.

    Examples
    --------
    >>> benjamini_hochberg(np.array([0.01, 0.04, 0.03, np.nan])).round(4).tolist()
    [0.03, 0.04, 0.04, nan]
    """
    p = np.asarray(p_values, dtype=np.float64)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    if ok.size:
        order = np.argsort(p[ok], kind="stable")
        scaled = p[ok][order] * ok.size / np.arange(1, ok.size + 1)
        q = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
        out[ok[order]] = q
    return out


def resampled_ranks(values: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Average ranks (ties share the mean rank) of ``values[idx]`` within each row of ``idx``.

    Equal to ``scipy.stats.rankdata(values[idx], axis=-1)``, but computed by counting: values
    are coded once by their order, and each row's ranks come from the counts of the codes, in
    O(rows x (n + distinct values)) without sorting every resample.
    """
    distinct, codes = np.unique(values, return_inverse=True)
    picked = codes[idx]
    rows, width = picked.shape[0], distinct.size
    flat = picked + (np.arange(rows) * width)[:, None]
    counts = np.bincount(flat.ravel(), minlength=rows * width).reshape(rows, width)
    below = np.cumsum(counts, axis=1) - counts
    return np.take_along_axis(below + (counts + 1) / 2.0, picked, axis=1)


def _pearson_rows(rx: np.ndarray, ry: np.ndarray) -> np.ndarray:
    rx = rx - rx.mean(axis=-1, keepdims=True)
    ry = ry - ry.mean(axis=-1, keepdims=True)
    denominator = np.sqrt((rx**2).sum(axis=-1) * (ry**2).sum(axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, (rx * ry).sum(axis=-1) / denominator, np.nan)


def bootstrap_spearman(x: np.ndarray, y: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Spearman rho of every resample ``(x[idx[k]], y[idx[k]])`` (rows of ``idx``)."""
    return _pearson_rows(resampled_ranks(x, idx), resampled_ranks(y, idx))


def spearman_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman rho of each row pair of two 2-D arrays (average ranks for ties); NaN when a
    row is constant."""
    from scipy.stats import rankdata  # imported here: scipy.stats takes ~1 s to import

    rx = rankdata(x, axis=-1)
    ry = rankdata(y, axis=-1)
    rx -= rx.mean(axis=-1, keepdims=True)
    ry -= ry.mean(axis=-1, keepdims=True)
    denominator = np.sqrt((rx**2).sum(axis=-1) * (ry**2).sum(axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, (rx * ry).sum(axis=-1) / denominator, np.nan)


def block_bootstrap_starts(n: int, block: int, reps: int, rng: np.random.Generator
                           ) -> np.ndarray:
    """Where each block of a moving-block bootstrap begins: ``reps`` rows of ``ceil(n /
    block)`` starts, each block ``block`` pairs long (``min(block, n)``), the last one cut so
    that a resample has ``n`` pairs (:func:`block_bootstrap_indices`)."""
    block = min(block, n)
    return rng.integers(0, n - block + 1, size=(reps, -(-n // block)))


def block_bootstrap_indices(n: int, block: int, reps: int, rng: np.random.Generator
                            ) -> np.ndarray:
    """Moving-block bootstrap: ``reps`` rows of ``n`` indices made of ``block``-long runs."""
    starts = block_bootstrap_starts(n, block, reps, rng)
    idx = (starts[:, :, None] + np.arange(min(block, n))).reshape(reps, -1)
    return idx[:, :n]


@dataclass
class _Test:
    metric: str
    lag: int
    n_pairs: int
    status: str = ""
    rho: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None

    def sentence(self, significant: bool) -> str:
        if self.rho is None or self.ci_low is None or self.ci_high is None:
            return f"{self.metric} at lag {self.lag}: {self.status}."
        lag = self.lag
        when = "on the same day as" if lag == 0 else f"{lag} day{'s' if lag > 1 else ''} after"
        numbers = f"rho = {self.rho:.2f}, 95 % CI {self.ci_low:.2f} to {self.ci_high:.2f}"
        if not significant:
            return (f"In your data, no clear link between pain and {self.metric} {lag} day(s) "
                    f"earlier ({numbers}). This may change as data grows.")
        direction = "higher" if self.rho > 0 else "lower"
        return (f"In your data, pain tended to be {direction} {when} days with higher "
                f"{self.metric} ({numbers}). An association, not a cause.")


def lagged_association(
    daily: pl.DataFrame | pl.LazyFrame,
    metrics: Sequence[str],
    pain: str = "pain",
    *,
    max_lag: int = integer("association_max_lag"),
    min_pairs: int = integer("association_min_pairs"),
    block_days: int = integer("bootstrap_block_days"),
    reps: int = integer("bootstrap_reps"),
    seed: int = integer("bootstrap_seed"),
    fdr: float = number("association_fdr"),
) -> pl.DataFrame:
    """Spearman rho of ``metric`` on day t - lag against pain on day t, lags 0..``max_lag``.

    Parameters
    ----------
    daily
        One row per calendar day in date order with the ``metrics`` columns and ``pain``
        (nulls = unknown).
    metrics
        Pre-declared metric columns, at most 3.

    Returns
    -------
    polars.DataFrame
        Columns of :data:`ASSOCIATION_SCHEMA`, one row per metric and lag. ``status`` is
        ``"ok"``, ``"not enough data yet"`` (fewer than ``min_pairs`` pairs; no number shown)
        or ``"no variation"`` (a constant series). ``significant``: BH q < ``fdr``.
    """
    if len(metrics) > MAX_METRICS:
        raise ValueError(f"invalid metrics {list(metrics)}: at most {MAX_METRICS} pre-declared")
    frame = daily.lazy().select(pl.col(pain).cast(pl.Float64),
                                *[pl.col(m).cast(pl.Float64) for m in metrics]).collect()
    y_all = frame[pain].fill_null(np.nan).to_numpy()
    rng = np.random.default_rng(seed)
    tests: list[_Test] = []
    for metric in metrics:
        x_all = frame[metric].fill_null(np.nan).to_numpy()
        for lag in range(max_lag + 1):
            x, y = x_all[: x_all.size - lag], y_all[lag:]
            ok = np.isfinite(x) & np.isfinite(y)
            test = _Test(metric, lag, int(ok.sum()))
            tests.append(test)
            if test.n_pairs < min_pairs:
                test.status = NOT_ENOUGH
                continue
            xs, ys = x[ok], y[ok]
            rho = float(spearman_rows(xs, ys))
            if not np.isfinite(rho):
                test.status = "no variation"
                continue
            idx = block_bootstrap_indices(xs.size, block_days, reps, rng)
            boot = bootstrap_spearman(xs, ys, idx)
            boot = boot[np.isfinite(boot)]
            low, high = np.percentile(boot, [2.5, 97.5])
            tail = min(np.sum(boot <= 0), np.sum(boot >= 0))
            test.status, test.rho, test.ci_low, test.ci_high = "ok", rho, float(low), float(high)
            test.p_value = min(1.0, 2.0 * (tail + 1) / (boot.size + 1))
    q_values = benjamini_hochberg(np.array([np.nan if t.p_value is None else t.p_value
                                            for t in tests]))
    rows = []
    for test, q in zip(tests, q_values, strict=True):
        significant = test.status == "ok" and bool(q < fdr)
        rows.append({
            "metric": test.metric, "lag_days": test.lag, "n_pairs": test.n_pairs,
            "rho": test.rho, "ci_low": test.ci_low, "ci_high": test.ci_high,
            "p_value": test.p_value, "q_value": None if np.isnan(q) else float(q),
            "significant": significant, "status": test.status,
            "text": test.sentence(significant),
        })
    return pl.DataFrame(rows, schema=ASSOCIATION_SCHEMA, orient="row") if rows else \
        pl.DataFrame(schema=ASSOCIATION_SCHEMA)
