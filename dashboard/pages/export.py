"""Export: the weekly summaries, downloads (CSV, JSON, Markdown) and a printable page."""

from __future__ import annotations

import datetime as dt

import dash
import polars as pl
from dash import Input, Output, callback, clientside_callback, dcc, html

from dashboard import export, service
from dashboard.a11y.tables import Table, paged_table, table_body
from dashboard.components import no_activities
from dashboard.data import display_units, open_store, today
from dashboard.units import Units

FORMATS = {  # format -> (file suffix, builder, MIME type)
    "csv": (".csv", export.to_csv, "text/csv"),
    "json": (".json", export.to_json, "application/json"),
    "md": (".md", export.to_markdown, "text/markdown"),
}


def _weekly() -> tuple[dt.date, pl.DataFrame | None, Units]:
    with open_store() as store:
        day, units = today(store), display_units(store)
        if not store.count():
            return day, None, units
        return day, service.report(store, end=day).weekly(), units


def layout(view: str | None = None, **_: object) -> html.Div:
    day, weekly, units = _weekly()
    if weekly is None:
        return no_activities("weekly summaries")
    rows = export.markdown_rows(weekly, units)
    heading = [
        html.H1("Weekly summary"),
        html.P(f"strideload, {len(rows)} weeks up to {day:%d %B %Y}. Loads in HRSS points "
               "(100 = one hour at threshold). Describes training; not a diagnosis.",
               className="muted"),
    ]
    if view == "print":
        return html.Div([*heading, html.Div([
            html.Button("Print", id="export-print", n_clicks=0, className="button"),
            dcc.Link("Back to the summary", href="/export"),
        ], className="form no-print"), print_table(rows)])
    return html.Div([
        *heading,
        html.Div([
            html.Button("Download CSV", id="export-csv", n_clicks=0, className="button"),
            html.Button("Download JSON", id="export-json", n_clicks=0, className="button"),
            html.Button("Download Markdown", id="export-md", n_clicks=0, className="button"),
            dcc.Link("Print-friendly page for your physiotherapist", href="/export?view=print",
                     id="export-print-link"),
            dcc.Download(id="export-download"),
        ], className="form"),
        # half a year per page: long histories stay quick to draw
        paged_table("export-table", Table.from_dicts("Weekly summary, newest week first",
                                                     rows[::-1]), 26),
    ])


def print_table(rows: list[dict[str, str]]) -> html.Div:
    """Every week, oldest first, in a plain table that prints on paper as shown."""
    return html.Div(html.Table(
        table_body(Table.from_dicts("Weekly summary, oldest week first", rows)),
        className="print-table data-table", id="export-print-table"),
        className="print-box", tabIndex="0", role="region",
        **{"aria-label": "Weekly summary, oldest week first"})


@callback(
    Output("export-download", "data"),
    Input("export-csv", "n_clicks"), Input("export-json", "n_clicks"),
    Input("export-md", "n_clicks"),
    prevent_initial_call=True,
)
def download(*_clicks: int):
    return download_payload(dash.ctx.triggered_id.removeprefix("export-")) or dash.no_update


def download_payload(fmt: str) -> dict[str, str] | None:
    """What dcc.Download sends for ``fmt`` (csv, json, md); None without data."""
    suffix, build, mime = FORMATS[fmt]
    day, weekly, units = _weekly()
    if weekly is None:
        return None
    content = export.to_markdown(weekly, units=units) if fmt == "md" else build(weekly)
    return {"content": content, "filename": f"strideload-weekly-{day}{suffix}", "type": mime}


clientside_callback(
    "function(n) { if (n) { window.print(); } return ''; }",
    Output("export-print", "title"),
    Input("export-print", "n_clicks"),
    prevent_initial_call=True,
)


def register() -> None:
    dash.register_page(__name__, path="/export", name="Export", title="Weekly summary",
                       layout=layout)
