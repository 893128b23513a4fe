"""Pure figure builders of the Form page: cadence vs baseline, within-run drift, decoupling.

Inputs are :attr:`analytics.report.Report.runs` rows and :class:`analytics.cadence.DriftDetail`;
thresholds come from the settings. Dates are the runner's local calendar days.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import polars as pl

from analytics.cadence import EXCLUSION_REASONS, DriftDetail
from analytics.rules import DECOUPLING
from analytics.settings import Settings
from dashboard.a11y.charts import ChartText, day_text, days_span_text, number_text
from dashboard.a11y.tables import Table
from dashboard.figures import empty_figure, thin
from dashboard.figures_load import (
    DAY_FORMAT,
    FLAG,
    MUTED,
    RUNNING,
    TEXT,
    base_layout,
    hline,
    panels,
    source,
)
from dashboard.units import METRIC, Units
from ingest import scalars

#: Colour and dash of each stretch of a run on the drift chart (steady, then the excluded
#: ones, told apart by their dash and legend, not by their shade of grey).
REASON_LINES = {"steady": (RUNNING, "solid"), "warmup": (MUTED, "dot"),
                "stopped": (MUTED, "dashdot"), "walking": (MUTED, "dash"),
                "steep": (MUTED, "longdash")}


def signed(value: float, decimals: int = 1) -> str:
    """``value`` with its sign, never '-0.0'."""
    return f"{round(value, decimals) + 0.0:+.{decimals}f}"


def reason_labels(settings: Settings) -> dict[str, str]:
    """Legend text of each stretch, with the thresholds in use."""
    return {
        "steady": "steady running (used)",
        "warmup": f"warm-up, first {settings.number('drift_warmup_s') / 60:g} min (left out)",
        "stopped": f"stopped, < {settings.number('stop_speed_m_s'):g} m/s (left out)",
        "walking": f"walking, < {settings.number('walking_cadence_spm'):g} spm (left out)",
        "steep": f"steep, |grade| > {100 * settings.number('max_abs_grade'):g} % (left out)",
    }


def cadence_baseline_figure(runs: pl.DataFrame, settings: Settings, units: Units = METRIC
                            ) -> go.Figure:
    """Average cadence per run [spm], and each run's speed-adjusted cadence against the
    runner's baseline at similar speed [%], flagged drops in red.

    Parameters
    ----------
    runs
        ``local_date``, ``distance_m``, ``avg_cadence_spm``, ``cadence_deviation_spm``,
        ``cadence_deviation_pct``, ``cadence_deviation_z``, ``cadence_baseline_runs``,
        ``cadence_drop``.
    """
    runs = runs.filter(pl.col("avg_cadence_spm").is_not_null())
    if runs.is_empty():
        return empty_figure("No cadence recorded in these runs")
    weeks = settings.integer("cadence_baseline_days") / 7
    drop_pct, drop_sd = settings.number("cadence_drop_pct"), settings.number("cadence_drop_sd")
    data = [go.Scatter(
        x=runs["local_date"], y=runs["avg_cadence_spm"].round(1), mode="markers",
        name="average cadence",
        marker={"color": MUTED, "size": 7}, customdata=runs["distance_m"] / units.metres,
        hovertemplate=f"{DAY_FORMAT}, %{{customdata:.1f}} {units.distance}: average "
                      "%{y:.0f} spm (not "
                      "speed-adjusted)<extra></extra>",
    )]
    compared = runs.filter(pl.col("cadence_deviation_pct").is_not_null())
    for name, part, colour, symbol in (
        ("vs baseline", compared.filter(~pl.col("cadence_drop")), RUNNING, "circle"),
        (f"drop flagged (<= -{drop_pct:g} % or <= -{drop_sd:g} SD)",
         compared.filter(pl.col("cadence_drop")), FLAG, "triangle-down"),
    ):
        numbers = part.select(pl.col("distance_m") / units.metres, "cadence_deviation_spm",
                              "cadence_deviation_z", "cadence_baseline_runs"
                              ).cast(pl.Float64).to_numpy()  # a typed array: compact, fast
        data.append(go.Scatter(
            x=part["local_date"], y=part["cadence_deviation_pct"].round(2), mode="markers",
            name=name,
            marker={"color": colour, "size": 11 if colour == FLAG else 7, "symbol": symbol},
            xaxis="x2", yaxis="y2",
            customdata=numbers,
            hovertemplate=f"{DAY_FORMAT}, %{{customdata[0]:.1f}} {units.distance}: "
                          "%{y:+.1f} % "
                          "(%{customdata[1]:+.1f} spm), z = %{customdata[2]:+.1f}; baseline of "
                          ">= %{customdata[3]} runs at similar speed<extra></extra>",
        ))
    zero, _ = hline(0, None, MUTED, panel=2, dash="solid")
    drop, labels = hline(-drop_pct, f"-{drop_pct:g} % ({source('cadence_drop_pct')})", FLAG,
                         panel=2, below=True)
    if compared.is_empty():
        needed = settings.integer("cadence_baseline_min_runs")
        labels.append({"text": f"No baseline yet: a speed band needs {needed} runs in the "
                               f"{weeks:g} weeks before", "showarrow": False,
                       "xref": "x2 domain", "yref": "y2 domain", "x": 0.5, "y": 0.5})
    axes = panels(["cadence (spm)", f"vs {weeks:g}-week baseline (%)"], gap=0.1)
    return go.Figure(data, base_layout(460, shapes=[zero, drop], annotations=labels, **axes))


def drift_figure(detail: DriftDetail, settings: Settings, units: Units = METRIC) -> go.Figure:
    """One run's cadence over time [spm vs min]: steady stretches in colour, excluded ones
    grey by reason, per-minute medians moved to the run's median speed, and the fitted drift
    line (cadence at the median speed).

    Parameters
    ----------
    detail
        :func:`analytics.cadence.drift_detail` of the run.
    """
    seconds = thin(detail.seconds.filter(pl.col("reason").is_not_null()))
    if seconds.is_empty():
        return empty_figure("This run has no cadence recorded")
    elapsed = (seconds["t_s"] / 60).round(2).to_numpy()
    cadence = seconds["cadence_spm"].round(1).to_numpy()
    data = []
    for reason, label in reason_labels(settings).items():
        keep = (seconds["reason"] == reason).to_numpy()
        if keep.any():
            # the stretches of this reason, each followed by one gap point that breaks the line
            drawn = keep | np.concatenate(([False], keep[:-1]))
            data.append(go.Scatter(
                x=elapsed[drawn], y=np.where(keep, cadence, np.nan)[drawn], mode="lines",
                name=label,
                line={"color": REASON_LINES[reason][0], "dash": REASON_LINES[reason][1],
                      "width": 1.5 if reason == "steady" else 1}, opacity=0.8,
                hovertemplate=f"%{{x:.1f}} min: %{{y:.0f}} spm ({reason})<extra></extra>",
            ))
    notes = []
    if detail.spm_per_h is None or detail.intercept_spm is None:
        notes.append({"text": f"No drift estimate: {detail.note}", "showarrow": False,
                      "xref": "paper", "yref": "paper", "x": 0.5, "y": 1.0,
                      "yanchor": "bottom"})
    else:
        minutes = detail.minutes
        ends = np.array([minutes["t_h"].min(), minutes["t_h"].max()])
        data += [
            go.Scatter(
                x=minutes["t_h"] * 60, y=minutes["adjusted_spm"], mode="markers",
                name="per-minute median at the run's median speed",
                marker={"color": TEXT, "size": 5},
                customdata=list(zip(minutes["cadence_spm"],
                                    [units.pace_text(v) for v in minutes["speed_m_s"]],
                                    strict=True)),
                hovertemplate="%{x:.0f} min: %{y:.1f} spm at median speed (measured "
                              f"%{{customdata[0]:.1f}} spm at %{{customdata[1]}} {units.pace})"
                              "<extra></extra>",
            ),
            go.Scatter(
                x=ends * 60, y=detail.intercept_spm + detail.spm_per_h * ends, mode="lines",
                name=f"fitted drift {signed(detail.spm_per_h)} spm/h "
                     f"({signed(detail.pct_per_h or 0.0, 2)} %/h)",
                line={"color": FLAG, "width": 3},
                hovertemplate="%{y:.1f} spm at %{x:.0f} min (fitted)<extra></extra>",
            ),
        ]
    steady = seconds.filter(pl.col("reason") == "steady")["cadence_spm"].drop_nulls()
    running = steady if steady.len() else seconds["cadence_spm"].drop_nulls()
    low, top = running.quantile(0.002) or 0.0, running.quantile(0.998) or 0.0
    layout = base_layout(
        400, annotations=notes, xaxis={"title": {"text": "time since start (min)"}},
        yaxis={"title": {"text": "cadence (spm)"}, "range": [low - 10, top + 6]})
    layout["legend"] = {"orientation": "h", "y": -0.2, "yanchor": "top", "x": 0}
    return go.Figure(data, layout)


def decoupling_figure(runs: pl.DataFrame, settings: Settings, units: Units = METRIC
                      ) -> go.Figure:
    """Aerobic decoupling (Pa:HR) [%] of each run long and steady enough, with the
    ``decoupling_high_pct`` line; runs above it as red triangles (legend "above ...").

    Parameters
    ----------
    runs
        ``local_date``, ``distance_m``, ``decoupling_pct``.
    """
    high = DECOUPLING.value(settings)
    runs = runs.filter(pl.col("decoupling_pct").is_not_null())
    if runs.is_empty():
        return empty_figure(f"No run qualifies yet: Pa:HR needs a steady run of at least "
                            f"{settings.integer('decoupling_min_minutes')} min with heart rate")
    hover = (f"{DAY_FORMAT}, %{{customdata:.1f}} {units.distance}: Pa:HR %{{y:.1f}} %"
             "<extra></extra>")
    data = [go.Scatter(x=runs["local_date"], y=runs["decoupling_pct"], mode="lines",
                       name="Pa:HR", line={"color": MUTED, "width": 1}, hoverinfo="skip",
                       showlegend=False)]
    above = DECOUPLING.crossed(pl.col("decoupling_pct"), settings)
    for name, part, colour, symbol in (
        (f"at or below {high:g} %", runs.filter(~above), RUNNING, "circle"),
        (f"above {high:g} %", runs.filter(above), FLAG, "triangle-up"),
    ):
        data.append(go.Scatter(
            x=part["local_date"], y=part["decoupling_pct"], mode="markers", name=name,
            marker={"size": 11, "color": colour, "symbol": symbol},
            customdata=part["distance_m"] / units.metres, hovertemplate=hover))
    zero, _ = hline(0, None, MUTED, dash="solid")
    line, label = hline(high, f"{high:g} % ({source(DECOUPLING.setting)})", FLAG)
    return go.Figure(data, base_layout(320, shapes=[zero, line], annotations=label,
                                       **panels(["Pa:HR decoupling (%)"])))


def cadence_baseline_text(runs: pl.DataFrame, settings: Settings, units: Units = METRIC
                          ) -> ChartText:
    """Words of :func:`cadence_baseline_figure`: the range of average cadence, the runs
    compared with a baseline and the flagged drops."""
    runs = runs.filter(pl.col("avg_cadence_spm").is_not_null())
    if runs.is_empty():
        return ChartText("Chart of cadence per run: no cadence recorded",
                         "No cadence recorded in these runs.")
    compared = runs.filter(pl.col("cadence_deviation_pct").is_not_null())
    drops = compared.filter(pl.col("cadence_drop"))
    latest = runs.row(-1, named=True)
    parts = [f"Average cadence {scalars.number(runs['avg_cadence_spm'].min()):.0f} to "
             f"{scalars.number(runs['avg_cadence_spm'].max()):.0f} spm over {runs.height} runs, "
             "the latest "
             f"{latest['avg_cadence_spm']:.0f} spm on {day_text(latest['local_date'])}."]
    if compared.is_empty():
        parts.append(f"No baseline yet: a speed band needs "
                     f"{settings.integer('cadence_baseline_min_runs')} runs before.")
    elif drops.height:
        last = drops.row(-1, named=True)
        parts.append(f"{compared.height} runs compared with your baseline at similar speed; "
                     f"{drops.height} drops flagged, the last on {day_text(last['local_date'])} "
                     f"({last['cadence_deviation_pct']:+.1f} %).")
    else:
        parts.append(f"{compared.height} runs compared with your baseline at similar speed; "
                     "no drop flagged.")
    rows = [(str(r["local_date"]), number_text(units.dist(r["distance_m"]), 1),
             f"{r['avg_cadence_spm']:.0f}", number_text(r["cadence_deviation_pct"], 1),
             "yes" if r["cadence_drop"] else "")
            for r in runs.iter_rows(named=True)][::-1]
    table = Table("Cadence per run", ("date", f"distance ({units.distance})",
                                      "average cadence (spm)", "vs baseline (%)",
                                      "drop flagged"), rows)
    name = (f"Scatter charts of average cadence per run and of cadence against your baseline "
            f"at similar speed, {runs.height} runs from "
            f"{days_span_text(runs['local_date'])}")
    return ChartText(name, " ".join(parts), table)


#: The left-out stretches of a run in words.
REASON_WORDS = {"warmup": "warm-up", "stopped": "stops", "walking": "walking",
                "steep": "steep stretches"}


def _duration(seconds: int) -> str:
    return f"{seconds} s" if seconds < 60 else f"{seconds / 60:.0f} min"


def drift_text(detail: DriftDetail, units: Units = METRIC) -> ChartText:
    """Words of :func:`drift_figure`: the drift at constant speed (or why there is none),
    what was left out, and the per-minute numbers behind the fitted line."""
    name = ("Line chart of one run's cadence over time: steady stretches, left-out stretches "
            "and the fitted drift line")
    counts = dict(detail.seconds["reason"].value_counts().iter_rows())
    left_out = ", ".join(f"{REASON_WORDS[reason]} {_duration(counts[reason])}"
                         for reason in EXCLUSION_REASONS if counts.get(reason))
    if detail.spm_per_h is None:
        words = f"No drift estimate for this run: {detail.note}."
    else:
        words = (f"Cadence changed by {signed(detail.spm_per_h)} spm/h "
                 f"({signed(detail.pct_per_h or 0.0, 2)} %/h) at constant speed, over "
                 f"{detail.minutes.height} steady minutes.")
    summary = f"{words} Left out: {left_out or 'nothing'}."
    minutes = detail.minutes
    if minutes.is_empty():
        return ChartText(name, summary)
    rows = [(f"{60 * m['t_h']:.0f}", number_text(m["cadence_spm"], 1),
             number_text(m["adjusted_spm"], 1), units.pace_text(m["speed_m_s"]))
            for m in minutes.iter_rows(named=True)]
    table = Table("Steady minutes of the run", (
        "minute", "cadence (spm)", "at the run's median speed (spm)", f"pace ({units.pace})"),
        rows)
    return ChartText(name, summary, table)


def decoupling_text(runs: pl.DataFrame, settings: Settings, units: Units = METRIC
                    ) -> ChartText:
    """Words of :func:`decoupling_figure`: the runs that qualified, their range, the latest
    and how many were above the line."""
    high = settings.number("decoupling_high_pct")
    runs = runs.filter(pl.col("decoupling_pct").is_not_null())
    if runs.is_empty():
        return ChartText("Chart of aerobic decoupling: no run qualifies yet",
                         f"No run qualifies yet: Pa:HR needs a steady run of at least "
                         f"{settings.integer('decoupling_min_minutes')} min with heart rate.")
    latest = runs.row(-1, named=True)
    above = runs.filter(pl.col("decoupling_pct") > high).height
    summary = (f"{runs.height} long steady runs: Pa:HR from "
               f"{scalars.number(runs['decoupling_pct'].min()):+.1f} "
               f"to {scalars.number(runs['decoupling_pct'].max()):+.1f} %, the latest "
               f"{latest['decoupling_pct']:+.1f} % on {day_text(latest['local_date'])}; "
               f"{above} above {high:g} %.")
    rows = [(str(r["local_date"]), number_text(units.dist(r["distance_m"]), 1),
             f"{r['decoupling_pct']:+.1f}", "yes" if r["decoupling_pct"] > high else "")
            for r in runs.iter_rows(named=True)][::-1]
    table = Table("Aerobic decoupling per run", (
        "date", f"distance ({units.distance})", "Pa:HR (%)", f"above {high:g} %"), rows)
    name = (f"Scatter chart of aerobic decoupling (Pa:HR) of {runs.height} long steady runs, "
            f"{days_span_text(runs['local_date'])}")
    return ChartText(name, summary, table)
