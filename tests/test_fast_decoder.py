"""The fast FIT decoder gives exactly what fitparse (the reference) gives.

Compared on every file of ``fitfiles.catalogue`` (the kinds of files the FIT tests write), on
the benchmark's generated runs, on randomly damaged copies, and - with STRIDELOAD_CORPUS set to
the shared corpus - on every real device file: the decoded tables value for value, and the
activities built from them (summaries, laps, warnings, every sample column within 1e-9).
Unit tests check the hard parts against hand-computed values.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import math
import os
import random
from pathlib import Path

import fitparse.records
import numpy as np
import pytest
from fitfiles import (
    BASE_TYPES,
    FILE_ID,
    FILE_ID_FIELDS,
    GARMIN_ACTIVITY,
    RECORD,
    SESSION,
    RawFit,
    catalogue,
    fit_seconds,
    run_fit,
)
from garmin_fit_sdk import Decoder, Stream
from polars.testing import assert_frame_equal

from ingest.errors import ImportProblem
from ingest.fit import fast_decoder, fitparse_decoder, read_fit
from ingest.fit.build import floats
from ingest.fit.scan import scan
from ingest.fit.tables import WANTED, FitTables
from ingest.importer import import_item
from ingest.sources import Item
from ingest.store import Store

START = dt.datetime(2026, 3, 2, 6, 30, tzinfo=dt.UTC)
CATALOGUE = catalogue(START)
CORPUS = os.environ.get("STRIDELOAD_CORPUS")
BENCHMARK = Path(__file__).parents[1] / "benchmarks" / "import_bench.py"


def corpus_fit_files() -> list[str]:
    if not CORPUS:
        return []
    root = Path(CORPUS)
    return sorted(str(p.relative_to(root)) for folder in ("fit", "bad")
                  for p in (root / folder).glob("*.fit"))


# -- comparing ---------------------------------------------------------------------------------
def assert_same_value(ours: object, theirs: object, where: str) -> None:
    """Same Python type (an int stays an int) and value; floats bit for bit."""
    assert type(ours) is type(theirs), (where, ours, theirs)
    assert ours == theirs, (where, ours, theirs)


def assert_same_tables(fast: FitTables, reference: FitTables) -> None:
    assert fast.decoder == "fast"
    assert fast.rows == reference.rows
    for name, n in reference.rows.items():
        for column in WANTED[name]:
            ours, theirs = fast.columns[name][column], reference.columns[name][column]
            if isinstance(ours, np.ndarray):  # record columns: what build_activities reads
                assert np.array_equal(ours, floats(theirs, n), equal_nan=True), (name, column)
            else:
                for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
                    assert_same_value(a, b, f"{name}.{column}[{i}]")


def assert_same_number(ours: object, theirs: object, where: str) -> None:
    if isinstance(theirs, float) and isinstance(ours, float):
        assert math.isclose(ours, theirs, rel_tol=1e-9), where
    else:
        assert ours == theirs, where


def assert_same_activities(fast: list, reference: list) -> None:
    assert len(fast) == len(reference)
    for ours, theirs in zip(fast, reference, strict=True):
        assert (ours.decoder, theirs.decoder) == ("fast", "fitparse")
        for key, value in dataclasses.asdict(theirs.summary).items():
            assert_same_number(getattr(ours.summary, key), value, f"summary.{key}")
        assert len(ours.laps) == len(theirs.laps)
        for our_lap, their_lap in zip(ours.laps, theirs.laps, strict=True):
            for key, value in dataclasses.asdict(their_lap).items():
                assert_same_number(getattr(our_lap, key), value, f"lap.{key}")
        assert ours.warnings == theirs.warnings
        assert_frame_equal(ours.samples, theirs.samples, check_exact=False, rel_tol=1e-9,
                           abs_tol=0)


def outcome(data: bytes, decode) -> list | tuple[type, str]:
    """The activities of ``data``, or the class and message of the error that refused it."""
    try:
        return read_fit(data, decode)
    except ImportProblem as problem:
        return type(problem), str(problem)


def assert_decoders_agree(data: bytes) -> None:
    """Table by table and activity by activity; fitparse decodes each segment once."""
    reference_tables: list[FitTables] = []

    def reference(segment: bytes) -> FitTables:
        reference_tables.append(fitparse_decoder.decode(segment))
        return reference_tables[-1]

    fast_tables: list[FitTables] = []

    def fast(segment: bytes) -> FitTables:
        fast_tables.append(fast_decoder.decode(segment))
        return fast_tables[-1]

    theirs, ours = outcome(data, reference), outcome(data, fast)
    for mine, their in zip(fast_tables, reference_tables, strict=True):
        assert_same_tables(mine, their)
    if isinstance(theirs, tuple):
        assert ours == theirs
    else:
        assert_same_activities(ours, theirs)


# -- every file --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_decoders_agree_on_every_test_file(name):
    assert_decoders_agree(CATALOGUE[name])


@pytest.mark.skipif(not CORPUS, reason="STRIDELOAD_CORPUS is not set")
@pytest.mark.parametrize("name", corpus_fit_files())
def test_decoders_agree_on_every_corpus_file(name):
    assert_decoders_agree((Path(CORPUS) / name).read_bytes())


def test_decoders_agree_on_randomly_damaged_files():
    """Bytes flipped at random: both decoders give the same activities or the same refusal,
    unless the fast decoder says it does not support the result (then fitparse is used)."""
    rng = random.Random(42)
    sources = [CATALOGUE[n] for n in ("garmin_run", "interleaved_definitions",
                                      "compressed_speed_distance", "multisport")]
    compared = 0
    for _ in range(150):
        data = bytearray(rng.choice(sources))
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(14, len(data))] = rng.randrange(256)
        try:
            assert_decoders_agree(bytes(data))
            compared += 1
        except fast_decoder.NotSupported:
            pass
    assert compared > 120


def benchmark_module():
    spec = importlib.util.spec_from_file_location("import_bench", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_runs_are_valid_fit_files_both_decoders_agree_on():
    data = benchmark_module().one_hour_run(7)
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    assert len(messages["record_mesgs"]) == 3600
    assert len(messages["lap_mesgs"]) > 5
    assert_decoders_agree(data)


# -- the hard parts, by hand -------------------------------------------------------------------
def decode(data: bytes) -> FitTables:
    return fast_decoder.decode(scan(data).segments[0].data)


def record_column(data: bytes, column: str) -> list:
    values = decode(data).columns["record"][column]
    return [None if np.isnan(v) else float(v) for v in values]


def test_compressed_timestamps_advance_the_last_full_timestamp():
    tables = decode(CATALOGUE["interleaved_definitions"])
    t0 = fit_seconds(START) // 32 * 32 + 30
    # record t0, compressed 31 -> t0+1, event 1 (rolled over) -> t0+3, record 2 -> t0+4,
    # full t0+10, compressed -> t0+11
    assert record_column(CATALOGUE["interleaved_definitions"], "timestamp") == [
        t0, t0 + 1, t0 + 4, t0 + 10, t0 + 11]
    assert tables.rows["record"] == 5
    assert record_column(CATALOGUE["interleaved_definitions"], "heart_rate") == [
        100, 101, 102, 103, 104]


def test_both_byte_orders_in_one_file():
    data = CATALOGUE["interleaved_definitions"]
    assert record_column(data, "distance") == [None, 2.5, 5.0, None, 7.5]  # big-endian x 100
    assert record_column(data, "position_lat") == [
        round(-33.9 * 2**31 / 180), None, None, round(-34.0 * 2**31 / 180), None]


def test_compressed_speed_distance_unrolls_the_distance_counter():
    data = CATALOGUE["compressed_speed_distance"]
    # 12-bit distance in 1/16 m: 4000, 4090, 10 -> 4106, 100 -> 4196; a new definition
    # restarts the counter: 50
    assert record_column(data, "distance") == [250.0, 255.625, 256.625, 262.25, None, 3.125]
    assert record_column(data, "speed") == [3.25, 3.3, 40.95, 3.0, None, 3.1]


def test_a_field_of_the_message_beats_a_component_of_another():
    data = CATALOGUE["components_and_fields"]
    assert record_column(data, "enhanced_speed") == [3.1, 3.0, None]
    assert record_column(data, "enhanced_altitude") == [20.0, 40.0, None]  # 2600 / 5 - 500


def test_enum_names_sub_fields_and_ints_stay_like_fitparse():
    tables = decode(CATALOGUE["session_without_records"])
    file_id, session = tables.columns["file_id"], tables.columns["session"]
    assert (file_id["manufacturer"], file_id["product"]) == (["garmin"], ["hrm1"])
    assert (session["sport"], session["sub_sport"]) == (["running"], ["treadmill"])
    assert session["avg_cadence"] == [80]  # via the sub-field avg_running_cadence, an int
    assert session["total_distance"] == [5000.0]
    assert session["start_time"] == [fit_seconds(START)]


@pytest.mark.parametrize("base", ["enum", "sint8", "uint8", "uint8z", "sint16", "uint16",
                                  "uint16z", "sint32", "uint32", "uint32z", "float32",
                                  "float64"])
def test_invalid_markers_of_every_base_type_are_missing(base):
    number, code = BASE_TYPES[base]
    size = {"b": 1, "B": 1, "h": 2, "H": 2, "i": 4, "I": 4, "f": 4, "d": 8}[code]
    if base.endswith("z"):
        invalid = 0
    elif code in "fd":
        invalid = float("nan")
    else:
        invalid = (1 << 8 * size - 1) - 1 if code.islower() else (1 << 8 * size) - 1
    raw = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    raw.define(1, RECORD, [(253, 4, "uint32"), (3, size, base)])
    raw.data(1, [fit_seconds(START), invalid]).data(1, [fit_seconds(START) + 1, 99])
    data = raw.to_bytes()
    assert record_column(data, "heart_rate") == [None, 99.0]
    assert_decoders_agree(data)


def test_strings_and_byte_arrays_are_read_value_by_value():
    raw = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    raw.define(1, 23, [(0, 1, "uint8"), (27, 8, "string"), (4, 2, "byte")])  # device_info
    raw.data(1, [0, b"Edge\x00xx", b"\x01\x02"]).data(1, [1, b"\x00" * 8, b"\xff\xff"])
    tables = decode(raw.to_bytes())
    info = tables.columns["device_info"]
    assert info["device_index"] == ["creator", 1]
    assert info["product_name"] == ["Edge", None]
    assert info["product"] == [(1, 2), None]  # a product declared as bytes stays bytes
    assert_decoders_agree(raw.to_bytes())


def test_truncated_bytes_keep_the_complete_messages():
    data = run_fit(START, seconds=100)
    cut = data[:len(data) // 2]
    tables = fast_decoder.decode(cut)
    assert tables.stopped == "the file ends in the middle of a message"
    reference = fitparse_decoder.decode(cut)
    assert reference.stopped is not None
    assert tables.rows == reference.rows
    assert_same_tables(tables, reference)


def test_undefined_local_message_stops_with_the_messages_before():
    tables = fast_decoder.decode(CATALOGUE["undefined_local_message"])
    assert tables.rows["record"] == 15
    assert tables.stopped.startswith("data for an undefined message type")


def test_chained_files_in_one_call_decode_like_fitparse():
    data = CATALOGUE["chained"]
    tables = fast_decoder.decode(data)
    assert tables.rows["record"] == 180
    assert_same_tables(tables, fitparse_decoder.decode(data))


def test_developer_fields_are_stepped_over():
    """Without the normalising scan, the decoder skips developer fields' bytes itself."""
    data = CATALOGUE["undescribed_developer_fields"]
    tables = fast_decoder.decode(data)
    assert tables.columns["record"]["heart_rate"].tolist() == [130.0] * 20
    assert_same_tables(tables, fitparse_decoder.decode(scan(data).segments[0].data))


def sixty_four_bit_heart_rate() -> bytes:
    raw = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    raw.define(1, RECORD, [(253, 4, "uint32"), (3, 8, "uint64")])
    for i in range(5):
        raw.data(1, [fit_seconds(START) + i, 140 + i])
    raw.define(2, SESSION, [(2, 4, "uint32"), (253, 4, "uint32"), (7, 4, "uint32")])
    raw.data(2, [fit_seconds(START), fit_seconds(START) + 4, 4000])
    return raw.to_bytes()


def test_what_the_fast_decoder_does_not_support_goes_to_fitparse_visibly(tmp_path):
    data = sixty_four_bit_heart_rate()
    with pytest.raises(fast_decoder.NotSupported, match="64-bit integer fields"):
        decode(data)
    (activity,) = read_fit(data)
    (reference,) = read_fit(data, fitparse_decoder.decode)
    note = "decoded with fitparse (fast decoder: 64-bit integer fields)"
    assert activity.decoder == "fitparse"
    assert activity.warnings == reference.warnings + [note]
    assert activity.samples["heart_rate_bpm"].to_list() == [140.0, 141.0, 142.0, 143.0, 144.0]
    with Store(tmp_path) as store:
        report = import_item(Item("hr64.fit", lambda: data), store)
        assert report.status == "imported"
        assert note in report.warnings
        assert store.activities()["decoder"].to_list() == ["fitparse"]


def test_a_garmin_run_is_decoded_by_the_fast_decoder_by_default():
    (activity,) = read_fit(CATALOGUE["garmin_run"])
    assert activity.decoder == "fast"
    assert activity.warnings == []


# FIT profile numbers: user_profile.wake_time (localtime_into_day), field_description.
USER_PROFILE, WAKE_TIME, FIELD_DESCRIPTION = 3, 28, 206


def with_message_after_records(define: list, values: list, global_num: int) -> bytes:
    raw = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    raw.define(1, RECORD, [(253, 4, "uint32"), (3, 1, "uint8")])
    for i in range(5):
        raw.data(1, [fit_seconds(START) + i, 150])
    raw.define(2, global_num, define).data(2, values)
    raw.data(1, [fit_seconds(START) + 5, 150])
    return raw.to_bytes()


@pytest.mark.parametrize(("data", "reason"), [
    # fitparse makes datetime.time(25, 0, 0) of this and stops reading the file
    (with_message_after_records([(WAKE_TIME, 4, "uint32")], [25 * 3600], USER_PROFILE),
     "a time of day outside 0-24 h"),
    # fitparse files developer fields in a registry; a description of an unregistered
    # developer stops it (or not, depending on the files it read before)
    (with_message_after_records([(0, 1, "uint8"), (1, 1, "uint8"), (2, 1, "uint8")],
                                 [7, 0, 0x88], FIELD_DESCRIPTION),
     "a developer field description before its developer"),
])
def test_where_fitparse_would_stop_on_other_messages_it_is_used_instead(data, reason,
                                                                       monkeypatch):
    monkeypatch.setattr(fitparse.records, "DEV_TYPES", {})  # as if no file was read before
    with pytest.raises(fast_decoder.NotSupported, match=reason):
        decode(data)
    (ours,), (theirs,) = read_fit(data), read_fit(data, fitparse_decoder.decode)
    assert ours.samples.height == theirs.samples.height == 5  # the 6th record is lost
    assert ours.warnings == theirs.warnings + [f"decoded with fitparse (fast decoder: {reason})"]


def test_a_valid_time_of_day_elsewhere_does_not_need_fitparse():
    data = with_message_after_records([(WAKE_TIME, 4, "uint32")], [6 * 3600], USER_PROFILE)
    assert decode(data).rows["record"] == 6
    assert_decoders_agree(data)
