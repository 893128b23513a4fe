"""Generate the sample history: ``python -m sample_data.generate [--out DIR] [--seed N]``.

Writes, under ``--out`` (default: this package's folder, where the committed copy lives):

* ``files/*.fit.gz`` and ``files/*.gpx.gz`` - the activities, gzip-compressed like a Strava
  export (``mtime=0`` and no file name in the header, so the bytes depend on the seed only);
* ``profile.json`` - the athlete profile the demo loads;
* ``pain_journal.csv`` - ``date,area,level,during_run,note``;
* ``rpe.csv`` - ``file,rpe`` (session RPE, CR-10, keyed by activity file name);
* ``gear.json`` - the runner's gear (``items``) and which activity files used what
  (``assignments``: file name -> gear names);
* ``bodywork.csv`` - ``date,category,minutes,exercises,note``: body work logged by hand
  (exercises as ``strideload bodywork add --exercise`` takes them, joined by ``; ``);
* ``story.json`` - which weeks, runs and dates tell the story (see README.md).
* ``garmin_export.zip`` - her nights, overnight HRV and resting HR as the wellness files of a
  Garmin account export (:mod:`sample_data.wellness`).

Every activity draws from its own ``numpy.random.default_rng([seed, index])``, the plan from
``random.Random(seed)``, the body work from ``random.Random(seed + 1)`` and the wellness from
``numpy.random.default_rng([seed, 7000])``: the same seed gives
identical files. Needs garmin-fit-sdk (``pip install -e '.[test]'``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import io
import json
import os
import random
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from sample_data import plan
from sample_data.fit_writer import fit_bytes
from sample_data.gpx_writer import gpx_bytes
from sample_data.physiology import Athlete
from sample_data.recording import record
from sample_data.wellness import DEADLINE_NIGHTS, PAIN_NIGHTS, export_members, export_zip

DEFAULT_SEED = 20260601
PACKAGE_DIR = Path(__file__).parent
ACTIVITY_SUFFIXES = (".fit.gz", ".gpx.gz")
#: Her nights, HRV and resting HR as a Garmin account export (:mod:`sample_data.wellness`).
WELLNESS_EXPORT = "garmin_export.zip"


def athlete(profile: dict) -> Athlete:
    """Heart-rate and pace anchors from the profile."""
    return Athlete(
        hr_rest=profile["hr_rest"],
        hr_max=profile["hr_max"],
        lthr=profile["lthr"],
        threshold_speed=1000.0 / profile["threshold_pace_s_per_km"],
    )


def activity_file(session: plan.Session, index: int, seed: int) -> tuple[str, bytes]:
    """(file name, gzip bytes) of one session."""
    rng = np.random.default_rng([seed, index])
    rec = record(session, athlete(plan.PROFILE), rng)
    data = gpx_bytes(rec) if session.phone else fit_bytes(rec)
    return session.file_name, gzip.compress(data, mtime=0)


def _csv(rows: list[tuple], header: tuple[str, ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _week(week: int) -> dict[str, object]:
    monday = plan.week_monday(week)
    year, number, _ = monday.isocalendar()
    return {
        "week": week,
        "iso_week": f"{year}-W{number:02d}",
        "monday": monday.isoformat(),
        "sunday": (monday + dt.timedelta(days=6)).isoformat(),
        "phase": plan.phase_of(week),
    }


def story(sessions: list[plan.Session]) -> dict[str, object]:
    """Which weeks, files and dates tell the story; the figures are left to the data."""
    by_key = {(s.week, s.weekday): s for s in sessions}
    spike_long = max(
        (s for s in sessions if s.week == plan.SPIKE_WEEK and s.is_run), key=lambda s: s.amount
    )
    return {
        "time_zone": plan.TIME_ZONE,
        "weeks": [_week(week) for week in range(1, plan.WEEKS + 1)],
        "spike_week": plan.SPIKE_WEEK,
        "spike_long_run": spike_long.file_name,
        "marked_long_runs": [by_key[key].file_name for key in sorted(plan.FATIGUED_RUNS)],
        "pain_area": plan.PAIN_AREA,
        "pain_during_run_dates": sorted(
            plan.day_of(*key).isoformat() for key in plan.RUN_DURING_PAIN
        ),
        "peak_pain_dates": [plan.day_of(*key).isoformat() for key in plan.PEAK_PAIN],
        "cross_training_week": plan.CROSS_TRAINING_WEEK,
        "return_weeks": list(plan.PHASES["return"]),
        "phone_runs": sorted(s.file_name for s in sessions if s.phone),
        "phone_runs_without_heart_rate": sorted(
            s.file_name for s in sessions if s.phone and not s.strap
        ),
        "treadmill_runs": [s.file_name for s in sessions if s.kind == "treadmill"],
        "shoes_worn": plan.SHOES_WORN,
        "shoes_new": plan.SHOES_NEW,
        "vest": plan.VEST,
        "vest_runs": [s.file_name for s in sessions if plan.VEST in plan.gear_of(s)],
        "warmup_runs": [s.file_name for s in sessions if s.warmup],
        "bodywork_weeks": list(plan.BODYWORK_WEEKS),
        "core_workouts": [s.file_name for s in sessions if s.is_core],
        "deadline_nights": sorted(plan.day_of(*key).isoformat() for key in DEADLINE_NIGHTS),
        "pain_nights": sorted(plan.day_of(*key).isoformat() for key in PAIN_NIGHTS),
        "expected_warnings": {},
    }


def gear(sessions: list[plan.Session]) -> dict[str, object]:
    """The gear items and the gear of each activity file (``gear.json``)."""
    return {
        "items": list(plan.GEAR),
        "assignments": {s.file_name: plan.gear_of(s) for s in sessions if plan.gear_of(s)},
    }


def generate(out: Path, seed: int = DEFAULT_SEED, jobs: int | None = None) -> list[Path]:
    """Write the whole sample history under ``out``; returns the paths written.

    Activity files under ``out/files`` that this run did not write (left over from an
    older plan) are removed. ``jobs`` processes encode the files in parallel (default: one
    per CPU); the output does not depend on it.
    """
    rng = random.Random(seed)
    sessions = plan.sessions(rng)
    rpe = plan.rpe_rows(rng, sessions)
    pain = plan.pain_rows(rng, sessions)
    body_rng = random.Random(seed + 1)
    core = plan.bodywork_sessions(body_rng)
    rpe += plan.bodywork_rpe_rows(body_rng, core)
    sessions += core  # after the others: their files keep their random streams
    files_dir = out / "files"
    files_dir.mkdir(parents=True, exist_ok=True)
    written = []
    indices = range(len(sessions))
    with ProcessPoolExecutor(max_workers=jobs or os.cpu_count()) as pool:
        for name, data in pool.map(activity_file, sessions, indices, [seed] * len(sessions)):
            path = files_dir / name
            path.write_bytes(data)
            written.append(path)
    for stale in sorted(files_dir.iterdir()):
        if stale.name.endswith(ACTIVITY_SUFFIXES) and stale not in written:
            stale.unlink()
    texts = {
        "profile.json": json.dumps(plan.PROFILE, indent=2) + "\n",
        "pain_journal.csv": _csv(
            [(d, a, lvl, "true" if during else "false", note) for d, a, lvl, during, note in pain],
            ("date", "area", "level", "during_run", "note"),
        ),
        "rpe.csv": _csv(rpe, ("file", "rpe")),
        "gear.json": json.dumps(gear(sessions), indent=2) + "\n",
        "bodywork.csv": _csv(plan.bodywork_rows(),
                             ("date", "category", "minutes", "exercises", "note")),
        "story.json": json.dumps(story(sessions), indent=2) + "\n",
    }
    for name, text in texts.items():
        path = out / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    export = out / WELLNESS_EXPORT
    export.write_bytes(export_zip(export_members(sessions, seed)))
    written.append(export)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PACKAGE_DIR, help="output folder")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    paths = generate(args.out, args.seed, args.jobs)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} files ({size / 2**20:.2f} MB) to {args.out} "
          f"in {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
