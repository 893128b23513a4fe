"""Gear: add shoes and packs, see each item's distance and time, retire worn-out items."""

from __future__ import annotations

import datetime as dt

import dash
from dash import Input, Output, State, callback, dcc, html

from analytics.gear import PARALLEL_FINDING, PARALLEL_SOURCE, RETIRE_SOURCE
from dashboard.a11y.grid import column, data_grid
from dashboard.components import field
from dashboard.data import display_units, open_store, today
from dashboard.levers import gear_display, gear_listing
from ingest.gear import GEAR_KINDS, GearError, add_gear, retire

DEFAULT_SPORTS = ("running", "walking", "hiking", "cycling", "swimming", "training")


def _table(store) -> html.Div:
    listing = gear_listing(store)
    shown = gear_display(listing, display_units(store))
    rows = [{**row, "gear_id": gear_id} for row, gear_id
            in zip(shown.to_dicts(), listing["id"].to_list(), strict=True)]
    return data_grid("gear-table", rows, [column(c) for c in shown.columns if c != "id"],
                     "Your gear", select=True, row_id="gear_id")


def add_form(day: dt.date) -> html.Div:
    return html.Div([
        html.H2("Add shoes, a pack or other gear"),
        html.Div([
            html.Label(["Name", dcc.Input(id="gear-name", type="text", value="",
                                          placeholder="e.g. Ghost 15")], className="field"),
            field("Kind", dcc.Dropdown(id="gear-kind", options=list(GEAR_KINDS), value="shoes",
                                        clearable=False, style={"width": "9rem"})),
            field("Default for", dcc.Dropdown(
                id="gear-default", options=[{"label": "no sport", "value": ""},
                                            *DEFAULT_SPORTS],
                value="", clearable=False, style={"width": "10rem"})),
        ], className="form"),
        html.Div([
            html.Label(["Retire at (km, optional)", dcc.Input(
                id="gear-retire-km", type="number", min=1, max=10000,
                className="input-short")], className="field"),
            html.Label(["Distance before tracking (km)", dcc.Input(
                id="gear-initial-km", type="number", min=0, max=20000, value=0,
                className="input-short")], className="field"),
            html.Label(["In use since", dcc.Input(id="gear-since", type="date",  # type: ignore[arg-type]  # dash types omit "date"
                                                  max=day.isoformat())], className="field"),
        ], className="form"),
        html.P("A pack (bottle, belt, vest, backpack) sets what you carried on the runs it is "
               "assigned to; say which in its name, e.g. 'hydration vest'.",
               className="muted small"),
        html.Div([
            html.Button("Add gear", id="gear-add", n_clicks=0, className="button"),
            html.Span(id="gear-message", className="muted", role="status"),
        ], className="form"),
    ], className="card no-print")


def layout(**_: object) -> html.Div:
    with open_store() as store:
        day = today(store)
        table = _table(store)
    return html.Div([
        html.H1("Gear"),
        add_form(day),
        html.H2("Your gear"),
        html.P("Assign gear to a run on its activity page; new runs get the default of their "
               "sport.", className="muted small"),
        html.Div(table, id="gear-table-box"),
        html.Div([
            html.Button("Retire selected", id="gear-retire", n_clicks=0, className="button"),
            html.Span(id="gear-retire-message", className="muted", role="status"),
        ], className="form"),
        html.P(f"Shoe retirement at 500-800 km is commonly advised: {RETIRE_SOURCE} [U]. "
               f"In one cohort {PARALLEL_FINDING} ({PARALLEL_SOURCE}) [V].",
               className="muted small"),
    ])


@callback(
    Output("gear-table-box", "children"),
    Output("gear-message", "children"),
    Output("gear-retire-message", "children"),
    Input("gear-add", "n_clicks"),
    Input("gear-retire", "n_clicks"),
    State("gear-name", "value"), State("gear-kind", "value"), State("gear-default", "value"),
    State("gear-retire-km", "value"), State("gear-initial-km", "value"),
    State("gear-since", "value"),
    State("gear-table", "selectedRows"),
    prevent_initial_call=True,
)
def add_or_retire(_add: int, _retire: int, name: str | None, kind: str, default: str,
                  retire_km: float | None, initial_km: float | None, since: str | None,
                  selected: list[dict] | None):
    with open_store() as store:
        if dash.ctx.triggered_id == "gear-retire":
            if not selected:
                return dash.no_update, "", "Select an item first."
            chosen = selected[0]
            retire(store, int(chosen["gear_id"]))
            return _table(store), "", f"Retired {chosen['name']}."
        try:
            gear_id = add_gear(store, name or "", kind, retire_km=retire_km,
                               default_for=default or None,
                               since=dt.date.fromisoformat(since) if since else None,
                               initial_km=float(initial_km or 0))
        except (GearError, ValueError) as exc:
            return dash.no_update, f"Not added: {exc}", ""
        return _table(store), f"Added {(name or '').strip()} (gear {gear_id}).", ""


def register() -> None:
    dash.register_page(__name__, path="/gear", name="Gear", title="Gear", layout=layout)
