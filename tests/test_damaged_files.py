"""Damaged files: the readable part is kept, reasons are plain words, memory stays bounded."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import resource
import struct

import numpy as np
import polars as pl
import pytest
from fitfiles import FILE_ID, FILE_ID_FIELDS, GARMIN_ACTIVITY, RECORD, RawFit, fit_seconds, run_fit
from xml_docs import gpx_doc, gpx_point, gpx_track, tcx_activity, tcx_doc, tcx_lap, tcx_point, tpx

from analytics.activity_metrics import compute_activity_metrics
from analytics.samples import PAUSE_SLOTS, to_grid
from ingest import importer
from ingest.errors import CorruptFile, UnsafeInput
from ingest.fit import fast_decoder, fitparse_decoder, read_fit
from ingest.importer import OUT_OF_MEMORY, WORKER_MEMORY_BYTES, decode_file, import_items
from ingest.reader import read_activities
from ingest.schema import samples_frame
from ingest.sources import Item
from ingest.store import Store

START = dt.datetime(2026, 3, 2, 6, 30, tzinfo=dt.UTC)


def stamp(i: int) -> str:
    return (START + dt.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")


def phone_gpx(points: int = 1200) -> bytes:
    return gpx_doc(gpx_track([
        gpx_point(52.5 + i * 2.7e-5, 13.4, stamp(i), 34.0, tpx(hr=140, cad=85))
        for i in range(points)], sport="running")).encode()


def watch_tcx(points: int = 1200) -> bytes:
    laps = [tcx_lap(stamp(k * 600), [tcx_point(stamp(i), 52.5 + i * 2.7e-5, 13.4, 34.0, 3.0 * i,
                                               140) for i in range(k * 600, (k + 1) * 600)],
                    total_s=600.0, distance=1800.0) for k in range(points // 600)]
    return tcx_doc(tcx_activity("Running", *laps)).encode()


# -- GPX and TCX: keep the points before the break ----------------------------------------------
def test_a_cut_short_gpx_keeps_its_first_part():
    data = phone_gpx()
    (activity,) = read_activities(data[:len(data) * 6 // 10], "cut.gpx")
    kept = activity.samples.height
    assert 650 < kept < 730
    assert activity.damaged and activity.cut_short
    assert activity.warnings[0] == (f"the file is cut short: kept the {kept} track points "
                                    f"({round((kept - 1) / 60)} min) before it, the rest was "
                                    "unreadable")
    assert activity.summary.duration_s == kept - 1


def test_one_bad_byte_in_a_gpx_keeps_the_points_before_it():
    data = bytearray(phone_gpx())
    at = data.index(b"<trkpt", len(data) // 2)
    data[at] = 0x00  # not allowed in XML
    (activity,) = read_activities(bytes(data), "bad.gpx")
    assert 590 < activity.samples.height < 610
    assert activity.warnings[0].startswith(
        "the XML is damaged at line 2 (not well-formed (invalid token), 50% into the file): "
        "kept the ")


def test_a_cut_short_tcx_keeps_its_laps_and_trackpoints_before_the_cut():
    data = watch_tcx()
    (activity,) = read_activities(data[:len(data) * 3 // 4], "cut.tcx")
    assert 850 < activity.samples.height < 950
    assert activity.cut_short
    assert activity.warnings[0].startswith("the file is cut short: kept the ")
    # the laps' totals come before their trackpoints: as stated by the file
    assert activity.summary.distance_m == 3600.0


def test_xml_broken_before_any_point_is_still_refused_with_the_parser_reason():
    data = phone_gpx()
    with pytest.raises(CorruptFile, match="^early.gpx: malformed XML: no element found"):
        read_activities(data[:data.index(b"<trkpt")], "early.gpx")


def test_entities_are_refused_even_in_a_damaged_document():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaa">]>'
            b"<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"1\"><time>&a;")
    with pytest.raises(UnsafeInput):
        read_activities(bomb, "bomb.gpx")


# -- FIT: keep the messages before the damage, say it in words ----------------------------------
def test_a_definition_with_too_many_fields_stops_the_walk_in_plain_words():
    raw = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    raw.define(1, RECORD, [(253, 4, "uint32"), (3, 1, "uint8")])
    for i in range(60):
        raw.data(1, [fit_seconds(START) + i, 140])
    fields = [(k, 1, "uint8") for k in range(200)]
    raw.define(2, RECORD, fields, dev_fields=[(k, 1, 0) for k in range(100)])  # 300 > 255
    (activity,) = read_activities(raw.to_bytes(), "many.fit")
    assert activity.samples.height == 60
    assert any("a damaged message definition at byte" in w for w in activity.warnings)


def test_any_fast_decoder_failure_falls_back_to_fitparse(monkeypatch):
    def trips(_data: bytes):
        raise ValueError("bytes must be in range(0, 256)")

    monkeypatch.setattr(fast_decoder, "decode", trips)
    (activity,) = read_fit(run_fit(START, seconds=60))
    assert activity.decoder == "fitparse" and activity.samples.height == 60
    assert "decoded with fitparse (the fast decoder could not read a damaged part)" in (
        activity.warnings)
    assert not any("Error" in w or "range(" in w for w in activity.warnings)


def test_fitparse_stopping_on_anything_keeps_the_messages_before(monkeypatch):
    real = fitparse_decoder.fitparse.FitFile.get_messages

    def get_messages(self, *args, **kwargs):
        for count, message in enumerate(real(self, *args, **kwargs)):
            if count == 40:
                raise ValueError("bytes must be in range(0, 256)")
            yield message

    monkeypatch.setattr(fitparse_decoder.fitparse.FitFile, "get_messages", get_messages)
    tables = fitparse_decoder.decode(run_fit(START, seconds=60))
    assert 30 < tables.count("record") < 40
    assert tables.stopped.startswith("a damaged message after")


# -- bounded memory ------------------------------------------------------------------------------
def test_the_grid_grows_with_the_samples_not_with_a_time_stamp_decades_away():
    ms = [int(START.timestamp() * 1000) + 1000 * i for i in range(600)]
    ms[300] += 30 * 365 * 86400 * 1000  # a damaged time stamp, 30 years later
    frame = samples_frame({"timestamp": sorted(ms), "heart_rate_bpm": [140.0] * 600,
                           "speed_m_s": [3.0] * 600})
    grid = to_grid(frame)
    assert grid["t"].size <= 600 + PAUSE_SLOTS
    assert grid["t"][-1] > 30 * 365 * 86400  # times stay true
    metrics = compute_activity_metrics(frame, "running")
    assert metrics["hr_seconds"] == 601.0  # 600 samples and the second the moved one left


def test_a_long_pause_leaves_the_metrics_as_a_uniform_grid_would():
    base = int(START.timestamp() * 1000)
    ms = [base + 1000 * i for i in range(900)] + [base + 1000 * (5000 + i) for i in range(900)]
    frame = samples_frame({"timestamp": ms, "heart_rate_bpm": [140.0] * 1800,
                           "speed_m_s": [3.0] * 1800, "cadence_spm": [170.0] * 1800})
    metrics = compute_activity_metrics(frame, "running")
    assert (metrics["hr_seconds"], metrics["moving_s"]) == (1800.0, 1800.0)
    assert metrics["norm_speed_m_s"] == pytest.approx(3.0)


def allocates_on_bomb(data: bytes, name: str, enrich=None) -> object:
    """decode_file, except that a file named bomb.fit asks for 16 GB in its worker."""
    if name == "bomb.fit":
        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if multiprocessing.parent_process() is None or soft == resource.RLIM_INFINITY:
            raise AssertionError("bomb.fit was decoded without a memory ceiling")
        try:
            np.ones(2**31)  # 16 GB
        except MemoryError:
            return OUT_OF_MEMORY  # what decode_file's own handler says
        raise AssertionError("16 GB were allocated under the ceiling")
    return decode_file(data, name, enrich)


def test_a_worker_hitting_the_memory_ceiling_rejects_only_that_file(tmp_path, monkeypatch):
    assert WORKER_MEMORY_BYTES <= 4 * 2**30
    monkeypatch.setattr(importer, "decode_file", allocates_on_bomb)
    monkeypatch.setattr(importer, "IN_PROCESS_MAX_FILES", 0)  # a small batch: workers anyway
    files = {"run_1.fit": run_fit(START, seconds=60), "bomb.fit": run_fit(START, seconds=30),
             "run_2.fit": run_fit(START + dt.timedelta(days=1), seconds=60)}
    items = [Item(name, lambda data=data: data) for name, data in files.items()]
    with Store(tmp_path) as store:
        reports = {r.file: r for r in import_items(items, store, jobs=2)}
        assert store.count() == 2
    assert (reports["bomb.fit"].status, reports["bomb.fit"].reason) == ("rejected",
                                                                       OUT_OF_MEMORY)
    assert reports["run_2.fit"].status == "imported"


def test_decode_file_turns_memory_errors_into_the_plain_reason(monkeypatch):
    def exhausted(*_args):
        raise MemoryError("Unable to allocate 24.5 GiB for an array")

    monkeypatch.setattr(importer, "read_activities", exhausted)
    assert decode_file(b"", "big.fit") == OUT_OF_MEMORY


def test_the_header_size_field_cannot_make_the_reader_allocate(tmp_path):
    data = bytearray(run_fit(START, seconds=60))
    struct.pack_into("<I", data, 4, 0xFFFFFFF0)  # claims 4 GB of records
    (activity,) = read_activities(bytes(data), "huge.fit")
    assert activity.samples.height == 60
    assert isinstance(activity.samples, pl.DataFrame)
