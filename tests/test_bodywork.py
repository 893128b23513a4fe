"""The body-work log: FIT strength workouts with ``set`` messages (written with Garmin's
encoder), body-work sub-sports, hand logging on the command line, the load of strength and
yoga sessions, and body work in the weekly summary's export formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import polars as pl
import pytest
from click.testing import CliRunner
from fitfiles import encode, fit_seconds, run_fit

from dashboard import export, service
from dashboard.cli import main
from ingest.bodywork import BodyworkError, Exercise, canonical_name, parse_exercise
from ingest.fit import fitparse_decoder, read_fit
from ingest.store import Store

START = dt.datetime(2026, 9, 7, 17, 0, tzinfo=dt.UTC)  # a Monday
EXERCISE_FIELDS = {"name", "category", "sets", "reps", "duration_s"}


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def workout(start: dt.datetime = START, sub_sport: str = "strength_training",
            sport: str = "training", minutes: int = 20, sets: bool = True,
            heart_rate: int = 95) -> bytes:
    """A workout as a Garmin watch writes it: records of heart rate, the sets (plank 2 x 45 s,
    bridge 2 x 12 with 5 kg, rests between), a session and an activity message."""
    end = start + dt.timedelta(minutes=minutes)
    messages = [
        ("file_id", {"type": "activity", "manufacturer": "garmin", "product": 4024,
                     "time_created": start, "serial_number": 3900001}),
        *[("record", {"timestamp": start + dt.timedelta(seconds=s), "heart_rate": heart_rate})
          for s in range(0, minutes * 60, 5)],
    ]
    if sets:
        plan = [("plank", 43, None, None, 45), ("plank", 43, None, None, 45),
                ("hip_raise", 11, 12, 5.0, 40), ("hip_raise", 11, 12, 5.0, 40)]
        at = 120
        for i, (category, subtype, reps, weight, seconds) in enumerate(plan):
            active = {"timestamp": start + dt.timedelta(seconds=at + seconds),
                      "start_time": start + dt.timedelta(seconds=at), "duration": float(seconds),
                      "set_type": "active", "category": [category],
                      "category_subtype": [subtype], "message_index": 2 * i}
            if reps:
                active |= {"repetitions": reps, "weight": weight}
            messages.append(("set", active))
            messages.append(("set", {"timestamp": start + dt.timedelta(seconds=at + seconds + 30),
                                     "start_time": start + dt.timedelta(seconds=at + seconds),
                                     "duration": 30.0, "set_type": "rest",
                                     "message_index": 2 * i + 1}))
            at += seconds + 30
    totals = {"start_time": start, "timestamp": end, "total_elapsed_time": minutes * 60.0,
              "total_timer_time": minutes * 60.0, "sport": sport, "sub_sport": sub_sport}
    messages += [("session", totals), ("activity", {
        "timestamp": end, "num_sessions": 1, "local_timestamp": fit_seconds(end) + 7200})]
    return encode(messages)


EXPECTED = [Exercise("plank", "core", sets=2, duration_s=90.0),
            Exercise("bridge", "core", sets=2, reps=12, duration_s=80.0, weight_kg=5.0)]


def test_both_decoders_read_the_exercises_of_the_set_messages():
    (fast,) = read_fit(workout())
    (reference,) = read_fit(workout(), decoder=fitparse_decoder.decode)
    assert fast.decoder == "fast" and reference.decoder == "fitparse"
    assert fast.exercises == reference.exercises == EXPECTED
    assert (fast.summary.sport, fast.summary.sub_sport) == ("training", "strength_training")


@pytest.mark.parametrize("sport, sub_sport, category", [
    ("training", "yoga", "mobility"), ("training", "pilates", "core"),
    ("training", "breathing", "mobility"), ("fitness_equipment", "flexibility_training",
                                            "mobility"),
    ("training", "strength_training", "strength"),
])
def test_body_work_sub_sports_are_listed_with_their_category(tmp_path, sport, sub_sport,
                                                             category):
    path = tmp_path / "session.fit"
    path.write_bytes(workout(sport=sport, sub_sport=sub_sport, sets=False, minutes=30))
    data = tmp_path / "d"
    assert invoke("import", "--jobs", 1, path, "--data-dir", data).exit_code == 0
    (row,) = json.loads(invoke("bodywork", "list", "--format", "json", "--data-dir", data)
                        .stdout)
    assert (row["source"], row["category"], row["minutes"]) == ("file", category, 30.0)
    assert row["date"] == "2026-09-07" and row["exercises"] == []


def test_a_watch_strength_workout_is_listed_with_its_exercises(tmp_path):
    path = tmp_path / "strength.fit"
    path.write_bytes(workout())
    run = tmp_path / "run.fit"
    run.write_bytes(run_fit(START - dt.timedelta(hours=10), seconds=600))
    data = tmp_path / "d"
    invoke("import", "--jobs", 1, path, run, "--data-dir", data)
    (row,) = json.loads(invoke("bodywork", "list", "--format", "json", "--data-dir", data)
                        .stdout)
    assert {"date", "source", "category", "minutes", "exercises"} <= set(row)
    assert (row["source"], row["category"], row["activity_id"]) == ("file", "core", 1)
    assert [{k: e[k] for k in EXERCISE_FIELDS} for e in row["exercises"]] == [
        {"name": "plank", "category": "core", "sets": 2, "reps": None, "duration_s": 90.0},
        {"name": "bridge", "category": "core", "sets": 2, "reps": 12, "duration_s": 80.0}]
    shown = invoke("activity", "show", 1, "--data-dir", data).output
    assert "body work (core): plank 2 x 45 s; bridge 2x12 @ 5 kg" in shown
    table = invoke("bodywork", "list", "--data-dir", data).output
    assert "plank 2 x 45 s; bridge 2x12 @ 5 kg" in table
    # deleting the activity deletes its exercises
    invoke("activity", "delete", 1, "--yes", "--data-dir", data)
    with Store(data) as store:
        assert store.db.execute("SELECT COUNT(*) FROM bodywork_exercises").fetchone()[0] == 0


# -- logging by hand -------------------------------------------------------------------------
@pytest.mark.parametrize("spec, expected", [
    ("plank", Exercise("plank", "core")),
    ("Plank:3x10", Exercise("plank", "core", sets=3, reps=10)),
    ("cat cow:5", Exercise("cat-cow", "mobility", duration_s=300.0)),
    ("Childs pose : 2.5", Exercise("child's pose", "mobility", duration_s=150.0)),
    ("thoracic extension:4", Exercise("thoracic extension on a foam roller", "mobility",
                                      duration_s=240.0)),
    ("band pull apart:2x15", Exercise("band pull-apart", "strength", sets=2, reps=15)),
    ("hip airplanes:2x8", Exercise("hip airplanes", "strength", sets=2, reps=8)),
])
def test_exercise_specs(spec, expected):
    assert parse_exercise(spec) == expected


def test_the_list_holds_the_exercises_runners_are_told_to_do():
    for name in ("plank", "side plank", "bridge", "Russian twist", "bird-dog", "dead bug",
                 "cat-cow", "thoracic extension on a foam roller", "child's pose",
                 "thread the needle", "doorway chest stretch", "band pull-apart"):
        assert parse_exercise(name).category in ("core", "mobility", "strength")
        assert canonical_name(name.upper()) == name.lower()


@pytest.mark.parametrize("spec, message", [
    ("plank:3x", "expected SETSxREPS (e.g. 3x10) or minutes"),
    ("plank:0", "minutes must be more than 0"),
    ("plank:99x10", "sets must be 1-50"),
    (":5", "exercise must be NAME"),
])
def test_bad_exercise_specs_say_why(spec, message):
    with pytest.raises(BodyworkError) as error:
        parse_exercise(spec)
    assert message in str(error.value)


def test_bodywork_add_list_delete_on_the_command_line(tmp_path):
    data = tmp_path / "d"
    added = invoke("bodywork", "add", "2026-09-08", "--exercise", "plank:3x10",
                   "--exercise", "cat-cow:5", "--minutes", "10", "--note", "after work",
                   "--data-dir", data)
    assert added.exit_code == 0, added.output
    assert added.output == ("Logged body work 1 on 2026-09-08: core, 10 min "
                            "(plank, cat-cow).\n")
    timed = invoke("bodywork", "add", "2026-09-10", "--exercise", "child's pose:3",
                   "--exercise", "thread the needle:2", "--data-dir", data)
    assert "mobility, 5 min" in timed.output
    rows = json.loads(invoke("bodywork", "list", "--format", "json", "--data-dir", data).stdout)
    assert [(r["date"], r["source"], r["category"], r["minutes"]) for r in rows] == [
        ("2026-09-08", "manual", "core", 10.0), ("2026-09-10", "manual", "mobility", 5.0)]
    assert [{k: e[k] for k in EXERCISE_FIELDS} for e in rows[0]["exercises"]] == [
        {"name": "plank", "category": "core", "sets": 3, "reps": 10, "duration_s": None},
        {"name": "cat-cow", "category": "mobility", "sets": None, "reps": None,
         "duration_s": 300.0}]
    ranged = json.loads(invoke("bodywork", "list", "--from", "2026-09-09", "--format", "json",
                               "--data-dir", data).stdout)
    assert [r["id"] for r in ranged] == [2]
    flat = list(csv.DictReader(io.StringIO(invoke("bodywork", "list", "--format", "csv",
                                                  "--data-dir", data).stdout)))
    assert flat[0]["exercises"] == "plank 3x10; cat-cow 5 min" and flat[0]["note"] == "after work"
    assert invoke("bodywork", "delete", 1, "--data-dir", data).output == "Deleted body work 1.\n"
    missing = invoke("bodywork", "delete", 1, "--data-dir", data)
    assert missing.exit_code == 1 and "no hand-logged body work with id 1" in missing.output


@pytest.mark.parametrize("args, message", [
    (("2026-09-08", "--exercise", "plank:3x10"), "say how long the session took"),
    (("2999-01-01", "--minutes", "10"), "is in the future"),
    (("08.09.2026", "--minutes", "10"), "expected YYYY-MM-DD"),
    (("2026-09-08", "--exercise", "plank:abc", "--minutes", "5"), "plank: expected SETSxREPS"),
    (("2026-09-08", "--minutes", "900"), "minutes must be more than 0 and at most 600"),
])
def test_bad_bodywork_input_is_one_clear_line_and_stores_nothing(tmp_path, args, message):
    data = tmp_path / "d"
    result = invoke("bodywork", "add", *args, "--data-dir", data)
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output
    assert json.loads(invoke("bodywork", "list", "--format", "json", "--data-dir", data)
                      .stdout) == []


# -- load and the weekly summary ---------------------------------------------------------------
@pytest.fixture
def week(tmp_path):
    """A run on Monday, a strength workout with heart rate on Tuesday (rated later), a yoga
    session on Wednesday (unrated) and 15 minutes of mobility logged by hand on Thursday."""
    data = tmp_path / "d"
    files = {"run.fit": run_fit(START - dt.timedelta(hours=11), seconds=1800),
             "strength.fit": workout(START + dt.timedelta(days=1), heart_rate=150),
             "yoga.fit": workout(START + dt.timedelta(days=2), sub_sport="yoga", sets=False,
                                 minutes=45)}
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    invoke("import", "--jobs", 1, *(tmp_path / n for n in files), "--data-dir", data)
    invoke("rpe", 2, 5, "--data-dir", data)
    invoke("bodywork", "add", "2026-09-10", "--exercise", "cat-cow:5",
           "--exercise", "child's pose:10", "--data-dir", data)
    return data


def test_strength_and_yoga_load_is_srpe_or_the_default_intensity_never_running(week):
    with Store(week) as store:
        report = service.report(store)
    sessions = {row["id"]: row for row in report.sessions.iter_rows(named=True)}
    strength, yoga, manual = sessions[2], sessions[3], sessions[-1]
    assert (strength["load_source"], strength["estimated"]) == ("srpe", False)
    assert strength["load"] == pytest.approx(100 * 5 * 20 / (60 * 7))  # RPE 5 x 20 min
    assert strength["trimp"] > 0  # heart rate was recorded, but does not make the load
    assert (yoga["load_source"], yoga["estimated"]) == ("duration_default", True)
    assert (manual["load_source"], manual["sport"]) == ("duration_default", "training")
    assert yoga["load"] / 45 == pytest.approx(manual["load"] / 15)  # same mobility intensity
    assert strength["bodywork"] and yoga["bodywork"] and manual["bodywork"]
    assert not any(row["is_run"] for row in (strength, yoga, manual))
    thursday = report.daily.filter(date=dt.date(2026, 9, 10)).row(0, named=True)
    assert thursday["running_load"] == 0 and thursday["cross_load"] == manual["load"]
    assert (thursday["bodywork_sessions"], thursday["bodywork_mobility_minutes"]) == (1, 15.0)


def test_the_weekly_summary_shows_body_work_in_every_export_format(week):
    with Store(week) as store:
        weekly = service.report(store).weekly()
    (row,) = weekly.to_dicts()
    assert (row["bodywork_sessions"], row["bodywork_minutes"]) == (3, 80.0)
    assert (row["bodywork_core_sessions"], row["bodywork_mobility_sessions"],
            row["bodywork_strength_sessions"]) == (1, 2, 0)
    assert row["bodywork_mobility_minutes"] == 60.0
    (from_csv,) = csv.DictReader(io.StringIO(export.to_csv(weekly)))
    assert from_csv["bodywork_sessions"] == "3" and from_csv["bodywork_core_minutes"] == "20.0"
    (from_json,) = json.loads(export.to_json(weekly))
    assert from_json["bodywork_mobility_sessions"] == 2
    markdown = export.to_markdown(weekly)
    header, _, week_row = markdown.splitlines()[2:5]
    assert "| Body work (sessions, min: per category) |" in header
    assert "| 3 (80 min): core 1/20, mobility 2/60 |" in week_row
    assert "strength programmes reduced sports injuries" in markdown
    cli = invoke("summary", "--format", "csv", "--data-dir", week).stdout
    assert "bodywork_strength_minutes" in cli.splitlines()[0]


def test_weeks_without_body_work_are_zero_not_missing(week):
    with Store(week) as store:
        daily = service.report(store).daily
    assert daily.filter(pl.col("date") == dt.date(2026, 9, 7))["bodywork_sessions"][0] == 0
    assert daily["bodywork_minutes"].null_count() == 0


def test_a_rated_hand_logged_session_counts_session_rpe(tmp_path):
    data = tmp_path / "d"
    run = tmp_path / "run.fit"
    run.write_bytes(run_fit(START, seconds=1200))
    invoke("import", "--jobs", 1, run, "--data-dir", data)
    rated = invoke("bodywork", "add", "2026-09-08", "--exercise", "squat:3x12", "--minutes",
                   "30", "--rpe", "6", "--data-dir", data)
    assert rated.exit_code == 0, rated.output
    wrong = invoke("bodywork", "add", "2026-09-09", "--minutes", "30", "--rpe", "12",
                   "--data-dir", data)
    assert wrong.exit_code == 1 and "RPE must be 0-10" in wrong.output
    (row,) = json.loads(invoke("bodywork", "list", "--format", "json", "--data-dir", data)
                        .stdout)
    assert (row["category"], row["rpe"]) == ("strength", 6.0)
    with Store(data) as store:
        manual = service.report(store).sessions.filter(id=-1).row(0, named=True)
    assert (manual["load_source"], manual["estimated"]) == ("srpe", False)
    assert manual["srpe_au"] == 180.0 and manual["load"] == pytest.approx(100 * 180 / 420)
