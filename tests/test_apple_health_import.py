"""Apple Health exports end to end: export.zip, the unzipped folder and export.xml alone into a
real store - every workout type, the samples joined from the watch's records, wellness,
re-imports, dedupe with a FIT file of the same run, and damaged or hostile exports."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import polars as pl
import pytest
from apple_health_files import (
    CEST,
    FOLDER,
    Day,
    Workout,
    export_files,
    export_zip,
    route_gpx,
    write_folder,
)
from click.testing import CliRunner
from fitfiles import run_fit

from dashboard.cli import main
from dashboard.cli.importing import _Progress
from dashboard.service import enrich
from ingest.bodywork_store import sessions
from ingest.context import context_frame
from ingest.importer import import_items
from ingest.sources import Expansion, expand
from ingest.store import Store
from ingest.wellness.store import wellness_days

T0 = dt.datetime(2026, 9, 7, 7, 12, 3, tzinfo=CEST)


def at(day: int, hour: int = 7, minute: int = 0) -> dt.datetime:
    return T0.replace(hour=hour, minute=minute, second=0) + dt.timedelta(days=day)


RUN = Workout("Running", T0, minutes=20, pauses=[(10, 11)], strap_hr=True, phone_steps=True)
TREADMILL = Workout("Running", at(1, 18), minutes=15, indoor=True, route=False, speed_m_s=2.8)
WORKOUTS = [
    RUN, TREADMILL,
    Workout("Walking", at(2), minutes=20, speed_m_s=1.4, cadence_spm=112, ios16=False),
    Workout("Hiking", at(2, 15), minutes=20, speed_m_s=1.1, cadence_spm=104),
    Workout("Cycling", at(3), minutes=20, speed_m_s=7.0),
    Workout("Swimming", at(3, 18), minutes=20, route=False),
    Workout("Yoga", at(4), minutes=15, route=False),
    Workout("Pilates", at(4, 18), minutes=15, route=False),
    Workout("TraditionalStrengthTraining", at(5), minutes=20, route=False),
    Workout("HighIntensityIntervalTraining", at(5, 18), minutes=15, route=False),
    Workout("TableTennis", at(6), minutes=15, route=False),
    Workout("SwimBikeRun", at(7), minutes=30, route=False,
            legs=[(0, 10, "Swimming"), (10, 11, "Transition"), (11, 20, "Cycling"),
                  (20, 30, "Running")]),
]
DAYS = [Day(dt.date(2026, 9, 8), resting_hr=51, hrv_ms=[40.0, 60.0]),
        Day(dt.date(2026, 9, 9), resting_hr=54, hrv_ms=[45.0]),
        Day(dt.date(2026, 9, 10), resting_hr=None, hrv_ms=[], sleep=(dt.time(22, 30), 8.0))]


def import_paths(store: Store, *paths, stats: Expansion | None = None) -> list:
    return list(import_items(expand(list(paths), stats), store, jobs=1, enrich=enrich))


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    """export.zip of :data:`WORKOUTS` and :data:`DAYS`, imported into a store once."""
    root = tmp_path_factory.mktemp("apple")
    files = export_files(WORKOUTS, DAYS)
    (root / "export.zip").write_bytes(export_zip(files))
    stats = Expansion(progress=lambda *args: calls.append(args))
    calls: list[tuple] = []
    with Store(root / "store") as store:
        reports = import_paths(store, root / "export.zip", stats=stats)
    return {"root": root, "files": files, "reports": reports, "progress": calls,
            "stats": stats}


@pytest.fixture
def store(export):
    with Store(export["root"] / "store") as opened:
        yield opened


def activity(store: Store, start: dt.datetime, session: int = 0) -> dict:
    rows = store.activities().filter(
        pl.col("start_ms") == int(start.timestamp() * 1000), pl.col("session_index") == session)
    assert rows.height == 1, f"no activity starting {start}"
    return rows.row(0, named=True)


def test_every_workout_is_imported_with_its_sport(export, store):
    reports = export["reports"]
    assert [r.status for r in reports] == ["imported"] * (len(WORKOUTS) + 1)
    assert all("export.xml#2026-09-" in r.file for r in reports[:-1])
    assert reports[-1].file.endswith("export.xml#resting HR, HRV and sleep")
    sports = [(a["sport"], a["sub_sport"]) for a in store.activities().iter_rows(named=True)]
    assert sports == [
        ("running", None), ("running", "treadmill"), ("walking", None), ("hiking", None),
        ("cycling", None), ("swimming", "lap_swimming"), ("training", "yoga"),
        ("training", "pilates"), ("training", "strength_training"), ("hiit", None),
        ("table_tennis", None), ("swimming", None), ("transition", None),
        ("cycling", None), ("running", None)]
    assert export["stats"].skipped == 1  # export_cda.xml; the routes were read by workouts


def test_outdoor_run_joins_route_and_the_watchs_records_in_si_units(store):
    row = activity(store, RUN.start)
    assert row["local_offset_s"] == 7200 and row["local_date"] == "2026-09-07"
    assert row["duration_s"] == 20 * 60 and row["timer_time_s"] == pytest.approx(19 * 60)
    assert row["distance_m"] == pytest.approx(RUN.distance_m, abs=1)  # WorkoutStatistics
    assert row["avg_hr_bpm"] == RUN.hr_bpm and row["max_hr_bpm"] == RUN.hr_bpm + 9
    assert row["ascent_m"] == pytest.approx(21.5)  # HKElevationAscended 2150 cm
    assert row["calories_kcal"] == pytest.approx(19 * 11)
    assert row["device"] == "Apple Watch (Watch6,2)"
    assert set(row["signals"].split(",")) >= {"gps", "heart_rate", "cadence", "altitude",
                                              "power", "speed", "running_dynamics"}
    samples = store.samples(row["id"])
    assert samples.height == 19 * 60 + 1  # one route point a second, the paused minute left out
    seconds = (samples["timestamp"].dt.epoch("s") - int(RUN.start.timestamp())).to_numpy()
    assert not ((seconds >= 600) & (seconds < 660)).any()
    # heart rate of the watch (never the strap's 60 bpm), nearest record every 5 s
    expected = [RUN.heart_rate(5 * round(s / 5)) for s in seconds]
    assert samples["heart_rate_bpm"].to_list() == pytest.approx(expected)
    assert samples["cadence_spm"].to_list() == pytest.approx([RUN.cadence_spm] * len(seconds))
    assert samples["speed_m_s"].to_list() == pytest.approx([RUN.speed_m_s] * len(seconds))
    assert samples["power_w"].unique().to_list() == [250.0]
    assert samples["vertical_oscillation_mm"].unique().to_list() == [84.0]  # 8.4 cm
    assert samples["stance_time_ms"].unique().to_list() == [245.0]
    assert samples["step_length_mm"].unique().to_list() == [1070.0]  # 1.07 m
    assert samples["lat_deg"].null_count() == 0 and samples["altitude_m"].null_count() == 0


def test_treadmill_run_without_route_gets_hr_distance_and_treadmill_surface(store):
    row = activity(store, TREADMILL.start)
    assert row["sub_sport"] == "treadmill" and "gps" not in row["signals"]
    context = context_frame(store).filter(pl.col("id") == row["id"])
    assert context["surface"].to_list() == ["treadmill"]
    samples = store.samples(row["id"])
    assert samples.height == 15 * 60 // 5 + 1  # the heart-rate records' times
    assert samples["heart_rate_bpm"].null_count() == 0
    # distance from the watch's DistanceWalkingRunning intervals, summed along the run
    assert samples["distance_m"][-1] == pytest.approx(TREADMILL.distance_m, rel=0.01)
    assert samples["distance_m"].is_sorted()


def test_strength_yoga_and_pilates_are_in_the_bodywork_log(store):
    log = sessions(store).filter(pl.col("source") == "file")
    assert log.select("date", "category", "minutes", "sub_sport").rows() == [
        (dt.date(2026, 9, 11), "mobility", 15.0, "yoga"),
        (dt.date(2026, 9, 11), "core", 15.0, "pilates"),
        (dt.date(2026, 9, 12), "strength", 20.0, "strength_training")]


def test_workouts_without_route_keep_hr_and_totals(store):
    swim = activity(store, WORKOUTS[5].start)
    assert swim["avg_hr_bpm"] == 140 and swim["samples"] == 20 * 60 // 5 + 1
    walk = activity(store, WORKOUTS[2].start)  # an older export: totals as attributes
    assert walk["distance_m"] == pytest.approx(WORKOUTS[2].distance_m, abs=1)
    assert walk["calories_kcal"] == pytest.approx(20 * 11)
    assert walk["avg_cadence_spm"] == pytest.approx(112)
    assert "power" not in walk["signals"]  # walking metrics are not running dynamics here


def test_multisport_legs_become_sessions_with_their_sports(store):
    legs = store.activities().filter(pl.col("source_file").str.ends_with("swim bike run"))
    assert legs.select("session_index", "sport").rows() == [
        (0, "swimming"), (1, "transition"), (2, "cycling"), (3, "running")]
    assert legs["start_ms"].to_list() == [int((at(7) + dt.timedelta(minutes=m)).timestamp()
                                              * 1000) for m in (0, 10, 11, 20)]
    assert legs["duration_s"].to_list() == [600, 60, 540, 600]
    assert legs["distance_m"].to_list() == [500, None, 1800, 2000]  # records of each leg


def test_wellness_days_sleep_merged_and_source(store):
    days = wellness_days(store).filter(pl.col("date") >= dt.date(2026, 9, 8))
    assert days.select("date", "resting_hr_bpm", "hrv_sdnn_ms", "source").rows() == [
        (dt.date(2026, 9, 8), 51.0, 50.0, "apple_health"),
        (dt.date(2026, 9, 9), 54.0, 45.0, "apple_health"),
        (dt.date(2026, 9, 10), None, None, "apple_health")]
    assert days["hrv_rmssd_ms"].null_count() == 3  # SDNN is never stored as RMSSD
    # the watch's stages (with an awake half hour) and the phone's overlapping interval:
    # their union, from 20 min after bedtime to the last stage's end, never their sum
    assert days["sleep_s"].to_list() == [7 * 3600, 7 * 3600, 8 * 3600]


def test_progress_is_reported_while_export_xml_is_read(export):
    size = len(export["files"][f"{FOLDER}/export.xml"])
    label, done, total = export["progress"][-1]
    assert label.endswith("export.zip/apple_health_export/export.xml")
    assert done == total == size


def test_reimport_finds_every_piece_known(export, store):
    again = import_paths(store, export["root"] / "export.zip")
    assert [r.status for r in again] == ["duplicate"] * (len(WORKOUTS) + 1)
    assert store.count() == 15


def test_folder_and_export_xml_give_the_same_activities(export, tmp_path):
    folder = write_folder(export["files"], tmp_path / "unzipped")
    with Store(tmp_path / "a") as a, Store(tmp_path / "b") as b, Store(
            export["root"] / "store") as zipped:
        assert [r.status for r in import_paths(a, folder)].count("imported") == 13
        assert [r.status for r in import_paths(b, folder / "export.xml")].count("imported") == 13
        for other in (a, b):
            assert other.activities().drop("id", "source_file", "imported_at").equals(
                zipped.activities().drop("id", "source_file", "imported_at"))
            assert other.samples(1).equals(zipped.samples(1))


def test_a_fit_file_of_the_same_run_is_deduplicated_richer_wins(tmp_path):
    files = export_files([RUN])
    fit = run_fit(RUN.start.astimezone(dt.UTC), seconds=19 * 60, local_offset_s=7200)
    (tmp_path / "run.fit").write_bytes(fit)
    (tmp_path / "export.zip").write_bytes(export_zip(files))
    with Store(tmp_path / "store") as store:
        assert import_paths(store, tmp_path / "run.fit")[0].status == "imported"
        report = import_paths(store, tmp_path / "export.zip")[0]
        assert report.status == "imported" and store.count() == 1
        assert any("kept this richer recording" in w for w in report.warnings)
        assert store.activities()["format"].to_list() == ["apple_health"]
        again = import_paths(store, tmp_path / "run.fit")[0]
        assert again.status == "duplicate" and store.count() == 1


def test_routes_of_an_old_import_are_replaced_by_the_workouts(tmp_path):
    """Before this reader, only the route GPX files of an export were imported (no heart
    rate): the workout with heart rate replaces each of them."""
    (tmp_path / "route.gpx").write_text(route_gpx(RUN))
    (tmp_path / "export.zip").write_bytes(export_zip(export_files([RUN])))
    with Store(tmp_path / "store") as store:
        import_paths(store, tmp_path / "route.gpx")
        report = import_paths(store, tmp_path / "export.zip")[0]
        assert report.status == "imported" and store.count() == 1
        assert "heart_rate" in store.activities()["signals"][0]


def test_a_missing_route_file_is_a_warning_not_a_rejection(tmp_path):
    files = export_files([RUN])
    del files[f"{FOLDER}{RUN.route_name()}"]
    (tmp_path / "export.zip").write_bytes(export_zip(files))
    with Store(tmp_path / "store") as store:
        report = import_paths(store, tmp_path / "export.zip")[0]
        assert report.status == "imported"
        assert report.warnings == [f"route {RUN.route_name()} not read (missing from the "
                                   "export)"]
        assert "heart_rate" in store.activities()["signals"][0]


def test_other_files_beside_the_export_are_still_imported(tmp_path):
    files = export_files([RUN]) | {"watch/extra.fit": run_fit(at(20).astimezone(dt.UTC))}
    (tmp_path / "export.zip").write_bytes(export_zip(files))
    with Store(tmp_path / "store") as store:
        reports = import_paths(store, tmp_path / "export.zip")
        assert [r.status for r in reports] == ["imported", "imported"]
        assert reports[1].file.endswith("watch/extra.fit")


def test_entity_declarations_are_refused_the_batch_goes_on(tmp_path):
    xml = export_files([RUN])[f"{FOLDER}/export.xml"].decode()
    bomb = xml.replace("<!ELEMENT HealthData", '<!ENTITY a "aaaaaaaaaa">\n'
                       '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n<!ELEMENT HealthData', 1)
    (tmp_path / "bomb").mkdir()
    (tmp_path / "bomb" / "export.xml").write_text(bomb.replace('locale="en_DE"', 'locale="&b;"'))
    (tmp_path / "run.fit").write_bytes(run_fit(at(30).astimezone(dt.UTC)))
    with Store(tmp_path / "store") as store:
        reports = import_paths(store, tmp_path / "bomb" / "export.xml", tmp_path / "run.fit")
        assert [r.status for r in reports] == ["rejected", "imported"]
        assert reports[0].reason == ("XML entity declarations are not allowed (possible "
                                     "entity bomb)")


def test_a_truncated_export_keeps_the_workouts_read_before_the_damage(tmp_path):
    xml = export_files(WORKOUTS[:3])[f"{FOLDER}/export.xml"]
    cut = xml[:xml.index(b"<Workout ", xml.index(b"<Workout ") + 10) + 40]  # in workout 2
    (tmp_path / "export.xml").write_bytes(cut)
    with Store(tmp_path / "store") as store:
        reports = import_paths(store, tmp_path / "export.xml")
    assert [r.status for r in reports] == ["rejected", "imported"]
    assert reports[0].reason.startswith("malformed XML: ")
    assert reports[0].reason.endswith("; the 1 workouts read before that are imported")


def test_a_zip_bomb_export_xml_is_refused(tmp_path):
    xml = export_files([])[f"{FOLDER}/export.xml"].replace(
        b"</HealthData>", b"<!--" + b" " * 5_000_000 + b"--></HealthData>")
    with zipfile.ZipFile(tmp_path / "export.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{FOLDER}/export.xml", xml)
    with Store(tmp_path / "store") as store:
        reports = import_paths(store, tmp_path / "export.zip")
    assert [r.status for r in reports] == ["rejected"]
    assert "possible zip bomb" in reports[0].reason


def test_the_command_line_imports_an_export_in_one_command(tmp_path):
    files = export_files([RUN, WORKOUTS[6]], DAYS[:1])
    (tmp_path / "export.zip").write_bytes(export_zip(files))
    result = CliRunner().invoke(main, ["import", str(tmp_path / "export.zip"), "--data-dir",
                                       str(tmp_path / "data"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "3 imported (2 activities; sleep, resting HR or HRV for 1 days); 0 duplicates; "
        "0 rejected; 1 other files skipped. The store now holds 2 activities."]
    lines = CliRunner().invoke(main, ["import", str(tmp_path / "export.zip"), "--data-dir",
                                      str(tmp_path / "data"), "--json"]).output.splitlines()
    assert [json.loads(line)["status"] for line in lines] == ["duplicate"] * 3


def test_the_progress_bar_follows_the_bytes_of_export_xml(capsys):
    progress = _Progress(enabled=True)
    for done in (0, 16 << 20, 32 << 20):
        progress.reading("/x/export.zip/apple_health_export/export.xml", done, 64 << 20)
    assert "reading export.xml:   0%|" in capsys.readouterr().err  # on stderr, in bytes
    assert (progress.reading_bar.n, progress.reading_bar.total) == (32 << 20, 64 << 20)
    progress.reading("/x/export.xml", 64 << 20, 64 << 20)
    assert progress.reading_bar is None  # finished: the bar is closed
    progress.close()


def test_an_export_without_workouts_or_wellness_says_so(tmp_path):
    (tmp_path / "export.zip").write_bytes(export_zip(export_files([])))
    stats = Expansion()
    with Store(tmp_path / "store") as store:
        assert import_paths(store, tmp_path / "export.zip", stats=stats) == []
    assert stats.notes == [f"{tmp_path}/export.zip/{FOLDER}/export.xml: no workouts, resting "
                           "heart rate, HRV or sleep in this Apple Health export"]
