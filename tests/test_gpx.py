"""GPX reader and safe XML parsing: hand-built documents with hand-computed expectations."""

from __future__ import annotations

import datetime as dt
from xml.etree.ElementTree import ParseError

import numpy as np
import pytest
from xml_docs import GPXDATA_NS, TPX_V1_NS, TPX_V2_NS, gpx_doc, gpx_point, gpx_track, tpx

from ingest.derive import haversine_m
from ingest.errors import CorruptFile, NotAnActivity, UnsafeInput
from ingest.gpx import parse_gpx, sport_from_type
from ingest.reader import read_activities
from ingest.xmlsafe import UNSAFE_DECLARATION, declare_missing_prefixes, parse_time

A = (46.0, 14.0)
B = (46.001, 14.001)
T0 = "2024-03-10T08:00:00Z"
T0_MS = 1_710_057_600_000


def at(seconds: float) -> str:
    """ISO time ``seconds`` after :data:`T0`."""
    stamp = dt.datetime(2024, 3, 10, 8, tzinfo=dt.UTC) + dt.timedelta(seconds=seconds)
    return stamp.isoformat().replace("+00:00", "Z")


def distance_ab() -> float:
    return float(haversine_m(np.array(A[0]), np.array(A[1]), np.array(B[0]), np.array(B[1])))


def epoch_ms(activity) -> list[int]:
    return activity.samples["timestamp"].dt.epoch("ms").to_list()


def one(data: str | bytes):
    activities = parse_gpx(data.encode() if isinstance(data, str) else data)
    assert len(activities) == 1
    return activities[0]


def test_gpx11_trackpointextension_v1_hr_and_running_cadence_doubled():
    doc = gpx_doc(
        gpx_track(
            [
                gpx_point(*A, at(0), ele=512.5, extensions=tpx(hr=140, cad=85)),
                gpx_point(*B, at(10), ele=514.0, extensions=tpx(hr=151, cad=86)),
            ],
            sport="running",
        ),
        creator="Garmin Connect",
    )
    activity = one(doc)
    samples = activity.samples
    assert epoch_ms(activity) == [T0_MS, T0_MS + 10_000]
    assert samples["lat_deg"].to_list() == [A[0], B[0]]
    assert samples["lon_deg"].to_list() == [A[1], B[1]]
    assert samples["altitude_m"].to_list() == [512.5, 514.0]
    assert samples["heart_rate_bpm"].to_list() == [140.0, 151.0]
    assert samples["cadence_spm"].to_list() == [170.0, 172.0]
    assert samples["cadence_rpm"].null_count() == 2
    summary = activity.summary
    assert summary.format == "gpx"
    assert summary.sport == "running"
    assert summary.device == "Garmin Connect"
    assert summary.start_time == dt.datetime(2024, 3, 10, 8, tzinfo=dt.UTC)
    assert summary.local_offset_s is None
    assert activity.warnings == []


def test_read_activities_derives_distance_from_two_known_points():
    doc = gpx_doc(gpx_track([gpx_point(*A, at(0)), gpx_point(*B, at(10))], sport="run"))
    (activity,) = read_activities(doc.encode())
    assert activity.summary.distance_m == pytest.approx(distance_ab(), rel=1e-9)
    assert activity.summary.duration_s == pytest.approx(10.0)
    assert activity.samples["distance_m"].to_list() == pytest.approx([0.0, distance_ab()])


def test_gpx10_times_with_fraction_and_offset_are_utc():
    doc = gpx_doc(
        gpx_track(
            [
                gpx_point(*A, "2010-08-05T16:22:52.25+02:00", ele=556.7),
                gpx_point(*B, "2010-08-05T14:23:02Z", ele=559.1),
            ]
        ),
        version="1.0",
        namespaces={},
    )
    activity = one(doc)
    start = dt.datetime(2010, 8, 5, 14, 22, 52, 250_000, tzinfo=dt.UTC)
    assert activity.summary.start_time == start
    first_ms = int(start.timestamp() * 1000)
    assert epoch_ms(activity) == [first_ms, first_ms + 9_750]
    assert activity.samples["altitude_m"].to_list() == [556.7, 559.1]
    assert activity.summary.sport == "unknown"


def test_trackpointextension_v2_cycling_cadence_is_rpm():
    doc = gpx_doc(
        gpx_track(
            [
                gpx_point(*A, at(0), extensions=tpx("ns3", hr=120, cad=88)),
                gpx_point(*B, at(1), extensions=tpx("ns3", hr=122, cad=91)),
            ],
            sport="cycling",
        ),
        namespaces={"ns3": TPX_V2_NS},
    )
    samples = one(doc).samples
    assert samples["heart_rate_bpm"].to_list() == [120.0, 122.0]
    assert samples["cadence_rpm"].to_list() == [88.0, 91.0]
    assert samples["cadence_spm"].null_count() == 2


def test_power_and_temperature_from_several_extension_styles():
    strava = tpx(hr=117, cad=85, atemp=22) + "<power>250</power>"
    apple = "<gpxtpx:PowerExtension><gpxtpx:PowerInWatts>310</gpxtpx:PowerInWatts>"
    apple += "</gpxtpx:PowerExtension>" + tpx(wtemp=16.5)
    cluetrust = "<gpxdata:hr>150</gpxdata:hr><gpxdata:cadence>80</gpxdata:cadence>"
    cluetrust += "<gpxdata:temp>12.5</gpxdata:temp>"
    doc = gpx_doc(
        gpx_track(
            [
                gpx_point(*A, at(0), extensions=strava),
                gpx_point(*A, at(1), extensions=apple),
                gpx_point(*A, at(2), extensions=cluetrust),
            ]
        ),
        namespaces={"gpxtpx": TPX_V1_NS, "gpxdata": GPXDATA_NS},
    )
    samples = one(doc).samples
    assert samples["power_w"].to_list() == [250.0, 310.0, None]
    assert samples["temperature_c"].to_list() == [22.0, 16.5, 12.5]
    assert samples["heart_rate_bpm"].to_list() == [117.0, None, 150.0]
    assert samples["cadence_spm"].to_list() == [170.0, None, 160.0]


def test_missing_and_non_numeric_values_become_null():
    doc = gpx_doc(
        gpx_track(
            [
                gpx_point(*A, at(0), ele=100, extensions=tpx(hr=140)),
                gpx_point(*A, at(1), ele="bad data"),
                gpx_point(*A, at(2), ele=102, extensions=tpx(hr="abc", cad="NaN")),
            ]
        )
    )
    samples = one(doc).samples
    assert samples["heart_rate_bpm"].to_list() == [140.0, None, None]
    assert samples["altitude_m"].to_list() == [100.0, None, 102.0]
    assert samples["cadence_spm"].null_count() == 3
    assert samples["power_w"].null_count() == 3


def test_tracks_and_segments_concatenate_in_time_order():
    later = gpx_track([gpx_point(*B, at(30)), gpx_point(*A, at(40))])
    earlier = gpx_track(
        [gpx_point(*A, at(0)), gpx_point(*B, at(10))], [gpx_point(*A, at(20))], sport="running"
    )
    activity = one(gpx_doc(later, earlier))
    assert epoch_ms(activity) == [T0_MS + 10_000 * i for i in range(5)]
    assert activity.samples["lat_deg"].to_list() == [A[0], B[0], A[0], B[0], A[0]]
    assert activity.summary.sport == "running"
    assert activity.warnings == []


@pytest.mark.parametrize(("gap_h", "n_activities"), [(5, 1), (7, 2)])
def test_tracks_more_than_six_hours_apart_are_separate_activities(gap_h, n_activities):
    gap_s = gap_h * 3600
    doc = gpx_doc(
        gpx_track([gpx_point(*A, at(0)), gpx_point(*B, at(60))], sport="running"),
        gpx_track([gpx_point(*A, at(60 + gap_s)), gpx_point(*B, at(120 + gap_s))], sport="1"),
    )
    activities = parse_gpx(doc.encode())
    assert len(activities) == n_activities
    assert [a.summary.session_index for a in activities] == list(range(n_activities))
    assert sum(a.samples.height for a in activities) == 4
    if n_activities == 2:
        assert [a.summary.sport for a in activities] == ["running", "cycling"]
        assert epoch_ms(activities[1])[0] == T0_MS + (60 + gap_s) * 1000


def test_points_out_of_order_are_sorted_with_a_warning():
    doc = gpx_doc(gpx_track([gpx_point(*A, at(10)), gpx_point(*B, at(0))]))
    activity = one(doc)
    assert epoch_ms(activity) == [T0_MS, T0_MS + 10_000]
    assert activity.samples["lat_deg"].to_list() == [B[0], A[0]]
    assert activity.warnings == ["track points were out of time order: sorted by time"]


def test_time_jump_of_three_days_inside_one_track():
    three_days = 3 * 86_400
    doc = gpx_doc(
        gpx_track(
            [
                gpx_point(*A, at(0)),
                gpx_point(*B, at(10)),
                gpx_point(*B, at(three_days)),
                gpx_point(*A, at(three_days + 10)),
            ]
        )
    )
    (activity,) = read_activities(doc.encode())
    assert activity.samples["elapsed_s"].to_list() == [0.0, 10.0, three_days, three_days + 10.0]
    assert activity.summary.duration_s == three_days + 10.0
    assert activity.summary.distance_m == pytest.approx(2 * distance_ab(), rel=1e-9)


def test_undeclared_namespace_prefix_is_recovered():
    doc = gpx_doc(gpx_track([gpx_point(*A, at(0), extensions=tpx(hr=133, cad=90))]), namespaces={})
    assert "xmlns:gpxtpx" not in doc
    samples = one(doc).samples
    assert samples["heart_rate_bpm"].to_list() == [133.0]
    assert samples["cadence_spm"].to_list() == [180.0]


def test_declare_missing_prefixes_only_adds_what_is_missing():
    text = b'<?xml version="1.0"?>\n<!-- c --><gpx xmlns:a="u"><a:x/><b:y c:z="1"/></gpx>'
    patched = declare_missing_prefixes(text)
    assert patched == text.replace(
        b'<gpx xmlns:a="u">',
        b'<gpx xmlns:b="urn:undeclared:b" xmlns:c="urn:undeclared:c" xmlns:a="u">',
    )
    assert declare_missing_prefixes(patched) == patched


def test_bom_and_whitespace_before_the_declaration():
    doc = gpx_doc(gpx_track([gpx_point(*A, at(0), extensions=tpx(hr=99))]))
    activity = one(b"\xef\xbb\xbf \r\n\t" + doc.encode())
    assert activity.samples["heart_rate_bpm"].to_list() == [99.0]


def test_route_without_timestamps_is_rejected():
    doc = gpx_doc(gpx_track([gpx_point(*A), gpx_point(*B)]))
    with pytest.raises(NotAnActivity) as info:
        parse_gpx(doc.encode())
    assert info.value.reason == "no timestamps: a route or plan, not a recorded activity"


@pytest.mark.parametrize(
    "body",
    [
        "<trk><trkseg></trkseg></trk>",
        '<rte><rtept lat="46.0" lon="14.0"><time>2024-03-10T08:00:00Z</time></rtept></rte>',
    ],
    ids=["empty-trk", "route-only"],
)
def test_file_without_track_points_is_rejected(body):
    with pytest.raises(NotAnActivity, match="^no track points"):
        parse_gpx(gpx_doc(body).encode())


def test_points_without_time_are_dropped_with_a_warning():
    doc = gpx_doc(
        gpx_track([gpx_point(*A, at(0)), gpx_point(*B), gpx_point(*B, at(5))]),
        gpx_track([gpx_point(*A), gpx_point(*B, "not a time")]),
    )
    activity = one(doc)
    assert epoch_ms(activity) == [T0_MS, T0_MS + 5_000]
    assert activity.samples["lat_deg"].to_list() == [A[0], B[0]]
    assert activity.warnings == ["dropped 3 of 5 track points without a readable time"]


def test_all_points_on_one_timestamp_is_rejected():
    stamp = "1901-12-13T20:45:52.2073437Z"
    doc = gpx_doc(gpx_track([gpx_point(*A, stamp), gpx_point(*B, stamp)]))
    with pytest.raises(NotAnActivity, match=r"all 2 track points share one timestamp \(1901-12-13"):
        parse_gpx(doc.encode())


def test_undefined_position_becomes_null_with_a_warning():
    doc = gpx_doc(
        gpx_track(
            [
                gpx_point("undefined", "undefined", at(0), ele=10, extensions=tpx(hr=120)),
                gpx_point(*B, at(1), ele=11, extensions=tpx(hr=121)),
            ]
        )
    )
    activity = one(doc)
    assert activity.samples["lat_deg"].to_list() == [None, B[0]]
    assert activity.samples["lon_deg"].to_list() == [None, B[1]]
    assert activity.samples["heart_rate_bpm"].to_list() == [120.0, 121.0]
    assert activity.warnings == ['1 track points had no valid position (e.g. lat="undefined")']


def test_all_zero_heart_rate_ends_up_null_with_a_warning():
    points = [gpx_point(*A, at(i), extensions=tpx(hr=0, cad=80)) for i in range(5)]
    (activity,) = read_activities(gpx_doc(gpx_track(points, sport="running")).encode())
    assert activity.samples["heart_rate_bpm"].null_count() == 5
    assert activity.samples["cadence_spm"].to_list() == [160.0] * 5
    assert activity.summary.avg_hr_bpm is None
    assert any(w.startswith("heart rate was invalid in every sample") for w in activity.warnings)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<gpx version="1.1" creator="&lol9;" xmlns="http://www.topografix.com/GPX/1/1">
<trk><trkseg><trkpt lat="46" lon="14"><time>2024-03-10T08:00:00Z</time></trkpt></trkseg></trk>
</gpx>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1"
 xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
<trk><name>&xxe;</name><trkseg><trkpt lat="46" lon="14"><time>2024-03-10T08:00:00Z</time>
<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>&xxe;</gpxtpx:hr></gpxtpx:TrackPointExtension>
</extensions></trkpt></trkseg></trk>
</gpx>"""


def error_chain_text(error: BaseException) -> str:
    """Every message and representation along the exception chain, joined."""
    parts = []
    while error is not None:
        parts += [str(error), repr(error), repr(error.args)]
        error = error.__cause__ or error.__context__
    return "\n".join(parts)


def test_billion_laughs_is_refused():
    with pytest.raises(UnsafeInput, match="entity declarations are not allowed") as info:
        read_activities(BILLION_LAUGHS, name="bomb.gpx")
    assert str(info.value).startswith("bomb.gpx: XML DTD and entity declarations")
    assert "lollol" not in error_chain_text(info.value)


def test_external_entity_is_refused_without_reading_the_file():
    with pytest.raises(UnsafeInput) as info:
        read_activities(XXE)
    text = error_chain_text(info.value)
    assert "root:" not in text
    assert "/bin/" not in text
    assert info.value.reason == UNSAFE_DECLARATION


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            b'\xef\xbb\xbf<?xml version="1.0"?>\n<gpx><trk></gpx>',
            "malformed XML: mismatched tag: line 2, column 12",
        ),
        (  # the column counts the declaration inserted for the unbound prefix x:
            b'<?xml version="1.0"?>\n<gpx><x:trk></gpx>',
            "malformed XML: mismatched tag: line 2, column 41",
        ),
    ],
    ids=["bom", "unbound-prefix"],
)
def test_malformed_xml_is_corrupt_with_cause_and_offset(data, reason):
    with pytest.raises(CorruptFile) as info:
        parse_gpx(data)
    assert info.value.reason == reason
    assert isinstance(info.value.__cause__, ParseError)
    assert data[info.value.offset :] == b"gpx>"


def test_unknown_encoding_is_corrupt():
    with pytest.raises(CorruptFile, match="^unreadable XML: unknown encoding: klingon"):
        parse_gpx(b'<?xml version="1.0" encoding="klingon"?><gpx/>')


@pytest.mark.parametrize(
    ("text", "sport"),
    [
        ("running", "running"),
        ("Run", "running"),
        ("9", "running"),
        ("1", "cycling"),
        ("10", "walking"),
        ("4", "hiking"),
        ("Biking", "cycling"),
        ("mountain biking", "cycling"),
        ("Hiking", "hiking"),
        ("kayak", "unknown"),
        (None, "unknown"),
    ],
)
def test_sport_from_track_type(text, sport):
    assert sport_from_type(text) == sport


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-05-14T14:54:21Z", (1_526_309_661_000, None)),
        ("2018-05-14T14:54:21.985000Z", (1_526_309_661_985, None)),
        ("1901-12-13T20:45:52.2073437Z", (-2_147_483_647_793, None)),
        ("2020-12-27T15:43:49.000+01:00", (1_609_080_229_000, 3600)),
        ("2018-05-14T14:54:21", (1_526_309_661_000, None)),
        ("9999-12-31T23:59:59-12:00", None),  # beyond the largest datetime once in UTC
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text) == expected
