"""In headless Chromium: an Apple Health export uploaded through the Upload page's chunked
path (two chunks), then its runs with heart rate on the Activities page and its yoga in the
body-work log, at desktop and phone widths, without browser console errors; axe-core finds no
serious violation on the page with the upload's result lines."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from apple_health_files import CEST, Day, Workout, export_files
from axe import axe_source, violations
from browser import chromium, console_errors, grid_rows, serve_store, wait_until_complete
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

TODAY = dt.date(2026, 9, 12)
START = dt.datetime(2026, 9, 5, 7, 0, tzinfo=CEST)
#: Six one-hour runs (one on a treadmill) and a yoga session: export.zip stored uncompressed
#: is over 8 MB, so the page sends it in two chunks.
WORKOUTS = [Workout("Running", START + dt.timedelta(days=d), minutes=60, indoor=d == 2,
                    route=d != 2, hr_bpm=140 + d) for d in range(6)]
WORKOUTS.append(Workout("Yoga", START + dt.timedelta(days=6, hours=11), minutes=30,
                        route=False))
WIDTHS = {"desktop": (1280, 1000), "phone": (390, 844)}
WAIT_S = 120


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    with chromium(str(tmp_path_factory.mktemp("downloads"))) as browser:
        yield browser


def stored_zip(path, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_upload_an_apple_health_export_in_chunks_then_see_runs_with_hr(driver, tmp_path,
                                                                        width):
    export = tmp_path / "export.zip"
    stored_zip(export, export_files(WORKOUTS, [Day(dt.date(2026, 9, d)) for d in (9, 10)]))
    assert export.stat().st_size > 8 * 1024 * 1024
    with serve_store(tmp_path / "data", today=TODAY) as url:
        driver.set_window_size(*WIDTHS[width])
        driver.get_log("browser")
        driver.get(f"{url}/upload")
        wait = WebDriverWait(driver, WAIT_S)
        picker = wait.until(ec.presence_of_element_located((By.ID, "upload-chunked-file")))
        wait_until_complete(driver)
        assert driver.find_element(By.ID, "upload-chunked-results").text == ""  # nothing sent
        picker.send_keys(str(export))
        driver.find_element(By.ID, "upload-chunked-start").click()
        summary = wait.until(ec.presence_of_element_located((By.ID, "upload-chunked-summary")))
        assert summary.text == "8 imported, 0 duplicates, 0 rejected, 1 other files in " \
                               "archives skipped."
        status = driver.find_element(By.ID, "upload-chunked-status").text
        assert status == "Imported export.zip."
        assert driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth")
        wait_until_complete(driver)  # the import history is drawn again
        assert violations(driver, axe_source()) == []  # the results and the history too

        driver.get(f"{url}/activities")
        wait.until(ec.presence_of_element_located((By.ID, "activities-table")))
        wait_until_complete(driver)
        rows = grid_rows(driver, "activities-table", 7)
        assert [(r["local_date"], r["sport"]) for r in rows] == [
            ("2026-09-11", "training (yoga)"), ("2026-09-10", "running"),
            ("2026-09-09", "running"), ("2026-09-08", "running"),
            ("2026-09-07", "running (treadmill)"), ("2026-09-06", "running"),
            ("2026-09-05", "running")]
        hr = [r["avg_hr_bpm"] for r in rows[1:]]
        assert hr == [str(140 + d) for d in reversed(range(6))]

        driver.get(f"{url}/activities/1")  # the first run: route, pace, heart rate, cadence
        page = wait.until(ec.presence_of_element_located((By.ID, "activity-page")))
        wait_until_complete(driver)
        stats = page.find_element(By.CLASS_NAME, "stats").text.split("\n")
        assert stats[stats.index("avg heart rate") - 1] == "140 bpm"
        assert stats[stats.index("cadence") - 1] == "168 spm"
        assert stats[stats.index("pace") - 1] == "5:33 min/km"  # 3.0 m/s
        assert "Apple Watch (Watch6,2)" in page.find_element(By.CSS_SELECTOR, "p.muted").text
        assert "No GPS track" not in page.find_element(By.ID, "activity-track").text
        assert wait.until(lambda d: d.find_elements(By.CSS_SELECTOR,
                                                    "#activity-track .scatterlayer .trace"))
        assert console_errors(driver) == []
