"""The strideload command line: import reports, exit codes, listings, the data directory."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from fitfiles import run_fit

from analytics.activity_metrics import METRICS_VERSION
from dashboard.cli import main
from dashboard.levers import CONTEXT_COLUMNS
from dashboard.signals import SIGNAL_COLUMNS
from dashboard.tables import LISTING_COLUMNS
from ingest.store import Store

START = dt.datetime(2026, 6, 1, 5, 45, tzinfo=dt.UTC)


@pytest.fixture
def files(tmp_path):
    run = tmp_path / "run.fit"
    run.write_bytes(run_fit(START, seconds=900, speed=2.8, timer_s=840.0))  # paused 59 s
    ride = tmp_path / "ride.fit"
    ride.write_bytes(run_fit(START + dt.timedelta(days=1), seconds=600, sport="cycling",
                             speed=7.5))
    bad = tmp_path / "garbage.fit"
    bad.write_bytes(b"\x00" * 100)
    return run, ride, bad


def invoke(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def test_import_json_lines_and_exit_code_zero(tmp_path, files):
    run, ride, _ = files
    result = invoke("import", run, ride, "--data-dir", tmp_path / "d", "--json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [set(line) for line in lines] == [
        {"file", "status", "activities", "wellness_days", "warnings", "reason", "gear"}] * 2
    assert [(line["file"], line["status"], line["activities"]) for line in lines] == [
        (str(run), "imported", 1), (str(ride), "imported", 1)]
    again = invoke("import", run, "--data-dir", tmp_path / "d", "--json")
    assert json.loads(again.stdout)["status"] == "duplicate"


def test_import_stores_per_activity_metrics_computed_in_the_workers(tmp_path, files):
    run, ride, _ = files
    assert invoke("import", run, ride, "--data-dir", tmp_path / "d", "--jobs", "2"
                  ).exit_code == 0
    with Store(tmp_path / "d") as store:
        assert store.without_metrics(METRICS_VERSION) == []
        metrics = dict(store.metrics())
    run_metrics = metrics[1]
    assert run_metrics["hr_seconds"] == pytest.approx(899, abs=1)  # 140 bpm all run long
    assert sum(run_metrics["hr_hist_s"]) == pytest.approx(run_metrics["hr_seconds"])


def test_rejected_file_gives_a_line_a_summary_and_exit_one(tmp_path, files):
    run, _, bad = files
    result = invoke("import", bad, run, "--data-dir", tmp_path / "d")
    assert result.exit_code == 1
    assert f"rejected {bad}: not a FIT, GPX or TCX file" in result.stderr
    assert result.stdout.strip() == (
        "1 imported (1 activities); 0 duplicates; 1 rejected. "
        "The store now holds 1 activities."
    )
    assert "Traceback" not in result.output


def test_activities_csv_has_the_documented_columns_in_si_units(tmp_path, files):
    run, ride, _ = files
    invoke("import", run, ride, "--data-dir", tmp_path / "d")
    result = invoke("activities", "--data-dir", tmp_path / "d", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == LISTING_COLUMNS + CONTEXT_COLUMNS + SIGNAL_COLUMNS
    first = rows[0]
    assert first["start_time"] == "2026-06-01T05:45:00Z"
    assert first["start_local"] == "2026-06-01T06:45:00+01:00"  # the watch's offset
    assert first["local_date"] == "2026-06-01"
    # elapsed 899 s from the first to the last record; the timer ran 840 s
    assert float(first["elapsed_s"]) == 899.0 and float(first["timer_s"]) == 840.0
    assert float(first["distance_m"]) == pytest.approx(2.8 * 899)
    assert float(first["avg_cadence_spm"]) == 171.0
    assert rows[1]["sport"] == "cycling" and rows[1]["avg_cadence_spm"] == ""


def test_activities_json_and_table(tmp_path, files):
    run, _, _ = files
    invoke("import", run, "--data-dir", tmp_path / "d")
    (record,) = json.loads(invoke("activities", "--data-dir", tmp_path / "d",
                                  "--format", "json").stdout)
    assert record["samples"] == 900 and record["format"] == "fit"
    table = invoke("activities", "--data-dir", tmp_path / "d").stdout.splitlines()
    headers = [h.strip() for h in table[0].split("  ") if h.strip()]
    assert headers[:6] == ["id", "date", "start (local)", "sport", "elapsed", "timer"]
    assert "distance (km)" in headers and "avg HR (bpm)" in headers
    # local clock time (UTC 05:45 + 1 h), elapsed and timer time
    assert "2026-06-01  06:45" in table[2] and "0:14:59  0:14:00" in table[2]
    assert "2.52" in table[2]


def test_empty_store_explains_what_to_do(tmp_path):
    result = invoke("activities", "--data-dir", tmp_path / "empty")
    assert "strideload import" in result.stdout


def test_data_dir_comes_from_strideload_home(tmp_path, files):
    run, _, _ = files
    home = tmp_path / "home"
    assert invoke("import", run, env={"STRIDELOAD_HOME": str(home)}).exit_code == 0
    assert (home / "strideload.sqlite").exists()


def test_installed_console_script_runs(tmp_path, files):
    script = shutil.which("strideload")
    assert script, "the package must be installed (pip install -e '.[test]')"
    run, _, _ = files
    done = subprocess.run([script, "import", str(run), "--data-dir", str(tmp_path / "d")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "1 imported (1 activities)" in done.stdout


def test_unusable_data_folder_is_one_clear_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = invoke("activities", "--data-dir", blocker / "data")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: cannot use the data folder {blocker / 'data'}: "
                             "Not a directory\n")


def test_the_console_script_ends_without_teardown_and_loses_nothing(tmp_path):
    """``strideload`` (dashboard.cli.quick_exit) skips Python's teardown after a command, yet
    writes all its output to a pipe, runs the exit functions and keeps the exit codes."""
    script = shutil.which("strideload")
    assert script, "the package must be installed (pip install -e '.[test]')"
    data = str(tmp_path / "d")
    piped = subprocess.run([script, "settings", "--format", "json", "--data-dir", data],
                           capture_output=True, text=True, check=False)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == invoke("settings", "--format", "json", "--data-dir", data).stdout
    assert len(piped.stdout) > 8192  # more than one pipe buffer
    bad = subprocess.run([script, "plan", "add", "2026-02-30", "running", "--data-dir", data],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "2026-02-30" in bad.stderr
    usage = subprocess.run([script, "no-such-command"], capture_output=True, text=True,
                           check=False)
    assert usage.returncode == 2 and "No such command" in usage.stderr
    probe = (
        "import atexit, sys\n"
        "from dashboard.cli.quick_exit import run\n"
        "class Teardown:\n"
        "    def __del__(self):\n"
        "        print('torn down')\n"
        "kept = Teardown()\n"
        "atexit.register(print, 'exit function ran')\n"
        "sys.argv = ['strideload', '--help']\n"
        "run()\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0 and done.stdout.startswith("Usage: strideload")
    assert done.stdout.rstrip().endswith("exit function ran")
    assert "torn down" not in done.stdout
