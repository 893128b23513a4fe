"""Medians per group of a run's seconds in numpy, for the per-activity metrics computed at
import (polars' group-by costs about a millisecond a call on such small arrays; these run in a
few dozen microseconds)."""

from __future__ import annotations

import numpy as np


def group_medians(keys: np.ndarray, columns: dict[str, np.ndarray]
                  ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Each column's median per distinct key, NaN ignored.

    Parameters
    ----------
    keys
        One key per value (any order).
    columns
        Name -> values, each as long as ``keys``.

    Returns
    -------
    (keys, counts, medians)
        The distinct keys in ascending order, how many values each has (NaN included) and,
        per column, the median of each key's values other than NaN (NaN where there are none);
        an even count's median is the mean of the middle two.

    Examples
    --------
    >>> keys, counts, medians = group_medians(np.array([2, 1, 2, 2]),
    ...                                       {"x": np.array([5.0, 1.0, np.nan, 7.0])})
    >>> keys.tolist(), counts.tolist(), medians["x"].tolist()
    ([1, 2], [1, 3], [1.0, 6.0])
    """
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    if ordered.size == 0:
        return ordered, np.zeros(0, dtype=np.int64), {name: np.zeros(0) for name in columns}
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    counts = np.diff(np.r_[starts, ordered.size])
    group = np.repeat(np.arange(starts.size), counts)
    place = np.arange(ordered.size) - starts[group]  # position within its group
    rows = np.arange(starts.size)
    medians = {}
    for name, values in columns.items():
        table = np.full((starts.size, int(counts.max())), np.nan)
        table[group, place] = values[order]
        table.sort(axis=1)  # NaN last
        valid = np.count_nonzero(~np.isnan(table), axis=1)
        low, high = np.maximum(valid - 1, 0) // 2, valid // 2
        middle = 0.5 * (table[rows, low] + table[rows, np.minimum(high, table.shape[1] - 1)])
        medians[name] = np.where(valid > 0, middle, np.nan)
    return ordered[starts], counts, medians
