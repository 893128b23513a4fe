"""In headless Chromium: a runner with a finished vest experiment and a breathing-cue
experiment going on - Today's assignment and the Experiment page at 390 px and desktop, a tick
by keyboard, high pain pausing it, stopping, and "Test this" on the Factors page starting a new
one. The tests that only look share one store; each test that changes the experiment gets a
store of its own, so that no test depends on another's order."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager

import pytest
from browser import chromium, console_errors, serve_store, wait_until_complete
from experiment_runner import vest_runner
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import experiments
from ingest.journal import PainEntry
from ingest.store import Store

PHONE, DESKTOP = 390, 1280
CUE_DRAWN = dt.date(2026, 4, 1)  # the second experiment, drawn after the first ended
TODAY = dt.date(2026, 4, 8)  # its seventh day: block 1


@contextmanager
def served_runner(root):
    """The runner's store with the breathing-cue experiment, served: (url, driver, arm)."""
    vest = vest_runner(root)
    with Store(vest["data"]) as store:
        ev = experiments.start(store, 'custom:"breathing cue"', None, CUE_DRAWN, seed=5)
        store.add_pain([PainEntry(CUE_DRAWN + dt.timedelta(days=i), 1) for i in range(1, 8)])
        arm = ev.timeline.days.filter(ev.timeline.days["date"] == TODAY)["arm"][0]
    with serve_store(vest["data"], today=TODAY) as url, chromium(str(root)) as driver:
        yield url, driver, arm


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Shared by the tests that only look."""
    with served_runner(tmp_path_factory.mktemp("experiment")) as served:
        yield served


@pytest.fixture
def own_site(tmp_path_factory):
    """For a test that changes the experiment (ticks, pain, stop, start)."""
    with served_runner(tmp_path_factory.mktemp("experiment")) as served:
        yield served


def show(driver, url: str, width: int) -> None:
    driver.set_window_size(width, 1000)
    driver.get(url)
    wait_until_complete(driver, timeout=90)
    assert console_errors(driver) == []


def overflow(driver) -> int:
    return driver.execute_script("return document.documentElement.scrollWidth - "
                                 "window.innerWidth")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_today_shows_this_weeks_assignment(site, width):
    url, driver, arm = site
    show(driver, f"{url}/", width)
    line = driver.find_element(By.ID, "today-experiment-line")
    todo = "do it: breathing cue" if arm == "on" else "leave it out: breathing cue"
    assert line.text == f"this week: {todo} (block 1 of 12, pair 1 of 6; 1 day left in this " \
                        "block)."
    assert line.get_attribute("data-arm") == arm
    assert line.is_displayed() and overflow(driver) <= 1


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_experiment_page_shows_the_calendar_pain_and_the_finished_answer(site, width):
    url, driver, _ = site
    show(driver, f"{url}/experiment", width)
    assert driver.find_element(By.ID, "experiment-today").text.startswith("this week: ")
    calendar = driver.find_element(By.ID, "experiment-calendar")
    assert calendar.find_element(By.TAG_NAME, "caption").text.startswith(
        "Blocks of experiment 2")
    rows = calendar.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) == 12 and rows[0].find_element(By.TAG_NAME, "th").text == "1"
    assert [h.get_attribute("scope") for h in calendar.find_elements(
        By.CSS_SELECTOR, "thead th")] == ["col"] * 6
    WebDriverWait(driver, 30).until(  # plotly draws after the page settles
        lambda d: d.find_elements(By.CSS_SELECTOR, "#experiment-pain .main-svg"))
    chart = driver.find_element(By.CSS_SELECTOR, "[role=img][aria-label^='Dot chart of daily "
                                                 "pain']")
    assert chart.is_displayed()
    summary = driver.find_element(By.ID, "experiment-pain-summary").text
    assert "comparison comes when the experiment is over" in summary
    answer = driver.find_element(By.ID, "experiment-result-1")
    assert re.match(r"In your 6-pair experiment \(5 pairs counted\), your back was \d\.\d "
                    r"points worse in vest weeks \(95 % CI \d\.\d to \d\.\d;", answer.text)
    assert answer.get_attribute("data-conclusion") == "on_worse"
    pairs = driver.find_elements(By.CSS_SELECTOR, "#experiment-pairs-table-1 tbody tr")
    assert [r.find_element(By.TAG_NAME, "th").text for r in pairs] == ["1", "2", "3", "5", "6"]
    WebDriverWait(driver, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#experiment-pairs-1 .main-svg"))
    assert "pair 4" not in driver.find_element(By.ID, "experiment-pairs-1-summary").text
    assert overflow(driver) <= 1


def test_a_tick_by_keyboard(own_site):
    url, driver, _ = own_site
    show(driver, f"{url}/experiment", PHONE)
    button = driver.find_element(By.XPATH, "//button[text()='I followed it today']")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    for _ in range(60):  # tab through the page to the button, then Enter
        if driver.switch_to.active_element == button:
            break
        driver.switch_to.active_element.send_keys(Keys.TAB)
    assert driver.switch_to.active_element == button
    button.send_keys(Keys.ENTER)
    WebDriverWait(driver, 30).until(lambda d: "Noted: followed today (2026-04-08)"
                                    in d.find_element(By.ID, "experiment-message").text)
    first = driver.find_element(By.CSS_SELECTOR, "#experiment-calendar tbody tr")
    assert "100 % of 1 day" in first.text


def test_high_pain_on_today_pauses_the_experiment_and_resuming_waits(own_site):
    url, driver, _ = own_site
    show(driver, f"{url}/", PHONE)
    thumb = driver.find_element(By.CSS_SELECTOR, "#today-pain-level [role=slider]")
    thumb.send_keys(*[Keys.ARROW_RIGHT] * 6)
    WebDriverWait(driver, 10).until(lambda d: thumb.get_attribute("aria-valuenow") == "6")
    driver.find_element(By.ID, "today-pain-save").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_element(
        By.ID, "today-experiment-line").get_attribute("data-state") == "paused")
    assert driver.find_element(By.ID, "today-experiment-line").text.startswith(
        "Paused since Wed 08 April (pain of 5 or more, or a warning sign): the advice for "
        "today comes first.")
    show(driver, f"{url}/experiment", PHONE)
    banner = driver.find_element(By.ID, "experiment-today")
    assert banner.get_attribute("role") == "alert" and banner.text.startswith("Paused since")
    assert not driver.find_elements(By.XPATH, "//button[text()='I followed it today']")
    driver.find_element(By.XPATH, "//button[text()='Resume the experiment']").click()
    WebDriverWait(driver, 30).until(lambda d: "6/10" in d.find_element(
        By.ID, "experiment-message").text)
    assert driver.find_element(By.ID, "experiment-message").text.startswith(
        "Not done: not resumed: your latest pain rating (6/10 on 2026-04-08)")


def test_stop_then_test_a_factor_from_the_factors_page(own_site):
    url, driver, _ = own_site
    show(driver, f"{url}/experiment", DESKTOP)
    driver.find_element(By.XPATH, "//button[text()='Stop the experiment']").click()
    WebDriverWait(driver, 10).until(lambda d: d.switch_to.alert).accept()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "experiment-start-form"))
    assert "Stopped experiment 2" in driver.find_element(By.ID, "experiment-message").text
    assert driver.find_element(By.ID, "experiment-result-2").get_attribute(
        "data-conclusion") == "too_few_pairs"
    show(driver, f"{url}/factors", DESKTOP)
    link = WebDriverWait(driver, 90).until(lambda d: d.find_elements(
        By.CSS_SELECTOR, "li[data-factor=carry_vest] a.test-this"))[0]
    assert link.get_attribute("aria-label").startswith("Test this: runs with the vest")
    link.click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "experiment-lever"))
    wait_until_complete(driver, timeout=60)
    assert driver.find_element(By.ID, "experiment-lever").get_attribute("value") == \
        "carry:vest"
    driver.find_element(By.ID, "experiment-start").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "experiment-current"))
    assert driver.find_element(By.ID, "experiment-message").text.startswith(
        "Started experiment 3: 6 pairs of 7-day blocks")
    assert driver.find_element(By.ID, "experiment-today").text == \
        "Your experiment starts on Thu 09 April."
    show(driver, f"{url}/", PHONE)
    assert driver.find_element(By.ID, "today-experiment-line").text == \
        "Your experiment starts on Thu 09 April."
    assert console_errors(driver) == []
