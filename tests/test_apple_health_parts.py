"""The parts of the Apple Health reader: dates and units, activity types, the streaming parser's
defences, the samples join, pieces that were tampered with, and memory that does not grow
with the export."""

from __future__ import annotations

import datetime as dt
import io
import json
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from apple_health_files import DOCTYPE, FOLDER, Workout, export_files
from apple_health_years import background_records

from ingest.apple_health import export as apple
from ingest.apple_health import spool
from ingest.apple_health.activity_types import sport_of, type_words
from ingest.apple_health.pieces import WELLNESS_MAGIC, WORKOUT_MAGIC, encode
from ingest.apple_health.samples import (
    Series,
    cadence_from_steps,
    choose_source,
    distance_along,
    nearest,
    pauses,
)
from ingest.apple_health.values import LENGTH_M, SPEED_M_S, parse_date, to_si
from ingest.apple_health.xmlstream import stream_xml
from ingest.errors import CorruptFile, NotAnActivity, UnsafeInput
from ingest.reader import read_activities, sniff
from ingest.wellness.reader import read_wellness

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def test_dates_give_utc_milliseconds_and_the_local_offset():
    assert parse_date("2024-05-01 07:12:03 +0200") == (
        int(dt.datetime(2024, 5, 1, 5, 12, 3, tzinfo=dt.UTC).timestamp() * 1000), 7200)
    assert parse_date("2024-01-01 00:30:00 -0530") == (
        int(dt.datetime(2024, 1, 1, 6, 0, tzinfo=dt.UTC).timestamp() * 1000), -19800)
    assert parse_date("2024-05-01T07:12:03.500+02:00")[0] % 1000 == 500  # other shapes
    for bad in ("2024-05-01 25:00:00 +0200", "2024-13-01 07:00:00 +0200", "yesterday", "",
                None, "2024-05-01 07:12:03", "2024-05-01 07:12:03 *0200"):
        assert parse_date(bad) is None, bad


def test_units_follow_the_locale_and_unknown_units_give_nothing():
    assert to_si("5.2", "km", LENGTH_M) == pytest.approx(5200)
    assert to_si("3.1", "mi", LENGTH_M) == pytest.approx(4988.97, abs=0.01)
    assert to_si("10.8", "km/hr", SPEED_M_S) == pytest.approx(3.0)
    assert to_si("6.71", "mi/hr", SPEED_M_S) == pytest.approx(3.0, abs=0.001)
    assert to_si("5", "furlong", LENGTH_M) is None
    assert to_si("nan", "km", LENGTH_M) is None and to_si("x", "km", LENGTH_M) is None


@pytest.mark.parametrize(("kind", "metadata", "expected"), [
    ("Running", {"HKIndoorWorkout": "1"}, ("running", "treadmill")),
    ("Running", {"HKIndoorWorkout": "0"}, ("running", None)),
    ("Walking", {"HKIndoorWorkout": "1"}, ("walking", "indoor_walking")),
    ("Cycling", {"HKIndoorWorkout": "1"}, ("cycling", "indoor_cycling")),
    ("Swimming", {"HKSwimmingLocationType": "2"}, ("swimming", "open_water")),
    ("FunctionalStrengthTraining", {}, ("training", "strength_training")),
    ("HighIntensityIntervalTraining", {}, ("hiit", None)),
    ("Rowing", {"HKIndoorWorkout": "1"}, ("rowing", "indoor_rowing")),
    ("AmericanFootball", {}, ("american_football", None)),
    ("Odd<Type>1", {}, ("oddtype", None)),  # only letters and underscores in a sport
])
def test_workout_types_become_fit_sports(kind, metadata, expected):
    assert sport_of(f"HKWorkoutActivityType{kind}", metadata) == expected


def test_type_words_name_workouts_in_reports():
    assert type_words("HKWorkoutActivityTypeTraditionalStrengthTraining") == (
        "traditional strength training")


class Tags:
    def __init__(self) -> None:
        self.started: list[str] = []

    def start(self, name: str, attributes: list[str]) -> None:
        self.started.append(name)

    def end(self, name: str) -> None:
        pass


def parse(text: str) -> Tags:
    tags = Tags()
    stream_xml(io.BytesIO(text.encode()), tags)
    return tags


def test_the_dtd_of_an_export_is_accepted_and_bom_tolerated():
    text = DOCTYPE.replace("{exported}", "2026-09-12 08:00:00 +0200") + "</HealthData>"
    assert parse("\ufeff\n" + text).started == ["HealthData", "ExportDate", "Me"]


@pytest.mark.parametrize("declaration", [
    '<!ENTITY lol "lol">',
    '<!ENTITY % p "x">',
    '<!ENTITY ext SYSTEM "file:///etc/passwd">',
    '<!ENTITY img SYSTEM "x.png" NDATA png>',
])
def test_entity_declarations_are_refused(declaration):
    with pytest.raises(UnsafeInput, match="entity declarations are not allowed"):
        parse(f"{HEAD}<!DOCTYPE HealthData [{declaration}]><HealthData/>")


def test_undeclared_entities_behind_an_external_dtd_are_refused():
    with pytest.raises(UnsafeInput, match="undeclared entity &x;"):
        parse(f'{HEAD}<!DOCTYPE HealthData SYSTEM "http://example.invalid/h.dtd">'
              "<HealthData>&x;</HealthData>")


def test_malformed_xml_names_line_and_offset():
    with pytest.raises(CorruptFile) as caught:
        parse(f"{HEAD}<HealthData>\n<Record type='a'>\n</HealthData>")
    assert "mismatched tag (line 4)" in str(caught.value)
    assert caught.value.offset == len(HEAD) + len("<HealthData>\n<Record type='a'>\n") + 2


def test_an_xml_that_is_not_an_export_is_said_to_be_one_thing_else(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(f"{HEAD}<!-- HealthData --><gpx/>")
    assert not apple.is_export_file(path)  # the mark must be a DOCTYPE or the root
    path.write_text(f"{HEAD}<!DOCTYPE HealthData><Other/>")
    problems = [load for _, load in apple.pieces(apple.folder_source(path), [])]
    with pytest.raises(NotAnActivity, match="<Other> root: not an Apple Health export"):
        problems[0]()


def test_pauses_pair_pause_with_resume_and_the_watchs_motion_pauses():
    def event(kind: str, minute: int) -> dict:
        return {"type": f"HKWorkoutEventType{kind}",
                "date": f"2024-05-01 07:{minute:02d}:00 +0000"}

    def ms(minute: int) -> int:
        return int(dt.datetime(2024, 5, 1, 7, minute, tzinfo=dt.UTC).timestamp() * 1000)

    events = [event("Resume", 12), event("Pause", 10), event("MotionPaused", 20),
              event("MotionResumed", 21), event("Lap", 25), event("Pause", 40)]
    assert pauses(events, ms(45)) == [(ms(10), ms(12)), (ms(20), ms(21)), (ms(40), ms(45))]


def series(start, end, value) -> Series:
    return Series(np.asarray(start, np.int64), np.asarray(end, np.int64),
                  np.asarray(value, np.float64))


def test_nearest_joins_within_the_tolerance_only():
    records = series([0, 5000, 60000], [0, 5000, 60000], [100, 110, 150])
    times = np.array([0, 2000, 3000, 20000, 21000, 45000])
    assert nearest(times, records).tolist() == pytest.approx(
        [100, 100, 110, 110, np.nan, 150], nan_ok=True)


def test_the_workouts_source_is_preferred_else_the_busiest_one():
    columns = {"source": [0, 1, 1, 2, 2, 2], "start": [10, 11, 12, 13, 14, 15],
               "end": [10, 11, 12, 13, 14, 15], "value": [1, 2, 3, 4, 5, 6]}
    assert choose_source(columns, 1, 0, 100).value.tolist() == [2, 3]
    assert choose_source(columns, 7, 0, 100).value.tolist() == [4, 5, 6]
    assert choose_source(columns, None, 0, 100).value.tolist() == [4, 5, 6]
    assert choose_source(columns, 1, 20, 100) is None


def test_cadence_comes_from_the_step_interval_holding_each_sample():
    steps = series([0, 60_000, 120_000], [60_000, 120_000, 120_500], [170, 160, 3])
    times = np.array([-1, 0, 59_999, 60_000, 119_000, 120_200])
    # the half-second interval is too short to give a rate
    assert cadence_from_steps(times, steps).tolist() == pytest.approx(
        [np.nan, 170, 170, 160, 160, np.nan], nan_ok=True)


def test_distance_is_summed_along_the_intervals():
    intervals = series([0, 60_000], [60_000, 120_000], [200, 100])
    assert distance_along(np.array([0, 30_000, 60_000, 90_000, 200_000]), intervals).tolist() \
        == pytest.approx([0, 100, 200, 250, 300])


def piece(content: dict) -> bytes:
    return encode(WORKOUT_MAGIC, content)


@pytest.mark.parametrize("content", [
    {},
    {"workout": {"attributes": {}}},
    {"workout": {"attributes": {}, "metadata": {}, "events": ["x"], "statistics": [],
                 "legs": []}, "records": {}, "sources": [], "routes": [], "notes": []},
])
def test_tampered_workout_pieces_are_rejected_with_one_line(content):
    with pytest.raises(CorruptFile, match="damaged Apple Health workout piece"):
        read_activities(piece(content), "piece")


def test_a_piece_with_unreadable_records_is_rejected():
    content = json.loads(export_piece()[len(WORKOUT_MAGIC):])
    content["records"]["HeartRate"]["start"][0] = "soon"
    with pytest.raises(CorruptFile, match="HeartRate records"):
        read_activities(piece(content), "piece")


def export_piece() -> bytes:
    """The bytes of the one workout piece of a small export (no route)."""
    run = Workout("Running", dt.datetime(2026, 9, 7, 7, 0, tzinfo=dt.timezone(
        dt.timedelta(hours=2))), minutes=5, route=False)
    xml = export_files([run])[f"{FOLDER}/export.xml"]
    source = apple.ExportSource("export.xml", len(xml), lambda: io.BytesIO(xml),
                                lambda reference: b"")
    for _, load in apple.pieces(source, []):
        return load()  # while the pass's spool is open
    raise AssertionError("no piece")


def test_pieces_are_recognised_by_their_first_line():
    data = export_piece()
    assert sniff(data) == "apple_health"
    assert len(read_activities(data, "piece")) == 1
    batch = read_wellness(encode(WELLNESS_MAGIC, {"days": {"2026-09-08": {
        "resting_hr_bpm": 50, "hrv_sdnn_ms": 500}}, "asleep": []}))
    assert batch.source == "apple_health"
    assert batch.days[0].values == {"resting_hr_bpm": 50.0}  # 500 ms SDNN is implausible
    with pytest.raises(CorruptFile, match="damaged Apple Health wellness piece"):
        read_wellness(encode(WELLNESS_MAGIC, {"days": [], "asleep": [[1]]}))


def peak_of_a_pass(tmp_path: Path, days: int) -> tuple[int, int]:
    """(peak traced bytes, export.xml bytes) of one pass over ``days`` of all-day records."""
    path = tmp_path / f"{days}.xml"
    with open(path, "w", encoding="utf-8") as out:
        out.write(DOCTYPE.replace("{exported}", "2026-09-12 08:00:00 +0200"))
        background_records([dt.date(2026, 1, 1) + dt.timedelta(days=d) for d in range(days)],
                           out)
        out.write("</HealthData>\n")
    tracemalloc.start()
    try:
        assert [name for name, _ in apple.pieces(apple.folder_source(path), [])] == []
        return tracemalloc.get_traced_memory()[1], path.stat().st_size
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_export(tmp_path, monkeypatch):
    """Beyond the spool's write buffer (made small here, so that both exports fill it),
    nothing read is kept in memory."""
    monkeypatch.setattr(spool, "BATCH", 500)
    small, _ = peak_of_a_pass(tmp_path, 2)
    large, size = peak_of_a_pass(tmp_path, 30)
    assert size > 20 * 2**20  # 15 times the small one
    assert large < small + 2**20 and large < 8 * 2**20
