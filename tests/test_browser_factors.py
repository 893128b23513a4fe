"""In headless Chromium, on the demo history: the Factors page (desktop, a 390-px phone, by
keyboard) and the way back after the episode on Today."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from browser import chromium, console_errors, serve_store, wait_until_complete
from click.testing import CliRunner
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.cli import main

RETURN_DAY = dt.date(2026, 9, 16)  # the second week back after the August episode
PHONE_WIDTH = 390


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo store served as of a day in the return, in one browser."""
    root = tmp_path_factory.mktemp("factors")
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--data-dir", str(root / "data")])
    assert result.exit_code == 0, result.output
    with serve_store(root / "data", today=RETURN_DAY) as url, chromium(str(root)) as driver:
        yield url, driver


def show(driver, url: str, width: int = 1280) -> None:
    driver.set_window_size(width, 1000)
    driver.get(url)
    wait_until_complete(driver, timeout=90)
    assert console_errors(driver) == []


def test_factors_page_ranks_with_numbers_only_where_there_is_enough_data(site):
    url, driver = site
    show(driver, f"{url}/factors")
    related = driver.find_elements(By.CSS_SELECTOR, "#factors-related li.factor")
    assert related, driver.find_element(By.ID, "factors-box").text
    first = related[0]
    assert first.get_attribute("data-factor") in {"carry_vest", "no_warmup", "bodywork_7d"}
    assert "95 % CI" in first.text and "not a cause" in first.text
    assert "q = " in first.text and "rated days with" in first.text
    short = driver.find_elements(By.CSS_SELECTOR, "#factors-short li")
    assert short
    for item in short:  # below the minimum: the count of days, never an effect
        assert re.search(r"not enough data yet: \d+ of (8|28) days", item.text), item.text
        assert "CI" not in item.text and "points" not in item.text
    WebDriverWait(driver, 30).until(  # plotly draws after the page settles
        lambda d: d.find_elements(By.CSS_SELECTOR, "#factors-chart .main-svg"))
    assert "Benjamini-Hochberg" in driver.find_element(By.ID, "factors-method").text


def test_factors_page_fits_a_phone_and_is_reached_by_keyboard(site):
    url, driver = site
    show(driver, f"{url}/", PHONE_WIDTH)
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    for _ in range(30):  # tab through the navigation to the Factors link, then Enter
        if driver.switch_to.active_element.text == "Factors":
            break
        driver.switch_to.active_element.send_keys(Keys.TAB)
    assert driver.switch_to.active_element.text == "Factors"
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait_until_complete(driver, timeout=90)
    assert driver.current_url.endswith("/factors")
    assert driver.find_element(By.CSS_SELECTOR, "main h1").text == "What relates to your pain"
    assert driver.find_elements(By.CSS_SELECTOR, "#factors-box li")
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1


def test_today_shows_where_she_stands_and_next_weeks_running(site):
    url, driver = site
    show(driver, f"{url}/", PHONE_WIDTH)
    status = driver.find_element(By.ID, "today-return-status").text
    assert "began on 2026-08-24" in status and "settled on 2026-09-08" in status
    assert "6 weeks (NICE CKS" in status
    rows = driver.find_elements(By.CSS_SELECTOR, "#today-return-plan tbody tr")
    assert len(rows) >= 2
    assert rows[0].text.startswith("2 (this week)")
    assert re.search(r"\d+\.\d km", rows[0].text)
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
