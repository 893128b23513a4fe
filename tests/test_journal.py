"""Pain journal and session RPE: validation, all-or-nothing CSV import, CLI, store."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from fitfiles import run_fit

from dashboard.cli import main
from ingest.journal import JournalError, make_entry, parse_csv, parse_rpe
from ingest.reader import read_activities
from ingest.store import Store
from ingest.store.frames import PAIN_SCHEMA


def invoke(data_dir, *args):
    return CliRunner().invoke(main, [*map(str, args), "--data-dir", str(data_dir)])


def journal(data_dir):
    return json.loads(invoke(data_dir, "pain", "list", "--format", "json").stdout)


def test_pain_add_and_list(tmp_path):
    result = invoke(tmp_path, "pain", "add", "2026-06-10", "3", "--during-run",
                    "--note", "between the shoulder blades")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Recorded upper-back pain 3/10 on 2026-06-10 (during a run).\n"
    assert journal(tmp_path) == [{
        "id": 1, "date": "2026-06-10", "area": "upper-back", "level": 3, "during_run": True,
        "red_flags": "", "note": "between the shoulder blades"}]


def test_same_day_and_area_replaces_other_areas_add(tmp_path):
    invoke(tmp_path, "pain", "add", "2026-06-10", "3")
    invoke(tmp_path, "pain", "add", "2026-06-10", "5")
    invoke(tmp_path, "pain", "add", "2026-06-10", "1", "--area", "neck")
    assert [(e["area"], e["level"]) for e in journal(tmp_path)] == [("neck", 1),
                                                                   ("upper-back", 5)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2026-06-10", "11"), "pain level must be a whole number from 0 to 10, got '11'"),
        (("2026-06-10", "10.5"), "pain level must be a whole number from 0 to 10"),
        (("2026-06-10", "2.5"), "pain level must be a whole number from 0 to 10"),
        (("2026-06-10", "bad"), "pain level must be a number from 0 to 10"),
        (("10/06/2026", "2"), "date must be YYYY-MM-DD, got '10/06/2026'"),
        (("2999-01-01", "2"), "date 2999-01-01 is in the future"),
        (("2026-06-10", "2", "--red-flag", "headache"), "unknown red flag 'headache'"),
    ],
)
def test_bad_values_give_a_clear_error_and_store_nothing(tmp_path, args, message):
    result = invoke(tmp_path, "pain", "add", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert journal(tmp_path) == []


def test_red_flag_is_stored_and_answered(tmp_path):
    result = invoke(tmp_path, "pain", "add", "today", "4", "--red-flag", "night-pain")
    assert "health professional" in result.stdout
    (entry,) = journal(tmp_path)
    assert entry["red_flags"] == "night-pain"


def test_csv_import_is_all_or_nothing(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("date,area,level,during_run,note\n2026-06-01,upper-back,1,no,\n"
                    "2026-06-02,upper-back,4,yes,after long run\n2026-06-03,neck,2,,\n")
    assert invoke(tmp_path, "pain", "import", good).stdout.startswith("Imported 3 pain entries")
    bad = tmp_path / "bad.csv"
    bad.write_text("date,level\n2026-06-04,2\n2026-06-05,12\n")
    result = invoke(tmp_path, "pain", "import", bad)
    assert result.exit_code == 1
    assert "line 3: pain level must be a whole number from 0 to 10, got '12'" in result.stderr
    assert [e["date"] for e in journal(tmp_path)] == ["2026-06-01", "2026-06-02", "2026-06-03"]


def test_negative_level_is_refused():
    with pytest.raises(JournalError, match="from 0 to 10, got -1"):
        make_entry("2026-06-10", -1)


def test_csv_needs_date_and_level_columns():
    with pytest.raises(JournalError, match="missing column\\(s\\): level"):
        parse_csv("date,area\n2026-06-01,neck\n")


def test_rpe_cli(tmp_path):
    run = tmp_path / "run.fit"
    run.write_bytes(run_fit(dt.datetime(2026, 6, 1, 6, tzinfo=dt.UTC), seconds=60))
    invoke(tmp_path, "import", run)
    assert invoke(tmp_path, "rpe", "1", "6.5").stdout == "Session RPE 6.5 logged for activity 1.\n"
    assert "no activity with id 7" in invoke(tmp_path, "rpe", "7", "5").stderr
    assert "RPE must be a number from 0 to 10" in invoke(tmp_path, "rpe", "1", "11").stderr
    with Store(tmp_path) as store:
        assert store.rpe().to_dicts() == [{"activity_id": 1, "rpe": 6.5}]


def test_rpe_steps_of_half():
    assert parse_rpe("7.5") == 7.5
    with pytest.raises(JournalError, match="steps of 0.5"):
        parse_rpe("7.3")


def test_rpe_follows_the_richer_recording_on_dedupe(tmp_path):
    start = dt.datetime(2026, 6, 1, 6, tzinfo=dt.UTC)
    (phone,) = read_activities(run_fit(start, heart_rate=None), "phone.fit")
    (watch,) = read_activities(run_fit(start), "watch.fit")
    with Store(tmp_path) as store:
        first = store.add(phone, "a" * 64, "phone.fit")
        store.set_rpe(first.activity_id, 4)
        second = store.add(watch, "b" * 64, "watch.fit")
        assert store.rpe().to_dicts() == [{"activity_id": second.activity_id, "rpe": 4.0}]


def test_store_pain_frame_types(tmp_path):
    with Store(tmp_path) as store:
        assert store.pain().schema == PAIN_SCHEMA  # also with no entries
        store.add_pain([make_entry("2026-06-01", 2, red_flags=["fever"]),
                        make_entry("2026-05-31", 1, during_run=True)])
        frame = store.pain()
        assert frame.schema == PAIN_SCHEMA
        assert frame["date"].to_list() == [dt.date(2026, 5, 31), dt.date(2026, 6, 1)]
        assert frame["during_run"].to_list() == [True, False]
        assert frame["red_flags"].to_list() == [[], ["fever"]]
        assert store.delete_pain(int(frame["id"][1])) is True
        assert store.delete_pain(int(frame["id"][0])) is True
        assert store.pain().is_empty()


def test_unrecorded_days_cli(tmp_path):
    assert invoke(tmp_path, "unrecorded", "add", "2026-06-03").stdout.startswith("2026-06-03:")
    assert invoke(tmp_path, "unrecorded", "list").stdout == "2026-06-03\n"
    assert "is in the future" in invoke(tmp_path, "unrecorded", "add", "2999-01-01").stderr
    invoke(tmp_path, "unrecorded", "remove", "2026-06-03")
    assert invoke(tmp_path, "unrecorded", "list").stdout == "No days marked.\n"
