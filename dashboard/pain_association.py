"""The Pain page's answer to "does my pain follow my training?": one headline sentence, and
the full table of :func:`analytics.association.lagged_association` behind a disclosure.

The headline is the strongest honest finding (docs/methods.md section 8): among the tests of
training 1 or more days *before* the pain (lag >= 1), the one with the lowest false-discovery
adjusted q-value if any is significant, else a plain "no clear link" naming the strongest
correlation and its interval. Same-day results (lag 0) are never the headline: a same-day
correlation mostly shows pain changing the training (less running on painful days), not
training changing the pain; the table says so on their rows. Without enough pairs it says how
many more rated days are needed.
"""

from __future__ import annotations

import polars as pl
from dash import html

from analytics.settings import integer
from dashboard.a11y.tables import Table, html_table
from ingest import scalars

#: Daily metrics (:data:`analytics.settings.ASSOCIATION_METRICS`) in words.
METRIC_WORDS = {
    "load": "training load", "running_load": "running load",
    "cross_load": "cross-training load", "run_distance_m": "running distance",
    "run_timer_s": "running time", "drift_pct": "cadence drift (%)",
    "drift_spm_per_h": "cadence drift (steps/min per hour)",
    "decoupling_pct": "Pa:HR decoupling", "cadence_spm": "cadence", "monotony": "monotony",
    "strain": "strain", "acwr": "ACWR", "ctl": "fitness (CTL)", "atl": "fatigue (ATL)",
    "tsb": "form (TSB)", "ctl_ramp": "fitness ramp",
}
#: What a same-day (lag 0) result mostly shows.
SAME_DAY = ("Same day: mostly shows pain changing your training (you train less on painful "
            "days), not training changing your pain.")
METHOD = ("Spearman correlation of each day's training with pain 0-3 days later; interval "
          "from a 7-day block bootstrap, Benjamini-Hochberg across all tests. An association in "
          "your own data, not a cause.")


def metric_words(metric: str) -> str:
    return METRIC_WORDS.get(metric, metric.replace("_", " "))


def _later(lag: int) -> str:
    return "the same day" if lag == 0 else f"{lag} day{'s' if lag > 1 else ''} later"


def _numbers(row: dict) -> str:
    return (f"rho = {row['rho']:.2f}, 95 % CI {row['ci_low']:.2f} to {row['ci_high']:.2f}, "
            f"{row['n_pairs']} days")


def more_days_needed(association: pl.DataFrame, min_pairs: int) -> int:
    """Rated days still needed before the first test (of training before the pain) runs."""
    later = association.filter(pl.col("lag_days") >= 1)
    pairs = int(scalars.number_or_none((later if later.height else association)["n_pairs"].max())
                or 0)
    return max(min_pairs - pairs, 1)


def association_headline(association: pl.DataFrame,
                         min_pairs: int = integer("association_min_pairs")) -> str:
    """One sentence: the strongest honest finding of ``association`` (the columns of
    :data:`analytics.association.ASSOCIATION_SCHEMA`), never a same-day one.

    Examples
    --------
    >>> import polars as pl
    >>> from analytics.association import ASSOCIATION_SCHEMA
    >>> association_headline(pl.DataFrame(schema=ASSOCIATION_SCHEMA), 29)
    'Not enough data yet: 29 more days with a pain rating are needed before your pain can be related to your training.'
    """  # noqa: E501
    later = association.filter((pl.col("lag_days") >= 1) & (pl.col("status") == "ok"))
    if later.is_empty():
        if association.height and association["lag_days"].max() == 0:
            return ("Only same-day links are tested (association_max_lag is 0 in Settings): "
                    "those mostly show pain changing your training, not the reverse.")
        needed = more_days_needed(association, min_pairs)
        return (f"Not enough data yet: {needed} more day{'s' if needed > 1 else ''} with a "
                "pain rating are needed before your pain can be related to your training.")
    found = later.filter(pl.col("significant"))
    if found.height:
        row = found.with_columns(pl.col("rho").abs().alias("size")) \
            .sort(["q_value", "size"], descending=[False, True]).row(0, named=True)
        direction = "higher" if row["rho"] > 0 else "lower"
        return (f"In your data, pain tended to be {direction} {_later(row['lag_days'])} "
                f"after days with more {metric_words(row['metric'])} ({_numbers(row)}). "
                "An association, not a cause.")
    row = later.with_columns(pl.col("rho").abs().alias("size")).sort("size", descending=True) \
        .row(0, named=True)
    return (f"No clear link yet between your pain and your training in the days before it: "
            f"the strongest, {metric_words(row['metric'])} {_later(row['lag_days'])}, "
            f"was within what chance gives ({_numbers(row)}).")


def association_rows(association: pl.DataFrame) -> list[dict[str, object]]:
    """The table's rows: every metric and lag, same-day rows labelled for what they show."""
    return [
        {"training": metric_words(r["metric"]), "pain": _later(r["lag_days"]),
         "days": r["n_pairs"],
         "rho": "-" if r["rho"] is None else f"{r['rho']:.2f}",
         "95 % CI": "-" if r["ci_low"] is None else f"{r['ci_low']:.2f} to {r['ci_high']:.2f}",
         "q (BH)": "-" if r["q_value"] is None else f"{r['q_value']:.3f}",
         "reading": (SAME_DAY if r["lag_days"] == 0 and r["status"] == "ok"
                     else r["text"].replace(r["metric"], metric_words(r["metric"])))}
        for r in association.iter_rows(named=True)
    ]


def association_view(association: pl.DataFrame,
                     min_pairs: int = integer("association_min_pairs")) -> html.Div:
    """The headline first; the whole table (when any test ran) behind "Show all tests"."""
    headline = html.P(association_headline(association, min_pairs),
                      id="pain-association-headline", className="headline")
    if association.is_empty():
        return html.Div(headline)
    table = Table.from_dicts("Pain against each training metric, the same day to "
                             f"{scalars.number(association['lag_days'].max()):g} days later",
                             association_rows(association))
    return html.Div([
        headline,
        html.Details([html.Summary(f"Show all {association.height} tests"),
                      html_table(table, "pain-association"),
                      html.P(METHOD, className="muted small")],
                     id="pain-association-details", className="disclosure"),
    ])
