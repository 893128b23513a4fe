"""Pure figure builders for one activity: samples frame in, plotly figure out."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from dashboard.a11y.charts import ChartText, number_text
from dashboard.a11y.palette import BLUE, GREEN, INK
from dashboard.a11y.tables import Table
from dashboard.units import METRIC, Units
from ingest import scalars

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
    mean_lat = scalars.number(points["lat_deg"].mean())
    figure = go.Figure(go.Scatter(x=points["lon_deg"], y=points["lat_deg"], mode="lines",
                                    line={"width": 3, "color": BLUE}, name="track",
                                    hovertemplate="%{y:.5f}, %{x:.5f}<extra></extra>"))
    ends = points.gather([0, points.height - 1])
    figure.add_trace(go.Scatter(
        x=ends["lon_deg"], y=ends["lat_deg"], mode="markers+text", name="start and finish",
        text=["start", "finish"], textposition="top center", textfont={"color": INK},
        marker={"size": 12, "color": [GREEN, INK], "symbol": ["circle", "square"]}))
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
    end = scalars.number_or_none(minutes.max()) or 0.0
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


#: Most rows of a chart's "show as table" view of one activity.
TABLE_ROWS = 40


def track_text(samples: pl.DataFrame, units: Units = METRIC) -> ChartText:
    """Words of :func:`track_figure`: where the route starts, how far it reaches north-south
    and east-west, and how far from the start it ends; the table lists points along it."""
    points = samples.drop_nulls(["lat_deg", "lon_deg"])
    if points.is_empty():
        return ChartText("Route chart: no GPS track", "No GPS track in this activity.")
    lat, lon = points["lat_deg"], points["lon_deg"]
    metres_per_deg = 111_195.0  # on a sphere of the mean Earth radius
    across = math.cos(math.radians(scalars.number(lat.mean())))
    north_south = (scalars.number(lat.max()) - scalars.number(lat.min())) * metres_per_deg
    east_west = (scalars.number(lon.max()) - scalars.number(lon.min())) * metres_per_deg * across
    gap = math.hypot((lat[-1] - lat[0]) * metres_per_deg, (lon[-1] - lon[0]) * metres_per_deg
                     * across)
    summary = (f"The route starts at {lat[0]:.4f}, {lon[0]:.4f} and spans "
               f"{units.dist(north_south):.1f} {units.distance} north to south and "
               f"{units.dist(east_west):.1f} {units.distance} east to west; it ends "
               f"{units.dist(gap):.2f} {units.distance} from the start.")
    rows = [(f"{p['elapsed_s'] / 60:.0f}", number_text(units.dist(p["distance_m"]), 2),
             f"{p['lat_deg']:.5f}", f"{p['lon_deg']:.5f}")
            for p in thin(points, TABLE_ROWS).iter_rows(named=True)]
    table = Table("Points along the route", (
        "minute", f"distance ({units.distance})", "latitude", "longitude"), rows)
    return ChartText("Route of the activity drawn by latitude and longitude, start and finish "
                     "marked", summary, table)


def _mean(values: pl.Series) -> float | None:
    known = values.drop_nulls().drop_nans() if values.dtype.is_float() else values.drop_nulls()
    return None if known.is_empty() else scalars.number(known.mean())


def series_text(samples: pl.DataFrame, sport: str, units: Units = METRIC) -> ChartText:
    """Words of :func:`activity_series_figure`: the time covered, average and top pace (or
    speed), heart rate, cadence and the elevation range; the table has a row every few
    minutes (means of the samples up to it)."""
    if samples.is_empty():
        return ChartText("Charts over time: no samples",
                         "This activity has no recorded samples (summary only).")
    on_foot = sport in ON_FOOT
    speed = _mean(samples["speed_m_s"])
    heart = samples["heart_rate_bpm"].drop_nulls()
    cadence = _mean(samples["cadence_spm" if on_foot else "cadence_rpm"])
    height = samples["altitude_m"].drop_nulls()
    parts = []
    if speed:
        parts.append(f"average pace {units.pace_text(speed)} {units.pace}" if on_foot
                     else f"average speed {speed * 3600 / units.metres:.1f} {units.speed}")
    if heart.len():
        parts.append(f"heart rate {scalars.number(heart.mean()):.0f} bpm on average, "
                     f"{scalars.number(heart.max()):.0f} at most")
    if cadence:
        parts.append(f"cadence {cadence:.0f} {'spm' if on_foot else 'rpm'} on average")
    if height.len():
        parts.append(f"elevation from {scalars.number(height.min()) / units.height_metres:.0f} "
                     f"to {scalars.number(height.max()) / units.height_metres:.0f} {units.height}")
    summary = (f"Over {scalars.number(samples['elapsed_s'].max()) / 60:.0f} minutes: "
               + ("; ".join(parts) or "no pace, heart rate, cadence or elevation") + ".")
    step = max(60, 60 * math.ceil(scalars.number(samples["elapsed_s"].max()) / 60 / TABLE_ROWS))
    blocks = (samples.with_columns((pl.col("elapsed_s") // step * step).alias("block"))
              .group_by("block", maintain_order=True)
              .agg(pl.col("speed_m_s", "heart_rate_bpm", "altitude_m").mean(),
                   pl.col("cadence_spm" if on_foot else "cadence_rpm").mean().alias("cadence"))
              .sort("block"))
    rows = [(f"{b['block'] / 60:.0f}",
             (units.pace_text(b["speed_m_s"]) if on_foot
              else number_text(None if b["speed_m_s"] is None
                               else b["speed_m_s"] * 3600 / units.metres, 1)),
             number_text(b["heart_rate_bpm"]), number_text(b["cadence"]),
             number_text(None if b["altitude_m"] is None
                         else b["altitude_m"] / units.height_metres))
            for b in blocks.iter_rows(named=True)]
    table = Table(f"Means every {step // 60:.0f} min", (
        "from minute", f"pace ({units.pace})" if on_foot else f"speed ({units.speed})",
        "heart rate (bpm)", "cadence (spm)" if on_foot else "cadence (rpm)",
        f"elevation ({units.height})"), rows)
    name = ("Line charts against elapsed minutes: " + ("pace" if on_foot else "speed")
            + ", heart rate, cadence and elevation")
    return ChartText(name, summary, table)
