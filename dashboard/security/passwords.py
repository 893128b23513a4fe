"""The dashboard password, stored only as a slow salted hash: scrypt from Python's hashlib.

Parameters (OWASP Password Storage Cheat Sheet, 2024: scrypt with N = 2^17, r = 8, p = 1):
cost N = 2^17, block size r = 8, parallelism p = 1, a random 16-byte salt per password and a
32-byte key, which takes 128 MiB of memory and about 0.5 s per check on a laptop. The stored
text names its parameters (``scrypt$N$r$p$salt$key``, salt and key in base64), so a later
release can raise them and still check older hashes. Checks run one at a time (a lock): a burst
of sign-in attempts cannot make the computer run out of memory.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading

SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
#: Shortest password accepted [characters].
MIN_LENGTH = 8
#: Longest password accepted [characters] (a sign-in form cannot post megabytes to hash).
MAX_LENGTH = 1024

_ONE_AT_A_TIME = threading.Lock()


class PasswordError(ValueError):
    """A password that cannot be used, with the reason."""


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    with _ONE_AT_A_TIME:
        return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                              maxmem=2 * 128 * n * r * p, dklen=KEY_BYTES)


def check_new_password(password: str) -> str:
    """The password if it may be set; raises :class:`PasswordError` naming the problem."""
    if len(password) < MIN_LENGTH:
        raise PasswordError(f"the password must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise PasswordError(f"the password must have at most {MAX_LENGTH} characters")
    if password != password.strip():
        raise PasswordError("the password must not begin or end with a space")
    return password


def hash_password(password: str) -> str:
    """The text to store for ``password`` (see the module docstring)."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(check_new_password(password), salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    encoded = [base64.b64encode(part).decode("ascii") for part in (salt, key)]
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), *encoded])


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches the stored hash (constant-time comparison)."""
    if not 0 < len(password) <= MAX_LENGTH:
        return False
    scheme, n, r, p, salt, key = stored.split("$")
    if scheme != "scrypt":
        raise ValueError(f"unknown password hash scheme {scheme!r}")
    expected = base64.b64decode(key)
    actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    return hmac.compare_digest(actual, expected)


def stamp(stored: str) -> str:
    """A short fingerprint of a stored hash: sessions remember it, so a new password (or none)
    ends every session signed in with the old one."""
    return hashlib.sha256(stored.encode("ascii")).hexdigest()[:16]
