"""Signed-in sessions and the throttle on failed sign-ins, kept in the server's memory.

A session is a random 256-bit id (the HttpOnly session cookie) with its own token against
cross-site requests (sent back by the page in a header, see :mod:`dashboard.security.guard`).
Sessions live in memory only: restarting the dashboard signs everyone out. A session ends on
sign-out, after :data:`IDLE_S` without a request, after :data:`LIFETIME_S` in all, and when the
password changes (it remembers the password's stamp).

The throttle counts failed sign-ins per client address: the first :data:`FREE_FAILURES` are
free, then each further attempt must wait twice as long as the one before (2 s, 4 s, 8 s ...,
at most :data:`MAX_WAIT_S`). With scrypt's half second per check, guessing an 8-character
password is out of reach. A successful sign-in clears the address's count.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

#: A session ends after this long without a request [s] (7 days).
IDLE_S = 7 * 24 * 3600
#: A session ends this long after sign-in whatever happens [s] (30 days).
LIFETIME_S = 30 * 24 * 3600
#: Failed sign-ins from one address before the throttle starts.
FREE_FAILURES = 5
#: Longest wait the throttle asks for [s].
MAX_WAIT_S = 15 * 60
#: An address's failures are forgotten this long after its last one [s].
FORGET_S = 3600


def new_token() -> str:
    """A random 256-bit token, URL-safe base64."""
    return secrets.token_urlsafe(32)


@dataclass
class Session:
    csrf: str
    stamp: str
    created: float
    seen: float


@dataclass
class Sessions:
    """The signed-in sessions of one server process (thread-safe)."""

    clock: Callable[[], float] = time.monotonic
    _by_id: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, stamp: str) -> tuple[str, Session]:
        """A new session for the password with ``stamp``; returns (id, session)."""
        now = self.clock()
        session_id, session = new_token(), Session(new_token(), stamp, now, now)
        with self._lock:
            self._forget_expired(now)
            self._by_id[session_id] = session
        return session_id, session

    def get(self, session_id: str | None, stamp: str) -> Session | None:
        """The live session of this id signed in with the current password, else None."""
        if not session_id:
            return None
        now = self.clock()
        with self._lock:
            session = self._by_id.get(session_id)
            if session is None:
                return None
            if (session.stamp != stamp or now - session.seen > IDLE_S
                    or now - session.created > LIFETIME_S):
                del self._by_id[session_id]
                return None
            session.seen = now
            return session

    def end(self, session_id: str | None) -> None:
        with self._lock:
            self._by_id.pop(session_id or "", None)

    def _forget_expired(self, now: float) -> None:
        for key, session in list(self._by_id.items()):
            if now - session.seen > IDLE_S or now - session.created > LIFETIME_S:
                del self._by_id[key]


@dataclass
class Throttle:
    """Failed sign-ins per client address (see the module docstring)."""

    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_s(self, address: str) -> float:
        """Seconds before ``address`` may try again (0: now)."""
        now = self.clock()
        with self._lock:
            count, last = self._failures.get(address, (0, now))
            if now - last > FORGET_S:
                self._failures.pop(address, None)
                return 0.0
        if count < FREE_FAILURES:
            return 0.0
        wait = min(2.0 ** (count - FREE_FAILURES + 1), MAX_WAIT_S)
        return max(0.0, last + wait - now)

    def failed(self, address: str) -> None:
        now = self.clock()
        with self._lock:
            count, last = self._failures.get(address, (0, now))
            self._failures[address] = (0 if now - last > FORGET_S else count) + 1, now

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)
