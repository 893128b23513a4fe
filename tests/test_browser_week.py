"""Today in a real browser: the week-ahead strip, a plan added and deleted on the page, the
reasons with their limits one click away, and the page at phone width (axe, tap targets, no
sideways scroll, keyboard)."""

from __future__ import annotations

import datetime as dt

import pytest
from axe import axe_source, violations
from browser import chromium, console_errors, serve_store, wait_until_complete
from fitfiles import run_fit
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from test_browser_a11y import HEADINGS, SMALL_TARGETS

from ingest.importer import import_items
from ingest.sources import expand
from ingest.store import Store

TODAY = dt.date(2026, 6, 15)
WAIT_S = 40
#: Tap targets on Today at phone width that must be at least 40 px tall.
TALL = """
const short = [];
const selector = 'main button, main summary, main input[type=number], main input[type=date], '
  + 'main label:has(input[type=radio]), main details.why a';
for (const el of document.querySelectorAll(selector)) {
  if (!el.getClientRects().length) continue;
  const box = el.getBoundingClientRect();
  if (box.height < 39.5) short.push(el.outerHTML.slice(0, 200) + " " + Math.round(box.height));
}
return short;
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Six weeks of 8 km runs every other day up to yesterday (longest 8 km), served."""
    root = tmp_path_factory.mktemp("week")
    files = root / "files"
    files.mkdir()
    for back in range(42, 0, -2):
        day = TODAY - dt.timedelta(days=back)
        start = dt.datetime.combine(day, dt.time(6), dt.UTC)
        (files / f"run{back:02d}.fit").write_bytes(run_fit(start, seconds=2400, speed=10 / 3))
    data = root / "data"
    with Store(data) as store:
        assert {r.status for r in import_items(expand([files]), store, jobs=1)} == {"imported"}
    with serve_store(data, today=TODAY) as url:
        yield url


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    with chromium(str(tmp_path_factory.mktemp("downloads"))) as browser:
        yield browser


def days(driver) -> dict[str, tuple[str, str]]:
    """Date -> (suggestion, text) of each day of the strip."""
    return {li.get_attribute("data-date"): (li.get_attribute("data-suggestion"), li.text)
            for li in driver.find_elements(By.CSS_SELECTOR, "#today-week-days > li")}


def wait_for(driver, condition) -> None:
    WebDriverWait(driver, WAIT_S).until(lambda d: condition(d))
    wait_until_complete(driver, timeout=WAIT_S)


def test_week_strip_and_a_plan_added_and_deleted_on_the_page(driver, site):
    driver.set_window_size(1280, 1000)
    driver.get(site + "/")
    wait_until_complete(driver, timeout=WAIT_S)
    strip = days(driver)
    assert list(strip) == [(TODAY + dt.timedelta(days=k)).isoformat() for k in range(7)]
    summary = driver.find_element(By.ID, "today-week-summary").text
    # the 7 days before: runs 2, 4 and 6 days back, 8 km each; the limit is 30 % more
    ran = 8.0 * sum(1 for back in range(2, 8, 2))
    assert f"up to {round(ran * 1.3, 1):g} km of running" in summary
    assert f"the {ran:g} km of the 7 days before" in summary
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    assert "A run up to 8.8 km stays within the long-run limit" in strip[tomorrow][1]

    driver.find_element(By.ID, "today-plan-distance").send_keys("14")
    driver.find_element(By.ID, "today-plan-add").click()
    wait_for(driver, lambda d: "Added" in d.find_element(By.ID, "today-plan-message").text)
    assert "running 14 km" in driver.find_element(By.ID, "today-plan-message").text
    suggestion, text = days(driver)[tomorrow]
    assert suggestion == "easy"
    assert "running 14 km" in text
    assert f"Keep {dt.date.fromisoformat(tomorrow):%A}'s run under 8.8 km." in text
    assert "Planned running: 14 km" in driver.find_element(By.ID, "today-week-summary").text
    # the reason in words behind the flag, its limit one click further
    day = driver.find_element(By.CSS_SELECTOR, f"li[data-date='{tomorrow}']")
    day.find_element(By.CSS_SELECTOR, "details.why > summary").click()
    assert "The run you plan on" in day.text and "75 % longer" in day.text
    day.find_element(By.CSS_SELECTOR, "details.why details.why > summary").click()
    link = day.find_element(By.CSS_SELECTOR, "a[href='/methods#section-5']")
    assert "Frandsen 2025" in day.text and link.is_displayed()
    assert violations(driver, axe_source()) == []  # a flagged day, its disclosures open

    delete = driver.find_element(By.CSS_SELECTOR, "#today-plan-list button")
    assert delete.get_attribute("aria-label").startswith("Delete running 14 km")
    delete.click()
    wait_for(driver, lambda d: "No sessions planned" in d.find_element(
        By.ID, "today-plan-list").text)
    assert days(driver)[tomorrow][0] == "train"
    assert console_errors(driver) == []


def test_bad_plan_is_refused_in_one_line(driver, site):
    driver.set_window_size(1280, 1000)
    driver.get(site + "/")
    wait_until_complete(driver, timeout=WAIT_S)
    driver.find_element(By.ID, "today-plan-add").click()
    wait_for(driver, lambda d: d.find_element(By.ID, "today-plan-message").text)
    assert driver.find_element(By.ID, "today-plan-message").text == \
        "Not saved: give a distance in km or a duration in minutes"


def test_today_at_phone_width_by_thumb_and_keyboard(driver, site):
    driver.set_window_size(390, 844)
    driver.get(site + "/")
    wait_until_complete(driver, timeout=WAIT_S)
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 390
    assert violations(driver, axe_source()) == []
    assert driver.execute_script(HEADINGS) == [1, 1, False]
    assert driver.execute_script(SMALL_TARGETS) == []
    assert driver.execute_script(TALL) == []
    # the week strip is one column: each day as wide as the screen allows
    widths = driver.execute_script(
        "return [...document.querySelectorAll('#today-week-days > li')]"
        ".map(li => li.getBoundingClientRect().width)")
    assert len(widths) == 7 and min(widths) > 300
    # keyboard: minutes typed, Tab past the sport to Add, Enter adds the plan
    minutes = driver.find_element(By.ID, "today-plan-minutes")
    minutes.send_keys("45")
    passed = []
    for _ in range(8):  # the number box's steppers and the sport chips come first
        driver.switch_to.active_element.send_keys(Keys.TAB)
        passed.append(driver.switch_to.active_element.get_attribute("id") or "")
        if passed[-1] == "today-plan-add":
            break
    added = driver.switch_to.active_element
    assert added.get_attribute("id") == "today-plan-add", passed
    added.send_keys(Keys.ENTER)
    wait_for(driver, lambda d: "Added" in d.find_element(By.ID, "today-plan-message").text)
    assert "running 45 min" in driver.find_element(By.ID, "today-plan-list").text
    # the limits open by keyboard
    summary = driver.find_element(By.CSS_SELECTOR, "#today-advice details.why > summary")
    summary.send_keys(Keys.ENTER)
    assert driver.find_element(By.CSS_SELECTOR, "#today-advice details.why") \
        .get_attribute("open") is not None
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 390
    driver.find_element(By.CSS_SELECTOR, "#today-plan-list button").send_keys(Keys.ENTER)
    wait_for(driver, lambda d: "No sessions planned" in d.find_element(
        By.ID, "today-plan-list").text)
    assert console_errors(driver) == []
