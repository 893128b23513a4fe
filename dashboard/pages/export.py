"""Export: the weekly summaries, downloads (CSV, JSON, Markdown), the printable report and
read-only links to it for a physiotherapist."""

from __future__ import annotations

import datetime as dt

import dash
import polars as pl
from dash import Input, Output, callback, dcc, html
from flask import request

from dashboard import export, service, sharing
from dashboard.a11y.tables import Table, paged_table
from dashboard.components import no_activities
from dashboard.data import display_units, open_store, today
from dashboard.factors_view import METHOD_NOTE, top_three
from dashboard.security.pages import REPORT_PATH
from dashboard.server import host_name, is_loopback
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
    """The top factors, below the downloads."""
    return html.Div([html.H2(export.FACTORS_HEADING),
                     html.Ol([html.Li(text) for text in factors]),
                     html.P(METHOD_NOTE, className="muted small")], id="export-factors")


def layout(**_: object) -> html.Div:
    day, weekly, units = _weekly()
    if weekly is None:
        return no_activities("weekly summaries")
    rows = export.markdown_rows(weekly, units)
    return html.Div([
        html.H1("Weekly summary"),
        html.P(f"strideload, {len(rows)} weeks up to {day:%d %B %Y}. Loads in HRSS points "
               "(100 = one hour at threshold). Describes training; not a diagnosis.",
               className="muted"),
        html.Div([
            html.Button("Download CSV", id="export-csv", n_clicks=0, className="button"),
            html.Button("Download JSON", id="export-json", n_clicks=0, className="button"),
            html.Button("Download Markdown", id="export-md", n_clicks=0, className="button"),
            html.A("Print-friendly page for your physiotherapist", href=REPORT_PATH,
                   id="export-print-link"),
            dcc.Download(id="export-download"),
        ], className="form"),
        html.Div([
            html.H2("A link for your physiotherapist"),
            html.P([f"A read-only link to the print-friendly page: it shows that page and "
                    f"nothing else, for {sharing.DEFAULT_DAYS} days. List and revoke links "
                    "with ", html.Code("strideload share list"), " and ",
                    html.Code("strideload share revoke ID"), "."], className="muted"),
            html.Button("Create a link", id="export-share", n_clicks=0, className="button"),
            html.Div(id="export-share-result", role="status", className="field"),
        ], className="card no-print"),
        factors_block(_top_factors(day)),
        # half a year per page: long histories stay quick to draw
        paged_table("export-table", Table.from_dicts("Weekly summary, newest week first",
                                                     rows[::-1]), 26),
    ])


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


def share_view(url: str, expires: dt.datetime, share_id: int, on_this_computer_only: bool
               ) -> list:
    """The new link, ready to copy, with when it stops working."""
    view = [
        html.Label(f"Link {share_id}, works until {expires:%d %B %Y %H:%M} UTC:",
                   htmlFor="export-share-url"),
        dcc.Input(id="export-share-url", value=url, readOnly=True, className="share-link"),
    ]
    if on_this_computer_only:
        view.append(html.P("This address opens on this computer only: to give the link to "
                           "someone else, serve the dashboard on your network with a password "
                           "(see the README, 'From your phone').", className="muted small"))
    return view


@callback(
    Output("export-share-result", "children"),
    Input("export-share", "n_clicks"),
    prevent_initial_call=True,
)
def create_link(_clicks: int) -> list:
    with open_store() as store:
        share, token = sharing.create_share(store)
    return share_view(sharing.share_url(request.host_url, token), share.expires, share.id,
                      is_loopback(host_name(request.host)))


def register() -> None:
    dash.register_page(__name__, path="/export", name="Export", title="Weekly summary",
                       layout=layout)
