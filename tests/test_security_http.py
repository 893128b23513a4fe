"""Safe beyond localhost, over HTTP against real servers: ``strideload dashboard`` started as a
runner starts it (waitress; cheroot for HTTPS), requests sent like a browser sends them (see
http_client.py), the store read back directly.

One server on 0.0.0.0 with a password serves the tests that keep its state; tests that change
the password, trip the throttle or need another setup start their own.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import ssl
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from browser import run_dashboard
from click.testing import CliRunner
from http_client import Client
from secured_site import PAGES, PASSWORD, TODAY, cli, make_store, revision, signed_in

from dashboard.cli import main
from ingest.store import DB_NAME, Store


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    """A store with a password, served on every interface (as for a phone)."""
    folder = make_store(tmp_path_factory.mktemp("secured"))
    with run_dashboard("--data-dir", str(folder), "--host", "0.0.0.0") as url:
        yield url, folder


def test_no_password_no_serving_beyond_this_computer(tmp_path):
    folder = make_store(tmp_path, password=None)
    done = subprocess.run([sys.executable, "-c", "from dashboard.cli import main; main()",
                           "dashboard", "--data-dir", str(folder), "--host", "0.0.0.0",
                           "--port", "0"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    assert "not serving on 0.0.0.0 without a password" in done.stderr
    assert "strideload password set" in done.stderr


def test_without_a_session_pages_redirect_and_everything_else_is_401(secured):
    url, _ = secured
    anonymous = Client(url)
    for path in PAGES:
        reply = anonymous.get(path)
        assert reply.status == 303, path
        assert reply.headers["Location"] == f"/signin?next={quote(path)}"
    owner = signed_in(url)
    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+)"', owner.get("/").text)
    for path in ["/_dash-layout", "/_dash-dependencies", *scripts]:
        assert anonymous.request("GET", path).status == 401, path
    # every callback (downloads included), even with a token from the sign-in page
    anonymous.get("/signin")
    assert anonymous.token()
    anonymous.known_dependencies = owner.dependencies()
    outputs = {d["output"].strip(".").split("...")[0] for d in owner.dependencies()
               if not d.get("clientside_function")}
    assert "export-download.data" in outputs and len(outputs) > 10
    for output in outputs:
        reply = anonymous.callback(output, {}, "x.n_clicks")
        assert (reply.status, reply.json()) == (401, {"error": "sign in first"}), output
    # the style sheet holds no data: the sign-in page uses it
    assert anonymous.get("/assets/style.css").status == 200


def test_with_a_session_pages_downloads_and_callbacks_work(secured):
    url, folder = secured
    client = Client(url)
    reply = client.sign_in(PASSWORD, next_path="/pain")
    assert (reply.status, reply.headers["Location"]) == (303, "/pain")
    (session,) = [c for c in reply.set_cookies() if c.startswith("strideload_session=")]
    assert "HttpOnly" in session and "SameSite=Strict" in session and "Secure" not in session
    for path in PAGES:
        reply = client.get(path)
        assert (reply.status, reply.headers.get_content_type()) == (200, "text/html"), path
    assert "<h1>Running and back pain, " in client.get("/report").text
    layout = client.request("GET", "/_dash-layout")
    assert layout.status == 200 and '"signout"' in layout.text
    download = client.callback("export-download.data", {"export-csv.n_clicks": 1},
                               "export-csv.n_clicks")
    assert download.status == 200, download.text
    payload = download.json()["response"]["export-download"]["data"]
    assert payload["filename"] == f"strideload-weekly-{TODAY}.csv"
    assert payload["content"].startswith("week,")
    saved = client.callback("pain-message.children", {
        "pain-save.n_clicks": 1, "pain-date.value": TODAY.isoformat(), "pain-area.value": "neck",
        "pain-level.value": 3, "pain-during-run.value": [], "pain-flags.value": [],
        "pain-note.value": "after the long run", "pain-unrecorded.value": []},
        "pain-save.n_clicks")
    assert saved.status == 200, saved.text
    assert "Saved" in saved.json()["response"]["pain-message"]["children"]
    with Store(folder, maintain=False) as store:
        assert ("neck", 3) in [(r["area"], r["level"]) for r in store.pain().to_dicts()]


def test_writes_from_other_origins_are_refused(secured):
    url, folder = secured
    client = signed_in(url)
    values = {"today-pain-save.n_clicks": 1, "today-pain-level.value": 7,
              "today-pain-area.value": "upper-back", "today-pain-during-run.value": [],
              "today-date.data": TODAY.isoformat()}
    before = revision(folder)
    for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"},
                    {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                    {"X-CSRFToken": ""}, {"X-CSRFToken": "x" * 43}):
        reply = client.callback("today-pain-saved.children", values,
                                "today-pain-save.n_clicks", headers=headers)
        assert reply.status == 403, headers
        assert "did not come from a page of this dashboard" in reply.json()["error"]
    signout = client.post_form("/signout", {"csrf": client.token()},
                               {"Origin": "http://evil.example"})
    assert signout.status == 403
    assert revision(folder) == before
    assert client.get("/").status == 200  # still signed in
    same_site = client.callback("today-pain-saved.children", values,
                                "today-pain-save.n_clicks",
                                headers={"Sec-Fetch-Site": "same-origin"})
    assert same_site.status == 200 and revision(folder) > before


def test_security_headers(secured):
    url, _ = secured
    client = signed_in(url)
    page = client.get("/load")
    policy = dict(part.strip().split(" ", 1) for part in
                  page.headers["Content-Security-Policy"].split(";"))
    assert policy["frame-ancestors"] == "'none'" and policy["default-src"] == "'self'"
    scripts = policy["script-src"].split()
    assert scripts[0] == "'self'" and len(scripts) > 1
    assert all(s.startswith("'sha256-") for s in scripts[1:])  # Dash's own inline scripts
    assert policy["object-src"] == "'none'" and "unsafe-eval" not in policy["script-src"]
    for reply in (page, client.request("GET", "/_dash-layout"),
                  Client(url).request("GET", "/_dash-layout")):
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert reply.headers["Referrer-Policy"] == "same-origin"
        assert reply.headers["Cache-Control"] == "no-store"
    assert "no-store" not in (client.get("/assets/style.css").headers["Cache-Control"] or "")


def share(folder: Path, *args: str) -> str:
    return cli("share", *args, "--data-dir", str(folder))


def test_share_link_shows_the_report_and_nothing_else(secured):
    url, folder = secured
    output = share(folder, "create", "--days", "3").splitlines()
    link = output[-1]
    port = url.rsplit(":", 1)[1]
    assert re.fullmatch(rf"http://[0-9.]+:{port}/share/[A-Za-z0-9_-]{{43}}", link), output
    path = "/share/" + link.rsplit("/", 1)[1]
    physio = Client(url)
    reply = physio.get(path)
    assert reply.status == 200 and "<h1>Running and back pain, " in reply.text
    week = (TODAY - dt.timedelta(days=2)).strftime("%G-W%V")
    assert f"<td>{week}</td>" in reply.text and "works until" in reply.text
    assert not re.search(r"<script|<a |<link|<form|<iframe|src=", reply.text)
    assert reply.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert reply.headers["Referrer-Policy"] == "no-referrer"
    assert reply.set_cookies() == [] and physio.cookies == {}
    for other in PAGES:  # the link opens nothing else
        assert physio.get(other).status == 303
    for other in ("/_dash-layout", f"{path}/x", f"{path}/../report", "/share/"):
        assert physio.request("GET", other).status in (401, 303, 404), other
    assert physio.request("POST", path).status in (401, 405)


def test_share_links_stop_working_when_revoked_or_expired(secured):
    url, folder = secured
    revoked = share(folder, "create").splitlines()[-1].rsplit("/", 2)
    expiring = share(folder, "create").splitlines()[-1].rsplit("/", 2)
    physio = Client(url)
    assert physio.get(f"/share/{revoked[-1]}").status == 200
    listing = json.loads(share(folder, "list", "--format", "json"))
    assert all(set(row) == {"id", "created", "expires", "revoked"} for row in listing)
    first, second = listing[-2]["id"], listing[-1]["id"]
    assert share(folder, "revoke", str(first)).strip() == f"Share link {first} revoked."
    gone = physio.get(f"/share/{revoked[-1]}")
    assert gone.status == 410 and "revoked or has expired" in gone.text
    assert "Running and back pain" not in gone.text
    with sqlite3.connect(folder / DB_NAME) as db:  # the clock moves past its expiry
        db.execute("UPDATE shares SET expires = ? WHERE id = ?",
                   ((dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)).isoformat(), second))
    assert physio.get(f"/share/{expiring[-1]}").status == 410
    assert physio.get("/share/" + "A" * 43).status == 404
    rows = {row["id"]: row for row in json.loads(share(folder, "list", "--format", "json"))}
    assert rows[first]["revoked"] and rows[second]["revoked"] is None


def test_signing_out_ends_the_session(secured):
    url, _ = secured
    client = signed_in(url)
    cookie = client.cookies["strideload_session"]
    reply = client.post_form("/signout", {"csrf": client.token()})
    assert (reply.status, reply.headers["Location"]) == (303, "/signin")
    assert "strideload_session" not in client.cookies
    client.cookies["strideload_session"] = cookie  # kept by someone: no longer valid
    assert client.get("/").status == 303


def test_failed_sign_ins_are_throttled(tmp_path):
    folder = make_store(tmp_path)
    with run_dashboard("--data-dir", str(folder), "--host", "0.0.0.0") as url:
        client = Client(url)
        for _ in range(5):  # free
            wrong = client.sign_in("not the password")
            assert wrong.status == 401 and "Wrong password." in wrong.text
        throttled = client.sign_in(PASSWORD)  # even the right one must wait now
        assert throttled.status == 429 and "Too many wrong passwords" in throttled.text
        assert 1 <= int(throttled.headers["Retry-After"]) <= 2
        time.sleep(int(throttled.headers["Retry-After"]))
        assert client.sign_in(PASSWORD).status == 303


def test_a_new_password_ends_sessions_and_none_stops_serving_the_network(tmp_path):
    folder = make_store(tmp_path)
    with run_dashboard("--data-dir", str(folder), "--host", "0.0.0.0") as url:
        client = signed_in(url)
        cli("password", "set", "--data-dir", str(folder), input="a brand new one\n")
        assert client.get("/").status == 303
        assert client.sign_in("a brand new one").status == 303
        assert cli("password", "clear", "--data-dir", str(folder)).strip() == (
            "Password cleared.")
        for path in ("/", "/signin", "/_dash-layout"):
            reply = Client(url).get(path)
            assert reply.status == 503 and "strideload password set" in reply.json()["error"]


def test_loopback_without_password_needs_no_sign_in_but_a_local_host_and_a_token(tmp_path):
    folder = make_store(tmp_path, password=None)
    with run_dashboard("--data-dir", str(folder)) as url:
        client = Client(url)
        assert client.get("/").status == 200 and client.token()
        assert client.get("/signin").headers["Location"] == "/"
        port = url.rsplit(":", 1)[1]
        for host in (f"evil.example:{port}", "127.0.0.1.evil.example"):  # DNS rebinding
            reply = client.get("/", headers={"Host": host})
            assert reply.status == 400 and "unknown host" in reply.json()["error"]
        assert client.get("/", headers={"Host": f"localhost:{port}"}).status == 200
        values = {"today-pain-save.n_clicks": 1, "today-pain-level.value": 4,
                  "today-pain-area.value": "neck", "today-pain-during-run.value": [],
                  "today-date.data": TODAY.isoformat()}
        before = revision(folder)
        refused = client.callback("today-pain-saved.children", values,
                                  "today-pain-save.n_clicks", headers={"X-CSRFToken": ""})
        assert refused.status == 403 and revision(folder) == before
        saved = client.callback("today-pain-saved.children", values, "today-pain-save.n_clicks")
        assert saved.status == 200 and revision(folder) > before


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made with the openssl command."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=strideload test", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def test_https_with_a_certificate_and_secure_cookies(tmp_path):
    folder = make_store(tmp_path / "data")
    cert, key = self_signed(tmp_path)
    with run_dashboard("--data-dir", str(folder), "--host", "0.0.0.0", "--cert", str(cert),
                       "--key", str(key)) as url:
        assert url.startswith("https://127.0.0.1:")
        context = ssl.create_default_context(cafile=str(cert))
        client = Client(url, context)
        reply = client.sign_in(PASSWORD)
        assert reply.status == 303
        assert all("; Secure" in cookie for cookie in reply.set_cookies())
        assert client.get("/load").status == 200
        with pytest.raises(ssl.SSLCertVerificationError):  # it is that certificate
            Client(url, ssl.create_default_context()).get("/")
        try:  # no plain HTTP on the TLS port
            status = Client(url.replace("https", "http")).get("/").status
        except OSError:
            status = None
        assert status != 200


def test_bad_certificate_is_one_clear_line(tmp_path):
    folder = make_store(tmp_path / "data")
    (tmp_path / "cert.pem").write_text("not a certificate")
    result = CliRunner().invoke(main, [
        "dashboard", "--data-dir", str(folder), "--host", "0.0.0.0", "--port", "0",
        "--cert", str(tmp_path / "cert.pem"), "--key", str(tmp_path / "cert.pem")])
    assert result.exit_code == 1
    assert f"cannot use the certificate {tmp_path / 'cert.pem'}" in result.output


def test_large_uploads_need_a_session_and_the_pages_token(secured):
    url, folder = secured
    start = json.dumps({"name": "export.zip", "size": 10}).encode()
    anonymous = Client(url)
    assert anonymous.request("POST", "/upload/chunked", start,
                             {"Content-Type": "application/json"}).status == 401
    assert anonymous.request("GET", "/upload/chunked/x").status == 401
    owner = signed_in(url)
    json_headers = {"Content-Type": "application/json", "Origin": url}
    refused = owner.request("POST", "/upload/chunked", start,
                            {**json_headers, "Origin": "http://evil.example",
                             "X-CSRFToken": owner.token()})
    assert refused.status == 403
    assert owner.request("POST", "/upload/chunked", start, json_headers).status == 403
    before = revision(folder)
    started = owner.request("POST", "/upload/chunked", start,
                            {**json_headers, "X-CSRFToken": owner.token()})
    assert started.status == 200, started.text
    upload_id = started.json()["id"]
    chunk = owner.request("PUT", f"/upload/chunked/{upload_id}", b"0123456789",
                          {"Content-Type": "application/octet-stream", "Origin": url,
                           "Content-Range": "bytes 0-9/10"})
    assert chunk.status == 403  # no token: not accepted
    assert revision(folder) == before
