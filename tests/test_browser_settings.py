"""In headless Chromium: settings stored out of range (an older version, a hand edit of the
store) neither break a page nor pass silently - every page names them above its content."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from browser import chromium, console_errors, serve
from fitfiles import run_fit
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import preferences
from dashboard.app import NAV, create_app
from ingest.reader import read_activities
from ingest.store import Store

TODAY = dt.date(2026, 6, 30)
WAIT_S = 20


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad-settings")
    with Store(root / "data") as store:
        for day in range(0, 29, 2):
            start = dt.datetime(2026, 6, 1, 6, tzinfo=dt.UTC) + dt.timedelta(days=day)
            (run,) = read_activities(run_fit(start, seconds=1800, speed=2.9), f"r{day}.fit")
            store.add(run, f"{day:064d}", f"r{day}.fit")
        store.set_setting(preferences.SETTINGS_KEY, json.dumps(
            {"ctl_days": 0, "atl_days": 0, "acwr_chronic_days": -5, "pain_carry_days": 1e9}))
    app = create_app(root / "data", today=TODAY)
    with serve(app) as url, chromium(str(root)) as driver:
        yield url, driver


@pytest.mark.parametrize("path", [path for _, path in NAV])
def test_every_page_works_and_names_the_ignored_settings(site, path):
    url, driver = site
    driver.get_log("browser")
    driver.get(url + path)
    notice = WebDriverWait(driver, WAIT_S).until(ec.text_to_be_present_in_element(
        (By.ID, "stored-value-warnings"), "stored setting ctl_days = 0 ignored"))
    assert notice
    text = driver.find_element(By.ID, "stored-value-warnings").text
    assert "stored setting pain_carry_days = 1e+09 ignored (must be 0 to 7 days)" in text
    assert "acwr_chronic_days = -5" in text and "atl_days = 0" in text
    heading = WebDriverWait(driver, WAIT_S).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "main h1")))
    assert "Error" not in heading.text
    assert console_errors(driver) == []
