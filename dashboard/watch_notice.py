"""The notice shown on every page when the watcher imported something ("2 new runs imported
from your watch"), until the runner dismisses it.

The app layout holds it (:func:`notice`); while folders are watched, an interval asks the store
every :data:`POLL_MS` for watch passes not yet dismissed (no folder, no polling: the Settings
section turns it on). When new files arrived since the page was opened, the app's
``data-version`` goes up, so that pages showing stored data (Today) refresh.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard.data import open_store
from dashboard.import_text import notice_lines
from ingest.watch.state import (
    dismiss,
    latest_watch_import,
    unseen_watch_passes,
    watched_folders,
)

#: How often an open page asks for new arrivals [ms].
POLL_MS = 3000


def notice() -> html.Div:
    """The (hidden until needed) notice, its poll and its dismiss button."""
    return html.Div([
        html.Div(id="watch-notice-text"),
        html.Div([dcc.Link("Import history", href="/upload#import-history"),
                  html.Button("Dismiss", id="watch-notice-dismiss", n_clicks=0,
                              className="button")], className="form"),
        dcc.Interval(id="watch-notice-poll", interval=POLL_MS),
        dcc.Store(id="watch-notice-latest"),  # newest import seen by this page
    ], id="watch-notice", className="notice no-print", role="status", hidden=True)


@callback(
    Output("watch-notice-text", "children"),
    Output("watch-notice", "hidden"),
    Output("watch-notice-latest", "data"),
    Output("data-version", "data", allow_duplicate=True),
    Output("watch-notice-poll", "disabled"),
    Input("watch-notice-poll", "n_intervals"),
    Input("watch-notice-dismiss", "n_clicks"),
    State("watch-notice-latest", "data"),
    State("data-version", "data"),
    prevent_initial_call="initial_duplicate",
)
def refresh(_ticks: int | None, _clicks: int, seen: int | None, version: int | None):
    with open_store() as store:
        passes = unseen_watch_passes(store)
        if ctx.triggered_id == "watch-notice-dismiss" and passes:
            dismiss(store, passes[-1].id)
            passes = []
        latest = latest_watch_import(store)
        idle = not watched_folders(store)
    lines = notice_lines(passes)
    arrived = seen is not None and latest > seen
    return ([html.P(line) for line in lines], not lines, latest,
            (version or 0) + 1 if arrived else dash.no_update, idle)
