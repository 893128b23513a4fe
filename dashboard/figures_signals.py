"""Pure figure builders of the run-quality signals on the Form page: breathing and running
dynamics per run at matched speed, and the weekly share of runs with a warm-up / cool-down."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from dashboard.figures import empty_figure
from dashboard.units import METRIC, Units

LINE = "#1f6feb"
WARMUP, COOLDOWN = "#1a7f37", "#8250df"


def signal_trend_figure(trends: list[tuple[str, float | None, pl.DataFrame]],
                        units: Units = METRIC, empty: str = "Not recorded by your devices"
                        ) -> go.Figure:
    """One panel per signal: each run's median at the reference speed, over time.

    Parameters
    ----------
    trends
        (title with unit, reference band [m/s], frame of ``local_date`` and ``value``) per
        signal (:func:`analytics.run_signals.matched_speed_trend`); signals without points
        are left out.
    """
    shown = [(title, band, frame) for title, band, frame in trends if frame.height]
    if not shown:
        return empty_figure(empty)
    figure = make_subplots(rows=len(shown), cols=1, shared_xaxes=True, vertical_spacing=0.08,
                           subplot_titles=[
                               f"{title} at {units.pace_text(band)} {units.pace}"
                               if band else title for title, band, _ in shown])
    for row, (title, _, frame) in enumerate(shown, start=1):
        figure.add_trace(go.Scatter(x=frame["local_date"], y=frame["value"],
                                    mode="lines+markers", name=title,
                                    line={"color": LINE, "width": 1.5}, marker={"size": 6},
                                    hovertemplate="%{x|%d %b %Y}: %{y:.1f}<extra></extra>"),
                         row=row, col=1)
    figure.update_annotations(font={"size": 12})
    figure.update_layout(height=190 * len(shown) + 50, showlegend=False,
                         margin={"l": 50, "r": 10, "t": 30, "b": 30})
    return figure


def warmup_share_figure(weekly: pl.DataFrame) -> go.Figure:
    """Share of the week's classified runs with a warm-up and with a cool-down [%]."""
    weeks = weekly.filter(pl.col("runs_classified") > 0)
    if weeks.is_empty():
        return empty_figure("No run could be judged for a warm-up yet")
    figure = go.Figure([
        go.Bar(x=weeks["week_start"], y=weeks["warmup_share_pct"], name="with a warm-up",
               marker_color=WARMUP,
               hovertemplate="week of %{x|%d %b}: %{y:.0f} %<extra>warm-up</extra>"),
        go.Bar(x=weeks["week_start"], y=weeks["cooldown_share_pct"], name="with a cool-down",
               marker_color=COOLDOWN,
               hovertemplate="week of %{x|%d %b}: %{y:.0f} %<extra>cool-down</extra>"),
    ])
    figure.update_layout(barmode="group", height=300, yaxis={"title": "% of runs",
                                                             "range": [0, 100]},
                         legend={"orientation": "h", "y": 1.15},
                         margin={"l": 50, "r": 10, "t": 30, "b": 30})
    return figure
