"""group_medians (numpy) gives polars' group-by medians: NaN ignored, even counts averaged,
all-NaN groups NaN, keys in ascending order with their counts."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from analytics.grouped import group_medians


@pytest.mark.parametrize("seed", range(6))
def test_group_medians_equal_polars(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    keys = rng.integers(0, int(rng.integers(1, 30)), n) * 0.25  # float keys, as speed bands
    x = rng.normal(170, 5, n)
    x[rng.random(n) < 0.3] = np.nan
    x[keys == keys.max()] = np.nan  # one group with no value at all
    y = rng.integers(0, 9, n).astype(float)  # ties, even counts
    got_keys, counts, medians = group_medians(keys, {"x": x, "y": y})
    expected = (pl.DataFrame({"k": keys, "x": x, "y": y}).fill_nan(None)
                .group_by("k").agg(pl.len().alias("n"), pl.col("x", "y").median()).sort("k"))
    assert got_keys.tolist() == expected["k"].to_list()
    assert counts.tolist() == expected["n"].to_list()
    for name in ("x", "y"):
        want = expected[name].fill_null(np.nan).to_numpy()
        np.testing.assert_allclose(medians[name], want, rtol=1e-15, equal_nan=True)
    assert np.isnan(medians["x"][-1])


def test_no_values():
    keys, counts, medians = group_medians(np.array([], dtype=np.int64), {"x": np.array([])})
    assert keys.size == counts.size == medians["x"].size == 0
