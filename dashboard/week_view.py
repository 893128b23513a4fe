"""Today's pieces in words: the reasons (with why-this-limit one click away), the week-ahead
strip and the plan entry form. Pure builders from the JSON of ``service.advice`` and
``dashboard.week``; the callbacks live in :mod:`dashboard.pages.today`."""

from __future__ import annotations

import datetime as dt

from dash import dcc, html

from analytics.suggestions import LABELS, NOT_A_DIAGNOSIS
from analytics.wording import km
from dashboard.components import attrs
from ingest.plans import PLAN_SPORTS

#: Reasons and tips shown before "more".
SHOWN_REASONS = 3
SHOWN_TIPS = 2


def why_details(reasons: list[dict], summary: str = "Why these limits") -> html.Details | None:
    """Each reason's limit, source, population and grade, with a link to its methods section,
    behind one disclosure."""
    if not reasons:
        return None
    return html.Details([
        html.Summary(summary),
        html.Ul([html.Li([html.Span(r["why"] + " "),
                          html.A(f"Methods, section {r['section']}",
                                 href=f"/methods#section-{r['section']}")])
                 for r in reasons]),
    ], className="why")


def _more(items: list, shown: int, label: str) -> list:
    """The first ``shown`` items, the rest behind a disclosure."""
    out = [html.Li(item) for item in items[:shown]]
    if len(items) > shown:
        out.append(html.Li(html.Details([html.Summary(f"{label} ({len(items) - shown})"),
                                         html.Ul([html.Li(i) for i in items[shown:]])],
                                        className="why")))
    return out


def reasons_block(advice: dict) -> list:
    """Reasons (at most three, the rest one click away), what to do, why these limits and one
    "not a diagnosis" footer."""
    texts = [r["text"] for r in advice["reasons"]]
    return [
        html.H2("Why"),
        html.Ul(_more(texts, SHOWN_REASONS, "More reasons"), id="today-reasons",
                className="reasons"),
        html.Div([html.H2("What to do"),
                  html.Ul(_more(list(advice["tips"]), SHOWN_TIPS, "More tips"),
                          id="today-tips")]) if advice["tips"] else None,
        why_details(advice["reasons"]),
        html.P(NOT_A_DIAGNOSIS, className="muted small"),
    ]


def _day(day: dict) -> html.Li:
    date = dt.date.fromisoformat(day["date"])
    planned = "; ".join(p["text"] for p in day["planned"]) or "Nothing planned"
    flagged = day["suggestion"] != "train"
    return html.Li([
        html.Div([html.Strong(f"{date:%a %d %b}"), html.Span(planned, className="week-plan")],
                 className="week-head"),
        html.Span(LABELS[day["suggestion"]],
                  className=f"week-suggestion suggestion-{day['suggestion']}"),
        html.Ul([html.Li(change) for change in day["changes"]], className="week-changes")
        if day["changes"] else None,
        html.P(f"A run up to {km(day['max_run_m'])} stays within the long-run limit.",
               className="muted small") if day["max_run_m"] and not day["planned"] else None,
        html.Details([html.Summary(f"Why {LABELS[day['suggestion']].lower()}"),
                      html.Ul([html.Li(r["text"]) for r in day["reasons"]]),
                      why_details(day["reasons"], "Why these limits")], className="why")
        if flagged else None,
    ], className="week-day", **{"data-date": day["date"], "data-suggestion": day["suggestion"]})


def week_summary(week: list[dict], limits: dict) -> str:
    """One sentence: the running planned against the weekly limit, or the limits for the
    week when nothing is planned."""
    allowed = limits.get("max_distance_m")
    rule = (f"{limits['change_pct']:g} % more than the {km(limits['before_m'])} of the 7 "
            "days before")
    planned = sum(p["distance_m"] or 0 for d in week for p in d["planned"]
                  if p["sport"] == "running")
    if not any(d["planned"] for d in week):
        if allowed is None:
            return ("Nothing planned yet. You did not run in the last 7 days, so there is no "
                    "weekly distance to compare with: build up gently.")
        return (f"Nothing planned yet. Over these 7 days, up to {km(allowed)} of running stays "
                f"within the weekly limit ({rule}); each day shows its longest run.")
    if allowed is None:
        return f"Planned running: {km(planned)}."
    return f"Planned running: {km(planned)} of at most {km(allowed)} ({rule})."


def week_strip(week: list[dict], limits: dict) -> html.Div:
    """The next 7 days: each day's plan, the rules' suggestion with it and what to change."""
    if not week:
        return html.Div()
    return html.Div([
        html.H2("The week ahead"),
        html.P(week_summary(week, limits), id="today-week-summary"),
        html.Ol([_day(day) for day in week], className="week-strip", id="today-week-days"),
        html.P("Each day assumes your back stays as it is today; the load of a planned "
               "session is estimated from its duration.", className="muted small"),
    ])


def plan_list(plans: list[dict]) -> html.Ul | html.P:
    """The planned sessions, each with a Delete button."""
    if not plans:
        return html.P("No sessions planned.", className="muted")
    return html.Ul([html.Li([
        html.Span(f"{dt.date.fromisoformat(p['date']):%a %d %b}: {p['text']}"),
        html.Button("Delete", id={"type": "today-plan-delete", "index": p["id"]}, n_clicks=0,
                    className="button button-danger",
                    **attrs({"aria-label": f"Delete {p['text']} on {p['date']}"})),
    ], className="plan-item") for p in plans], className="plan-list")


def plan_form(day: dt.date, plans: list[dict]) -> html.Div:
    """Date, sport, distance or minutes and an Add button; the plans with Delete buttons."""
    return html.Div([
        html.H2("Plan a session"),
        html.Div([
            html.Label(["Day", dcc.Input(id="today-plan-date", type="date",  # type: ignore[arg-type]  # dash types omit "date"
                                         value=(day + dt.timedelta(days=1)).isoformat(),
                                         min=day.isoformat())], className="field"),
            html.Label(["Distance (km)", dcc.Input(id="today-plan-distance", type="number",
                                                   min=0.1, max=300, step=0.1,
                                                   inputMode="decimal",  # type: ignore[arg-type]  # dash types omit "decimal"
                                                   className="input-short")],
                       className="field"),
            html.Label(["or minutes", dcc.Input(id="today-plan-minutes", type="number", min=1,
                                                max=1440, step=1, inputMode="numeric",
                                                className="input-short")], className="field"),
        ], className="form"),
        html.Fieldset([
            html.Legend("Sport"),
            dcc.RadioItems(id="today-plan-sport", value="running", className="chips",
                           options=[{"label": s, "value": s} for s in PLAN_SPORTS],
                           inputClassName="chip-input"),
        ], className="fieldset"),
        html.Div([
            html.Button("Add to plan", id="today-plan-add", n_clicks=0, className="button"),
            html.Span(id="today-plan-message", className="muted", role="status"),
        ], className="form"),
        html.Div(plan_list(plans), id="today-plan-list"),
    ], className="card no-print", id="today-plan")
