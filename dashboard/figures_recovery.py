"""The Recovery page's chart: HRV with its normal band, resting HR, sleep and pain by day.

A pure builder: rows of :func:`dashboard.service.recovery` (cut to the days shown) in, one plotly
figure out, four panels on one shared date axis (layout helpers of
:mod:`dashboard.figures_load`).
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from analytics.settings import Settings
from dashboard.figures import empty_figure
from dashboard.figures_load import DAY_FORMAT, MUTED, base_layout, hline, panels

HRV = "#1f6feb"
BAND = "rgba(31, 111, 235, 0.15)"
HEART = "#bf3989"
SLEEP = "#6e40c9"
SHORT = "#bf8700"
PAIN = "#cf222e"
PANELS = ("HRV (ms)", "resting HR (bpm)", "sleep (h)", "pain (0-10)")


def recovery_figure(daily: pl.DataFrame, settings: Settings) -> go.Figure:
    """HRV (nightly RMSSD, 7-day mean, own normal band; Apple Health's SDNN as open diamonds,
    a different measure, without a band), resting HR with its 30-day median, sleep bars (short
    nights in amber, the 7 h adults need as a line) and the pain rating.

    Parameters
    ----------
    daily
        Rows of :func:`dashboard.service.recovery`: ``date``, ``hrv_rmssd_ms``,
        ``hrv_sdnn_ms``, ``hrv_7d_ms``,
        ``hrv_normal_low_ms``, ``hrv_normal_high_ms``, ``resting_hr_bpm``,
        ``rhr_median_bpm``, ``sleep_s``, ``short_sleep``, ``pain``.
    """
    signals = ("hrv_rmssd_ms", "hrv_sdnn_ms", "resting_hr_bpm", "sleep_s", "pain")
    if daily.is_empty() or all(daily[c].null_count() == daily.height for c in signals):
        return empty_figure("No recovery data in these days")
    x = daily["date"]
    hours = daily["sleep_s"] / 3600
    short_h = settings.number("short_sleep_h")
    need_h = settings.number("sleep_need_h")
    bar_colours = [SHORT if flag else SLEEP for flag in daily["short_sleep"].fill_null(False)]
    hover = DAY_FORMAT + ": %{y:.0f} "
    data = [
        go.Scatter(x=x, y=daily["hrv_normal_low_ms"], mode="lines", line={"width": 0},
                   hoverinfo="skip", showlegend=False, xaxis="x", yaxis="y", connectgaps=False),
        go.Scatter(x=x, y=daily["hrv_normal_high_ms"], mode="lines", line={"width": 0},
                   fill="tonexty", fillcolor=BAND, name="your HRV normal", hoverinfo="skip",
                   xaxis="x", yaxis="y"),
        go.Scatter(x=x, y=daily["hrv_rmssd_ms"], mode="markers", name="HRV (night)",
                   marker={"color": HRV, "size": 5, "opacity": 0.6},
                   hovertemplate=hover + "ms<extra>HRV</extra>", xaxis="x", yaxis="y"),
        go.Scatter(x=x, y=daily["hrv_7d_ms"], mode="lines", name="HRV 7-day mean",
                   line={"color": HRV, "width": 2},
                   hovertemplate=hover + "ms<extra>7-day mean</extra>", xaxis="x", yaxis="y"),
        go.Scatter(x=x, y=daily["resting_hr_bpm"], mode="lines+markers", name="resting HR",
                   line={"color": HEART, "width": 1.5}, marker={"size": 4},
                   hovertemplate=hover + "bpm<extra>resting HR</extra>", xaxis="x2",
                   yaxis="y2"),
        go.Scatter(x=x, y=daily["rhr_median_bpm"], mode="lines", name="30-day median",
                   line={"color": MUTED, "width": 1.5, "dash": "dot"},
                   hovertemplate=hover + "bpm<extra>median</extra>", xaxis="x2", yaxis="y2"),
        go.Bar(x=x, y=hours, name="sleep", marker={"color": bar_colours},
               hovertemplate=DAY_FORMAT + ": %{y:.1f} h<extra>sleep</extra>", xaxis="x3",
               yaxis="y3"),
        go.Scatter(x=x, y=daily["pain"], mode="lines+markers", name="pain", connectgaps=True,
                   line={"color": PAIN, "width": 2},
                   hovertemplate=hover + "/10<extra>pain</extra>", xaxis="x4", yaxis="y4"),
    ]
    if daily["hrv_sdnn_ms"].is_not_null().any():
        data.insert(4, go.Scatter(
            x=x, y=daily["hrv_sdnn_ms"], mode="markers", name="HRV SDNN (Apple)",
            marker={"color": HRV, "size": 6, "symbol": "diamond-open"},
            hovertemplate=hover + "ms<extra>HRV SDNN</extra>", xaxis="x", yaxis="y"))
    need, need_label = hline(need_h, f"{need_h:g} h", MUTED, panel=3)
    short, short_label = hline(short_h, f"short < {short_h:g} h", SHORT, panel=3, below=True)
    layout = base_layout(
        620, **panels(PANELS, heights=[0.3, 0.22, 0.26, 0.22], gap=0.06),
        shapes=[need, short], annotations=need_label + short_label, bargap=0.15,
    )
    layout["yaxis4"]["range"] = [0, 10.5]
    layout["yaxis3"]["rangemode"] = "tozero"
    return go.Figure(data, layout)
