"""``strideload import`` of a handful of real runs, as a runner starts it, against bare fitparse.

Takes the real running FIT recordings of the corpus (``$STRIDELOAD_CORPUS/MANIFEST.tsv``, sport
``running``, not the damaged ones) or the files given, then, interleaved ``--rounds`` times:

* fitparse: every message of every file decoded (``FitFile(path).get_messages()``), in this
  process - the decoding alone, no start-up;
* ``strideload import FILES --data-dir NEW``: a new process into a new store, start-up,
  decoding, per-activity metrics and storing included.

Prints the medians and their ratio (target: strideload at least 50x faster). ``--before DIR``
also times, interleaved, the same command from another checkout of strideload (``DIR`` first
on ``PYTHONPATH``, e.g. an extracted older commit), for before/after figures.

Run: ``STRIDELOAD_CORPUS=/path/to/corpus python benchmarks/cli_import_bench.py [FILES ...]``
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import fitparse

TARGET_RATIO = 50.0


def corpus_runs(corpus: Path) -> list[Path]:
    """The corpus's real running FIT files that fitparse reads to the end (not the damaged
    ones), so both sides decode the same files whole."""
    with open(corpus / "MANIFEST.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    paths = [corpus / row["file"] for row in rows
             if row["format"] == "fit" and row["sport_if_known"] == "running"
             and not row["file"].startswith("bad/")]
    return [path for path in paths if _fitparse_reads(path)]


def _fitparse_reads(path: Path) -> bool:
    try:
        fitparse_seconds([path])
    except fitparse.FitParseError:
        return False
    return True


def fitparse_seconds(paths: list[Path]) -> tuple[float, int]:
    """(seconds, record messages) to decode every message of ``paths`` with fitparse."""
    begin = time.perf_counter()
    records = 0
    for path in paths:
        records += sum(m.name == "record" for m in fitparse.FitFile(str(path)).get_messages())
    return time.perf_counter() - begin, records


def strideload_seconds(paths: list[Path], code: Path | None = None) -> float:
    """Wall time of ``strideload import`` of ``paths`` into a new store, process included
    (``code``: the checkout to run instead of the installed one)."""
    exe = Path(sys.executable).with_name("strideload")
    env = {**os.environ, **({"PYTHONPATH": str(code)} if code else {})}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as after a normal install: modules compiled once
    with tempfile.TemporaryDirectory(prefix="strideload-cli-import-") as store:
        begin = time.perf_counter()
        subprocess.run([str(exe), "import", *map(str, paths), "--data-dir", store], check=True,
                       stdout=subprocess.DEVNULL, env=env)
        return time.perf_counter() - begin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", type=Path, help="another checkout to time alongside")
    args = parser.parse_args()
    paths = args.files or corpus_runs(Path(os.environ["STRIDELOAD_CORPUS"]))
    strideload_seconds(paths)  # warm the file cache
    fitparse_times, strideload_times, before_times = [], [], []
    records = 0
    for _ in range(args.rounds):
        seconds, records = fitparse_seconds(paths)
        fitparse_times.append(seconds)
        strideload_times.append(strideload_seconds(paths))
        if args.before:
            before_times.append(strideload_seconds(paths, args.before))
    slow, fast = statistics.median(fitparse_times), statistics.median(strideload_times)
    load = os.getloadavg()[0]
    print(f"{len(paths)} real running FIT files, {records:,} records, "
          f"{sum(p.stat().st_size for p in paths) / 1024:.0f} KiB; median of {args.rounds} "
          f"interleaved rounds (load average {load:.1f}, {os.cpu_count()} cores):")
    print("  " + ", ".join(p.name for p in paths))
    print(f"  fitparse, decoding only      {slow:7.2f} s")
    print(f"  strideload import (process)  {fast:7.2f} s   x{slow / fast:.1f} "
          f"(target x{TARGET_RATIO:.0f})")
    if before_times:
        before = statistics.median(before_times)
        print(f"  strideload import, {args.before}  {before:7.2f} s   x{slow / before:.1f}")


if __name__ == "__main__":
    main()
