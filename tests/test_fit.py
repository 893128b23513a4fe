"""FIT import: real FIT bytes written by garmin-fit-sdk or byte by byte (tests/fitfiles.py)."""

from __future__ import annotations

import datetime as dt
import struct

import pytest
from fitfiles import RawFit, encode, fit_seconds, run_fit, run_messages, semicircles
from garmin_fit_sdk import Decoder, Stream

from ingest.errors import CorruptFile, NotAnActivity, UnsupportedFile
from ingest.fit.scan import scan
from ingest.reader import read_activities

START = dt.datetime(2026, 3, 2, 6, 30, tzinfo=dt.UTC)

# FIT profile numbers used by the byte-level files below (FIT SDK Profile.xlsx).
FILE_ID, SESSION, EVENT, RECORD, ACTIVITY = 0, 18, 21, 20, 34
FILE_ID_FIELDS = [(0, 1, "enum"), (1, 2, "uint16"), (2, 2, "uint16")]
GARMIN_ACTIVITY = [4, 1, 4024]  # type=activity, manufacturer=garmin, product


def read(data: bytes):
    return read_activities(data, "test.fit")


def raw_run(records: int = 10, first_hr: int = 120) -> RawFit:
    """file_id + records with timestamp and heart rate, written byte by byte."""
    raw = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    raw.define(1, RECORD, [(253, 4, "uint32"), (3, 1, "uint8")])
    for i in range(records):
        raw.data(1, [fit_seconds(START) + i, first_hr + i])
    return raw


def test_garmin_run_summary_and_samples_in_si_units():
    (activity,) = read(run_fit(START, seconds=600, speed=3.0, strides=85, fraction=0.5))
    s, samples = activity.summary, activity.samples
    assert (s.format, s.sport, s.start_time, s.local_offset_s) == ("fit", "running", START, 3600)
    assert s.duration_s == 599.0
    assert s.distance_m == pytest.approx(3.0 * 599)
    # running cadence: steps/min = 2 x (85 strides/min + 0.5) = 171
    assert s.avg_cadence_spm == 171.0
    assert samples.height == 600
    assert samples["cadence_spm"].unique().to_list() == [171.0]
    assert samples["cadence_rpm"].null_count() == 600
    assert samples["speed_m_s"].unique().to_list() == [3.0]
    assert samples["heart_rate_bpm"].unique().to_list() == [140.0]
    assert samples["lat_deg"][0] == pytest.approx(52.5, abs=1e-7)
    assert samples["lon_deg"][0] == pytest.approx(13.4, abs=1e-7)
    assert samples["timestamp"][599] == START + dt.timedelta(seconds=599)
    assert samples["elapsed_s"][599] == 599.0
    assert samples["altitude_m"][5] == pytest.approx(41.0)
    assert s.moving_time_s == 599.0  # constant 3 m/s, no pause
    assert s.device == "garmin product 4024"
    assert [lap.avg_cadence_spm for lap in activity.laps] == [171.0]
    assert activity.warnings == []
    assert activity.decoder == "fast"


def test_cycling_cadence_stays_revolutions_per_minute():
    (activity,) = read(run_fit(START, sport="cycling", strides=85, fraction=0.5, speed=8.0))
    assert activity.samples["cadence_rpm"].unique().to_list() == [85.5]
    assert activity.samples["cadence_spm"].null_count() == activity.samples.height
    assert activity.summary.avg_cadence_spm is None


def test_missing_local_offset_is_none_not_zero():
    (activity,) = read(run_fit(START, local_offset_s=None))
    assert activity.summary.local_offset_s is None


def test_invalid_markers_become_null():
    raw = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    raw.define(1, RECORD, [(253, 4, "uint32"), (3, 1, "uint8"), (4, 1, "uint8"),
                           (0, 4, "sint32"), (1, 4, "sint32"), (6, 2, "uint16")])
    raw.data(1, [fit_seconds(START), 0xFF, 0xFF, 0x7FFFFFFF, 0x7FFFFFFF, 0xFFFF])
    raw.data(1, [fit_seconds(START) + 1, 150, 80, semicircles(48.1), semicircles(11.5), 2500])
    (activity,) = read(raw.to_bytes())
    first, second = activity.samples.row(0, named=True), activity.samples.row(1, named=True)
    assert [first[c] for c in ("heart_rate_bpm", "lat_deg", "lon_deg")] == [None] * 3
    assert first["speed_m_s"] is None
    assert second["heart_rate_bpm"] == 150.0
    assert second["speed_m_s"] == 2.5  # uint16 2500 / scale 1000


def test_compressed_timestamp_headers_across_rollover():
    raw = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    base = fit_seconds(START) // 32 * 32 + 28  # 4 s before a 32-second boundary
    raw.define(1, RECORD, [(253, 4, "uint32"), (3, 1, "uint8")]).data(1, [base, 100])
    raw.define(2, RECORD, [(3, 1, "uint8")])
    # compressed headers carry the low 5 bits of the time; 28 -> 30 -> 1 (rolled over) -> 5
    for offset, hr in ((30, 101), (1, 102), (5, 103)):
        raw.data(2, [hr], time_offset=offset)
    (activity,) = read(raw.to_bytes())
    elapsed = activity.samples["elapsed_s"].to_list()
    assert elapsed == [0.0, 2.0, 5.0, 9.0]
    assert activity.samples["heart_rate_bpm"].to_list() == [100.0, 101.0, 102.0, 103.0]


def test_big_endian_messages():
    raw = RawFit().define(0, FILE_ID, FILE_ID_FIELDS, big_endian=True).data(0, GARMIN_ACTIVITY)
    raw.define(1, RECORD, [(253, 4, "uint32"), (6, 2, "uint16"), (5, 4, "uint32")],
               big_endian=True)
    raw.data(1, [fit_seconds(START), 3250, 0]).data(1, [fit_seconds(START) + 1, 3500, 325])
    (activity,) = read(raw.to_bytes())
    assert activity.samples["speed_m_s"].to_list() == [3.25, 3.5]
    assert activity.samples["distance_m"].to_list() == [0.0, 3.25]
    assert activity.samples["timestamp"][0] == START


def test_developer_fields_are_skipped_and_never_leak_between_files():
    described = encode(
        [("developer_data_id", {"developer_data_index": 0, "application_id": [1] * 16}),
         ("field_description", {"developer_data_index": 0, "field_definition_number": 0,
                                "fit_base_type_id": 0x88, "field_name": "doughnuts"})]
        + run_messages(START, seconds=30)
    )
    (first,) = read(described)
    assert first.samples.height == 30
    # A second file uses developer field 0 of index 0 without describing it (invalid, seen in
    # the wild). fitparse 1.2.0 would look the field up in the first file's leftovers.
    raw = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    raw.define(1, RECORD, [(253, 4, "uint32"), (3, 1, "uint8")], dev_fields=[(0, 2, 0)])
    for i in range(20):
        raw.data(1, [fit_seconds(START) + 3600 + i, 130, b"\x01\x02"])
    (second,) = read(raw.to_bytes())
    assert second.samples.height == 20
    assert second.samples["heart_rate_bpm"].unique().to_list() == [130.0]
    assert scan(raw.to_bytes()).developer_fields == 1


def test_chained_files_give_one_activity_each():
    later = START + dt.timedelta(hours=5)
    activities = read(run_fit(START, seconds=120) + run_fit(later, seconds=60))
    assert [a.summary.start_time for a in activities] == [START, later]
    assert [a.samples.height for a in activities] == [120, 60]
    assert [a.summary.session_index for a in activities] == [0, 1]


def test_multisport_file_splits_records_per_session():
    bike = run_messages(START, seconds=300, sport="cycling", speed=8.0, strides=90,
                        fraction=0.0)
    run_start = START + dt.timedelta(seconds=300)
    run = run_messages(run_start, seconds=200, sport="running", speed=3.0, strides=88,
                       fraction=0.0)
    for _, fields in run:  # one recording: distance continues from the bike leg
        if "distance" in fields:
            fields["distance"] += 8.0 * 300
    body = [m for m in bike if m[0] in ("record", "lap", "session")]
    body += [m for m in run if m[0] in ("record", "lap", "session")]
    activities = read(encode(bike[:3] + body + run[-1:]))
    assert [a.summary.sport for a in activities] == ["cycling", "running"]
    assert [a.samples.height for a in activities] == [300, 200]
    cycling, running = activities
    assert cycling.samples["cadence_rpm"].unique().to_list() == [90.0]
    assert running.samples["cadence_spm"].unique().to_list() == [176.0]
    assert running.samples["distance_m"][0] == 0.0  # rebased to the session's start
    assert running.samples["distance_m"][-1] == pytest.approx(3.0 * 199)


def test_settings_file_is_not_an_activity():
    data = encode([("file_id", {"type": "settings", "manufacturer": "garmin", "product": 1}),
                   ("user_profile", {"weight": 70.0, "gender": "female"})])
    with pytest.raises(NotAnActivity, match="settings"):
        read(data)


def test_pool_swim_without_records_comes_from_the_session():
    data = encode([
        ("file_id", {"type": "activity", "manufacturer": "garmin", "product": 4024}),
        ("session", {"start_time": START, "timestamp": START + dt.timedelta(minutes=30),
                     "sport": "swimming", "sub_sport": "lap_swimming",
                     "total_elapsed_time": 1800.0, "total_timer_time": 1750.0,
                     "total_distance": 1000.0, "pool_length": 25.0}),
    ])
    (activity,) = read(data)
    assert (activity.summary.sport, activity.summary.sub_sport) == ("swimming", "lap_swimming")
    assert activity.summary.distance_m == 1000.0
    assert activity.summary.duration_s == 1800.0
    assert activity.samples.height == 0


def test_truncated_file_keeps_what_was_readable():
    data = run_fit(START, seconds=1200)
    (activity,) = read(data[: len(data) * 6 // 10])
    assert 600 < activity.samples.height < 800
    minutes = round((activity.samples.height - 1) / 60)
    (note,) = [w for w in activity.warnings if "truncated" in w]
    assert f"kept the first {minutes} min" in note
    assert activity.summary.sport == "unknown"  # the session message was in the lost part


def test_crc_mismatch_is_a_warning_not_a_rejection():
    data = bytearray(run_fit(START, seconds=60))
    data[-1] ^= 0xFF
    (activity,) = read(bytes(data))
    assert activity.samples.height == 60
    assert any("checksum" in w for w in activity.warnings)


def test_misaligned_field_sizes_are_read_as_bytes():
    raw = raw_run(records=5)
    raw.define(2, EVENT, [(253, 4, "uint32"), (0, 1, "enum"), (3, 1, "uint32")])
    raw.data(2, [fit_seconds(START), 0, b"\x07"])
    raw.data(1, [fit_seconds(START) + 5, 200])
    (activity,) = read(raw.to_bytes())
    assert activity.samples["heart_rate_bpm"].to_list() == [120, 121, 122, 123, 124, 200]
    assert any("sizes that do not fit" in w for w in activity.warnings)


def test_undefined_local_message_salvages_the_prefix():
    data = bytearray(raw_run(records=30).to_bytes())
    # header 14, file_id definition 6+3*3 and data 1+5, record definition 6+3*2, 15 records
    cut = 14 + 15 + 6 + 12 + 15 * 6
    data[cut] = 0x0B  # data for local message 11, never defined (Strava Android app files)
    (activity,) = read(bytes(data))
    assert activity.samples.height == 15
    assert any("undefined message type" in w for w in activity.warnings)


def test_relative_timestamps_are_anchored_on_the_local_clock():
    raw = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    raw.define(1, RECORD, [(253, 4, "uint32"), (3, 1, "uint8")])
    for i in range(10):
        raw.data(1, [5000 + i, 110])  # seconds since the watch was switched on
    local_end = fit_seconds(START) + 9
    raw.define(2, ACTIVITY, [(253, 4, "uint32"), (5, 4, "uint32")]).data(2, [5009, local_end])
    (activity,) = read(raw.to_bytes())
    assert activity.summary.start_time == START
    assert activity.summary.local_offset_s == 0
    assert any("relative" in w for w in activity.warnings)


def test_records_without_timestamps_are_rejected():
    raw = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    raw.define(1, RECORD, [(3, 1, "uint8")]).data(1, [120]).data(1, [121])
    with pytest.raises(CorruptFile, match="test.fit: no usable timestamps"):
        read(raw.to_bytes())


@pytest.mark.parametrize(
    ("data", "error", "reason"),
    [
        (b"", UnsupportedFile, "empty file"),
        (bytes(range(256)) * 40, UnsupportedFile, "not a FIT, GPX or TCX file"),
        (b"\x0e\x20\x00\x00\x10\x00\x00\x00.FIT\x00\x00", CorruptFile, "cut short"),
        (b"\x0e\x20\x00\x00\x10\x00\x00\x00.FIT\x00\x00\x07\x07", CorruptFile, "undefined"),
    ],
)
def test_hostile_fit_bytes_are_rejected_with_a_reason(data, error, reason):
    with pytest.raises(error, match=reason) as caught:
        read(data)
    assert str(caught.value).startswith("test.fit: ")


def test_huge_declared_data_size_keeps_the_records_present():
    data = bytearray(raw_run(records=10).to_bytes())
    struct.pack_into("<I", data, 4, 0xFFFFFFF0)
    (activity,) = read(bytes(data[:-2]))
    assert activity.samples.height == 10
    assert any("truncated" in w for w in activity.warnings)


def test_raw_writer_is_readable_by_garmins_decoder():
    """The byte-level writer used above agrees with Garmin's SDK, not only with our decoder."""
    messages, errors = Decoder(Stream.from_byte_array(bytearray(raw_run().to_bytes()))).read()
    assert errors == []
    assert [m["heart_rate"] for m in messages["record_mesgs"]] == list(range(120, 130))
