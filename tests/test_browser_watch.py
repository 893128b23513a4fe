"""In headless Chromium: a run written into a watched watch folder while the dashboard is open
shows up by itself - the notice "1 new run imported from your watch", Today's suggestion,
the import history with a rejected file's reason - and the Settings page's watched folders
(one-click watch, add, remove). The dashboard runs in its own process with its watcher, as
``strideload dashboard`` does."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from browser import (
    callback_answered,
    chromium,
    console_errors,
    serve_store,
    wait_until_complete,
)
from fitfiles import run_fit
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from watch_helpers import garmin_mount

from ingest.store import Store
from ingest.watch.devices import MEDIA_ENV
from ingest.watch.state import add_folders

TODAY = dt.date(2026, 9, 12)
WAIT_S = 30


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    with chromium(str(tmp_path_factory.mktemp("downloads"))) as browser:
        yield browser


def wait(driver, condition, timeout: float = WAIT_S):
    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(condition)


def shown(driver, element_id: str) -> bool:
    found = driver.find_elements(By.ID, element_id)
    return bool(found) and found[0].is_displayed()


def open_page(driver, url: str) -> None:
    driver.get(url)
    wait_until_complete(driver, timeout=WAIT_S)


def test_a_run_from_the_watch_appears_with_a_notice_at_phone_width(driver, tmp_path):
    activity = garmin_mount(tmp_path / "media") / "GARMIN" / "Activity"
    with Store(tmp_path / "data") as store:
        add_folders(store, [activity], "garmin")
    driver.set_window_size(390, 844)
    try:
        with serve_store(tmp_path / "data", today=TODAY) as url:
            open_page(driver, f"{url}/")
            assert "Nothing to go on yet" in driver.find_element(By.ID, "today-advice").text
            assert not shown(driver, "watch-notice")
            data = run_fit(dt.datetime(2026, 9, 11, 6, tzinfo=dt.UTC), seconds=2400)
            written = time.monotonic()
            with open(activity / "Q9B10000.FIT", "wb") as copying:  # copied in pieces
                for i in range(4):
                    copying.write(data[i * len(data) // 4:(i + 1) * len(data) // 4])
                    copying.flush()
                    time.sleep(0.2)
            wait(driver, lambda d: shown(d, "watch-notice"))
            assert driver.find_element(By.ID, "watch-notice-text").text == (
                "1 new run imported from your watch.")
            wait(driver, lambda d: d.find_elements(By.ID, "today-suggestion"))  # no reload
            assert time.monotonic() - written < 60
            assert driver.execute_script(
                "return document.documentElement.scrollWidth") <= 390  # fits a phone

            (activity / "Q9B20000.FIT").write_bytes(b"no FIT file at all")
            wait(driver, lambda d: "could not be imported" in d.find_element(
                By.ID, "watch-notice-text").text)
            driver.find_element(By.LINK_TEXT, "Import history").click()
            wait(driver, lambda d: d.find_elements(By.ID, "import-history-list"))
            wait_until_complete(driver, timeout=WAIT_S)
            history = driver.find_element(By.ID, "import-history-list").text
            assert "from your watch: 0 imported, 1 rejected" in history
            assert "rejected Q9B20000.FIT: " in history and "Traceback" not in history

            dismiss = driver.find_element(By.ID, "watch-notice-dismiss")
            dismiss.send_keys(Keys.ENTER)  # by keyboard
            wait(driver, lambda d: not shown(d, "watch-notice"))
            open_page(driver, f"{url}/")
            callback_answered(driver, "watch-notice", timeout=WAIT_S)  # it looked for news
            assert not shown(driver, "watch-notice")  # dismissed stays dismissed
            assert console_errors(driver) == []
            driver.get("about:blank")  # stop asking a server that is about to stop
    finally:
        driver.set_window_size(1280, 1000)


def test_settings_watch_a_connected_watch_and_folders(driver, tmp_path, monkeypatch):
    mount = garmin_mount(tmp_path / "media")
    monkeypatch.setenv(MEDIA_ENV, str(tmp_path / "media"))  # the server process's media place
    inbox = tmp_path / "HealthFit"
    inbox.mkdir()
    Store(tmp_path / "data").close()
    with serve_store(tmp_path / "data", today=TODAY) as url:
        open_page(driver, f"{url}/settings")
        assert "No folder is watched yet." in driver.find_element(By.ID, "watch-folders").text
        assert f"connected at {mount}" in driver.find_element(By.ID, "watch-garmin").text
        driver.find_element(By.ID, "watch-add-garmin").click()
        wait(driver, lambda d: "Watching your watch (4 folders)." in d.find_element(
            By.ID, "watch-message").text)
        assert not shown(driver, "watch-garmin")  # offered no more
        folders = driver.find_element(By.ID, "watch-folders").text
        assert str(mount / "GARMIN" / "Activity") in folders and "your watch" in folders

        path = driver.find_element(By.ID, "watch-folder-path")
        path.send_keys(str(tmp_path / "missing"))
        driver.find_element(By.ID, "watch-add").click()
        wait(driver, lambda d: "it does not exist" in d.find_element(By.ID, "watch-message")
             .text)
        path.send_keys(Keys.CONTROL, "a")
        path.send_keys(str(inbox))
        driver.find_element(By.ID, "watch-add").send_keys(Keys.ENTER)
        wait(driver, lambda d: f"Watching {inbox}." == d.find_element(By.ID, "watch-message")
             .text)
        assert path.get_attribute("value") == ""  # ready for the next one
        open_page(driver, f"{url}/settings")  # kept in the store
        assert str(inbox) in driver.find_element(By.ID, "watch-folders").text
        remove = f"[aria-label='Remove {inbox} (stop watching it)']"
        driver.find_element(By.CSS_SELECTOR, remove).click()
        wait(driver, lambda d: f"No longer watching {inbox}." == d.find_element(
            By.ID, "watch-message").text)
        assert str(inbox) not in driver.find_element(By.ID, "watch-folders").text
        assert console_errors(driver) == []
        driver.get("about:blank")
