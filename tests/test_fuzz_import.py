"""The fuzzing harness: a seeded run of damaged copies finds nothing, and it would if there were."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from fitfiles import run_fit

from ingest.reader import read_activities
from ingest.store import Store

FUZZ = Path(__file__).parents[1] / "benchmarks" / "fuzz_import.py"
FAILURES = ("tracebacks", "memory_ceilings_hit", "timeouts", "stored_implausible",
            "raw_error_texts", "dedupe_fooled")


def harness():
    spec = importlib.util.spec_from_file_location("fuzz_import", FUZZ)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_seeded_run_of_300_damaged_files_finds_nothing(tmp_path):
    done = subprocess.run(
        [sys.executable, str(FUZZ), "--files", "300", "--seed", "20261203", "--sample-files", "1",
         "--jobs", "2", "--ceiling", "1024", "--json", "--keep", str(tmp_path)],
        capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.splitlines()[-1])
    assert figures["files"] == 300
    assert min(figures["outcomes"].get(k, 0) for k in ("imported", "rejected")) > 50
    for key in FAILURES:
        assert figures[key] == 0, (key, figures["examples"])
    assert figures["max_seconds"] < 10
    assert not list(tmp_path.iterdir())


def test_the_harness_sees_raw_error_texts():
    raw = harness().RAW_TEXT
    assert raw.search("unexpected decoder error (ValueError: bytes must be in range(0, 256))")
    assert raw.search("unexpected decoder error (MemoryError: Unable to allocate 24.5 GiB)")
    assert not raw.search("dropped 3 GPS points at 0,0 or out of range")
    assert not raw.search("the XML is damaged at line 2 (not well-formed (invalid token))")


def test_the_harness_sees_stored_implausible_totals(tmp_path):
    (activity,) = read_activities(run_fit(dt.datetime(2026, 3, 2, tzinfo=dt.UTC), seconds=600),
                                  "run.fit")
    with Store(tmp_path) as store:
        store.add(activity, "a" * 64, "good.fit")
        assert harness()._implausible(store) == []
        activity.summary.distance_m = 26_000_000.0  # what the reader no longer lets through
        activity.summary.start_time += dt.timedelta(days=3)
        store.add(activity, "b" * 64, "bad.fit")
        (found,) = harness()._implausible(store)
    assert "distance_m faster than 12.5 m/s on average" in found


@pytest.mark.parametrize("kind", ["fit", "gpx"])
def test_mutations_are_seeded_and_change_the_bytes(kind):
    fuzz = harness()
    originals = fuzz.suite_files(0)
    data = originals["suite/garmin_run.fit" if kind == "fit" else "suite/run.gpx"]
    first = [fuzz.mutate(data, random.Random(seed)) for seed in range(40)]
    again = [fuzz.mutate(data, random.Random(seed)) for seed in range(40)]
    assert first == again
    assert sum(out != data for out, _ in first) >= 38
    names = {name for _, mutation in first for name in mutation.split("+")}
    assert {"flip", "truncate"} <= names
