"""A real browser for end-to-end tests: headless Chromium driven by Selenium.

The app runs on a free localhost port in a process of its own, with the production server
(waitress), behind the same guard as for users. A missing browser is a test
failure, not a skip: CI installs Debian's chromium and chromium-driver (.ci/run). Tests wait
for conditions (an element, a text, every callback answered), never for a fixed time.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import selectors
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
)
#: Counts the app's requests in flight (Dash runs callbacks through fetch) and keeps the
#: outputs of the callbacks answered so far (:func:`callback_answered`); installed in every
#: page before its own scripts by :func:`chromium`.
COUNT_FETCHES = """
window.__pending = 0;
window.__answered = [];
const originalFetch = window.fetch;
window.fetch = function (...args) {
  window.__pending += 1;
  const body = args[1] && typeof args[1].body === 'string' ? args[1].body : '';
  return originalFetch.apply(this, args).finally(() => {
    window.__pending -= 1;
    try { window.__answered.push(String(JSON.parse(body).output)); } catch (e) {}
  });
};
"""
#: True when a page is shown and settled: its heading drawn, no callback pending, nothing
#: loading.
COMPLETE = ("return window.__pending === 0 && document.querySelector('main h1') !== null && "
            "document.querySelectorAll('[data-dash-is-loading=\"true\"]').length === 0")
#: Polls in a row that must find the page complete (a callback may trigger the next one).
QUIET_POLLS = 3


def find_browser() -> tuple[str, str]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not binary or not driver:
        raise RuntimeError(
            "headless Chromium is required for the browser tests: "
            "apt-get install chromium chromium-driver"
        )
    return binary, driver


@contextmanager
def serve(app) -> Iterator[str]:
    """Run a Dash app's Flask server on a free port; yield its base URL."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


#: The app on a data directory, served by a process of its own with the production server
#: (prints its port), watching the store's folders like ``strideload dashboard``. Arguments:
#: data directory, today (or ''), host.
SERVER_PROCESS = """
import datetime as dt, sys
from dashboard.app import create_app
from dashboard.server import make_server
from dashboard.watching import start_watcher
today = dt.date.fromisoformat(sys.argv[2]) if sys.argv[2] else None
app = create_app(sys.argv[1], today, sys.argv[3])
start_watcher(app)
server = make_server(app.server, sys.argv[3], 0, app.server.config["MAX_CONTENT_LENGTH"])
print(server.port, flush=True)
server.run()
"""
SERVER_START_S = 60


def _started(process: subprocess.Popen, pattern: str) -> re.Match:
    """The first line of the process's output matching ``pattern`` (within SERVER_START_S)."""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while selector.select(timeout=SERVER_START_S):
            line = process.stdout.readline()
            if not line:
                break
            if found := re.search(pattern, line):
                return found
    raise RuntimeError(f"the app server did not start within {SERVER_START_S} s "
                       f"(exit code {process.poll()})")


@contextmanager
def _running(command: list[str], pattern: str, env: dict | None = None) -> Iterator[re.Match]:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        yield _started(process, pattern)
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def serve_store(data_dir: str | os.PathLike, today: dt.date | None = None,
                host: str = "127.0.0.1") -> Iterator[str]:
    """Serve the app on ``data_dir`` from a new process, as ``strideload dashboard`` does;
    yield its base URL (on 127.0.0.1). (Dash keeps page callbacks in process-wide state: the
    first app of a process to serve takes them all, so each store under test gets a process of
    its own.)"""
    command = [sys.executable, "-c", SERVER_PROCESS, os.fspath(data_dir),
               today.isoformat() if today else "", host]
    with _running(command, r"^(\d+)$") as port:
        yield f"http://127.0.0.1:{port[1]}"


@contextmanager
def run_dashboard(*args: str) -> Iterator[str]:
    """``strideload dashboard ARGS --port 0`` in a new process; yields the address on this
    computer from its start-up line."""
    command = [sys.executable, "-c", "from dashboard.cli import main; main()", "dashboard",
               *args, "--port", "0"]
    with _running(command, r"(https?://127\.0\.0\.1:\d+)") as address:
        yield address[1]


@contextmanager
def chromium(download_dir: str) -> Iterator[webdriver.Chrome]:
    binary, driver_path = find_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option("prefs", {
        "download.default_directory": download_dir,
        "download.prompt_for_download": False,
    })
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.implicitly_wait(0)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": COUNT_FETCHES})
    try:
        yield driver
    finally:
        driver.quit()


def console_errors(driver: webdriver.Chrome) -> list[str]:
    """Severe browser console entries since the last call (favicon misses ignored)."""
    return [
        entry["message"] for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]
    ]


def wait_until_complete(driver: webdriver.Chrome, timeout: float = 30, poll_s: float = 0.02
                        ) -> None:
    """Wait until the page is complete (:data:`COMPLETE`) for QUIET_POLLS polls in a row."""
    quiet = 0

    def settled(d: webdriver.Chrome) -> bool:
        nonlocal quiet
        quiet = quiet + 1 if d.execute_script(COMPLETE) else 0
        return quiet >= QUIET_POLLS

    WebDriverWait(driver, timeout, poll_frequency=poll_s).until(settled)


def callback_answered(driver: webdriver.Chrome, output_id: str, timeout: float = 30) -> None:
    """Wait until a callback with an output on the element ``output_id`` has been answered
    since the page loaded, then until the page is complete (its answer drawn)."""
    WebDriverWait(driver, timeout, poll_frequency=0.02).until(lambda d: d.execute_script(
        "return window.__answered.some(o => o.includes(arguments[0]))", output_id))
    wait_until_complete(driver, timeout)


#: The rows an AG Grid shows (dashboard/a11y/grid.py), in order: each a dict column id ->
#: text (the row tick box column left out).
GRID_ROWS = """
const grid = document.getElementById(arguments[0]);
const rows = [...grid.querySelectorAll('.ag-center-cols-container [role=row]')];
rows.sort((a, b) => Number(a.getAttribute('aria-rowindex'))
                    - Number(b.getAttribute('aria-rowindex')));
return rows.map(row => Object.fromEntries([...row.querySelectorAll('[role=gridcell]')]
  .filter(cell => cell.getAttribute('col-id') !== 'ag-Grid-SelectionColumn')
  .map(cell => [cell.getAttribute('col-id'), cell.innerText.trim()])));
"""


def grid_rows(driver: webdriver.Chrome, grid_id: str, count: int | None = None,
              timeout: float = 20) -> list[dict[str, str]]:
    """The rows of the grid ``grid_id`` once it has drawn them (``count`` of them, if given)."""
    rows: list[dict[str, str]] = []

    def drawn(d: webdriver.Chrome) -> bool:
        nonlocal rows
        rows = d.execute_script(GRID_ROWS, grid_id)
        return bool(rows) and (count is None or len(rows) == count)

    WebDriverWait(driver, timeout).until(drawn)
    return rows
