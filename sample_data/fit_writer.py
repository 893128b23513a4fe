"""Write a :class:`~sample_data.recording.Recording` as a FIT activity file, as a Garmin watch does.

Message layout (garmin-fit-sdk's ``Encoder``): ``file_id``, ``file_creator``, timer-start
``event``, ``device_info`` for the watch (and the heart-rate strap on runs), ``sport``, then in
time order the 1 Hz ``record`` messages with the auto-lap ``lap`` messages, the timer
stop/start ``event`` pair of the pause, in the pool one ``length`` per length and in strength
workouts one ``set`` per set (active sets with exercise category and name, repetitions and
weight; rest sets between them), each written when it ends; at the end
a timer ``stop_all`` event, the last ``lap``, ``session`` and ``activity`` (whose
``local_timestamp - timestamp`` is the local UTC offset).

Units follow the FIT profile: positions in semicircles, running cadence in strides/min plus
``fractional_cadence`` (steps/min = 2 x (cadence + fractional_cadence)).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
from garmin_fit_sdk import Encoder, Profile

from sample_data.recording import Recording

FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)
MESG = Profile["mesg_num"]
#: garmin_product numbers of the FIT profile: Forerunner 265 (large) and HRM-Pro Plus.
WATCH_PRODUCT = 4257
STRAP_PRODUCT = 4130
WATCH_SERIAL = 3_451_236_870
STRAP_SERIAL = 1_187_654
ANTPLUS_HEART_RATE = 120  # antplus_device_type of a heart-rate strap
#: Rises and falls smaller than this are ignored when summing ascent and descent [m].
CLIMB_HYSTERESIS_M = 1.0
#: Running dynamics written by the strap, and the resolution they are rounded to.
DYNAMICS_STEPS = {"vertical_oscillation": 1.0, "stance_time": 1.0, "stance_time_balance": 0.1,
                  "step_length": 10.0}
# Sort order of messages that share a timestamp.
_START, _RECORD, _LENGTH, _SET, _STOP, _LAP = range(6)


def fit_seconds(moment: dt.datetime) -> int:
    """Seconds since the FIT epoch (1989-12-31 00:00 UTC)."""
    return int((moment - FIT_EPOCH).total_seconds())


def semicircles(degrees: np.ndarray) -> np.ndarray:
    return np.round(degrees * (2**31 / 180.0)).astype(np.int64)


def climb(altitude: np.ndarray) -> tuple[float, float]:
    """Total ascent and descent [m] with a :data:`CLIMB_HYSTERESIS_M` dead band."""
    ascent = descent = 0.0
    values = altitude.tolist()
    ref = values[0] if values else 0.0
    for value in values[1:]:
        if value - ref >= CLIMB_HYSTERESIS_M:
            ascent += value - ref
            ref = value
        elif ref - value >= CLIMB_HYSTERESIS_M:
            descent += ref - value
            ref = value
    return ascent, descent


def _on_foot(rec: Recording) -> bool:
    return rec.session.sport == "running"


def _cadence_fields(spm_or_rpm: np.ndarray, on_foot: bool) -> tuple[list, list | None]:
    """FIT cadence (strides/min on foot, else rpm) and, on foot, the 1/128 fraction."""
    if not on_foot:
        return np.round(spm_or_rpm).astype(int).tolist(), None
    strides = np.round(spm_or_rpm / 2.0 * 128.0) / 128.0
    whole = np.floor(strides)
    return whole.astype(int).tolist(), (strides - whole).tolist()


def _record_rows(rec: Recording, t0: int) -> list[dict]:
    """The ``record`` messages, fields in the order a Garmin watch writes them."""
    c = rec.columns
    n = rec.n
    columns: dict[str, list | None] = {"timestamp": (t0 + rec.time_s).tolist()}
    if "lat" in c:
        columns["position_lat"] = semicircles(c["lat"]).tolist()
        columns["position_long"] = semicircles(c["lon"]).tolist()
    if "distance" in c:
        columns["distance"] = np.round(c["distance"], 2).tolist()
    if "speed" in c:
        columns["enhanced_speed"] = np.round(c["speed"], 3).tolist()
    if "altitude" in c:
        columns["enhanced_altitude"] = (np.round(c["altitude"] * 5.0) / 5.0).tolist()
    if "heart_rate" in c:
        columns["heart_rate"] = np.round(c["heart_rate"]).astype(int).tolist()
    if "cadence" in c:
        columns["cadence"], columns["fractional_cadence"] = _cadence_fields(
            c["cadence"], _on_foot(rec)
        )
    for name, step in DYNAMICS_STEPS.items():
        if name in c:
            rounded = np.round(c[name] / step) * step
            columns[name] = [None if math.isnan(v) else v for v in rounded.tolist()]
    if "respiration" in c:
        columns["enhanced_respiration_rate"] = (np.round(c["respiration"] * 10.0) / 10.0).tolist()
    present = {name: values for name, values in columns.items() if values is not None}
    return [{name: values[i] for name, values in present.items()} for i in range(n)]


def _totals(rec: Recording, start_s: int, end_s: int, last: bool) -> dict:
    """Summary fields over [start_s, end_s) of the recording (``last``: end inclusive)."""
    t = rec.time_s
    inside = (t >= start_s) & ((t <= end_s) if last else (t < end_s))
    paused = sum(max(0, min(b, end_s) - max(a, start_s)) for a, b in rec.pauses)
    timer = float(end_s - start_s - paused)
    out: dict[str, object] = {
        "total_elapsed_time": float(end_s - start_s),
        "total_timer_time": timer,
        "total_calories": round(rec.calories_kcal * (end_s - start_s) / max(rec.time_s[-1], 1)),
    }
    c = rec.columns
    if "distance" in c:
        # the distance the device knew at each end: that of its last record (pool: last length)
        at = np.searchsorted(t, [start_s, end_s], side="right") - 1
        distance = float(c["distance"][at[1]] - c["distance"][at[0]])
        out["total_distance"] = round(distance, 2)
        out["enhanced_avg_speed"] = round(distance / timer, 3) if timer else 0.0
        out["enhanced_max_speed"] = round(float(c["speed"][inside].max()), 3)
    if "altitude" in c:
        out["total_ascent"], out["total_descent"] = map(round, climb(c["altitude"][inside]))
    if "heart_rate" in c:
        hr = c["heart_rate"][inside]
        out["avg_heart_rate"] = round(float(hr.mean()))
        out["max_heart_rate"] = round(float(hr.max()))
    if "cadence" in c:
        cadence = c["cadence"][inside]
        moving = cadence[cadence > 0]
        mean = float(moving.mean()) if moving.size else 0.0
        if _on_foot(rec):
            strides = round(mean / 2.0 * 128.0) / 128.0
            out["avg_cadence"] = math.floor(strides)
            out["avg_fractional_cadence"] = strides - math.floor(strides)
            out["max_cadence"] = math.floor(float(cadence.max()) / 2.0)
        else:
            out["avg_cadence"] = round(mean)
            out["max_cadence"] = round(float(cadence.max()))
    return out


def _position(rec: Recording, index: int, prefix: str) -> dict:
    if "lat" not in rec.columns:
        return {}
    return {
        f"{prefix}_position_lat": int(semicircles(rec.columns["lat"][index : index + 1])[0]),
        f"{prefix}_position_long": int(semicircles(rec.columns["lon"][index : index + 1])[0]),
    }


def _laps(rec: Recording, t0: int) -> list[tuple[int, int, dict]]:
    sport = {"sport": rec.session.sport, "sub_sport": rec.session.sub_sport}
    end = int(rec.time_s[-1])
    bounds = rec.lap_starts + [end]
    laps = []
    for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        last = i == len(bounds) - 2
        first_index = int(np.searchsorted(rec.time_s, a))
        fields = {
            "message_index": i,
            "timestamp": t0 + b,
            "event": "lap",
            "event_type": "stop",
            "start_time": t0 + a,
            **_position(rec, first_index, "start"),
            **_totals(rec, a, b, last),
            "lap_trigger": "session_end" if last else _lap_trigger(rec),
            **sport,
        }
        if rec.lengths:
            indices = [k for k, length in enumerate(rec.lengths) if a <= length.start_s < b]
            fields["first_length_index"] = indices[0]
            fields["num_lengths"] = len(indices)
            fields["num_active_lengths"] = sum(rec.lengths[k].active for k in indices)
        laps.append((t0 + b, _LAP, fields))
    return laps


def _lap_trigger(rec: Recording) -> str:
    return "manual" if rec.lengths else "distance" if "distance" in rec.columns else "time"


def _lengths(rec: Recording, t0: int) -> list[tuple[int, int, dict]]:
    out = []
    for i, length in enumerate(rec.lengths):
        duration = float(length.end_s - length.start_s)
        fields = {
            "message_index": i,
            "timestamp": t0 + length.end_s,
            "event": "length",
            "event_type": "stop",
            "start_time": t0 + length.start_s,
            "total_elapsed_time": duration,
            "total_timer_time": duration,
            "length_type": "active" if length.active else "idle",
        }
        if length.active:
            fields |= {
                "total_strokes": length.strokes,
                "avg_speed": round(25.0 / duration, 3),
                "swim_stroke": "freestyle",
                "avg_swimming_cadence": round(60.0 * length.strokes / duration),
            }
        out.append((t0 + length.end_s, _LENGTH, fields))
    return out


def _sets(rec: Recording, t0: int) -> list[tuple[int, int, dict]]:
    """The ``set`` messages: each active set, and a rest set up to the next one."""
    out = []
    for i, one in enumerate(rec.sets):
        end = one.start_s + one.duration_s
        active = {"timestamp": t0 + end, "start_time": t0 + one.start_s,
                  "duration": float(one.duration_s), "set_type": "active",
                  "category": [one.category],
                  "category_subtype": [_exercise_number(one.category, one.exercise)]}
        if one.reps is not None:
            active["repetitions"] = one.reps
        if one.weight_kg is not None:
            active |= {"weight": one.weight_kg, "weight_display_unit": "kilogram"}
        out.append(active)
        if i + 1 < len(rec.sets):
            rest_end = rec.sets[i + 1].start_s
            out.append({"timestamp": t0 + rest_end, "start_time": t0 + end,
                        "duration": float(rest_end - end), "set_type": "rest"})
    return [(fields["timestamp"], _SET, {"message_index": i, **fields})
            for i, fields in enumerate(out)]


def _exercise_number(category: str, exercise: str) -> int:
    """The FIT profile's number of an exercise name within its category."""
    names = Profile["types"][f"{category}_exercise_name"]
    return next(int(number) for number, name in names.items() if name == exercise)


def _header(rec: Recording, t0: int) -> list[tuple[str, dict]]:
    watch = {"manufacturer": "garmin", "product": WATCH_PRODUCT}
    messages = [
        ("file_id", {"type": "activity", **watch, "serial_number": WATCH_SERIAL,
                     "time_created": t0}),
        ("file_creator", {"software_version": 2012}),
        ("event", {"timestamp": t0, "event": "timer", "event_type": "start", "event_group": 0}),
        ("device_info", {"timestamp": t0, "device_index": "creator", **watch,
                         "serial_number": WATCH_SERIAL, "software_version": 20.12,
                         "source_type": "local"}),
    ]
    if _on_foot(rec) and "heart_rate" in rec.columns:
        messages.append(("device_info", {
            "timestamp": t0, "device_index": 1, "device_type": ANTPLUS_HEART_RATE,
            "manufacturer": "garmin", "product": STRAP_PRODUCT, "serial_number": STRAP_SERIAL,
            "software_version": 3.10, "source_type": "antplus"}))
    messages.append(("sport", {"sport": rec.session.sport, "sub_sport": rec.session.sub_sport}))
    return messages


def fit_bytes(rec: Recording) -> bytes:
    """The FIT file of one recording (an uncompressed ``.fit``)."""
    t0 = fit_seconds(rec.start)
    end = t0 + int(rec.time_s[-1])
    timeline: list[tuple[int, int, str, dict]] = [
        (fields["timestamp"], _RECORD, "record", fields) for fields in _record_rows(rec, t0)
    ]
    for stop, resume in rec.pauses:
        timeline.append((t0 + stop, _STOP, "event",
                         {"timestamp": t0 + stop, "event": "timer", "event_type": "stop_all",
                          "event_group": 0}))
        timeline.append((t0 + resume, _START, "event",
                         {"timestamp": t0 + resume, "event": "timer", "event_type": "start",
                          "event_group": 0}))
    timeline.append((end, _STOP, "event", {"timestamp": end, "event": "timer",
                                           "event_type": "stop_all", "event_group": 0}))
    timeline += [(when, order, "length", fields) for when, order, fields in _lengths(rec, t0)]
    timeline += [(when, order, "set", fields) for when, order, fields in _sets(rec, t0)]
    timeline += [(when, order, "lap", fields) for when, order, fields in _laps(rec, t0)]
    timeline.sort(key=lambda item: (item[0], item[1]))

    session = {
        "message_index": 0, "timestamp": end, "event": "session", "event_type": "stop",
        "start_time": t0, **_position(rec, 0, "start"),
        "sport": rec.session.sport, "sub_sport": rec.session.sub_sport,
        **_totals(rec, 0, int(rec.time_s[-1]), last=True),
        "first_lap_index": 0, "num_laps": len(rec.lap_starts), "trigger": "activity_end",
    }
    if rec.lengths:
        session |= {
            "pool_length": 25.0, "pool_length_unit": "metric",
            "num_lengths": len(rec.lengths),
            "num_active_lengths": sum(length.active for length in rec.lengths),
        }
    activity = {
        "timestamp": end, "total_timer_time": session["total_timer_time"], "num_sessions": 1,
        "type": "manual", "event": "activity", "event_type": "stop",
        "local_timestamp": end + rec.local_offset_s,
    }
    encoder = Encoder()
    for name, fields in _header(rec, t0):
        encoder.on_mesg(MESG[name.upper()], fields)
    for _, _, name, fields in timeline:
        encoder.on_mesg(MESG[name.upper()], fields)
    encoder.on_mesg(MESG["SESSION"], session)
    encoder.on_mesg(MESG["ACTIVITY"], activity)
    return encoder.close()
