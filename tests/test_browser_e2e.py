"""End to end in headless Chromium: upload, activities, pain entry changing today's advice,
weekly CSV download, and every page free of browser console errors.

Independent of their order: a test that changes data gets a store of its own; the tests that
only look share one store built before them (two runs and a pain entry, stored directly). They
wait for conditions, never for a fixed time. A missing browser fails these tests (see
tests/browser.py): CI installs Chromium.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from browser import chromium, console_errors, serve_store, wait_until_complete
from fitfiles import run_fit
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from xml_docs import gpx_doc, gpx_point, gpx_track, tpx

from dashboard.app import NAV
from ingest.importer import import_items
from ingest.journal import make_entry
from ingest.sources import expand
from ingest.store import Store

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


def write_uploads(folder: Path) -> Path:
    """The two files a runner uploads: a watch run (FIT) and a phone run (GPX)."""
    folder.mkdir()
    (folder / "morning-run.fit").write_bytes(run_fit(RUN_START, seconds=1500, speed=3.1))
    (folder / "evening-run.gpx").write_text(phone_gpx(GPX_START))
    return folder


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    downloads = tmp_path_factory.mktemp("downloads")
    with chromium(str(downloads)) as browser:
        browser.downloads = downloads
        yield browser


@contextlib.contextmanager
def site(root: Path, stored: bool):
    """Serve a new store: empty, or holding the two uploads (imported) and pain 6 today."""
    uploads = write_uploads(root / "uploads")
    if stored:
        with Store(root / "data") as store:
            reports = list(import_items(expand([uploads]), store, jobs=1))
            assert {r.status for r in reports} == {"imported"}
            store.add_pain([make_entry(TODAY, 6)])
    with serve_store(root / "data", today=TODAY) as url:
        yield url, uploads


@pytest.fixture
def empty_site(tmp_path):
    with site(tmp_path, stored=False) as served:
        yield served


@pytest.fixture(scope="module")
def stored_site(tmp_path_factory):
    """For tests that only look: never changed by them."""
    with site(tmp_path_factory.mktemp("stored"), stored=True) as served:
        yield served


def wait(driver, condition, timeout: float = WAIT_S):
    return WebDriverWait(driver, timeout).until(condition)


def open_page(driver, url: str, ready: str) -> None:
    """Load a page; wait until the element ``ready`` (CSS) is rendered and every callback of
    the page has answered (a late answer would replace elements a test already uses)."""
    driver.get(url)
    wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, ready)))
    wait_until_complete(driver, timeout=WAIT_S)


def upload(driver, url: str, files: list[Path]) -> None:
    open_page(driver, f"{url}/upload", "#upload-files input[type=file]")
    picker = driver.find_element(By.CSS_SELECTOR, "#upload-files input[type=file]")
    picker.send_keys("\n".join(str(p) for p in files))
    wait(driver, ec.presence_of_element_located((By.ID, "upload-summary")))


def test_upload_fit_and_gpx_then_see_them_in_activities(driver, empty_site):
    url, uploads = empty_site
    upload(driver, url, sorted(uploads.iterdir()))
    assert driver.find_element(By.ID, "upload-summary").text == (
        "2 imported, 0 duplicates, 0 rejected.")
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
    assert cells[1][4] == "4.65"  # 1499 s at 3.1 m/s in km


def test_pain_entry_changes_todays_suggestion(driver, empty_site):
    url, uploads = empty_site
    upload(driver, url, sorted(uploads.iterdir()))
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


def test_weekly_csv_download(driver, stored_site):
    url, _ = stored_site
    open_page(driver, f"{url}/export", "#export-table")
    target = driver.downloads / f"strideload-weekly-{TODAY}.csv"
    target.unlink(missing_ok=True)
    driver.find_element(By.ID, "export-csv").click()
    wait(driver, lambda _: target.exists() and target.stat().st_size > 0
         and not list(driver.downloads.glob("*.crdownload")))
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert [r["week"] for r in rows] == ["2026-W37"]
    week = rows[0]
    assert int(week["runs"]) == 2
    expected_m = 3.1 * 1499 + 20 * 60 * 2.8  # watch run + phone run (GPS distance)
    assert float(week["distance_m"]) == pytest.approx(expected_m, rel=0.02)
    assert float(week["pain_max"]) == 6


@pytest.mark.parametrize("path", [path for _, path in NAV]
                         + ["/activities/1", "/export?view=print", "/form?run=1"])
def test_every_page_renders_without_console_errors(driver, stored_site, path):
    url, _ = stored_site
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(url + path)
    wait_until_complete(driver, timeout=WAIT_S)  # every callback of the page answered
    assert "Error" not in driver.find_element(By.TAG_NAME, "main").text.split("\n")[0]
    assert console_errors(driver) == []
