"""Wellness test files in the layouts devices and Garmin write them (no one's real data).

FIT files are written by garmin-fit-sdk's Encoder, which names every wellness message
(``monitoring_hr_data``, ``hrv_status_summary``, ``hrv_value``, ``sleep_level``,
``sleep_assessment``); JSON files follow the field names of Garmin's account export and web API.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

from fitfiles import encode, fit_seconds

#: FIT file types Garmin gives its sleep and HRV status files (not in the public profile).
SLEEP_FILE_TYPE = 49
HRV_FILE_TYPE = 68


def _file_id(kind: int | str, at: dt.datetime) -> tuple[str, dict]:
    return ("file_id", {"type": kind, "manufacturer": "garmin", "product": 4024,
                        "time_created": at, "serial_number": 3900001})


def monitoring_fit(day: dt.date, current_rhr: int | None, seven_day_rhr: int | None = None,
                   offset_s: int = 3600, records: int = 50) -> bytes:
    """A ``monitoring_b`` file of ``day`` (UTC offset ``offset_s``): steps records every
    minute from 00:00 local and one ``monitoring_hr_data`` message."""
    start = dt.datetime.combine(day, dt.time(), dt.UTC) - dt.timedelta(seconds=offset_s)
    messages = [_file_id("monitoring_b", start),
                ("monitoring_info", {"timestamp": start,
                                     "local_timestamp": fit_seconds(start) + offset_s})]
    for i in range(records):
        messages.append(("monitoring", {"timestamp": start + dt.timedelta(minutes=i),
                                        "cycles": i * 10, "activity_type": "walking",
                                        "heart_rate": 60 + i % 5}))
    hr: dict[str, object] = {"timestamp": start + dt.timedelta(hours=23)}
    if current_rhr is not None:
        hr["current_day_resting_heart_rate"] = current_rhr
    if seven_day_rhr is not None:
        hr["resting_heart_rate"] = seven_day_rhr
    messages.append(("monitoring_hr_data", hr))
    return encode(messages)


def sleep_fit(start: dt.datetime, levels: list[tuple[int, str]], score: int | None = None
              ) -> bytes:
    """A sleep file: ``levels`` are (minutes after ``start``, level name); the last entry marks
    the end of the recording."""
    messages = [_file_id(SLEEP_FILE_TYPE, start)]
    for minutes, level in levels:
        messages.append(("sleep_level", {"timestamp": start + dt.timedelta(minutes=minutes),
                                         "sleep_level": level}))
    if score is not None:
        messages.append(("sleep_assessment", {"overall_sleep_score": score,
                                              "deep_sleep_score": 70}))
    return encode(messages)


def hrv_fit(at: dt.datetime, last_night: float | None, weekly: float = 55.0,
            status: str = "balanced", readings: list[float] = ()) -> bytes:
    """An HRV status file: a summary at ``at`` (the morning) and 5-min RMSSD readings."""
    messages = [_file_id(HRV_FILE_TYPE, at)]
    for i, value in enumerate(readings):
        messages.append(("hrv_value", {"timestamp": at - dt.timedelta(minutes=5 * (len(readings)
                                                                                   - i)),
                                       "value": value}))
    if last_night is not None:
        messages.append(("hrv_status_summary", {
            "timestamp": at, "weekly_average": weekly, "last_night_average": last_night,
            "last_night_5_min_high": last_night + 20, "baseline_low_upper": 40.0,
            "baseline_balanced_lower": 45.0, "baseline_balanced_upper": 65.0,
            "status": status}))
    return encode(messages)


def export_sleep(nights: list[dict]) -> bytes:
    """``*_sleepData.json`` of an account export: ``nights`` give calendarDate, deep, light,
    rem, awake [s] and optionally confirmation and score."""
    entries = []
    for n in nights:
        day = dt.date.fromisoformat(n["date"])
        entries.append({
            "calendarDate": n["date"],
            "sleepStartTimestampGMT": f"{day - dt.timedelta(days=1)}T22:10:00.0",
            "sleepEndTimestampGMT": f"{day}T05:40:00.0",
            "sleepWindowConfirmationType": n.get("confirmation", "ENHANCED_CONFIRMED_FINAL"),
            "deepSleepSeconds": n["deep"], "lightSleepSeconds": n["light"],
            "remSleepSeconds": n["rem"], "awakeSleepSeconds": n.get("awake", 600),
            "unmeasurableSeconds": 0, "averageRespiration": 14.0,
            "sleepScores": {"overallScore": n.get("score", 0), "qualityScore": 60},
        })
    return json.dumps(entries).encode()


def export_health_status(days: list[tuple[str, float, str]]) -> bytes:
    """``*_healthStatusData.json``: (calendarDate, overnight HRV [ms], status)."""
    return json.dumps([
        {"calendarDate": date, "metrics": [
            {"type": "HRV", "value": value, "status": status,
             "baselineLowerLimit": 0 if status == "ONBOARDING" else 48,
             "baselineUpperLimit": 0 if status == "ONBOARDING" else 66},
            {"type": "HR", "value": 51, "status": "IN_RANGE", "baselineLowerLimit": 47,
             "baselineUpperLimit": 56},
        ]} for date, value, status in days]).encode()


def export_uds(days: list[tuple[str, int | None, int]]) -> bytes:
    """``UDSFile_*.json``: (calendarDate, the day's resting HR, 7-day average)."""
    return json.dumps([
        {"calendarDate": date, "userProfilePK": 1, "totalSteps": 8000,
         "restingHeartRate": seven, "currentDayRestingHeartRate": current,
         "allDayStress": {"aggregatorList": [
             {"type": "TOTAL", "averageStressLevel": 31}, {"type": "AWAKE",
                                                           "averageStressLevel": 40}]},
         "bodyBattery": {"bodyBatteryStatList": []}}
        for date, current, seven in days]).encode()


def api_sleep(date: str, deep: int, light: int, rem: int, score: int,
              resting_hr: int | None = None) -> bytes:
    """Garmin web API sleep (epoch milliseconds, ``dailySleepDTO``)."""
    end = dt.datetime.fromisoformat(f"{date}T06:00:00+00:00")
    return json.dumps({
        "dailySleepDTO": {
            "calendarDate": date, "sleepTimeSeconds": deep + light + rem,
            "sleepStartTimestampGMT": int((end - dt.timedelta(hours=8)).timestamp() * 1000),
            "sleepEndTimestampGMT": int(end.timestamp() * 1000),
            "deepSleepSeconds": deep, "lightSleepSeconds": light, "remSleepSeconds": rem,
            "awakeSleepSeconds": 300, "sleepWindowConfirmationType": "enhanced_confirmed_final",
            "sleepScores": {"overall": {"value": score, "qualifierKey": "GOOD"}},
        },
        "restingHeartRate": resting_hr,
    }).encode()


def api_hrv(date: str, last_night: int, weekly: int, status: str = "BALANCED") -> bytes:
    """Garmin web API HRV (``hrvSummary``)."""
    return json.dumps({"userProfilePk": 1, "hrvSummary": {
        "calendarDate": date, "weeklyAvg": weekly, "lastNightAvg": last_night,
        "lastNight5MinHigh": last_night + 25, "status": status,
        "baseline": {"lowUpper": 40, "balancedLow": 44, "balancedUpper": 62,
                     "markerValue": 0.4}},
        "hrvReadings": [], "startTimestampGMT": "2024-03-01T22:00:00.0"}).encode()


def export_zip(members: dict[str, bytes]) -> bytes:
    """A Garmin account export zip with ``members`` (paths inside ``DI_CONNECT/...``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("DI_CONNECT/DI-Connect-User/user_profile.json", b'{"userName": "x"}')
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()
