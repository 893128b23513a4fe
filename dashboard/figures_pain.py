"""The Pain page's chart, pain over training load, and its words (pure functions on the
report's ``daily`` frame)."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from dashboard.a11y.charts import ChartText, day_text, number_text, span_text
from dashboard.a11y.palette import BLUE, SKY, VERMILLION
from dashboard.a11y.tables import Table
from dashboard.figures import empty_figure
from ingest import scalars

NO_RATINGS = "No pain ratings yet: add one above"
#: The pain axis of every chart: the whole 0-10 scale with whole-number ticks (a little headroom
#: so a 10 is drawn whole).
PAIN_AXIS = {"title_text": "pain (0-10)", "range": [0, 10.4], "tickmode": "array",
             "tickvals": list(range(0, 11, 2)), "showgrid": False}


def shown_days(daily: pl.DataFrame, days_shown: int = 365) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The days drawn (from two weeks before the first rating shown) and the rated days among
    them: the last ``days_shown`` days with ratings."""
    rated = daily.filter(pl.col("pain").is_not_null())
    if rated.is_empty():
        return rated, rated
    first, last = scalars.day(rated["date"].min()), scalars.day(rated["date"].max())
    start = max(first, last - dt.timedelta(days=days_shown))
    days = daily.filter(pl.col("date") >= start - dt.timedelta(days=14))
    return days, rated.filter(pl.col("date") >= start)


def pain_load_figure(daily: pl.DataFrame, days_shown: int = 365) -> go.Figure:
    """Daily training load (stacked areas: running, cross-training dotted) with the pain rating
    on a second axis, over the last ``days_shown`` days with ratings (zoom out with the
    toolbar)."""
    days, rated = shown_days(daily, days_shown)
    if rated.is_empty():
        return empty_figure(NO_RATINGS)
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    for column, name, color, pattern in (("running_load", "running load", BLUE, ""),
                                         ("cross_load", "cross-training load", SKY, ".")):
        figure.add_trace(go.Scatter(x=days["date"], y=days[column], name=name, mode="lines",
                                    stackgroup="load", fillpattern={"shape": pattern},
                                    line={"width": 0.5, "color": color, "shape": "hv"}),
                         secondary_y=False)
    figure.add_trace(go.Scatter(x=rated["date"], y=rated["pain"], name="pain", mode="lines+markers",
                                line={"color": VERMILLION, "width": 2},
                                marker={"symbol": "square"}), secondary_y=True)
    figure.update_layout(height=360, margin={"l": 60, "r": 60, "t": 10, "b": 40},
                         legend={"orientation": "h", "y": 1.1}, hovermode="x unified")
    figure.update_yaxes(title_text="load (HRSS points)", secondary_y=False)
    figure.update_yaxes(**PAIN_AXIS, secondary_y=True)
    return figure


def pain_load_text(daily: pl.DataFrame, days_shown: int = 365) -> ChartText:
    """The words of :func:`pain_load_figure`: the ratings' range, the latest and the highest,
    the load of the rated days; the table lists every rated day with its loads."""
    days, rated = shown_days(daily, days_shown)
    if rated.is_empty():
        return ChartText("Chart of pain over training load: no ratings yet", NO_RATINGS)
    first, last = scalars.day(rated["date"].min()), scalars.day(rated["date"].max())
    latest = rated.row(-1, named=True)
    top = rated.sort("pain", "date", descending=True).row(0, named=True)
    load = rated.select(pl.col("running_load").fill_null(0).sum(),
                        pl.col("cross_load").fill_null(0).sum()).row(0)
    total = load[0] + load[1]
    share = f", {100 * load[0] / total:.0f} % of it running" if total else ""
    summary = (f"Pain on {rated.height} rated days from {span_text(first, last)}: "
               f"{scalars.number(rated['pain'].min()):g} to "
               f"{scalars.number(rated['pain'].max()):g} out of 10; the latest "
               f"{latest['pain']:g} on {day_text(latest['date'])}, the highest "
               f"{top['pain']:g} on {day_text(top['date'])}. Training load on those days "
               f"{total:.0f} HRSS points{share}.")
    table = Table("Pain and training load on each rated day",
                  ("date", "pain (0-10)", "running load", "cross-training load"),
                  [(str(row["date"]), f"{row['pain']:g}", number_text(row["running_load"]),
                    number_text(row["cross_load"]))
                   for row in rated.sort("date", descending=True).iter_rows(named=True)])
    name = (f"Chart of daily training load (running and cross-training areas) with your pain "
            f"rating (line), {span_text(scalars.day(days['date'].min()), last)}")
    return ChartText(name, summary, table)
