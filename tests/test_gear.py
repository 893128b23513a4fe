"""Gear: items, defaults per sport, assignment, distance and time per item, retirement, the
Today notes, Strava bulk exports and the store migration that adds the tables."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import sqlite3
import zipfile

import polars as pl
import pytest
from click.testing import CliRunner
from fitfiles import run_fit

from analytics.gear import gear_notes, gear_usage
from dashboard.cli import main
from dashboard.pages.upload import report_lines
from dashboard.uploads import import_uploads
from ingest import gear
from ingest.store import _MIGRATIONS, SCHEMA_VERSION, Store

START = dt.datetime(2026, 9, 1, 6, 0, tzinfo=dt.UTC)
GEAR_FIELDS = {"id", "name", "kind", "distance_m", "duration_s", "activities", "retire_km",
               "retired", "default_for"}


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def write_runs(folder, days=(0, 2), seconds=1200, speed=3.0, sport="running"):
    paths = []
    for day in days:
        path = folder / f"{sport}-{day}.fit"
        path.write_bytes(run_fit(START + dt.timedelta(days=day), seconds=seconds, speed=speed,
                                 sport=sport))
        paths.append(path)
    return paths


def gear_rows(data):
    result = invoke("gear", "list", "--format", "json", "--data-dir", data)
    assert result.exit_code == 0, result.output
    return {row["name"]: row for row in json.loads(result.stdout)}


def test_default_shoes_go_to_new_runs_and_distance_is_the_sum_of_their_runs(tmp_path):
    data = tmp_path / "d"
    assert invoke("gear", "add", "Ghost 15", "--kind", "shoes", "--default-for", "running",
                  "--data-dir", data).exit_code == 0
    runs = write_runs(tmp_path)
    ride = write_runs(tmp_path, days=(1,), sport="cycling", speed=7.0)
    assert invoke("import", "--jobs", 1, *runs, *ride, "--data-dir", data).exit_code == 0
    row = gear_rows(data)["Ghost 15"]
    assert GEAR_FIELDS <= set(row)
    assert row["kind"] == "shoes" and row["default_for"] == "running"
    assert row["activities"] == 2  # the ride did not get running shoes
    assert row["distance_m"] == pytest.approx(2 * 3.0 * 1199, abs=1)
    assert row["duration_s"] == pytest.approx(2 * 1199, abs=1)
    assert row["retire_km"] == 700.0 and row["retired"] is False  # the shoe_retire_km default


def test_several_items_per_activity_override_and_carry_from_the_pack(tmp_path):
    data = tmp_path / "d"
    invoke("import", "--jobs", 1, *write_runs(tmp_path), "--data-dir", data)
    added = invoke("gear", "add", "Salomon hydration vest", "--kind", "pack", "--data-dir", data)
    assert added.output == "Added pack 'Salomon hydration vest' as gear 1.\n"
    invoke("gear", "add", "Pegasus", "--kind", "shoes", "--data-dir", data)
    ids = {name: row["id"] for name, row in gear_rows(data).items()}
    result = invoke("gear", "assign", 2, ids["Pegasus"], ids["Salomon hydration vest"],
                    "--data-dir", data)
    assert result.exit_code == 0, result.output
    listed = json.loads(invoke("activities", "--format", "json", "--data-dir", data).stdout)
    assert listed[1]["gear"] == ["Salomon hydration vest", "Pegasus"]
    assert listed[1]["carry"] == "vest" and listed[0]["carry"] is None
    rows = gear_rows(data)
    assert rows["Pegasus"]["activities"] == 1
    assert rows["Salomon hydration vest"]["carry"] == "vest"
    # assigning again replaces: the vest is gone from run 2
    invoke("gear", "assign", 2, ids["Pegasus"], "--data-dir", data)
    assert json.loads(invoke("activities", "--format", "json", "--data-dir", data)
                      .stdout)[1]["gear"] == ["Pegasus"]


def test_retired_items_stay_on_old_runs_but_new_runs_do_not_get_them(tmp_path):
    data = tmp_path / "d"
    invoke("gear", "add", "Old pair", "--kind", "shoes", "--default-for", "running",
           "--data-dir", data)
    first, second = write_runs(tmp_path)
    invoke("import", "--jobs", 1, first, "--data-dir", data)
    result = invoke("gear", "retire", 1, "--data-dir", data)
    assert result.exit_code == 0 and "Retired gear 1 (Old pair)" in result.output
    invoke("import", "--jobs", 1, second, "--data-dir", data)
    row = gear_rows(data)["Old pair"]
    assert row["retired"] is True and row["activities"] == 1


def test_since_date_and_table_listing(tmp_path):
    data = tmp_path / "d"
    invoke("gear", "add", "Future pair", "--kind", "shoes", "--default-for", "running",
           "--since", "2026-09-02", "--retire-km", "500", "--data-dir", data)
    invoke("import", "--jobs", 1, *write_runs(tmp_path), "--data-dir", data)  # 09-01, 09-03
    row = gear_rows(data)["Future pair"]
    assert row["activities"] == 1 and row["since"] == "2026-09-02"
    table = invoke("gear", "list", "--data-dir", data).output.splitlines()
    assert "distance (km)" in table[0] and "retire at (km)" in table[0]
    assert "Future pair" in table[2] and "3.6" in table[2] and "500" in table[2]
    csv_rows = invoke("gear", "list", "--format", "csv", "--data-dir", data).output.splitlines()
    assert csv_rows[0].startswith("id,name,kind,")


@pytest.mark.parametrize("args, message", [
    (("gear", "add", "X", "--kind", "boots"), "Invalid value for '--kind'"),
    (("gear", "add", "X", "--kind", "shoes", "--retire-km", "-5"), "retirement distance"),
    (("gear", "add", "X", "--kind", "shoes", "--since", "yesterday"), "expected YYYY-MM-DD"),
    (("gear", "add", "X", "--kind", "shoes", "--carry", "vest"), "only a pack"),
    (("gear", "assign", "1", "7"), "no activity with id 1"),
    (("gear", "retire", "9"), "no gear with id 9"),
])
def test_bad_gear_input_is_one_clear_line(tmp_path, args, message):
    result = invoke(*args, "--data-dir", tmp_path / "d")
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_duplicate_names_and_unknown_gear_are_refused(tmp_path):
    data = tmp_path / "d"
    invoke("import", "--jobs", 1, *write_runs(tmp_path, days=(0,)), "--data-dir", data)
    invoke("gear", "add", "Ghost", "--kind", "shoes", "--data-dir", data)
    again = invoke("gear", "add", "ghost", "--kind", "shoes", "--data-dir", data)
    assert again.exit_code == 1 and "already gear named 'ghost' (id 1)" in again.output
    wrong = invoke("gear", "assign", 1, 1, 5, "--data-dir", data)
    assert wrong.exit_code == 1 and "no gear with id 5" in wrong.output
    with Store(data) as store:
        assert gear.assignments(store).is_empty()  # nothing half-assigned


# -- analytics: usage and the Today notes ----------------------------------------------------
def frames():
    items = pl.DataFrame({
        "id": [1, 2, 3], "name": ["Worn", "New", "Vest"], "kind": ["shoes", "shoes", "pack"],
        "carry": [None, None, "vest"], "since": [None, None, None],
        "retire_km": [None, 300.0, None], "initial_m": [650_000.0, 0.0, 0.0],
        "retired": [False, False, False], "default_for": [None, "running", None],
        "note": ["", "", ""],
    }, schema={**gear.ITEM_SCHEMA})
    activities = pl.DataFrame({
        "id": [10, 11, 12], "local_date": ["2026-08-01", "2026-08-20", "2026-08-25"],
        "sport": ["running", "running", "cycling"], "distance_m": [30_000.0, 25_000.0, 40_000.0],
        "timer_time_s": [9000.0, 7000.0, 5000.0], "duration_s": [9100.0, 7100.0, 5100.0],
    })
    assignments = pl.DataFrame({"activity_id": [10, 11, 11], "gear_id": [1, 1, 3]})
    return items, assignments, activities


def test_usage_sums_distance_time_and_flags_retirement():
    items, assignments, activities = frames()
    usage = {r["name"]: r for r in gear_usage(items, assignments, activities).iter_rows(
        named=True)}
    assert usage["Worn"]["distance_m"] == 650_000 + 55_000
    assert usage["Worn"]["duration_s"] == 16_000 and usage["Worn"]["activities"] == 2
    assert usage["Worn"]["retire_km"] == 700 and usage["Worn"]["past_retirement"]
    assert usage["New"]["retire_km"] == 300 and not usage["New"]["past_retirement"]
    assert usage["Vest"]["retire_km"] is None and usage["Vest"]["distance_m"] == 25_000
    before = gear_usage(items, assignments, activities, as_of=dt.date(2026, 8, 10))
    assert before.filter(name="Worn")["distance_m"][0] == 680_000
    assert not before.filter(name="Worn")["past_retirement"][0]


def test_today_notes_say_retirement_with_grade_u_and_parallel_use_with_grade_v():
    items, assignments, activities = frames()
    day = dt.date(2026, 8, 26)
    usage = gear_usage(items, assignments, activities, as_of=day)
    notes = gear_notes(usage, assignments, activities, day)
    by_metric = {n.metric: n for n in notes}
    worn = by_metric["shoe_distance"]
    assert (worn.value, worn.grade, worn.context) == (705.0, "U", True)
    assert "Worn = 705 km vs >= 700 km" in worn.text and "not from trials" in worn.text
    pairs = by_metric["shoe_pairs"]
    assert (pairs.value, pairs.grade) == (1, "V")
    assert "Malisoux" in pairs.source and "HR 0.61" in pairs.text
    # retired shoes are not "in use": no retirement note
    retired = gear_usage(items.with_columns(retired=pl.col("id") == 1), assignments,
                         activities, as_of=day)
    assert [n.metric for n in gear_notes(retired, assignments, activities, day)] == [
        "shoe_pairs"]
    # miles for an imperial runner
    (mile,) = [n for n in gear_notes(usage, assignments, activities, day,
                                     unit=("mi", 1609.344)) if n.metric == "shoe_distance"]
    assert "438 mi vs >= 435 mi" in mile.text


# -- Strava bulk export ----------------------------------------------------------------------
STRAVA_HEADER = ("Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,"
                 "Elapsed Time,Distance,Activity Gear,Filename,Elapsed Time,Distance")


def strava_export(tmp_path, folder: bool = False):
    rows = [
        (1, "Run", "Ghost 15", "activities/1.fit.gz", 0, "running"),
        (2, "Run", "Ghost 15", "activities/2.fit.gz", 2, "running"),
        (3, "Ride", "Canyon Endurace", "activities/3.fit.gz", 1, "cycling"),
        (4, "Run", "", "activities/4.fit.gz", 3, "running"),
    ]
    text = STRAVA_HEADER + "\n" + "".join(
        f'{i},"Sep {i}, 2026",Morning,{kind},,600,1.8,{gear_name},{file},600,1800\n'
        for i, kind, gear_name, file, _, _ in rows)
    files = {file: gzip.compress(run_fit(START + dt.timedelta(days=day), seconds=600,
                                         sport=sport, speed=3.0 if sport == "running" else 7.0))
             for _, _, _, file, day, sport in rows}
    if folder:
        root = tmp_path / "export_123"
        (root / "activities").mkdir(parents=True)
        (root / "activities.csv").write_text(text)
        for name, data in files.items():
            (root / name).write_bytes(data)
        return root
    path = tmp_path / "export_123.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():  # the CSV after the files, as in some exports
            archive.writestr(name, data)
        archive.writestr("activities.csv", text)
    return path


@pytest.mark.parametrize("folder", [False, True], ids=["zip", "folder"])
def test_strava_export_creates_and_assigns_gear_and_says_so(tmp_path, folder):
    data = tmp_path / "d"
    invoke("gear", "add", "Default pair", "--kind", "shoes", "--default-for", "running",
           "--data-dir", data)
    export = strava_export(tmp_path, folder)
    result = invoke("import", "--jobs", 1, export, "--data-dir", data)
    assert result.exit_code == 0, result.output
    assert ("Gear from activities.csv: Ghost 15 (2 activities), Canyon Endurace (1 activity); "
            "2 new items (Ghost 15, Canyon Endurace).") in result.stdout
    rows = gear_rows(data)
    assert rows["Ghost 15"]["kind"] == "shoes" and rows["Ghost 15"]["activities"] == 2
    assert rows["Canyon Endurace"]["kind"] == "other"
    assert rows["Default pair"]["activities"] == 1  # the run without gear in the CSV
    listed = {Path_name(a["source_file"]): a["gear"] for a in json.loads(
        invoke("activities", "--format", "json", "--data-dir", data).stdout)}
    assert listed == {"1.fit.gz": ["Ghost 15"], "2.fit.gz": ["Ghost 15"],
                      "3.fit.gz": ["Canyon Endurace"], "4.fit.gz": ["Default pair"]}


def Path_name(path: str) -> str:  # noqa: N802 - reads like pathlib's .name
    return path.rsplit("/", 1)[-1]


def test_strava_export_json_report_and_browser_upload_name_the_gear(tmp_path):
    export = strava_export(tmp_path)
    result = invoke("import", "--jobs", 1, export, "--json", "--data-dir", tmp_path / "d")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["gear"] for line in lines] == [["Ghost 15"], ["Ghost 15"],
                                                ["Canyon Endurace"], []]
    content = "data:application/zip;base64," + base64.b64encode(export.read_bytes()).decode()
    with Store(tmp_path / "web") as store:
        reports, skipped = import_uploads([("export_123.zip", content)], store)
        assert [r.gear for r in reports] == [["Ghost 15"], ["Ghost 15"], ["Canyon Endurace"], []]
        assert skipped == 1  # activities.csv is not an activity
        lines = [li.children for li in report_lines(reports, skipped)[1].children]
        assert lines[0] == "imported 1.fit.gz: 1 activity, gear Ghost 15"
        assert gear.items(store)["name"].to_list() == ["Ghost 15", "Canyon Endurace"]


def test_unreadable_strava_csv_is_a_note_and_the_files_still_import(tmp_path):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("activities.csv", b"\xff\xfe not utf-8 \xff")
        archive.writestr("activities/1.fit", run_fit(START, seconds=300))
    result = invoke("import", "--jobs", 1, path, "--data-dir", tmp_path / "d")
    assert result.exit_code == 0
    assert "activities.csv: gear not read (activities.csv is not UTF-8 text" in result.stderr
    assert "1 imported" in result.stdout


# -- schema ------------------------------------------------------------------------------------
def test_a_store_of_schema_5_is_migrated_and_keeps_its_data(tmp_path):
    data = tmp_path / "old"
    data.mkdir()
    db = sqlite3.connect(data / "strideload.sqlite")
    for version in range(1, 6):
        script = _MIGRATIONS[version]
        for statement in script.split(";") if isinstance(script, str) else script:
            if statement.strip():
                db.execute(statement)
    db.execute("INSERT INTO pain (date, area, level, during_run, red_flags, note, updated_at) "
               "VALUES ('2026-09-01', 'upper-back', 3, 0, '[]', '', 'x')")
    db.execute("PRAGMA user_version = 5")
    db.commit()
    db.close()
    with Store(data) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.pain()["level"].to_list() == [3]
        assert len(store.store_id()) == 32  # migration 13: an id and pain counted apart
        training, revision = store.training_revision(), store.revision()
        store.delete_pain(int(store.pain()["id"][0]))
        assert store.training_revision() == training and store.revision() == revision + 1
        assert gear.add_gear(store, "Ghost", "shoes") == 1
        assert store.training_revision() != training
