"""TCX reader: hand-built documents with hand-computed expectations."""

from __future__ import annotations

import datetime as dt

import pytest
from xml_docs import tcx_activity, tcx_doc, tcx_lap, tcx_point

from ingest.errors import NotAnActivity, UnsafeInput
from ingest.reader import read_activities
from ingest.tcx import parse_tcx

A = (46.0, 14.0)
B = (46.001, 14.001)
START = dt.datetime(2024, 3, 10, 8, tzinfo=dt.UTC)
T0_MS = 1_710_057_600_000


def at(seconds: float, offset: str = "Z") -> str:
    """ISO time ``seconds`` after :data:`START`, written with the given UTC ``offset``."""
    if offset == "Z":
        return (START + dt.timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")
    sign, hours, minutes = offset[0], int(offset[1:3]), int(offset[4:6])
    delta = dt.timedelta(hours=hours, minutes=minutes) * (1 if sign == "+" else -1)
    local = (START + dt.timedelta(seconds=seconds)).astimezone(dt.timezone(delta))
    return local.isoformat()


def epoch_ms(activity) -> list[int]:
    return activity.samples["timestamp"].dt.epoch("ms").to_list()


def running_doc(**doc_options: bool) -> str:
    """Two laps of a run with RunCadence/Speed in TPX and lap totals (see the test below)."""
    lap1 = tcx_lap(
        at(0),
        [
            tcx_point(at(0), *A, altitude=10.0, distance=0.0, hr=138, tpx=_tpx(2.4, 84)),
            tcx_point(at(60), *B, altitude=11.0, distance=150.0, hr=142, tpx=_tpx(2.6, 86)),
        ],
        total_s=120.0,
        distance=300.0,
        calories=20,
        avg_hr=140,
        max_hr=150,
        lx="<ns3:AvgSpeed>2.5</ns3:AvgSpeed><ns3:AvgRunCadence>85</ns3:AvgRunCadence>",
    )
    lap2 = tcx_lap(
        at(120),
        [tcx_point(at(150), *A, distance=420.0, hr=165, tpx="<ns3:RunCadence>90</ns3:RunCadence>")],
        total_s=60.0,
        distance=200.0,
        calories=10,
        avg_hr=160,
        max_hr=170,
    )
    activity = tcx_activity("Running", lap1, lap2, device="Forerunner 245", activity_id=at(0))
    return tcx_doc(activity, **doc_options)


def _tpx(speed: float, run_cadence: float) -> str:
    return f"<ns3:Speed>{speed}</ns3:Speed><ns3:RunCadence>{run_cadence}</ns3:RunCadence>"


def test_running_with_runcadence_speed_and_laps():
    (activity,) = parse_tcx(running_doc().encode())
    samples = activity.samples
    assert epoch_ms(activity) == [T0_MS, T0_MS + 60_000, T0_MS + 150_000]
    assert samples["lat_deg"].to_list() == [A[0], B[0], A[0]]
    assert samples["lon_deg"].to_list() == [A[1], B[1], A[1]]
    assert samples["altitude_m"].to_list() == [10.0, 11.0, None]
    assert samples["distance_m"].to_list() == [0.0, 150.0, 420.0]
    assert samples["heart_rate_bpm"].to_list() == [138.0, 142.0, 165.0]
    assert samples["cadence_spm"].to_list() == [168.0, 172.0, 180.0]  # strides x 2
    assert samples["cadence_rpm"].null_count() == 3
    assert samples["speed_m_s"].to_list() == [2.4, 2.6, None]
    summary = activity.summary
    assert summary.format == "tcx"
    assert summary.sport == "running"
    assert summary.device == "Forerunner 245"
    assert summary.start_time == START
    assert summary.local_offset_s is None
    assert summary.timer_time_s == 180.0
    assert summary.duration_s == 180.0  # lap 2 starts at 120 s and its timer runs 60 s
    assert summary.distance_m == 500.0
    assert summary.calories_kcal == 30.0
    assert summary.avg_hr_bpm == pytest.approx((140 * 120 + 160 * 60) / 180)
    assert summary.max_hr_bpm == 170.0
    assert activity.warnings == []


def test_laps_are_read():
    (activity,) = parse_tcx(running_doc().encode())
    first, second = activity.laps
    assert first.start_time == START
    assert (first.timer_s, first.distance_m, first.avg_hr_bpm, first.max_hr_bpm) == (
        120.0,
        300.0,
        140.0,
        150.0,
    )
    assert first.avg_cadence_spm == 170.0
    assert first.avg_speed_m_s == 2.5
    assert second.start_time == START + dt.timedelta(seconds=120)
    assert (second.timer_s, second.distance_m, second.avg_cadence_spm) == (60.0, 200.0, None)


def test_read_activities_keeps_lap_totals_and_derives_cadence():
    (activity,) = read_activities(running_doc().encode())
    summary = activity.summary
    assert summary.distance_m == 500.0
    assert summary.timer_time_s == 180.0
    assert summary.avg_cadence_spm == pytest.approx((168 + 172 + 180) / 3)
    assert activity.samples["elapsed_s"].to_list() == [0.0, 60.0, 150.0]


def test_unbound_prefixes_are_recovered():
    doc = running_doc(declare_ns3=False)
    doc = doc.replace(' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"', "")
    assert "xmlns:ns3" not in doc and "xmlns:xsi" not in doc
    (activity,) = parse_tcx(doc.encode())
    assert activity.samples["cadence_spm"].to_list() == [168.0, 172.0, 180.0]
    assert activity.samples["speed_m_s"].to_list() == [2.4, 2.6, None]
    assert activity.summary.device == "Forerunner 245"


def test_biking_cadence_is_rpm_and_watts_are_power():
    lap = tcx_lap(
        at(0),
        [
            tcx_point(at(0), *A, hr=120, cadence=88, tpx="<ns3:Watts>210</ns3:Watts>"),
            tcx_point(at(1), *B, hr=121, cadence=92, tpx="<ns3:Watts>230</ns3:Watts>"),
        ],
        total_s=1.0,
    )
    (activity,) = parse_tcx(tcx_doc(tcx_activity("Biking", lap)).encode())
    assert activity.summary.sport == "cycling"
    assert activity.samples["cadence_rpm"].to_list() == [88.0, 92.0]
    assert activity.samples["cadence_spm"].null_count() == 2
    assert activity.samples["power_w"].to_list() == [210.0, 230.0]
    assert activity.summary.device is None


def test_running_plain_cadence_is_strides_doubled():
    lap = tcx_lap(at(0), [tcx_point(at(0), cadence=56), tcx_point(at(1), cadence=0)], total_s=1)
    lap = lap.replace("<Intensity>", "<Cadence>60</Cadence><Intensity>")
    (activity,) = parse_tcx(tcx_doc(tcx_activity("Running", lap)).encode())
    assert activity.samples["cadence_spm"].to_list() == [112.0, 0.0]
    assert activity.laps[0].avg_cadence_spm == 120.0


def test_other_sport_keeps_cadence_as_rpm_and_runcadence_as_steps():
    point = tcx_point(at(0), cadence=40, tpx="<ns3:RunCadence>75</ns3:RunCadence>")
    (activity,) = parse_tcx(tcx_doc(tcx_activity("Other", tcx_lap(at(0), [point]))).encode())
    assert activity.summary.sport == "other"
    assert activity.samples["cadence_rpm"].to_list() == [40.0]
    assert activity.samples["cadence_spm"].to_list() == [150.0]


def test_stated_utc_offset_is_the_local_offset():
    lap = tcx_lap(at(0, "+01:00"), [tcx_point(at(0, "+01:00"), hr=100)], total_s=1)
    doc = tcx_doc(tcx_activity("Biking", lap, activity_id=at(0, "+01:00")))
    (activity,) = parse_tcx(doc.encode())
    assert at(0, "+01:00") == "2024-03-10T09:00:00+01:00"
    assert activity.summary.local_offset_s == 3600
    assert activity.summary.start_time == START
    assert epoch_ms(activity) == [T0_MS]


def test_trackpoints_without_time_or_position_are_handled():
    points = [
        tcx_point(at(0), "no", "undefined", hr=121),
        tcx_point(at(1), *B, hr=122),
        tcx_point(at(2), hr=123).replace(f"<Time>{at(2)}</Time>", ""),
    ]
    (activity,) = parse_tcx(tcx_doc(tcx_activity("Running", tcx_lap(at(0), points))).encode())
    assert activity.samples["lat_deg"].to_list() == [None, B[0]]
    assert activity.samples["heart_rate_bpm"].to_list() == [121.0, 122.0]
    assert activity.warnings == [
        "dropped 1 trackpoints without a readable time",
        "1 trackpoints had an unreadable position",
    ]


def test_laps_without_trackpoints_give_a_summary_only_activity():
    lap1 = tcx_lap(at(0), [], total_s=1200.0, distance=3000.0, avg_hr=130, max_hr=140)
    lap2 = tcx_lap(at(1300), [], total_s=600.0, distance=2000.0, avg_hr=145, max_hr=160)
    (activity,) = read_activities(tcx_doc(tcx_activity("Running", lap1, lap2)).encode())
    summary = activity.summary
    assert activity.samples.height == 0
    assert summary.start_time == START
    assert summary.timer_time_s == 1800.0
    assert summary.duration_s == 1900.0
    assert summary.distance_m == 5000.0
    assert summary.avg_hr_bpm == pytest.approx((130 * 1200 + 145 * 600) / 1800)
    assert summary.max_hr_bpm == 160.0


def test_overlapping_laps_do_not_double_count():
    points = [tcx_point(at(0), *A, distance=0.0), tcx_point(at(10), *B, distance=40.0)]
    lap = tcx_lap(at(0), points, total_s=10.0, distance=40.0, calories=5)
    (activity,) = parse_tcx(tcx_doc(tcx_activity("Biking", lap, lap)).encode())
    summary = activity.summary
    assert summary.timer_time_s is None
    assert summary.distance_m is None
    assert summary.calories_kcal is None
    assert summary.duration_s == 10.0
    assert activity.samples.height == 4
    assert activity.warnings[0].startswith("laps overlap in time")


def test_one_activity_per_activity_element():
    run = tcx_activity("Running", tcx_lap(at(0), [tcx_point(at(0), hr=150)], total_s=1))
    ride = tcx_activity("Biking", tcx_lap(at(3600), [tcx_point(at(3600), hr=130)], total_s=1))
    activities = parse_tcx(tcx_doc(run, ride).encode())
    assert [a.summary.sport for a in activities] == ["running", "cycling"]
    assert [a.summary.session_index for a in activities] == [0, 1]
    assert [epoch_ms(a) for a in activities] == [[T0_MS], [T0_MS + 3_600_000]]


@pytest.mark.parametrize(
    "laps",
    [(), (tcx_lap(at(0), [tcx_point("not a time", hr=140)], total_s="NaN"),)],
    ids=["no-laps", "lap-without-totals"],
)
def test_activity_without_trackpoints_or_lap_totals_is_rejected(laps):
    with pytest.raises(NotAnActivity, match="no trackpoints with a time and no laps with totals"):
        parse_tcx(tcx_doc(tcx_activity("Running", *laps)).encode())


def test_course_file_is_rejected():
    doc = tcx_doc().replace(
        "<Activities></Activities>",
        f"<Courses><Course><Name>loop</Name><Track>{tcx_point(at(0), *A)}</Track></Course>"
        "</Courses>",
    )
    with pytest.raises(NotAnActivity, match="no activities: a course or workout plan"):
        parse_tcx(doc.encode())


def test_external_entity_is_refused():
    doc = running_doc().replace(
        "<TrainingCenterDatabase",
        '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><TrainingCenterDatabase',
    )
    doc = doc.replace("<Name>Forerunner 245</Name>", "<Name>&xxe;</Name>")
    with pytest.raises(UnsafeInput) as info:
        parse_tcx(doc.encode())
    assert "root:" not in str(info.value)
