"""Putting the guard and its pages on the Dash app."""

from __future__ import annotations

from dash import Dash

from dashboard.security import guard, pages
from dashboard.server import is_loopback


def install(app: Dash, host: str) -> None:
    """Guard every request of ``app``, served on ``host``; add the sign-in and share pages."""
    server = app.server
    server.extensions[guard.GUARD_KEY] = guard.Guard(app, loopback=is_loopback(host))
    # first of all hooks: Dash's own run page layouts on the first request
    server.before_request_funcs.setdefault(None, []).insert(0, guard.check_request)
    server.after_request(guard.add_headers)
    pages.register(server)
