"""Today in headless Chromium on a store with a Garmin export whose last week had low HRV and
two days of raised resting HR: the suggestion is an easy run and the reason gives the numbers,
at desktop and phone widths."""

from __future__ import annotations

import datetime as dt

from browser import chromium, console_errors, serve_store
from test_browser_e2e import open_page
from test_readiness import garmin_export

from ingest.importer import import_items
from ingest.journal import make_entry
from ingest.sources import expand
from ingest.store import Store

TODAY = dt.date(2024, 5, 10)


def test_today_shows_the_readiness_reason(tmp_path):
    from selenium.webdriver.common.by import By

    export = tmp_path / "garmin.zip"
    export.write_bytes(garmin_export(40, TODAY))
    with Store(tmp_path / "data") as store:
        reports = list(import_items(expand([export]), store))
        assert sum(r.wellness_days for r in reports) > 0
        store.add_pain([make_entry(TODAY - dt.timedelta(days=39), 0)])
    with serve_store(tmp_path / "data", TODAY) as url, chromium(str(tmp_path)) as driver:
        for width in (1280, 390):
            driver.set_window_size(width, 900)
            open_page(driver, f"{url}/", "#today-suggestion")
            suggestion = driver.find_element(By.ID, "today-suggestion")
            assert suggestion.get_attribute("data-suggestion") == "easy"
            reasons = driver.find_element(By.ID, "today-reasons").text
            assert "Your HRV this week, 38 ms, is below your normal band" in reasons
            assert "your resting heart rate, 55 bpm, is 7 bpm above your 30-day median " \
                "(48 bpm) on 2 days running" in reasons
            assert "Plews et al. 2014" not in reasons  # one click away, not inline
            why = driver.find_element(
                By.XPATH, "//details[summary[normalize-space()='Why these limits']]")
            why.find_element(By.TAG_NAME, "summary").click()
            assert "Plews et al. 2014" in why.text
            assert driver.find_element(By.ID, "today-reasons").is_displayed()
        assert console_errors(driver) == []
