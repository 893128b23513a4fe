"""Sign-in, sign-out and share links in headless Chromium, on a store with a password served on
127.0.0.1 (where the password is optional, and asked for once set): every page works signed in
without a Content-Security-Policy violation or another console error, at phone and desktop
widths, by keyboard."""

from __future__ import annotations

import datetime as dt

import pytest
from browser import chromium, console_errors, serve_store, wait_until_complete
from click.testing import CliRunner
from fitfiles import run_fit
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.app import NAV
from dashboard.cli import main
from ingest.journal import make_entry
from ingest.reader import read_activities
from ingest.store import Store

TODAY = dt.date(2026, 9, 12)
PASSWORD = "correct horse battery"
WAIT_S = 20
NAV_WIDTH = "return document.querySelector('.nav').scrollWidth"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("secured-site")
    with Store(folder) as store:
        for days_ago in (2, 9):
            start = dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(7),
                                        tzinfo=dt.UTC)
            (run,) = read_activities(run_fit(start, seconds=1800, speed=3.0), "run.fit")
            store.add(run, f"{days_ago:064d}", f"run-{days_ago}.fit")
        store.add_pain([make_entry(TODAY - dt.timedelta(days=1), 2)])
    result = CliRunner().invoke(main, ["password", "set", "--data-dir", str(folder)],
                                input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    with serve_store(folder, today=TODAY) as url:
        yield url


@pytest.fixture
def driver(tmp_path):
    with chromium(str(tmp_path)) as browser:
        yield browser


def wait(driver, condition):
    return WebDriverWait(driver, WAIT_S).until(condition)


def sign_in(driver, password: str) -> None:
    field = wait(driver, ec.presence_of_element_located((By.ID, "password")))
    assert driver.switch_to.active_element == field  # focused: type at once
    field.send_keys(password, Keys.ENTER)  # by keyboard


def test_sign_in_at_phone_width_every_page_then_sign_out(driver, site):
    driver.set_window_size(390, 844)
    driver.get(f"{site}/pain")
    wait(driver, ec.url_to_be(f"{site}/signin?next=/pain"))
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 390
    sign_in(driver, "not the password")
    wait(driver, ec.text_to_be_present_in_element((By.CSS_SELECTOR, "[role=alert]"),
                                                  "Wrong password."))
    (refused,) = console_errors(driver)  # the page's status, nothing else
    assert refused.endswith("the server responded with a status of 401 (UNAUTHORIZED)")
    sign_in(driver, PASSWORD)
    wait(driver, ec.url_to_be(f"{site}/pain"))
    wait_until_complete(driver, timeout=WAIT_S)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Pain journal"
    assert console_errors(driver) == []
    for path in [path for _, path in NAV] + ["/activities/1", "/form?run=1", "/report"]:
        driver.get(site + path)
        wait_until_complete(driver, timeout=WAIT_S)
        assert console_errors(driver) == [], path
        if path != "/report":  # the navigation with its sign-out button fits a phone
            assert driver.execute_script(NAV_WIDTH) <= 390, path
    driver.get(f"{site}/")
    wait_until_complete(driver, timeout=WAIT_S)
    thumb = driver.find_element(By.CSS_SELECTOR, "#today-pain-level [role=slider]")
    thumb.send_keys(*[Keys.ARROW_RIGHT] * 3)
    wait(driver, lambda d: thumb.get_attribute("aria-valuenow") == "3")
    driver.find_element(By.ID, "today-pain-save").click()  # a write: the page's token
    wait(driver, ec.text_to_be_present_in_element((By.ID, "today-pain-saved"),
                                                  "Saved: upper-back 3/10."))
    signout = driver.find_element(By.ID, "signout")
    signout.send_keys(Keys.ENTER)
    wait(driver, ec.url_to_be(f"{site}/signin"))
    driver.get(f"{site}/load")
    wait(driver, ec.url_to_be(f"{site}/signin?next=/load"))
    assert console_errors(driver) == []


def test_share_link_from_the_export_page_shows_the_report_only(driver, site):
    driver.get(f"{site}/export")
    sign_in(driver, PASSWORD)
    wait(driver, ec.url_to_be(f"{site}/export"))
    wait_until_complete(driver, timeout=WAIT_S)
    driver.find_element(By.ID, "export-share").click()
    link = wait(driver, ec.presence_of_element_located((By.ID, "export-share-url")))
    url = link.get_attribute("value")
    assert url.startswith(f"{site}/share/")
    assert "on this computer only" in driver.find_element(By.ID, "export-share-result").text
    driver.delete_all_cookies()  # the physiotherapist's browser
    driver.get(url)
    wait(driver, ec.presence_of_element_located((By.ID, "report-table")))
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("Running and back pain, ")
    weeks = [row.find_elements(By.TAG_NAME, "td")[0].text
             for row in driver.find_elements(By.CSS_SELECTOR, "#report-table tbody tr")]
    assert weeks[-1] == "2026-W37" and len(weeks) >= 2
    assert driver.find_elements(By.TAG_NAME, "a") == []
    assert driver.find_elements(By.TAG_NAME, "script") == []
    assert console_errors(driver) == []  # its style is allowed by its hash
    assert driver.get_cookies() == []
    driver.get(f"{site}/")
    wait(driver, ec.url_to_be(f"{site}/signin?next=/"))
