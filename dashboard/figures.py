"""Pure figure builders for one activity: samples frame in, plotly figure out."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from dashboard.units import METRIC, Units

#: Most points drawn per line; longer recordings are thinned evenly (keeps pages fast).
MAX_POINTS = 2000
ON_FOOT = frozenset({"running", "walking", "hiking"})
#: Shading of the warm-up and cool-down.
SHADE = "#d0d7de"


def empty_figure(message: str) -> go.Figure:
    """A blank figure that says why it is blank."""
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper",
                          yref="paper", font={"size": 15})
    figure.update_layout(xaxis={"visible": False}, yaxis={"visible": False}, height=260,
                         margin={"l": 20, "r": 20, "t": 20, "b": 20})
    return figure


def thin(samples: pl.DataFrame, limit: int = MAX_POINTS) -> pl.DataFrame:
    """Every n-th row so that at most ``limit`` rows remain (first and spacing kept)."""
    step = max(1, math.ceil(samples.height / limit))
    return samples.gather_every(step)


def track_figure(samples: pl.DataFrame) -> go.Figure:
    """The route as a plain lat/lon line (no map tiles: nothing is fetched from the internet)."""
    points = thin(samples.drop_nulls(["lat_deg", "lon_deg"]))
    if points.is_empty():
        return empty_figure("No GPS track in this activity")
    mean_lat = float(points["lat_deg"].mean())
    figure = go.Figure(go.Scatter(x=points["lon_deg"], y=points["lat_deg"], mode="lines",
                                    line={"width": 3, "color": "#1f6feb"}, name="track",
                                    hovertemplate="%{y:.5f}, %{x:.5f}<extra></extra>"))
    figure.add_trace(go.Scatter(x=points["lon_deg"][:1], y=points["lat_deg"][:1], mode="markers",
                                marker={"size": 10, "color": "#2da44e"}, name="start"))
    figure.update_layout(
        height=380, margin={"l": 50, "r": 10, "t": 10, "b": 40}, showlegend=False,
        xaxis={"title": "longitude (deg)"},
        yaxis={"title": "latitude (deg)", "scaleanchor": "x",
               "scaleratio": 1 / max(math.cos(math.radians(mean_lat)), 0.05)},
    )
    return figure


def activity_series_figure(samples: pl.DataFrame, sport: str, units: Units = METRIC,
                           warmup_s: float | None = None, cooldown_s: float | None = None
                           ) -> go.Figure:
    """Pace (or speed), heart rate, cadence, breathing rate and elevation against elapsed
    minutes; the warm-up and cool-down (seconds from the start / before the end) shaded."""
    data = thin(samples)
    if data.is_empty():
        return empty_figure("This activity has no recorded samples (summary only)")
    minutes = data["elapsed_s"] / 60.0
    on_foot = sport in ON_FOOT
    speed = data["speed_m_s"]
    panels = [
        (f"pace ({units.pace})", units.pace_minutes(speed)) if on_foot
        else (f"speed ({units.speed})", speed * 3600.0 / units.metres),
        ("heart rate (bpm)", data["heart_rate_bpm"]),
        ("cadence (spm)", data["cadence_spm"]) if on_foot
        else ("cadence (rpm)", data["cadence_rpm"]),
        ("breathing (/min)", data["respiration_brpm"] if "respiration_brpm" in data.columns
         else pl.Series([None] * data.height, dtype=pl.Float64)),
        (f"elevation ({units.height})", data["altitude_m"] / units.height_metres),
    ]
    panels = [(title, values) for title, values in panels if values.null_count() < len(values)]
    if not panels:
        return empty_figure("No pace, heart rate, cadence or elevation in this activity")
    figure = make_subplots(rows=len(panels), cols=1, shared_xaxes=True, vertical_spacing=0.04)
    for row, (title, values) in enumerate(panels, start=1):
        figure.add_trace(go.Scatter(x=minutes, y=values, mode="lines", name=title,
                                      line={"width": 1.5}), row=row, col=1)
        figure.update_yaxes(title_text=title, row=row, col=1,
                            autorange="reversed" if title.startswith("pace") else True)
    end = float(minutes.max() or 0.0)
    for label, start, stop in (("warm-up", 0.0, (warmup_s or 0.0) / 60.0),
                               ("cool-down", end - (cooldown_s or 0.0) / 60.0, end)):
        if stop > start:
            figure.add_vrect(x0=start, x1=stop, row="all", col=1, fillcolor=SHADE,
                             opacity=0.35, line_width=0, layer="below")
            figure.add_annotation(x=(start + stop) / 2, y=1.0, xref="x", yref="paper",
                                  text=label, showarrow=False, yanchor="bottom",
                                  font={"size": 11, "color": "#57606a"})
    figure.update_xaxes(title_text="elapsed time (min)", row=len(panels), col=1)
    figure.update_layout(height=170 * len(panels) + 60, showlegend=False,
                         margin={"l": 70, "r": 10, "t": 24, "b": 40})
    return figure
