"""Experiment: test one lever on your own back - today's assignment, the calendar of blocks
with how well each was followed, the daily pain by arm, and the answer of finished experiments
(per-pair differences, the mean with its 95 % CI, the randomisation p and one sentence)."""

from __future__ import annotations

import datetime as dt

import dash
import plotly.graph_objects as go
import polars as pl
from dash import ALL, Input, Output, State, callback, ctx, dcc, html

from analytics.settings import integer
from dashboard import experiments, inputs
from dashboard.components import attrs, field
from dashboard.data import open_store, today
from dashboard.experiment_view import (
    METHOD_NOTE,
    SAFETY_NOTE,
    STATE_WORDS,
    plan_line,
    result_table,
    schedule_table,
    title,
    today_line,
)
from dashboard.experiments import Evaluation, ExperimentError
from dashboard.figures_experiment import (
    pain_by_arm_figure,
    pain_by_arm_summary,
    pair_differences_figure,
    pair_differences_summary,
)
from ingest.experiments import experiments as stored_experiments
from ingest.journal import AREAS, shown

ACTION = "experiment-action"
LEVER_HELP = ('carry:vest (or bottle, belt, backpack), warmup, shoes:GEAR_ID, surface:road '
              '(trail, track, treadmill, mixed) or custom:TEXT')


def html_table(frame: pl.DataFrame, caption: str, table_id: str,
               row_classes: list[str] | None = None) -> html.Div:
    """A read-only table: caption, column headers, the first cell of each row as its header."""
    rows = [html.Tr([html.Th(cell, scope="row") if i == 0 else html.Td(cell)
                     for i, cell in enumerate(row)],
                    className=row_classes[n] if row_classes else None)
            for n, row in enumerate(frame.iter_rows())]
    return html.Div(html.Table([
        html.Caption(caption),
        html.Thead(html.Tr([html.Th(c, scope="col") for c in frame.columns])),
        html.Tbody(rows)], id=table_id, className="data-table"), className="table-scroll",
        tabIndex="0", role="region", **attrs({"aria-label": caption}))


def chart(graph_id: str, figure: go.Figure, name: str, summary: str) -> html.Figure:
    """A chart named for screen readers, with its words under it."""
    return html.Figure([
        html.Div(dcc.Graph(id=graph_id, figure=figure,
                           config={"displaylogo": False, "displayModeBar": False}),
                 role="img", **attrs({"aria-label": name})),
        html.Figcaption(summary, id=f"{graph_id}-summary", className="muted small"),
    ], className="chart")


def _calendar(ev: Evaluation) -> html.Div:
    table = schedule_table(ev)
    arms = [f"arm-{arm}" for arm in ev.blocks["arm"]]
    return html_table(table, f"Blocks of experiment {ev.experiment.id}: dates, what to do, "
                             "how well it was followed", "experiment-calendar", arms)


def _actions(ev: Evaluation) -> list:
    """Buttons for the day: resume after a pause, ticks for a lever the runs cannot show,
    stop."""
    buttons: list = []
    if ev.state == "paused":
        buttons.append(html.Button("Resume the experiment", className="button",
                                   id={"type": ACTION, "action": "resume"}, n_clicks=0))
    elif ev.state == "running" and not ev.lever.seen_in_data:
        buttons += [html.Button("I followed it today", className="button",
                                id={"type": ACTION, "action": "followed"}, n_clicks=0),
                    html.Button("I missed it today", className="button",
                                id={"type": ACTION, "action": "missed"}, n_clicks=0)]
    buttons.append(dcc.ConfirmDialogProvider(
        html.Button("Stop the experiment", className="button button-danger"),
        id="experiment-stop",
        message="Stop the experiment now? Its blocks so far stay; an experiment stopped "
                "early gives a weaker answer."))
    return buttons


def current_view(ev: Evaluation) -> html.Div:
    """The experiment going on: today's line, actions, calendar, daily pain by arm."""
    paused = ev.state == "paused"
    return html.Div([
        html.H2(f"Now: {title(ev)}"),
        html.P(plan_line(ev), className="muted"),
        html.Div(today_line(ev), id="experiment-today",
                 className="banner-danger" if paused else "experiment-now",
                 role="alert" if paused else None,
                 **{"data-state": ev.state,
                    "data-arm": (ev.current_block() or {}).get("arm", "")}),
        html.Div(_actions(ev), className="form no-print"),
        html.H3("Calendar"),
        _calendar(ev),
        html.H3("Daily pain by arm"),
        chart("experiment-pain", pain_by_arm_figure(ev.days, ev.words, ev.lever.outcome_lag_days),
              f"Dot chart of daily pain in {ev.words.on_blocks} and {ev.words.off_blocks}, "
              f"{ev.experiment.start} to {ev.today}",
              pain_by_arm_summary(ev.days, ev.words, finished=False)),
        html.P(SAFETY_NOTE, className="muted small"),
    ], className="card", id="experiment-current")


def result_view(ev: Evaluation) -> html.Div:
    """A finished or stopped experiment: the sentence, per-pair differences and numbers."""
    r, key = ev.result, ev.experiment.id
    numbers = [f"{r.pairs_counted} of {r.pairs_planned} "
               f"{'phases' if ev.experiment.design == 'ab' else 'pairs'} counted"]
    if r.p_randomisation is not None:
        numbers.append(f"randomisation p = {r.p_randomisation:.3f} (two-sided, exact)")
    if r.load_diff_pct is not None:
        numbers.append(f"running load {r.load_diff_pct:+.0f} % in {ev.words.on_blocks}")
    table = result_table(ev)
    return html.Div([
        html.H3(f"{title(ev)} ({STATE_WORDS[ev.state]})"),
        html.P(plan_line(ev), className="muted"),
        html.P(ev.text, id=f"experiment-result-{key}", className="experiment-result",
               **attrs({"data-conclusion": r.conclusion})),
        html.P(" · ".join(numbers), className="muted small"),
        chart(f"experiment-pairs-{key}", pair_differences_figure(r, ev.words),
              f"Dot chart of the difference in pain per pair of blocks, {ev.words.on_blocks} "
              f"minus {ev.words.off_blocks}, with the mean and its 95 % CI",
              pair_differences_summary(r, ev.words)) if r.differences else None,
        html_table(table, "Mean pain per pair of blocks and the difference",
                   f"experiment-pairs-table-{key}") if table.height else None,
        html.Details([html.Summary("Calendar and daily pain"), _calendar(ev),
                      chart(f"experiment-pain-{key}",
                            pain_by_arm_figure(ev.days, ev.words, ev.lever.outcome_lag_days),
                            f"Dot chart of daily pain in {ev.words.on_blocks} and "
                            f"{ev.words.off_blocks}",
                            pain_by_arm_summary(ev.days, ev.words, finished=True))]),
    ], className="card experiment-done", id=f"experiment-done-{key}")


def start_form(day: dt.date, lever: str | None) -> html.Div:
    """Start a new experiment (the lever filled in from a factor's "test this")."""
    return html.Div([
        html.H2("Start an experiment"),
        html.P("Pick one lever. The schedule switches it on and off in blocks, in pairs, in an "
               "order drawn at random; follow it and log your pain every day.", className="muted"),
        html.Div([
            html.Label(["Lever", dcc.Input(id="experiment-lever", type="text",
                                           value=lever or "", placeholder="e.g. carry:vest")],
                       className="field"),
            html.Label(["Compare with (optional)", dcc.Input(
                id="experiment-compare", type="text", value="",
                placeholder="e.g. carry:belt")], className="field"),
        ], className="form"),
        html.P(f"Levers: {LEVER_HELP}.", className="muted small"),
        html.Div([
            html.Label(["Days per block", dcc.Input(
                id="experiment-block-days", type="number", min=5, max=14, step=1,
                value=integer("experiment_block_days"), className="input-short")],
                className="field"),
            html.Label(["Pairs", dcc.Input(
                id="experiment-pairs", type="number", min=5, max=12, step=1,
                value=integer("experiment_pairs"), className="input-short")],
                className="field"),
            html.Label(["First day", dcc.Input(
                id="experiment-first-day", type="date", min=day.isoformat(),  # type: ignore[arg-type]  # dash types omit "date"
                value=(day + dt.timedelta(days=1)).isoformat())], className="field"),
            field("Pain area", dcc.Dropdown(id="experiment-area", options=list(AREAS),
                                            value="upper-back", clearable=False,
                                            style={"width": "12rem"})),
        ], className="form"),
        html.Button("Draw the schedule and start", id="experiment-start", n_clicks=0,
                    className="button"),
    ], className="card no-print", id="experiment-start-form")


def today_card(store, day: dt.date) -> html.Div | None:
    """Today's line of the experiment going on (planned, running or paused), else nothing."""
    found = experiments.current(store, day)
    if found is None:
        return None
    ev = experiments.evaluate(store, found, day)
    return html.Div([
        html.H3("Your experiment"),
        html.P(today_line(ev), id="today-experiment-line",
               **{"data-state": ev.state, "data-arm": (ev.current_block() or {}).get("arm", "")}),
        html.P(["Calendar and pain so far on the ",
                dcc.Link("Experiment", href="/experiment"), " page."], className="muted small"),
    ], className="card", id="today-experiment-card")


@callback(Output("today-experiment", "children"), Input("today-pain-saved", "children"),
          prevent_initial_call=True)
def refresh_today_card(_saved: str):
    """A pain rating saved on Today may pause the experiment: its line again."""
    with open_store() as store:
        return today_card(store, today(store))


def page_body(store, day: dt.date, lever: str | None = None) -> html.Div:
    """The current experiment (or the start form) and every finished one."""
    found = experiments.current(store, day)
    top = current_view(experiments.evaluate(store, found, day)) if found \
        else start_form(day, lever)
    done = [experiments.evaluate(store, e, day) for e in stored_experiments(store)
            if found is None or e.id != found.id]
    return html.Div([
        top,
        html.H2("Finished experiments") if done else None,
        *[result_view(ev) for ev in done],
    ])


def layout(lever: str | None = None, **_: object) -> html.Div:
    with open_store() as store:
        day = today(store)
        body = page_body(store, day, lever)
    return html.Div([
        html.H1("Your experiment"),
        html.P("What went with a worse back in your data is not always the cause. A personal "
               "experiment tests one lever - the vest, a warm-up, a pair of shoes - in weeks "
               "with and weeks without it, and compares your pain.", className="muted"),
        html.P(id="experiment-message", role="status", className="muted"),
        html.Div(body, id="experiment-box"),
        html.P(METHOD_NOTE, className="muted small", id="experiment-method"),
    ])


def _whole(value: object, what: str) -> int | None:
    """A number box's whole number (None when empty)."""
    value = inputs.field(value, what)
    if value is None or value == "":
        return None
    if isinstance(value, str) or not float(value).is_integer():
        raise inputs.BadInput(f"{what} must be a whole number, got {shown(value)}")
    return int(value)


@callback(
    Output("experiment-box", "children"),
    Output("experiment-message", "children"),
    Input("experiment-start", "n_clicks"),
    State("experiment-lever", "value"), State("experiment-compare", "value"),
    State("experiment-block-days", "value"), State("experiment-pairs", "value"),
    State("experiment-first-day", "value"), State("experiment-area", "value"),
    prevent_initial_call=True,
)
def start(clicks: int, lever: str | None, compare: str | None, block_days: object,
          pairs: object, first_day: str | None, area: str):
    if not clicks:  # the form just drawn (after a stop)
        return dash.no_update, dash.no_update
    with open_store() as store:
        day = today(store)
        try:
            first = inputs.text(first_day or "", "first day")
            ev = experiments.start(
                store, inputs.text(lever or "", "lever"),
                inputs.text(compare or "", "compare with") or None, day,
                block_days=_whole(block_days, "days per block"), pairs=_whole(pairs, "pairs"),
                first_day=dt.date.fromisoformat(first) if first else None,
                area=inputs.text(area, "pain area"))
        except (ExperimentError, ValueError) as exc:  # BadInput and bad dates too
            return dash.no_update, f"Not started: {exc}"
        return page_body(store, day), f"Started experiment {ev.experiment.id}: {plan_line(ev)}"


@callback(
    Output("experiment-box", "children", allow_duplicate=True),
    Output("experiment-message", "children", allow_duplicate=True),
    Input({"type": ACTION, "action": ALL}, "n_clicks"),
    Input("experiment-stop", "submit_n_clicks"),
    prevent_initial_call=True,
)
def act(_clicks: list[int], _stop: int | None):
    """Resume, tick today, or stop; the box is drawn again."""
    if not ctx.triggered or not ctx.triggered[0]["value"]:  # a button just drawn
        return dash.no_update, dash.no_update
    action = "stop" if ctx.triggered_id == "experiment-stop" else ctx.triggered_id.get("action")
    if action not in ("stop", "resume", "followed", "missed"):
        return dash.no_update, dash.no_update
    with open_store() as store:
        day = today(store)
        try:
            if action == "stop":
                ev = experiments.stop(store, day)
                message = f"Stopped experiment {ev.experiment.id}."
            elif action == "resume":
                ev = experiments.resume(store, day)
                message = "Resumed: " + today_line(ev)
            else:
                experiments.log(store, day, action == "followed", day)
                message = f"Noted: {action} today ({day})."
        except ExperimentError as exc:
            return dash.no_update, f"Not done: {exc}"
        return page_body(store, day), message


def register() -> None:
    dash.register_page(__name__, path="/experiment", name="Experiment", title="Experiment",
                       layout=layout)
