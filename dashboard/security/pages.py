"""The pages outside Dash: sign-in, sign-out, the physiotherapist's report and share links.

``/signin`` (GET: the form, POST: check the password), ``/signout`` (POST), ``/report`` (the
report for the signed-in runner, :func:`dashboard.physio_report.physio_report_html`) and
``/share/<token>`` (the same report for whoever has an active link, without a session: the
page has no script and no link, and the token opens nothing else). Plain HTML; the sign-in page
uses the app's style sheet.
"""

from __future__ import annotations

import datetime as dt
import math
from html import escape
from urllib.parse import urlsplit

from dash import dcc, html
from flask import Flask, Response, g, has_request_context, make_response, redirect, request
from werkzeug.wrappers import Response as BaseResponse

from dashboard.data import open_store, today
from dashboard.physio_report import REPORT_CSP, physio_report_html
from dashboard.security.guard import (
    CSRF_FIELD,
    SESSION_COOKIE,
    SHARE_PREFIX,
    SIGNIN_PATH,
    SIGNOUT_PATH,
    current_session,
    guard,
    stored_password,
)
from dashboard.security.passwords import stamp, verify_password
from dashboard.security.sessions import LIFETIME_S, new_token
from ingest import access

REPORT_PATH = "/report"


def _page(title: str, body: str, status: int = 200) -> Response:
    document = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{escape(title)} - strideload</title>'
        '<link rel="stylesheet" href="/assets/style.css"></head>'
        f'<body><main class="page signin">{body}</main></body></html>')
    return make_response(document, status)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


def signin_form(message: str = "", status: int = 200) -> Response:
    alert = f'<p role="alert" class="signin-error">{escape(message)}</p>' if message else ""
    body = (
        "<h1>strideload</h1><p>Sign in to see your training and pain data.</p>"
        f'{alert}<form method="post" action="{SIGNIN_PATH}" class="signin-form">'
        '<label for="password">Password</label>'
        '<input id="password" name="password" type="password" autocomplete="current-password"'
        ' required autofocus>'
        f'<input type="hidden" name="next" value="{escape(safe_next(request.values.get("next")))}">'
        f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(g.csrf_token)}">'
        '<button type="submit" class="button">Sign in</button></form>'
        '<p class="muted small">Forgot it? On the computer that runs strideload: '
        "<code>strideload password set</code>.</p>")
    return _page("Sign in", body, status)


def signin() -> BaseResponse:
    stored = stored_password()
    if stored is None or current_session() is not None:
        return redirect(safe_next(request.values.get("next")), 303)
    if request.method == "GET":
        return signin_form()
    state, address = guard(), request.remote_addr or "?"
    wait = state.throttle.wait_s(address)
    if wait > 0:
        refused = signin_form(f"Too many wrong passwords: try again in {math.ceil(wait)} s.",
                              429)
        refused.headers["Retry-After"] = str(math.ceil(wait))
        return refused
    if not verify_password(request.form.get("password", ""), stored):
        state.throttle.failed(address)
        return signin_form("Wrong password.", 401)
    state.throttle.succeeded(address)
    session_id, session = state.sessions.start(stamp(stored))
    g.csrf_token = session.csrf
    response = redirect(safe_next(request.form.get("next")), 303)
    response.set_cookie(SESSION_COOKIE, session_id, max_age=LIFETIME_S, httponly=True,
                        secure=request.is_secure, samesite="Strict")
    return response


def signout() -> BaseResponse:
    guard().sessions.end(request.cookies.get(SESSION_COOKIE))
    g.csrf_token = new_token()
    response = redirect(SIGNIN_PATH, 303)
    response.delete_cookie(SESSION_COOKIE, httponly=True, secure=request.is_secure,
                           samesite="Strict")
    return response


def signout_control() -> html.Form | None:
    """The navigation's sign-out button (a form posting the session's token), when signed in."""
    session = current_session() if has_request_context() else None
    if session is None:
        return None
    return html.Form([
        dcc.Input(type="hidden", name=CSRF_FIELD, value=session.csrf, id="signout-token"),
        html.Button("Sign out", type="submit", id="signout", className="nav-link signout"),
    ], action=SIGNOUT_PATH, method="post", className="signout-form")


def _report(html_text: str, status: int = 200) -> Response:
    response = make_response(html_text, status)
    response.headers["Content-Security-Policy"] = REPORT_CSP
    response.headers["Referrer-Policy"] = "no-referrer"  # its URL may be a share token
    return response


def report() -> Response:
    with open_store() as store:
        return _report(physio_report_html(store, today(store)))


def shared_report(token: str) -> Response:
    with open_store() as store:
        share = access.share_for_token(store, token)
        if share is None or not share.active(dt.datetime.now(dt.UTC)):
            gone = "This link was revoked or has expired." if share else "No such link."
            return _report(f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                           f"<title>strideload</title></head><body><p>{gone} Ask the runner "
                           "for a new one.</p></body></html>", 410 if share else 404)
        footer = (f"Shared read-only by the runner with strideload; the link works until "
                  f"{share.expires:%d %B %Y %H:%M} UTC.")
        response = _report(physio_report_html(store, today(store), footer))
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def register(server: Flask) -> None:
    server.add_url_rule(SIGNIN_PATH, "strideload_signin", signin, methods=["GET", "POST"])
    server.add_url_rule(SIGNOUT_PATH, "strideload_signout", signout, methods=["POST"])
    server.add_url_rule(REPORT_PATH, "strideload_report", report)
    server.add_url_rule(f"{SHARE_PREFIX}<token>", "strideload_share", shared_report)
