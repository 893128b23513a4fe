"""Load: weekly distance and load, distance spikes, ACWR (descriptive), CTL/ATL/TSB, monotony
and strain over a date range (default: the last 16 weeks up to today)."""

from __future__ import annotations

import datetime as dt

import dash
import plotly.graph_objects as go
import polars as pl
from dash import Input, Output, callback, dcc, html

from analytics.report import Report
from dashboard import service
from dashboard.a11y.charts import DRAWING, ChartText, chart, chart_words, words_id
from dashboard.components import no_activities, stat
from dashboard.data import display_units, open_store, today
from dashboard.figures_load import (
    LOAD_UNIT,
    acwr_figure,
    acwr_method_text,
    fitness_figure,
    monotony_figure,
    progression_figure,
    source,
    weekly_figure,
)
from dashboard.figures_load_text import (
    acwr_text,
    fitness_text,
    monotony_text,
    progression_text,
    weekly_text,
)
from dashboard.recovery_panel import recovery_context
from dashboard.units import METRIC, Units
from ingest import scalars

#: Default date range: this many weeks up to today.
DEFAULT_WEEKS = 16
GRAPHS = ("load-weekly", "load-progression", "load-acwr", "load-fitness", "load-monotony")
#: Drawn with the page; the others right after it (each chart takes ~0.1-0.2 s to draw).
FIRST_GRAPHS = GRAPHS[:2]
LATER_GRAPHS = GRAPHS[2:]


def parse_date(value: str | None) -> dt.date | None:
    """A date from the date picker or the URL ('2026-08-23', also with a time); None if not."""
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def default_range(day: dt.date) -> tuple[dt.date, dt.date]:
    """The last :data:`DEFAULT_WEEKS` weeks up to and including ``day``."""
    return day - dt.timedelta(days=7 * DEFAULT_WEEKS - 1), day


def _fmt(value: float | None, spec: str, unit: str) -> str:
    return "-" if value is None else f"{value:{spec}} {unit}"


def summary(report: Report, end: dt.date, units: Units = METRIC) -> list[html.Div]:
    """The numbers to lead with, as of ``end``: 7-day distance and its changes, 7-day load,
    largest long-run ratio of the 7 days, CTL ramp and ACWR."""
    rows = report.daily_rows(end=end)
    if rows.is_empty():
        return []
    row = rows.row(-1, named=True)
    s = report.settings
    distance = units.dist(row["run_distance_7d"])
    ratio = None if row["max_run_ratio_7d"] is None else 100 * row["max_run_ratio_7d"]
    acwr = "-" if row["acwr"] is None else f"{row['acwr']:.2f}"
    if row["acwr_status"] == "insufficient_history":
        acwr = f"not yet ({row['history_days']} of {s.integer('acwr_min_history_days')} days)"
    elif row["acwr_status"] == "calibrating" and row["acwr"] is not None:
        acwr += " (calibrating)"
    return [
        stat(f"running, 7 days to {row['date']:%d %b %Y}", _fmt(distance, ".1f", units.distance)),
        stat("vs the 7 days before", _fmt(row["run_distance_change_pct"], "+.0f", "%")),
        stat("vs the 3 weeks before (mean)", _fmt(row["run_distance_change_3wk_pct"], "+.0f", "%")),
        stat("load, 7 days", _fmt(row["load_7d"], ".0f", LOAD_UNIT)),
        stat(f"longest-run ratio, 7 days (vs the {s.integer('long_run_window_days')} before)",
             _fmt(ratio, ".0f", "%")),
        stat("CTL ramp", _fmt(row["ctl_ramp"], "+.1f", "points/week")),
        stat("ACWR (descriptive)", acwr),
    ]


def charts(report: Report, start: dt.date, end: dt.date, units: Units = METRIC,
           names: tuple[str, ...] = GRAPHS) -> list[tuple[go.Figure, ChartText]]:
    """The page's figures ``names`` (default all, in :data:`GRAPHS` order) for the days
    ``start``..``end``, each with its words (built from the same rows)."""
    daily = report.daily_rows(start, end)
    runs = report.runs.filter(pl.col("local_date").is_between(start, end))
    monday = start - dt.timedelta(days=start.weekday())
    s = report.settings
    builders = {
        "load-weekly": lambda: (weekly_figure(weeks := report.weekly(monday, end), units),
                                weekly_text(weeks, units)),
        "load-progression": lambda: (progression_figure(daily, runs, s, units),
                                     progression_text(daily, runs, s, units)),
        "load-acwr": lambda: (acwr_figure(daily, s), acwr_text(daily, s)),
        "load-fitness": lambda: (fitness_figure(daily, s), fitness_text(daily, s)),
        "load-monotony": lambda: (monotony_figure(daily, s), monotony_text(daily, s)),
    }
    return [builders[name]() for name in names]


def _outputs(names: tuple[str, ...]) -> list[Output]:
    return [output for name in names
            for output in (Output(name, "figure"), Output(words_id(name), "children"))]


def _values(names: tuple[str, ...], drawn: list[tuple[go.Figure, ChartText]]) -> list:
    return [value for name, (figure, text) in zip(names, drawn, strict=True)
            for value in (figure, chart_words(name, text))]


def acwr_note(report: Report) -> html.Div:
    """What the ACWR line is, which method is in use, and its limits (always visible)."""
    s = report.settings
    ratio, window = 100 * s.number("long_run_spike_ratio"), s.integer("long_run_window_days")
    return html.Div([
        html.P([html.Strong("Descriptive only, not a risk score. "),
                f"Method in use: {acwr_method_text(s)} (setting acwr_method; change it on the ",
                dcc.Link("Settings", href="/settings"), " page). Bands from "
                f"{source('acwr_sweet_low')}, a team-sport study. Not shown before "
                f"{s.integer('acwr_min_history_days')} days of history; 'calibrating' until day "
                f"{s.integer('acwr_calibrating_days')}."]),
        html.P("Limits: Impellizzeri et al. 2021 (Sports Med 51:581) showed that the ratio is "
               "essentially a rescaled acute load. In 5,205 runners (Frandsen et al. 2025, BJSM "
               "59:1203) neither ACWR nor the week-to-week change in distance predicted injury; "
               f"a single run longer than {ratio:.0f} % of the longest run of the previous "
               f"{window} days did - those runs are the stars in the distance chart above."),
    ], id="load-acwr-note", className="note")


def layout(start: str | None = None, end: str | None = None, **_: object) -> html.Div:
    with open_store() as store:
        if store.count() == 0:
            return no_activities("training load")
        day = today(store)
        report = service.report(store, end=day)
        recovery = service.recovery(store, end=day)
        units = display_units(store)
    known = report.daily["date"].drop_nulls()
    first = scalars.day(known.min()) if known.len() else day
    last = max(scalars.day(known.max()), day) if known.len() else day
    default_start, default_end = default_range(day)
    default_start = max(default_start, first)
    end_date = parse_date(end) or default_end
    start_date = parse_date(start) or default_start
    if start_date > end_date:
        start_date, end_date = min(default_start, default_end), default_end
    weekly, progression = (
        chart(name, figure, text) for name, (figure, text) in
        zip(FIRST_GRAPHS, charts(report, start_date, end_date, units, FIRST_GRAPHS),
            strict=True))
    acwr, fitness, monotony = (chart(name, go.Figure(), DRAWING, loading=True)
                               for name in LATER_GRAPHS)
    return html.Div([
        html.H1("Training load"),
        html.P(f"Running and cross-training load by your local calendar days. Load is in "
               f"{LOAD_UNIT} (100 = one hour at lactate threshold).", className="muted"),
        html.Fieldset([
            html.Legend("Dates shown"),
            *(html.Label([words, dcc.Input(id=f"load-{name}", type="date", value=day.isoformat(),  # type: ignore[arg-type]  # dash types omit "date"
                                           min=first.isoformat(), max=last.isoformat(),
                                           debounce=True)], className="field")
              for name, words, day in (("start", "From", start_date), ("end", "To", end_date))),
        ], className="fieldset form no-print"),
        html.Div(summary(report, end_date, units), id="load-stats", className="stats"),
        html.Div(recovery_context(recovery, end_date), id="load-recovery"),
        html.H2("Weekly running distance and load"),
        html.P("Bars per week (Monday to Sunday); the label is the change in distance vs the "
               "week before. A pale bar is a week still in progress.", className="muted small"),
        weekly,
        html.H2("Distance spikes"),
        html.P("The line is your running distance over the last 7 days. Triangles mark days "
               "whose 7-day distance rose beyond the thresholds; stars mark single runs much "
               "longer than your recent longest. Hover for the numbers and their sources.",
               className="muted small"),
        progression,
        html.H2("Acute:chronic workload ratio (ACWR)"),
        acwr_note(report),
        acwr,
        html.H2("Fitness, fatigue and form (CTL / ATL / TSB)"),
        html.P("CTL and ATL are exponentially weighted daily loads; TSB = yesterday's CTL - "
               "ATL. A deeply negative TSB means much more recent load than you are used to.",
               className="muted small"),
        fitness,
        html.H2("Monotony and strain"),
        html.P("Monotony is high when every day has a similar load (few easy or rest days); "
               "strain is the week's load times monotony, compared with your own history.",
               className="muted small"),
        monotony,
    ])


def _report_and_range(start: str | None, end: str | None
                      ) -> tuple[Report, pl.DataFrame, dt.date, dt.date, Units] | None:
    """The report and recovery rows to today, the chosen range and the units (None for a
    range that is not one)."""
    first, last = parse_date(start), parse_date(end)
    if first is None or last is None or first > last:
        return None
    with open_store() as store:
        day = today(store)
        return (service.report(store, end=day), service.recovery(store, end=day), first, last,
                display_units(store))


@callback(
    Output("load-stats", "children"),
    Output("load-recovery", "children"),
    *_outputs(FIRST_GRAPHS),
    Input("load-start", "value"),
    Input("load-end", "value"),
    prevent_initial_call=True,
)
def on_range(start: str | None, end: str | None):
    """A new date range: the numbers, the recovery context and the first charts with their
    words (the later ones: :func:`later`)."""
    chosen = _report_and_range(start, end)
    if chosen is None:
        return (dash.no_update,) * (2 * len(FIRST_GRAPHS) + 2)
    report, recovery, first, last, units = chosen
    return (summary(report, last, units), recovery_context(recovery, last),
            *_values(FIRST_GRAPHS, charts(report, first, last, units, FIRST_GRAPHS)))


@callback(
    *_outputs(LATER_GRAPHS),
    Input("load-start", "value"),
    Input("load-end", "value"),
)
def later(start: str | None, end: str | None):
    """The charts below the first two with their words, drawn once the page is shown and on
    every new range."""
    chosen = _report_and_range(start, end)
    if chosen is None:
        return (dash.no_update,) * (2 * len(LATER_GRAPHS))
    report, _, first, last, units = chosen
    return tuple(_values(LATER_GRAPHS, charts(report, first, last, units, LATER_GRAPHS)))


def register() -> None:
    dash.register_page(__name__, path="/load", name="Load", title="Training load",
                       layout=layout)
