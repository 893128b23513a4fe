"""Student's t CDF and quantile (analytics/student_t.py) give scipy.special's values."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import stdtr, stdtrit

from analytics.student_t import incomplete_beta, t_cdf, t_quantile

DFS = [0.3, 0.5, 1, 1.5, 2, 2.7, 3, 5, 7.3, 10, 30, 100, 1000, 1e5]


@pytest.mark.parametrize("df", DFS)
def test_cdf_equals_scipys_stdtr(df):
    for t in [*np.linspace(-60, 60, 241), 0.0, 1e-9, -1e-9, 300.0, -300.0]:
        assert t_cdf(df, t) == pytest.approx(stdtr(df, t), rel=1e-8, abs=1e-300)


@pytest.mark.parametrize("df", DFS)
def test_quantile_equals_scipys_stdtrit(df):
    for p in [1e-6, 0.001, 0.025, 0.1, 0.3, 0.5, 0.7, 0.9, 0.975, 0.99, 0.999999]:
        assert t_quantile(df, p) == pytest.approx(stdtrit(df, p), rel=1e-9, abs=1e-12)


def test_edges():
    assert (t_cdf(4, float("inf")), t_cdf(4, float("-inf"))) == (1.0, 0.0)
    assert (incomplete_beta(2, 3, 0.0), incomplete_beta(2, 3, 1.0)) == (0.0, 1.0)
    assert incomplete_beta(1, 1, 0.3) == pytest.approx(0.3)  # uniform
    assert t_quantile(1, 0.75) == pytest.approx(1.0)  # Cauchy: tan(pi / 4)
