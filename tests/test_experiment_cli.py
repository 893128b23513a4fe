"""``strideload experiment`` on real stores: a runner who followed the schedule with real FIT
runs and a hydration vest, pauses for pain, ticks for a custom lever, stop, list, the
physiotherapist's report and "test this" on the factors."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re

import numpy as np
import pytest
from click.testing import CliRunner
from experiment_runner import DAY0, SEED, vest_runner

from dashboard.cli import main
from dashboard.experiments import ExperimentError, start
from dashboard.factors_view import experiment_lever
from dashboard.physio_report import physio_report_html
from ingest import experiments as stored
from ingest.journal import PainEntry
from ingest.store import Store

STATUS_FIELDS = {"lever", "start", "end", "block_days", "pairs", "seed", "today", "schedule",
                 "adherence"}
RESULT_FIELDS = {"lever", "pairs_planned", "pairs_counted", "effect", "ci_low", "ci_high",
                 "p_randomisation", "pairs_worse_on", "load_diff_pct", "washout_days",
                 "conclusion", "text"}


@pytest.fixture(scope="module")
def vest(tmp_path_factory):
    return vest_runner(tmp_path_factory.mktemp("vest"))


def run(monkeypatch, today: dt.date, *args: object):
    """``strideload ARGS`` with the runner's today pinned."""
    monkeypatch.setattr("dashboard.data.local_today", lambda store: today)
    return CliRunner().invoke(main, [str(a) for a in args])


def ok(result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def test_start_prints_the_schedule_as_dates_and_only_one_runs_at_a_time(tmp_path, monkeypatch):
    data = tmp_path / "data"
    out = ok(run(monkeypatch, DAY0, "experiment", "start", "--lever", "carry:vest", "--seed",
                 SEED, "--data-dir", data))
    rows = re.findall(r"^(\d+)\s+(\d)\s+(\w{3} \d\d \w{3}) - (\w{3} \d\d \w{3})\s+(.+?)\s*$",
                      out, re.M)
    assert len(rows) == 12 and rows[0][2] == "Mon 05 Jan" and rows[-1][3] == "Sun 29 Mar"
    assert {r[4] for r in rows} == {"run WITH the vest", "run WITHOUT the vest"}
    for first, second in zip(rows[::2], rows[1::2], strict=True):  # one of each per pair
        assert first[1] == second[1] and {first[4], second[4]} == {
            "run WITH the vest", "run WITHOUT the vest"}
    assert "seed 11" in out and "Train otherwise as usual" in out
    again = run(monkeypatch, DAY0, "experiment", "start", "--lever", "warmup", "--data-dir",
                data)
    assert again.exit_code == 1 and "one experiment at a time" in again.output
    status = json.loads(ok(run(monkeypatch, DAY0, "experiment", "status", "--format", "json",
                               "--data-dir", data)))
    assert STATUS_FIELDS <= set(status) and status["state"] == "planned"
    assert status["today"] is None and status["seed"] == SEED
    assert [r["arm"] for r in status["schedule"]] == [
        "on" if r[4] == "run WITH the vest" else "off" for r in rows]


@pytest.mark.parametrize(("args", "message"), [
    (["--lever", "carry:vest", "--pairs", "4"], "at least 5 pairs"),
    (["--lever", "custom:core routine"], "--design ab"),
    (["--lever", "shoes:7"], "no gear with id 7"),
    (["--lever", "carry:vest", "--start", "2026-01-01"], "is in the past"),
    (["--lever", "carry:vest", "--block-days", "30"], "5 to 14 days"),
    (["--lever", "surface"], "surface needs a value"),
])
def test_start_refusals_are_one_line_and_store_nothing(tmp_path, monkeypatch, args, message):
    result = run(monkeypatch, DAY0, "experiment", "start", *args, "--data-dir", tmp_path)
    assert result.exit_code == 1 and message in result.output
    assert len(result.output.strip().splitlines()) == 1
    with Store(tmp_path) as store:
        assert stored.experiments(store) == []


def test_a_slow_lever_runs_as_baseline_then_intervention_with_a_warning(tmp_path, monkeypatch):
    out = ok(run(monkeypatch, DAY0, "experiment", "start", "--lever", "custom:core routine",
                 "--design", "ab", "--data-dir", tmp_path))
    assert "Warning: baseline -> intervention is weaker evidence" in out
    status = json.loads(ok(run(monkeypatch, DAY0, "experiment", "status", "--format", "json",
                               "--data-dir", tmp_path)))
    assert [(r["arm"], r["start"], r["end"]) for r in status["schedule"]] == [
        ("off", "2026-01-05", "2026-01-25"), ("on", "2026-01-26", "2026-02-15")]


def test_mid_experiment_status_gives_todays_assignment_and_adherence_from_the_runs(
        vest, monkeypatch):
    day = vest["dates"][45]  # block 7, pair 4 - the vest forgotten in its "on" block
    status = json.loads(ok(run(monkeypatch, day, "experiment", "status", "--format", "json",
                               "--data-dir", vest["data"])))
    assert status["state"] == "running"
    arm = vest["arms"][45]
    assert status["today"] == {"date": day.isoformat(), "block": 7, "pair": 4, "arm": arm,
                               "text": "this week: run "
                                       + ("WITH" if arm == "on" else "WITHOUT") + " the vest",
                               "days_left": 4}
    done = [a for a in status["adherence"] if a["state"] == "done"]
    assert len(done) == 6 and all(a["pct"] == 100.0 and a["counted"] for a in done)
    table = ok(run(monkeypatch, day, "experiment", "status", "--data-dir", vest["data"]))
    assert table.startswith(status["today"]["text"] + " (block 7 of 12, pair 4 of 6; 4 days "
                            "left in this block).")


def _expected_differences(vest) -> dict[int, float]:
    """Per pair, recomputed from the stored ratings: mean pain the day after each day of the
    block but its first, "on" minus "off"."""
    means = {}
    for pair, arm, block in vest["blocks"]:
        means[(pair, arm)] = np.mean([vest["pain"][d + dt.timedelta(days=1)] for d in block[1:]])
    return {p: means[(p, "on")] - means[(p, "off")] for p in range(1, 7)}


def test_the_finished_experiment_finds_the_vest_and_drops_the_forgotten_pair(vest, monkeypatch):
    after = vest["end"] + dt.timedelta(days=2)
    result = json.loads(ok(run(monkeypatch, after, "experiment", "result", "--format", "json",
                               "--data-dir", vest["data"])))
    assert RESULT_FIELDS <= set(result)
    expected = _expected_differences(vest)
    del expected[4]  # the "on" block without the vest: 0 % followed
    got = {row["pair"]: row["difference"] for row in result["differences"]}
    assert got == pytest.approx(expected, abs=1e-3)
    assert result["pairs_planned"] == 6 and result["pairs_counted"] == 5
    assert result["effect"] == pytest.approx(np.mean(list(expected.values())), abs=1e-3)
    assert result["ci_low"] > 0 and result["conclusion"] == "on_worse"
    assert result["washout_days"] == 1 and abs(result["load_diff_pct"]) < 25
    diffs = np.array(list(expected.values()))
    orders = [abs(np.mean(np.array(signs) * diffs)) >= abs(diffs.mean()) - 1e-9
              for signs in itertools.product((1, -1), repeat=5)]
    assert result["p_randomisation"] == pytest.approx(np.mean(orders), abs=1e-4)
    assert result["pairs_worse_on"] == int((diffs > 0).sum())
    assert result["text"].startswith(f"In your 6-pair experiment (5 pairs counted), your back was "
                                     f"{result['effect']:.1f} points worse in vest weeks")
    table = ok(run(monkeypatch, after, "experiment", "result", "--data-dir", vest["data"]))
    assert result["text"] in table and "randomisation p" in table
    assert re.search(r"^4 ", table, re.M) is None  # pair 4 is not listed
    listed = json.loads(ok(run(monkeypatch, after, "experiment", "list", "--format", "json",
                               "--data-dir", vest["data"])))
    assert [(r["state"], r["conclusion"]) for r in listed] == [("finished", "on_worse")]


def test_the_physio_report_includes_the_finished_experiment(vest):
    with Store(vest["data"]) as store:
        during = physio_report_html(store, vest["dates"][40])
        after = physio_report_html(store, vest["end"] + dt.timedelta(days=2))
    assert "Personal experiments" not in during
    assert '<div id="report-experiments">' in after
    assert "carry:vest vs carry:none, upper-back pain the next day" in after
    assert "points worse in vest weeks" in after and "<caption>Mean pain per pair" in after


def test_high_pain_pauses_the_experiment_and_resuming_goes_on(tmp_path, monkeypatch):
    data = tmp_path / "data"
    ok(run(monkeypatch, DAY0, "experiment", "start", "--lever", "custom:breathing cue",
           "--seed", 3, "--data-dir", data))
    flare = DAY0 + dt.timedelta(days=4)
    with Store(data) as store:
        store.add_pain([PainEntry(flare, 6, "neck")])  # any area pauses it
    paused = json.loads(ok(run(monkeypatch, flare + dt.timedelta(days=1), "experiment",
                               "status", "--format", "json", "--data-dir", data)))
    assert paused["state"] == "paused" and paused["today"] is None
    assert paused["paused_since"] == flare.isoformat()
    text = ok(run(monkeypatch, flare + dt.timedelta(days=1), "experiment", "status",
                  "--data-dir", data))
    assert text.startswith("Paused since") and "advice for today comes first" in text
    refused = run(monkeypatch, flare + dt.timedelta(days=1), "experiment", "resume",
                  "--data-dir", data)
    assert refused.exit_code == 1 and "6/10" in refused.output
    back = flare + dt.timedelta(days=3)
    with Store(data) as store:
        store.add_pain([PainEntry(back, 2, "neck")])
    ok(run(monkeypatch, back, "experiment", "resume", "--data-dir", data))
    going = json.loads(ok(run(monkeypatch, back, "experiment", "status", "--format", "json",
                              "--data-dir", data)))
    assert going["state"] == "running" and going["today"]["block"] == 1
    assert going["today"]["days_left"] == 3  # 4 days of block 1 before the pause
    assert going["end"] == (DAY0 + dt.timedelta(days=84 + 2)).isoformat()  # 2 days paused
    assert going["pauses"] == [{"trigger": flare.isoformat(),
                                "start": (flare + dt.timedelta(days=1)).isoformat(),
                                "end": (back - dt.timedelta(days=1)).isoformat()}]


def test_ticks_for_a_custom_lever_and_their_limits(tmp_path, monkeypatch):
    data = tmp_path / "data"
    ok(run(monkeypatch, DAY0, "experiment", "start", "--lever", "custom:breathing cue",
           "--seed", 3, "--data-dir", data))
    day = DAY0 + dt.timedelta(days=3)
    for offset, flag in ((1, "--followed"), (2, "--followed"), (3, "--missed")):
        ok(run(monkeypatch, day, "experiment", "log", "--date", DAY0 + dt.timedelta(days=offset),
               flag, "--data-dir", data))
    assert ok(run(monkeypatch, day, "experiment", "log", "--missed", "--data-dir",
                  data)).startswith(f"{day}: missed.")  # today by default
    status = json.loads(ok(run(monkeypatch, day, "experiment", "status", "--format", "json",
                               "--data-dir", data)))
    first = status["adherence"][0]
    assert (first["running_days"], first["followed_days"]) == (3, 2)
    assert first["pct"] == pytest.approx(66.7) and first["counted"] is False
    future = run(monkeypatch, day, "experiment", "log", "--date", "2026-02-01", "--followed",
                 "--data-dir", data)
    assert future.exit_code == 1 and "in the future" in future.output
    before = run(monkeypatch, day, "experiment", "log", "--date", "2026-01-01", "--followed",
                 "--data-dir", data)
    assert before.exit_code == 1 and "before the experiment began" in before.output
    bad = run(monkeypatch, day, "experiment", "log", "--date", "2026-13-01", "--followed",
              "--data-dir", data)
    assert bad.exit_code == 2 and "expected YYYY-MM-DD" in bad.output


def test_stop_keeps_the_experiment_and_a_new_one_may_start(tmp_path, monkeypatch):
    data = tmp_path / "data"
    ok(run(monkeypatch, DAY0, "experiment", "start", "--lever", "surface:trail", "--data-dir",
           data))
    later = DAY0 + dt.timedelta(days=20)
    out = ok(run(monkeypatch, later, "experiment", "stop", "--data-dir", data))
    assert "Stopped experiment 1 (surface:trail)" in out and "Only 0 of 6 pairs" in out
    assert run(monkeypatch, later, "experiment", "stop", "--data-dir", data).exit_code == 1
    ok(run(monkeypatch, later, "experiment", "start", "--lever", "warmup", "--data-dir", data))
    listed = json.loads(ok(run(monkeypatch, later, "experiment", "list", "--format", "json",
                               "--data-dir", data)))
    assert [(r["id"], r["lever"], r["state"]) for r in listed] == [
        (2, "warmup", "planned"), (1, "surface:trail", "stopped")]
    old = json.loads(ok(run(monkeypatch, later, "experiment", "result", "--id", 1, "--format",
                            "json", "--data-dir", data)))
    assert old["state"] == "stopped" and old["conclusion"] == "too_few_pairs"
    table = ok(run(monkeypatch, later, "experiment", "list", "--data-dir", data))
    assert "surface:trail" in table and "stopped" in table


def test_no_experiment_yet_is_said_plainly(tmp_path, monkeypatch):
    result = run(monkeypatch, DAY0, "experiment", "status", "--data-dir", tmp_path)
    assert result.exit_code == 1 and "no experiment yet" in result.output
    assert "No experiments yet" in ok(run(monkeypatch, DAY0, "experiment", "list",
                                          "--data-dir", tmp_path))


def test_shoes_levers_need_a_pair_of_shoes(tmp_path):
    from ingest.gear import add_gear

    with Store(tmp_path) as store:
        shoes, vest_id = add_gear(store, "Ghost 15", "shoes"), add_gear(store, "vest", "pack")
        with pytest.raises(ExperimentError, match="not a pair of shoes"):
            start(store, f"shoes:{vest_id}", None, DAY0)
        ev = start(store, f"shoes:{shoes}", None, DAY0)
        assert ev.words.on == "run in Ghost 15" and ev.words.off == \
            "run in other shoes than Ghost 15"


def test_factors_offer_the_lever_that_tests_them():
    shoes = {"Ghost 15": 3}
    assert [experiment_lever(f, shoes) for f in (
        "carry_vest", "no_warmup", "shoes_Ghost 15", "surface_trail", "bodywork_7d", "load",
        "shoes_unknown")] == ["carry:vest", "warmup", "shoes:3", "surface:trail", None, None,
                              None]


def test_a_warm_up_lever_is_followed_or_not_by_the_runs_themselves(tmp_path, monkeypatch):
    from fitfiles import varied_run_fit

    data = tmp_path / "data"
    with Store(data) as store:
        ev = start(store, "warmup", None, DAY0, seed=SEED)
    first = ev.timeline.blocks().row(0, named=True)
    easy_first = [2.0] * 780 + [3.2] * 1200  # 13 min easy, then the run
    steady = [3.2] * 1500
    runs = tmp_path / "runs"
    runs.mkdir()
    for offset, speeds in ((1, easy_first), (3, steady), (5, steady)):
        start_time = dt.datetime.combine(first["start"] + dt.timedelta(days=offset),
                                         dt.time(7), tzinfo=dt.UTC)
        (runs / f"run{offset}.fit").write_bytes(varied_run_fit(start_time, speeds))
    ok(run(monkeypatch, DAY0, "import", runs, "--jobs", 1, "--data-dir", data))
    after = first["end"] + dt.timedelta(days=1)
    status = json.loads(ok(run(monkeypatch, after, "experiment", "status", "--format", "json",
                               "--data-dir", data)))
    block = status["adherence"][0]
    # one run with a 13-minute warm-up, two without: the arm decides which days followed
    followed = 1 if first["arm"] == "on" else 2
    assert (block["running_days"], block["followed_days"]) == (3, followed)
    assert block["counted"] is False  # 67 % at most, below 70 %
