"""The physiotherapist's report and the Pain page in headless Chromium, on the demo history.

The report written by ``strideload report`` opens with the network off and fetches nothing;
printed to PDF by Chrome (DevTools ``Page.printToPDF``) on A4 and on Letter, its summary fills
exactly one portrait page and the weekly table follows on landscape pages. The Pain page shows
its headline first, the association table behind a closed disclosure (same-day rows labelled),
and the pain axis 0-10 in whole numbers, at phone width.
"""

from __future__ import annotations

import base64
import re

import pytest
from browser import chromium, console_errors, serve_store, wait_until_complete
from click.testing import CliRunner
from selenium.webdriver.common.by import By
from selenium.webdriver.common.print_page_options import PrintOptions
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.cli import main
from dashboard.demo import demo_today, load_demo
from dashboard.pain_association import SAME_DAY
from ingest.store import Store

PAPER_CM = {"A4": (21.0, 29.7), "Letter": (21.59, 27.94)}
WAIT_S = 60


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    data = tmp_path_factory.mktemp("demo") / "data"
    with Store(data) as store:
        load_demo(store, jobs=1)
    return data


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    with chromium(str(tmp_path_factory.mktemp("downloads"))) as browser:
        yield browser


def pdf_pages(driver, paper: str) -> list[tuple[float, float]]:
    """Print the page shown to PDF on ``paper``; the (width, height) of each page [pt]."""
    options = PrintOptions()
    options.page_width, options.page_height = PAPER_CM[paper]
    options.background = True
    pdf = base64.b64decode(driver.print_page(options))
    return [(float(w), float(h)) for w, h in re.findall(
        rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)]


def test_report_file_opens_offline_and_page_one_fits_a4_and_letter(driver, demo_dir,
                                                                    tmp_path):
    out = tmp_path / "physio.html"
    result = CliRunner().invoke(main, ["report", "--data-dir", str(demo_dir), "--date",
                                       str(demo_today()), "--output", str(out)])
    assert result.exit_code == 0, result.output
    driver.set_window_size(1280, 1000)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    try:
        driver.get(out.as_uri())
        assert driver.find_element(By.TAG_NAME, "h1").text.startswith("Running and back pain")
        assert driver.execute_script(
            "return performance.getEntriesByType('resource').length") == 0
        charts = driver.find_elements(By.CSS_SELECTOR, "svg.report-chart")
        assert len(charts) == 2 and all(c.size["height"] > 100 for c in charts)
        for paper in PAPER_CM:
            pages = pdf_pages(driver, paper)
            assert len(pages) >= 2, paper
            (width, height), rest = pages[0], pages[1:]
            assert width < height and all(w > h for w, h in rest), (paper, pages)
        # without the weekly table the summary is one page, on either paper
        driver.execute_script("document.querySelectorAll('.weekly').forEach(e => e.remove())")
        for paper in PAPER_CM:
            assert len(pdf_pages(driver, paper)) == 1, paper
    finally:
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    assert console_errors(driver) == []


def test_pain_page_headline_first_table_behind_a_disclosure_on_a_phone(driver, demo_dir):
    with serve_store(demo_dir, today=demo_today()) as url:
        driver.set_window_size(390, 844)
        driver.get(url + "/pain")
        wait_until_complete(driver, timeout=WAIT_S)
        headline = WebDriverWait(driver, WAIT_S).until(
            lambda d: d.find_element(By.ID, "pain-association-headline"))
        # 112 rated days of the demo: no clear link of training before the pain
        assert headline.text.startswith("No clear link yet between your pain and your "
                                        "training in the days before it")
        assert "the same day" not in headline.text
        details = driver.find_element(By.ID, "pain-association-details")
        table = details.find_element(By.TAG_NAME, "table")
        assert details.get_attribute("open") is None and not table.is_displayed()
        details.find_element(By.TAG_NAME, "summary").click()
        WebDriverWait(driver, WAIT_S).until(lambda d: table.is_displayed())
        rows = [[cell.text for cell in row.find_elements(By.CSS_SELECTOR, "th, td")]
                for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
        same_day = [row for row in rows if row[1] == "the same day"]
        assert len(rows) == 12 and [row[0] for row in same_day] == [
            "training load", "running load", "cadence drift (%)"]
        # the two that ran (cadence drift has too few days) are labelled for what they show
        assert [row[-1] for row in same_day if row[3] != "-"] == [SAME_DAY, SAME_DAY]
        ticks = driver.execute_script(
            "return [...document.querySelectorAll('#pain-over-load .y2tick text')]"
            ".map(t => t.textContent)")
        assert ticks == ["0", "2", "4", "6", "8", "10"]
        assert driver.execute_script("const r = document.documentElement; "
                                     "return r.scrollWidth <= r.clientWidth")
        assert console_errors(driver) == []
