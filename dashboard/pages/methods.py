"""Methods: docs/methods.md rendered, searchable, with the runner's settings beside the defaults.

Each section keeps its anchor (``/methods#section-9``, ``#section-11-4``), so reasons and other
pages can link to the section that explains a number (:func:`dashboard.methods_view.href`).
"""

from __future__ import annotations

import dash
from dash import ALL, ClientsideFunction, Input, Output, callback, clientside_callback, dcc, html

import docs
from dashboard import preferences
from dashboard.a11y.tables import html_table
from dashboard.components import attrs
from dashboard.data import open_store
from dashboard.methods_view import (
    changed_settings,
    href,
    matches,
    rules_table,
    search_status,
    settings_table,
)
from docs.sections import Part, parts

HEADINGS = {2: html.H2, 3: html.H3}


def _part_id(part: Part) -> dict[str, str]:
    return {"type": "methods-part", "index": part.anchor}


def _piece(kind: str, value: str, values) -> html.Div | dcc.Markdown:
    if kind == "settings":
        return html_table(settings_table(value, values), class_name="data-table methods-table")
    if kind == "rules":
        return html_table(rules_table(), class_name="data-table methods-table")
    return dcc.Markdown(value, className="methods-text")


def _section(part: Part, values) -> html.Div:
    heading = HEADINGS[part.level](f"{part.number}. {part.title}" if part.level == 2
                                  else f"{part.number} {part.title}")
    return html.Div(html.Section([heading, *(_piece(k, v, values) for k, v in part.pieces)],
                                 id=part.anchor, className="methods-section"),
                    id=_part_id(part))


def yours(values) -> html.Div | html.P:
    """The runner's settings that differ from the defaults, each linked to its section."""
    changed = changed_settings(values)
    if not changed:
        return html.P("You use the default of every setting (change them on the Settings "
                      "page).", id="methods-yours", className="muted")
    return html.Div([
        html.P("Your settings that differ from the defaults:"),
        html.Ul([html.Li([html.Code(c["name"]), f" = {c['value']} (default {c['default']}) - ",
                          html.A(f"section {c['section']}", href=href(c["section"]))])
                 for c in changed]),
    ], id="methods-yours")


def layout(**_: object) -> html.Div:
    with open_store() as store:
        values = preferences.load_settings(store)
    intro, *sections = parts(docs.read("methods.md"))
    contents = [html.Li(html.A(f"{p.number}. {p.title}", href=f"#{p.anchor}"))
                for p in sections if p.level == 2]
    return html.Div([
        html.H1("Methods"),
        dcc.Markdown(intro.markdown(), className="methods-text"),
        html.Div([
            html.Label("Find a metric, setting or source", htmlFor="methods-search"),
            dcc.Input(id="methods-search", type="search", debounce=0.3,
                      placeholder="e.g. monotony, ACWR, Frandsen", autoComplete="off"),
            html.P(id="methods-search-status", role="status", className="muted small"),
        ], className="field"),
        yours(values),
        html.Nav(html.Ol(contents, className="methods-contents"),
                 **attrs({"aria-label": "Sections"})),
        *(_section(p, values) for p in sections),
        dcc.Store(id="methods-scrolled"),
    ])


@callback(
    Output({"type": "methods-part", "index": ALL}, "hidden"),
    Output("methods-search-status", "children"),
    Input("methods-search", "value"),
)
def search(query: str | None) -> tuple[list[bool], str]:
    """Hide the sections that do not mention ``query``."""
    found = parts(docs.read("methods.md"))[1:]
    shown_parts = matches(found, query)
    return [not s for s in shown_parts], search_status(found, shown_parts, query)


# the page is drawn after the browser looked for the #section-N anchor: scroll to it now
clientside_callback(ClientsideFunction("methods", "scrollToAnchor"),
                    Output("methods-scrolled", "data"), Input("methods-search", "id"))


def register() -> None:
    dash.register_page(__name__, path="/methods", name="Methods", title="Methods",
                       layout=layout)
