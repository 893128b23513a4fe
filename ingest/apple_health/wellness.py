"""Resting heart rate, HRV (SDNN) and sleep of an export -> one ``WellnessBatch``.

Per local date (the date written in the record's own ``startDate``): the resting heart rate
is the day's last ``RestingHeartRate`` record (the watch writes one a day) [1/min]; HRV is the
mean of the day's ``HeartRateVariabilitySDNN`` readings [ms], as the Health app shows the day
[H]. SDNN is kept as its own value (``hrv_sdnn_ms``), never mixed with RMSSD. Sleep: the
``SleepAnalysis`` intervals that count as asleep (core, deep, REM, unspecified; not in bed or
awake), watch and phone alike; the store merges their union into nights, so overlapping
intervals of two devices count once (docs/methods.md section 12). The batch's source is
``apple_health``; instants are dated with the athlete's time zone.
"""

from __future__ import annotations

import datetime as dt

from ingest.apple_health.export_pass import ASLEEP
from ingest.apple_health.pieces import WELLNESS_MAGIC, decode, encode
from ingest.apple_health.spool import Spool
from ingest.errors import CorruptFile
from ingest.wellness import nights
from ingest.wellness.records import DayValues, Night, WellnessBatch
from ingest.xmlsafe import utc_from_ms

SOURCE = "apple_health"
RESTING_HR, HRV = "resting_hr_bpm", "hrv_sdnn_ms"  # names given in WELLNESS_QUANTITIES
WORDS = {RESTING_HR: "resting HR", HRV: "HRV (SDNN)", ASLEEP: "sleep"}


def wellness_piece(spool: Spool) -> bytes | None:
    """The wellness piece of a finished pass; None when the export holds none."""
    days: dict[str, dict[str, float]] = {}
    for day, _, _, value in spool.wellness(RESTING_HR):
        days.setdefault(day, {})[RESTING_HR] = value  # by time: the day's last one stays
    sums: dict[str, list[float]] = {}
    for day, _, _, value in spool.wellness(HRV):
        running = sums.setdefault(day, [0.0, 0])
        running[0] += value
        running[1] += 1
    for day, (total, count) in sums.items():
        days.setdefault(day, {})[HRV] = round(total / count, 1)
    asleep = [[start, end] for _, start, end, _ in spool.wellness(ASLEEP)]
    if not days and not asleep:
        return None
    return encode(WELLNESS_MAGIC, {"days": days, "asleep": asleep})


def _kind(days: dict, asleep: list) -> str:
    present = {name for values in days.values() for name in values} | ({ASLEEP} if asleep
                                                                        else set())
    return "Apple Health " + ", ".join(words for name, words in WORDS.items() if name in present)


def read_wellness_piece(data: bytes) -> WellnessBatch:
    """The batch of a wellness piece (see the module docstring).

    Raises
    ------
    CorruptFile
        Not a wellness piece, or one with values of the wrong kind.
    """
    content = decode(data, WELLNESS_MAGIC)
    days, asleep = content.get("days"), content.get("asleep")
    try:
        if not isinstance(days, dict) or not isinstance(asleep, list):
            raise TypeError("no days or asleep intervals")
        batch = WellnessBatch(SOURCE, _kind(days, asleep), "xml")
        for day, values in sorted(days.items()):
            batch.days.append(DayValues({name: float(values[name]) for name in values
                                         if name in WORDS}, date=dt.date.fromisoformat(day)))
        spans = [(int(start), int(end)) for start, end in asleep]
    except (AttributeError, TypeError, ValueError) as exc:
        raise CorruptFile(f"damaged Apple Health wellness piece ({exc})") from exc
    for episode in nights.episodes(spans):
        batch.nights.append(Night(spans=[(utc_from_ms(a), utc_from_ms(b)) for a, b in episode]))
    batch.drop_implausible()
    return batch
