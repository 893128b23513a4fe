"""Form: cadence per run vs the runner's baseline at similar speed, one run's cadence drift
(run picker; ``/form?run=42`` preselects a run), aerobic decoupling of the long runs,
breathing and running dynamics at similar speed, and the weekly share of runs with a warm-up
and a cool-down."""

from __future__ import annotations

import datetime as dt

import dash
import plotly.graph_objects as go
import polars as pl
from dash import Input, Output, callback, dcc, html

from analytics.cadence import drift_detail
from analytics.report import Report
from analytics.run_signals import matched_speed_trend
from dashboard import preferences, service
from dashboard.a11y.charts import ChartText, chart, chart_words, words_id
from dashboard.components import empty_state, no_activities
from dashboard.data import display_units, open_store, today
from dashboard.figures import empty_figure
from dashboard.figures_form import (
    cadence_baseline_figure,
    cadence_baseline_text,
    decoupling_figure,
    decoupling_text,
    drift_figure,
    drift_text,
    signed,
)
from dashboard.figures_load import source
from dashboard.figures_signals import signal_trend_figure, warmup_share_figure
from dashboard.units import METRIC, Units
from ingest import scalars
from ingest.store import Store

NO_DRIFT_RUN = ("No run has a drift estimate yet: it needs at least {minutes} steady minutes "
                "after the warm-up, without stops, walking or steep stretches. Long easy runs "
                "usually qualify.")
#: The charts across runs and the run picker show this many weeks up to today (older runs:
#: ``/form?run=ID``); all of them still count for the baselines.
SHOWN_WEEKS = 52


def run_options(runs: pl.DataFrame, since: dt.date, extra: int | None = None,
                units: Units = METRIC) -> list[dict[str, object]]:
    """Dropdown options: runs from ``since`` with a drift result, and the run ``extra``;
    newest first."""
    picked = pl.col("id").is_in([] if extra is None else [extra])
    recent = pl.col("drift_spm_per_h").is_not_null() & (pl.col("local_date") >= since)
    shown = runs.filter(recent | picked)
    options = []
    for run in shown.sort("start_time", descending=True).iter_rows(named=True):
        distance = units.dist(run["distance_m"])
        km = "" if distance is None else f" - {distance:.1f} {units.distance}"
        drift = ("no drift estimate" if run["drift_spm_per_h"] is None
                 else f"drift {signed(run['drift_spm_per_h'])} spm/h")
        options.append({"label": f"{run['local_date']:%a %d %b %Y}{km} - {drift}",
                        "value": run["id"]})
    return options


def pick_run(runs: pl.DataFrame, query: str | None) -> tuple[int | None, str | None]:
    """The run to show: ``query`` when it is a run id, else the most recent run with a drift
    result; and a message when ``query`` was not usable."""
    drifted = runs.filter(pl.col("drift_spm_per_h").is_not_null()).sort("start_time")
    latest = drifted["id"][-1] if drifted.height else None
    if query is None:
        return latest, None
    if query.isdigit() and int(query) in runs["id"]:
        return int(query), None
    return latest, f"Activity {query} is not one of your runs; showing the latest run instead."


def drift_view(store: Store, report: Report, run_id: int | None
               ) -> tuple[go.Figure, ChartText, dcc.Link | None]:
    """The drift chart of one run, its words (samples of that run only) and a link to the
    run."""
    s = report.settings
    runs = report.runs
    if not isinstance(run_id, int) or run_id not in runs["id"]:
        message = NO_DRIFT_RUN.format(minutes=s.integer("drift_min_minutes"))
        return empty_figure("Pick a run above"), ChartText("Chart of cadence drift: no run "
                                                           "picked", message), None
    detail = drift_detail(store.samples(run_id), s)
    units = display_units(store)
    return (drift_figure(detail, s, units), drift_text(detail, units),
            dcc.Link("Activity details of this run", href=f"/activities/{run_id}",
                     className="link-block"))


SIGNAL_TITLES = {"respiration_brpm": "breathing rate (breaths/min)",
                 "vertical_oscillation_mm": "vertical oscillation (mm)",
                 "ground_contact_ms": "ground contact time (ms)",
                 "stride_length_m": "stride length (m)"}


def signal_trends(store: Store, runs: pl.DataFrame, names: tuple[str, ...]
                  ) -> list[tuple[str, float | None, pl.DataFrame]]:
    """(title, middle of the reference speed band, per-run values) of each signal for
    :func:`dashboard.figures_signals.signal_trend_figure` (runs of ``runs`` only)."""
    width = preferences.load_settings(store).number("speed_band_m_s")
    bands = (service.activities_with_metrics(store).select("id", "signal_bands")
             .join(runs.select("id", "local_date"), on="id"))
    out = []
    for name in names:
        band, frame = matched_speed_trend(bands, name)
        out.append((SIGNAL_TITLES[name], None if band is None else band + width / 2, frame))
    return out


def signals_section(store: Store, report: Report, recent: pl.DataFrame, units: Units
                    ) -> list:
    """Breathing, running dynamics and the weekly warm-up / cool-down share (section 11)."""
    since = scalars.day(recent["local_date"].min()) if recent.height else None
    weekly = report.weekly(start=since)
    return [
        html.H3("Breathing at similar speed"),
        html.P("Each run's breathing rate at the speed you run most, where your watch or strap "
               "records it. No study links breathing rate to back pain: descriptive only [U] "
               "(docs/methods.md section 11.2).", className="muted small"),
        dcc.Graph(id="form-breathing", figure=signal_trend_figure(
            signal_trends(store, recent, ("respiration_brpm",)), units,
            "Breathing rate is not recorded by your devices"), config={"displaylogo": False}),
        html.H3("Running dynamics beside cadence"),
        html.P("Vertical oscillation, ground contact time and stride length (chest straps, "
               "pods and newer watches), each compared at the same speed because they all "
               "change with speed. Their rise within a run is a fatigue marker in lab studies "
               "[P], not an injury predictor (docs/methods.md section 11.3).",
               className="muted small"),
        dcc.Graph(id="form-dynamics", figure=signal_trend_figure(
            signal_trends(store, recent, ("vertical_oscillation_mm", "ground_contact_ms",
                                          "stride_length_m")), units,
            "Running dynamics are not recorded by your devices"),
            config={"displaylogo": False}),
        html.H3("Warm-up and cool-down"),
        html.P("Share of each week's runs with a warm-up (at least 5 min of easy running at the "
               "start, or an easy activity just before) and a cool-down (3 min). Interval runs "
               "are not judged. Warm-ups went with fewer injuries in 3 of 5 trials (Fradkin "
               "2006) [P]; none is specific to back pain [U].", className="muted small"),
        dcc.Graph(id="form-warmup", figure=warmup_share_figure(weekly),
                  config={"displaylogo": False}),
    ]


def layout(run: str | None = None, **_: object) -> html.Div:
    with open_store() as store:
        if store.count() == 0:
            return no_activities("running form data")
        day = today(store)
        report = service.report(store, end=day)
        runs = report.runs
        if runs.is_empty():
            return empty_state(
                "No runs yet",
                html.Div(["The Form page looks at the cadence and heart rate of your runs. "
                          "Upload runs recorded with a watch (most record cadence) on the ",
                          dcc.Link("Upload", href="/upload"), " page."]), whole_page=True)
        chosen, message = pick_run(runs, run)
        figure, words, link = drift_view(store, report, chosen)
        units = display_units(store)
        since = day - dt.timedelta(weeks=SHOWN_WEEKS) + dt.timedelta(days=1)
        recent = runs.filter(pl.col("local_date") >= since)
        signals = signals_section(store, report, recent, units)
    s = report.settings
    weeks = s.integer("cadence_baseline_days") / 7
    return html.Div([
        html.H1("Running form"),
        html.P("Cadence rises with speed, so it is only compared at similar speed. No study "
               "links within-run cadence drift to injury: read drift as a fatigue and form "
               "marker, not a warning sign.", className="muted"),
        html.H2("Cadence vs your baseline at similar speed"),
        html.P(f"Runs since {since:%d %b %Y}. Each run's cadence per speed band against the "
               f"median of the same band over the {weeks:g} weeks before; a drop of "
               f"{s.number('cadence_drop_pct'):g} % or {s.number('cadence_drop_sd'):g} SD is "
               f"flagged ({source('cadence_drop_pct')}).", className="muted small"),
        chart("form-cadence", cadence_baseline_figure(recent, s, units),
              cadence_baseline_text(recent, s, units)),
        html.H2("Cadence drift within a run"),
        html.P(message, id="form-run-message", className="warnings") if message else None,
        html.Label("Run", htmlFor="form-run", className="no-print"),
        dcc.Dropdown(id="form-run", options=run_options(runs, since, chosen, units), value=chosen,
                     clearable=False, placeholder="Pick a run", className="no-print"),
        chart("form-drift", figure, words),
        html.P(link, id="form-drift-link"),
        html.H2("Aerobic decoupling of the long runs (Pa:HR)"),
        html.P(f"Runs since {since:%d %b %Y}. Efficiency (speed per heartbeat) of the second "
               f"half of a steady run of at least {s.integer('decoupling_min_minutes')} min vs "
               f"the first half. Above {s.number('decoupling_high_pct'):g} % the heart worked "
               f"noticeably harder for the same pace ({source('decoupling_high_pct')}).",
               className="muted small"),
        chart("form-decoupling", decoupling_figure(recent, s, units),
              decoupling_text(recent, s, units)),
        *signals,
    ])


@callback(
    Output("form-drift", "figure"),
    Output(words_id("form-drift"), "children"),
    Output("form-drift-link", "children"),
    Input("form-run", "value"),
    prevent_initial_call=True,
)
def on_run(run_id: int | None):
    with open_store() as store:
        report = service.report(store, end=today(store))
        figure, words, link = drift_view(store, report, run_id)
    return figure, chart_words("form-drift", words), link


def register() -> None:
    dash.register_page(__name__, path="/form", name="Form", title="Running form", layout=layout)
