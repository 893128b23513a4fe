"""Pure figure builder of the Factors page: the yes/no factors' effects with their intervals."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import polars as pl

from dashboard.figures import empty_figure

RELATED = "#cf222e"
OTHER = "#57606a"
#: Axis labels wrap at this many characters (the chart stays readable at 390 px).
LABEL_WIDTH = 22


def factor_effects_figure(ranked: pl.DataFrame) -> go.Figure:
    """Pain with minus without each yes/no factor (points, 95 % CI), one row per factor and
    lag with enough data; related ones in red. Numbers never appear for factors without
    enough data (they are left out)."""
    rows = ranked.filter(pl.col("enough_data") & (pl.col("kind") == "binary")).sort("rank",
                                                                                     descending=True)
    if rows.is_empty():
        return empty_figure("No yes/no factor has enough data yet")
    labels = ["<br>".join(textwrap.wrap(f"{label} (+{lag} d)", LABEL_WIDTH))
              for label, lag in zip(rows["label"], rows["lag_days"], strict=True)]
    colours = [RELATED if related else OTHER for related in rows["related"]]
    figure = go.Figure(go.Scatter(
        x=rows["effect"], y=labels, mode="markers",
        marker={"size": 10, "color": colours},
        error_x={"type": "data", "symmetric": False,
                 "array": (rows["ci_high"] - rows["effect"]).to_list(),
                 "arrayminus": (rows["effect"] - rows["ci_low"]).to_list(), "color": OTHER},
        hovertemplate="%{y}: %{x:+.2f} points<extra></extra>", name="with - without"))
    figure.add_vline(x=0, line={"color": "#8c959f", "dash": "dot"})
    figure.update_layout(
        height=max(220, 44 * rows.height + 90), margin={"l": 10, "r": 10, "t": 10, "b": 50},
        xaxis={"title": "pain with minus without (points, 95 % CI)", "zeroline": False},
        yaxis={"automargin": True}, showlegend=False)
    return figure
