"""The "Body work" chart: sessions per week by category over the weekly pain line (pure)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from dashboard.figures import empty_figure
from dashboard.figures_load import FLAG, WEEK_MS
from ingest.bodywork import CATEGORIES

COLOURS = {"core": "#1f6feb", "mobility": "#2da44e", "strength": "#bf8700"}


def bodywork_figure(weeks: pl.DataFrame) -> go.Figure:
    """Body-work sessions per ISO week, stacked by category (core, mobility, strength), with
    the week's mean pain (0-10) as a line on a second axis.

    Parameters
    ----------
    weeks
        :meth:`analytics.report.Report.weekly` rows: ``week``, ``week_start``,
        ``bodywork_<category>_sessions``, ``bodywork_<category>_minutes``, ``pain_mean``,
        ``pain_max``.
    """
    if weeks.is_empty() or not weeks["bodywork_sessions"].sum():
        return empty_figure("No body work yet: log a session above")
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    bar = {"x": weeks["week_start"], "xperiod": WEEK_MS, "xperiodalignment": "middle"}
    for category in CATEGORIES:
        figure.add_trace(go.Bar(
            **bar, y=weeks[f"bodywork_{category}_sessions"], name=category,
            marker_color=COLOURS[category],
            customdata=list(zip(weeks["week"], weeks[f"bodywork_{category}_minutes"],
                                strict=True)),
            hovertemplate=f"%{{customdata[0]}}<br>{category}: %{{y}} sessions, "
                          "%{customdata[1]:.0f} min<extra></extra>"), secondary_y=False)
    rated = weeks.filter(pl.col("pain_mean").is_not_null())
    figure.add_trace(go.Scatter(
        x=rated["week_start"], y=rated["pain_mean"], name="pain (weekly mean)",
        mode="lines+markers", line={"color": FLAG, "width": 2}, xperiod=WEEK_MS,
        xperiodalignment="middle", customdata=rated["pain_max"],
        hovertemplate="pain mean %{y:.1f}, max %{customdata}<extra></extra>"),
        secondary_y=True)
    figure.update_layout(barmode="stack", height=360, hovermode="x unified",
                         margin={"l": 60, "r": 60, "t": 10, "b": 40},
                         legend={"orientation": "h", "y": -0.15, "yanchor": "top"})
    figure.update_yaxes(title_text="sessions per week", rangemode="tozero", secondary_y=False)
    figure.update_yaxes(title_text="pain (0-10)", range=[0, 10.5], secondary_y=True)
    return figure
