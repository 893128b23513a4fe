"""The parts of sign-in and sharing on their own: the password hash, sessions and the throttle
(on a clock the test moves), safe redirects, addresses, the store's access tables, and the
``password`` and ``share`` commands."""

from __future__ import annotations

import datetime as dt
import json
import os
import select
import subprocess
import sys

import pytest
from click.testing import CliRunner

from dashboard.cli import main
from dashboard.security import passwords
from dashboard.security.pages import safe_next
from dashboard.security.sessions import IDLE_S, LIFETIME_S, MAX_WAIT_S, Sessions, Throttle
from dashboard.server import host_name, is_loopback, urls
from dashboard.sharing import create_share, share_url
from ingest import access
from ingest.store import Store


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_password_hash_is_salted_scrypt_and_checks():
    stored = passwords.hash_password("correct horse battery")
    scheme, n, r, p, salt, key = stored.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2**17, 8, 1)
    assert "correct horse" not in stored
    assert passwords.hash_password("correct horse battery") != stored  # another salt
    assert passwords.verify_password("correct horse battery", stored)
    assert not passwords.verify_password("correct horse battery ", stored)
    assert not passwords.verify_password("", stored)
    assert not passwords.verify_password("x" * 10_000, stored)  # never hashed
    for bad, reason in (("short", "at least 8"), (" padded password", "space"),
                        ("y" * 2000, "at most 1024")):
        with pytest.raises(passwords.PasswordError, match=reason):
            passwords.hash_password(bad)


def test_sessions_end_when_idle_old_signed_out_or_the_password_changes():
    clock = Clock()
    sessions = Sessions(clock)
    first, session = sessions.start("stamp-a")
    assert sessions.get(first, "stamp-a") is session and len(session.csrf) == 43
    assert sessions.get(first, "stamp-b") is None  # a new password ends it ...
    assert sessions.get(first, "stamp-a") is None  # ... for good
    second, _ = sessions.start("stamp-a")
    clock.now += IDLE_S - 1
    assert sessions.get(second, "stamp-a") is not None  # a request keeps it alive
    clock.now += IDLE_S + 1
    assert sessions.get(second, "stamp-a") is None
    third, _ = sessions.start("stamp-a")
    started = clock.now
    while clock.now + IDLE_S // 2 - started <= LIFETIME_S:
        clock.now += IDLE_S // 2
        assert sessions.get(third, "stamp-a") is not None
    clock.now += IDLE_S // 2
    assert sessions.get(third, "stamp-a") is None  # past its lifetime, used or not
    fourth, _ = sessions.start("stamp-a")
    sessions.end(fourth)
    assert sessions.get(fourth, "stamp-a") is None
    assert sessions.get(None, "stamp-a") is None and sessions.get("forged", "stamp-a") is None


def test_throttle_doubles_the_wait_per_address_and_forgets():
    clock = Clock()
    throttle = Throttle(clock)
    for _ in range(5):
        assert throttle.wait_s("10.0.0.2") == 0
        throttle.failed("10.0.0.2")
    waits = []
    for _ in range(12):
        waits.append(throttle.wait_s("10.0.0.2"))
        clock.now += waits[-1]
        throttle.failed("10.0.0.2")
    assert waits == [2, 4, 8, 16, 32, 64, 128, 256, 512, MAX_WAIT_S, MAX_WAIT_S, MAX_WAIT_S]
    assert throttle.wait_s("10.0.0.3") == 0  # another address
    clock.now += 3601
    assert throttle.wait_s("10.0.0.2") == 0  # forgotten after an hour
    throttle.failed("10.0.0.4")
    throttle.succeeded("10.0.0.4")
    assert throttle._failures == {}


@pytest.mark.parametrize(("target", "safe"), [
    ("/pain?x=1", "/pain?x=1"), (None, "/"), ("", "/"), ("https://evil.example/", "/"),
    ("//evil.example/x", "/"), ("/\\evil.example", "/"), ("pain", "/"),
])
def test_sign_in_returns_only_to_this_site(target, safe):
    assert safe_next(target) == safe


def test_addresses():
    assert all(map(is_loopback, ("127.0.0.1", "localhost", "::1", "[::1]", "127.1.2.3")))
    assert not any(map(is_loopback, ("0.0.0.0", "192.168.1.20", "127.0.0.1.evil.example",
                                     "evil.example", "")))
    assert [host_name(h) for h in ("127.0.0.1:8050", "[::1]:8050", "localhost", "a:1")] == [
        "127.0.0.1", "::1", "localhost", "a"]
    assert urls("127.0.0.1", 8050, "http") == ["http://127.0.0.1:8050"]
    assert urls("::1", 8050, "https") == ["https://[::1]:8050"]
    assert urls("0.0.0.0", 8443, "https")[-1] == "https://127.0.0.1:8443"


def test_store_keeps_only_digests_of_share_tokens(tmp_path):
    created = dt.datetime(2026, 9, 1, 8, tzinfo=dt.UTC)
    with Store(tmp_path) as store:
        share, token = create_share(store, 14, created)
        assert token not in (tmp_path / "strideload.sqlite").read_bytes().decode("latin-1")
        assert access.share_for_token(store, token) == share
        assert share.expires == created + dt.timedelta(days=14)
        assert share.active(created + dt.timedelta(days=13))
        assert not share.active(created + dt.timedelta(days=14))
        revoked = access.revoke_share(store, share.id, created + dt.timedelta(days=1))
        assert revoked.revoked == created + dt.timedelta(days=1)
        assert not revoked.active(created + dt.timedelta(days=2))
        again = access.revoke_share(store, share.id, created + dt.timedelta(days=3))
        assert again.revoked == revoked.revoked  # the first time is kept
        assert access.revoke_share(store, 99, created) is None
        assert access.share_for_token(store, "unknown") is None
        with pytest.raises(ValueError, match="from 1 to 365"):
            create_share(store, 0)
        revision = store.revision()
        access.set_password_hash(store, "x")
        assert store.revision() == revision  # access is not training data
    assert share_url("http://192.168.1.20:8050/", token) == (
        f"http://192.168.1.20:8050/share/{token}")


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_password_set_reads_one_line_and_clear_removes_it(tmp_path):
    data = ["--data-dir", str(tmp_path)]
    result = run("password", "set", *data, input="open sesame 42\nignored\n")
    assert result.exit_code == 0 and "Password set" in result.output
    with Store(tmp_path) as store:
        assert passwords.verify_password("open sesame 42", access.password_hash(store))
    result = run("password", "set", *data, input="short\n")
    assert result.exit_code == 1
    assert "password not set: the password must have at least 8 characters" in result.output
    with Store(tmp_path) as store:  # the old one stays
        assert passwords.verify_password("open sesame 42", access.password_hash(store))
    assert run("password", "clear", *data).output == "Password cleared.\n"
    assert run("password", "clear", *data).output == "No password was set.\n"
    with Store(tmp_path) as store:
        assert access.password_hash(store) is None


def test_share_commands(tmp_path):
    data = ["--data-dir", str(tmp_path)]
    assert run("share", "list", *data).output == "No share links yet: strideload share create\n"
    created = run("share", "create", "--days", "3", *data)
    assert created.exit_code == 0
    lines = created.output.splitlines()
    assert lines[-1].startswith("http://127.0.0.1:8050/share/")  # never served yet
    assert "this computer only" in created.output
    with Store(tmp_path) as store:
        access.set_served_at(store, "https://192.168.1.20:8443")
    lines = run("share", "create", *data).output.splitlines()
    assert lines[-1].startswith("https://192.168.1.20:8443/share/")
    assert "this computer only" not in "\n".join(lines)
    assert run("share", "revoke", "1", *data).output == "Share link 1 revoked.\n"
    listed = json.loads(run("share", "list", "--format", "json", *data).output)
    assert [list(row) for row in listed] == [["id", "created", "expires", "revoked"]] * 2
    first, second = listed
    assert first["revoked"] and second["revoked"] is None
    created_at = dt.datetime.fromisoformat(first["created"])
    assert dt.datetime.fromisoformat(first["expires"]) - created_at == dt.timedelta(days=3)
    table = run("share", "list", *data).output.splitlines()
    assert table[0].endswith("revoked") and table[1].endswith("active")
    missing = run("share", "revoke", "7", *data)
    assert missing.exit_code == 1 and "no share link 7" in missing.output
    assert run("share", "create", "--days", "400", *data).exit_code == 2


def test_password_set_on_a_terminal_asks_twice(tmp_path):
    """Through a pseudo-terminal, as a runner types it: hidden, repeated, a mismatch retried."""
    leader, follower = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", "from dashboard.cli import main; main()", "password", "set",
         "--data-dir", str(tmp_path)], stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    seen = b""

    def answer(prompt: bytes, typed: bytes) -> None:
        nonlocal seen
        while not seen.endswith(prompt):
            assert select.select([leader], [], [], 60)[0], seen
            seen += os.read(leader, 1024).replace(b"\r", b"")
        os.write(leader, typed + b"\n")

    for prompt, typed in ((b"New password: ", b"first try 123"),
                          (b"Repeat the new password: ", b"first try 124"),
                          (b"New password: ", b"second try 123"),
                          (b"Repeat the new password: ", b"second try 123")):
        answer(prompt, typed)
    assert process.wait(timeout=60) == 0
    os.close(leader)
    assert b"try 12" not in seen  # never echoed
    assert b"do not match" in seen
    with Store(tmp_path) as store:
        assert passwords.verify_password("second try 123", access.password_hash(store))
