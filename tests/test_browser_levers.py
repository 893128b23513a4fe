"""In headless Chromium: add gear and assign it to a run, log body work on a phone-sized
screen, and delete an activity after confirming."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from browser import chromium, console_errors, grid_rows, serve_store
from click.testing import CliRunner
from fitfiles import run_fit
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.cli import main
from ingest.bodywork_store import sessions
from ingest.context import said
from ingest.store import Store

TODAY = dt.date(2026, 9, 12)
WAIT_S = 20
PHONE = (390, 844)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The app on a store with three runs (ids 1-3), in a desktop-sized browser."""
    root = tmp_path_factory.mktemp("levers")
    data = root / "data"
    for day in (8, 9, 10):
        path = root / f"run-{day}.fit"
        path.write_bytes(run_fit(dt.datetime(2026, 9, day, 6, tzinfo=dt.UTC), seconds=1500,
                                 speed=3.0))
        assert CliRunner().invoke(main, ["import", str(path), "--data-dir", str(data)]
                                  ).exit_code == 0
    with serve_store(data, today=TODAY) as url, chromium(str(root)) as driver:
        yield url, driver, data


def wait(driver, condition, timeout: float = WAIT_S):
    return WebDriverWait(driver, timeout).until(condition)


def open_page(driver, url: str, ready: str) -> None:
    driver.get(url)
    wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, ready)))


def text_in(driver, element_id: str, text: str) -> None:
    try:
        wait(driver, ec.text_to_be_present_in_element((By.ID, element_id), text))
    except TimeoutException:
        shown = driver.find_element(By.ID, element_id).text
        raise AssertionError(f"#{element_id} says {shown!r}, not {text!r} "
                             f"(browser console: {console_errors(driver)})") from None


def type_into(driver, element_id: str, text: str) -> None:
    """Type into an input and wait until the page holds the value (React may re-render)."""
    box = driver.find_element(By.ID, element_id)
    box.send_keys(text)
    wait(driver, lambda d: d.find_element(By.ID, element_id).get_attribute("value") == text)


def choose(driver, dropdown_id: str, option: str) -> None:
    """Open a dropdown and click the option with this text, as a user would."""
    driver.find_element(By.ID, dropdown_id).click()
    xpath = (f"//*[contains(@class, 'dash-dropdown-option')][normalize-space(.)="
             f"{json.dumps(option)}]")
    wait(driver, ec.element_to_be_clickable((By.XPATH, xpath))).click()


def test_add_gear_then_assign_it_to_a_run(site):
    url, driver, data = site
    driver.set_window_size(1280, 1000)
    open_page(driver, f"{url}/gear", "#gear-add")
    type_into(driver, "gear-name", "Ghost 15")
    choose(driver, "gear-default", "running")
    type_into(driver, "gear-retire-km", "600")
    driver.find_element(By.ID, "gear-add").click()
    text_in(driver, "gear-message", "Added Ghost 15 (gear 1).")
    (row,) = grid_rows(driver, "gear-table")
    assert (row["name"], row["retire at (km)"], row["default for"]) == (
        "Ghost 15", "600", "running")

    open_page(driver, f"{url}/activities/2", "#activity-save")
    choose(driver, "activity-gear", "Ghost 15 (shoes)")
    driver.find_element(By.TAG_NAME, "h1").click()  # close the list
    type_into(driver, "activity-tags", "hilly")
    driver.find_element(By.ID, "activity-save").click()
    text_in(driver, "activity-message", "Saved: running, 1 gear item, counts in load.")
    with Store(data) as store:
        assert [tuple(r) for r in store.db.execute(
            "SELECT activity_id, gear_id FROM activity_gear")] == [(2, 1)]
        assert said(store, 2)["tags"] == ["hilly"]
    open_page(driver, f"{url}/gear", "#gear-table")
    (row,) = grid_rows(driver, "gear-table")
    assert (row["distance (km)"], row["activities"]) == ("4.5", "1")  # 1499 s at 3.0 m/s
    assert console_errors(driver) == []


def test_log_ten_minutes_of_planks_and_cat_cow_on_a_phone(site):
    url, driver, data = site
    driver.set_window_size(*PHONE)
    open_page(driver, f"{url}/", ".bodywork-form")
    began = time.monotonic()
    form = driver.find_element(By.CSS_SELECTOR, ".bodywork-form")
    for name in ("plank", "cat-cow"):
        chip = form.find_element(By.XPATH, f".//label[normalize-space(.)='{name}']")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", chip)
        chip.click()
    minutes = form.find_element(By.CSS_SELECTOR, "input[type=number]")
    minutes.send_keys("10")
    form.find_element(By.XPATH, ".//button[normalize-space(.)='Save body work']").click()
    wait(driver, lambda d: "Saved" in form.find_element(By.CSS_SELECTOR, "[role=status]").text)
    elapsed = time.monotonic() - began
    message = form.find_element(By.CSS_SELECTOR, "[role=status]").text
    assert message == "Saved 2026-09-12: core, 10 min (plank, cat-cow)."
    assert elapsed < 30
    # nothing sticks out sideways on a 390 px screen
    assert driver.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
    with Store(data) as store:
        (row,) = sessions(store).to_dicts()
    assert (row["date"], row["source"], row["category"], row["minutes"]) == (
        TODAY, "manual", "core", 10.0)
    assert [e["name"] for e in row["exercises"]] == ["plank", "cat-cow"]
    # and the Body work page lists it
    open_page(driver, f"{url}/bodywork", "#bodywork-list")
    assert "plank; cat-cow" in driver.find_element(By.ID, "bodywork-list").text
    assert console_errors(driver) == []
    driver.set_window_size(1280, 1000)


def test_delete_an_activity_after_confirming(site):
    url, driver, data = site
    driver.set_window_size(1280, 1000)
    open_page(driver, f"{url}/activities/3", "#activity-delete")
    confirm = driver.find_element(By.ID, "activity-confirm")
    assert not confirm.is_displayed()
    driver.find_element(By.ID, "activity-delete").click()
    wait(driver, lambda d: confirm.is_displayed())
    driver.find_element(By.ID, "activity-delete-cancel").click()
    wait(driver, lambda d: not confirm.is_displayed())
    with Store(data) as store:
        assert store.activity(3) is not None
    driver.find_element(By.ID, "activity-delete").click()
    wait(driver, lambda d: confirm.is_displayed())
    driver.find_element(By.ID, "activity-delete-confirm").click()
    wait(driver, ec.presence_of_element_located((By.ID, "activity-deleted")))
    assert "Activity 3 deleted" in driver.find_element(By.TAG_NAME, "main").text
    with Store(data) as store:
        assert store.activity(3) is None and store.count() == 2
    open_page(driver, f"{url}/activities", "#activities-table")
    assert [row["link"] for row in grid_rows(driver, "activities-table")] == ["2", "1"]
    # keyboard: the exercise chips are reachable with Tab
    open_page(driver, f"{url}/", ".bodywork-form")
    chip = driver.find_element(By.CSS_SELECTOR, ".bodywork-form .chips input")
    chip.send_keys(Keys.SPACE)
    assert chip.is_selected()
    assert console_errors(driver) == []
