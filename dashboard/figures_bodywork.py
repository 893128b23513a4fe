"""The "Body work" chart: sessions per week by category over the weekly pain line (pure)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from dashboard.a11y.charts import ChartText, day_text, days_span_text, number_text
from dashboard.a11y.palette import BLUE, GREEN, ORANGE
from dashboard.a11y.tables import Table
from dashboard.figures import empty_figure
from dashboard.figures_load import FLAG, WEEK_MS
from dashboard.figures_pain import PAIN_AXIS
from ingest.bodywork import CATEGORIES

#: Colour and hatching of each kind of session (told apart without colour too).
COLOURS = {"core": BLUE, "mobility": GREEN, "strength": ORANGE}
PATTERNS = {"core": "", "mobility": "/", "strength": "x"}
EMPTY = "No body work yet: log a session above"


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
        return empty_figure(EMPTY)
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    bar = {"x": weeks["week_start"], "xperiod": WEEK_MS, "xperiodalignment": "middle"}
    for category in CATEGORIES:
        figure.add_trace(go.Bar(
            **bar, y=weeks[f"bodywork_{category}_sessions"], name=category,
            marker_color=COLOURS[category], marker_pattern_shape=PATTERNS[category],
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
    figure.update_yaxes(**PAIN_AXIS, secondary_y=True)
    return figure


def bodywork_text(weeks: pl.DataFrame) -> ChartText:
    """Words of :func:`bodywork_figure`: sessions in the weeks shown by kind, weeks without
    any, the latest week, and the weekly pain beside them."""
    if weeks.is_empty() or not weeks["bodywork_sessions"].sum():
        return ChartText("Chart of body work per week: none yet", EMPTY)
    kinds = ", ".join(f"{weeks[f'bodywork_{c}_sessions'].sum()} {c}" for c in CATEGORIES)
    without = weeks.filter(pl.col("bodywork_sessions") == 0).height
    last = weeks.row(-1, named=True)
    summary = (f"{weeks['bodywork_sessions'].sum()} sessions in {weeks.height} weeks ({kinds}); "
               f"{without} weeks without any; {last['bodywork_sessions']} in the week of "
               f"{day_text(last['week_start'])}"
               + ("" if last["pain_mean"] is None
                  else f", when your pain averaged {last['pain_mean']:.1f}/10") + ".")
    rows = [(row["week"], *(str(row[f"bodywork_{c}_sessions"]) for c in CATEGORIES),
             number_text(row["bodywork_minutes"]), number_text(row["pain_mean"], 1),
             number_text(row["pain_max"]))
            for row in weeks.iter_rows(named=True)][::-1]
    table = Table("Body work and pain per week", (
        "week", *(f"{c} sessions" for c in CATEGORIES), "minutes", "pain mean", "pain max"),
        rows)
    name = (f"Stacked bar chart of body-work sessions per week by kind, with your weekly mean "
            f"pain (line), {weeks.height} weeks from "
            f"{days_span_text(weeks['week_start'])}")
    return ChartText(name, summary, table)
