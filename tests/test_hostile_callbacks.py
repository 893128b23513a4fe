"""Callback payloads a page would never send - wrong types, out of range, megabytes - posted
to the real ``/_dash-update-component`` endpoint of a real server with a valid session: each is
refused with a clear message and stores nothing (the store's revision does not move)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from browser import run_dashboard
from secured_site import TODAY, make_store, revision, signed_in


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    folder = make_store(tmp_path_factory.mktemp("hostile"))
    with run_dashboard("--data-dir", str(folder), "--host", "0.0.0.0") as url:
        yield url, folder


def test_requests_over_the_upload_cap_are_refused_before_the_app(secured):
    url, _ = secured
    client = signed_in(url)
    cap = 200 * 1024 * 1024 * 4 // 3 + 1024 * 1024  # 200 MB of files in base64, and headers
    reply = client.request("POST", "/_dash-update-component", headers={
        "Content-Type": "application/json", "Content-Length": str(cap + 1), "Origin": url,
        "X-CSRFToken": client.token()})
    assert reply.status == 413


HOSTILE = {  # output -> (values of a save, the changed input, hostile variants)
    "pain-message.children": (
        {"pain-save.n_clicks": 1, "pain-date.value": TODAY.isoformat(),
         "pain-area.value": "upper-back", "pain-level.value": 2, "pain-during-run.value": [],
         "pain-flags.value": [], "pain-note.value": "", "pain-unrecorded.value": []},
        "pain-save.n_clicks",
        [{"pain-level.value": 11}, {"pain-date.value": "9999-99-99"},
         {"pain-note.value": "x" * (10 * 1024 * 1024)}, {"pain-level.value": "abc"},
         {"pain-level.value": [1]}, {"pain-level.value": True}, {"pain-area.value": 5},
         {"pain-flags.value": "trauma"}, {"pain-flags.value": [{"a": 1}]},
         {"pain-date.value": 20260101}, {"pain-note.value": {"x": 1}},
         {"pain-during-run.value": "maybe"},
         {"pain-date.value": (TODAY + dt.timedelta(days=1)).isoformat()}]),
    "today-pain-saved.children": (
        {"today-pain-save.n_clicks": 1, "today-pain-level.value": 2,
         "today-pain-area.value": "upper-back", "today-pain-during-run.value": [],
         "today-date.data": TODAY.isoformat()},
        "today-pain-save.n_clicks",
        [{"today-pain-level.value": 11}, {"today-date.data": "9999-99-99"},
         {"today-date.data": "9999-12-31"}, {"today-pain-level.value": None},
         {"today-pain-area.value": ["neck"]}, {"today-date.data": 5}]),
    "checkin-saved.children": (
        {"checkin-save.n_clicks": 1, "checkin-rhr.value": 50, "checkin-date.data":
         TODAY.isoformat()},
        "checkin-save.n_clicks",
        [{"checkin-rhr.value": 500}, {"checkin-date.data": "9999-99-99"},
         {"checkin-date.data": "9999-12-31"}, {"checkin-rhr.value": "fast"},
         {"checkin-rhr.value": [50]}, {"checkin-hrv.value": 40, "checkin-hrv-kind.value": 3},
         {"checkin-sleep.value": 1e308}, {"checkin-date.data": None}]),
    "settings-message.children": (
        {"settings-save.n_clicks": 1, "settings-sex.value": "female",
         "settings-time_zone.value": "UTC", "settings-units.value": "metric",
         "settings-thresholds.rowData": []},
        "settings-save.n_clicks",
        [{"settings-hr_max.value": 900}, {"settings-units.value": "furlongs"},
         {"settings-time_zone.value": "Mars/Olympus"}, {"settings-time_zone.value": 5},
         {"settings-thresholds.rowData": "all"}, {"settings-thresholds.rowData": [1, 2]},
         {"settings-thresholds.rowData": [{"name": "acwr_high", "value": ["x"]}]},
         {"settings-thresholds.rowData": [{"name": "no_such", "value": "1"}]},
         {"settings-hr_max.value": "x" * (10 * 1024 * 1024)}]),
}


HOSTILE_UPLOADS = [([5], ["a.fit"]), (["data:;base64,AAAA"], [5]), ("abc", ["a.fit"]),
                   (["data:;base64,AAAA"], None), (["data:;base64,AAAA", "x"], ["a.fit"])]


@pytest.mark.parametrize("output", list(HOSTILE))
def test_hostile_callback_payloads_are_refused_and_store_nothing(secured, output):
    url, folder = secured
    client = signed_in(url)
    base, changed, variants = HOSTILE[output]
    target, prop = output.rsplit(".", 1)
    before = revision(folder)
    for variant in variants:
        reply = client.callback(output, {**base, **variant}, changed)
        shown = json.dumps(variant)[:80]
        if reply.status == 200:
            message = reply.json()["response"][target][prop]
            assert message.startswith("Not saved: "), (shown, message)
        else:
            assert reply.status in (400, 413), (shown, reply.status, reply.text[:200])
            assert reply.json()["error"].startswith("refused: "), (shown, reply.text[:200])
        assert revision(folder) == before, shown


def test_hostile_uploads_are_refused_and_store_nothing(secured):
    url, folder = secured
    client = signed_in(url)
    before = revision(folder)
    for contents, names in HOSTILE_UPLOADS:
        reply = client.callback("upload-results.children", {
            "upload-files.contents": contents, "upload-files.filename": names},
            "upload-files.contents")
        assert reply.status == 200, reply.text[:200]
        summary = reply.json()["response"]["upload-results"]["children"]["props"]["children"]
        assert summary.startswith("Not imported: an upload must be two lists"), summary
    assert revision(folder) == before


def test_pain_11_says_why(secured):
    url, folder = secured
    client = signed_in(url)
    base, changed, _ = HOSTILE["pain-message.children"]
    reply = client.callback("pain-message.children", {**base, "pain-level.value": 11}, changed)
    assert reply.json()["response"]["pain-message"]["children"] == (
        "Not saved: pain level must be a whole number from 0 to 10, got 11")
    reply = client.callback("pain-message.children",
                            {**base, "pain-date.value": "9999-99-99"}, changed)
    assert reply.json()["response"]["pain-message"]["children"] == (
        "Not saved: date must be YYYY-MM-DD, got '9999-99-99'")
