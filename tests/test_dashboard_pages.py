"""Today, Pain, Export, Settings, Activities and Upload pages: layouts and callbacks as plain
functions, on a real store (the browser tests are in test_browser_e2e.py)."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import io
import json

import polars as pl
import pytest
from dash import html
from fitfiles import run_fit

from dashboard import export as export_module
from dashboard import preferences, service
from dashboard.app import create_app, warm_up
from dashboard.pages import activities, activity, export, pain, settings, today, upload
from dashboard.physio_report import physio_report_html
from ingest.journal import make_entry
from ingest.reader import read_activities
from ingest.store import Store

DAY = dt.date(2026, 6, 20)


def texts(component) -> str:
    """All text in a component tree (what the page would show)."""
    return json.dumps(html.Div(component).to_plotly_json(),
                      default=lambda o: o.to_plotly_json() if hasattr(o, "to_plotly_json")
                      else str(o))


@pytest.fixture
def app(tmp_path):
    with Store(tmp_path) as store:
        for day in range(0, 19, 2):
            start = dt.datetime(2026, 6, 1, 6, tzinfo=dt.UTC) + dt.timedelta(days=day)
            (one,) = read_activities(run_fit(start, seconds=1800, speed=2.9), f"run{day}.fit")
            store.add(one, f"{day:064d}", f"run{day}.fit")
        store.add_pain([make_entry(DAY - dt.timedelta(days=k), 1) for k in range(1, 8)])
    return create_app(tmp_path, today=DAY)


@pytest.fixture
def empty_app(tmp_path):
    return create_app(tmp_path / "empty", today=DAY)


def render(app, page, **query):
    with app.server.test_request_context():
        return texts(page.layout(**query))


def test_today_shows_the_suggestion_with_graded_reasons(app):
    shown = render(app, today)
    assert "Saturday 20 June 2026" in shown
    assert '"data-suggestion": "train"' in shown
    assert "Train as planned" in shown
    assert "Your back pain is 1/10, below 3/10" in shown
    assert "Why these limits" in shown and "/methods#section-9" in shown
    assert shown.count("it is not a diagnosis") == 1
    assert "The week ahead" in shown and "Plan a session" in shown


def test_saving_pain_changes_todays_suggestion(app):
    with app.server.test_request_context():
        card, saved, week = today.save_pain(1, 6, "upper-back", ["yes"], DAY.isoformat())
    assert saved == "Saved: upper-back 6/10."
    assert '"data-suggestion": "rest"' in texts(card)
    assert "Your back pain is 6/10; from 5/10 we suggest a day without running." in texts(card)
    # the week ahead holds today's pain: rest on every day
    assert texts(week).count('"data-suggestion": "rest"') == 7
    with Store(app.server.config["STRIDELOAD_DATA_DIR"]) as store:
        assert store.pain().filter(pl.col("date") == DAY)["level"].to_list() == [6]


def test_red_flag_banner_and_emergency_wording():
    advice = {"suggestion": "see_professional", "emergency": True, "reasons": [], "tips": []}
    assert "emergency number" in texts(today.red_flag_banner(advice))
    advice["emergency"] = False
    assert "doctor or physiotherapist" in texts(today.red_flag_banner(advice))
    assert today.red_flag_banner({**advice, "suggestion": "rest"}) is None


def test_empty_pages_tell_a_new_user_what_to_do(empty_app):
    assert "Upload" in render(empty_app, today) and "strideload demo" in render(empty_app, today)
    assert "No activities yet" in render(empty_app, activities)
    assert "No weekly summaries yet" in render(empty_app, export)
    assert "No entries yet" in render(empty_app, pain)
    assert "No such activity" in render(empty_app, activity, activity_id="x")
    assert "Estimated" not in render(empty_app, settings)


def test_unrecorded_training_day_makes_the_load_unknown(app):
    form = {"date": "2026-06-20", "area": "upper-back", "level": 1, "during_run": [],
            "flags": [], "note": "", "unrecorded": ["yes"]}
    with app.server.test_request_context():
        rows, _ = pain.journal_action("save", form, None)
        assert [r["unrecorded"] for r in rows if r["date"] == "2026-06-20"] == ["yes"]
        with Store(app.server.config["STRIDELOAD_DATA_DIR"]) as store:
            day = service.report(store, end=DAY).daily.filter(pl.col("date") == DAY)
        assert day["load"].to_list() == [None]  # unknown, not a rest day of 0
        rows, _ = pain.journal_action("save", {**form, "unrecorded": []}, None)
        with Store(app.server.config["STRIDELOAD_DATA_DIR"]) as store:
            day = service.report(store, end=DAY).daily.filter(pl.col("date") == DAY)
        assert day["load"].to_list() == [0.0]


def test_upload_requests_over_the_cap_are_refused(app):
    cap = app.server.config["MAX_CONTENT_LENGTH"]
    assert cap >= 200 * 1024 * 1024 * 4 // 3  # 200 MB of files, base64-encoded
    client, token = app.server.test_client(), "t" * 43  # a page's token (double-submit)
    client.set_cookie("_csrf_token", token)
    response = client.post(
        "/_dash-update-component", data=b"{}", content_type="application/json",
        headers={"X-CSRFToken": token}, environ_overrides={"CONTENT_LENGTH": str(cap + 1)})
    assert response.status_code == 413


def test_pain_journal_add_edit_delete(app):
    form = {"date": "2026-06-20", "area": "neck", "level": 3, "during_run": ["yes"],
            "flags": [], "note": "stiff"}
    with app.server.test_request_context():
        rows, message = pain.journal_action("save", form, None)
        assert message == "Saved 2026-06-20: neck 3/10."
        (added,) = [r for r in rows if r["area"] == "neck"]
        assert (added["level"], added["during_run"], added["note"]) == (3, "yes", "stiff")
        rows, _ = pain.journal_action("save", {**form, "level": 4}, added["id"])
        assert [r["level"] for r in rows if r["id"] == added["id"]] == [4]
        rows, message = pain.journal_action("save", {**form, "level": 12}, added["id"])
        assert rows is None and "pain level must be a whole number" in message
        rows, message = pain.journal_action("delete", form, added["id"])
        assert message == "Entry deleted." and all(r["id"] != added["id"] for r in rows)
        assert pain.journal_action("delete", form, None) == (
            None, "Select an entry to delete first.")


def test_pain_page_shows_pain_over_load_and_association_status(app):
    shown = render(app, pain)
    assert "pain-over-load" in shown and "Computing" in shown
    with app.server.test_request_context():
        association = texts(pain.fill_association("pain-association-box"))
    assert "Not enough data yet" in association  # 7 rated days, about 29 needed


def test_association_view_with_results():
    frame = pl.DataFrame({
        "metric": ["load"], "lag_days": [1], "n_pairs": [60], "rho": [0.42],
        "ci_low": [0.18], "ci_high": [0.61], "p_value": [0.002], "q_value": [0.01],
        "significant": [True], "status": ["ok"], "text": ["pain tended to be higher"],
    })
    shown = texts(pain.association_view(frame))
    assert "0.42" in shown and "0.18 to 0.61" in shown and "0.010" in shown
    assert "pain tended to be higher 1 day later after days with more training load" in shown


def test_export_downloads(app):
    with app.server.test_request_context():
        csv_payload = export.download_payload("csv")
        md_payload = export.download_payload("md")
        json_payload = export.download_payload("json")
    assert csv_payload["filename"] == "strideload-weekly-2026-06-20.csv"
    weekly = pl.read_csv(io.StringIO(csv_payload["content"]))
    assert weekly["week"].to_list() == ["2026-W23", "2026-W24", "2026-W25"]
    # runs every other day from Monday 1 June: 4 runs in W23, 3 in W24, 3 up to 20 June
    assert weekly["runs"].to_list() == [4, 3, 3]
    assert weekly["run_distance_m"][0] == pytest.approx(4 * 2.9 * 1799, abs=1)
    assert "| Week | Runs |" in md_payload["content"] and "not a diagnosis" in md_payload["content"]
    assert json.loads(json_payload["content"])[0]["week"] == "2026-W23"


def test_export_links_the_physio_report_which_lists_every_week(app):
    assert '"href": "/report"' in render(app, export)
    with Store(app.server.config["STRIDELOAD_DATA_DIR"]) as store:
        page = physio_report_html(store, DAY, footer="Shared <until> Friday")
    assert page.startswith("<!DOCTYPE html>") and "20 June 2026" in page
    assert all(f"<td>{week}</td>" in page for week in ("2026-W23", "2026-W24", "2026-W25"))
    assert "<script" not in page and "<a " not in page and "<link" not in page
    assert "Shared &lt;until&gt; Friday" in page  # text is escaped


def test_warm_up_renders_every_page_into_the_cache(app):
    service._CACHE.clear()
    warm_up(app).join(timeout=60)
    assert any("report" in key for key in service._CACHE)
    assert any("association" in key for key in service._CACHE)


def test_export_markdown_of_no_weeks():
    empty = pl.DataFrame()
    assert "No weeks with data yet." in export_module.to_markdown(empty)


def test_settings_save_validates_everything_before_storing(app):
    with app.server.test_request_context():
        with Store(app.server.config["STRIDELOAD_DATA_DIR"]) as store:
            rows = settings.threshold_rows(preferences.load_settings(store))
        edited = [dict(r, value="2.5") if r["name"] == "monotony_high" else r for r in rows]
        conventions = ["ewma" if s.name == "acwr_method" else s.default
                       for s in settings.CONVENTIONS]
        message = settings.save(1, "female", "Europe/Berlin", "metric", edited,
                                "1988", "abc", "", "", "4:45", *conventions)
        assert message == "Not saved: hr_max must be a number, got 'abc'"
        with Store(app.server.config["STRIDELOAD_DATA_DIR"]) as store:
            assert preferences.load_settings(store)["acwr_method"] != "ewma"
        message = settings.save(1, "female", "Europe/Berlin", "metric", edited,
                                "1988", "190", "", "", "4:45", *conventions)
        assert message == "Saved. Changed: monotony_high, acwr_method."
        with Store(app.server.config["STRIDELOAD_DATA_DIR"]) as store:
            assert preferences.load_settings(store)["acwr_method"] == "ewma"
            assert preferences.load_settings(store)["monotony_high"] == 2.5
            profile = preferences.load_profile(store)
            assert (profile.hr_max, profile.threshold_pace_s_per_km) == (190.0, 285)
            assert store.time_zone() == "Europe/Berlin"


def test_activities_table_and_detail(app):
    shown = render(app, activities)
    assert "10 activities" in shown and "[10](/activities/10)" in shown
    detail = render(app, activity, activity_id="1")
    assert "Running on 2026-06-01" in detail and "activity-track" in detail
    assert "0:29:59" in detail and "5.22 km" in detail


def data_url(data: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(data).decode()


def test_upload_callback_imports_and_reports_per_file(app):
    start = dt.datetime(2026, 6, 30, 6, tzinfo=dt.UTC)
    contents = [data_url(run_fit(start, seconds=600)), data_url(b"garbage"),
                data_url(gzip.compress(run_fit(start + dt.timedelta(days=1), seconds=600)))]
    with app.server.test_request_context():
        lines, imports, version = upload.on_upload(contents, ["a.fit", "b.fit", "c.fit.gz"], 3)
    shown = texts(lines)
    assert version == 4
    history = texts(imports)  # the upload is in the import history, its rejection with it
    assert "from an upload: 2 imported, 1 rejected" in history
    assert "rejected b.fit: not a FIT, GPX or TCX file" in history
    assert "2 imported, 0 duplicates, 1 rejected" in shown
    assert "imported a.fit: 1 activity" in shown
    assert "rejected b.fit: not a FIT, GPX or TCX file" in shown
