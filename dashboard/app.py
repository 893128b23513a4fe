"""The Dash web app: ``create_app(data_dir)`` builds it, ``serve`` runs it."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import dash
from dash import Dash, Input, Output, dcc, html

from dashboard import service
from dashboard.data import DATA_DIR_KEY, TODAY_KEY, open_store
from dashboard.pages import (
    activities,
    activity,
    export,
    form,
    load,
    pain,
    settings,
    today,
    upload,
)
from dashboard.pages.upload import MAX_UPLOAD_BYTES

#: Navigation: (label, path) in menu order.
NAV = (
    ("Today", "/"),
    ("Load", "/load"),
    ("Form", "/form"),
    ("Pain", "/pain"),
    ("Activities", "/activities"),
    ("Upload", "/upload"),
    ("Export", "/export"),
    ("Settings", "/settings"),
)
PAGES = (today, load, form, pain, activities, activity, upload, export, settings)


def _navigation() -> html.Nav:
    links = [dcc.Link(label, href=path, className="nav-link") for label, path in NAV]
    return html.Nav([html.Span("strideload", className="brand"), *links], className="nav")


def create_app(data_dir: str | os.PathLike, today: dt.date | None = None) -> Dash:
    """Build the app on a data directory; ``today`` pins the date (the demo history)."""
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        title="strideload",
        suppress_callback_exceptions=True,
        assets_folder=str(Path(__file__).parent / "assets"),
    )
    app.server.config[DATA_DIR_KEY] = os.fspath(data_dir)
    app.server.config[TODAY_KEY] = today.isoformat() if today else None
    # base64 in the upload request inflates files by 4/3
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD_BYTES * 4 // 3 + 1024 * 1024
    for page in PAGES:
        page.register()
    # on this app, not dash's global list (which the first app served takes for itself)
    app.callback(Output("stored-value-warnings", "children"),
                 Input("app-url", "pathname"))(stored_value_notice)
    app.layout = html.Div(
        [_navigation(), dcc.Location(id="app-url"),
         html.Div(id="stored-value-warnings", role="status"),
         html.Main(dash.page_container, className="page"),
         dcc.Store(id="data-version", storage_type="session", data=0)],
        className="app",
    )
    return app


def stored_value_notice(_path: str | None) -> html.Div | None:
    """A notice above every page naming stored settings that were ignored (written by an older
    version or edited by hand); their defaults are used until they are saved again."""
    with open_store() as store:
        lines = service.stored_value_warnings(store)
    if not lines:
        return None
    return html.Div([
        html.Strong("Some stored settings were ignored and their defaults are used:"),
        html.Ul([html.Li(line) for line in lines]),
        html.Span(["Saving the ", dcc.Link("Settings", href="/settings"),
                   " page stores valid values again."]),
    ], className="warnings")


def warm_up(app: Dash) -> threading.Thread:
    """Render every page once in the background (the report, the pain association, plotly's
    first use), so the first page a runner opens is quick."""
    def work() -> None:
        with app.server.test_request_context():
            for page in PAGES:
                if page is not activity:
                    page.layout()
            pain.fill_association("pain-association-box")

    thread = threading.Thread(target=work, name="strideload-warm-up", daemon=True)
    thread.start()
    return thread


def serve(data_dir: str | os.PathLike, host: str = "127.0.0.1", port: int = 8050,
          today: dt.date | None = None) -> None:
    """Run the app with Flask's server (single user, local)."""
    app = create_app(data_dir, today)
    warm_up(app)
    app.run(host=host, port=port, debug=False)
