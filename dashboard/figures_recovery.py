"""The Recovery page's chart: HRV with its normal band, resting HR, sleep and pain by day.

A pure builder: rows of :func:`dashboard.service.recovery` (cut to the days shown) in, one plotly
figure out, four panels on one shared date axis (layout helpers of
:mod:`dashboard.figures_load`).
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from analytics.settings import Settings
from dashboard.a11y.charts import ChartText, day_text, days_span_text, number_text
from dashboard.a11y.palette import BLUE, ORANGE, PURPLE, SKY, VERMILLION, rgba
from dashboard.a11y.tables import Table
from dashboard.figures import empty_figure
from dashboard.figures_load import DAY_FORMAT, MUTED, PARTIAL, base_layout, hline, panels

HRV = BLUE
BAND = rgba(BLUE, 0.15)
HEART = PURPLE
SLEEP = SKY
SHORT = ORANGE
PAIN = VERMILLION
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
    short_nights = daily["short_sleep"].fill_null(False).to_list()
    bar_colours = [SHORT if flag else SLEEP for flag in short_nights]
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
        go.Bar(x=x, y=hours, name="sleep (hatched: short night)",
               marker={"color": bar_colours,
                       "pattern": {"shape": [PARTIAL if f else "" for f in short_nights]}},
               hovertemplate=DAY_FORMAT + ": %{y:.1f} h<extra>sleep</extra>", xaxis="x3",
               yaxis="y3"),
        go.Scatter(x=x, y=daily["pain"], mode="lines+markers", name="pain", connectgaps=True,
                   line={"color": PAIN, "width": 2}, marker={"symbol": "square"},
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


def recovery_text(daily: pl.DataFrame, settings: Settings) -> ChartText:
    """Words of :func:`recovery_figure`: the latest HRV against its normal band, resting HR
    against its median, the short nights and the latest pain, and every day's numbers."""
    signals = ("hrv_rmssd_ms", "resting_hr_bpm", "sleep_s", "pain")
    if daily.is_empty() or all(daily[c].null_count() == daily.height for c in signals):
        return ChartText("Chart of recovery: no data in these days",
                         "No recovery data in these days.")
    short_h = settings.number("short_sleep_h")

    def latest(column: str) -> dict | None:
        known = daily.filter(pl.col(column).is_not_null())
        return known.row(-1, named=True) if known.height else None

    parts = []
    if (hrv := latest("hrv_7d_ms")) is not None:
        band = ("" if hrv["hrv_normal_low_ms"] is None else
                f" (your normal {hrv['hrv_normal_low_ms']:.0f}-{hrv['hrv_normal_high_ms']:.0f} ms)")
        parts.append(f"HRV 7-day mean {hrv['hrv_7d_ms']:.0f} ms on {day_text(hrv['date'])}{band}.")
    if (rhr := latest("resting_hr_bpm")) is not None:
        median = ("" if rhr["rhr_median_bpm"] is None
                  else f" (30-day median {rhr['rhr_median_bpm']:.0f} bpm)")
        parts.append(f"Resting HR {rhr['resting_hr_bpm']:.0f} bpm on "
                     f"{day_text(rhr['date'])}{median}.")
    slept = daily.filter(pl.col("sleep_s").is_not_null())
    if slept.height:
        short = slept.filter(pl.col("short_sleep").fill_null(False)).height
        parts.append(f"{short} of {slept.height} nights shorter than {short_h:g} h.")
    if (pain := latest("pain")) is not None:
        parts.append(f"Pain {pain['pain']:g}/10 on {day_text(pain['date'])}.")
    rows = [(str(d["date"]), number_text(d["hrv_rmssd_ms"]), number_text(d["hrv_7d_ms"]),
             "" if d["hrv_normal_low_ms"] is None
             else f"{d['hrv_normal_low_ms']:.0f}-{d['hrv_normal_high_ms']:.0f}",
             number_text(d["resting_hr_bpm"]), number_text(d["rhr_median_bpm"]),
             number_text(None if d["sleep_s"] is None else d["sleep_s"] / 3600, 1),
             "yes" if d["short_sleep"] else "", number_text(d["pain"]))
            for d in daily.iter_rows(named=True)][::-1]
    table = Table("Recovery by day", (
        "date", "HRV (ms)", "HRV 7-day (ms)", "HRV normal (ms)", "resting HR (bpm)",
        "30-day median (bpm)", "sleep (h)", "short night", "pain (0-10)"), rows)
    name = ("Four charts by day, " + days_span_text(daily["date"])
            + ": HRV with your normal band, resting heart rate with its 30-day median, hours "
            "asleep, and your pain")
    return ChartText(name, " ".join(parts), table)
