"""The chunked upload of large exports (Flask views, a real store), the Upload page's result
lines, and Apple Health's wellness on the Load and Recovery pages."""

from __future__ import annotations

import base64
import datetime as dt
import time

import polars as pl
import pytest
from apple_health_files import CEST, Day, Workout, export_files, export_zip
from dash import html

from analytics.recovery import recovery_daily
from analytics.settings import Settings
from dashboard import chunked_upload
from dashboard.app import create_app
from dashboard.figures_recovery import recovery_figure
from dashboard.pages import recovery, upload
from dashboard.recovery_panel import recovery_context
from dashboard.recovery_tables import recovery_rows
from dashboard.uploads import import_uploads
from ingest.import_report import FileReport
from ingest.store import Store

RUN = Workout("Running", dt.datetime(2026, 9, 7, 7, 12, 3, tzinfo=CEST), minutes=10)
YOGA = Workout("Yoga", dt.datetime(2026, 9, 8, 18, 0, tzinfo=CEST), minutes=15, route=False)
CHUNK = 64 * 1024


@pytest.fixture
def app(tmp_path):
    return create_app(tmp_path / "data")


class PageClient:
    """Flask's test client as the Upload page's script uses the views: from this site's page,
    with the page's token (the dashboard's guard refuses changes without it)."""

    def __init__(self, client) -> None:
        self.client = client
        client.get("/")  # the page sets the token's cookie
        self.headers = {"Origin": "http://localhost",
                        "X-CSRFToken": client.get_cookie("_csrf_token").value}

    def get(self, url: str, **options):
        return self.client.get(url, **options)

    def post(self, url: str, headers: dict | None = None, **options):
        return self.client.post(url, headers={**self.headers, **(headers or {})}, **options)

    def put(self, url: str, headers: dict | None = None, **options):
        return self.client.put(url, headers={**self.headers, **(headers or {})}, **options)


@pytest.fixture
def client(app):
    return PageClient(app.server.test_client())


def export_bytes() -> bytes:
    return export_zip(export_files([RUN, YOGA], [Day(dt.date(2026, 9, 8))]))


def send(client, data: bytes, name: str = "export.zip", chunk: int = CHUNK) -> str:
    started = client.post(chunked_upload.URL, json={"name": name, "size": len(data)})
    assert started.status_code == 200, started.json
    upload_id = started.json["id"]
    for first in range(0, len(data), chunk):
        part = data[first:first + chunk]
        answer = client.put(f"{chunked_upload.URL}/{upload_id}", data=part, headers={
            "Content-Range": f"bytes {first}-{first + len(part) - 1}/{len(data)}"})
        assert answer.status_code == 200, answer.json
    return upload_id


def finished(client, upload_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(f"{chunked_upload.URL}/{upload_id}").json
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.05)
    raise AssertionError(f"the import did not finish: {status}")


def test_an_export_sent_in_chunks_is_imported_and_its_file_removed(app, client, tmp_path):
    data = export_bytes()
    upload_id = send(client, data)
    status = finished(client, upload_id)
    assert status["state"] == "done" and status["received"] == status["size"] == len(data)
    assert status["files"] == 3 and status["read"] == status["read_total"] > len(data)
    with Store(tmp_path / "data") as store:
        activities = store.activities()
    assert activities["sport"].to_list() == ["running", "training"]
    assert activities["source_file"][0].startswith("export.zip/apple_health_export/export.xml#")
    assert "heart_rate" in activities["signals"][0]
    assert list((tmp_path / "data" / chunked_upload.UPLOADS_FOLDER).iterdir()) == []
    with app.server.test_request_context():
        lines, version = upload.on_chunked_upload(upload_id, 4)
    shown = str(html.Div(lines))
    assert version == 5 and "3 imported, 0 duplicates, 0 rejected" in shown
    assert "imported export.xml#2026-09-07 07:12 running: 1 activity" in shown


def test_chunks_out_of_order_are_refused_and_resent_ones_acknowledged(client):
    data = export_bytes()
    upload_id = client.post(chunked_upload.URL, json={"name": "export.zip",
                                                      "size": len(data)}).json["id"]
    url = f"{chunked_upload.URL}/{upload_id}"

    def put(first: int, last: int, total: int = len(data), body: bytes | None = None):
        return client.put(url, data=data[first:last + 1] if body is None else body,
                          headers={"Content-Range": f"bytes {first}-{last}/{total}"})

    assert put(10, 99).status_code == 409  # a gap: byte 0 comes first
    assert put(0, 99).json["received"] == 100
    assert put(0, 99).json["received"] == 100  # sent again: already written
    assert put(100, 199, total=5).status_code == 400  # another size
    assert put(100, 199, body=b"short").status_code == 400  # body and range disagree
    assert client.put(url, data=b"x").status_code == 400  # no Content-Range
    too_big = chunked_upload.MAX_CHUNK_BYTES
    assert put(100, 100 + too_big, total=len(data)).status_code == 400
    assert client.put(f"{chunked_upload.URL}/{'0' * 32}", data=b"x", headers={
        "Content-Range": "bytes 0-0/1"}).status_code == 404
    assert client.get(f"{chunked_upload.URL}/not-an-id").status_code == 404
    assert client.get(url).json["state"] == "receiving"


def test_sizes_over_the_cap_or_the_free_disk_are_refused(client, monkeypatch):
    over = client.post(chunked_upload.URL, json={
        "name": "huge.zip", "size": chunked_upload.MAX_CHUNKED_UPLOAD_BYTES + 1})
    assert over.status_code == 413 and "limited to 8 GB" in over.json["error"]
    assert client.post(chunked_upload.URL, json={"name": "x", "size": 0}).status_code == 400
    assert client.post(chunked_upload.URL, json={"name": "x", "size": "9"}).status_code == 400

    class Tiny:
        free = 10 * 2**20

    monkeypatch.setattr(chunked_upload.shutil, "disk_usage", lambda _path: Tiny)
    full = client.post(chunked_upload.URL, json={"name": "export.zip", "size": 2**20})
    assert full.status_code == 507 and "not enough free disk space" in full.json["error"]


def test_file_names_cannot_leave_the_upload_folder():
    assert chunked_upload.safe_name("../../etc/passwd") == "passwd"
    assert chunked_upload.safe_name("C:\\Users\\a\\export.zip") == "export.zip"
    assert chunked_upload.safe_name("..") == "upload"
    assert chunked_upload.safe_name("Übung <1>.zip") == "Übung _1_.zip"


def test_a_damaged_upload_is_reported_by_the_page(app, client):
    upload_id = send(client, b"PK\x03\x04 not really a zip", name="export.zip")
    assert finished(client, upload_id)["state"] == "done"
    with app.server.test_request_context():
        lines, _ = upload.on_chunked_upload(upload_id, 0)
        unknown, version = upload.on_chunked_upload("f" * 32, 0)
    assert "rejected export.zip: damaged zip archive" in str(html.Div(lines))
    assert "no longer known" in str(unknown)


def test_many_files_list_only_the_rejected_ones():
    reports = [FileReport(f"export.xml#w{i}", "imported", activities=1) for i in range(60)]
    reports.append(FileReport("export.xml#bad", "rejected", reason="damaged"))
    lines = report_text(upload.report_lines(reports, 1, ("3 records left out",)))
    assert lines[0] == "60 imported, 0 duplicates, 1 rejected, 1 other files in archives skipped."
    assert lines[1:] == ["rejected export.xml#bad: damaged",
                         "60 imported or duplicate files not listed one by one",
                         "3 records left out"]
    few = report_text(upload.report_lines(reports[:2], 0))
    assert few[1:] == ["imported export.xml#w0: 1 activity", "imported export.xml#w1: 1 activity"]


def report_text(components: list) -> list[str]:
    summary, items = components
    return [summary.children] + [item.children for item in items.children]


def days(count: int, **values) -> pl.DataFrame:
    first = dt.date(2026, 9, 1)
    return recovery_daily(pl.DataFrame({
        "date": [first + dt.timedelta(days=i) for i in range(count)],
        **{name: [value] * count for name, value in values.items()}}))


def test_the_load_page_shows_a_weeks_recovery_with_its_source():
    daily = days(10, resting_hr_bpm=52.0, hrv_sdnn_ms=48.0, sleep_s=25200.0,
                 source="apple_health").with_columns(
        pl.when(pl.col("date") == dt.date(2026, 9, 9)).then(60.0).otherwise(
            pl.col("resting_hr_bpm")).alias("resting_hr_bpm"))
    shown = str(html.Div(recovery_context(daily, dt.date(2026, 9, 10))))
    assert "resting HR, mean of 7 of 7 days" in shown and f"{(52 * 6 + 60) / 7:.0f} bpm" in shown
    assert "HRV (SDNN), mean of 7 of 7 days" in shown and "48 ms" in shown
    assert "7:00 h" in shown and "HRV (RMSSD)" not in shown
    assert "from Apple Health" in shown and "not a readiness score" in shown
    assert recovery_context(daily, dt.date(2026, 10, 30)) == []


def test_the_recovery_page_shows_sdnn_beside_rmssd_not_judged():
    daily = days(5, resting_hr_bpm=52.0, hrv_sdnn_ms=48.0, source="apple_health")
    rows = recovery_rows(daily.with_columns(pain=pl.lit(None, pl.Int32)))
    assert rows[0]["HRV SDNN (ms)"] == "48" and rows[0]["HRV (ms)"] == "-"
    figure = recovery_figure(daily.with_columns(pain=pl.lit(None, pl.Int32)), Settings())
    assert "HRV SDNN (Apple)" in [trace.name for trace in figure.data]
    assert "SDNN, a different measure" in str(recovery.sdnn_note(daily))
    garmin = days(5, hrv_rmssd_ms=60.0)
    assert recovery.sdnn_note(garmin) == []
    assert "HRV SDNN (ms)" not in recovery_rows(garmin.with_columns(
        pain=pl.lit(None, pl.Int32)))[0]


def test_a_small_export_dropped_on_the_page_is_imported_too(tmp_path):
    content = "data:application/zip;base64," + base64.b64encode(export_bytes()).decode()
    with Store(tmp_path / "data") as store:
        reports, skipped = import_uploads([("export.zip", content)], store)
        assert [r.status for r in reports] == ["imported"] * 3 and skipped == 1
        assert store.activities()["sport"].to_list() == ["running", "training"]
