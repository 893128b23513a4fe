"""Run context and corrections: surface from the FIT sub-sport, carry, tags, a changed sport,
exclusion from load, deleting an activity (with confirmation), and a richer recording taking
the context over."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from click.testing import CliRunner
from fitfiles import encode, run_fit, run_messages

from dashboard import service
from dashboard.cli import main
from ingest.context import context_frame
from ingest.store import Store

START = dt.datetime(2026, 9, 1, 6, 0, tzinfo=dt.UTC)


def invoke(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def fit_with_sub_sport(start: dt.datetime, sub_sport: str, **options) -> bytes:
    messages = run_messages(start, **options)
    return encode([(name, dict(fields, sub_sport=sub_sport) if name == "session" else fields)
                   for name, fields in messages])


@pytest.fixture
def data(tmp_path):
    """A store with a treadmill run, a track run, a trail run and a road run (ids 1-4)."""
    for day, sub in enumerate(("treadmill", "track", "trail", "street")):
        (tmp_path / f"{day}.fit").write_bytes(fit_with_sub_sport(
            START + dt.timedelta(days=day), sub, seconds=1800, speed=3.0))
    folder = tmp_path / "d"
    result = invoke("import", "--jobs", 1, *sorted(tmp_path.glob("*.fit")), "--data-dir", folder)
    assert result.exit_code == 0, result.output
    return folder


def listed(data) -> list[dict]:
    result = invoke("activities", "--format", "json", "--data-dir", data)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_surface_comes_from_the_watch_and_a_hand_set_value_wins(data):
    rows = listed(data)
    assert [r["surface"] for r in rows] == ["treadmill", "track", "trail", "road"]
    assert {"gear", "carry", "surface", "tags", "excluded_from_load"} <= set(rows[0])
    result = invoke("activity", "edit", 1, "--surface", "mixed", "--data-dir", data)
    assert result.exit_code == 0, result.output
    assert "surface: mixed" in result.output
    assert listed(data)[0]["surface"] == "mixed"
    invoke("activity", "edit", 1, "--surface", "auto", "--data-dir", data)
    assert listed(data)[0]["surface"] == "treadmill"


def test_carry_tags_and_csv_listing(data):
    result = invoke("activity", "edit", 2, "--carry", "bottle", "--tag", "intervals",
                    "--tag", "with Anna, hot", "--data-dir", data)
    assert result.exit_code == 0, result.output
    row = listed(data)[1]
    assert (row["carry"], row["tags"]) == ("bottle", ["intervals", "with Anna", "hot"])
    csv_lines = invoke("activities", "--format", "csv", "--data-dir", data).stdout.splitlines()
    assert ',"",bottle,track,intervals; with Anna; hot,false,' in csv_lines[2]
    invoke("activity", "edit", 2, "--tag", "", "--data-dir", data)
    assert listed(data)[1]["tags"] == []


def test_a_changed_sport_keeps_the_recorded_one_and_recomputes_metrics(data):
    result = invoke("activity", "edit", 3, "--sport", "walking", "--data-dir", data)
    assert result.exit_code == 0
    assert "walking (trail), recorded as running" in result.output
    shown = json.loads(invoke("activity", "show", 3, "--format", "json", "--data-dir", data)
                       .stdout)
    assert (shown["sport"], shown["recorded_sport"]) == ("walking", "running")
    with Store(data) as store:
        report = service.report(store)
        assert report.sessions.filter(id=3)["sport"][0] == "walking"
        assert 3 not in report.runs["id"].to_list()
        assert dict(store.metrics())[3]  # recomputed for the new sport


def test_excluded_activities_stay_listed_but_do_not_count_in_load(data):
    with Store(data) as store:
        before = service.report(store)
    day = dt.date(2026, 9, 2)
    assert before.daily.filter(date=day)["load"][0] > 0
    result = invoke("activity", "edit", 2, "--exclude-from-load", "--data-dir", data)
    assert result.exit_code == 0 and "excluded from load" in result.output
    rows = listed(data)
    assert len(rows) == 4 and rows[1]["excluded_from_load"] is True
    with Store(data) as store:
        after = service.report(store)
    assert after.daily.filter(date=day)["load"][0] == 0  # a rest day now
    assert after.daily.filter(date=day)["distance_m"][0] == 0
    assert 2 not in after.sessions["id"].to_list()
    invoke("activity", "edit", 2, "--include-in-load", "--data-dir", data)
    with Store(data) as store:
        assert service.report(store).daily.filter(date=day)["load"][0] == pytest.approx(
            before.daily.filter(date=day)["load"][0])


def test_delete_asks_first_and_yes_skips_the_question(data, tmp_path):
    kept = invoke("activity", "delete", 4, "--data-dir", data, input="n\n")
    assert "Delete activity 4 (running on 2026-09-04, 3.fit)? [y/N]" in kept.output
    assert "Nothing deleted." in kept.output
    assert len(listed(data)) == 4
    gone = invoke("activity", "delete", 4, "--data-dir", data, input="y\n")
    assert gone.exit_code == 0 and "Deleted activity 4" in gone.output
    assert invoke("activity", "delete", 3, "--yes", "--data-dir", data).exit_code == 0
    assert [r["id"] for r in listed(data)] == [1, 2]
    missing = invoke("activity", "show", 3, "--data-dir", data)
    assert missing.exit_code == 1 and "no activity with id 3" in missing.output
    # importing the file again brings it back
    again = invoke("import", "--jobs", 1, tmp_path / "3.fit", "--data-dir", data)
    assert "1 imported" in again.output and len(listed(data)) == 3


@pytest.mark.parametrize("args, message", [
    (("activity", "edit", "9", "--sport", "cycling"), "no activity with id 9"),
    (("activity", "edit", "1"), "nothing to change"),
    (("activity", "edit", "1", "--carry", "bucket"), "Invalid value for '--carry'"),
    (("activity", "edit", "1", "--gear", "x"), "expected gear ids"),
    (("activity", "edit", "1", "--gear", "3"), "no gear with id 3"),
    (("activity", "edit", "1", "--sport", "run 5k!"), "sport must be a word"),
])
def test_bad_corrections_are_one_clear_line_and_change_nothing(data, args, message):
    before = listed(data)
    result = invoke(*args, "--data-dir", data)
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output
    assert listed(data) == before


def test_a_richer_recording_of_the_same_run_takes_over_gear_and_context(tmp_path):
    data = tmp_path / "d"
    plain = tmp_path / "plain.fit"
    plain.write_bytes(run_fit(START, seconds=1200, heart_rate=None))
    rich = tmp_path / "rich.fit"
    rich.write_bytes(run_fit(START, seconds=1200))
    invoke("import", "--jobs", 1, plain, "--data-dir", data)
    invoke("gear", "add", "Ghost", "--kind", "shoes", "--data-dir", data)
    invoke("gear", "add", "Vest", "--kind", "pack", "--data-dir", data)
    invoke("activity", "edit", 1, "--gear", 1, "--gear", 2, "--tag", "race", "--surface",
           "road", "--data-dir", data)
    done = invoke("import", "--jobs", 1, rich, "--data-dir", data)
    assert done.stdout.splitlines()[-1] == (
        "1 imported (1 activities, 1 of them kept instead of a poorer recording of the same "
        "session); 0 duplicates; 0 rejected. The store now holds 1 activities.")
    with Store(data) as store:
        frame = context_frame(store)
    assert frame["id"].to_list() == [2]
    row = frame.row(0, named=True)
    assert (row["gear"], row["carry"], row["tags"], row["surface"]) == (
        ["Ghost", "Vest"], "vest", ["race"], "road")


def test_context_frame_reads_per_activity_for_later_analyses(data):
    invoke("gear", "add", "Ghost", "--kind", "shoes", "--data-dir", data)
    invoke("gear", "assign", 1, 1, "--data-dir", data)
    with Store(data) as store:
        frame = context_frame(store)
    assert frame.columns == ["id", "gear", "gear_ids", "shoes", "carry", "surface", "tags",
                             "excluded_from_load", "recorded_sport"]
    assert frame.filter(pl.col("shoes") == "Ghost")["id"].to_list() == [1]


def test_levers_per_activity_and_per_day(data):
    from dashboard.levers import activity_frame, day_frame

    invoke("gear", "add", "Ghost", "--kind", "shoes", "--initial-km", "100", "--data-dir", data)
    invoke("gear", "add", "Vest", "--kind", "pack", "--data-dir", data)
    for activity_id in (1, 2, 3):
        invoke("gear", "assign", activity_id, 1, *([2] if activity_id == 3 else []),
               "--data-dir", data)
    invoke("activity", "edit", 2, "--exclude-from-load", "--data-dir", data)
    invoke("bodywork", "add", "2026-09-03", "--exercise", "plank:5", "--data-dir", data)
    with Store(data) as store:
        per_activity = activity_frame(store)
        per_day = day_frame(store)
    assert per_activity["shoe_km_before"].to_list() == pytest.approx(
        [100.0, 105.397, 110.794, None], abs=0.01)  # 1799 s at 3 m/s before each
    assert per_activity["carry"].to_list() == [None, None, "vest", None]
    days = {row["date"].day: row for row in per_day.iter_rows(named=True)}
    assert 2 not in days  # its only run is excluded from load
    assert (days[3]["runs_with_pack"], days[3]["carry"], days[3]["shoes"]) == (1, "vest",
                                                                               ["Ghost"])
    assert days[3]["pack_distance_m"] == pytest.approx(5397)
    assert (days[3]["bodywork_core_sessions"], days[3]["bodywork_core_minutes"]) == (1, 5.0)
    assert (days[4]["surfaces"], days[4]["bodywork_sessions"]) == (["road"], 0)
