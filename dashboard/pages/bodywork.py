"""Body work: log a session, the weekly chart over pain, every session with its exercises."""

from __future__ import annotations

import dash
import plotly.graph_objects as go
from dash import Input, Output, State, callback, html

from analytics.bodywork import EVIDENCE_NOTE
from dashboard import service
from dashboard.a11y.charts import ChartText, chart, chart_words, words_id
from dashboard.a11y.grid import column, data_grid
from dashboard.bodywork_view import bodywork_form
from dashboard.data import open_store, today
from dashboard.figures import empty_figure
from dashboard.figures_bodywork import EMPTY, bodywork_figure, bodywork_text
from dashboard.levers import bodywork_listing, exercise_text
from ingest.bodywork_store import delete_session

COLUMNS = [column("date"), column("source", "from"), column("category"), column("minutes"),
           column("exercises", wrapText=True, autoHeight=True, width=280,
                  suppressAutoSize=True),
           column("note")]


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


def _table(rows: list[dict[str, object]]) -> html.Div:
    return data_grid("bodywork-list", rows, COLUMNS, "Body-work sessions", select=True,
                     page_size=15)


def _chart(store) -> tuple[go.Figure, ChartText]:
    """The weekly chart and its words (none before any training or body work)."""
    if not store.count() and not bodywork_listing(store):
        return empty_figure(EMPTY), ChartText("Chart of body work per week: none yet", EMPTY)
    weeks = service.report(store, end=today(store)).weekly()
    return bodywork_figure(weeks), bodywork_text(weeks)


def layout(**_: object) -> html.Div:
    with open_store() as store:
        day = today(store)
        rows = session_rows(bodywork_listing(store))
        figure, text = _chart(store)
    return html.Div([
        html.H1("Body work"),
        html.P(EVIDENCE_NOTE, className="muted small"),
        bodywork_form("bodywork", day),
        html.H2("Sessions per week and pain"),
        chart("bodywork-chart", figure, text),
        html.H2("Sessions"),
        html.P("Select a session you logged by hand to delete it with \"Delete selected\" "
               "below; watch workouts are deleted on their activity page.",
               className="muted small"),
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
    Output(words_id("bodywork-chart"), "children"),
    Output("bodywork-delete-message", "children"),
    Input({"type": "bodywork-message", "page": "bodywork"}, "children"),
    Input("bodywork-delete", "n_clicks"),
    State("bodywork-list", "selectedRows"),
    prevent_initial_call=True,
)
def refresh(_message: str, _delete: int, selected: list[dict] | None):
    message = ""
    with open_store() as store:
        if dash.ctx.triggered_id == "bodywork-delete":
            chosen = selected[0] if selected else None
            if chosen is None:
                message = "Select a session first."
            elif chosen["id"] is None:
                message = "That one comes from your watch: delete it on its activity page."
            else:
                delete_session(store, int(chosen["id"]))
                message = f"Deleted the session of {chosen['date']}."
        figure, text = _chart(store)
        return (_table(session_rows(bodywork_listing(store))), figure,
                chart_words("bodywork-chart", text), message)


def register() -> None:
    dash.register_page(__name__, path="/bodywork", name="Body work", title="Body work",
                       layout=layout)
