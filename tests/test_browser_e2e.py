"""End to end in headless Chromium: upload, activities, pain entry changing today's advice,
weekly CSV download, every page free of browser console errors, and recovery (Garmin export
upload, Recovery page, morning check-in) at desktop and phone widths.

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
import math
import statistics
from pathlib import Path

import pytest
from browser import chromium, console_errors, grid_rows, serve_store, wait_until_complete
from click.testing import CliRunner
from fitfiles import run_fit
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from wellness_files import export_health_status, export_sleep, export_uds, export_zip
from xml_docs import gpx_doc, gpx_point, gpx_track, tpx

from dashboard.app import NAV
from dashboard.cli import main
from ingest.importer import import_items
from ingest.journal import make_entry
from ingest.sources import expand
from ingest.store import Store
from ingest.wellness.store import wellness_days

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
    rows = grid_rows(driver, "activities-table", 2)
    assert [(r["local_date"], r["sport"], r["file"]) for r in rows] == [
        ("2026-09-11", "running", "evening-run.gpx"),
        ("2026-09-10", "running", "morning-run.fit"),
    ]
    # elapsed and timer time (the watch paused nothing), then 1499 s at 3.1 m/s in km
    assert [rows[1][k] for k in ("elapsed", "timer", "distance")] == [
        "0:24:59", "0:24:59", "4.65"]


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
    assert "Your back pain is 6/10; from 5/10 we suggest a day without running." in reasons


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
    assert float(week["run_distance_m"]) == pytest.approx(expected_m, rel=0.02)
    assert float(week["pain_max"]) == 6


def test_settings_offers_a_backup_that_restores(driver, stored_site, tmp_path):
    url, _ = stored_site
    open_page(driver, f"{url}/settings", "#settings-backup")
    target = driver.downloads / f"strideload-backup-{TODAY}.zip"
    target.unlink(missing_ok=True)
    driver.find_element(By.ID, "settings-backup").click()
    wait(driver, lambda _: target.exists() and target.stat().st_size > 0
         and not list(driver.downloads.glob("*.crdownload")))
    wait(driver, ec.text_to_be_present_in_element((By.ID, "settings-backup-message"),
                                                  "Backup of 2 activities"))
    result = CliRunner().invoke(main, ["restore", str(target), "--data-dir",
                                       str(tmp_path / "restored")])
    assert result.exit_code == 0, result.output
    with Store(tmp_path / "restored") as restored:
        names = sorted(Path(name).name for name in restored.activities()["source_file"])
        assert names == ["evening-run.gpx", "morning-run.fit"]
        assert restored.pain()["level"].to_list() == [6]


@pytest.mark.parametrize("path", [path for _, path in NAV]
                         + ["/activities/1", "/report", "/form?run=1"])
def test_every_page_renders_without_console_errors(driver, stored_site, path):
    url, _ = stored_site
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(url + path)
    wait_until_complete(driver, timeout=WAIT_S)  # every callback of the page answered
    assert "Error" not in driver.find_element(By.TAG_NAME, "main").text.split("\n")[0]
    assert console_errors(driver) == []

# -- recovery: an empty Recovery page, a Garmin export uploaded, the page read, a check-in on
# Today, at desktop width and at 390 px (a phone).
POOR = 3  # the last nights: short, HRV down, resting HR up
DAYS = 40
WIDTHS = {"desktop": (1280, 1000), "phone": (390, 844)}
DATES = [TODAY - dt.timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
POOR_DAYS = [i >= DAYS - POOR for i in range(DAYS)]
HRV_MS = [42.0 if p else 60 * math.exp(0.06 * math.sin(i)) for i, p in enumerate(POOR_DAYS)]
RHR_BPM = [55 if p else 48 + i % 2 for i, p in enumerate(POOR_DAYS)]
LIGHT_S = [3600 * (3 if p else 4) + 60 * (i % 7) for i, p in enumerate(POOR_DAYS)]
REM_S = [1200 if p else 4800 for p in POOR_DAYS]
DEEP_S = 4800


def garmin_export() -> bytes:
    nights = [{"date": d.isoformat(), "deep": DEEP_S, "light": light, "rem": rem,
               "score": 60 if p else 80}
              for d, light, rem, p in zip(DATES, LIGHT_S, REM_S, POOR_DAYS, strict=True)]
    hrv = [(d.isoformat(), v, "BALANCED") for d, v in zip(DATES, HRV_MS, strict=True)]
    rhr = [(d.isoformat(), v, 50) for d, v in zip(DATES, RHR_BPM, strict=True)]
    return export_zip({
        "DI_CONNECT/DI-Connect-Wellness/a_sleepData.json": export_sleep(nights),
        "DI_CONNECT/DI-Connect-Wellness/a_healthStatusData.json": export_health_status(hrv),
        "DI_CONNECT/DI-Connect-Aggregator/UDSFile_a.json": export_uds(rhr),
    })


@contextlib.contextmanager
def recovery_site(root: Path):
    """Serve a new store holding :func:`garmin_export` (imported)."""
    export = root / "garmin-export.zip"
    export.write_bytes(garmin_export())
    with Store(root / "data") as store:
        reports = list(import_items(expand([export]), store, jobs=1))
        assert {r.status for r in reports} == {"imported"}
    with serve_store(root / "data", today=TODAY) as url:
        yield url, root / "data"


@pytest.fixture(scope="module")
def recovery_stored(tmp_path_factory):
    """For tests that only look at the recovery data."""
    with recovery_site(tmp_path_factory.mktemp("recovery")) as served:
        yield served


def open_at(driver, url: str, width: str, ready: str) -> None:
    """Load a page at a window width of :data:`WIDTHS` and wait until ``ready`` (CSS) shows."""
    driver.set_window_size(*WIDTHS[width])
    driver.get_log("browser")
    driver.get(url)
    wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, ready)))
    wait_until_complete(driver, timeout=WAIT_S)


def fits_width(driver) -> bool:
    """Nothing makes the page scroll sideways (wide tables scroll inside their own box)."""
    return driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth")


def test_recovery_page_before_any_import_says_what_to_import(driver, empty_site):
    url, _ = empty_site
    open_at(driver, f"{url}/recovery", "phone", "main h1")
    text = driver.find_element(By.TAG_NAME, "main").text
    assert "No recovery data yet" in text
    assert "Garmin or Apple Health export" in text and "GARMIN/Monitor" in text
    assert "check-in" in text
    assert fits_width(driver)


def test_upload_a_garmin_export_reports_wellness_days(driver, empty_site, tmp_path):
    url, _ = empty_site
    export = tmp_path / "garmin-export.zip"
    export.write_bytes(garmin_export())
    open_at(driver, f"{url}/upload", "desktop", "#upload-files input[type=file]")
    driver.find_element(By.CSS_SELECTOR, "#upload-files input[type=file]").send_keys(str(export))
    summary = wait(driver, ec.presence_of_element_located((By.ID, "upload-summary")))
    assert summary.text == "3 imported, 0 duplicates, 0 rejected, 1 other files in archives " \
                           "skipped."
    lines = sorted(li.text for li in driver.find_elements(By.CSS_SELECTOR,
                                                           ".upload-results li"))
    assert lines == [f"imported UDSFile_a.json: {DAYS} wellness days",
                     f"imported a_healthStatusData.json: {DAYS} wellness days",
                     f"imported a_sleepData.json: {DAYS} wellness days"]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_recovery_page_shows_signals_against_the_runners_normal(driver, recovery_stored, width):
    url, _ = recovery_stored
    open_at(driver, f"{url}/recovery", width, "#recovery-chart .main-svg")
    states = {li.get_attribute("data-signal"): li.get_attribute("data-state")
              for li in driver.find_elements(By.CSS_SELECTOR, "#recovery-status li")}
    assert states == {"hrv": "below_normal", "resting_hr": "elevated",
                      "sleep": "short_nights"}
    status = driver.find_element(By.ID, "recovery-status").text
    week = math.exp(sum(math.log(v) for v in HRV_MS[-7:]) / 7)  # 7-day mean of ln RMSSD
    median = statistics.median(RHR_BPM[-31:-1])  # the 30 days before today
    asleep = DEEP_S + LIGHT_S[-1] + REM_S[-1]
    assert f"HRV {week:.0f} ms (7-day mean), below your normal" in status
    assert "Garmin's own HRV status: balanced" in status
    assert (f"Resting HR 55 bpm, {55 - median:+.0f} vs your 30-day median {median:.0f} bpm, "
            "up on 2 days running") in status
    assert f"Last night {asleep // 3600}:{asleep % 3600 // 60:02d} h asleep" in status
    panels = driver.find_elements(By.CSS_SELECTOR, "#recovery-chart .cartesianlayer .subplot")
    assert len(panels) == 4  # HRV, resting HR, sleep, pain
    rows = driver.find_elements(By.CSS_SELECTOR, "#recovery-table tbody tr")
    assert len(rows) == 14
    assert rows[0].find_element(By.CSS_SELECTOR, "th[scope=row]").text == "Sat 12 Sep"
    assert fits_width(driver)
    assert console_errors(driver) == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_morning_check_in_on_today(driver, tmp_path, width):
    with recovery_site(tmp_path) as (url, data_dir):
        check_in(driver, url, data_dir, width)


def check_in(driver, url: str, data_dir: Path, width: str) -> None:
    open_at(driver, f"{url}/", width, "#checkin-save")
    assert fits_width(driver)
    rhr = driver.find_element(By.ID, "checkin-rhr")
    rhr.send_keys("200")
    driver.find_element(By.ID, "checkin-save").click()
    wait(driver, ec.text_to_be_present_in_element(
        (By.ID, "checkin-saved"),
        "Not saved: resting heart rate must be a number from 25 to 120 bpm, got 200"))
    rhr.send_keys(Keys.CONTROL, "a")
    rhr.send_keys("52")
    none = driver.find_element(By.CSS_SELECTOR, "#checkin-soreness input[value='0']")
    none.send_keys(Keys.SPACE)  # chosen by keyboard: focus "0 none", then arrows
    none.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    driver.find_element(By.ID, "checkin-save").click()
    wait(driver, ec.text_to_be_present_in_element((By.ID, "checkin-saved"),
                                                  "Saved the check-in for 12 Sep."))
    with Store(data_dir) as store:
        row = wellness_days(store, TODAY, TODAY).row(0, named=True)
    # the watch's resting HR stays the day's value; the check-in adds the soreness
    assert (row["resting_hr_bpm"], row["soreness"], row["source"]) == (
        55.0, 2.0, "garmin_export+manual")
    panel = driver.find_element(By.ID, "today-recovery").text
    assert "Resting HR 55 bpm" in panel and "See recovery beside your pain" in panel
    assert console_errors(driver) == []
