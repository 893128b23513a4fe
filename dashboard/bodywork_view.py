"""The quick body-work log (Today and Body work pages) and the body-work list.

Made for a phone: tap the exercises, type the minutes, save. Component ids are pattern-matching
dicts ``{"type": ..., "page": PAGE}`` so the same form (and one callback) serves both pages.
"""

from __future__ import annotations

import datetime as dt

from dash import MATCH, Input, Output, State, callback, dcc, html
from dash.dependencies import Wildcard

from dashboard.data import open_store, today
from dashboard.levers import exercise_text
from ingest.bodywork import CATEGORIES, EXERCISES, BodyworkError, parse_exercise
from ingest.bodywork_store import add_session


def _id(kind: str, page: str | Wildcard) -> dict[str, str | Wildcard]:
    return {"type": f"bodywork-{kind}", "page": page}


def bodywork_form(page: str, day: dt.date) -> html.Div:
    """Date, exercise chips, other exercises, minutes, category, note and a Save button."""
    return html.Div([
        html.H2("Log body work"),
        html.Label(["Day", dcc.Input(id=_id("date", page), type="date", value=day.isoformat(),  # type: ignore[arg-type]  # dash types omit "date"
                                     max=day.isoformat())], className="field"),
        html.Fieldset([
            html.Legend("Exercises (tap all you did)"),
            dcc.Checklist(id=_id("exercises", page), value=[], className="chips",
                          options=[{"label": name, "value": name} for name in EXERCISES],
                          inputClassName="chip-input"),
        ], className="fieldset"),
        html.Label(["Other exercises (comma separated; NAME:SETSxREPS or NAME:MIN works)",
                    dcc.Input(id=_id("other", page), type="text", value="",
                              placeholder="e.g. hip airplanes:2x8")], className="field"),
        html.Div([
            html.Label(["Minutes", dcc.Input(id=_id("minutes", page), type="number", min=1,
                                             max=600, step=1, inputMode="numeric",
                                             className="input-short")], className="field"),
            html.Fieldset([
                html.Legend("Category"),
                dcc.RadioItems(id=_id("category", page), value="auto", className="chips",
                               options=[{"label": "from exercises", "value": "auto"},
                                        *CATEGORIES]),
            ], className="fieldset"),
        ], className="form"),
        html.Label(["Note", dcc.Input(id=_id("note", page), type="text", value="",
                                      placeholder="optional")], className="field"),
        html.Div([
            html.Button("Save body work", id=_id("save", page), n_clicks=0, className="button"),
            html.Span(id=_id("message", page), className="muted", role="status"),
        ], className="form"),
    ], className="card no-print bodywork-form", id=f"log-bodywork-{page}")


def save_bodywork(day: str | None, chosen: list[str], other: str, minutes: float | None,
                  category: str, note: str) -> str:
    """Store one session from the form; returns the message shown (saved or why not)."""
    try:
        specs = [*chosen, *(part for part in (other or "").split(",") if part.strip())]
        if not specs and not minutes:
            raise BodyworkError("tap an exercise or enter the minutes")
        when = dt.date.fromisoformat(day or "")
        fixed = None if category == "auto" else category
        exercises = [parse_exercise(spec, fixed or "strength") for spec in specs]
        with open_store() as store:
            if when > today(store):
                raise BodyworkError(f"{when} is in the future")
            session_id = add_session(store, when, exercises, minutes, note or "", fixed)
            row = store.db.execute("SELECT category, minutes FROM bodywork WHERE id = ?",
                                   (session_id,)).fetchone()
    except ValueError as exc:  # BodyworkError, or a date the browser sent malformed
        return f"Not saved: {exc}"
    names = ", ".join(exercise_text(e.as_dict()) for e in exercises)
    return (f"Saved {when}: {row['category']}, {row['minutes']:g} min"
            + (f" ({names})." if names else "."))


@callback(
    Output(_id("message", MATCH), "children"),
    Output(_id("exercises", MATCH), "value"),
    Input(_id("save", MATCH), "n_clicks"),
    State(_id("date", MATCH), "value"),
    State(_id("exercises", MATCH), "value"),
    State(_id("other", MATCH), "value"),
    State(_id("minutes", MATCH), "value"),
    State(_id("category", MATCH), "value"),
    State(_id("note", MATCH), "value"),
    prevent_initial_call=True,
)
def on_save(_clicks: int, day: str | None, chosen: list[str], other: str,
            minutes: float | None, category: str, note: str):
    message = save_bodywork(day, chosen or [], other, minutes, category, note)
    return message, [] if message.startswith("Saved") else chosen
