"""Small layout pieces shared by pages (plain functions returning Dash components)."""

from __future__ import annotations

from typing import Any

from dash import dcc, html


def empty_state(title: str, *lines: str | html.Div, whole_page: bool = False) -> html.Div:
    """What a page shows before there is data: what it is for and what to do (``whole_page``:
    the title is the page's H1, else an H2 under the page's own H1)."""
    heading = html.H1 if whole_page else html.H2
    return html.Div([heading(title), *[html.P(line) for line in lines]], className="empty")


def no_activities(page: str) -> html.Div:
    return empty_state(
        f"No {page} yet",
        html.Div(["Upload the files from your watch or phone on the ",
                  dcc.Link("Upload", href="/upload"),
                  " page (FIT, GPX, TCX, or a whole Garmin, Strava or Apple Health export "
                  ".zip)."]),
        "Or try the sample history first: run `strideload demo` in a terminal.",
        whole_page=True,
    )


def stat(label: str, value: str) -> html.Div:
    """A big number with its label underneath."""
    return html.Div(
        [html.Div(value, className="stat-value"), html.Div(label, className="stat-label")],
        className="stat",
    )


def field(label: str, control) -> html.Div:
    """A label above a control with an id (a dropdown is not put inside its label: a click
    would reach it twice)."""
    return html.Div([html.Label(label, htmlFor=control.id), control], className="field")


def attrs(values: dict[str, object]) -> dict[str, Any]:
    """HTML attributes that Dash takes only as ``**`` arguments (``aria-*``, ``data-*``).

    Typed ``Any`` for the type checker: a hyphenated name never fills one of a component's
    typed keyword arguments.
    """
    return values
