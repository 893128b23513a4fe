"""Benchmark bulk FIT import: decoder throughput, end-to-end import, re-import, peak memory.

Generates ``--runs`` realistic one-hour runs (1 Hz records of a Garmin-like watch with GPS, heart
rate, cadence, power and running dynamics, a lap per km, GPS and heart-rate dropouts) into a
temporary folder, then prints in one go:

* records/s of the fast decoder and of fitparse on the same files, and their ratio;
* wall time to import all runs into a fresh store (``import_items`` with ``--jobs`` and the
  per-activity metrics, as ``strideload import`` does);
* wall time to import them again (every file already known);
* peak resident memory of the importing process and of its largest worker.

Nothing outside the temporary folder is touched. Run with::

    python benchmarks/import_bench.py --runs 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
from polars.testing import assert_frame_equal

from dashboard.service import enrich
from ingest.fit import fast_decoder, fitparse_decoder, read_fit
from ingest.fit.crc import fit_crc
from ingest.fit.scan import scan
from ingest.importer import default_jobs, import_items
from ingest.sources import expand
from ingest.store import Store

FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)
FIRST_START = dt.datetime(2019, 1, 6, 7, 0, tzinfo=dt.UTC)
EARTH_RADIUS_M = 6_371_008.8
SEMICIRCLES_PER_DEG = 2**31 / 180

# FIT profile numbers (FIT SDK Profile.xlsx): global message numbers and the field numbers, base
# types and scales used below. Base types: 0x00 enum, 0x01 sint8, 0x02 uint8, 0x84 uint16,
# 0x85 sint32, 0x86 uint32, 0x8C uint32z, 0x07 string.
FILE_ID, DEVICE_INFO, EVENT, RECORD, LAP, SESSION, ACTIVITY = 0, 23, 21, 20, 19, 18, 34
#: record fields as a Forerunner writes them: (field number, base type, numpy type, name).
RECORD_FIELDS = (
    (253, 0x86, "<u4", "timestamp"),
    (0, 0x85, "<i4", "position_lat"),  # semicircles
    (1, 0x85, "<i4", "position_long"),
    (5, 0x86, "<u4", "distance"),  # m * 100
    (73, 0x86, "<u4", "enhanced_speed"),  # m/s * 1000
    (78, 0x86, "<u4", "enhanced_altitude"),  # (m + 500) * 5
    (7, 0x84, "<u2", "power"),  # W
    (39, 0x84, "<u2", "vertical_oscillation"),  # mm * 10
    (40, 0x84, "<u2", "stance_time_percent"),  # % * 100
    (41, 0x84, "<u2", "stance_time"),  # ms * 10
    (83, 0x84, "<u2", "vertical_ratio"),  # % * 100
    (85, 0x84, "<u2", "step_length"),  # mm * 10
    (107, 0x84, "<u2", "unknown_107"),  # undocumented fields watches write too
    (3, 0x02, "u1", "heart_rate"),  # bpm
    (4, 0x02, "u1", "cadence"),  # strides/min
    (53, 0x02, "u1", "fractional_cadence"),  # 1/128 strides/min
    (13, 0x01, "i1", "temperature"),  # deg C
    (108, 0x02, "u1", "unknown_108"),
)
RECORD_DTYPE = np.dtype([("header", "u1")] + [(name, np_type) for _, _, np_type, name in
                                               RECORD_FIELDS])


def fit_seconds(moment: dt.datetime) -> int:
    """Seconds since the FIT epoch (1989-12-31 UTC)."""
    return int((moment - FIT_EPOCH).total_seconds())


class FitWriter:
    """Minimal little-endian FIT writer: definitions, data messages, header and CRCs."""

    def __init__(self) -> None:
        self.body = bytearray()
        self.formats: dict[int, str] = {}

    def define(self, local: int, global_num: int, fields: list[tuple[int, int, str]]) -> None:
        """fields: (field number, base type, struct code); strings as ``'<n>s'``."""
        self.body += struct.pack("<BBBHB", 0x40 | local, 0, 0, global_num, len(fields))
        for num, base, code in fields:
            self.body += bytes((num, struct.calcsize("<" + code), base))
        self.formats[local] = "<B" + "".join(code for _, _, code in fields)

    def data(self, local: int, *values: object) -> None:
        self.body += struct.pack(self.formats[local], local, *values)

    def records(self, local: int, global_num: int, rows: np.ndarray) -> None:
        """Define ``local`` as ``RECORD_FIELDS``, then append ``rows`` (of ``RECORD_DTYPE``)."""
        self.body += struct.pack("<BBBHB", 0x40 | local, 0, 0, global_num, len(RECORD_FIELDS))
        for num, base, np_type, _ in RECORD_FIELDS:
            self.body += bytes((num, np.dtype(np_type).itemsize, base))
        rows["header"] = local
        self.body += rows.tobytes()

    def to_bytes(self) -> bytes:
        header = bytearray(struct.pack("<BBHI4s", 14, 0x20, 2132, len(self.body), b".FIT"))
        header += struct.pack("<H", fit_crc(header))
        data = bytes(header) + self.body
        return data + struct.pack("<H", fit_crc(data))


def _smooth(rng: np.random.Generator, n: int, scale: float, window: int) -> np.ndarray:
    """A random signal varying over ``window`` samples with standard deviation ~``scale``."""
    noise = rng.normal(0.0, 1.0, n + window)
    kernel = np.hanning(window)
    signal = np.convolve(noise, kernel / np.sqrt((kernel**2).sum()), mode="valid")[:n]
    return signal * scale


def one_hour_run(index: int, seconds: int = 3600, start: dt.datetime | None = None,
                 sport: tuple[int, int] = (1, 0), speed_m_s: float = 3.1) -> bytes:
    """FIT bytes of run number ``index``: distinct start (a day apart) and values, seeded.

    ``start``, ``sport`` (FIT sport and sub-sport numbers) and the mean speed make other
    sessions of the same shape (rides, walks, swims; see ``history_export.py``).
    """
    rng = np.random.default_rng(index)
    if start is None:
        start = FIRST_START + dt.timedelta(days=index, minutes=int(rng.integers(0, 600)))
    t0 = fit_seconds(start)
    n = seconds
    speed = np.clip(speed_m_s + _smooth(rng, n, 0.35, 120) + rng.normal(0, 0.05, n),
                    0.3 * speed_m_s, 2.0 * speed_m_s)
    distance = np.concatenate(([0.0], np.cumsum(speed[1:])))
    heading = np.cumsum(_smooth(rng, n, 0.02, 60))
    lat0, lon0 = 48.1 + rng.uniform(-0.05, 0.05), 11.5 + rng.uniform(-0.05, 0.05)
    lat = lat0 + np.degrees(np.cumsum(speed * np.cos(heading)) / EARTH_RADIUS_M)
    lon = lon0 + np.degrees(
        np.cumsum(speed * np.sin(heading)) / (EARTH_RADIUS_M * math.cos(math.radians(lat0)))
    )
    altitude = 520 + np.cumsum(_smooth(rng, n, 0.08, 200))
    heart_rate = np.clip(128 + 25 * np.arange(n) / n + _smooth(rng, n, 5, 90), 60, 200)
    cadence = np.clip(85 + _smooth(rng, n, 1.5, 60), 70, 100)

    rows = np.zeros(n, RECORD_DTYPE)
    rows["timestamp"] = t0 + np.arange(n)
    rows["position_lat"] = np.round(lat * SEMICIRCLES_PER_DEG)
    rows["position_long"] = np.round(lon * SEMICIRCLES_PER_DEG)
    rows["distance"] = np.round(distance * 100)
    rows["enhanced_speed"] = np.round(speed * 1000)
    rows["enhanced_altitude"] = np.round((altitude + 500) * 5)
    rows["power"] = np.round(speed * 78 + rng.normal(0, 8, n))
    rows["vertical_oscillation"] = np.round((85 + _smooth(rng, n, 4, 60)) * 10)
    rows["stance_time_percent"] = np.round((34 + _smooth(rng, n, 1, 60)) * 100)
    rows["stance_time"] = np.round((245 + _smooth(rng, n, 8, 60)) * 10)
    rows["vertical_ratio"] = np.round((8 + _smooth(rng, n, 0.4, 60)) * 100)
    rows["step_length"] = np.round(speed * 60 / (2 * cadence) * 10000)
    rows["unknown_107"] = rng.integers(0, 2000, n)
    rows["heart_rate"] = np.round(heart_rate)
    rows["cadence"] = np.floor(cadence)
    rows["fractional_cadence"] = np.round((cadence % 1) * 128) % 128
    rows["temperature"] = np.round(24 - 4 * np.arange(n) / n)
    rows["unknown_108"] = rng.integers(0, 255, n)
    gps_fix = int(rng.integers(3, 15))  # no position until the first GPS fix
    rows["position_lat"][:gps_fix] = rows["position_long"][:gps_fix] = 0x7FFFFFFF
    dropout = int(rng.integers(600, n - 120))  # the strap loses contact for a while
    rows["heart_rate"][dropout:dropout + int(rng.integers(5, 60))] = 0xFF

    fit = FitWriter()
    fit.define(0, FILE_ID, [(0, 0x00, "B"), (1, 0x84, "H"), (2, 0x84, "H"), (3, 0x8C, "I"),
                            (4, 0x86, "I")])
    fit.data(0, 4, 1, 4315, 3_900_000 + index, t0)
    fit.define(1, DEVICE_INFO, [(253, 0x86, "I"), (0, 0x02, "B"), (2, 0x84, "H"),
                                (4, 0x84, "H"), (5, 0x84, "H"), (27, 0x07, "20s")])
    fit.data(1, t0, 0, 1, 4315, 2011, b"Forerunner 965")
    fit.data(1, t0, 1, 1, 2991, 330, b"HRM-Pro Plus")
    fit.define(2, EVENT, [(253, 0x86, "I"), (0, 0x00, "B"), (1, 0x00, "B")])
    fit.data(2, t0, 0, 0)  # timer start

    km_marks = np.searchsorted(distance, np.arange(1000.0, distance[-1], 1000.0))
    bounds = [0, *km_marks.tolist(), n]
    fit.define(4, LAP, [(253, 0x86, "I"), (2, 0x86, "I"), (7, 0x86, "I"), (8, 0x86, "I"),
                        (9, 0x86, "I"), (110, 0x86, "I"), (15, 0x02, "B"), (16, 0x02, "B"),
                        (17, 0x02, "B"), (80, 0x02, "B"), (21, 0x84, "H"), (0, 0x00, "B"),
                        (1, 0x00, "B")])
    laps = []
    for first, end in zip(bounds[:-1], bounds[1:], strict=True):
        part = slice(first, end)
        elapsed = end - 1 - first
        lap_cadence = float(cadence[part].mean())
        laps.append((
            t0 + end - 1, t0 + first, elapsed * 1000, elapsed * 1000,
            round((distance[end - 1] - distance[first]) * 100),
            round(float(speed[part].mean()) * 1000), round(float(heart_rate[part].mean())),
            round(float(heart_rate[part].max())), int(lap_cadence),
            round(lap_cadence % 1 * 128) % 128,
            round(float(np.clip(np.diff(altitude[part]), 0, None).sum())), 9, 1,
        ))
    for (first, end), lap in zip(zip(bounds[:-1], bounds[1:], strict=True), laps, strict=True):
        fit.records(3, RECORD, rows[first:end].copy())
        fit.data(4, *lap)

    t_end = t0 + n - 1
    fit.data(2, t_end, 0, 4)  # timer stop_all
    fit.define(5, SESSION, [(253, 0x86, "I"), (2, 0x86, "I"), (5, 0x00, "B"), (6, 0x00, "B"),
                            (7, 0x86, "I"), (8, 0x86, "I"), (9, 0x86, "I"), (124, 0x86, "I"),
                            (16, 0x02, "B"), (17, 0x02, "B"), (18, 0x02, "B"),
                            (92, 0x02, "B"), (20, 0x84, "H"), (22, 0x84, "H"),
                            (23, 0x84, "H"), (11, 0x84, "H"), (0, 0x00, "B"), (1, 0x00, "B")])
    mean_cadence = float(cadence.mean())
    rises = np.diff(altitude)
    fit.data(5, t_end, t0, *sport, (n - 1) * 1000, (n - 1) * 1000, round(distance[-1] * 100),
             round(float(speed.mean()) * 1000), round(float(heart_rate.mean())),
             round(float(heart_rate.max())), int(mean_cadence), round(mean_cadence % 1 * 128) % 128,
             round(float(rows["power"].mean())), round(float(rises[rises > 0].sum())),
             round(float(-rises[rises < 0].sum())), round(distance[-1] / 1000 * 70), 8, 1)
    fit.define(6, ACTIVITY, [(253, 0x86, "I"), (5, 0x86, "I"), (1, 0x84, "H"), (2, 0x00, "B"),
                             (3, 0x00, "B"), (4, 0x00, "B")])
    fit.data(6, t_end, t_end + 3600, 1, 0, 26, 1)
    return fit.to_bytes()


# -- measurements ------------------------------------------------------------------------------
def write_runs(folder: Path, runs: int) -> float:
    """Write ``runs`` one-hour runs into ``folder``; seconds taken."""
    folder.mkdir(parents=True)
    started = time.perf_counter()
    for index in range(runs):
        (folder / f"run_{index:05d}.fit").write_bytes(one_hour_run(index))
    return time.perf_counter() - started


def decoder_speed(paths: list[Path], repeats: int) -> dict[str, float]:
    """Records/s of both decoders on the same files (decoding only, after the structural scan).

    The fast decoder's time per file is the median of ``repeats`` runs; fitparse is run once.
    Both must give the same activities, else this raises.
    """
    segments = [scan(path.read_bytes()).segments[0].data for path in paths]
    records = 0
    fast_s = fitparse_s = 0.0
    for path, segment in zip(paths, segments, strict=True):
        fast_decoder.decode(segment)  # first call compiles the file's definitions
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            tables = fast_decoder.decode(segment)
            times.append(time.perf_counter() - started)
        fast_s += statistics.median(times)
        started = time.perf_counter()
        reference = fitparse_decoder.decode(segment)
        fitparse_s += time.perf_counter() - started
        assert tables.rows == reference.rows, path
        records += reference.rows["record"]
        _check_same(path.read_bytes())
    return {"files": len(paths), "records": records, "fast_records_per_s": records / fast_s,
            "fitparse_records_per_s": records / fitparse_s, "ratio": fitparse_s / fast_s}


def _check_same(data: bytes) -> None:
    """Both decoders give identical activities (summary, laps and every sample column)."""
    fast, reference = read_fit(data, fast_decoder.decode), read_fit(data, fitparse_decoder.decode)
    for ours, theirs in zip(fast, reference, strict=True):
        if (ours.summary, ours.laps, ours.warnings) != (theirs.summary, theirs.laps,
                                                         theirs.warnings):
            raise RuntimeError("the decoders disagree on a summary, lap or warning")
        assert_frame_equal(ours.samples, theirs.samples, rel_tol=1e-9, abs_tol=0)


def timed_import(folder: Path, data_dir: Path, jobs: int) -> dict[str, object]:
    """Import ``folder`` into ``data_dir`` in a fresh process: wall time, statuses, peak RSS."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--import-into", str(data_dir), str(folder),
         "--jobs", str(jobs)],
        check=True, capture_output=True, text=True,
    )
    result = json.loads(done.stdout)
    result["process_wall_s"] = time.perf_counter() - started
    return result


def import_into(data_dir: Path, folder: Path, jobs: int) -> None:
    """The measured import (run in its own process), as ``strideload import`` does it: with the
    per-activity metrics computed in the workers. Prints one JSON object."""
    started = time.perf_counter()
    with Store(data_dir) as store:
        reports = import_items(expand([folder]), store, jobs=jobs, enrich=enrich)
        statuses = Counter(r.status for r in reports)
        activities = store.count()
    wall = time.perf_counter() - started
    main, workers = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                          resource.RUSAGE_CHILDREN))
    print(json.dumps({
        "import_s": wall, "statuses": statuses, "activities": activities,
        "cpu_s": main.ru_utime + main.ru_stime + workers.ru_utime + workers.ru_stime,
        "peak_rss_mb": main.ru_maxrss / 1024, "worker_peak_rss_mb": workers.ru_maxrss / 1024,
    }))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1000, help="one-hour runs to import")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="worker processes")
    parser.add_argument("--decode-files", type=int, default=5,
                        help="files on which the decoders are compared (fitparse is slow)")
    parser.add_argument("--repeats", type=int, default=5, help="fast decoder runs per file")
    parser.add_argument("--import-into", nargs=2, metavar=("DATA_DIR", "FOLDER"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.import_into:
        import_into(Path(args.import_into[0]), Path(args.import_into[1]), args.jobs)
        return
    with tempfile.TemporaryDirectory(prefix="strideload-bench-") as tmp:
        folder, data_dir = Path(tmp) / "runs", Path(tmp) / "store"
        generated = write_runs(folder, args.runs)
        size = sum(p.stat().st_size for p in folder.iterdir())
        print(f"generated {args.runs} one-hour runs ({size / 2**20:.0f} MB) in {generated:.1f} s")
        paths = sorted(folder.iterdir())[:args.decode_files]
        speed = decoder_speed(paths, args.repeats)
        print(f"decoding {speed['records']} records of {speed['files']} files (identical "
              f"activities): fast {speed['fast_records_per_s']:,.0f} records/s, fitparse "
              f"{speed['fitparse_records_per_s']:,.0f} records/s, ratio {speed['ratio']:.0f}x")
        for label in ("import", "re-import"):
            result = timed_import(folder, data_dir, args.jobs)
            main_mb, worker_mb = result["peak_rss_mb"], result["worker_peak_rss_mb"]
            print(f"{label} of {args.runs} runs with {args.jobs} jobs: {result['import_s']:.1f} s "
                  f"({result['process_wall_s']:.1f} s with process start-up; CPU time of all "
                  f"processes {result['cpu_s']:.1f} s), "
                  f"statuses {dict(result['statuses'])}, store holds {result['activities']}; "
                  f"peak RSS {main_mb:.0f} MB, largest worker {worker_mb:.0f} MB, "
                  f"all processes at most {main_mb + args.jobs * worker_mb:.0f} MB")


if __name__ == "__main__":
    main()
