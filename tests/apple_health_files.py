"""Realistic Apple Health exports for the tests and the benchmark (never a real person's).

An export is written the way the Health app writes it: ``apple_health_export/export.xml``
opening with a DOCTYPE whose internal subset declares elements and attributes, the records
grouped by type, the workouts after them (each pointing to its route file), and
``workout-routes/route_*.gpx`` files with positions, elevation and time but no heart rate.
Dates carry the local offset (``2024-05-01 07:12:03 +0200``), values the units of an
English locale (``km``, ``km/hr``, ``cm``, ``count/min``).

:class:`Workout` describes one workout; :func:`export_files` turns workouts and days into
the files of an export, :func:`export_zip` into ``export.zip`` bytes. Years of data for the
benchmark: :mod:`apple_health_years`.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

WATCH = "Anna\u2019s Apple Watch"
PHONE = "Anna\u2019s iPhone"
STRAP = "Polar Beat"
WATCH_DEVICE = ("&lt;&lt;HKDevice: 0x281c2c0f0&gt;, name:Apple Watch, manufacturer:Apple Inc., "
                "model:Watch, hardware:Watch6,2, software:9.5&gt;")
PHONE_DEVICE = ("&lt;&lt;HKDevice: 0x2805c1a90&gt;, name:iPhone, manufacturer:Apple Inc., "
                "model:iPhone, hardware:iPhone14,5, software:16.5&gt;")
CEST = dt.timezone(dt.timedelta(hours=2))
Q = "HKQuantityTypeIdentifier"
FOLDER = "apple_health_export"

DOCTYPE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  totalDistance         CDATA #IMPLIED
  totalDistanceUnit     CDATA #IMPLIED
  totalEnergyBurned     CDATA #IMPLIED
  totalEnergyBurnedUnit CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  sourceVersion         CDATA #IMPLIED
  device                CDATA #IMPLIED
  creationDate          CDATA #IMPLIED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
<!ELEMENT WorkoutActivity ((MetadataEntry)*)>
<!ATTLIST WorkoutActivity
  uuid                 CDATA #REQUIRED
  startDate            CDATA #REQUIRED
  endDate              CDATA #IMPLIED
  duration             CDATA #IMPLIED
  durationUnit         CDATA #IMPLIED
>
<!ELEMENT WorkoutEvent ((MetadataEntry)*)>
<!ATTLIST WorkoutEvent
  type                 CDATA #REQUIRED
  date                 CDATA #REQUIRED
  duration             CDATA #IMPLIED
  durationUnit         CDATA #IMPLIED
>
<!ELEMENT WorkoutStatistics EMPTY>
<!ATTLIST WorkoutStatistics
  type                 CDATA #REQUIRED
  startDate            CDATA #REQUIRED
  endDate              CDATA #REQUIRED
  average              CDATA #IMPLIED
  minimum              CDATA #IMPLIED
  maximum              CDATA #IMPLIED
  sum                  CDATA #IMPLIED
  unit                 CDATA #IMPLIED
>
<!ELEMENT WorkoutRoute ((MetadataEntry|FileReference)*)>
<!ATTLIST WorkoutRoute
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT FileReference EMPTY>
<!ATTLIST FileReference
  path CDATA #REQUIRED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
<!ELEMENT HeartRateVariabilityMetadataList (InstantaneousBeatsPerMinute*)>
<!ELEMENT InstantaneousBeatsPerMinute EMPTY>
<!ATTLIST InstantaneousBeatsPerMinute
  bpm  CDATA #REQUIRED
  time CDATA #REQUIRED
>
]>
<HealthData locale="en_DE">
 <ExportDate value="{exported}"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1988-03-14" \
HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>
"""


def apple_date(moment: dt.datetime) -> str:
    """'2024-05-01 07:12:03 +0200' (local time with its offset, as the export writes it)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S %z")


def record(kind: str, value: float | str, unit: str | None, start: dt.datetime,
           end: dt.datetime | None = None, source: str = WATCH, device: str = WATCH_DEVICE,
           children: str = "") -> str:
    """One ``Record`` line (``kind`` with or without the ``HKQuantityTypeIdentifier``)."""
    kind = kind if kind.startswith("HK") else Q + kind
    unit_text = f' unit="{unit}"' if unit else ""
    when = apple_date(start)
    attributes = (f'type="{kind}" sourceName="{source}" sourceVersion="9.5" device="{device}"'
                  f'{unit_text} creationDate="{when}" startDate="{when}" '
                  f'endDate="{apple_date(end or start)}" value="{value}"')
    if children:
        return f" <Record {attributes}>\n{children} </Record>\n"
    return f" <Record {attributes}/>\n"


@dataclass
class Workout:
    """One workout and the records the watch writes during it.

    ``kind`` is the type without ``HKWorkoutActivityType``; ``pauses`` are (start, end) in
    minutes from the start; ``cadence_spm`` and ``speed_m_s`` shape the records; ``ios16``
    writes ``WorkoutStatistics`` (else the older total attributes). ``strap_hr`` adds heart
    rate from a second source that must not be used; ``phone_steps`` adds the phone's own
    step intervals.
    """

    kind: str
    start: dt.datetime
    minutes: float = 30.0
    indoor: bool = False
    route: bool = True
    pauses: list[tuple[float, float]] = field(default_factory=list)
    speed_m_s: float = 3.0
    cadence_spm: float = 168.0
    hr_bpm: float = 140.0
    running_metrics: bool = True
    ios16: bool = True
    source: str = WATCH
    strap_hr: bool = False
    phone_steps: bool = False
    #: Multisport legs: (start, end) in minutes and the leg's kind (its distance records).
    legs: list[tuple[float, float, str]] = field(default_factory=list)

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=self.minutes)

    @property
    def on_foot(self) -> bool:
        return self.kind in ("Running", "Walking", "Hiking")

    def paused(self, moment: dt.datetime) -> bool:
        minute = (moment - self.start).total_seconds() / 60
        return any(a <= minute < b for a, b in self.pauses)

    @property
    def active_minutes(self) -> float:
        return self.minutes - sum(b - a for a, b in self.pauses)

    @property
    def distance_m(self) -> float:
        return self.speed_m_s * self.active_minutes * 60 if self.on_foot or \
            self.kind == "Cycling" else 0.0

    def heart_rate(self, second: float) -> float:
        """A warm-up to ``hr_bpm`` over 5 minutes, with a slow drift and a wobble."""
        ramp = min(1.0, second / 300)
        return round(self.hr_bpm - 30 * (1 - ramp) + second / 600 + 3 * math.sin(second / 40))

    def route_name(self) -> str:
        """'/workout-routes/route_2024-05-01_7.12am.gpx', as the export names them."""
        hour, half = self.start.hour % 12 or 12, "am" if self.start.hour < 12 else "pm"
        return f"/workout-routes/route_{self.start:%Y-%m-%d}_{hour}.{self.start:%M}{half}.gpx"

    def times(self, step_s: float) -> Iterator[dt.datetime]:
        second = 0.0
        while second <= self.minutes * 60:
            moment = self.start + dt.timedelta(seconds=second)
            if not self.paused(moment):
                yield moment
            second += step_s


def workout_records(workout: Workout) -> dict[str, list[str]]:
    """The records a watch writes during ``workout``, by type."""
    out: dict[str, list[str]] = {}
    add = lambda kind, line: out.setdefault(kind, []).append(line)  # noqa: E731
    for moment in workout.times(5):
        second = (moment - workout.start).total_seconds()
        add("HeartRate", record("HeartRate", workout.heart_rate(second), "count/min", moment,
                                children='  <MetadataEntry key="HKMetadataKeyHeartRateMotion'
                                         'Context" value="2"/>\n'))
        if workout.strap_hr:
            add("HeartRate", record("HeartRate", 60, "count/min", moment, source=STRAP,
                                    device=""))
        if workout.kind == "Running" and workout.running_metrics:
            end = moment + dt.timedelta(seconds=5)
            speed = workout.speed_m_s * 3.6
            add("RunningSpeed", record("RunningSpeed", f"{speed:.3f}", "km/hr", moment, end))
            add("RunningPower", record("RunningPower", 250, "W", moment, end))
            add("RunningStrideLength", record("RunningStrideLength", 1.07, "m", moment, end))
            add("RunningVerticalOscillation", record("RunningVerticalOscillation", 8.4, "cm",
                                                     moment, end))
            add("RunningGroundContactTime", record("RunningGroundContactTime", 245, "ms",
                                                   moment, end))
    for a, b, kind in workout.legs:
        distance = {"Swimming": "DistanceSwimming", "Cycling": "DistanceCycling",
                    "Running": "DistanceWalkingRunning"}.get(kind)
        per_minute_km = 0.05 if kind == "Swimming" else 0.2  # a plausible pace for each sport
        for minute in range(int(a), int(b)) if distance else ():
            moment = workout.start + dt.timedelta(minutes=minute)
            add(distance, record(distance, per_minute_km, "km", moment,
                                 moment + dt.timedelta(minutes=1)))
    if workout.on_foot:
        for moment in workout.times(60):
            end = moment + dt.timedelta(seconds=60)
            add("StepCount", record("StepCount", round(workout.cadence_spm), "count", moment,
                                    end))
            add("DistanceWalkingRunning", record(
                "DistanceWalkingRunning", f"{workout.speed_m_s * 60 / 1000:.5f}", "km", moment,
                end))
            if workout.phone_steps:
                add("StepCount", record("StepCount", 40, "count", moment, end, source=PHONE,
                                        device=PHONE_DEVICE))
    return out


def route_gpx(workout: Workout, lat: float = 52.52, lon: float = 13.40) -> str:
    """The route file: one point a second while not paused, heading north-east."""
    points = []
    metres = 0.0
    for moment in workout.times(1):
        metres += workout.speed_m_s
        north, east = metres * 0.8 / 111_320, metres * 0.6 / (111_320 * math.cos(math.radians(
            lat)))
        utc = moment.astimezone(dt.UTC)
        points.append(
            f'      <trkpt lon="{lon + east:.6f}" lat="{lat + north:.6f}"><ele>'
            f'{34 + 5 * math.sin(metres / 400):.6f}</ele><time>{utc:%Y-%m-%dT%H:%M:%SZ}</time>'
            f'<extensions><speed>{workout.speed_m_s:.6f}</speed><course>36.87</course>'
            f'<hAcc>1.6</hAcc><vAcc>1.1</vAcc></extensions></trkpt>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="Apple Health '
            'Export" xmlns="http://www.topografix.com/GPX/1/1" xmlns:xsi="http://www.w3.org/'
            '2001/XMLSchema-instance">\n  <metadata>\n    <time>2026-01-01T00:00:00Z</time>\n'
            f'  </metadata>\n  <trk>\n    <name>Route {workout.start:%Y-%m-%d %H:%M}</name>\n'
            '    <trkseg>\n' + "\n".join(points) + '\n    </trkseg>\n  </trk>\n</gpx>\n')


def _statistic(kind: str, workout: Workout, unit: str, **values: object) -> str:
    numbers = "".join(f' {name}="{value}"' for name, value in values.items())
    return (f'  <WorkoutStatistics type="{Q}{kind}" startDate="{apple_date(workout.start)}" '
            f'endDate="{apple_date(workout.end)}"{numbers} unit="{unit}"/>\n')


def workout_element(workout: Workout) -> str:
    """The ``Workout`` element (metadata, events, statistics or totals, route reference)."""
    start, end = apple_date(workout.start), apple_date(workout.end)
    totals = ""
    if not workout.ios16:
        totals = (f' totalDistance="{workout.distance_m / 1000:.4f}" totalDistanceUnit="km" '
                  f'totalEnergyBurned="{workout.active_minutes * 11:.1f}" '
                  'totalEnergyBurnedUnit="kcal"')
    lines = [f' <Workout workoutActivityType="HKWorkoutActivityType{workout.kind}" '
             f'duration="{workout.active_minutes:.4f}" durationUnit="min"{totals} '
             f'sourceName="{workout.source}" sourceVersion="9.5" device="{WATCH_DEVICE}" '
             f'creationDate="{end}" startDate="{start}" endDate="{end}">\n',
             f'  <MetadataEntry key="HKIndoorWorkout" value="{int(workout.indoor)}"/>\n',
             '  <MetadataEntry key="HKTimeZone" value="Europe/Berlin"/>\n']
    if workout.route:
        lines.append('  <MetadataEntry key="HKElevationAscended" value="2150 cm"/>\n')
    if workout.kind == "Swimming":
        lines.append('  <MetadataEntry key="HKSwimmingLocationType" value="1"/>\n'
                     '  <MetadataEntry key="HKLapLength" value="25 m"/>\n')
    for a, b, _ in workout.legs:
        leg_start = workout.start + dt.timedelta(minutes=a)
        leg_end = workout.start + dt.timedelta(minutes=b)
        lines.append(f'  <WorkoutActivity uuid="leg-{a}" startDate="{apple_date(leg_start)}" '
                     f'endDate="{apple_date(leg_end)}" duration="{b - a}" '
                     'durationUnit="min">\n   <MetadataEntry key="HKIndoorWorkout" '
                     'value="0"/>\n  </WorkoutActivity>\n')
    for a, b in workout.pauses:
        for minute, kind in ((a, "Pause"), (b, "Resume")):
            moment = workout.start + dt.timedelta(minutes=minute)
            lines.append(f'  <WorkoutEvent type="HKWorkoutEventType{kind}" '
                         f'date="{apple_date(moment)}"/>\n')
    lines.append(f'  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="{start}" '
                 'duration="5.5" durationUnit="min"/>\n')
    if workout.ios16:
        lines.append(_statistic("ActiveEnergyBurned", workout, "kcal",
                                sum=f"{workout.active_minutes * 11:.1f}"))
        lines.append(_statistic("HeartRate", workout, "count/min", average=workout.hr_bpm,
                                minimum=round(workout.hr_bpm - 30), maximum=workout.hr_bpm + 9))
        if workout.distance_m:
            kind = "DistanceCycling" if workout.kind == "Cycling" else "DistanceWalkingRunning"
            lines.append(_statistic(kind, workout, "km", sum=f"{workout.distance_m / 1000:.4f}"))
    if workout.route:
        lines.append(f'  <WorkoutRoute sourceName="{workout.source}" sourceVersion="9.5" '
                     f'creationDate="{end}" startDate="{start}" endDate="{end}">\n'
                     '   <MetadataEntry key="HKMetadataKeySyncVersion" value="2"/>\n'
                     f'   <FileReference path="{workout.route_name()}"/>\n  </WorkoutRoute>\n')
    lines.append(" </Workout>\n")
    return "".join(lines)


@dataclass
class Day:
    """One day's wellness records: resting HR, HRV (SDNN) readings and a night's sleep.

    ``sleep`` is (bedtime, hours asleep) with the bedtime on the evening before ``date``;
    the phone writes an overlapping ``AsleepUnspecified`` interval that must not be added.
    """

    date: dt.date
    resting_hr: float | None = 52
    hrv_ms: list[float] = field(default_factory=lambda: [48.0, 52.0])
    sleep: tuple[dt.time, float] | None = (dt.time(23, 0), 7.0)


def day_records(day: Day) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    add = lambda kind, line: out.setdefault(kind, []).append(line)  # noqa: E731
    early = dt.datetime.combine(day.date, dt.time(0, 5), CEST)
    if day.resting_hr is not None:
        add("RestingHeartRate", record("RestingHeartRate", day.resting_hr, "count/min", early,
                                       early + dt.timedelta(hours=23)))
    for i, value in enumerate(day.hrv_ms):
        at = early + dt.timedelta(hours=2 + 8 * i)
        beats = "".join(f'   <InstantaneousBeatsPerMinute bpm="{58 + k}" time="2:0{k}:00.00 AM"'
                        '/>\n' for k in range(3))
        add("HeartRateVariabilitySDNN", record(
            "HeartRateVariabilitySDNN", value, "ms", at, at + dt.timedelta(minutes=1),
            children=f"  <HeartRateVariabilityMetadataList>\n{beats}"
                     "  </HeartRateVariabilityMetadataList>\n"))
    if day.sleep is not None:
        bedtime, hours = day.sleep
        start = dt.datetime.combine(day.date - dt.timedelta(days=1), bedtime, CEST)
        kind = "HKCategoryTypeIdentifierSleepAnalysis"
        add(kind, record(kind, "HKCategoryValueSleepAnalysisInBed", None, start,
                         start + dt.timedelta(hours=hours + 1), source=PHONE,
                         device=PHONE_DEVICE))
        add(kind, record(kind, "HKCategoryValueSleepAnalysisAsleepUnspecified", None,
                         start + dt.timedelta(minutes=20),
                         start + dt.timedelta(minutes=20 + hours * 60 - 40), source=PHONE,
                         device=PHONE_DEVICE))
        moment, stages = start + dt.timedelta(minutes=20), ("Core", "Deep", "Core", "REM")
        for i in range(round(hours * 2)):  # half-hour stages, an awake spell in the middle
            stage = "Awake" if i == round(hours) else f"Asleep{stages[i % 4]}"
            end = moment + dt.timedelta(minutes=30)
            add(kind, record(kind, f"HKCategoryValueSleepAnalysis{stage}", None, moment, end))
            moment = end
    return out


def export_xml(workouts: list[Workout], days: list[Day] = (), extra: str = "",
               exported: str = "2026-09-12 08:00:00 +0200") -> str:
    """The text of ``export.xml``: the records by type, then the workouts."""
    by_type: dict[str, list[str]] = {}
    for part in [*(workout_records(w) for w in workouts), *(day_records(d) for d in days)]:
        for kind, lines in part.items():
            by_type.setdefault(kind, []).extend(lines)
    body = "".join("".join(lines) for lines in by_type.values())
    return (DOCTYPE.replace("{exported}", exported) + body + extra
            + "".join(workout_element(w) for w in workouts) + "</HealthData>\n")


def export_files(workouts: list[Workout], days: list[Day] = (), extra: str = ""
                 ) -> dict[str, bytes]:
    """The files of an export: member name -> bytes."""
    files = {f"{FOLDER}/export.xml": export_xml(workouts, days, extra).encode(),
             f"{FOLDER}/export_cda.xml": b'<?xml version="1.0"?><ClinicalDocument/>'}
    for workout in workouts:
        if workout.route:
            files[f"{FOLDER}{workout.route_name()}"] = route_gpx(workout).encode()
    return files


def export_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write_folder(files: dict[str, bytes], root: Path) -> Path:
    """Write the files under ``root``; returns the export folder."""
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root / FOLDER
