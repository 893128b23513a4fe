"""Accessibility in headless Chromium, on the demo history and what it leaves out (a finished
and a running personal experiment, recovery data, a watched folder, an import history), so
that every kind of data is on every page:

- axe-core on every page of the navigation (``NAV``: new pages are covered by themselves), an
  activity (a run with laps, a strength workout with exercises), the print view and the
  physiotherapist's report, at 1280 and 390 px: no critical or serious violation; one H1 and
  no skipped heading level; no page-level sideways scrolling (a wide table scrolls in its own
  box); at 390 px tap targets of at least 24 x 24 px and 40 px tall (nav links and every
  control of the content but links inside a sentence); and the same pages of an empty store
  at 390 px; the sign-in page (also with its alert) and pages signed in, with
  the navigation's sign-out button;
- the keyboard alone: Tab from the top reaches every control of each page once (a grid is one
  stop), and on past the last; Shift+Tab the same backwards; every stop shows a focus ring;
  signing in;
- the grids' keyboard model: arrows inside, Tab out, Space selects a row (Pain: then "Delete
  selected"), Enter opens an activity's link, Enter edits a threshold (Settings: then "Save
  settings"); the skip link moves focus to the page's content.

The demo store is served once (its own process) for the tests that only look; the tests that
change data get a small store of their own.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from axe import axe_source, violations
from browser import chromium, console_errors, grid_rows, serve_store, wait_until_complete
from fitfiles import run_fit
from secured_site import PASSWORD, make_store
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from wellness_files import export_sleep

from dashboard import experiments, preferences
from dashboard.app import NAV
from dashboard.demo import demo_today, load_demo
from ingest.import_report import FileReport
from ingest.importer import import_items
from ingest.journal import make_entry
from ingest.sources import expand
from ingest.store import Store
from ingest.watch.state import add_folders, record_pass
from ingest.wellness.checkin import checkin
from ingest.wellness.garmin_json import read_garmin_json
from ingest.wellness.store import add_batch

WIDTHS = {"desktop": (1280, 1000), "phone": (390, 844)}
#: A run with laps and a strength workout with exercises in the demo history.
ACTIVITIES = ("/activities/2", "/activities/1")
PAGES = [path for _, path in NAV] + [*ACTIVITIES, "/export?view=print"]
#: Pages served outside Dash, checked by axe too: the report for the physiotherapist (the
#: sign-in page has a test of its own: it needs a password set).
OUTSIDE_DASH = ["/report"]
WAIT_S = 30

#: Every element the Tab key stops at, in DOM order, each with the key it is logged under:
#: a grid (AG Grid) is one stop (entered through its focus guard), a radio group one stop.
TAB_STOPS = """
window.tabKey = function (el) {
  const grid = el.closest('.ag-root, .ag-tab-guard');
  if (grid) return 'grid:' + el.closest('[data-grid-label]').getAttribute('data-grid-label');
  if (el.type === 'radio') return 'radio:' + el.name;
  if (!el.dataset.kb) el.dataset.kb = 'e' + (window.kbCount = (window.kbCount || 0) + 1);
  return el.dataset.kb;
};
const selector = 'a[href], button, input, select, textarea, summary, [tabindex]';
const keys = [];
for (const el of document.querySelectorAll(selector)) {
  if (el.tabIndex < 0 || el.disabled || el.closest('[inert]')
      || el.closest('details:not([open]) > :not(summary)') || el.type === 'hidden') continue;
  if (el.closest('.ag-root-wrapper') && el.closest('.ag-root, .ag-tab-guard')
      && !el.matches('.ag-tab-guard')) continue;  // a grid's cells: it is entered by its guard
  const style = getComputedStyle(el);
  if (!el.getClientRects().length || style.visibility === 'hidden') continue;
  if (el.type === 'radio' && !el.checked
      && document.querySelector('input[type=radio][name="' + CSS.escape(el.name)
                                + '"]:checked')) continue;
  const key = tabKey(el);
  if (!keys.includes(key)) keys.push(key);
}
return keys;
"""
#: Logs each focus (key, and whether a focus ring shows) in ``window.kbLog``.
LOG_FOCUS = """
window.kbLog = [];
document.addEventListener('focusin', (event) => {
  const el = event.target;
  if (el.classList && el.classList.contains('ag-tab-guard')) return;
  const ringed = el.closest('.dropzone') || el;
  const style = getComputedStyle(ringed);
  const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  window.kbLog.push([tabKey(el), ring, el.outerHTML.slice(0, 120)]);
});
"""
#: Headings in order: one H1, first; no level skipped going down.
HEADINGS = """
const levels = [...document.querySelectorAll('main h1, main h2, main h3, main h4')]
  .filter(h => h.getClientRects().length).map(h => Number(h.tagName[1]));
const skipped = levels.some((level, i) => i > 0 && level > levels[i - 1] + 1);
return [levels.filter(l => l === 1).length, levels[0], skipped];
"""
#: Visible controls smaller than 24 x 24 px (a tick box or radio counts with its label; a
#: link inside a sentence is exempt, as WCAG 2.2 allows).
SMALL_TARGETS = """
const small = [];
const selector = 'a[href], button, input, select, textarea, summary, [role=button], [role=slider]';
for (const el of document.querySelectorAll(selector)) {
  if (!el.getClientRects().length || el.type === 'hidden' || el.type === 'file'
      || el.getAttribute('aria-hidden') === 'true') continue;
  if (el.closest('.modebar-container, .ag-root')) continue;  // chart toolbar, grid cells
  const target = (el.type === 'checkbox' || el.type === 'radio') ? el.closest('label') || el : el;
  const box = target.getBoundingClientRect();
  if (box.width === 0 && box.height === 0) continue;
  const inline = el.tagName === 'A' && el.closest('p, li, .muted')
    && el.closest('p, li, .muted').textContent.trim() !== el.textContent.trim();
  if (!inline && (box.width < 24 || box.height < 24)) {
    small.push(el.outerHTML.slice(0, 80) + ' ' + Math.round(box.width) + 'x'
               + Math.round(box.height));
  }
}
return small;
"""
#: Tap targets under 40 px tall at phone width: nav links and every visible control of the
#: page's content (buttons, links, inputs, disclosures, sliders; a tick box or radio with its
#: label, a dropdown as a whole). Exempt: a link inside a sentence (its line is the target, as
#: WCAG 2.5.8 allows), a chart's toolbar, a grid's cells (the grid is one keyboard stop).
TALL_TARGETS = """
const short = [];
const controls = ['a[href]', 'button', 'input', 'select', 'textarea', 'summary',
                  '[role=button]', '[role=slider]'];
const selector = '.nav-link, ' + controls.map(c => 'main ' + c).join(', ');
for (const el of document.querySelectorAll(selector)) {
  if (!el.getClientRects().length || el.type === 'hidden' || el.type === 'file'
      || el.getAttribute('aria-hidden') === 'true') continue;
  if (el.closest('.modebar-container, .ag-root')) continue;
  let target = el;
  if (el.type === 'checkbox' || el.type === 'radio') target = el.closest('label') || el;
  else if (el.closest('.dash-dropdown')) target = el.closest('.dash-dropdown');
  const box = target.getBoundingClientRect();
  if (box.width === 0 && box.height === 0) continue;
  const block = el.closest('p, li, td, .muted');
  const inline = el.tagName === 'A' && block
    && block.textContent.trim() !== el.textContent.trim();
  if (!inline && box.height < 39.5) {
    short.push(target.outerHTML.slice(0, 80) + ' ' + Math.round(box.height));
  }
}
return [...new Set(short)];
"""
#: Wider than the window: the page scrolls sideways (a wide table scrolls in its own box).
SIDEWAYS = ("const root = document.documentElement; "
            "return root.scrollWidth > root.clientWidth ? root.scrollWidth : 0;")


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    with chromium(str(tmp_path_factory.mktemp("downloads"))) as browser:
        yield browser


def add_what_the_demo_leaves_out(store: Store, folder: Path, reports: list[FileReport]
                                 ) -> None:
    """So that no page is shown empty: a finished personal experiment and one under way (the
    Experiment page, Today's assignment), six weeks of morning check-ins and two of Garmin
    nights (Recovery), a watched folder with a long path (Settings) and the demo's import
    with one with a rejected file in the import history (Upload)."""
    end = demo_today()
    record_pass(store, "upload", reports)
    record_pass(store, "import", [FileReport("watch/2026-10-18-07-12-03.fit", "rejected",
                                             reason="the file ends before its data: cut "
                                                    "short while copying?")])
    done = experiments.start(store, 'custom:"evening stretch"', None, dt.date(2026, 6, 1),
                             pairs=5, seed=3)
    for day in done.timeline.days["date"]:  # followed every day: every pair counts
        experiments.log(store, day, True, day)
    experiments.start(store, "warmup", None, end - dt.timedelta(days=9), seed=4)
    experiments.log(store, end - dt.timedelta(days=1), True, end)
    for k in range(42):
        add_batch(store, checkin(end - dt.timedelta(days=k), rhr=48 + k % 4, hrv=58 + k % 7,
                                 sleep_h=7 + k % 3 / 2, sleep_quality=3, soreness=k % 3),
                  "hand entry")
    nights = [{"date": (end - dt.timedelta(days=k)).isoformat(), "deep": 4800,
               "light": 14400, "rem": 5400, "score": 70 + k} for k in range(14)]
    add_batch(store, read_garmin_json(export_sleep(nights)), "sleepData.json")
    watched = folder / "Dropbox" / "Apps" / "HealthFit" / "exported-workouts-2026"
    watched.mkdir(parents=True)
    add_folders(store, [watched])


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo history and what it leaves out, served; for tests that only look."""
    folder = tmp_path_factory.mktemp("demo")
    with Store(folder / "data") as store:
        add_what_the_demo_leaves_out(store, folder, load_demo(store, jobs=1))
    with serve_store(folder / "data", today=demo_today()) as url:
        yield url


#: True when every chart of the page is drawn (plotly draws after the callbacks have answered,
#: its toolbar buttons among the Tab stops).
CHARTS_DRAWN = ("return [...document.querySelectorAll('.dash-graph')]"
                ".every(graph => graph.querySelector('.main-svg'))")


def show(driver, url: str, width: str) -> None:
    driver.set_window_size(*WIDTHS[width])
    driver.get_log("browser")
    driver.get(url)
    wait_until_complete(driver, timeout=WAIT_S)
    WebDriverWait(driver, WAIT_S).until(lambda d: d.execute_script(CHARTS_DRAWN))


def problems(driver, source: str, width: str) -> list[str]:
    """What the checks find on the page shown, one line each: axe's critical and serious
    violations, the headings, sideways scrolling, at 390 px small or short tap targets, and
    browser console errors."""
    found = violations(driver, source)
    ones, first, skipped = driver.execute_script(HEADINGS)
    if (ones, first, skipped) != (1, 1, False):
        found.append(f"headings: {ones} H1, first H{first}, a level skipped: {skipped}")
    if scroll := driver.execute_script(SIDEWAYS):
        found.append(f"the page scrolls sideways: {scroll} px wide")
    if width == "phone":
        found += [f"small target {t}" for t in driver.execute_script(SMALL_TARGETS)]
        found += [f"under 40 px tall: {t}" for t in driver.execute_script(TALL_TARGETS)]
    return found + [f"console: {e}" for e in console_errors(driver)]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_finds_no_serious_violation_on_any_page(driver, demo, width):
    """One pass over every page per width; the failures of all pages reported together."""
    source = axe_source()
    failures: dict[str, list[str]] = {}
    for path in [*PAGES, *OUTSIDE_DASH]:
        show(driver, demo + path, width)
        if found := problems(driver, source, width):
            failures[path] = found
    assert failures == {}


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    """A new runner's store: nothing imported yet."""
    with serve_store(tmp_path_factory.mktemp("empty") / "data", today=demo_today()) as url:
        yield url


def test_axe_on_the_empty_pages_a_new_runner_sees(driver, empty):
    """What every page says before any data: the same checks at phone width."""
    source = axe_source()
    failures: dict[str, list[str]] = {}
    for path in [*PAGES, *OUTSIDE_DASH]:
        show(driver, empty + path, "phone")
        if found := problems(driver, source, "phone"):
            failures[path] = found
    assert failures == {}


def press(driver, key: str, times: int, shift: bool = False) -> list[list]:
    """Press ``key`` ``times`` times in one go; the focus log of those presses."""
    driver.execute_script("window.kbLog = [];")
    actions = ActionChains(driver)
    if shift:
        actions.key_down(Keys.SHIFT)
    for _ in range(times):
        actions.send_keys(key)
    if shift:
        actions.key_up(Keys.SHIFT)
    actions.perform()
    log = driver.execute_script("return window.kbLog;")
    return [entry for i, entry in enumerate(log) if i == 0 or entry[0] != log[i - 1][0]]


def walk(log: list[list], stops: list[str]) -> tuple[list[str], list[str], bool]:
    """What a walk missed, where no focus ring showed, and whether it went past the last stop
    (came round to the first again)."""
    keys = [key for key, _, _ in log]
    missed = [stop for stop in stops if stop not in keys]
    unringed = sorted({html for _, ring, html in log if not ring})
    last = keys.index(stops[-1]) if stops[-1] in keys else len(keys)
    return missed, unringed, stops[0] in keys[last + 1:]


@pytest.mark.parametrize("path", PAGES)
def test_the_keyboard_reaches_every_control_and_leaves_it(driver, demo, path):
    show(driver, demo + path, "desktop")
    walk_the_page(driver)


def walk_the_page(driver) -> None:
    """Tab from the top to every stop of the page shown and on past the last, then Shift+Tab
    the same backwards; a focus ring at each stop, no console error."""
    stops = driver.execute_script(TAB_STOPS)
    driver.execute_script(LOG_FOCUS)
    driver.execute_script("document.activeElement.blur(); window.scrollTo(0, 0);")
    forwards = press(driver, Keys.TAB, 2 * len(stops) + 5)
    missed, unringed, wrapped = walk(forwards, stops)
    assert (missed, unringed) == ([], []), forwards
    assert wrapped, f"Tab never went on past the last stop {stops[-1]}: {forwards[-5:]}"
    # backwards from the last stop
    backwards = press(driver, Keys.TAB, 1, shift=True)  # from the first stop round to the end
    backwards += press(driver, Keys.TAB, 2 * len(stops) + 5, shift=True)
    missed, unringed, wrapped = walk(backwards, stops[::-1])
    assert (missed, unringed) == ([], []), backwards
    assert wrapped, f"Shift+Tab never went on past {stops[0]}: {backwards[-5:]}"
    assert console_errors(driver) == []


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    """Two runs and a pain entry behind a password (set as a runner sets it)."""
    with serve_store(make_store(tmp_path_factory.mktemp("secured"))) as url:
        yield url


def test_sign_in_page_by_keyboard_then_the_pages_signed_in(driver, secured):
    """The sign-in page at both widths, and with its "Wrong password." alert: the checks of
    every page and the keyboard walk; then signed in by keyboard alone, the pages with the
    navigation's sign-out button."""
    source = axe_source()
    failures: dict[str, list[str]] = {}
    for width in WIDTHS:
        driver.delete_all_cookies()
        show(driver, secured + "/signin?next=/pain", width)
        failures[f"{width} /signin"] = problems(driver, source, width)
    assert driver.switch_to.active_element.get_attribute("id") == "password"  # type at once
    keys(driver, "not the password", Keys.ENTER)
    WebDriverWait(driver, WAIT_S).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "[role=alert]").text == "Wrong password.")
    wait_until_complete(driver, timeout=WAIT_S)
    refused = console_errors(driver)  # the page's own status, nothing else
    assert len(refused) == 1 and "401 (UNAUTHORIZED)" in refused[0], refused
    failures["phone /signin, wrong password"] = problems(driver, source, "phone")
    walk_the_page(driver)
    show(driver, secured + "/signin?next=/pain", "phone")  # again: the field has the focus
    assert driver.switch_to.active_element.get_attribute("id") == "password"
    keys(driver, PASSWORD, Keys.ENTER)
    WebDriverWait(driver, WAIT_S).until(lambda d: d.current_url == secured + "/pain")
    for width in WIDTHS:
        for path in ("/pain", "/settings"):
            show(driver, secured + path, width)
            assert driver.find_element(By.ID, "signout").is_displayed()
            failures[f"{width} {path}, signed in"] = problems(driver, source, width)
    assert {where: found for where, found in failures.items() if found} == {}


def active(driver) -> str:
    return driver.execute_script(
        "const e = document.activeElement; return (e.id || '') + '|' + e.className + '|' "
        "+ (e.getAttribute('col-id') || '') + '|' + e.innerText.slice(0, 40);")


def focus_grid(driver, grid_id: str) -> None:
    """Tab to the grid from the control just before it, as a keyboard user arrives."""
    driver.execute_script(
        "const grid = document.getElementById(arguments[0]);"
        "const before = [...document.querySelectorAll('a[href], button, input, summary')]"
        ".filter(e => e.tabIndex >= 0 && e.getClientRects().length"
        " && (e.compareDocumentPosition(grid) & Node.DOCUMENT_POSITION_FOLLOWING)).pop();"
        "before.focus();", grid_id)
    ActionChains(driver).send_keys(Keys.TAB).perform()
    WebDriverWait(driver, WAIT_S).until(
        lambda d: d.execute_script(
            "return document.activeElement.closest('#' + arguments[0] + ' .ag-root') !== null",
            grid_id))


def keys(driver, *sent: str) -> None:
    for key in sent:
        ActionChains(driver).send_keys(key).perform()


def shift_tab(driver) -> None:
    ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()


def test_skip_link_and_activity_links_by_keyboard(driver, demo):
    show(driver, demo + "/activities", "desktop")
    keys(driver, Keys.TAB)
    assert driver.switch_to.active_element.text == "Skip to main content"
    keys(driver, Keys.ENTER)
    assert driver.switch_to.active_element.get_attribute("id") == "main"
    newest = grid_rows(driver, "activities-table", 25)[0]  # newest first: the history's end
    assert newest["local_date"] == demo_today().isoformat() and newest["link"] != "1"
    focus_grid(driver, "activities-table")  # on the title of the first column, id
    keys(driver, Keys.ENTER)  # sorts by id, as numbers
    WebDriverWait(driver, WAIT_S).until(
        lambda d: [r["link"] for r in grid_rows(d, "activities-table")][:3] == ["1", "2", "3"])
    rows = grid_rows(driver, "activities-table")
    keys(driver, Keys.ARROW_DOWN, Keys.ARROW_DOWN)  # past the filter row to the first run
    WebDriverWait(driver, WAIT_S).until(lambda d: "|link|" in active(d)
                                        and active(d).endswith("|1"))
    keys(driver, Keys.ENTER)
    WebDriverWait(driver, WAIT_S).until(lambda d: d.current_url.endswith("/activities/1"))
    wait_until_complete(driver, timeout=WAIT_S)
    assert driver.find_element(By.TAG_NAME, "h1").text.endswith(f"on {rows[0]['local_date']}")


def test_show_as_table_by_keyboard(driver, demo):
    """Enter on "Show as table" under the weekly chart draws the chart's numbers."""
    show(driver, demo + "/load", "desktop")
    summary = driver.find_element(By.CSS_SELECTOR, "#load-weekly-words summary")
    driver.execute_script("arguments[0].focus()", summary)
    keys(driver, Keys.ENTER)
    table = WebDriverWait(driver, WAIT_S).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#load-weekly-words details[open] table"))[0]
    assert table.find_element(By.TAG_NAME, "caption").text == "Weekly distance and load"
    weeks = table.find_elements(By.CSS_SELECTOR, "tbody th[scope=row]")
    assert len(weeks) == 16 and weeks[-1].text == "2026-W42"  # 16 weeks up to 18 Oct 2026
    keys(driver, Keys.ENTER)  # closes it again
    WebDriverWait(driver, WAIT_S).until(lambda d: not table.is_displayed())


@pytest.fixture
def small_site(tmp_path):
    """Two runs and three pain entries, served; for tests that change data."""
    uploads = tmp_path / "runs"
    uploads.mkdir()
    for day in (10, 11):
        start = dt.datetime(2026, 9, day, 6, tzinfo=dt.UTC)
        (uploads / f"run-{day}.fit").write_bytes(run_fit(start, seconds=1500, speed=3.0))
    with Store(tmp_path / "data") as store:
        assert {r.status for r in import_items(expand([uploads]), store, jobs=1)} == {
            "imported"}
        store.add_pain([make_entry(dt.date(2026, 9, day), level) for day, level
                        in ((10, 2), (11, 4), (12, 3))])
    with serve_store(tmp_path / "data", today=dt.date(2026, 9, 12)) as url:
        yield url, tmp_path / "data"


def test_pain_journal_select_and_delete_by_keyboard(driver, small_site):
    url, data = small_site
    show(driver, url + "/pain", "desktop")
    rows = grid_rows(driver, "pain-journal", 3)
    assert [r["date"] for r in rows] == ["2026-09-12", "2026-09-11", "2026-09-10"]
    cut = driver.execute_script(  # at 1280 px the dates and areas show whole, not "2026..."
        "return [...document.querySelectorAll('#pain-journal .ag-cell[col-id=date], "
        "#pain-journal .ag-cell[col-id=area]')].filter(c => [c, ...c.querySelectorAll('*')]"
        ".some(e => e.scrollWidth > e.clientWidth)).map(c => c.textContent)")
    assert cut == []
    focus_grid(driver, "pain-journal")
    keys(driver, Keys.ARROW_DOWN, Keys.ARROW_DOWN)  # the header, then the second row
    keys(driver, Keys.SPACE)  # select it: the form above is filled in
    WebDriverWait(driver, WAIT_S).until(
        lambda d: d.find_element(By.ID, "pain-date").get_attribute("value") == "2026-09-11")
    assert driver.find_element(By.ID, "pain-level").get_attribute("value") == "4"
    # Shift+Tab out of the grid and back up to "Delete selected"
    for _ in range(12):
        shift_tab(driver)
        if driver.switch_to.active_element.get_attribute("id") == "pain-delete":
            break
    assert driver.switch_to.active_element.get_attribute("id") == "pain-delete"
    keys(driver, Keys.ENTER)
    WebDriverWait(driver, WAIT_S).until(
        lambda d: d.find_element(By.ID, "pain-message").text == "Entry deleted.")
    assert [r["date"] for r in grid_rows(driver, "pain-journal", 2)] == [
        "2026-09-12", "2026-09-10"]
    with Store(data) as store:
        assert sorted(str(d) for d in store.pain()["date"]) == ["2026-09-10", "2026-09-12"]
    assert console_errors(driver) == []


def test_settings_threshold_edited_and_saved_by_keyboard(driver, small_site):
    url, data = small_site
    show(driver, url + "/settings", "desktop")
    rows = grid_rows(driver, "settings-thresholds")
    row = [r["name"] for r in rows].index("hr_rest_default")  # 60 bpm
    focus_grid(driver, "settings-thresholds")
    keys(driver, *[Keys.ARROW_DOWN] * (row + 2), Keys.ARROW_RIGHT)  # header, filters, rows
    WebDriverWait(driver, WAIT_S).until(lambda d: "|value|" in active(d))
    keys(driver, Keys.ENTER)
    keys(driver, "58", Keys.ENTER)  # the value is selected when editing starts
    WebDriverWait(driver, WAIT_S).until(
        lambda d: grid_rows(d, "settings-thresholds")[row]["value"] == "58")
    # Tab leaves the grid; on to "Save settings" (past the grid's pager)
    for _ in range(8):
        keys(driver, Keys.TAB)
        if driver.switch_to.active_element.get_attribute("id") == "settings-save":
            break
    assert driver.switch_to.active_element.get_attribute("id") == "settings-save"
    keys(driver, Keys.ENTER)
    WebDriverWait(driver, WAIT_S).until(
        lambda d: d.find_element(By.ID, "settings-message").text
        == "Saved. Changed: hr_rest_default.")
    with Store(data) as store:
        assert preferences.load_settings(store)["hr_rest_default"] == 58
    assert console_errors(driver) == []
