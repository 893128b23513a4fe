"""Correcting one activity on its page: sport, gear, carry, surface, tags, load; delete.

Deleting asks first: the Delete button shows a confirmation with its own button.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard.a11y.tables import Table, html_table
from dashboard.components import empty_state, field
from dashboard.data import open_store
from dashboard.levers import exercise_text
from ingest import bodywork_store, gear
from ingest.context import (
    CARRIES,
    SURFACES,
    ContextError,
    context_frame,
    delete_activity,
    edit_activity,
    said,
)

SPORTS = ("running", "walking", "hiking", "cycling", "swimming", "training", "other")
AUTO = "auto"
HIDDEN = {"display": "none"}


def _options(values, auto_label: str) -> list[dict[str, str]]:
    return [{"label": auto_label, "value": AUTO}, *({"label": v, "value": v} for v in values)]


def corrections_card(store, activity_id: int) -> html.Div:
    """The form with the activity's current values, and the delete button."""
    row = store.activity(activity_id)
    own = said(store, activity_id)
    resolved = context_frame(store).filter(id=activity_id).row(0, named=True)
    carried = resolved["carry"] if own["carry"] is None else None
    surface = resolved["surface"] if own["surface"] is None else None
    items = gear.items(store)
    gear_options = [
        {"label": f"{item['name']} ({item['kind']}{', retired' if item['retired'] else ''})",
         "value": item["id"]}
        for item in items.iter_rows(named=True)
        if not item["retired"] or item["id"] in own["gear_ids"]
    ]
    sports = list(dict.fromkeys([row["sport"], *SPORTS]))
    recorded = f" (the file says {own['recorded_sport']})" if own["recorded_sport"] else ""
    return html.Div([
        html.H2("Gear, context and corrections"),
        html.Div([
            field(f"Sport{recorded}", dcc.Dropdown(
                id="activity-sport", options=sports, value=row["sport"], clearable=False,
                style={"width": "11rem"})),
            field("Gear", dcc.Dropdown(
                id="activity-gear", options=gear_options, value=own["gear_ids"], multi=True,
                placeholder="no gear" if gear_options else "add gear on the Gear page",
                style={"minWidth": "16rem"})),
        ], className="form"),
        html.Div([
            field("Carried", dcc.Dropdown(
                id="activity-carry",
                options=_options(CARRIES, f"from the gear ({carried or 'not recorded'})"),
                value=own["carry"] or AUTO, clearable=False, style={"width": "14rem"})),
            field("Surface", dcc.Dropdown(
                id="activity-surface",
                options=_options(SURFACES, f"from the file ({surface or 'not recorded'})"),
                value=own["surface"] or AUTO, clearable=False, style={"width": "14rem"})),
            html.Label(["Tags (comma separated)", dcc.Input(
                id="activity-tags", type="text", value=", ".join(own["tags"]))],
                className="field"),
        ], className="form"),
        dcc.Checklist(id="activity-exclude", value=["yes"] if own["excluded_from_load"] else [],
                      options=[{"label": " leave out of load and analytics (stays listed)",
                                "value": "yes"}]),
        html.Div([
            html.Button("Save changes", id="activity-save", n_clicks=0, className="button"),
            html.Span(id="activity-message", className="muted", role="status"),
        ], className="form"),
        html.Div([
            html.Button("Delete this activity", id="activity-delete", n_clicks=0,
                        className="button button-danger"),
        ], className="form"),
        html.Div([
            html.P(f"Delete activity {activity_id} with its samples, laps, RPE, gear and "
                   "exercises? Importing its file again brings it back."),
            html.Button("Yes, delete it", id="activity-delete-confirm", n_clicks=0,
                        className="button button-danger"),
            html.Button("Cancel", id="activity-delete-cancel", n_clicks=0, className="button"),
        ], id="activity-confirm", className="confirm form", style=HIDDEN, role="alertdialog"),
        dcc.Store(id="activity-id", data=activity_id),
    ], className="card no-print")


def exercises_table(store, activity_id: int) -> html.Div | None:
    """The exercises of a strength workout (from the watch's sets), if it has any."""
    sessions = bodywork_store.sessions(store).filter(activity_id=activity_id)
    if sessions.is_empty() or not sessions["exercises"][0].len():
        return None
    rows = [{"exercise": e["name"], "category": e["category"], "done": exercise_text(e)}
            for e in sessions["exercises"][0].to_list()]
    return html.Div([
        html.H2(f"Exercises ({sessions['category'][0]})"),
        html_table(Table.from_dicts("Exercises", rows), "activity-exercises"),
    ])


@callback(
    Output("activity-message", "children"),
    Input("activity-save", "n_clicks"),
    State("activity-id", "data"), State("activity-sport", "value"),
    State("activity-gear", "value"), State("activity-carry", "value"),
    State("activity-surface", "value"), State("activity-tags", "value"),
    State("activity-exclude", "value"),
    prevent_initial_call=True,
)
def save(_clicks: int, activity_id: int, sport: str, gear_ids: list[int] | None, carry: str,
         surface: str, tags: str | None, exclude: list[str]) -> str:
    with open_store() as store:
        try:
            edit_activity(store, activity_id, sport=sport,
                          carry="" if carry == AUTO else carry,
                          surface="" if surface == AUTO else surface,
                          tags=[tags or ""], excluded=bool(exclude), gear_ids=gear_ids or [])
        except ContextError as exc:
            return f"Not saved: {exc}"
    counted = "left out of load" if exclude else "counts in load"
    items = len(gear_ids or [])
    return f"Saved: {sport}, {items} gear item{'' if items == 1 else 's'}, {counted}."


@callback(
    Output("activity-confirm", "style"),
    Input("activity-delete", "n_clicks"),
    Input("activity-delete-cancel", "n_clicks"),
    prevent_initial_call=True,
)
def ask(_delete: int, _cancel: int) -> dict[str, str]:
    return HIDDEN if dash.ctx.triggered_id == "activity-delete-cancel" else {}


@callback(
    Output("activity-page", "children"),
    Input("activity-delete-confirm", "n_clicks"),
    State("activity-id", "data"),
    prevent_initial_call=True,
)
def confirm_delete(clicks: int, activity_id: int):
    if not clicks:
        return dash.no_update
    with open_store() as store:
        deleted = delete_activity(store, activity_id)
    return empty_state(f"Activity {activity_id} deleted" if deleted
                       else f"Activity {activity_id} was already deleted",
                       html.Div(["Back to the ", dcc.Link("Activities", href="/activities"),
                                 "."], id="activity-deleted"), whole_page=True)
