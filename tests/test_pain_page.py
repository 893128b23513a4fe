"""The Pain page's headline over the load-pain association, its table behind a disclosure and
the pain axis of its chart (pure builders; the page in a browser: test_browser_phone.py)."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
from dash import html

from analytics.association import ASSOCIATION_SCHEMA, lagged_association
from dashboard.figures_pain import pain_load_figure
from dashboard.pain_association import (
    SAME_DAY,
    association_headline,
    association_rows,
    association_view,
)


def result(metric: str, lag: int, rho: float | None, q: float | None, n: int = 60,
           significant: bool = False) -> dict[str, object]:
    ok = rho is not None
    return {"metric": metric, "lag_days": lag, "n_pairs": n, "rho": rho,
            "ci_low": rho - 0.2 if ok else None, "ci_high": rho + 0.2 if ok else None,
            "p_value": q, "q_value": q, "significant": significant,
            "status": "ok" if ok else "not enough data yet",
            "text": f"In your data ... {metric} ..." if ok else f"{metric}: not enough"}


def frame(*rows: dict[str, object]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=ASSOCIATION_SCHEMA, orient="row")


def test_headline_never_picks_the_same_day_result():
    """Lag 0 is the strongest and most significant; the headline is the lag-1 finding."""
    found = frame(result("running_load", 0, -0.62, 0.001, significant=True),
                  result("running_load", 1, 0.41, 0.02, significant=True),
                  result("load", 2, 0.45, 0.04, significant=True))
    assert association_headline(found) == (
        "In your data, pain tended to be higher 1 day later after days with more running load "
        "(rho = 0.41, 95 % CI 0.21 to 0.61, 60 days). An association, not a cause.")


def test_headline_without_a_significant_later_result_says_no_clear_link():
    found = frame(result("load", 0, -0.5, 0.001, significant=True),
                  result("load", 1, 0.05, 0.9), result("load", 3, -0.21, 0.3))
    headline = association_headline(found)
    assert headline.startswith("No clear link yet between your pain and your training")
    assert "training load 3 days later" in headline and "rho = -0.21" in headline
    assert "-0.50" not in headline  # the same-day result is not the finding


def test_headline_says_how_many_more_rated_days_are_needed():
    found = frame(result("load", 0, None, None, n=18), result("load", 1, None, None, n=17))
    assert association_headline(found, 29) == (
        "Not enough data yet: 12 more days with a pain rating are needed before your pain can "
        "be related to your training.")


def test_headline_from_a_real_association_of_a_pain_that_follows_load():
    """Pain the day after the load (plus noise): found at lag 1, whatever lag 0 shows."""
    days = 120
    rng = [(k * 37) % 11 for k in range(days)]  # a fixed, irregular load pattern
    load = [10.0 * v for v in rng]
    pain = [None] + [min(10, v // 2 + (k % 2)) for k, v in enumerate(rng[:-1])]
    daily = pl.DataFrame({"date": [dt.date(2026, 1, 1) + dt.timedelta(days=k)
                                   for k in range(days)], "load": load, "pain": pain})
    found = lagged_association(daily, ["load"], reps=300)
    headline = association_headline(found)
    assert headline.startswith("In your data, pain tended to be higher 1 day later after days "
                               "with more training load"), headline


def test_same_day_rows_are_labelled_and_the_table_sits_behind_a_disclosure():
    found = frame(result("running_load", 0, -0.3, 0.04, significant=True),
                  result("running_load", 1, 0.1, 0.5))
    rows = association_rows(found)
    assert rows[0]["reading"] == SAME_DAY and rows[0]["pain"] == "the same day"
    assert rows[1]["pain"] == "1 day later" and rows[1]["training"] == "running load"
    view = association_view(found)
    headline, details = view.children
    assert headline.id == "pain-association-headline"
    assert isinstance(details, html.Details) and not getattr(details, "open", False)
    shown = json.dumps(details.to_plotly_json(), default=lambda o: o.to_plotly_json())
    assert "Show all 2 tests" in shown and "-0.30" in shown and "0.040" in shown


def test_pain_axis_is_the_whole_scale_with_whole_number_ticks():
    daily = pl.DataFrame({"date": [dt.date(2026, 3, d) for d in range(1, 6)],
                          "running_load": [50.0] * 5, "cross_load": [0.0] * 5,
                          "pain": [1, 2, None, 3, 2]})
    axis = pain_load_figure(daily).layout.yaxis2
    assert list(axis.range) == [0, 10.4]
    assert list(axis.tickvals) == [0, 2, 4, 6, 8, 10] and axis.tickmode == "array"
