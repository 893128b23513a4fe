"""Totals are checked against the samples and physics: repaired from the samples, or refused."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import polars as pl
import pytest
from fitfiles import (
    FILE_ID,
    FILE_ID_FIELDS,
    GARMIN_ACTIVITY,
    RECORD,
    RawFit,
    encode,
    fit_seconds,
    run_messages,
)

from ingest.errors import CorruptFile
from ingest.plausibility import contradictions, ensure_plausible
from ingest.reader import read_activities
from ingest.sample_evidence import evidence
from ingest.schema import Activity, Summary, samples_frame

START = dt.datetime(2026, 3, 2, 6, 30, tzinfo=dt.UTC)
SAMPLE_FILES = sorted((Path(__file__).parents[1] / "sample_data" / "files").glob("*.gz"))


def with_session(seconds: int = 600, **changes) -> bytes:
    """A watch run whose session message says ``changes`` (a damaged summary)."""
    messages = run_messages(START, seconds=seconds)
    for name, fields in messages:
        if name == "session":
            fields.update(changes)
    return encode(messages)


def read(data: bytes) -> list[Activity]:
    return read_activities(data, "run.fit")


def repaired(activity: Activity) -> str:
    (note,) = [w for w in activity.warnings if w.startswith("implausible totals")]
    return note


def test_a_26000_km_session_distance_is_replaced_by_the_samples_distance():
    (activity,) = read(with_session(total_distance=26_000_000.0))
    assert activity.summary.distance_m == pytest.approx(3.0 * 599, abs=1)
    assert "distance 26,000.00 km -> 1.80 km" in repaired(activity)
    assert activity.damaged  # such a copy never replaces a stored recording
    assert contradictions(activity.summary, activity.samples) == []


def test_a_40_day_duration_is_replaced_by_the_span_of_the_samples():
    (activity,) = read(with_session(total_elapsed_time=40 * 86400.0))
    assert (activity.summary.start_time, activity.summary.duration_s) == (START, 599.0)
    # the start had been put 40 days before the end (as for late fenix 2 start times)
    assert "start 2026-01-21 06:39 -> 2026-03-02 06:30; duration 40 days -> 10 min" in repaired(
        activity)


def test_a_complete_file_may_not_claim_much_more_than_its_samples_show():
    # 3 h instead of 10 min: physically possible, but the dense samples of a file read to its
    # end say otherwise (a changed byte in the summary)
    (activity,) = read(with_session(total_elapsed_time=3 * 3600.0, total_timer_time=3 * 3600.0))
    assert activity.summary.duration_s == 599.0
    assert activity.summary.timer_time_s is None  # only the device knows it: unknown now


def test_a_cut_short_file_keeps_totals_stated_before_the_damage():
    """Like the Strava Android files: the session comes first, records are lost after it."""
    messages = run_messages(START, seconds=3600)
    session = next(m for m in messages if m[0] == "session")
    messages.remove(session)
    messages.insert(3, session)
    data = encode(messages)
    (activity,) = read(data[:len(data) // 4])
    assert activity.cut_short
    assert activity.samples.height < 1200
    assert activity.summary.duration_s == 3599.0  # as the file says: the samples are a part
    assert activity.summary.distance_m == pytest.approx(3.0 * 3599)
    assert not [w for w in activity.warnings if w.startswith("implausible")]


def test_a_session_without_samples_and_an_impossible_duration_is_refused():
    data = encode([
        ("file_id", {"type": "activity", "manufacturer": "garmin", "product": 1}),
        ("session", {"start_time": START, "timestamp": START + dt.timedelta(minutes=30),
                     "sport": "running", "total_elapsed_time": 40 * 86400.0,
                     "total_distance": 5000.0}),
    ])
    with pytest.raises(CorruptFile, match="implausible duration 40 days .longer than any "):
        read(data)


@pytest.mark.parametrize("year", [1999, 2031])
def test_an_impossible_date_is_refused(year):
    with pytest.raises(CorruptFile, match=f"^run.fit: implausible start {year}-03-02 06:30 "
                                          r"\(not a possible date\), which the samples cannot"):
        read(encode(run_messages(START.replace(year=year), seconds=120)))


def test_samples_timed_years_away_are_dropped():
    raw = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    raw.define(1, RECORD, [(253, 4, "uint32"), (3, 1, "uint8"), (5, 4, "uint32")])
    for i in range(300):
        when = fit_seconds(START) + i + (2**28 if i == 150 else 0)  # a flipped bit: +8.5 years
        raw.data(1, [when, 140, 300 * i])
    (activity,) = read(raw.to_bytes())
    assert activity.samples.height == 299
    assert activity.summary.duration_s == 299.0
    assert any("dropped 1 samples timed hours or more away" in w for w in activity.warnings)


def test_a_distance_spike_in_the_samples_is_dropped():
    raw = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    raw.define(1, RECORD, [(253, 4, "uint32"), (5, 4, "uint32")])
    for i in range(300):
        raw.data(1, [fit_seconds(START) + i, 2**30 if i == 100 else 300 * i])  # 10,737 km
    (activity,) = read(raw.to_bytes())
    assert activity.samples["distance_m"][100] is None
    assert activity.summary.distance_m == pytest.approx(897.0)


def test_scattered_time_stamps_are_refused():
    times = [START + dt.timedelta(days=30 * i) for i in range(10)]
    activity = Activity(Summary(format="gpx", start_time=START),
                        samples_frame({"timestamp": [int(t.timestamp() * 1000) for t in times]}))
    activity.samples = activity.samples.with_columns(pl.lit(0.0).alias("elapsed_s"))
    with pytest.raises(CorruptFile, match="scattered"):
        ensure_plausible(activity)


def test_evidence_counts_only_possible_distance_steps():
    frame = samples_frame({"timestamp": [0, 1000, 2000, 3000],
                           "distance_m": [0.0, 3.0, 9e6, 9.0]})
    assert evidence(frame, "running").distance_m == 3.0  # the jump out and back counts nothing


@pytest.mark.parametrize("path", SAMPLE_FILES[::8], ids=lambda p: p.name)
def test_realistic_recordings_pass_untouched(path):
    for activity in read_activities(gzip.decompress(path.read_bytes()), path.name):
        assert not activity.damaged
        assert contradictions(activity.summary, activity.samples, complete=True) == []
