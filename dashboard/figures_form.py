"""Pure figure builders of the Form page: cadence vs baseline, within-run drift, decoupling.

Inputs are :attr:`analytics.report.Report.runs` rows and :class:`analytics.cadence.DriftDetail`;
thresholds come from the settings. Dates are the runner's local calendar days.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import polars as pl

from analytics.cadence import DriftDetail
from analytics.rules import DECOUPLING
from analytics.settings import Settings
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

#: Colour of each stretch of a run on the drift chart (steady, then the excluded ones).
REASON_COLOURS = {"steady": RUNNING, "warmup": "#d0d7de", "stopped": "#afb8c1",
                  "walking": "#8c959f", "steep": "#6e7781"}


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
    for name, part, colour in (
        ("vs baseline", compared.filter(~pl.col("cadence_drop")), RUNNING),
        (f"drop flagged (<= -{drop_pct:g} % or <= -{drop_sd:g} SD)",
         compared.filter(pl.col("cadence_drop")), FLAG),
    ):
        numbers = part.select(pl.col("distance_m") / units.metres, "cadence_deviation_spm",
                              "cadence_deviation_z", "cadence_baseline_runs"
                              ).cast(pl.Float64).to_numpy()  # a typed array: compact, fast
        data.append(go.Scatter(
            x=part["local_date"], y=part["cadence_deviation_pct"].round(2), mode="markers",
            name=name,
            marker={"color": colour, "size": 9 if colour == FLAG else 7}, xaxis="x2", yaxis="y2",
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
                line={"color": REASON_COLOURS[reason], "width": 1}, opacity=0.7,
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
    ``decoupling_high_pct`` line; runs above it in red.

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
    data = [go.Scatter(
        x=runs["local_date"], y=runs["decoupling_pct"], mode="lines+markers", name="Pa:HR",
        line={"color": MUTED, "width": 1},
        marker={"size": 10, "color": [
            FLAG if v else RUNNING
            for v in runs.select(DECOUPLING.crossed(pl.col("decoupling_pct"), settings))
            .to_series()]},
        customdata=runs["distance_m"] / units.metres,
        hovertemplate=f"{DAY_FORMAT}, %{{customdata:.1f}} {units.distance}: Pa:HR %{{y:.1f}} %"
                      "<extra></extra>",
    )]
    zero, _ = hline(0, None, MUTED, dash="solid")
    line, label = hline(high, f"{high:g} % ({source(DECOUPLING.setting)})", FLAG)
    return go.Figure(data, base_layout(320, legend=False, shapes=[zero, line], annotations=label,
                                       **panels(["Pa:HR decoupling (%)"])))
