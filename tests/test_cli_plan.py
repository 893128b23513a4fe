"""``strideload plan`` and the week ahead of ``strideload advise`` on a real store: six weeks
of 8 km runs every other day up to yesterday, then a plan."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from fitfiles import run_fit

from dashboard.cli import main

TODAY = dt.datetime.now(dt.UTC).date()
TOMORROW = TODAY + dt.timedelta(days=1)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("plan")
    files = root / "files"
    files.mkdir()
    for back in range(42, 0, -2):
        start = dt.datetime.combine(TODAY - dt.timedelta(days=back), dt.time(12), dt.UTC)
        (files / f"run{back:02d}.fit").write_bytes(run_fit(start, seconds=2400, speed=10 / 3))
    store = root / "store"
    result = invoke(store, "import", files)
    assert result.exit_code == 0, result.output
    return store


def invoke(data_dir, *args):
    return CliRunner().invoke(main, [*map(str, args), "--data-dir", str(data_dir)])


def test_plan_add_list_advise_and_delete(data_dir):
    added = invoke(data_dir, "plan", "add", TOMORROW, "running", "--distance-km", "14")
    assert added.exit_code == 0, added.output
    assert added.output == f"Planned running 14 km on {TOMORROW:%A %d %B %Y} (id 1).\n"
    cycled = invoke(data_dir, "plan", "add", TODAY + dt.timedelta(days=3), "Cycling",
                    "--minutes", "60")
    assert cycled.exit_code == 0 and "(id 2)" in cycled.output
    listed = json.loads(invoke(data_dir, "plan", "list", "--format", "json").output)
    assert listed == [
        {"id": 1, "date": TOMORROW.isoformat(), "sport": "running", "distance_m": 14000.0,
         "minutes": None},
        {"id": 2, "date": (TODAY + dt.timedelta(days=3)).isoformat(), "sport": "cycling",
         "distance_m": None, "minutes": 60.0}]
    assert "running" in invoke(data_dir, "plan", "list").output

    advice = json.loads(invoke(data_dir, "advise", "--format", "json").output)
    week = advice["week"]
    assert [d["date"] for d in week] == [(TODAY + dt.timedelta(days=k)).isoformat()
                                         for k in range(7)]
    assert all({"date", "planned", "suggestion", "reasons"} <= set(d) for d in week)
    run_day = week[1]
    assert [p["id"] for p in run_day["planned"]] == [1]
    assert run_day["suggestion"] == "easy"
    # the longest run of the 30 days before is 8 km: 14 km is 75 % longer, 8.8 km the limit
    assert run_day["changes"] == [f"Keep {TOMORROW:%A}'s run under 8.8 km."]
    spike = next(r for r in run_day["reasons"] if r["metric"] == "long_run_ratio")
    assert spike["text"] == (f"The run you plan on {TOMORROW:%A}, 14 km, is 75 % longer than "
                             "your longest of the 30 days before (8 km).")
    assert (spike["source"], spike["grade"], spike["section"]) == (
        "Frandsen 2025 BJSM 59:1203", "V", 5)
    assert week[3]["planned"][0]["text"] == "cycling 60 min"
    assert week[0]["suggestion"] == "train"
    assert week[0]["max_run_m"] == pytest.approx(8800, rel=1e-3)

    text = invoke(data_dir, "advise").output
    assert "The week ahead:" in text and f"Keep {TOMORROW:%A}'s run under 8.8 km." in text
    assert text.count("not a diagnosis") == 1 and "Why these limits" not in text
    why = invoke(data_dir, "advise", "--why").output
    assert "Why these limits:" in why and "docs/methods.md section 9" in why

    assert invoke(data_dir, "plan", "delete", "1").output == "Deleted planned session 1.\n"
    again = invoke(data_dir, "plan", "delete", "1")
    assert again.exit_code == 1 and "no planned session with id 1" in again.output
    after = json.loads(invoke(data_dir, "advise", "--format", "json").output)["week"]
    assert after[1]["planned"] == [] and after[1]["suggestion"] == "train"
    assert invoke(data_dir, "plan", "delete", "2").exit_code == 0


@pytest.mark.parametrize(("args", "message"), [
    (["2026-02-30", "running", "--distance-km", "5"],
     "invalid date '2026-02-30': expected YYYY-MM-DD"),
    ([TODAY - dt.timedelta(days=1), "running", "--distance-km", "5"],
     f"date {TODAY - dt.timedelta(days=1)} is in the past: plans are for today ({TODAY}) or "
     "later"),
    ([TOMORROW, "running", "--distance-km", "-3"],
     "distance must be more than 0 and at most 300 km, got -3.0"),
    ([TOMORROW, "running", "--minutes", "0"],
     "minutes must be more than 0 and at most 1440 minutes, got 0.0"),
    ([TOMORROW, "curling", "--minutes", "30"],
     "unknown sport 'curling'; plan one of running, walking, hiking, cycling, swimming, "
     "strength, mobility"),
    ([TOMORROW, "running"], "give a distance in km or a duration in minutes"),
])
def test_bad_plans_are_refused_in_one_line_and_nothing_is_stored(data_dir, args, message):
    before = invoke(data_dir, "plan", "list", "--format", "json").output
    result = invoke(data_dir, "plan", "add", *args)
    assert result.exit_code == 1
    assert result.output == f"Error: {message}\n"
    assert invoke(data_dir, "plan", "list", "--format", "json").output == before
