"""Pain: the journal (add, edit, delete), pain over load, and the load-pain association."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Collection, Mapping
from typing import Any

import dash
import polars as pl
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import preferences, service
from dashboard.a11y.charts import chart
from dashboard.a11y.grid import column, data_grid, rows_page
from dashboard.data import open_store, today
from dashboard.figures_pain import pain_load_figure, pain_load_text
from dashboard.inputs import BadInput, checklist
from dashboard.pain_association import association_view
from ingest.journal import AREAS, FLAGS, MAX_NOTE_CHARS, JournalError, make_entry, shown

JOURNAL_COLUMNS = [  # minimum widths: a date or area is never cut to "2026..."
    column("date", minWidth=130),
    column("area", minWidth=130),
    column("level", "pain (0-10)", type="numericColumn"),
    column("during_run", "during run"),
    column("red_flags", "warning signs"),
    column("unrecorded", "trained, not recorded"),
    column("note", minWidth=160),
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


#: Journal rows per page (sent one page at a time: ten years are 3,650 rows).
JOURNAL_PAGE = 15


def entry_form(day: dt.date) -> html.Div:
    return html.Div([
        html.H2("Add or edit an entry"),
        html.Div([
            html.Label(["Date", dcc.Input(id="pain-date", type="date", value=day.isoformat(),  # type: ignore[arg-type]  # dash types omit "date"
                                          max=day.isoformat())], className="field"),
            html.Div([html.Label("Area", htmlFor="pain-area"),
                      dcc.Dropdown(id="pain-area", options=list(AREAS), value="upper-back",
                                   clearable=False, style={"width": "12rem"})],
                     className="field"),
            html.Label(["Pain (0-10)", html.Span([
                dcc.Input(id="pain-level", type="number", min=0, max=10, step=1, value=0,
                          style={"width": "5rem"}),
                html.Span(" / 10", className="muted")])], className="field"),
            dcc.Checklist(id="pain-during-run", options=[{"label": " during a run",
                                                          "value": "yes"}], value=[]),
            dcc.Checklist(id="pain-unrecorded", value=[], options=[{
                "label": " I trained this day without recording it (its load is then unknown, "
                         "not 0)", "value": "yes"}]),
        ], className="form"),
        html.Label("Warning signs (if any)", htmlFor="pain-flags"),
        dcc.Dropdown(id="pain-flags", multi=True, placeholder="Warning signs (if any)",
                     options=[{"label": text, "value": name} for name, text in FLAGS.items()]),
        html.Label(["Note", dcc.Input(id="pain-note", type="text", placeholder="Note",
                                      style={"width": "100%"}, maxLength=MAX_NOTE_CHARS)],
                   className="field"),
        html.Div([
            html.Button("Save entry", id="pain-save", n_clicks=0, className="button"),
            html.Button("Delete selected", id="pain-delete", n_clicks=0, className="button"),
            html.Span(id="pain-message", className="muted", role="status"),
        ], className="form"),
        dcc.Store(id="pain-editing"),
    ], className="card no-print")


def _journal_table() -> html.Div:
    """The journal grid; its rows come a page at a time (:func:`journal_page`)."""
    return data_grid("pain-journal", None, JOURNAL_COLUMNS, "Pain journal", select=True,
                     page_size=JOURNAL_PAGE, row_id="id")


def layout(**_: object) -> html.Div:
    with open_store() as store:
        day = today(store)
        has_data = bool(store.count() or store.pain().height)
        report = service.report(store, end=day) if has_data else None
    body = [entry_form(day), html.H2("Journal"),
            html.P("Select a row to edit it in the form above, or to delete it with "
                   "\"Delete selected\" there.", className="muted small"),
            html.Div(_journal_table(), id="pain-journal-box")]
    if report is None:
        body.append(html.P("No entries yet. Log how your back feels each day - a 0 on good "
                           "days matters as much as the bad ones."))
    else:
        body += [
            html.H2("Pain and training load"),
            chart("pain-over-load", pain_load_figure(report.daily),
                  pain_load_text(report.daily)),
            html.H2("Does your pain follow your load?"),
            dcc.Loading(html.Div(html.P("Computing ...", className="muted"),
                                 id="pain-association-box")),
        ]
    return html.Div([html.H1("Pain journal"), *body])


@callback(
    Output("pain-date", "value"), Output("pain-area", "value"), Output("pain-level", "value"),
    Output("pain-during-run", "value"), Output("pain-flags", "value"),
    Output("pain-note", "value"), Output("pain-unrecorded", "value"),
    Output("pain-editing", "data"),
    Input("pain-journal", "selectedRows"),
    prevent_initial_call=True,
)
def load_selected(selected: list[dict] | None):
    """The selected entry (the grid's row data) into the form."""
    if not selected:
        return (dash.no_update,) * 7 + (None,)
    row = selected[0]
    flags = [f.strip() for f in row["red_flags"].split(",") if f.strip()]
    return (row["date"], row["area"], row["level"], ["yes"] if row["during_run"] else [],
            flags, row["note"], ["yes"] if row["unrecorded"] else [], row["id"])


def journal_action(action: str, form: Mapping[str, Any], editing: int | None
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
    State("pain-date", "value"), State("pain-area", "value"), State("pain-level", "value"),
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
    return _journal_table(), message, None


@callback(Output("pain-journal", "getRowsResponse"), Input("pain-journal", "getRowsRequest"),
          prevent_initial_call=True)
def journal_page(request: dict | None) -> dict[str, object]:
    """The page of journal rows the grid asks for, in the order it asks for."""
    with open_store() as store:
        rows = journal_rows(store.pain(), set(store.unrecorded()))
    return rows_page(rows, request)


@callback(Output("pain-association-box", "children"), Input("pain-association-box", "id"))
def fill_association(_id: str) -> html.Div | html.P:
    """The association takes a bootstrap: computed after the page is shown."""
    with open_store() as store:
        return association_view(service.association(store, today(store)),
                                preferences.load_settings(store).integer("association_min_pairs"))


def register() -> None:
    dash.register_page(__name__, path="/pain", name="Pain", title="Pain journal", layout=layout)
