"""Years of an Apple Watch runner's data written as an Apple Health export, streamed: memory
does not grow with the years (the benchmark, and the test that memory stays bounded)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from pathlib import Path
from typing import TextIO

from apple_health_files import (
    CEST,
    DOCTYPE,
    FOLDER,
    PHONE,
    PHONE_DEVICE,
    WATCH,
    WATCH_DEVICE,
    Day,
    Q,
    Workout,
    apple_date,
    day_records,
    route_gpx,
    workout_element,
    workout_records,
)


def _plan(first: dt.date, years: int, seed: int) -> tuple[list[Workout], list[dt.date]]:
    """A runner's years: runs four days a week (one indoor), a ride, strength and yoga."""
    rng = random.Random(seed)
    workouts, dates = [], []
    day = first
    while day < first.replace(year=first.year + years):
        dates.append(day)
        start = dt.datetime.combine(day, dt.time(7, rng.randrange(60)), CEST)
        weekday = day.weekday()
        if weekday in (0, 2, 4, 6):
            long_run = weekday == 6
            workouts.append(Workout("Running", start, minutes=90 if long_run else 45,
                                    indoor=weekday == 2, route=weekday != 2,
                                    speed_m_s=rng.uniform(2.8, 3.4)))
        elif weekday == 1:
            workouts.append(Workout("TraditionalStrengthTraining", start, minutes=40,
                                    route=False))
        elif weekday == 3:
            workouts.append(Workout("Cycling", start, minutes=60, speed_m_s=7.5))
        else:
            workouts.append(Workout("Yoga", start, minutes=30, route=False))
        day += dt.timedelta(days=1)
    return workouts, dates


#: All-day records: (type, unit, every [s], source is the phone, value of the i-th record).
BACKGROUND = (
    ("HeartRate", "count/min", 300, False, lambda i: 62 + i % 9),
    ("ActiveEnergyBurned", "kcal", 60, False, lambda i: 0.45 + (i % 7) / 10),
    ("BasalEnergyBurned", "kcal", 300, False, lambda i: 5.2),
    ("StepCount", "count", 600, True, lambda i: 40 + i % 60),
    ("DistanceWalkingRunning", "km", 600, True, lambda i: 0.03 + (i % 40) / 1000),
)


def background_records(dates: list[dt.date], out: TextIO) -> int:
    """All-day records of every date by type (the bulk of a real export); returns how many.
    Dates are formatted by hand here: millions of them."""
    count = 0
    for kind, unit, every_s, phone, value in BACKGROUND:
        source, device = (PHONE, PHONE_DEVICE) if phone else (WATCH, WATCH_DEVICE)
        head = (f' <Record type="{Q}{kind}" sourceName="{source}" sourceVersion="9.5" '
                f'device="{device}" unit="{unit}" creationDate="')
        for day in dates:
            for i in range(0, 86400, every_s):
                end = min(i + every_s, 86399)
                start_text = f"{day} {i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d} +0200"
                end_text = f"{day} {end // 3600:02d}:{end // 60 % 60:02d}:{end % 60:02d} +0200"
                out.write(f'{head}{end_text}" startDate="{start_text}" endDate="{end_text}" '
                          f'value="{value(i // every_s)}"/>\n')
                count += 1
    return count


def write_years(root: Path, years: int = 5, first: dt.date = dt.date(2021, 1, 4),
                seed: int = 42) -> tuple[Path, int, int]:
    """Write an export of ``years`` of daily watch wear under ``root``, streamed (memory does
    not grow with the years): all-day records, the workouts' records (grouped by type through
    one temporary file per type), wellness, the workouts and their routes. Returns (export
    folder, workouts, records)."""
    workouts, dates = _plan(first, years, seed)
    folder = root / FOLDER
    (folder / "workout-routes").mkdir(parents=True, exist_ok=True)
    parts: dict[str, TextIO] = {}
    records = 0
    for by_type in itertools.chain((workout_records(w) for w in workouts),
                                   (day_records(Day(d)) for d in dates)):
        for kind, lines in by_type.items():
            if kind not in parts:
                parts[kind] = open(folder / f".{kind}.part", "w+", encoding="utf-8")
            parts[kind].writelines(lines)
            records += len(lines)
    with open(folder / "export.xml", "w", encoding="utf-8") as out:
        out.write(DOCTYPE.replace("{exported}", apple_date(dt.datetime.combine(
            dates[-1], dt.time(20), CEST))))
        records += background_records(dates, out)
        for kind, part in parts.items():
            part.seek(0)
            while chunk := part.read(1 << 20):
                out.write(chunk)
            part.close()
            (folder / f".{kind}.part").unlink()
        for workout in workouts:
            out.write(workout_element(workout))
            if workout.route:
                (folder / workout.route_name().lstrip("/")).write_text(route_gpx(workout))
        out.write("</HealthData>\n")
    return folder, len(workouts), records
