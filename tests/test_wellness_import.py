"""Wellness readers and their import: Garmin export and web-API JSON, FIT wellness files,
intervals.icu CSV - through the same pipeline as activities, into a real store."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from fitfiles import RawFit, fit_seconds, run_fit
from wellness_files import (
    api_hrv,
    api_sleep,
    export_health_status,
    export_sleep,
    export_uds,
    export_zip,
    hrv_fit,
    monitoring_fit,
    sleep_fit,
)

from ingest.errors import Rejected
from ingest.fit import fast_decoder
from ingest.importer import import_items
from ingest.sources import expand
from ingest.store import Store
from ingest.wellness import fit_wellness
from ingest.wellness.garmin_json import read_garmin_json
from ingest.wellness.reader import read_wellness
from ingest.wellness.store import wellness_days, wellness_rows

D = dt.date
WELLNESS_DIR = "DI_CONNECT/DI-Connect-Wellness/"
UDS = "DI_CONNECT/DI-Connect-Aggregator/UDSFile_2024-02-20_2024-05-30.json"
SLEEP_JSON = WELLNESS_DIR + "2024-02-20_2024-05-30_123_sleepData.json"
HEALTH_JSON = WELLNESS_DIR + "2024-02-20_2024-05-30_123_healthStatusData.json"


def day_row(store: Store, day: dt.date) -> dict:
    (row,) = wellness_days(store, day, day).to_dicts()
    return row


# -- Garmin JSON ---------------------------------------------------------------------------------
def test_export_sleep_counts_deep_light_rem_and_drops_off_wrist_and_unconfirmed_nights():
    batch = read_garmin_json(export_sleep([
        {"date": "2024-03-01", "deep": 5400, "light": 14400, "rem": 5400, "awake": 1800,
         "score": 82},
        {"date": "2024-03-02", "deep": 3000, "light": 9000, "rem": 3000,
         "confirmation": "OFF_WRIST"},
        {"date": "2024-03-03", "deep": 3000, "light": 9000, "rem": 3000,
         "confirmation": "UNCONFIRMED"},
        {"date": "2024-03-04", "deep": 3600, "light": 12000, "rem": 4000, "score": 0},
    ]))
    assert [(n.date, n.sleep_s, n.score) for n in batch.nights] == [
        (D(2024, 3, 1), 25200.0, 82.0), (D(2024, 3, 4), 19600.0, None)]
    assert batch.skipped_nights == 2
    assert "2 nights marked off-wrist or unconfirmed left out (not nights)" in batch.warnings
    assert batch.source == "garmin_export"


def test_export_health_status_hrv_with_garmin_band_none_while_onboarding():
    batch = read_garmin_json(export_health_status([("2024-03-01", 52.0, "ONBOARDING"),
                                                   ("2024-03-22", 58.0, "IN_RANGE")]))
    assert [(d.date, d.values) for d in batch.days] == [
        (D(2024, 3, 1), {"hrv_rmssd_ms": 52.0, "hrv_status": "onboarding"}),
        (D(2024, 3, 22), {"hrv_rmssd_ms": 58.0, "hrv_baseline_low_ms": 48.0,
                          "hrv_baseline_high_ms": 66.0, "hrv_status": "in_range"}),
    ]


def test_export_daily_summary_takes_the_days_own_resting_hr_not_the_7_day_average():
    batch = read_garmin_json(export_uds([("2024-03-01", 47, 50), ("2024-03-02", None, 50)]))
    assert [(d.date, d.values) for d in batch.days] == [
        (D(2024, 3, 1), {"resting_hr_bpm": 47.0, "resting_hr_7d_bpm": 50.0, "stress_avg": 31.0}),
        (D(2024, 3, 2), {"resting_hr_7d_bpm": 50.0, "stress_avg": 31.0}),
    ]


def test_web_api_json_is_told_apart_by_content():
    sleep = read_garmin_json(api_sleep("2024-03-05", 4000, 15000, 6000, 77, resting_hr=46))
    assert [(n.date, n.sleep_s, n.score) for n in sleep.nights] == [
        (D(2024, 3, 5), 25000.0, 77.0)]
    assert [(d.date, d.values) for d in sleep.days] == [(D(2024, 3, 5),
                                                         {"resting_hr_bpm": 46.0})]
    hrv = read_garmin_json(api_hrv("2024-03-05", 49, 53, "UNBALANCED"))
    assert hrv.days[0].values == {"hrv_rmssd_ms": 49.0, "hrv_weekly_ms": 53.0,
                                  "hrv_baseline_low_ms": 44.0, "hrv_baseline_high_ms": 62.0,
                                  "hrv_status": "unbalanced"}
    assert hrv.kind == "Garmin HRV data"


@pytest.mark.parametrize(("data", "reason"), [
    (b'{"userName": "runner"}', "not a Garmin sleep, HRV or daily summary"),
    (b'[{"calendarDate": "2024-03-01", "x": 1}]', "not a Garmin sleep, HRV or daily summary"),
    (b'[{"calendarDate": "2024-03', "damaged JSON"),
])
def test_json_that_is_not_garmin_wellness_is_refused_with_a_reason(data, reason):
    with pytest.raises(Rejected, match=reason):
        read_wellness(data)


def test_implausible_device_values_are_left_out_with_a_warning():
    batch = read_garmin_json(export_uds([("2024-03-01", 250, 50)]))
    assert batch.days[0].values == {"resting_hr_7d_bpm": 50.0, "stress_avg": 31.0}
    assert batch.warnings == ["1 implausible resting heart rate value(s) left out "
                              "(outside 25-120 bpm)"]


# -- FIT wellness ----------------------------------------------------------------------------
def test_monitoring_file_gives_the_days_resting_hr_dated_by_its_own_offset(tmp_path):
    data = monitoring_fit(D(2024, 3, 3), current_rhr=47, seven_day_rhr=50, offset_s=-5 * 3600)
    batch = read_wellness(data)
    assert batch.local_offset_s == -5 * 3600
    assert [d.values for d in batch.days] == [{"resting_hr_bpm": 47.0,
                                               "resting_hr_7d_bpm": 50.0}]
    # 23:00 local on 3 March is 04:00 UTC on the 4th: the file's offset decides the day
    assert batch.days[0].at == dt.datetime(2024, 3, 4, 4, 0, tzinfo=dt.UTC)
    with Store(tmp_path) as store:
        store.set_time_zone("Asia/Tokyo")  # would make it the 4th
        reports = list(import_items(expand([_write(tmp_path, "m.fit", data)]), store, jobs=1))
        assert reports[0].wellness_days == 1
        assert day_row(store, D(2024, 3, 3))["resting_hr_bpm"] == 47.0


def test_fast_decoder_reads_wellness_messages_like_fitparse():
    data = monitoring_fit(D(2024, 3, 3), 47, 50, records=500)
    data += hrv_fit(dt.datetime(2024, 3, 3, 6, tzinfo=dt.UTC), 62.5, readings=[40.0, 60.5])
    for segment in fit_wellness.scan(data).segments:
        fast, stopped = fast_decoder.raw_columns(segment.data, fit_wellness.WANTED)
        slow = fit_wellness._fitparse_columns(segment.data)
        assert stopped is None
        assert sorted(fast) == sorted(slow)
        for number in fast:
            assert sorted(fast[number]) == sorted(slow[number])
            for field, values in fast[number].items():
                np.testing.assert_array_equal(values, slow[number][field])


def test_compressed_timestamps_date_the_resting_hr_message():
    t0 = fit_seconds(dt.datetime(2024, 3, 3, 22, 0, 20, tzinfo=dt.UTC)) // 32 * 32
    raw = RawFit().define(0, 0, [(0, 1, "enum"), (1, 2, "uint16")]).data(0, [32, 1])
    raw.define(1, 55, [(253, 4, "uint32"), (3, 4, "uint32")]).data(1, [t0, 100])
    raw.define(2, 55, [(3, 4, "uint32")])
    for i in range(1, 20):
        raw.data(2, [100 + i], time_offset=(t0 + i) & 0x1F)
    raw.define(3, 211, [(1, 1, "uint8")]).data(3, [44], time_offset=(t0 + 25) & 0x1F)
    batch = read_wellness(raw.to_bytes())
    assert [(d.at, d.values) for d in batch.days] == [
        (dt.datetime.fromtimestamp(t0 + 25 + 631065600, dt.UTC), {"resting_hr_bpm": 44.0})]


def test_hrv_status_file_applies_the_profile_scale_and_names_garmins_status():
    batch = read_wellness(hrv_fit(dt.datetime(2024, 3, 3, 6, tzinfo=dt.UTC), 62.5,
                                  weekly=55.5, status="unbalanced"))
    assert batch.days[0].values == {"hrv_rmssd_ms": 62.5, "hrv_weekly_ms": 55.5,
                                    "hrv_baseline_low_ms": 45.0, "hrv_baseline_high_ms": 65.0,
                                    "hrv_status": "unbalanced"}
    readings_only = read_wellness(hrv_fit(dt.datetime(2024, 3, 3, 6, tzinfo=dt.UTC), None,
                                          readings=[40.0, 50.0, 60.0]))
    assert readings_only.days[0].values == {"hrv_rmssd_ms": 50.0}


def test_sleep_file_counts_light_deep_rem_not_awake_and_dates_the_wake_up_day(tmp_path):
    start = dt.datetime(2024, 3, 2, 22, 30, tzinfo=dt.UTC)
    data = sleep_fit(start, [(0, "light"), (60, "deep"), (120, "rem"), (180, "awake"),
                             (200, "unmeasurable"), (210, "light"), (480, "awake")], score=81)
    with Store(tmp_path) as store:
        store.set_time_zone("Europe/Berlin")
        (report,) = import_items(expand([_write(tmp_path, "s.fit", data)]), store, jobs=1)
        assert (report.status, report.wellness_days) == ("imported", 1)
        row = day_row(store, D(2024, 3, 3))
        assert row["sleep_s"] == (180 + 270) * 60
        assert row["sleep_score"] == 81
        assert row["sleep_source"] == "fit"


def test_two_devices_overlapping_nights_count_once(tmp_path):
    start = dt.datetime(2024, 3, 2, 22, 0, tzinfo=dt.UTC)
    watch = sleep_fit(start, [(0, "light"), (420, "awake")])  # 22:00-05:00
    other = sleep_fit(start + dt.timedelta(hours=1), [(0, "deep"), (420, "awake")])  # 23-06
    with Store(tmp_path) as store:
        list(import_items(expand([_write(tmp_path, "a.fit", watch),
                                  _write(tmp_path, "b.fit", other)]), store, jobs=1))
        assert day_row(store, D(2024, 3, 3))["sleep_s"] == 8 * 3600  # union, not 14 h


def test_a_nap_is_kept_apart_from_the_night(tmp_path):
    night = sleep_fit(dt.datetime(2024, 3, 3, 0, 0, tzinfo=dt.UTC), [(0, "light"), (360, "awake")])
    nap = sleep_fit(dt.datetime(2024, 3, 3, 13, 0, tzinfo=dt.UTC), [(0, "light"), (40, "awake")])
    with Store(tmp_path) as store:
        store.set_time_zone("UTC")
        list(import_items(expand([_write(tmp_path, "n.fit", night),
                                  _write(tmp_path, "p.fit", nap)]), store, jobs=1))
        row = day_row(store, D(2024, 3, 3))
        assert (row["sleep_s"], row["nap_s"]) == (6 * 3600, 40 * 60)


def test_monitoring_file_without_wellness_messages_is_not_an_activity():
    raw = RawFit().define(0, 0, [(0, 1, "enum"), (1, 2, "uint16")]).data(0, [32, 1])
    raw.define(1, 55, [(253, 4, "uint32"), (3, 4, "uint32")]).data(1, [fit_seconds(
        dt.datetime(2024, 3, 3, tzinfo=dt.UTC)), 100])
    with pytest.raises(Rejected, match="a FIT 'monitoring_b' file without resting heart rate, "
                                       r"HRV or sleep data \(not an activity\)"):
        read_wellness(raw.to_bytes())


def test_activity_files_are_not_taken_for_wellness():
    assert read_wellness(run_fit(dt.datetime(2024, 3, 3, 7, tzinfo=dt.UTC))) is None


# -- the import pipeline -------------------------------------------------------------------------
def _write(folder, name: str, data: bytes):
    path = folder / name
    path.write_bytes(data)
    return path


def _export(tmp_path) -> object:
    return _write(tmp_path, "export.zip", export_zip({
        SLEEP_JSON: export_sleep([
            {"date": "2024-03-01", "deep": 5400, "light": 14400, "rem": 5400, "score": 82},
            {"date": "2024-03-02", "deep": 0, "light": 0, "rem": 0, "confirmation": "OFF_WRIST"},
        ]),
        HEALTH_JSON: export_health_status([("2024-03-01", 58.0, "IN_RANGE")]),
        UDS: export_uds([("2024-03-01", 48, 50), ("2024-03-02", 49, 50)]),
        "DI_CONNECT/DI-Connect-Uploaded-Files/run.fit":
            run_fit(dt.datetime(2024, 3, 1, 7, tzinfo=dt.UTC)),
    }))


@pytest.mark.parametrize("jobs", [1, 2])
def test_garmin_export_brings_wellness_beside_activities_and_reimport_changes_nothing(
        tmp_path, jobs):
    export = _export(tmp_path)
    with Store(tmp_path / "data") as store:
        reports = {r.file.rsplit("/", 1)[-1]: r
                   for r in import_items(expand([export]), store, jobs=jobs)}
        assert {name: (r.status, r.activities, r.wellness_days)
                for name, r in reports.items()} == {
            "2024-02-20_2024-05-30_123_sleepData.json": ("imported", 0, 1),
            "2024-02-20_2024-05-30_123_healthStatusData.json": ("imported", 0, 1),
            "UDSFile_2024-02-20_2024-05-30.json": ("imported", 0, 2),
            "run.fit": ("imported", 1, 0),
        }  # the user profile JSON is skipped
        assert wellness_days(store).select(
            "date", "resting_hr_bpm", "hrv_rmssd_ms", "sleep_s", "sleep_score", "source"
        ).rows() == [(D(2024, 3, 1), 48.0, 58.0, 25200.0, 82.0, "garmin_export"),
                     (D(2024, 3, 2), 49.0, None, None, None, "garmin_export")]
        revision = store.revision()
        again = list(import_items(expand([export]), store, jobs=jobs))
        assert {r.status for r in again} == {"duplicate"}
        # the same data in another file: read, but nothing changes
        copy = _write(tmp_path, "again_sleepData.json",
                      export_sleep([{"date": "2024-03-01", "deep": 5400, "light": 14400,
                                     "rem": 5400, "score": 82}]) + b"\n")
        (report,) = import_items(expand([copy]), store, jobs=1)
        assert (report.status, report.wellness_days) == ("duplicate", 0)
        assert report.reason == "its 1 days of Garmin sleep data are already stored"
        assert store.revision() == revision


def test_the_watch_is_preferred_over_a_hand_entry_and_the_sources_are_named(tmp_path):
    from ingest.wellness.checkin import checkin
    from ingest.wellness.store import add_batch

    with Store(tmp_path) as store:
        store.set_time_zone("UTC")
        add_batch(store, checkin("2024-03-03", rhr=55, sleep_h=6, soreness=2), "hand entry")
        list(import_items(expand([_write(tmp_path, "m.fit", monitoring_fit(
            D(2024, 3, 3), 47, 50, offset_s=0))]), store, jobs=1))
        row = day_row(store, D(2024, 3, 3))
        assert (row["resting_hr_bpm"], row["sleep_s"], row["soreness"]) == (47.0, 21600.0, 2)
        assert (row["source"], row["resting_hr_source"], row["sleep_source"]) == (
            "fit+manual", "fit", "manual")
        assert wellness_rows(store)["source"].to_list() == ["fit", "manual"]


def test_intervals_csv_through_import_and_a_bad_line_is_named(tmp_path):
    good = _write(tmp_path, "wellness.csv", b"date,restingHR,hrv,sleepSecs,sleepScore,"
                  b"sleepQuality,soreness,weight\n2024-03-01,50,60,27000,80,2,1,70\n")
    bad = _write(tmp_path, "wellness-bad.csv", b"date,restingHR\n2024-03-01,50\n2024-03-02,9\n")
    with Store(tmp_path / "d") as store:
        first, second = import_items(expand([good, bad]), store, jobs=1)
        assert (first.status, first.wellness_days) == ("imported", 1)
        assert (second.status, second.reason) == (
            "rejected", "line 3: resting heart rate must be a number from 25 to 120 bpm, "
                        "got '9'")
        assert json.loads(json.dumps(day_row(store, D(2024, 3, 1)), default=str))["source"] \
            == "csv"


def test_wellness_json_outside_an_export_is_found_by_name_in_folders(tmp_path):
    folder = tmp_path / "garmindb"
    folder.mkdir()
    _write(folder, "sleep_2024-03-05.json", api_sleep("2024-03-05", 4000, 15000, 6000, 77))
    _write(folder, "hrv_2024-03-05.json", api_hrv("2024-03-05", 49, 53))
    _write(folder, "user_settings.json", b"{}")
    with Store(tmp_path / "d") as store:
        reports = list(import_items(expand([folder]), store, jobs=1))
        assert [(r.status, r.wellness_days) for r in reports] == [("imported", 1),
                                                                  ("imported", 1)]
        row = day_row(store, D(2024, 3, 5))
        assert (row["sleep_s"], row["hrv_rmssd_ms"]) == (25000.0, 49.0)


def test_a_store_of_schema_5_gains_the_wellness_tables(tmp_path, monkeypatch):
    from ingest.store import migrations as store_module

    older = {v: m for v, m in store_module._MIGRATIONS.items() if v <= 5}
    monkeypatch.setattr(store_module, "_MIGRATIONS", older)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 5)
    with Store(tmp_path) as store:  # written by a version before the wellness tables
        assert store.schema_version() == 5
    monkeypatch.undo()
    with Store(tmp_path) as store:
        assert store.schema_version() == store_module.SCHEMA_VERSION
        assert wellness_days(store).is_empty()


def test_a_cut_sleep_file_keeps_the_night_read_so_far_and_says_so():
    levels = [(10 * i, ("light", "deep", "rem")[i % 3]) for i in range(48)] + [(480, "awake")]
    data = sleep_fit(dt.datetime(2024, 3, 2, 22, tzinfo=dt.UTC), levels, score=80)
    batch = read_wellness(data[:len(data) * 2 // 3])
    (night,) = batch.nights
    assert night.spans[0][0] == dt.datetime(2024, 3, 2, 22, tzinfo=dt.UTC)
    assert dt.datetime(2024, 3, 3, 0, tzinfo=dt.UTC) < night.spans[-1][1] < dt.datetime(
        2024, 3, 3, 6, tzinfo=dt.UTC)
    assert night.score is None  # the assessment came after the cut
    assert batch.warnings == ["damaged FIT file (the file ends in the middle of a message): "
                              "read what came before"]
