"""profile, settings, daily, summary and advise on the command line (real store, real files)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from click.testing import CliRunner
from fitfiles import run_fit

from analytics.report import CLI_DAILY_COLUMNS
from dashboard.cli import main


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """Five weeks of 30-min runs every other day, pain 1 every day, then pain 6 on 3 July."""
    root = tmp_path_factory.mktemp("cli")
    files = root / "files"
    files.mkdir()
    for day in range(0, 33, 2):
        start = dt.datetime(2026, 6, 1, 5, tzinfo=dt.UTC) + dt.timedelta(days=day)
        (files / f"run{day:02d}.fit").write_bytes(run_fit(start, seconds=1800, speed=3.0))
    journal = root / "pain.csv"
    rows = [f"2026-06-{d:02d},upper-back,1,no," for d in range(1, 31)]
    rows += ["2026-07-01,upper-back,1,no,", "2026-07-02,upper-back,2,yes,",
             "2026-07-03,upper-back,6,yes,sharp"]
    journal.write_text("date,area,level,during_run,note\n" + "\n".join(rows) + "\n")
    store = root / "store"
    for args in (["import", files], ["pain", "import", journal],
                 ["profile", "--set", "sex=female", "--set", "birth_year=1988",
                  "--set", "hr_rest=48", "--set", "time_zone=Europe/Berlin"]):
        result = invoke(store, *args)
        assert result.exit_code == 0, result.output
    return store


def invoke(data_dir, *args):
    return CliRunner().invoke(main, [*map(str, args), "--data-dir", str(data_dir)])


def test_profile_shows_entered_and_estimated_values(data_dir):
    shown = json.loads(invoke(data_dir, "profile", "--format", "json").stdout)
    assert shown["hr_rest"] == {"value": 48.0, "estimated": False, "source": "entered"}
    # the highest 5-s heart rate recorded wins over Tanaka's 208 - 0.7 x 38 = 181.4
    assert shown["hr_max"] == {"value": 140.0, "estimated": True,
                               "source": "highest 5-s heart rate of the last 365 days"}
    assert shown["lthr"]["estimated"] is True
    assert (shown["time_zone"], shown["birth_year"]) == ("Europe/Berlin", 1988)
    text = invoke(data_dir, "profile").stdout
    assert "hr_rest: 48 (source: entered)" in text
    assert "hr_max: 140 (estimated: highest 5-s heart rate of the last 365 days)" in text


@pytest.mark.parametrize(("change", "message"), [
    ("hr_max=fast", "hr_max must be a number, got 'fast'"),
    ("time_zone=Mars/Olympus", "unknown time zone 'Mars/Olympus'"),
    ("shoe=red", "unknown profile field 'shoe'"),
    ("hr_rest=200", "hr_rest must be 25 to 120 bpm, got 200 (resting heart rates of adults)"),
    ("birth_year=1850", "birth_year must be between 1900 and"),
])
def test_profile_rejects_bad_values_and_keeps_the_old_ones(data_dir, change, message):
    result = invoke(data_dir, "profile", "--set", change)
    assert result.exit_code == 1 and message in result.stderr
    assert json.loads(invoke(data_dir, "profile", "--format", "json").stdout)["hr_rest"][
        "value"] == 48.0


def test_settings_list_change_and_restore(tmp_path):
    rows = json.loads(invoke(tmp_path, "settings", "--format", "json").stdout)
    acwr = next(r for r in rows if r["name"] == "acwr_method")
    assert acwr["value"] == acwr["default"] and acwr["grade"] in "VPUH"
    assert acwr["range"] == "one of rolling_coupled, rolling_uncoupled, ewma"
    ctl = next(r for r in rows if r["name"] == "ctl_days")
    assert (ctl["value"], ctl["unit"], ctl["range"]) == ("42", "days", "21 to 120 days")
    assert invoke(tmp_path, "settings", "--set", "acwr_method=sideways").exit_code == 1
    invoke(tmp_path, "settings", "--set", "acwr_method=ewma")
    rows = json.loads(invoke(tmp_path, "settings", "--format", "json").stdout)
    assert next(r for r in rows if r["name"] == "acwr_method")["value"] == "ewma"
    invoke(tmp_path, "settings", "--set", "acwr_method=default")
    rows = json.loads(invoke(tmp_path, "settings", "--format", "json").stdout)
    assert next(r for r in rows if r["name"] == "acwr_method")["value"] == acwr["default"]


def test_daily_json_rows(data_dir):
    result = invoke(data_dir, "daily", "--from", "2026-06-01", "--to", "2026-06-07",
                    "--format", "json")
    days = json.loads(result.stdout)
    assert [d["date"] for d in days] == [f"2026-06-0{i}" for i in range(1, 8)]
    assert set(CLI_DAILY_COLUMNS) <= set(days[0])
    # runs on 1, 3, 5, 7 June (29:59 each, 3 m/s); rest days have load 0, not null
    assert [d["run_distance_m"] > 0 for d in days] == [True, False, True, False, True, False, True]
    assert days[1]["load"] == 0 and days[0]["load"] > 0
    assert days[0]["acwr_rolling_coupled"] is None  # suppressed before 28 days
    assert [d["pain"] for d in days] == [1] * 7


def test_daily_csv_is_parseable(data_dir):
    rows = list(csv.DictReader(io.StringIO(invoke(data_dir, "daily").stdout)))
    assert rows[0]["date"] == "2026-06-01" and rows[-1]["date"] == "2026-07-03"
    assert rows[-1]["pain"] == "6"


def test_advise_on_the_peak_pain_day(data_dir):
    result = invoke(data_dir, "advise", "--date", "2026-07-03", "--format", "json")
    advice = json.loads(result.stdout)
    assert advice["date"] == "2026-07-03" and advice["suggestion"] == "rest"
    assert set(advice) >= {"date", "suggestion", "reasons", "tips"}
    assert all(set(r) >= {"metric", "value", "threshold", "source", "grade", "text"}
               for r in advice["reasons"])
    assert any(r["metric"] == "pain" and r["value"] == 6 for r in advice["reasons"])
    text = invoke(data_dir, "advise", "--date", "2026-07-03").stdout
    assert text.startswith("2026-07-03: Rest today\n") and "What to do:" in text
    assert "  - Your back pain is 6/10; from 5/10 we suggest a day without running." in text
    assert text.count("not a diagnosis") == 1 and " vs " not in text


def test_advise_before_the_pain_says_train(data_dir):
    # 28 June: 3 runs in the last 7 days against 4 the week before, pain 1: nothing flags
    advice = json.loads(invoke(data_dir, "advise", "--date", "2026-06-28", "--format",
                               "json").stdout)
    assert advice["suggestion"] == "train"
    assert [r["metric"] for r in advice["reasons"]] == ["pain", "load_flags"]


def test_summary_formats_and_output_file(data_dir, tmp_path):
    weeks = list(csv.DictReader(io.StringIO(
        invoke(data_dir, "summary", "--format", "csv").stdout)))
    assert [w["week"] for w in weeks] == ["2026-W23", "2026-W24", "2026-W25", "2026-W26",
                                          "2026-W27"]
    assert [int(w["runs"]) for w in weeks] == [4, 3, 4, 3, 3]
    last_two = json.loads(invoke(data_dir, "summary", "--weeks", "2", "--format", "json").stdout)
    assert [w["week"] for w in last_two] == ["2026-W26", "2026-W27"]
    assert last_two[-1]["pain_max"] == 6
    target = tmp_path / "summary.md"
    result = invoke(data_dir, "summary", "--output", target)
    assert result.stdout == f"Wrote 5 weeks to {target}.\n"
    assert target.read_text().startswith("# Weekly training summary")


def test_commands_on_an_empty_store_explain_instead_of_failing(tmp_path):
    advice = invoke(tmp_path, "advise", "--date", "2026-06-01", "--format", "json")
    assert advice.exit_code == 0, advice.output
    assert json.loads(advice.stdout)["suggestion"] == "train"
    summary = invoke(tmp_path, "summary")
    assert summary.exit_code == 0 and "No weeks with data yet." in summary.stdout
