"""Body work: log a session, the weekly chart over pain, every session with its exercises."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dash_table, dcc, html

from analytics.bodywork import EVIDENCE_NOTE
from dashboard import service
from dashboard.bodywork_view import bodywork_form
from dashboard.data import open_store, today
from dashboard.figures import empty_figure
from dashboard.figures_bodywork import bodywork_figure
from dashboard.levers import bodywork_listing, exercise_text
from ingest.bodywork_store import delete_session

COLUMNS = [{"name": n, "id": i} for n, i in (
    ("date", "date"), ("from", "source"), ("category", "category"), ("minutes", "minutes"),
    ("exercises", "exercises"), ("note", "note"))]


def session_rows(rows: list[dict]) -> list[dict[str, object]]:
    """Sessions, newest first, for the table (id kept for deleting hand-logged ones)."""
    return [{
        "id": row["id"], "date": row["date"],
        "source": "logged by hand" if row["source"] == "manual"
        else f"watch (activity {row['activity_id']})",
        "category": row["category"], "minutes": row["minutes"],
        "exercises": "; ".join(exercise_text(e) for e in row["exercises"]),
        "note": row["note"],
    } for row in reversed(rows)]


def _table(rows: list[dict[str, object]]) -> dash_table.DataTable:
    return dash_table.DataTable(
        id="bodywork-list", data=rows, columns=COLUMNS, row_selectable="single",
        selected_rows=[], page_size=15,
        style_cell={"whiteSpace": "normal", "textAlign": "left", "padding": "4px"},
        style_cell_conditional=[{"if": {"column_id": "exercises"}, "minWidth": "18rem"},
                                {"if": {"column_id": "source"}, "minWidth": "7rem"},
                                {"if": {"column_id": "date"}, "minWidth": "6rem"}],
        style_table={"overflowX": "auto"})


def _figure(store):
    if not store.count() and not bodywork_listing(store):
        return empty_figure("No body work yet: log a session above")
    return bodywork_figure(service.report(store, end=today(store)).weekly())


def layout(**_: object) -> html.Div:
    with open_store() as store:
        day = today(store)
        rows = session_rows(bodywork_listing(store))
        figure = _figure(store)
    return html.Div([
        html.H1("Body work"),
        html.P(EVIDENCE_NOTE, className="muted small"),
        bodywork_form("bodywork", day),
        html.H3("Sessions per week and pain"),
        dcc.Graph(id="bodywork-chart", figure=figure, config={"displaylogo": False}),
        html.H3("Sessions"),
        html.P("Select a session you logged by hand to delete it; watch workouts are deleted "
               "on their activity page.", className="muted small"),
        html.Div(_table(rows), id="bodywork-list-box"),
        html.Div([
            html.Button("Delete selected", id="bodywork-delete", n_clicks=0,
                        className="button"),
            html.Span(id="bodywork-delete-message", className="muted", role="status"),
        ], className="form"),
    ])


@callback(
    Output("bodywork-list-box", "children"),
    Output("bodywork-chart", "figure"),
    Output("bodywork-delete-message", "children"),
    Input({"type": "bodywork-message", "page": "bodywork"}, "children"),
    Input("bodywork-delete", "n_clicks"),
    State("bodywork-list", "selected_rows"),
    State("bodywork-list", "data"),
    prevent_initial_call=True,
)
def refresh(_message: str, _delete: int, selected: list[int], rows: list[dict]):
    message = ""
    with open_store() as store:
        if dash.ctx.triggered_id == "bodywork-delete":
            chosen = rows[selected[0]] if selected else None
            if chosen is None:
                message = "Select a session first."
            elif chosen["id"] is None:
                message = "That one comes from your watch: delete it on its activity page."
            else:
                delete_session(store, int(chosen["id"]))
                message = f"Deleted the session of {chosen['date']}."
        return _table(session_rows(bodywork_listing(store))), _figure(store), message


def register() -> None:
    dash.register_page(__name__, path="/bodywork", name="Body work", title="Body work",
                       layout=layout)
