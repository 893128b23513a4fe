"""Export: the weekly summaries, downloads (CSV, JSON, Markdown) and a printable page."""

from __future__ import annotations

import datetime as dt

import dash
import polars as pl
from dash import Input, Output, callback, clientside_callback, dash_table, dcc, html

from dashboard import export, service
from dashboard.components import no_activities
from dashboard.data import display_units, open_store, today
from dashboard.factors_view import METHOD_NOTE, top_three
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


def _top_factors(day: dt.date) -> list[str]:
    """The three strongest related factors up to ``day`` (docs/methods.md section 11.4)."""
    with open_store() as store:
        return top_three(service.factors(store, day))


def factors_block(factors: list[str]) -> html.Div:
    """The top factors for the print view and the page."""
    return html.Div([html.H2(export.FACTORS_HEADING),
                     html.Ol([html.Li(text) for text in factors]),
                     html.P(METHOD_NOTE, className="muted small")], id="export-factors")


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
        ], className="form no-print"), print_table(rows), factors_block(_top_factors(day))])
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
        dash_table.DataTable(
            id="export-table", data=rows[::-1], columns=[{"name": k, "id": k} for k in rows[0]],
            page_size=26,  # half a year per page: long histories stay quick to draw
            style_cell={"whiteSpace": "normal", "fontSize": "0.85rem", "padding": "4px"},
            style_table={"overflowX": "auto"},
        ),
    ])


def print_table(rows: list[dict[str, str]]) -> html.Table:
    """Every week, oldest first, in a plain table that prints on paper as shown."""
    headers = list(rows[0])
    return html.Table(
        [html.Thead(html.Tr([html.Th(h) for h in headers])),
         html.Tbody([html.Tr([html.Td(row[h]) for h in headers]) for row in rows])],
        className="print-table", id="export-print-table",
    )


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
    content = (export.to_markdown(weekly, units=units, factors=_top_factors(day))
               if fmt == "md" else build(weekly))
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
