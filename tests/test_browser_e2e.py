"""End to end in headless Chromium: upload, activities, pain entry changing today's advice,
weekly CSV download, and every page free of browser console errors.

A missing browser fails these tests (see tests/browser.py): CI installs Chromium.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from pathlib import Path

import pytest
from browser import chromium, console_errors, serve
from fitfiles import run_fit
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from xml_docs import gpx_doc, gpx_point, gpx_track, tpx

from dashboard.app import NAV, create_app

TODAY = dt.date(2026, 9, 12)
RUN_START = dt.datetime(2026, 9, 10, 6, 0, tzinfo=dt.UTC)
GPX_START = dt.datetime(2026, 9, 11, 17, 0, tzinfo=dt.UTC)
WAIT_S = 20


def phone_gpx(start: dt.datetime, minutes: int = 20) -> str:
    """A phone-app GPX run: a point every 5 s heading north at ~2.8 m/s, with heart rate."""
    points = [
        gpx_point(52.52 + i * 5 * 2.8 / 111_195, 13.40,
                  (start + dt.timedelta(seconds=5 * i)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                  ele=35, extensions=tpx(hr=138, cad=84))
        for i in range(minutes * 12)
    ]
    return gpx_doc(gpx_track(points, sport="running"), creator="PhoneRunner 3.2")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    uploads = root / "uploads"
    uploads.mkdir()
    (uploads / "morning-run.fit").write_bytes(run_fit(RUN_START, seconds=1500, speed=3.1))
    (uploads / "evening-run.gpx").write_text(phone_gpx(GPX_START))
    downloads = root / "downloads"
    downloads.mkdir()
    app = create_app(root / "data", today=TODAY)
    with serve(app) as url, chromium(str(downloads)) as driver:
        yield url, driver, uploads, downloads


def wait(driver, condition, timeout: float = WAIT_S):
    return WebDriverWait(driver, timeout).until(condition)


def open_page(driver, url: str, ready: str) -> None:
    """Load a page and wait until the element ``ready`` (CSS) is rendered."""
    driver.get(url)
    wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, ready)))


def test_upload_fit_and_gpx_then_see_them_in_activities(site):
    url, driver, uploads, _ = site
    open_page(driver, f"{url}/upload", "#upload-files input[type=file]")
    picker = driver.find_element(By.CSS_SELECTOR, "#upload-files input[type=file]")
    picker.send_keys("\n".join(str(p) for p in sorted(uploads.iterdir())))
    summary = wait(driver, ec.presence_of_element_located((By.ID, "upload-summary")))
    assert summary.text == "2 imported, 0 duplicates, 0 rejected."
    # one line per file, in the order the browser hands the files over
    lines = sorted(li.text for li in driver.find_elements(By.CSS_SELECTOR, ".upload-results li"))
    assert lines == ["imported evening-run.gpx: 1 activity",
                     "imported morning-run.fit: 1 activity"]

    open_page(driver, f"{url}/activities", "#activities-table")
    rows = driver.find_elements(By.CSS_SELECTOR, "#activities-table tr")
    cells = [texts for row in rows
             if (texts := [td.text for td in row.find_elements(By.TAG_NAME, "td")])]
    assert [(c[1], c[2], c[-2]) for c in cells] == [
        ("2026-09-11", "running", "evening-run.gpx"),
        ("2026-09-10", "running", "morning-run.fit"),
    ]
    # elapsed and timer time (the watch paused nothing), then 1499 s at 3.1 m/s in km
    assert cells[1][3:6] == ["0:24:59", "0:24:59", "4.65"]


def test_pain_entry_changes_todays_suggestion(site):
    url, driver, _, _ = site
    open_page(driver, f"{url}/", "#today-suggestion")
    suggestion = driver.find_element(By.ID, "today-suggestion")
    assert suggestion.get_attribute("data-suggestion") == "train"
    thumb = driver.find_element(By.CSS_SELECTOR, "#today-pain-level [role=slider]")
    thumb.send_keys(*[Keys.ARROW_RIGHT] * 6)  # 0 -> 6, as a keyboard user would
    wait(driver, lambda d: thumb.get_attribute("aria-valuenow") == "6")
    driver.find_element(By.ID, "today-pain-save").click()
    wait(driver, ec.text_to_be_present_in_element((By.ID, "today-pain-saved"),
                                                  "Saved: upper-back 6/10."))
    wait(driver, lambda d: d.find_element(By.ID, "today-suggestion")
         .get_attribute("data-suggestion") == "rest")
    reasons = driver.find_element(By.ID, "today-reasons").text
    assert "pain = 6/10" in reasons


def test_weekly_csv_download(site):
    url, driver, _, downloads = site
    open_page(driver, f"{url}/export", "#export-table")
    driver.find_element(By.ID, "export-csv").click()
    target = downloads / f"strideload-weekly-{TODAY}.csv"
    deadline = time.monotonic() + WAIT_S
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    rows = list(csv.DictReader(io.StringIO(Path(target).read_text())))
    assert [r["week"] for r in rows] == ["2026-W37"]
    week = rows[0]
    assert int(week["runs"]) == 2
    expected_m = 3.1 * 1499 + 20 * 60 * 2.8  # watch run + phone run (GPS distance)
    assert float(week["run_distance_m"]) == pytest.approx(expected_m, rel=0.02)
    assert float(week["pain_max"]) == 6


@pytest.mark.parametrize("path", [path for _, path in NAV]
                         + ["/activities/1", "/export?view=print", "/form?run=1"])
def test_every_page_renders_without_console_errors(site, path):
    url, driver, _, _ = site
    driver.get_log("browser")  # drop what earlier pages logged
    open_page(driver, url + path, "main h1")
    time.sleep(1.0)  # let the page's callbacks run
    assert "Error" not in driver.find_element(By.TAG_NAME, "main").text.split("\n")[0]
    assert console_errors(driver) == []
