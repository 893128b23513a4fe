"""Module-level caches are safe under threads (a threaded web server, a threaded import).

Fresh processes, so the lazily built tables are empty when eight threads start at once: the
FIT CRC over inputs from 100 B to 1 MB against garmin-fit-sdk's own CRC, and whole decodings
of real FIT files against what this process decoded alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from garmin_fit_sdk.crc_calculator import CrcCalculator
from thread_workers import data_of, digest

from ingest.reader import read_activities

PROCESSES = 6
SIZES = (1 << 20, 300_001, 65_536, 4_097, 600, 100)
SAMPLES = Path(__file__).parents[1] / "sample_data" / "files"


def test_crc_and_decoders_are_thread_safe_from_a_cold_start():
    crcs = [(seed, size, CrcCalculator.calculate_crc(data_of(seed, size), 0, size))
            for seed, size in enumerate(SIZES)]
    fit_files = sorted(SAMPLES.glob("*.fit.gz"))[:4]
    files = [(str(path), digest(read_activities(path))) for path in fit_files]
    job = json.dumps({"crcs": crcs, "files": files})
    worker = Path(__file__).with_name("thread_workers.py")

    def run(_: int) -> dict:
        done = subprocess.run([sys.executable, str(worker)], input=job, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(run, range(PROCESSES)))
    assert results == [{"threaded": [], "afterwards": []}] * PROCESSES
