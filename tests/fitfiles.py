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
) -> list[tuple[str, dict]]:
    """A 1 Hz recording heading north at constant speed, as a Garmin watch writes it."""
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
    totals = {"start_time": start, "timestamp": end, "total_elapsed_time": seconds - 1.0,
              "total_timer_time": seconds - 1.0, "total_distance": speed * (seconds - 1),
              "avg_cadence": strides, "avg_fractional_cadence": fraction,
              "enhanced_avg_speed": speed}
    if heart_rate is not None:
        totals |= {"avg_heart_rate": heart_rate, "max_heart_rate": heart_rate}
    msgs.append(("lap", dict(totals, event="lap", event_type="stop", sport=sport)))
    if session:
        msgs.append(("session", dict(totals, sport=sport, event="session", event_type="stop")))
    activity = {"timestamp": end, "num_sessions": 1, "type": "manual", "event": "activity",
                "event_type": "stop", "total_timer_time": seconds - 1.0}
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
