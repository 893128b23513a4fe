"""Every request passes here first: host check, sign-in, cross-site check; every response
leaves with the security headers.

* **Host**: served on a loopback address, only requests naming a loopback host are answered,
  so a web page whose domain resolves to 127.0.0.1 (DNS rebinding) cannot read the dashboard.
* **Sign-in**: with a password set, every path but the sign-in page, the app's own style
  sheets (``/assets/``) and share links (:mod:`dashboard.security.pages`) needs a session;
  pages redirect to the sign-in page, everything else (Dash's layout, callbacks, scripts)
  answers 401. Served on another address without a password, nothing is answered (503): the
  command line refuses to start that way, and this covers a password cleared while serving.
* **Cross-site requests**: a POST (every Dash callback, sign-in, sign-out) must come from a
  page of this site: ``Sec-Fetch-Site`` and ``Origin``, when the browser sends them, must name
  this origin, and the request must carry the page's token - in the ``X-CSRFToken`` header,
  which Dash's renderer copies from the ``_csrf_token`` cookie into every request, or in a
  form field ``csrf``. The token is the session's (signed in) or the browser's own cookie
  (double-submit, without a password).
* **Headers**: a Content-Security-Policy that allows the app's own scripts and the inline
  scripts Dash itself writes (their hashes, :meth:`dash.Dash.csp_hashes`), nothing from other
  sites, no framing; ``nosniff``; the referrer only within the site (share pages send none:
  their URL is their token); responses with data are not stored by the browser's cache.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from dash import Dash
from flask import Response, current_app, g, jsonify, redirect, request
from werkzeug.wrappers import Response as BaseResponse

from dashboard.data import open_store
from dashboard.security.passwords import stamp
from dashboard.security.sessions import Session, Sessions, Throttle, new_token
from dashboard.server import host_name, is_loopback
from ingest import access

GUARD_KEY = "strideload_guard"  # in the Flask app's ``extensions``
SESSION_COOKIE = "strideload_session"
CSRF_COOKIE = "_csrf_token"  # the cookie Dash's renderer reads (its csrf_token_name)
CSRF_HEADER = "X-CSRFToken"  # the header it sends the cookie's value in
CSRF_FIELD = "csrf"  # the same token in a plain HTML form
SIGNIN_PATH = "/signin"
SIGNOUT_PATH = "/signout"
SHARE_PREFIX = "/share/"
#: Paths anyone may open: the app's style sheets and share links (which check their token).
PUBLIC = re.compile(r"/assets/.+|/share/[A-Za-z0-9_-]+")
#: Static files the browser may cache (versioned by Dash, or the app's own style sheet).
CACHEABLE_PREFIXES = ("/assets/", "/_dash-component-suites/")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # not no-referrer: with it browsers send "Origin: null" on form posts
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
#: The policy of the app's pages; {scripts}: hashes of the inline scripts Dash writes.
#: Styles: Dash, its tables and plotly set style attributes and write style elements, so
#: inline styles are allowed (they cannot run code); scripts are not.
APP_CSP = ("default-src 'self'; script-src 'self' {scripts}; "
           "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
           "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


@dataclass
class Guard:
    """The guard's state in one server process."""

    dash_app: Dash
    loopback: bool  # served on a loopback address only
    sessions: Sessions = field(default_factory=Sessions)
    throttle: Throttle = field(default_factory=Throttle)


def guard() -> Guard:
    return current_app.extensions[GUARD_KEY]


def refuse(status: int, message: str) -> Response:
    """A refusal with a one-line reason (JSON for scripts, read by people too)."""
    response = jsonify(error=message)
    response.status_code = status
    return response


def stored_password() -> str | None:
    with open_store() as store:
        return access.password_hash(store)


def current_session() -> Session | None:
    return g.get("session")


def _same_origin() -> bool:
    """Whether the browser says the request comes from this site (true when it says nothing:
    a program, not a page; it still needs the token)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site != "same-origin":
        return False
    origin = request.headers.get("Origin")
    return origin is None or origin == f"{request.scheme}://{request.host}"


def _token_matches(expected: str) -> bool:
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.mimetype == "application/x-www-form-urlencoded":
        given = request.form.get(CSRF_FIELD)
    return bool(expected and given and hmac.compare_digest(given, expected))


def _wants_page() -> bool:
    return (request.method == "GET" and not request.path.startswith("/_")
            and "text/html" in request.headers.get("Accept", ""))


def check_request() -> BaseResponse | None:
    """The before-request hook (see the module docstring); None lets the request through."""
    state = guard()
    if state.loopback and not is_loopback(host_name(request.host)):
        return refuse(400, f"unknown host {request.host!r}: open the dashboard at "
                           "http://127.0.0.1 on this computer")
    if PUBLIC.fullmatch(request.path) and request.method in SAFE_METHODS:
        return None
    stored = stored_password()
    if stored is None and not state.loopback:
        return refuse(503, "no password is set: run `strideload password set`, then reload")
    session = state.sessions.get(request.cookies.get(SESSION_COOKIE), stamp(stored)) \
        if stored else None
    g.session = session
    cookie = request.cookies.get(CSRF_COOKIE, "")
    g.csrf_token = session.csrf if session else (
        cookie if _TOKEN.fullmatch(cookie) else new_token())
    if stored is not None and session is None and request.path != SIGNIN_PATH:
        if _wants_page():
            return redirect(f"{SIGNIN_PATH}?next={quote(request.full_path.rstrip('?'))}", 303)
        return refuse(401, "sign in first")
    if request.method not in SAFE_METHODS and not (
            _same_origin() and _token_matches(session.csrf if session else cookie)):
        return refuse(403, "refused: the request did not come from a page of this dashboard "
                           "(wrong origin or missing token); reload the page and try again")
    return None


def add_headers(response: Response) -> Response:
    """The after-request hook: security headers, no caching of data, the page's token."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        scripts = " ".join(guard().dash_app.csp_hashes())
        response.headers.setdefault("Content-Security-Policy", APP_CSP.format(scripts=scripts))
    if not request.path.startswith(CACHEABLE_PREFIXES):
        response.headers["Cache-Control"] = "no-store"
    token = g.get("csrf_token")
    if token and request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, secure=request.is_secure, httponly=False,
                            samesite="Strict")
    return response
