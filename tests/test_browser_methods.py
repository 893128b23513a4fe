"""In headless Chromium: the Methods page finds a metric by name, shows the runner's own value
beside the default once a setting is changed, and opens at the section a link names."""

from __future__ import annotations

import json

import pytest
from browser import chromium, console_errors, serve, wait_until_complete
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import preferences
from dashboard.app import create_app
from dashboard.methods_view import href
from ingest.store import Store

WAIT_S = 20
#: The settings table row of a setting: its cells' texts.
ROW = """
const head = [...document.querySelectorAll('#section-3 table th[scope=row]')]
  .find(th => th.textContent === arguments[0]);
return head ? [...head.parentElement.children].map(cell => cell.textContent) : null;
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("methods")
    Store(root / "data").close()
    app = create_app(root / "data")
    with serve(app) as url, chromium(str(root)) as driver:
        yield url, driver, root / "data"


def visible(driver, element_id: str) -> bool:
    return driver.find_element(By.ID, element_id).is_displayed()


def test_search_finds_a_metric_by_its_name(site):
    url, driver, _ = site
    driver.get(url + "/methods")
    wait_until_complete(driver)
    assert visible(driver, "section-2") and visible(driver, "section-12-3")
    box = driver.find_element(By.ID, "methods-search")
    box.send_keys("monotony_high")
    WebDriverWait(driver, WAIT_S).until(ec.text_to_be_present_in_element(
        (By.ID, "methods-search-status"), "1 section mentions 'monotony_high': 3."))
    assert visible(driver, "section-3")
    assert not visible(driver, "section-2") and not visible(driver, "section-9")
    box.send_keys(Keys.CONTROL, "a", Keys.BACK_SPACE)
    box.send_keys("resting heart rate")
    WebDriverWait(driver, WAIT_S).until(ec.text_to_be_present_in_element(
        (By.ID, "methods-search-status"), "12.4"))
    assert visible(driver, "section-12") and visible(driver, "section-12-4")
    assert not visible(driver, "section-12-5") and not visible(driver, "section-3")
    assert console_errors(driver) == []


def test_the_runners_value_is_shown_beside_the_default(site):
    url, driver, data_dir = site
    driver.get(url + "/methods")
    wait_until_complete(driver)
    assert driver.execute_script(ROW, "monotony_high")[:3] == ["monotony_high", "2", "default"]
    assert "default of every setting" in driver.find_element(By.ID, "methods-yours").text
    with Store(data_dir) as store:
        store.set_setting(preferences.SETTINGS_KEY, json.dumps({"monotony_high": 2.5}))
    driver.get(url + "/methods")
    wait_until_complete(driver)
    assert driver.execute_script(ROW, "monotony_high")[:3] == ["monotony_high", "2", "2.5"]
    assert driver.execute_script(ROW, "monotony_warn")[:3] == ["monotony_warn", "1.5",
                                                               "default"]
    yours = driver.find_element(By.ID, "methods-yours")
    assert "monotony_high = 2.5 (default 2) - section 3" in yours.text
    assert yours.find_element(By.LINK_TEXT, "section 3").get_attribute("href").endswith(
        href("3"))
    assert console_errors(driver) == []


def test_a_link_opens_the_page_at_its_section(site):
    url, driver, _ = site
    driver.get(url + href("11.4"))
    wait_until_complete(driver)
    top = driver.execute_script(
        "return document.getElementById('section-11-4').getBoundingClientRect().top")
    assert driver.execute_script("return window.scrollY") > 1000 and abs(top) < 50
