"""Property-based invariants (hypothesis)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import acwr, association, fitness, load, monotony
from analytics.athlete import AthleteProfile, resolve_profile

loads = st.lists(st.one_of(st.just(0.0), st.floats(0, 500)), min_size=0, max_size=80)


def column(values: list[float], fn: Callable[[pl.Expr], pl.Expr]) -> pl.Series:
    return pl.DataFrame({"L": values}, schema={"L": pl.Float64}).select(fn(pl.col("L"))) \
        .to_series()


@given(loads)
def test_acwr_never_infinite_and_undefined_without_chronic_load(values: list[float]) -> None:
    chronic = column(values, acwr.chronic_load_coupled)
    uncoupled = column(values, acwr.chronic_load_uncoupled)
    for fn, base in ((acwr.acwr_rolling_coupled, chronic),
                     (acwr.acwr_rolling_uncoupled, uncoupled)):
        ratio = column(values, fn)
        finite = ratio.drop_nulls()
        assert finite.is_finite().all() and (finite >= 0).all()
        zero = (base == 0).fill_null(False)
        assert ratio.filter(zero).null_count() == int(zero.sum())
    ewma = column(values, acwr.acwr_ewma).drop_nulls()
    assert ewma.is_finite().all()


@given(loads)
def test_monotony_bounds(values: list[float]) -> None:
    m = column(values, monotony.monotony)
    busy = column(values,
                  lambda e: e.rolling_max(7, min_samples=7) >= monotony.NEGLIGIBLE_LOAD)
    # all-zero week -> undefined; otherwise 0 < M <= 10, never NaN or infinite
    assert m.filter(~busy.fill_null(True)).null_count() == int((~busy.fill_null(True)).sum())
    known = m.drop_nulls()
    assert ((known > 0) & (known <= 10)).all()
    s = column(values, monotony.strain).drop_nulls()
    assert (s >= 0).all() and s.is_finite().all()


@given(st.floats(0, 1000), st.integers(1, 60), st.integers(1, 90))
def test_ewma_of_constant_is_constant(level: float, days: int, n: int) -> None:
    values = [level] * n
    for fn in (lambda e: acwr.ewma(e, days),
               lambda e: fitness.fitness_ewma(e, days, "exponential"),
               lambda e: fitness.fitness_ewma(e, days, "n_plus_1")):
        out = column(values, fn).to_numpy()
        np.testing.assert_allclose(out, level, rtol=1e-9, atol=1e-9)


histograms = st.lists(st.floats(0, 3600), min_size=201, max_size=201)
sessions = st.fixed_dictionaries({
    "sport": st.sampled_from(["running", "cycling", "walking", "yoga", "unknown"]),
    "duration_s": st.one_of(st.none(), st.floats(0, 20000)),
    "hr_hist_s": st.one_of(st.none(), histograms),
    "moving_s": st.one_of(st.none(), st.floats(0, 20000)),
    "norm_speed_m_s": st.one_of(st.none(), st.floats(0, 8)),
})


@settings(max_examples=50, deadline=None)
@given(st.lists(sessions, min_size=1, max_size=6),
       st.sampled_from(["male", "female", "unknown"]),
       st.lists(st.integers(0, 10), min_size=6, max_size=6))
def test_loads_are_never_negative(rows: list[dict[str, object]], sex: str,
                                  ratings: list[int]) -> None:
    day = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    frame = pl.DataFrame([
        r | {"id": i, "local_date": "2024-01-01", "start_time": day + dt.timedelta(hours=i)}
        for i, r in enumerate(rows)
    ], schema_overrides={"hr_hist_s": pl.List(pl.Float64), "duration_s": pl.Float64,
                         "moving_s": pl.Float64, "norm_speed_m_s": pl.Float64})
    frame = frame.with_columns(pl.col("hr_hist_s").list.sum().fill_null(0.0).alias("hr_seconds"))
    rpe = pl.DataFrame({"activity_id": list(range(len(rows))), "rpe": ratings[: len(rows)]})
    profile = resolve_profile(AthleteProfile(sex=sex, hr_rest=55, hr_max=185,
                                             threshold_speed_m_s=4.2))
    out = load.session_loads(frame, profile, rpe)
    for name in ("load", "trimp", "edwards_trimp", "hrss", "pace_load", "srpe_au"):
        values = out[name].drop_nulls()
        assert (values >= 0).all() and values.is_finite().all()
    known = out.filter(pl.col("load").is_not_null())
    assert known["load_source"].null_count() == 0


@given(st.lists(st.floats(0, 1), min_size=1, max_size=30))
def test_benjamini_hochberg_invariants(p: list[float]) -> None:
    q = association.benjamini_hochberg(np.array(p))
    assert (q >= np.array(p) - 1e-12).all() and (q <= 1).all()
    order = np.argsort(p, kind="stable")
    assert (np.diff(q[order]) >= -1e-12).all()


@given(st.floats(30, 230), st.floats(40, 70), st.floats(150, 210))
def test_trimp_per_hour_is_bounded(bpm: float, rest: float, top: float) -> None:
    h = np.zeros(201)
    h[int(round(bpm)) - 30] = 3600
    for sex in ("male", "female", "unknown"):
        a, b = load.trimp_constants(sex)
        value = float(load.banister_trimp(h, rest, top, a, b))
        assert 0 <= value <= 60 * a * math.exp(b) + 1e-9
