"""The physiotherapist's report and ``strideload report`` on the demo history (a real store):
page one's story (the episode and what came before it, the suggestion now, notes, charts),
the weekly table, an offline file, and the .pdf answer. Printing it on one page is checked in a
real browser (test_browser_report.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner

from dashboard.cli import main
from dashboard.demo import demo_today, load_demo
from dashboard.physio_report import physio_report_html
from ingest.journal import make_entry
from ingest.store import Store

#: Anything the page would fetch: a script, a style sheet, an image or frame with an address.
FETCHES = re.compile(r"<script|<link|<img|<iframe|(src|href)\s*=\s*[\"']?(https?:)?//", re.I)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    data = tmp_path_factory.mktemp("demo") / "data"
    with Store(data) as store:
        load_demo(store, jobs=1)
    return data


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_report_command_writes_one_offline_file_with_the_story(demo_dir, tmp_path):
    out = tmp_path / "physio.html"
    result = invoke("report", "--data-dir", demo_dir, "--date", demo_today(), "--output", out)
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    page = out.read_text()
    assert FETCHES.search(page) is None
    assert "Running and back pain, Mon 27 Jul 2026 to Sun 18 Oct 2026" in page  # 12 weeks
    # the episode of the sample history and what came before it
    episodes = re.search(r'<ul id="report-episodes">(.*)</ul><p class="muted small">Flagged at',
                         page).group(1)
    assert "Mon 24 Aug to Thu 3 Sep 2026</strong> (11 days, peak 5/10 on Thu 27 Aug)" in episodes
    assert ("Running distance in the 7 days to Sun 23 Aug: 59.4 km, +40 % on the 7 days "
            "before") in episodes
    assert "Sun 23 Aug, 21.0 km run: 1.30 x the longest of the previous 30 days" in episodes
    assert "Pa:HR decoupling 8.9 %" in episodes
    # now: the suggestion of the day, this week and the way back
    assert '<p id="report-suggestion"><strong>Suggestion for Sun 18 Oct: Train as planned.' \
        in page
    assert "This week (from Mon 12 Oct): 32.3 km running in 4 runs" in page
    assert "settled on 2026-09-08" in page
    # notes of the most painful days, the warning signs, both charts, the weekly table
    assert "Thu 27 Aug (upper-back 5/10): stopped after 4 km" in page
    assert ('<p id="report-red-flags"><strong>Warning signs reported:</strong> none in these '
            "weeks.</p>") in page
    assert page.count("<svg") == 2 and 'id="report-pain-load"' in page
    weeks = re.findall(r"<tr><td>(2026-W\d\d)</td>", page)
    assert weeks == [f"2026-W{n}" for n in range(31, 43)]


def test_report_weeks_and_red_flags(demo_dir, tmp_path):
    with Store(demo_dir) as store:
        store.add_pain([make_entry(dt.date(2026, 10, 16), 4, area="neck",
                                   red_flags=["fever"], note="feverish, neck stiff")])
        try:
            page = physio_report_html(store, demo_today(), weeks=4)
        finally:
            (added,) = [r["id"] for r in store.pain().iter_rows(named=True)
                        if r["area"] == "neck"]
            store.delete_pain(added)
    assert re.findall(r"<tr><td>(2026-W\d\d)</td>", page) == [
        "2026-W39", "2026-W40", "2026-W41", "2026-W42"]
    assert ('<p id="report-red-flags"><strong>Warning signs reported:</strong> Fri 16 Oct: '
            "fever or chills.</p>") in page
    assert "Fri 16 Oct (neck 4/10): feverish, neck stiff" in page
    assert "<strong>Fri 16 Oct 2026</strong> (1 day, peak 4/10 on Fri 16 Oct)" in page
    assert "Suggestion for Sun 18 Oct: See a professional" in page  # a red flag this week


def test_pdf_output_writes_the_html_and_says_why(demo_dir, tmp_path):
    result = invoke("report", "--data-dir", demo_dir, "--date", demo_today(), "--output",
                    tmp_path / "physio.pdf")
    assert result.exit_code == 0
    assert not (tmp_path / "physio.pdf").exists()
    assert (tmp_path / "physio.html").read_text().startswith("<!DOCTYPE html>")
    (line,) = result.output.strip().splitlines()
    assert line.startswith("No PDF: no PDF library that installs with pip alone draws these "
                           "charts") and "print it to PDF" in line


def test_bad_output_and_date_are_one_line_errors(demo_dir, tmp_path):
    result = invoke("report", "--data-dir", demo_dir, "--output", tmp_path / "physio.txt")
    assert result.exit_code == 2 and "physio.txt: the report is written as .html" in result.output
    result = invoke("report", "--data-dir", demo_dir, "--date", "18.10.2026", "--output",
                    tmp_path / "r.html")
    assert result.exit_code == 2 and "'18.10.2026' is not a date" in result.output
    missing = tmp_path / "no-such-folder" / "r.html"
    result = invoke("report", "--data-dir", demo_dir, "--output", missing)
    assert result.exit_code == 1 and result.output.startswith(f"Error: cannot write {missing}")
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_report_of_an_empty_store(tmp_path):
    out = tmp_path / "r.html"
    result = invoke("report", "--data-dir", tmp_path / "data", "--output", out)
    assert result.exit_code == 0
    assert "strideload: no weeks with data yet." in out.read_text()
