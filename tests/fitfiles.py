"""FIT test files written the way devices write them.

``encode`` uses Garmin's own encoder (garmin-fit-sdk), independent of the decoders under test.
``RawFit`` writes what that encoder cannot: compressed-timestamp headers, big-endian messages,
field sizes that do not fit their type, arbitrary bytes. Values given to ``RawFit`` are raw
(already scaled) integers.
"""

from __future__ import annotations

import datetime as dt
import math
import struct

from garmin_fit_sdk import Encoder, Profile

from ingest.fit.crc import fit_crc

FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)
MESG = Profile["mesg_num"]


def fit_seconds(moment: dt.datetime) -> int:
    return int((moment - FIT_EPOCH).total_seconds())


def semicircles(degrees: float) -> int:
    return round(degrees * 2**31 / 180)


def encode(messages: list[tuple[str, dict]], encoder: Encoder | None = None) -> bytes:
    """FIT bytes for ``[(message_name, fields), ...]`` in physical units, via garmin-fit-sdk."""
    encoder = encoder or Encoder()
    for name, fields in messages:
        encoder.on_mesg(MESG[name.upper()], fields)
    return encoder.close()


def run_messages(
    start: dt.datetime,
    seconds: int = 600,
    sport: str = "running",
    speed: float = 3.0,
    strides: int = 85,
    fraction: float = 0.5,
    heart_rate: int | None = 140,
    local_offset_s: int | None = 3600,
    lat0: float = 52.5,
    lon0: float = 13.4,
    session: bool = True,
    timer_s: float | None = None,
) -> list[tuple[str, dict]]:
    """A 1 Hz recording heading north at constant speed, as a Garmin watch writes it
    (``timer_s``: the timer time it reports, default the elapsed time)."""
    msgs: list[tuple[str, dict]] = [
        ("file_id", {"type": "activity", "manufacturer": "garmin", "product": 4024,
                     "time_created": start, "serial_number": 3900001}),
        ("device_info", {"timestamp": start, "device_index": "creator", "manufacturer": "garmin",
                         "product": 4024}),
        ("event", {"timestamp": start, "event": "timer", "event_type": "start"}),
    ]
    metres_per_degree = math.pi * 6_371_008.8 / 180
    for i in range(seconds):
        fields = {
            "timestamp": start + dt.timedelta(seconds=i),
            "position_lat": semicircles(lat0 + speed * i / metres_per_degree),
            "position_long": semicircles(lon0),
            "distance": speed * i,
            "enhanced_speed": speed,
            "enhanced_altitude": 40.0 + (i % 20) * 0.2,
            "cadence": strides,
            "fractional_cadence": fraction,
        }
        if heart_rate is not None:
            fields["heart_rate"] = heart_rate
        msgs.append(("record", fields))
    end = start + dt.timedelta(seconds=seconds - 1)
    msgs.append(("event", {"timestamp": end, "event": "timer", "event_type": "stop_all"}))
    timer = seconds - 1.0 if timer_s is None else timer_s
    totals = {"start_time": start, "timestamp": end, "total_elapsed_time": seconds - 1.0,
              "total_timer_time": timer, "total_distance": speed * (seconds - 1),
              "avg_cadence": strides, "avg_fractional_cadence": fraction,
              "enhanced_avg_speed": speed}
    if heart_rate is not None:
        totals |= {"avg_heart_rate": heart_rate, "max_heart_rate": heart_rate}
    msgs.append(("lap", dict(totals, event="lap", event_type="stop", sport=sport)))
    if session:
        msgs.append(("session", dict(totals, sport=sport, event="session", event_type="stop")))
    activity = {"timestamp": end, "num_sessions": 1, "type": "manual", "event": "activity",
                "event_type": "stop", "total_timer_time": timer}
    if local_offset_s is not None:
        activity["local_timestamp"] = fit_seconds(end) + local_offset_s
    msgs.append(("activity", activity))
    return msgs


def run_fit(start: dt.datetime, **options) -> bytes:
    return encode(run_messages(start, **options))


# -- raw writer ------------------------------------------------------------------------------
BASE_TYPES = {  # name -> (number, struct code, size)
    "enum": (0x00, "B"), "sint8": (0x01, "b"), "uint8": (0x02, "B"), "sint16": (0x83, "h"),
    "uint16": (0x84, "H"), "sint32": (0x85, "i"), "uint32": (0x86, "I"), "string": (0x07, "s"),
    "float32": (0x88, "f"), "byte": (0x0D, "B"), "uint8z": (0x0A, "B"),
    "float64": (0x89, "d"), "uint16z": (0x8B, "H"), "uint32z": (0x8C, "I"), "sint64": (0x8E, "q"),
    "uint64": (0x8F, "Q"), "uint64z": (0x90, "Q"),
}


class RawFit:
    """Write FIT records byte by byte: definitions, data, compressed timestamps, any endianness."""

    def __init__(self) -> None:
        self.body = bytearray()
        self.layouts: dict[int, tuple[str, list[tuple[int, int, str]]]] = {}

    def define(self, local: int, global_num: int, fields: list[tuple[int, int, str]],
               big_endian: bool = False, dev_fields: list[tuple[int, int, int]] = ()) -> RawFit:
        """fields: (field number, size in bytes, base type name); dev: (num, size, dev index)."""
        endian = ">" if big_endian else "<"
        header = 0x40 | local | (0x20 if dev_fields else 0)
        self.body += struct.pack(endian + "BBBHB", header, 0, int(big_endian), global_num,
                                 len(fields))
        for num, size, base in fields:
            self.body += bytes((num, size, BASE_TYPES[base][0]))
        if dev_fields:
            self.body += bytes((len(dev_fields),))
            for num, size, index in dev_fields:
                self.body += bytes((num, size, index))
        dev = [(n, s, "byte") for n, s, _ in dev_fields]
        self.layouts[local] = (endian, list(fields) + dev)
        return self

    def data(self, local: int, values: list, time_offset: int | None = None) -> RawFit:
        """values: one per field (ints, bytes for 'byte'/'string'); compressed if time_offset."""
        if time_offset is None:
            self.body.append(local)
        else:
            self.body.append(0x80 | (local << 5) | (time_offset & 0x1F))
        endian, fields = self.layouts[local]
        for (_, size, base), value in zip(fields, values, strict=True):
            if isinstance(value, bytes | bytearray):
                self.body += bytes(value).ljust(size, b"\x00")[:size]
            else:
                self.body += struct.pack(endian + BASE_TYPES[base][1], value)
        return self

    def to_bytes(self, header_size: int = 14) -> bytes:
        header = bytearray(struct.pack("<BBHI4s", header_size, 0x20, 2132, len(self.body),
                                       b".FIT"))
        if header_size == 14:
            header += struct.pack("<H", fit_crc(header))
        data = bytes(header) + bytes(self.body)
        return data + struct.pack("<H", fit_crc(data))


# -- a catalogue of FIT files ------------------------------------------------------------------
# FIT profile numbers (FIT SDK Profile.xlsx) of the byte-level files below.
FILE_ID, SESSION, RECORD, EVENT, ACTIVITY = 0, 18, 20, 21, 34
FILE_ID_FIELDS = [(0, 1, "enum"), (1, 2, "uint16"), (2, 2, "uint16")]
GARMIN_ACTIVITY = [4, 1, 4024]  # type=activity, manufacturer=garmin, product


def raw_run(start: dt.datetime, records: int = 10, first_hr: int = 120) -> RawFit:
    """file_id + records with timestamp and heart rate, written byte by byte."""
    raw = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    raw.define(1, RECORD, [(253, 4, "uint32"), (3, 1, "uint8")])
    for i in range(records):
        raw.data(1, [fit_seconds(start) + i, first_hr + i])
    return raw


def compressed_speed_distance(start: dt.datetime) -> bytes:
    """Records with only ``compressed_speed_distance`` (byte[3]: 12 bits speed x 100, 12 bits
    distance x 16, the distance a rolling counter), as old Forerunners write them.

    Distances 4000, 4090, 10 (rolled over: 4106), 100 (4196) /16 m; then a new definition,
    which restarts the counter at 0: 50 -> 50/16 m.
    """
    raw = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    raw.define(1, RECORD, [(253, 4, "uint32"), (8, 3, "byte")])
    t0 = fit_seconds(start)
    for i, (speed, distance) in enumerate([(325, 4000), (330, 4090), (0xFFF, 10), (300, 100)]):
        raw.data(1, [t0 + i, (speed | distance << 12).to_bytes(3, "little")])
    raw.data(1, [t0 + 4, b"\xff\xff\xff"])  # invalid: no speed, no distance
    raw.define(2, RECORD, [(253, 4, "uint32"), (8, 3, "byte")])
    raw.data(2, [t0 + 5, (310 | 50 << 12).to_bytes(3, "little")])
    return raw.to_bytes()


def components_and_fields(start: dt.datetime) -> bytes:
    """``speed`` and ``altitude`` (whose components are ``enhanced_speed`` and
    ``enhanced_altitude``) next to the enhanced fields themselves, some invalid: a field of the
    message wins over a component of another field, whichever comes first."""
    raw = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    raw.define(1, RECORD, [(253, 4, "uint32"), (73, 4, "uint32"), (6, 2, "uint16"),
                           (2, 2, "uint16"), (78, 4, "uint32")])
    t0 = fit_seconds(start)
    raw.data(1, [t0, 3100, 3000, 2600, 0xFFFFFFFF])  # speed field 3.1 wins; altitude 20 m
    raw.data(1, [t0 + 1, 0xFFFFFFFF, 3000, 0xFFFF, 2700])  # component 3.0; altitude 40 m
    raw.data(1, [t0 + 2, 0xFFFFFFFF, 0xFFFF, 0xFFFF, 0xFFFFFFFF])  # nothing
    return raw.to_bytes()


def interleaved_definitions(start: dt.datetime) -> bytes:
    """Records from two definitions at once, one big-endian, plus compressed timestamps on
    records and events: rows must come out in file order and times must run on."""
    raw = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    raw.define(1, RECORD, [(253, 4, "uint32"), (3, 1, "uint8"), (0, 4, "sint32")])
    raw.define(2, RECORD, [(3, 1, "uint8"), (5, 4, "uint32")], big_endian=True)
    raw.define(3, EVENT, [(0, 1, "enum"), (1, 1, "enum")])
    t0 = fit_seconds(start) // 32 * 32 + 30  # 2 s before a 32-second boundary
    raw.data(1, [t0, 100, semicircles(-33.9)])
    raw.data(2, [101, 250], time_offset=31)  # t0 + 1
    raw.data(3, [0, 0], time_offset=1)  # event at t0 + 3 (rolled over)
    raw.data(2, [102, 500], time_offset=2)  # t0 + 4
    raw.data(1, [t0 + 10, 103, semicircles(-34.0)])  # a full timestamp resets the count
    raw.data(2, [104, 750], time_offset=(t0 + 11) & 0x1F)
    return raw.to_bytes()


def catalogue(start: dt.datetime) -> dict[str, bytes]:
    """Every kind of FIT file the tests write, by name: watch-like files from Garmin's encoder,
    byte-level oddities, damaged and refused files."""
    later = start + dt.timedelta(hours=5)
    bike = run_messages(start, seconds=300, sport="cycling", speed=8.0, strides=90, fraction=0.0)
    run = run_messages(start + dt.timedelta(seconds=300), seconds=200, strides=88, fraction=0.0)
    for _, fields in run:
        if "distance" in fields:
            fields["distance"] += 8.0 * 300
    legs = [m for m in bike + run if m[0] in ("record", "lap", "session")]

    invalid = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    invalid.define(1, RECORD, [(253, 4, "uint32"), (3, 1, "uint8"), (4, 1, "uint8"),
                               (0, 4, "sint32"), (1, 4, "sint32"), (6, 2, "uint16")])
    invalid.data(1, [fit_seconds(start), 0xFF, 0xFF, 0x7FFFFFFF, 0x7FFFFFFF, 0xFFFF])
    invalid.data(1, [fit_seconds(start) + 1, 150, 80, semicircles(48.1), semicircles(11.5), 2500])

    compressed = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    base = fit_seconds(start) // 32 * 32 + 28
    compressed.define(1, RECORD, [(253, 4, "uint32"), (3, 1, "uint8")]).data(1, [base, 100])
    compressed.define(2, RECORD, [(3, 1, "uint8")])
    for offset, hr in ((30, 101), (1, 102), (5, 103)):
        compressed.data(2, [hr], time_offset=offset)

    big = RawFit().define(0, FILE_ID, FILE_ID_FIELDS, big_endian=True).data(0, GARMIN_ACTIVITY)
    big.define(1, RECORD, [(253, 4, "uint32"), (6, 2, "uint16"), (5, 4, "uint32")],
               big_endian=True)
    big.data(1, [fit_seconds(start), 3250, 0]).data(1, [fit_seconds(start) + 1, 3500, 325])

    developer = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    developer.define(1, RECORD, [(253, 4, "uint32"), (3, 1, "uint8")], dev_fields=[(0, 2, 0)])
    for i in range(20):
        developer.data(1, [fit_seconds(start) + i, 130, b"\x01\x02"])

    misaligned = raw_run(start, records=5)
    misaligned.define(2, EVENT, [(253, 4, "uint32"), (0, 1, "enum"), (3, 1, "uint32")])
    misaligned.data(2, [fit_seconds(start), 0, b"\x07"])
    misaligned.data(1, [fit_seconds(start) + 5, 200])

    undefined = bytearray(raw_run(start, records=30).to_bytes())
    undefined[14 + 15 + 6 + 12 + 15 * 6] = 0x0B  # data for local message 11, never defined

    relative = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    relative.define(1, RECORD, [(253, 4, "uint32"), (3, 1, "uint8")])
    for i in range(10):
        relative.data(1, [5000 + i, 110])
    relative.define(2, ACTIVITY, [(253, 4, "uint32"), (5, 4, "uint32")])
    relative.data(2, [5009, fit_seconds(start) + 9])

    untimed = RawFit().define(0, FILE_ID, FILE_ID_FIELDS).data(0, GARMIN_ACTIVITY)
    untimed.define(1, RECORD, [(3, 1, "uint8")]).data(1, [120]).data(1, [121])

    huge = bytearray(raw_run(start).to_bytes())
    struct.pack_into("<I", huge, 4, 0xFFFFFFF0)

    truncated = run_fit(start, seconds=1200)
    bad_crc = bytearray(run_fit(start, seconds=60))
    bad_crc[-1] ^= 0xFF
    return {
        "garmin_run": run_fit(start),
        "cycling": run_fit(start, sport="cycling", speed=8.0),
        "no_local_offset": run_fit(start, local_offset_s=None),
        "invalid_markers": invalid.to_bytes(),
        "compressed_timestamps": compressed.to_bytes(),
        "big_endian": big.to_bytes(),
        "described_developer_fields": encode(
            [("developer_data_id", {"developer_data_index": 0, "application_id": [1] * 16}),
             ("field_description", {"developer_data_index": 0, "field_definition_number": 0,
                                    "fit_base_type_id": 0x88, "field_name": "doughnuts"})]
            + run_messages(start, seconds=30)),
        "undescribed_developer_fields": developer.to_bytes(),
        "chained": run_fit(start, seconds=120) + run_fit(later, seconds=60),
        "multisport": encode(bike[:3] + legs + run[-1:]),
        "settings": encode([("file_id", {"type": "settings", "manufacturer": "garmin",
                                         "product": 1}),
                            ("user_profile", {"weight": 70.0, "gender": "female"})]),
        "session_without_records": encode([
            ("file_id", {"type": "activity", "manufacturer": "garmin", "product": 1}),
            ("session", {"start_time": start, "timestamp": start + dt.timedelta(minutes=30),
                         "sport": "running", "sub_sport": "treadmill", "avg_cadence": 80,
                         "total_elapsed_time": 1800.0, "total_distance": 5000.0}),
        ]),
        "truncated": truncated[:len(truncated) * 6 // 10],
        "crc_mismatch": bytes(bad_crc),
        "misaligned": misaligned.to_bytes(),
        "undefined_local_message": bytes(undefined),
        "relative_timestamps": relative.to_bytes(),
        "no_timestamps": untimed.to_bytes(),
        "huge_declared_size": bytes(huge[:-2]),
        "cut_in_header": b"\x0e\x20\x00\x00\x10\x00\x00\x00.FIT\x00\x00",
        "compressed_speed_distance": compressed_speed_distance(start),
        "components_and_fields": components_and_fields(start),
        "interleaved_definitions": interleaved_definitions(start),
    }


def varied_run_fit(start: dt.datetime, speeds: list[float], sport: str = "running",
                   extra: list[dict] | None = None, heart_rate: int = 140) -> bytes:
    """A 1 Hz run heading north whose speed changes every second (``speeds`` [m/s]); ``extra``
    adds fields to each record (respiration, running dynamics), in physical units."""
    msgs: list[tuple[str, dict]] = [
        ("file_id", {"type": "activity", "manufacturer": "garmin", "product": 4024,
                     "time_created": start, "serial_number": 3900002}),
        ("event", {"timestamp": start, "event": "timer", "event_type": "start"}),
    ]
    metres_per_degree = math.pi * 6_371_008.8 / 180
    distance = 0.0
    for i, speed in enumerate(speeds):
        distance += speed if i else 0.0
        fields = {"timestamp": start + dt.timedelta(seconds=i),
                  "position_lat": semicircles(52.5 + distance / metres_per_degree),
                  "position_long": semicircles(13.4), "distance": distance,
                  "enhanced_speed": speed, "enhanced_altitude": 40.0, "heart_rate": heart_rate,
                  "cadence": 80 + round(4 * speed), "fractional_cadence": 0.0}
        msgs.append(("record", fields | (extra[i] if extra else {})))
    end = start + dt.timedelta(seconds=len(speeds) - 1)
    totals = {"start_time": start, "timestamp": end, "total_elapsed_time": len(speeds) - 1.0,
              "total_timer_time": len(speeds) - 1.0, "total_distance": distance}
    msgs += [("event", {"timestamp": end, "event": "timer", "event_type": "stop_all"}),
             ("lap", dict(totals, event="lap", event_type="stop", sport=sport)),
             ("session", dict(totals, sport=sport, event="session", event_type="stop")),
             ("activity", {"timestamp": end, "num_sessions": 1, "type": "manual",
                           "event": "activity", "event_type": "stop",
                           "local_timestamp": fit_seconds(end) + 7200})]
    return encode(msgs)
