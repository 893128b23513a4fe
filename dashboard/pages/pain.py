"""Pain: the journal (add, edit, delete), pain over load, and the load-pain association."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Collection

import dash
import plotly.graph_objects as go
import polars as pl
from dash import Input, Output, State, callback, ctx, dash_table, dcc, html
from plotly.subplots import make_subplots

from dashboard import service
from dashboard.data import open_store, today
from dashboard.figures import empty_figure
from dashboard.inputs import BadInput, checklist
from ingest.journal import AREAS, FLAGS, MAX_NOTE_CHARS, JournalError, make_entry, shown

JOURNAL_COLUMNS = [
    {"name": "date", "id": "date"},
    {"name": "area", "id": "area"},
    {"name": "pain (0-10)", "id": "level", "type": "numeric"},
    {"name": "during run", "id": "during_run"},
    {"name": "warning signs", "id": "red_flags"},
    {"name": "trained, not recorded", "id": "unrecorded"},
    {"name": "note", "id": "note"},
]


def journal_rows(journal: pl.DataFrame, unrecorded: Collection[dt.date] = ()
                 ) -> list[dict[str, object]]:
    """Journal entries, newest first, for the table (ids kept for edit/delete);
    ``unrecorded``: days trained without a recording."""
    return [
        {"id": row["id"], "date": row["date"].isoformat(), "area": row["area"],
         "level": row["level"], "during_run": "yes" if row["during_run"] else "",
         "red_flags": ", ".join(row["red_flags"]),
         "unrecorded": "yes" if row["date"] in unrecorded else "", "note": row["note"]}
        for row in journal.sort("date", "area", descending=True).iter_rows(named=True)
    ]


def pain_load_figure(daily: pl.DataFrame, days_shown: int = 365) -> go.Figure:
    """Daily training load (stacked areas: running, cross-training) with the pain rating on a
    second axis, over the last ``days_shown`` days with ratings (zoom out with the toolbar)."""
    rated = daily.filter(pl.col("pain").is_not_null())
    if rated.is_empty():
        return empty_figure("No pain ratings yet: add one above")
    start = max(rated["date"].min(), rated["date"].max() - dt.timedelta(days=days_shown))
    days = daily.filter(pl.col("date") >= start - dt.timedelta(days=14))
    rated = rated.filter(pl.col("date") >= start)
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    for column, name, color in (("running_load", "running load", "#1f6feb"),
                                ("cross_load", "cross-training load", "#8fb8f0")):
        figure.add_trace(go.Scatter(x=days["date"], y=days[column], name=name, mode="lines",
                                    stackgroup="load", line={"width": 0.5, "color": color,
                                                             "shape": "hv"}),
                         secondary_y=False)
    figure.add_trace(go.Scatter(x=rated["date"], y=rated["pain"], name="pain", mode="lines+markers",
                                line={"color": "#cf222e", "width": 2}), secondary_y=True)
    figure.update_layout(height=360, margin={"l": 60, "r": 60, "t": 10, "b": 40},
                         legend={"orientation": "h", "y": 1.1}, hovermode="x unified")
    figure.update_yaxes(title_text="load (HRSS points)", secondary_y=False)
    figure.update_yaxes(title_text="pain (0-10)", range=[0, 10.5], secondary_y=True)
    return figure


def association_view(association: pl.DataFrame) -> html.Div:
    """Lagged Spearman results with their 95 % CI, or 'not enough data yet'."""
    if association.is_empty() or (association["status"] != "ok").all():
        pairs = int(association["n_pairs"].max() or 0) if not association.is_empty() else 0
        return html.P(f"Not enough data yet to relate your pain to your training "
                      f"({pairs} days with both pain and load; about 29 are needed).",
                      id="pain-association-status")
    rows = [
        {"metric": r["metric"].replace("_", " "), "lag (days)": r["lag_days"],
         "days": r["n_pairs"],
         "rho": "-" if r["rho"] is None else f"{r['rho']:.2f}",
         "95 % CI": "-" if r["ci_low"] is None else f"{r['ci_low']:.2f} to {r['ci_high']:.2f}",
         "q (BH)": "-" if r["q_value"] is None else f"{r['q_value']:.3f}",
         "reading": r["text"]}
        for r in association.iter_rows(named=True)
    ]
    return html.Div([
        dash_table.DataTable(id="pain-association", data=rows,
                             columns=[{"name": k, "id": k} for k in rows[0]],
                             style_cell={"whiteSpace": "normal", "textAlign": "left"}),
        html.P("Spearman correlation of each day's metric with pain 0-3 days later; interval "
               "from a 7-day block bootstrap, Benjamini-Hochberg across all tests. An "
               "association in your own data, not a cause.", className="muted small"),
    ])


def entry_form(day: dt.date) -> html.Div:
    return html.Div([
        html.H3("Add or edit an entry"),
        html.Div([
            dcc.DatePickerSingle(id="pain-date", date=day.isoformat(), max_date_allowed=day,
                                 display_format="YYYY-MM-DD"),
            dcc.Dropdown(id="pain-area", options=list(AREAS), value="upper-back",
                         clearable=False, style={"width": "12rem"}),
            dcc.Input(id="pain-level", type="number", min=0, max=10, step=1, value=0,
                      style={"width": "5rem"}),
            html.Span("/ 10", className="muted"),
            dcc.Checklist(id="pain-during-run", options=[{"label": " during a run",
                                                          "value": "yes"}], value=[]),
            dcc.Checklist(id="pain-unrecorded", value=[], options=[{
                "label": " I trained this day without recording it (its load is then unknown, "
                         "not 0)", "value": "yes"}]),
        ], className="form"),
        dcc.Dropdown(id="pain-flags", multi=True, placeholder="Warning signs (if any)",
                     options=[{"label": text, "value": name} for name, text in FLAGS.items()]),
        dcc.Input(id="pain-note", type="text", placeholder="Note", style={"width": "100%"},
                  maxLength=MAX_NOTE_CHARS),
        html.Div([
            html.Button("Save entry", id="pain-save", n_clicks=0, className="button"),
            html.Button("Delete selected", id="pain-delete", n_clicks=0, className="button"),
            html.Span(id="pain-message", className="muted"),
        ], className="form"),
        dcc.Store(id="pain-editing"),
    ], className="card no-print")


def _journal_table(rows: list[dict[str, object]]) -> dash_table.DataTable:
    return dash_table.DataTable(id="pain-journal", data=rows, columns=JOURNAL_COLUMNS,
                                row_selectable="single", selected_rows=[], page_size=15,
                                sort_action="native")


def layout(**_: object) -> html.Div:
    with open_store() as store:
        day = today(store)
        journal = store.pain()
        unrecorded = set(store.unrecorded())
        has_data = bool(store.count() or journal.height)
        report = service.report(store, end=day) if has_data else None
    body = [entry_form(day), html.H3("Journal"),
            html.P("Select a row to edit it in the form above, or to delete it.",
                   className="muted small"),
            html.Div(_journal_table(journal_rows(journal, unrecorded)), id="pain-journal-box")]
    if report is None:
        body.append(html.P("No entries yet. Log how your back feels each day - a 0 on good "
                           "days matters as much as the bad ones."))
    else:
        body += [
            html.H3("Pain and training load"),
            dcc.Graph(id="pain-over-load", figure=pain_load_figure(report.daily)),
            html.H3("Does your pain follow your load?"),
            dcc.Loading(html.Div(html.P("Computing ...", className="muted"),
                                 id="pain-association-box")),
        ]
    return html.Div([html.H1("Pain journal"), *body])


@callback(
    Output("pain-date", "date"), Output("pain-area", "value"), Output("pain-level", "value"),
    Output("pain-during-run", "value"), Output("pain-flags", "value"),
    Output("pain-note", "value"), Output("pain-unrecorded", "value"),
    Output("pain-editing", "data"),
    Input("pain-journal", "selected_rows"), State("pain-journal", "data"),
    prevent_initial_call=True,
)
def load_selected(selected: list[int], rows: list[dict]):
    if not selected:
        return (dash.no_update,) * 7 + (None,)
    row = rows[selected[0]]
    flags = [f.strip() for f in row["red_flags"].split(",") if f.strip()]
    return (row["date"], row["area"], row["level"], ["yes"] if row["during_run"] else [],
            flags, row["note"], ["yes"] if row["unrecorded"] else [], row["id"])


def journal_action(action: str, form: dict[str, object], editing: int | None
                   ) -> tuple[list[dict[str, object]] | None, str]:
    """Save (add, or update the entry being edited) or delete; returns (new rows, message).

    Rows are None when nothing changed (invalid input or nothing selected).
    """
    if editing is not None and (isinstance(editing, bool) or not isinstance(editing, int)):
        return None, f"Not saved: no journal entry {shown(editing)}"
    with open_store() as store:
        if action == "delete":
            if editing is None:
                return None, "Select an entry to delete first."
            store.delete_pain(editing)
            message = "Entry deleted."
        else:
            try:
                unrecorded = checklist(form.get("unrecorded"), "trained without recording")
                entry = make_entry(form["date"] or "", "" if form["level"] is None
                                   else form["level"], form["area"],
                                   checklist(form["during_run"], "during a run"),
                                   form["flags"] or [], form["note"] or "", today(store))
            except (JournalError, BadInput) as exc:
                return None, f"Not saved: {exc}"
            if editing is None:
                store.add_pain([entry])
            else:
                try:
                    store.update_pain(editing, entry)
                except sqlite3.IntegrityError:
                    return None, (f"Not saved: {entry.date} already has an {entry.area} "
                                  "entry; edit that one instead.")
            store.set_unrecorded(entry.date, unrecorded)
            message = f"Saved {entry.date}: {entry.area} {entry.level}/10."
        return journal_rows(store.pain(), set(store.unrecorded())), message


@callback(
    Output("pain-journal-box", "children"), Output("pain-message", "children"),
    Output("pain-editing", "data", allow_duplicate=True),
    Input("pain-save", "n_clicks"), Input("pain-delete", "n_clicks"),
    State("pain-date", "date"), State("pain-area", "value"), State("pain-level", "value"),
    State("pain-during-run", "value"), State("pain-flags", "value"),
    State("pain-note", "value"), State("pain-unrecorded", "value"),
    State("pain-editing", "data"),
    prevent_initial_call=True,
)
def save_or_delete(_save: int, _delete: int, date: str, area: str, level: int | None,
                   during: list[str], flags: list[str] | None, note: str | None,
                   unrecorded: list[str], editing: int | None):
    action = "delete" if ctx.triggered_id == "pain-delete" else "save"
    form = {"date": date, "area": area, "level": level, "during_run": during, "flags": flags,
            "note": note, "unrecorded": unrecorded}
    rows, message = journal_action(action, form, editing)
    if rows is None:
        return dash.no_update, message, editing
    return _journal_table(rows), message, None


@callback(Output("pain-association-box", "children"), Input("pain-association-box", "id"))
def fill_association(_id: str) -> html.Div:
    """The association takes a bootstrap: computed after the page is shown."""
    with open_store() as store:
        return association_view(service.association(store, today(store)))


def register() -> None:
    dash.register_page(__name__, path="/pain", name="Pain", title="Pain journal", layout=layout)
