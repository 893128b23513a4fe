"""Today: the suggestion in large type, its reasons with evidence, a quick pain entry, and the
recovery signals with a morning check-in."""

from __future__ import annotations

import datetime as dt

import dash
from dash import ALL, Input, Output, State, callback, ctx, dcc, html

from analytics.suggestions import HEADLINES
from analytics.week import plan_text
from analytics.wording import GRADE_WORDS
from dashboard import inputs, service, week, week_view
from dashboard.bodywork_view import bodywork_form
from dashboard.components import empty_state
from dashboard.data import display_units, open_store, today
from dashboard.inputs import BadInput, checklist
from dashboard.levers import shoe_notes
from dashboard.pages.experiment import today_card
from dashboard.recovery_panel import checkin_form, recovery_summary, today_statuses
from dashboard.units import Units
from dashboard.week_view import reasons_block
from ingest import plans as plan_store
from ingest.journal import AREAS, JournalError, make_entry


def red_flag_banner(advice: dict) -> html.Div | None:
    """The banner shown when a red flag (or an emergency sign) was logged."""
    if advice["suggestion"] != "see_professional":
        return None
    if advice["emergency"]:
        text = ("Chest pressure, breathlessness, cold sweats, pain spreading to the arm or jaw, "
                "or sudden tearing pain between the shoulder blades can be an emergency: call "
                "your local emergency number now. Do not run.")
    else:
        text = ("You logged a warning sign. Please stop running and have your back checked by "
                "a doctor or physiotherapist before training again.")
    return html.Div(text, id="today-red-flag", className="banner-danger", role="alert")


def _reason_items(reasons: list[dict]) -> list[html.Li]:
    return [
        html.Li([
            html.Span(reason["text"]),
            html.Span(f" {reason['grade']} - {GRADE_WORDS.get(reason['grade'], '')}",
                      className=f"grade grade-{reason['grade']}"),
        ])
        for reason in reasons
    ]


def week_card(store, day: dt.date) -> html.Div:
    """The week-ahead strip of the store on ``day``."""
    return week_view.week_strip(week.week_ahead(store, day), week.limits(store, day))


def advice_card(advice: dict, gear_notes: list[dict] | None = None) -> html.Div:
    """The headline, its reasons in words (limits, sources and grades one click away), notes
    on shoes (context reasons, ``Reason.as_dict()``) and what to do, from
    ``Advice.as_dict()``."""
    reasons = reasons_block(advice)
    return html.Div([
        red_flag_banner(advice),
        html.Div(HEADLINES[advice["suggestion"]], id="today-suggestion",
                 className=f"suggestion suggestion-{advice['suggestion']}",
                 **{"data-suggestion": advice["suggestion"]}),
        *reasons[:2],
        html.Div([html.H2("Shoes"), html.Ul(_reason_items(gear_notes), id="today-gear",
                                            className="reasons")]) if gear_notes else None,
        *reasons[2:],
    ])


def return_card(advice: dict, units: Units) -> html.Div | None:
    """Where the runner stands after a pain episode and the return plan week by week (from
    ``service.advice``); nothing outside an episode and its return."""
    status = advice.get("return_status") or {}
    if status.get("state") not in ("in_episode", "returning"):
        return None
    rows = [html.Tr([
        html.Td(f"{week['week']}" + (" (this week)" if i == 0 else "")),
        html.Td(f"{units.dist(week['max_distance_m']):.1f} {units.distance}"),
        html.Td(f"{units.dist(week['max_long_run_m']):.1f} {units.distance}"),
        html.Td(week["note"]),
    ], className="current" if i == 0 else None)
        for i, week in enumerate(advice.get("return_plan", []))]
    table = html.Div(html.Table([
        html.Thead(html.Tr([html.Th("Week back"), html.Th("Running, at most"),
                            html.Th("Longest run, at most"), html.Th("Why")])),
        html.Tbody(rows)], className="return-plan", id="today-return-plan"),
        className="table-scroll") if rows else None
    return html.Div([
        html.H3("After the pain episode"),
        html.P(status["text"], id="today-return-status"),
        table,
        html.P("A graded return: the first week at half of your level before the episode, then "
               "+10 % a week while pain stays at 2 or below; a day at 3 or more steps back a "
               "week, a rise of 2 points holds it (docs/methods.md section 11.5; Farrar 2001 "
               "for the 2 points) [H]. A plan, not a prescription.", className="muted small")
        if rows else None,
    ], className="card", id="today-return")


def _advice(store, day: dt.date) -> html.Div:
    units = display_units(store)
    notes = [note.as_dict() for note in shoe_notes(store, day, units)]
    advice = service.advice(store, day)
    return html.Div([advice_card(advice, notes), return_card(advice, units)])


def _advice_for_today() -> tuple[dt.date, html.Div | None, html.Div | None, html.Div,
                                 list[dict]]:
    with open_store() as store:
        day = today(store)
        experiment = today_card(store, day)
        plans = week.plan_rows(store, day)
        if not store.count() and store.pain().is_empty():
            return day, None, experiment, html.Div(), plans
        return day, _advice(store, day), experiment, week_card(store, day), plans


def pain_form(day: dt.date) -> html.Div:
    return html.Div([
        html.H2("How is your back today?"),
        html.Div([
            html.Label("Pain (0 = none, 10 = worst imaginable)", htmlFor="today-pain-level"),
            dcc.Slider(id="today-pain-level", min=0, max=10, step=1, value=0,
                       marks={i: str(i) for i in range(11)}),
            html.Label("Area", htmlFor="today-pain-area", className="visually-hidden"),
            dcc.Dropdown(id="today-pain-area", options=list(AREAS), value="upper-back",
                         clearable=False, style={"width": "14rem"}),
            dcc.Checklist(id="today-pain-during-run",
                          options=[{"label": " the pain came on during a run", "value": "yes"}],
                          value=[]),
            html.Button("Save", id="today-pain-save", n_clicks=0, className="button"),
            html.Span(id="today-pain-saved", className="muted", role="status"),
        ], className="form"),
        dcc.Store(id="today-date", data=day.isoformat()),
    ], className="card no-print")


def layout(**_: object) -> html.Div:
    day, advice, experiment, ahead, plans = _advice_for_today()
    if advice is None:
        body: html.Div = empty_state(
            "Nothing to go on yet",
            html.Div(["Upload your watch files on the ", dcc.Link("Upload", href="/upload"),
                      " page and log how your back feels below; the suggestion for today "
                      "appears here."]),
            "To see a full example first, run `strideload demo` in a terminal.",
        )
    else:
        body = advice
    return html.Div([
        html.H1(f"Today, {day:%A %d %B %Y}"),
        html.P(html.A("Log body work", href="#log-bodywork-today", className="link-block"),
               className="no-print"),
        html.Div(body, id="today-advice"),
        html.Div(ahead, id="today-week", className="card"),
        week_view.plan_form(day, plans),
        html.Div(experiment, id="today-experiment"),
        pain_form(day),
        html.Div([html.H2("Recovery"),
                  html.Div(recovery_summary(today_statuses(day)), id="today-recovery")],
                 className="card"),
        checkin_form(day),
        bodywork_form("today", day),
    ])


@callback(
    Output("today-advice", "children"),
    Output("today-pain-saved", "children"),
    Output("today-week", "children", allow_duplicate=True),
    Input("today-pain-save", "n_clicks"),
    State("today-pain-level", "value"),
    State("today-pain-area", "value"),
    State("today-pain-during-run", "value"),
    State("today-date", "data"),
    prevent_initial_call=True,
)
def save_pain(_clicks: int, level: int, area: str, during: list[str], day: str):
    with open_store() as store:
        try:
            entry = make_entry(day, level, area, checklist(during, "during a run"),
                               today=today(store))
        except (JournalError, BadInput) as exc:
            return dash.no_update, f"Not saved: {exc}", dash.no_update
        store.add_pain([entry])
        card = _advice(store, entry.date)
        ahead = week_card(store, entry.date)
    return card, f"Saved: {entry.area} {entry.level}/10.", ahead


@callback(
    Output("today-advice", "children", allow_duplicate=True),
    Output("today-recovery", "children", allow_duplicate=True),
    Output("today-week", "children", allow_duplicate=True),
    Input("data-version", "data"),
    State("today-date", "data"),
    prevent_initial_call=True,
)
def refresh(_version: int | None, day: str):
    """New data arrived (e.g. a run from the watch): the suggestion, recovery and the week
    ahead again."""
    on = dt.date.fromisoformat(day)
    with open_store() as store:
        card = _advice(store, on)
        ahead = week_card(store, on)
    return card, recovery_summary(today_statuses(on)), ahead


def _plan_outputs(store, day: dt.date, message: str) -> tuple:
    return week_card(store, day), week_view.plan_list(week.plan_rows(store, day)), message


@callback(
    Output("today-week", "children"),
    Output("today-plan-list", "children"),
    Output("today-plan-message", "children"),
    Input("today-plan-add", "n_clicks"),
    State("today-plan-date", "value"),
    State("today-plan-sport", "value"),
    State("today-plan-distance", "value"),
    State("today-plan-minutes", "value"),
    State("today-date", "data"),
    prevent_initial_call=True,
)
def add_plan(_clicks: int, date: str | None, sport: str | None, distance: float | None,
             minutes: float | None, day: str):
    """Store a planned session from the form (or say in one line why not)."""
    try:
        on = dt.date.fromisoformat(inputs.text(day, "page date"))
        if sport is None:
            raise plan_store.PlanError("choose a sport")
        plan = plan_store.make_plan(date or "", sport, distance, minutes, today=on)
    except (plan_store.PlanError, BadInput, ValueError) as exc:
        return dash.no_update, dash.no_update, f"Not saved: {exc}"
    with open_store() as store:
        plan_store.add(store, plan)
        return _plan_outputs(store, on, f"Added: {plan_text(plan.__dict__)} on "
                                        f"{plan.date:%A %d %B}.")


@callback(
    Output("today-week", "children", allow_duplicate=True),
    Output("today-plan-list", "children", allow_duplicate=True),
    Output("today-plan-message", "children", allow_duplicate=True),
    Input({"type": "today-plan-delete", "index": ALL}, "n_clicks"),
    State("today-date", "data"),
    prevent_initial_call=True,
)
def delete_plan(clicks: list[int], day: str):
    """Delete the planned session whose Delete button was pressed."""
    pressed = ctx.triggered_id
    index = pressed.get("index") if isinstance(pressed, dict) else None
    if not isinstance(index, int) or isinstance(index, bool) or not any(clicks or []):
        raise dash.exceptions.PreventUpdate
    try:
        on = dt.date.fromisoformat(inputs.text(day, "page date"))
    except (BadInput, ValueError) as exc:
        return dash.no_update, dash.no_update, f"Not deleted: {exc}"
    with open_store() as store:
        gone = plan_store.delete(store, index)
        return _plan_outputs(store, on, "Deleted." if gone else "Already deleted.")


def register() -> None:
    dash.register_page(__name__, path="/", name="Today", title="Today", layout=layout)
