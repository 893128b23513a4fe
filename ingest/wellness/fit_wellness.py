"""FIT wellness files: a watch's ``GARMIN/Monitor``, ``GARMIN/Sleep`` and HRV status files.

fitparse 1.2.0's profile predates these messages (it yields ``unknown_211`` etc. with raw
integers), so they are decoded here by message and field number with the FIT SDK profile's
scales (docs/methods.md section 12.1):

=====  ========================  ===================================================
 211   monitoring_hr_data        0 resting_heart_rate (7-day average), 1 current_day_...
 370   hrv_status_summary        0 weekly_average, 1 last_night_average, 4/5 baseline_balanced_
                                 lower/upper (uint16, scale 128, ms), 6 status (enum)
 371   hrv_value                 0 value: 5-min RMSSD (uint16, scale 128, ms)
 275   sleep_level               0 sleep_level: 0 unmeasurable, 1 awake, 2 light, 3 deep, 4 rem
 346   sleep_assessment          6 overall_sleep_score
 103   monitoring_info           0 local_timestamp (gives the file's UTC offset)
=====  ========================  ===================================================

The fast decoder reads only these messages (a monitoring file is mostly ``monitoring`` records,
stepped over); fitparse is the fallback for what it does not support. The file's bytes are
first walked by :func:`ingest.fit.scan.scan`, so damaged and chained files are read like
activities are.

Each ``sleep_level`` lasts until the next one; the last one marks the end of the recording.
A night without a ``hrv_status_summary`` but with ``hrv_value`` readings gets their mean
(how the device's own ``last_night_average`` is formed).
"""

from __future__ import annotations

import datetime as dt
import io
import struct

import numpy as np

from ingest.fit import fast_decoder
from ingest.fit.scan import scan
from ingest.fit.tables import FIT_EPOCH_S, MIN_ABSOLUTE_TIME
from ingest.wellness.records import HRV_STATUSES, DayValues, Night, NotWellness, WellnessBatch

SOURCE = "fit"
TIMESTAMP = 253
FILE_ID, MONITORING_INFO = 0, 103
MONITORING_HR, HRV_SUMMARY, HRV_VALUE, SLEEP_LEVEL, SLEEP_ASSESSMENT = 211, 370, 371, 275, 346
WELLNESS_MESSAGES = frozenset({MONITORING_HR, HRV_SUMMARY, HRV_VALUE, SLEEP_LEVEL,
                               SLEEP_ASSESSMENT})
WANTED = WELLNESS_MESSAGES | {FILE_ID, MONITORING_INFO}
#: Scale of the HRV fields (FIT SDK profile: uint16, scale 128, ms).
HRV_SCALE = 128.0
#: ``hrv_status_summary`` field -> value name.
HRV_FIELDS = {1: "hrv_rmssd_ms", 0: "hrv_weekly_ms", 4: "hrv_baseline_low_ms",
              5: "hrv_baseline_high_ms"}
ASLEEP_LEVELS = frozenset({2, 3, 4})
#: FIT ``file`` types that never hold wellness data (the activity path reports them).
NOT_WELLNESS_TYPES = frozenset({1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 14, 20, 34, 35, 40})
MONITORING_TYPES = {15: "monitoring_a", 28: "monitoring_daily", 32: "monitoring_b"}

Columns = dict[int, dict[int, np.ndarray]]


def peek_file_type(data: bytes) -> int | None:
    """``file_id.type`` of FIT bytes from the first message alone (None if not found there)."""
    if len(data) < 12 or data[8:12] != b".FIT":
        return None
    pos = data[0]
    if len(data) < pos + 6 or (data[pos] & 0xC0) != 0x40:
        return None
    local, endian = data[pos] & 0x0F, ">" if data[pos + 2] else "<"
    global_num, n_fields = struct.unpack_from(endian + "HB", data, pos + 3)
    if global_num != FILE_ID or len(data) < pos + 6 + 3 * n_fields:
        return None
    offset, type_at = 0, None
    for i in range(n_fields):
        num, size, _ = data[pos + 6 + 3 * i:pos + 9 + 3 * i]
        if num == 0 and size == 1:
            type_at = offset
        offset += size
    start = pos + 6 + 3 * n_fields + (1 + 3 * data[pos + 6 + 3 * n_fields]
                                      if data[pos] & 0x20 else 0)
    if type_at is None or len(data) <= start + 1 + type_at or data[start] & 0x0F != local:
        return None
    value = data[start + 1 + type_at]
    return None if value == 0xFF else value


def is_wellness_fit(data: bytes) -> bool:
    """Whether FIT bytes are a wellness file: a monitoring type, or a type Garmin's public
    profile does not name (sleep and HRV status files)."""
    file_type = peek_file_type(data)
    return file_type is not None and file_type not in NOT_WELLNESS_TYPES


def _fitparse_columns(data: bytes) -> Columns:
    """The same columns as :func:`ingest.fit.fast_decoder.raw_columns`, read by fitparse."""
    import fitparse
    from fitparse.utils import FitParseError

    rows: dict[int, list[dict[int, float]]] = {}
    try:
        for message in fitparse.FitFile(io.BytesIO(data), check_crc=False).get_messages():
            if message.mesg_num in WANTED:
                rows.setdefault(message.mesg_num, []).append({
                    f.def_num: float(f.raw_value) for f in message.fields
                    if isinstance(f.raw_value, int | float) and f.def_num is not None})
    except (FitParseError, struct.error, ValueError, KeyError, IndexError, TypeError):
        pass  # keep the messages read before the damage
    return {number: {num: np.array([row.get(num, np.nan) for row in messages])
                     for num in {n for row in messages for n in row}}
            for number, messages in rows.items()}


def _columns(segment: bytes) -> Columns:
    try:
        return fast_decoder.raw_columns(segment, WANTED)[0]
    except fast_decoder.NotSupported:
        return _fitparse_columns(segment)


def _merge(into: Columns, more: Columns) -> None:
    for number, fields in more.items():
        if number not in into:
            into[number] = fields
            continue
        old, n_old = into[number], len(next(iter(into[number].values()), []))
        n_new = len(next(iter(fields.values()), []))
        into[number] = {num: np.concatenate([old.get(num, np.full(n_old, np.nan)),
                                             fields.get(num, np.full(n_new, np.nan))])
                        for num in set(old) | set(fields)}


def _instant(seconds: float) -> dt.datetime | None:
    if np.isnan(seconds) or seconds < MIN_ABSOLUTE_TIME:
        return None
    return dt.datetime.fromtimestamp(seconds + FIT_EPOCH_S, dt.UTC)


def _field(columns: Columns, number: int, num: int) -> np.ndarray:
    fields = columns.get(number, {})
    n = len(next(iter(fields.values()), []))
    return fields.get(num, np.full(n, np.nan))


def _offset(columns: Columns) -> int | None:
    """Local time - UTC from ``monitoring_info`` (timestamp and local_timestamp), if any."""
    utc, local = _field(columns, MONITORING_INFO, TIMESTAMP), _field(columns, MONITORING_INFO, 0)
    ok = ~np.isnan(utc) & ~np.isnan(local) & (utc >= MIN_ABSOLUTE_TIME)
    return int(local[ok][0] - utc[ok][0]) if ok.any() else None


def _resting_hr(columns: Columns, batch: WellnessBatch) -> None:
    times = _field(columns, MONITORING_HR, TIMESTAMP)
    for i, seconds in enumerate(times):
        values: dict[str, float | str] = {}
        for num, name in ((1, "resting_hr_bpm"), (0, "resting_hr_7d_bpm")):
            value = _field(columns, MONITORING_HR, num)[i]
            if not np.isnan(value) and value > 0:
                values[name] = float(value)
        if values and (at := _instant(seconds)) is not None:
            batch.days.append(DayValues(values, at=at))


def _hrv(columns: Columns, batch: WellnessBatch) -> None:
    times = _field(columns, HRV_SUMMARY, TIMESTAMP)
    for i, seconds in enumerate(times):
        values: dict[str, float | str] = {}
        for num, name in HRV_FIELDS.items():
            value = _field(columns, HRV_SUMMARY, num)[i]
            if not np.isnan(value) and value > 0:
                values[name] = float(value) / HRV_SCALE
        status = _field(columns, HRV_SUMMARY, 6)[i]
        if not np.isnan(status) and int(status) < len(HRV_STATUSES):
            values["hrv_status"] = HRV_STATUSES[int(status)]
        if values and (at := _instant(seconds)) is not None:
            batch.days.append(DayValues(values, at=at))
    readings = _field(columns, HRV_VALUE, 0)
    stamps = _field(columns, HRV_VALUE, TIMESTAMP)
    valid = ~np.isnan(readings) & (readings > 0) & ~np.isnan(stamps)
    if not times.size and valid.any():
        at = _instant(float(stamps[valid].max()))
        if at is not None:
            batch.days.append(DayValues(
                {"hrv_rmssd_ms": float(readings[valid].mean()) / HRV_SCALE}, at=at))


def _sleep(columns: Columns, batch: WellnessBatch) -> None:
    times = _field(columns, SLEEP_LEVEL, TIMESTAMP)
    levels = _field(columns, SLEEP_LEVEL, 0)
    spans: list[tuple[dt.datetime, dt.datetime]] = []
    for i in range(len(times) - 1):
        start, end = _instant(times[i]), _instant(times[i + 1])
        if start and end and end > start and levels[i] in ASLEEP_LEVELS:
            if spans and spans[-1][1] == start:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    scores = _field(columns, SLEEP_ASSESSMENT, 6)
    score = next((float(s) for s in scores[::-1] if not np.isnan(s) and s > 0), None)
    if spans:
        batch.nights.append(Night(spans=spans, score=score))
    elif score is not None:
        batch.warnings.append("a sleep score without sleep levels (no night to give it to) "
                              "left out")


def read_fit_wellness(data: bytes) -> WellnessBatch:
    """Resting HR, HRV and sleep of a FIT wellness file (see the module docstring).

    Raises
    ------
    NotWellness
        The file holds none of these messages.
    ingest.errors.Rejected
        Not FIT, or unreadable (from :func:`ingest.fit.scan.scan`).
    """
    result = scan(data)
    columns: Columns = {}
    for segment in result.segments:
        _merge(columns, _columns(segment.data))
    batch = WellnessBatch(SOURCE, "", "fit", local_offset_s=_offset(columns))
    _resting_hr(columns, batch)
    _hrv(columns, batch)
    _sleep(columns, batch)
    kinds = [words for found, words in ((MONITORING_HR, "resting heart rate"),
                                        (HRV_SUMMARY, "HRV status"), (HRV_VALUE, "HRV"),
                                        (SLEEP_LEVEL, "sleep")) if found in columns]
    if not (batch.days or batch.nights):
        file_type = _field(columns, FILE_ID, 0)
        named = (MONITORING_TYPES.get(int(file_type[0]), f"type {int(file_type[0])}")
                 if file_type.size and not np.isnan(file_type[0]) else "wellness")
        raise NotWellness(f"a FIT '{named}' file without resting heart rate, HRV or sleep "
                          "data (not an activity)")
    batch.kind = "FIT " + ", ".join(dict.fromkeys(kinds))
    if result.problem:
        batch.warnings.append(f"damaged FIT file ({result.problem}): read what came before")
    batch.drop_implausible()
    return batch
