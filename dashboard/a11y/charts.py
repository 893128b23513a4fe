"""A chart with its words: an accessible name saying what it shows, a short summary a runner
would also like to read, and a "Show as table" view of its numbers.

Each figure builder has a pure text function beside it, built from the same frame, that
returns a :class:`ChartText`; :func:`chart` lays the figure and its text out, and a callback
that redraws the figure returns :func:`chart_words` for ``Output(words_id(graph_id),
"children")`` too, so the words never disagree with the picture.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import polars as pl
from dash import MATCH, Input, Output, State, callback, dcc, html, no_update
from dash.dependencies import Wildcard

from dashboard.a11y.tables import Table, html_table
from dashboard.components import attrs
from ingest import scalars


@dataclass(frozen=True)
class ChartText:
    """What a chart shows in words: ``name`` (its accessible name: kind of chart, what and
    when), ``summary`` (one or two sentences with the numbers that matter) and ``table`` (its
    numbers; None when there are none)."""

    name: str
    summary: str
    table: Table | None = None


def words_id(graph_id: str) -> str:
    return f"{graph_id}-words"


def _tid(kind: str, graph_id: str | Wildcard) -> dict[str, str | Wildcard]:
    return {"type": f"chart-table-{kind}", "graph": graph_id}


def chart_words(graph_id: str, text: ChartText) -> list:
    """The name (for screen readers; the heading above says it to everyone), the summary and
    the table behind a native disclosure (keyboard: Tab to "Show as table", Enter). The
    table's cells are drawn when it is first opened (:func:`open_table`): hundreds of cells
    on a page slow the browser down."""
    words: list = [html.P(text.name, id=f"{graph_id}-name", className="visually-hidden"),
                   html.P(text.summary, id=f"{graph_id}-summary", className="chart-summary")]
    if text.table is not None and text.table.rows:
        words += [
            html.Details([html.Summary("Show as table", id=_tid("open", graph_id)),
                          html.Div(id=_tid("box", graph_id))], className="chart-table no-print"),
            dcc.Store(id=_tid("data", graph_id), data=text.table.to_json()),
        ]
    return words


@callback(
    Output(_tid("box", MATCH), "children"),
    Input(_tid("open", MATCH), "n_clicks"),
    State(_tid("data", MATCH), "data"),
    prevent_initial_call=True,
)
def open_table(clicks: int | None, data: dict):
    """The first click (or Enter) on "Show as table" draws it; the disclosure shows and hides
    it after that."""
    return html_table(Table.from_json(data)) if clicks == 1 else no_update


def chart(graph_id: str, figure: go.Figure, text: ChartText, loading: bool = False,
          **graph: Any) -> html.Figure:
    """``figure`` as an image named by ``text.name`` (``assets/a11y.js`` gives plotly's drawing
    ``role=img``; its toolbar buttons stay reachable by keyboard), followed by its words.

    ``loading`` wraps the graph in ``dcc.Loading`` (drawn by a later callback); ``graph``:
    more ``dcc.Graph`` arguments (``style``, ``config`` entries are merged).
    """
    config: dcc.Graph.Config = {"displaylogo": False, **graph.pop("config", {})}
    drawn = dcc.Graph(id=graph_id, figure=figure, config=config, **graph)
    return html.Figure([
        html.Div(dcc.Loading(drawn) if loading else drawn,
                 **attrs({"data-chart-name": f"{graph_id}-name"})),
        html.Div(chart_words(graph_id, text), id=words_id(graph_id)),
    ], className="chart")


#: The words of a chart that is drawn after the page (replaced by its callback).
DRAWING = ChartText("Chart being drawn", "Drawing the chart ...")


def day_text(day: dt.date) -> str:
    """'12 Sep 2026'."""
    return f"{day:%d %b %Y}".lstrip("0")


def span_text(first: dt.date, last: dt.date) -> str:
    """'3 Aug to 12 Sep 2026' (the year once when both days share it)."""
    if first.year == last.year:
        return f"{first:%d %b}".lstrip("0") + f" to {day_text(last)}"
    return f"{day_text(first)} to {day_text(last)}"


def days_span_text(days: pl.Series) -> str:
    """:func:`span_text` from the first to the last day of a ``date`` column (not empty)."""
    return span_text(scalars.day(days.min()), scalars.day(days.max()))


def change_text(pct: float | None) -> str:
    """'up 18 %', 'down 5 %', 'unchanged' ('' when there is nothing to compare with)."""
    if pct is None:
        return ""
    if round(pct) == 0:
        return "unchanged"
    return f"{'up' if pct > 0 else 'down'} {abs(pct):.0f} %"


def number_text(value: float | None, digits: int = 0, unit: str = "") -> str:
    """A number for a table cell ('' when unknown), with ``unit`` after a space."""
    if value is None:
        return ""
    return f"{value:.{digits}f}" + (f" {unit}" if unit else "")
