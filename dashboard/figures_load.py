"""Pure figure builders of the Load page: report frames in, plotly figures out.

Inputs are rows of :class:`analytics.report.Report` (``daily``, ``runs``, ``weekly()``) already
cut to the date range shown; band edges come from the report's settings, and every threshold
line is the comparison of its advice rule (:mod:`analytics.rules`).
Dates on every axis are the runner's local calendar days.

Each figure is built in one ``go.Figure(data, layout)`` call with its panels, lines and bands
given as layout dicts (:func:`panels`, :func:`hline`, :func:`hband`, :func:`vband`): plotly's
``make_subplots`` and ``add_hline`` validate the whole layout on every call and cost about
ten times as much, which matters for the first render of a page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
import polars as pl

from analytics.rules import LONG_RUN, RULES, WEEKLY_EARLY, WEEKLY_HIGH
from analytics.settings import SETTINGS, Settings
from dashboard.a11y.palette import BLUE, GREEN, GREY, INK, ORANGE, PURPLE, SKY, VERMILLION
from dashboard.figures import empty_figure
from dashboard.units import METRIC, Units
from ingest import scalars

RUNNING = BLUE
CROSS = SKY
DISTANCE = INK
FLAG = VERMILLION
SPIKE = ORANGE
MUTED = GREY
TEXT = INK
#: Hatching of a bar that is not complete (a week in progress, a short night).
PARTIAL = "/"
WEEK_MS = 7 * 24 * 3600 * 1000
#: Most week labels under the weekly bars (each labels the Monday of its week).
MAX_WEEK_LABELS = 16
LOAD_UNIT = "HRSS points"
#: The ACWR methods in words (``{acute}``/``{chronic}`` = the window settings in days).
ACWR_METHODS = {
    "rolling_coupled": "rolling coupled: mean load of the last {acute} days / of the last "
                       "{chronic} days",
    "rolling_uncoupled": "rolling uncoupled: mean load of the last {acute} days / of days "
                         "{acute_next}-{chronic} before (Windt & Gabbett 2019)",
    "ewma": "EWMA: exponentially weighted {acute}-day / {chronic}-day load (Williams 2017)",
}
MARGIN = {"l": 70, "r": 20, "t": 30, "b": 40}
DAY_FORMAT = "%{x|%a %d %b %Y}"


def source(name: str) -> str:
    """Source and evidence grade of a setting, e.g. 'Frandsen 2025 BJSM 59:1203 [V]'."""
    return f"{SETTINGS[name].source} [{SETTINGS[name].grade}]"


def panels(titles: Sequence[str], heights: Sequence[float] | None = None,
           gap: float = 0.08) -> dict[str, Any]:
    """Layout axes of panels stacked top to bottom on one shared x axis.

    Panel i (from 1) plots on ``xaxis{i}``/``yaxis{i}`` (``""`` for 1); ``titles`` are the y
    axis titles, ``heights`` the panels' shares of the plot height (default equal).
    """
    shares = heights or [1.0 / len(titles)] * len(titles)
    usable = 1.0 - gap * (len(titles) - 1)
    axes: dict[str, dict] = {}
    top = 1.0
    for i, (title, share) in enumerate(zip(titles, shares, strict=True), start=1):
        n = "" if i == 1 else str(i)
        bottom = max(top - share * usable, 0.0)
        axes[f"yaxis{n}"] = {"domain": [bottom, top], "anchor": f"x{n}",
                             "title": {"text": title}}
        axes[f"xaxis{n}"] = {"anchor": f"y{n}", "showticklabels": i == len(titles),
                             **({"matches": "x"} if i > 1 else {})}
        top = bottom - gap
    return axes


def hline(y: float, text: str | None, colour: str, panel: int = 1, dash: str = "dash",
          below: bool = False) -> tuple[dict, list[dict]]:
    """A horizontal line across panel ``panel`` at ``y`` and its label (shape, annotations;
    the label in :data:`TEXT` for contrast)."""
    n = "" if panel == 1 else str(panel)
    shape = {"type": "line", "xref": f"x{n} domain", "x0": 0, "x1": 1, "yref": f"y{n}",
             "y0": y, "y1": y, "line": {"color": colour, "dash": dash, "width": 1.5}}
    label = [] if text is None else [{
        "text": text, "showarrow": False, "xref": f"x{n} domain", "x": 0, "xanchor": "left",
        "yref": f"y{n}", "y": y, "yanchor": "top" if below else "bottom",
        "font": {"size": 11, "color": TEXT},
    }]
    return shape, label


def hband(low: float, high: float, text: str, colour: str, opacity: float
          ) -> tuple[dict, dict]:
    """A shaded band ``low``..``high`` across the first panel, labelled at its top right."""
    shape = {"type": "rect", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": low,
             "y1": high, "fillcolor": colour, "opacity": opacity, "line": {"width": 0},
             "layer": "below"}
    label = {"text": text, "showarrow": False, "xref": "x domain", "x": 1, "xanchor": "right",
             "yref": "y", "y": high, "yanchor": "top", "font": {"size": 11}}
    return shape, label


def vband(first: dt.date, last: dt.date, text: str) -> tuple[dict, dict]:
    """Grey shading over the days ``first``..``last`` (whole days), labelled at its top left."""
    x0 = dt.datetime.combine(first, dt.time()) - dt.timedelta(hours=12)
    x1 = dt.datetime.combine(last, dt.time()) + dt.timedelta(hours=12)
    shape = {"type": "rect", "xref": "x", "x0": x0, "x1": x1, "yref": "y domain", "y0": 0,
             "y1": 1, "fillcolor": MUTED, "opacity": 0.18, "line": {"width": 0},
             "layer": "below"}
    label = {"text": text, "showarrow": False, "xref": "x", "x": x0, "xanchor": "left",
             "yref": "y domain", "y": 1, "yanchor": "top", "font": {"size": 11}}
    return shape, label


def base_layout(height: int, legend: bool = True, **extra: object) -> dict:
    """Height, margins, a horizontal legend above the plot, and ``extra``."""
    return {"height": height, "margin": MARGIN, "showlegend": legend,
            "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0,
                       "traceorder": "normal"},
            "hovermode": "closest", **extra}


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:+.0f} %"


def acwr_method_text(settings: Settings) -> str:
    """The ACWR method in use, in words with its windows [days]."""
    acute, chronic = settings.integer("acwr_acute_days"), settings.integer("acwr_chronic_days")
    return ACWR_METHODS[settings.text("acwr_method")].format(
        acute=acute, acute_next=acute + 1, chronic=chronic)


def weekly_figure(weeks: pl.DataFrame, units: Units = METRIC) -> go.Figure:
    """Weekly running distance [km or mi] with its change vs last week, and weekly load [HRSS
    points] stacked running / cross-training, one bar per ISO week (Monday to Sunday).

    Parameters
    ----------
    weeks
        :meth:`analytics.report.Report.weekly` rows: ``week``, ``week_start``, ``days``,
        ``run_distance_m``, ``running_load``, ``cross_load``, ``run_distance_m_change_pct``,
        ``run_distance_m_change_3wk_pct``, ``load_change_pct``, ``longest_run_m``.
    """
    if weeks.is_empty():
        return empty_figure("No training in this date range")
    labels = [f"{w} ({d} of 7 days)" if d < 7 else w
              for w, d in zip(weeks["week"], weeks["days"], strict=True)]
    change = [_pct(v) for v in weeks["run_distance_m_change_pct"]]
    change_3wk = [_pct(v) for v in weeks["run_distance_m_change_3wk_pct"]]
    longest = [0.0 if v is None else v / units.metres for v in weeks["longest_run_m"]]
    load_change = [_pct(v) for v in weeks["load_change_pct"]]
    bar = {"x": weeks["week_start"], "xperiod": WEEK_MS, "xperiodalignment": "middle"}
    data = [go.Bar(
        **bar, y=weeks["run_distance_m"] / units.metres, name="running distance",
        marker_color=DISTANCE,
        marker_opacity=[0.45 if d < 7 else 1.0 for d in weeks["days"]],
        marker_pattern_shape=[PARTIAL if d < 7 else "" for d in weeks["days"]],
        text=[c if c != "-" else "" for c in change], textposition="outside", cliponaxis=False,
        customdata=list(zip(labels, change, change_3wk, longest, strict=True)),
        hovertemplate=f"%{{customdata[0]}}<br>%{{y:.1f}} {units.distance}<br>%{{customdata[1]}} "
                      "vs last week, %{customdata[2]} vs the 3 weeks before<br>longest run "
                      f"%{{customdata[3]:.1f}} {units.distance}<extra></extra>",
    )]
    for column, name, colour in (("running_load", "running load", RUNNING),
                                 ("cross_load", "cross-training load", CROSS)):
        data.append(go.Bar(
            **bar, y=weeks[column], name=name, marker_color=colour, xaxis="x2", yaxis="y2",
            marker_pattern_shape="." if column == "cross_load" else "",
            customdata=list(zip(labels, load_change, strict=True)),
            hovertemplate=f"%{{customdata[0]}}<br>{name} %{{y:.0f}} {LOAD_UNIT}<br>total load "
                          "%{customdata[1]} vs last week<extra></extra>",
        ))
    axes = panels([f"running distance ({units.distance})", f"load ({LOAD_UNIT})"])
    every = -(-weeks.height // MAX_WEEK_LABELS)  # weeks per label, rounded up
    axes["xaxis2"] |= {"tick0": weeks["week_start"][0], "dtick": every * WEEK_MS,
                       "ticklabelmode": "period", "tickformat": "%-d %b<br>%Y"}
    return go.Figure(data, base_layout(460, barmode="stack", **axes))


def progression_figure(daily: pl.DataFrame, runs: pl.DataFrame, settings: Settings,
                       units: Units = METRIC) -> go.Figure:
    """Distance spikes: the 7-day running distance [km or mi] with markers on days whose change
    vs the 7 days before is beyond the thresholds (``flag_weekly_distance``), and every run
    with single-run spikes (longer than ``long_run_spike_ratio`` x the longest run of the
    previous ``long_run_window_days``) marked.

    Parameters
    ----------
    daily
        ``date``, ``run_distance_7d``, ``run_distance_change_pct``, ``flag_weekly_distance``.
    runs
        ``local_date``, ``distance_m``, ``long_run_ratio``, ``spike``.
    """
    if daily.is_empty():
        return empty_figure("No training in this date range")
    high, early = WEEKLY_HIGH.value(settings), WEEKLY_EARLY.value(settings)
    ratio = LONG_RUN.value(settings)
    window = settings.integer("long_run_window_days")
    flagged = daily.filter(pl.col("flag_weekly_distance"))
    shown = runs.filter(pl.col("distance_m").is_not_null())
    spikes = shown.filter(pl.col("spike"))
    compared = [f"{100 * v:.0f} % of the longest run of the {window} days before"
                if v is not None else f"no run in the {window} days before to compare with"
                for v in shown["long_run_ratio"]]
    data = [
        go.Scatter(
            x=daily["date"], y=daily["run_distance_7d"] / units.metres, mode="lines",
            name="last 7 days",
            line={"color": RUNNING, "width": 2},
            customdata=[_pct(v) for v in daily["run_distance_change_pct"]],
            hovertemplate=f"{DAY_FORMAT}: %{{y:.1f}} {units.distance} in the last 7 days, "
                          "%{customdata} "
                          "vs the 7 days before<extra></extra>",
        ),
        go.Scatter(
            x=flagged["date"], y=flagged["run_distance_7d"] / units.metres, mode="markers",
            name=f"7-day distance up > {high:.0f} % ({early:.0f} % early in a block)",
            marker={"symbol": "triangle-up", "size": 12, "color": FLAG},
            customdata=[_pct(v) for v in flagged["run_distance_change_pct"]],
            hovertemplate=f"{DAY_FORMAT}: 7-day distance %{{customdata}} vs the 7 days before"
                          f"<br>flag above {high:.0f} % ({source('weekly_change_high_pct')}), "
                          f"{early:.0f} % early in a training block "
                          f"({source('weekly_change_early_pct')})<extra></extra>",
        ),
        go.Scatter(
            x=shown["local_date"], y=shown["distance_m"] / units.metres, mode="markers",
            name="run",
            marker={"size": 6, "color": MUTED}, customdata=compared,
            hovertemplate=f"{DAY_FORMAT}: run of %{{y:.1f}} {units.distance}<br>%{{customdata}}"
                          "<extra></extra>",
        ),
        go.Scatter(
            x=spikes["local_date"], y=spikes["distance_m"] / units.metres, mode="markers",
            name=f"single-run spike > {100 * ratio:.0f} % of the {window}-day longest",
            marker={"symbol": "star", "size": 15, "color": SPIKE, "line": {"width": 1}},
            customdata=[100 * v for v in spikes["long_run_ratio"]],
            hovertemplate=f"{DAY_FORMAT}: run of %{{y:.1f}} {units.distance} = "
                          "%{customdata:.0f} % of the "
                          f"longest run of the {window} days before<br>flag above "
                          f"{100 * ratio:.0f} % ({source('long_run_spike_ratio')})"
                          "<extra></extra>",
        ),
    ]
    axes = panels([f"running distance ({units.distance})"])
    axes["yaxis"]["rangemode"] = "tozero"
    return go.Figure(data, base_layout(340, **axes))


def _spans(daily: pl.DataFrame, status: str) -> list[tuple[dt.date, dt.date]]:
    """First and last date of each run of consecutive days with ``acwr_status == status``."""
    runs = (
        daily.select("date", (pl.col("acwr_status") == status).fill_null(False).alias("hit"))
        .with_columns(pl.col("hit").rle_id().alias("run"))
        .filter(pl.col("hit"))
        .group_by("run", maintain_order=True)
        .agg(pl.col("date").min().alias("first"), pl.col("date").max().alias("last"))
    )
    return list(zip(runs["first"], runs["last"], strict=True))


def acwr_figure(daily: pl.DataFrame, settings: Settings) -> go.Figure:
    """The ACWR of the method in use as a descriptive line over Gabbett's bands.

    Sweet spot ``acwr_sweet_low``-``acwr_sweet_high`` and danger zone from ``acwr_danger``
    are shaded; days with too little history (ratio suppressed) and the calibrating days are
    shaded grey and labelled; the calibrating part of the line is dotted.

    Parameters
    ----------
    daily
        ``date``, ``acwr``, ``acwr_status`` (``insufficient_history`` / ``calibrating`` /
        ``ok``).
    """
    if daily.is_empty():
        return empty_figure("No training in this date range")
    low, high = settings.number("acwr_sweet_low"), settings.number("acwr_sweet_high")
    danger = settings.number("acwr_danger")
    top = max(danger + 0.5, (scalars.number_or_none(daily["acwr"].max()) or 0.0) * 1.1)
    bands = [hband(low, high, f"'sweet spot' {low:g}-{high:g}", GREEN, 0.12),
             hband(danger, top, f"'danger zone' >= {danger:g}", FLAG, 0.10)]
    labels = {
        "insufficient_history": f"not shown: under {settings.integer('acwr_min_history_days')}"
                                " days of history",
        "calibrating": f"calibrating (until day {settings.integer('acwr_calibrating_days')})",
    }
    bands += [vband(first, last, text) for status, text in labels.items()
              for first, last in _spans(daily, status)]
    status = pl.col("acwr_status")
    calibrating = status == "calibrating"
    data = []
    for name, keep, dash in (("ACWR", status == "ok", "solid"),  # dots join the solid line
                             ("ACWR (calibrating)", calibrating | calibrating.shift(1), "dot")):
        part = daily.select("date", pl.when(keep).then(pl.col("acwr")).alias("acwr"))
        data.append(go.Scatter(
            x=part["date"], y=part["acwr"], mode="lines", name=name,
            line={"color": TEXT, "width": 2, "dash": dash},
            hovertemplate=f"{DAY_FORMAT}: ACWR %{{y:.2f}}<extra></extra>",
        ))
    axes = panels(["ACWR (acute / chronic load)"])
    axes["yaxis"]["range"] = [0, top]
    return go.Figure(data, base_layout(320, legend=False, shapes=[s for s, _ in bands],
                                   annotations=[a for _, a in bands], **axes))


def fitness_figure(daily: pl.DataFrame, settings: Settings) -> go.Figure:
    """CTL (fitness) and ATL (fatigue) [HRSS points/day], CTL ramps above ``ramp_high``
    marked, and TSB (form) with its ``tsb_low`` line.

    Parameters
    ----------
    daily
        ``date``, ``ctl``, ``atl``, ``tsb``, ``ctl_ramp``.
    """
    if daily.is_empty():
        return empty_figure("No training in this date range")
    ramp, tsb = RULES["flag_ramp"].limit, RULES["flag_tsb"].limit
    ramp_high, tsb_low = ramp.value(settings), tsb.value(settings)
    ramps = ["-" if v is None else f"{v:+.1f}" for v in daily["ctl_ramp"]]
    data = []
    for column, name, colour in (("ctl", "CTL (fitness)", RUNNING),
                                 ("atl", "ATL (fatigue)", FLAG)):
        days = settings.integer(f"{column}_days")
        data.append(go.Scatter(
            x=daily["date"], y=daily[column], mode="lines", name=f"{name}, {days}-day",
            line={"color": colour, "width": 2, "dash": "solid" if column == "ctl" else "dash"},
            customdata=ramps,
            hovertemplate=f"{DAY_FORMAT}: {column.upper()} %{{y:.1f}} points/day<br>CTL ramp "
                          "%{customdata} points/week<extra></extra>",
        ))
    steep = daily.filter(ramp.crossed(pl.col("ctl_ramp"), settings))
    data += [
        go.Scatter(
            x=steep["date"], y=steep["ctl"], mode="markers",
            name=f"CTL ramp {ramp.text(settings)} points/week",
            marker={"color": SPIKE, "size": 9, "symbol": "diamond"},
            customdata=steep["ctl_ramp"],
            hovertemplate=f"{DAY_FORMAT}: CTL ramp %{{customdata:+.1f}} points/week<br>high "
                          f"above {ramp_high:g} ({source(ramp.setting)})<extra></extra>",
        ),
        go.Scatter(
            x=daily["date"], y=daily["tsb"], mode="lines", name="TSB (form)", fill="tozeroy",
            line={"color": PURPLE, "width": 1.5}, xaxis="x2", yaxis="y2",
            hovertemplate=f"{DAY_FORMAT}: TSB %{{y:.1f}} points<extra></extra>",
        ),
    ]
    line, label = hline(tsb_low, f"TSB {tsb_low:g} points ({source(tsb.setting)})", FLAG,
                        panel=2, below=True)
    axes = panels(["points/day", "TSB (points)"], heights=[0.6, 0.4])
    return go.Figure(data, base_layout(440, shapes=[line], annotations=label, **axes))


def monotony_figure(daily: pl.DataFrame, settings: Settings) -> go.Figure:
    """Foster's monotony (7-day mean / SD of daily load) with the warning and high levels,
    and strain [HRSS points] against the runner's own 90th percentile.

    Parameters
    ----------
    daily
        ``date``, ``monotony``, ``strain``, ``strain_p90``.
    """
    if daily.is_empty():
        return empty_figure("No training in this date range")
    days = settings.integer("monotony_days")
    percentile = 100 * settings.number("strain_percentile")
    data = [
        go.Scatter(
            x=daily["date"], y=daily["monotony"], mode="lines", name="monotony",
            line={"color": TEXT, "width": 2},
            hovertemplate=f"{DAY_FORMAT}: monotony %{{y:.2f}} (mean / SD of {days} days)"
                          "<extra></extra>",
        ),
        go.Scatter(
            x=daily["date"], y=daily["strain"], mode="lines", name="strain",
            line={"color": RUNNING, "width": 2}, xaxis="x2", yaxis="y2",
            hovertemplate=f"{DAY_FORMAT}: strain %{{y:.0f}} {LOAD_UNIT}<extra></extra>",
        ),
        go.Scatter(
            x=daily["date"], y=daily["strain_p90"], mode="lines",
            name=f"your {percentile:.0f}th percentile", line={"color": FLAG, "dash": "dash"},
            xaxis="x2", yaxis="y2",
            hovertemplate=f"{DAY_FORMAT}: your {percentile:.0f}th percentile %{{y:.0f}} "
                          f"{LOAD_UNIT}<extra></extra>",
        ),
    ]
    high = RULES["flag_monotony"].limit
    lines = [hline(value, f"{text} {value:g} ({source(name)})", colour, dash=dash)
             for name, value, text, colour, dash in (
                 ("monotony_warn", settings.number("monotony_warn"), "warning", SPIKE, "dot"),
                 (high.setting, high.value(settings), "high", FLAG, "dash"))]
    axes = panels(["monotony (mean / SD)", f"strain ({LOAD_UNIT})"])
    axes["yaxis"]["rangemode"] = axes["yaxis2"]["rangemode"] = "tozero"
    return go.Figure(data, base_layout(420, shapes=[s for s, _ in lines],
                                   annotations=[a for _, labels in lines for a in labels],
                                   **axes))
