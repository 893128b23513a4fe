"""The Dash web app: ``create_app(data_dir)`` builds it, ``serve`` runs it."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import dash
from dash import Dash, Input, Output, dcc, html
from flask import Flask, g

from dashboard import chunked_upload, preferences
from dashboard.components import attrs
from dashboard.data import DATA_DIR_KEY, POOL_KEY, TODAY_KEY, StorePool, open_store
from dashboard.pages import (
    activities,
    activity,
    bodywork,
    experiment,
    export,
    factors,
    form,
    gear,
    load,
    methods,
    pain,
    recovery,
    settings,
    today,
    upload,
)
from dashboard.pages.upload import MAX_UPLOAD_BYTES
from dashboard.security import pages as security_pages
from dashboard.security import web
from dashboard.server import make_server, urls
from dashboard.watch_notice import notice
from dashboard.watching import start_watcher
from ingest import access

#: Navigation: (label, path) in menu order.
NAV = (
    ("Today", "/"),
    ("Load", "/load"),
    ("Form", "/form"),
    ("Pain", "/pain"),
    ("Factors", "/factors"),
    ("Experiment", "/experiment"),
    ("Recovery", "/recovery"),
    ("Body work", "/bodywork"),
    ("Activities", "/activities"),
    ("Gear", "/gear"),
    ("Upload", "/upload"),
    ("Export", "/export"),
    ("Settings", "/settings"),
    ("Methods", "/methods"),
)
_log = logging.getLogger(__name__)
PAGES = (today, load, form, pain, factors, experiment, recovery, bodywork, activities, activity,
         gear, upload, export, settings, methods)
#: The page around the app: the language of the text for screen readers and hyphenation.
INDEX = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


def _take_page_callbacks() -> tuple[dict, list, list]:
    """The callbacks the page modules declared with ``dash.callback`` (and clientside scripts),
    taken out of Dash's module-level registry.

    Dash moves that registry into the first app that serves a request, so a second app in the
    same process (tests, benchmarks) would get none; :func:`create_app` gives every app its
    own copy instead.
    """
    from dash import _callback

    taken = (dict(_callback.GLOBAL_CALLBACK_MAP), list(_callback.GLOBAL_CALLBACK_LIST),
             list(_callback.GLOBAL_INLINE_SCRIPTS))
    _callback.GLOBAL_CALLBACK_MAP.clear()
    _callback.GLOBAL_CALLBACK_LIST.clear()
    _callback.GLOBAL_INLINE_SCRIPTS.clear()
    return taken


_PAGE_CALLBACKS = _take_page_callbacks()


def _navigation() -> html.Nav:
    links = [dcc.Link(label, href=path, className="nav-link") for label, path in NAV]
    return html.Nav([html.Span("strideload", className="brand"), *links,
                     security_pages.signout_control()], className="nav",
                    **attrs({"aria-label": "Pages"}))


def _layout() -> html.Div:
    """The frame of every page (built per request: the sign-out button shows when signed in)."""
    return html.Div(
        [html.A("Skip to main content", href="#main", className="skip-link"), _navigation(),
         notice(), dcc.Location(id="app-url"),
         html.Div(id="stored-value-warnings", role="status"),
         html.Main(dash.page_container, id="main", className="page", tabIndex="-1"),
         dcc.Store(id="data-version", storage_type="session", data=0)],
        className="app",
    )


def create_app(data_dir: str | os.PathLike, today: dt.date | None = None,
               host: str = "127.0.0.1") -> Dash:
    """Build the app on a data directory, to be served on ``host``; ``today`` pins the date
    (the demo history).

    Opens the store here, once: a store that cannot be opened fails now, not on a page.
    """
    pool = StorePool(data_dir)
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        title="strideload",
        suppress_callback_exceptions=True,
        assets_folder=str(Path(__file__).parent / "assets"),
        index_string=INDEX,
    )
    app.server.config[DATA_DIR_KEY] = os.fspath(data_dir)
    app.server.extensions[POOL_KEY] = pool
    _Requests(app.server)
    app.server.config[TODAY_KEY] = today.isoformat() if today else None
    # base64 in the upload request inflates files by 4/3
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD_BYTES * 4 // 3 + 1024 * 1024
    callbacks, callback_list, scripts = _PAGE_CALLBACKS
    app.callback_map.update({key: dict(value) for key, value in callbacks.items()})
    app._callback_list.extend(dict(entry) for entry in callback_list)
    app._inline_scripts.extend(scripts)
    for page in PAGES:
        page.register()
    # on this app, not dash's global list (which the first app served takes for itself)
    app.callback(Output("stored-value-warnings", "children"),
                 Input("app-url", "pathname"))(stored_value_notice)
    chunked_upload.register(app.server)
    app.layout = _layout
    web.install(app, host)
    return app


def stored_value_notice(_path: str | None) -> html.Div | None:
    """A notice above every page naming stored settings that were ignored (written by an older
    version or edited by hand); their defaults are used until they are saved again."""
    with open_store() as store:
        lines = preferences.stored_value_warnings(store)
    if not lines:
        return None
    return html.Div([
        html.Strong("Some stored settings were ignored and their defaults are used:"),
        html.Ul([html.Li(line) for line in lines]),
        html.Span(["Saving the ", dcc.Link("Settings", href="/settings"),
                   " page stores valid values again."]),
    ], className="warnings")


class _Requests:
    """The requests the server is answering: the background warm-up waits until none has
    been answered for :attr:`QUIET_S` (a page being opened sends several in a row)."""

    KEY = "strideload.requests"
    #: Seconds without a request before the warm-up renders its next page.
    QUIET_S = 1.0

    def __init__(self, server: Flask) -> None:
        self.active = 0
        self.last = time.monotonic()
        self.idle = threading.Condition()
        server.before_request(self.begin)
        server.teardown_request(self.end)
        server.extensions[self.KEY] = self

    def begin(self) -> None:
        g.counted = True
        with self.idle:
            self.active += 1

    def end(self, _error: BaseException | None = None) -> None:
        if g.pop("counted", False):  # not a context without a request (the warm-up's)
            with self.idle:
                self.active -= 1
                self.last = time.monotonic()
                self.idle.notify_all()

    def wait_quiet(self) -> None:
        with self.idle:
            while True:
                self.idle.wait_for(lambda: self.active == 0)
                left = self.last + self.QUIET_S - time.monotonic()
                if left <= 0:
                    return
                self.idle.wait(left)


def warm_up(app: Dash) -> threading.Thread:
    """Render Today (here: what the first page a runner opens needs), then every other page
    once in the background (the reports, the pain association, plotly's first use), so pages
    open quickly. Before each page the background warm-up waits for a quiet second without
    requests: a page being opened does not share the processor with pages nobody asked for
    (what both need is computed once: :func:`dashboard.service._cached`)."""
    requests: _Requests = app.server.extensions[_Requests.KEY]
    with app.server.test_request_context():
        try:
            today.layout()
        except Exception:  # the page says what went wrong when it is opened; serve anyway
            _log.exception("preparing Today failed")
    requests.last = time.monotonic()  # the first page is opened right after start-up

    def work() -> None:
        with app.server.test_request_context():
            for page in PAGES:
                if page not in (today, activity):
                    requests.wait_quiet()
                    page.layout()
            requests.wait_quiet()
            pain.fill_association("pain-association-box")
            requests.wait_quiet()
            factors.fill_factors("factors-box")

    thread = threading.Thread(target=work, name="strideload-warm-up", daemon=True)
    thread.start()
    return thread


def serve(data_dir: str | os.PathLike, host: str = "127.0.0.1", port: int = 8050,
          today: dt.date | None = None, cert: str | None = None, key: str | None = None,
          announce: Callable[[list[str]], None] = print) -> None:
    """Serve the app until Ctrl+C (waitress; cheroot over HTTPS with ``cert`` and ``key``).

    ``announce`` gets the addresses to open once the server listens (see
    :func:`dashboard.server.urls`); the first is remembered in the store for share links.
    """
    app = create_app(data_dir, today, host)
    server = make_server(app.server, host, port, app.server.config["MAX_CONTENT_LENGTH"],
                         cert, key)
    addresses = urls(host, server.port, server.scheme)
    with app.server.extensions[POOL_KEY].borrow() as store:
        access.set_served_at(store, addresses[0])
    warm_up(app)  # Today ready before its address is given (about 0.4 s on 10 years)
    announce(addresses)
    start_watcher(app)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
