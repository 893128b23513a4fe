"""Read-only links for a physiotherapist: make one, and its URL on the dashboard's address.

A link is ``<dashboard>/share/<token>`` with a random 256-bit token; it opens the report of
:mod:`dashboard.physio_report` and nothing else, until it expires or is revoked (see
:mod:`ingest.access`). Light: the command line imports it.
"""

from __future__ import annotations

import datetime as dt

from dashboard.security.sessions import new_token
from ingest import access
from ingest.store import Store

DEFAULT_DAYS = 14
#: Longest a link may work [days].
MAX_DAYS = 365
#: Where links point when the dashboard has never been served from this store.
DEFAULT_BASE_URL = "http://127.0.0.1:8050"


def create_share(store: Store, days: int = DEFAULT_DAYS, now: dt.datetime | None = None
                 ) -> tuple[access.Share, str]:
    """A new link working for ``days`` days (1 to :data:`MAX_DAYS`); returns it and its
    token (shown once: only the token's digest is stored)."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be a whole number from 1 to {MAX_DAYS}, got {days}")
    now = now or dt.datetime.now(dt.UTC)
    token = new_token()
    return access.add_share(store, token, now, now + dt.timedelta(days=days)), token


def share_url(base_url: str, token: str) -> str:
    """The link: ``base_url`` (scheme, host and port of the dashboard) + /share/token."""
    return f"{base_url.rstrip('/')}/share/{token}"
