"""Benchmark importing a large Apple Health export: wall time, CPU time and peak memory.

Generates ``--years`` of an Apple Watch runner's data (tests/apple_health_files.py): all-day
heart rate every 5 min, active energy every minute, basal energy, the phone's steps and
distance, four runs a week with route, heart rate and running metrics (one indoor), a ride,
strength and yoga, resting HR, HRV and sleep every day; ``export.xml`` has the records by type
and the workouts last, as the Health app writes it. Then, in a fresh process each, as
``strideload import`` does it (worker processes, per-activity metrics):

* the import of ``export.zip`` (or of the unzipped folder with ``--folder``) into a new store;
* the same import again (every piece already known).

It prints the export's size and records, each import's wall and CPU time and the peak
resident memory of the importing process and of its largest worker. Nothing outside a
temporary folder is touched. Run with::

    python benchmarks/apple_health_bench.py --years 5
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from apple_health_years import write_years  # noqa: E402

from dashboard.service import enrich  # noqa: E402
from ingest.importer import default_jobs, import_items  # noqa: E402
from ingest.sources import expand  # noqa: E402
from ingest.store import Store  # noqa: E402


def zip_folder(folder: Path, target: Path) -> None:
    """``export.zip`` as the Health app writes it (deflated, the export folder inside)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder.parent).as_posix())


def import_into(data_dir: Path, source: Path, jobs: int) -> None:
    """The measured import (run in its own process). Prints one JSON object."""
    started = time.perf_counter()
    with Store(data_dir) as store:
        reports = list(import_items(expand([source]), store, jobs=jobs, enrich=enrich))
        activities = store.count()
    wall = time.perf_counter() - started
    main, workers = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                          resource.RUSAGE_CHILDREN))
    print(json.dumps({
        "import_s": wall, "statuses": Counter(r.status for r in reports),
        "activities": activities, "wellness_days": sum(r.wellness_days for r in reports),
        "cpu_s": main.ru_utime + main.ru_stime + workers.ru_utime + workers.ru_stime,
        "peak_rss_mb": main.ru_maxrss / 1024, "worker_peak_rss_mb": workers.ru_maxrss / 1024,
    }))


def timed_import(source: Path, data_dir: Path, jobs: int) -> dict[str, object]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--import-into", str(data_dir), str(source),
         "--jobs", str(jobs)], check=True, capture_output=True, text=True)
    result = json.loads(done.stdout)
    result["process_wall_s"] = time.perf_counter() - started
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=5, help="years of watch data")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="worker processes")
    parser.add_argument("--folder", action="store_true",
                        help="import the unzipped folder instead of export.zip")
    parser.add_argument("--import-into", nargs=2, metavar=("DATA_DIR", "SOURCE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.import_into:
        import_into(Path(args.import_into[0]), Path(args.import_into[1]), args.jobs)
        return
    with tempfile.TemporaryDirectory(prefix="strideload-apple-bench-") as tmp:
        started = time.perf_counter()
        folder, workouts, records = write_years(Path(tmp) / "unzipped", args.years)
        xml_mb = (folder / "export.xml").stat().st_size / 2**20
        source = folder
        if not args.folder:
            source = Path(tmp) / "export.zip"
            zip_folder(folder, source)
            (folder / "export.xml").unlink()  # only the zip is read
        print(f"generated {args.years} years: {records:,} records, {workouts} workouts, "
              f"export.xml {xml_mb:,.0f} MB"
              + ("" if args.folder else f", export.zip {source.stat().st_size / 2**20:,.0f} MB")
              + f" in {time.perf_counter() - started:.0f} s")
        data_dir = Path(tmp) / "store"
        for label in ("import", "re-import"):
            result = timed_import(source, data_dir, args.jobs)
            main_mb, worker_mb = result["peak_rss_mb"], result["worker_peak_rss_mb"]
            print(f"{label} of {source.name} with {args.jobs} jobs: {result['import_s']:.0f} s "
                  f"({xml_mb / result['import_s']:.1f} MB of export.xml per s; CPU time of all "
                  f"processes {result['cpu_s']:.0f} s); statuses {dict(result['statuses'])}, "
                  f"store holds {result['activities']} activities, wellness days changed "
                  f"{result['wellness_days']}; peak RSS {main_mb:.0f} MB, largest worker "
                  f"{worker_mb:.0f} MB")


if __name__ == "__main__":
    main()
