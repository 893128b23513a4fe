"""Factors: what relates to your pain - each factor against next-day and 2-day pain, ranked,
with the confounding by that day's load beside it; no number without enough data."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

import dash
import polars as pl
from dash import Input, Output, callback, dcc, html

from dashboard import service
from dashboard.components import attrs, empty_state
from dashboard.data import open_store, today
from dashboard.factors_view import METHOD_NOTE, NO_FACTORS, experiment_lever
from dashboard.figures_factors import factor_effects_figure
from ingest.gear import items


def _numbers(row: dict) -> str:
    """The numbers under a sentence: days, adjusted effect, q, load on the exposed days."""
    days = (f"{row['exposed_days']} rated days with, {row['unexposed_days']} without"
            if row["kind"] == "binary" else f"{row['rated_days']} rated days")
    parts = [days]
    if row["effect_adjusted"] is not None and row["ci_adjusted_low"] is not None:
        parts.append(f"adjusted for that day's load {row['effect_adjusted']:+.2f} "
                     f"({row['ci_adjusted_low']:+.2f} to {row['ci_adjusted_high']:+.2f})")
    parts.append(f"q = {row['q_value']:.3f}")
    if row["confounding"]:
        parts.append(row["confounding"])
    return " · ".join(parts)


def _item(row: dict, lever: str | None = None) -> html.Li:
    """A factor's sentence and numbers; ``lever``: offer to test it in an experiment."""
    test = html.P(html.A("Test this", href=f"/experiment?lever={quote(lever)}",
                         className="test-this link-block",
                         **attrs({"aria-label": f"Test this: {row['label']}, in a personal "
                                                "experiment"})),
                  className="no-print") if lever else None
    return html.Li([html.P(row["text"]), html.P(_numbers(row), className="muted small"), test],
                   className="factor", **{"data-factor": row["factor"],
                                          "data-lag": str(row["lag_days"])})


def testable(ranked: pl.DataFrame, shoe_ids: Mapping[str, int]) -> dict[tuple[str, int], str]:
    """(factor, lag) -> lever for the first listed lag of each yes/no factor with enough data
    that an experiment can test (:func:`dashboard.factors_view.experiment_lever`)."""
    out: dict[tuple[str, int], str] = {}
    seen: set[str] = set()
    for row in ranked.filter(pl.col("enough_data")).iter_rows(named=True):
        lever = experiment_lever(row["factor"], shoe_ids)
        if lever and row["factor"] not in seen:
            seen.add(row["factor"])
            out[(row["factor"], row["lag_days"])] = lever
    return out


def factors_view(ranked: pl.DataFrame, shoe_ids: Mapping[str, int] | None = None
                 ) -> html.Div | html.P:
    """The ranked factors in three groups: related, not clearly related, not enough data;
    "Test this" beside each factor with enough data that an experiment can test."""
    if ranked.is_empty():
        return html.P("No factors yet: log your pain each day and import your runs.",
                      id="factors-status")
    levers = testable(ranked, shoe_ids or {})
    related = ranked.filter(pl.col("related"))
    unclear = ranked.filter(pl.col("enough_data") & ~pl.col("related"))
    short = ranked.filter(~pl.col("enough_data"))
    return html.Div([
        html.H2("Related in your data"),
        html.Ol([_item(r, levers.get((r["factor"], r["lag_days"])))
                 for r in related.iter_rows(named=True)], id="factors-related",
                className="factor-list") if related.height
        else html.P(NO_FACTORS, id="factors-related"),
        dcc.Graph(id="factors-chart", figure=factor_effects_figure(ranked),
                  config={"displaylogo": False, "displayModeBar": False}),
        html.H2("No clear link yet"),
        html.Ol([_item(r, levers.get((r["factor"], r["lag_days"])))
                 for r in unclear.iter_rows(named=True)], id="factors-unclear",
                className="factor-list", start=str(related.height + 1)) if unclear.height
        else html.P("None.", className="muted"),
        html.H2("Not enough data yet"),
        html.Ul([html.Li(text) for text in short["text"]], id="factors-short")
        if short.height else html.P("None: every factor has enough data.", className="muted"),
    ])


def layout(**_: object) -> html.Div:
    with open_store() as store:
        empty = not store.count() and store.pain().is_empty()
    if empty:
        return empty_state(
            "Nothing to relate yet",
            html.Div(["Import your runs on the ", dcc.Link("Upload", href="/upload"),
                      " page and log how your back feels each day (a 0 counts too)."]),
            "To see a full example first, run `strideload demo` in a terminal.",
            whole_page=True)
    return html.Div([
        html.H1("What relates to your pain"),
        html.P("Each factor of your training, gear, body work and recovery against your pain "
               "the next day and two days later, strongest first. A factor needs 8 rated days "
               "with it and 8 without (a number: 28 rated days) before any number is shown.",
               className="muted"),
        dcc.Loading(html.Div(html.P("Computing ...", className="muted"), id="factors-box")),
        html.P(METHOD_NOTE, className="muted small", id="factors-method"),
    ])


@callback(Output("factors-box", "children"), Input("factors-box", "id"))
def fill_factors(_id: str) -> html.Div | html.P:
    """The bootstrap takes a moment: computed after the page is shown."""
    with open_store() as store:
        shoes = items(store).filter(pl.col("kind") == "shoes")
        return factors_view(service.factors(store, today(store)),
                            dict(zip(shoes["name"], shoes["id"], strict=True)))


def register() -> None:
    dash.register_page(__name__, path="/factors", name="Factors", title="Factors",
                       layout=layout)
