"""Who may open the dashboard: the password hash, where it was last served, and share links.

Schema migration 9 adds two tables, kept apart from the training data (no revision triggers:
signing in or sharing changes no derived figure):

``access``: key -> value. ``password`` holds the password hash (an opaque string made and
checked by :mod:`dashboard.security.passwords`; never the password itself); ``served_at`` the
base URL the dashboard last served on (what ``strideload share create`` prints links on).

``shares``: one row per read-only link for a physiotherapist. Only the SHA-256 of the link's
secret token is stored, so a copy of the store cannot be turned back into working links. Times
are ISO 8601 in UTC with seconds (``2026-09-12T10:00:00+00:00``); ``revoked`` is the time the
link was revoked, NULL while it is not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest import scalars

if TYPE_CHECKING:  # ingest.store imports MIGRATION from here
    from ingest.store import Store

MIGRATION: list[str] = [
    "CREATE TABLE access (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE shares (id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "token_sha256 TEXT NOT NULL UNIQUE, created TEXT NOT NULL, expires TEXT NOT NULL, "
    "revoked TEXT)",
]
PASSWORD_KEY = "password"
SERVED_AT_KEY = "served_at"


@dataclass(frozen=True)
class Share:
    """One share link as stored (without its token)."""

    id: int
    created: dt.datetime
    expires: dt.datetime
    revoked: dt.datetime | None

    def as_dict(self) -> dict[str, object]:
        """The fields of ``strideload share list --format json``."""
        return {"id": self.id, "created": _text(self.created), "expires": _text(self.expires),
                "revoked": None if self.revoked is None else _text(self.revoked)}

    def active(self, now: dt.datetime) -> bool:
        return self.revoked is None and now < self.expires


def _text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _get(store: Store, key: str) -> str | None:
    row = store.db.execute("SELECT value FROM access WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _put(store: Store, key: str, value: str | None) -> None:
    if value is None:
        store.db.execute("DELETE FROM access WHERE key = ?", (key,))
    else:
        store.db.execute("INSERT INTO access (key, value) VALUES (?, ?) ON CONFLICT (key) "
                         "DO UPDATE SET value = excluded.value", (key, value))


def password_hash(store: Store) -> str | None:
    """The stored password hash, None when no password is set."""
    return _get(store, PASSWORD_KEY)


def set_password_hash(store: Store, value: str | None) -> None:
    """Store a password hash (None clears the password)."""
    _put(store, PASSWORD_KEY, value)


def served_at(store: Store) -> str | None:
    """The base URL the dashboard last served on (``https://192.168.1.20:8050``), if any."""
    return _get(store, SERVED_AT_KEY)


def set_served_at(store: Store, url: str) -> None:
    _put(store, SERVED_AT_KEY, url)


def token_digest(token: str) -> str:
    """What is stored of a share token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _share(row) -> Share:
    return Share(row["id"], dt.datetime.fromisoformat(row["created"]),
                 dt.datetime.fromisoformat(row["expires"]),
                 dt.datetime.fromisoformat(row["revoked"]) if row["revoked"] else None)


def add_share(store: Store, token: str, created: dt.datetime, expires: dt.datetime) -> Share:
    """Store a new share link for ``token`` (its digest only); returns it with its id."""
    cursor = store.db.execute(
        "INSERT INTO shares (token_sha256, created, expires) VALUES (?, ?, ?)",
        (token_digest(token), _text(created), _text(expires)))
    return Share(scalars.row_id(cursor), created, expires, None)


def shares(store: Store) -> list[Share]:
    """Every share link, oldest first."""
    return [_share(row) for row in store.db.execute("SELECT * FROM shares ORDER BY id")]


def share_for_token(store: Store, token: str) -> Share | None:
    """The share link of ``token`` (active or not), None for an unknown token."""
    row = store.db.execute("SELECT * FROM shares WHERE token_sha256 = ?",
                           (token_digest(token),)).fetchone()
    return _share(row) if row else None


def revoke_share(store: Store, share_id: int, now: dt.datetime) -> Share | None:
    """Revoke a link (again revoking keeps the first time); None when there is no such id."""
    store.db.execute("UPDATE shares SET revoked = ? WHERE id = ? AND revoked IS NULL",
                     (_text(now), share_id))
    row = store.db.execute("SELECT * FROM shares WHERE id = ?", (share_id,)).fetchone()
    return _share(row) if row else None
