"""Fuzz the importer: damaged copies of real files must never poison the store or the machine.

Takes the files the test suite writes (every FIT file of ``tests/fitfiles.catalogue``, a GPX
and a TCX document from ``tests/xml_docs``, a few bundled sample recordings) and every FIT, GPX
and TCX file under the folders given, damages copies of them (``fuzz_mutations``: bits flipped,
chunks inserted, deleted or repeated, truncation, FIT header and definition corruption, XML
token and number corruption), and imports each copy - with the per-activity metrics, as
``strideload import`` does - into a fresh store, in worker processes whose address space is
capped at ``--ceiling`` MB. A copy that was stored is imported again into a store holding its
original, which must keep the original and store nothing beside it. Prints:

* files, originals and outcomes (imported / duplicate / rejected);
* tracebacks (an exception escaping the importer, or one it reports as an internal error);
* memory ceilings hit (a MemoryError, or a worker process that died);
* the longest wall time of one file (decode, checks, metrics, store), the five slowest and
  how many took over 10 s;
* peak resident memory of a worker, and the largest growth of it while importing one file;
* stored activities whose totals are implausible or contradict their own samples;
* rejection reasons and warnings with internal error texts (Python exception names);
* damaged copies stored beside their original or replacing it.

Run the long run with, e.g.::

    python benchmarks/fuzz_import.py /path/to/recordings --files 5000 --seed 1 --ceiling 1024

``--json`` prints the figures as one JSON object instead; ``--keep DIR`` saves every file
counted in a failure figure, for reproducing it.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import gzip
import json
import multiprocessing
import os
import random
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]

from fuzz_mutations import mutate  # noqa: E402

from ingest.importer import OUT_OF_MEMORY, WORKER_ENVIRONMENT, limit_memory  # noqa: E402

#: A file taking longer than this is stopped and counted as a timeout [s].
FILE_TIMEOUT_S = 120
#: What an internal error text looks like in a reason or warning (Python exception names).
RAW_TEXT = re.compile(r"Traceback|\b[A-Z]\w*(?:Error|Exception)\b|unexpected decoder error"
                      r"|object has no attribute|index out of range|NoneType|\brange\(")
#: Result keys that mark a failure (saved with --keep).
FAILURE_KEYS = ("traceback", "memory", "died", "timeout", "implausible", "raw_texts", "dedupe")
SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz")
START = dt.datetime(2026, 3, 2, 6, 30, tzinfo=dt.UTC)


# -- originals ------------------------------------------------------------------------------------
def suite_files(sample_files: int) -> dict[str, bytes]:
    """The files the test suite writes, plus ``sample_files`` bundled sample recordings."""
    import xml_docs as x
    from fitfiles import catalogue

    files = {f"suite/{name}.fit": data for name, data in catalogue(START).items()}
    stamp = [(START + dt.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
             for i in range(900)]
    points = [x.gpx_point(52.5 + i * 2.7e-5, 13.4, stamp[i], 34.0 + (i % 60) / 10,
                          x.tpx(hr=120 + i % 40, cad=86)) for i in range(900)]
    files["suite/run.gpx"] = x.gpx_doc(x.gpx_track(points[:500], points[500:],
                                                   sport="running")).encode()
    laps = [x.tcx_lap(stamp[k * 450], [
        x.tcx_point(stamp[i], 52.5 + i * 2.7e-5, 13.4, 34.0, 3.0 * i, 120 + i % 40, 86,
                    tpx="<ns3:Speed>3.0</ns3:Speed><ns3:RunCadence>86</ns3:RunCadence>")
        for i in range(k * 450, (k + 1) * 450)], total_s=450.0, distance=1350.0, calories=90,
        avg_hr=140, max_hr=159) for k in range(2)]
    files["suite/run.tcx"] = x.tcx_doc(x.tcx_activity("Running", *laps,
                                                      device="Forerunner")).encode()
    bundled = sorted((ROOT / "sample_data" / "files").glob("*.gz"))
    step = max(1, len(bundled) // max(sample_files, 1))
    for path in bundled[::step][:sample_files]:
        files[f"sample/{path.name[:-3]}"] = gzip.decompress(path.read_bytes())
    return files


def folder_files(folders: list[str]) -> dict[str, bytes]:
    """Every FIT, GPX and TCX file (gzip-compressed ones unpacked) under the folders."""
    files = {}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            name = path.name.lower()
            if path.is_file() and name.endswith(SUFFIXES):
                data = path.read_bytes()
                files[str(path)] = gzip.decompress(data) if name.endswith(".gz") else data
    return files


# -- one file, in a worker ----------------------------------------------------------------------
def _on_alarm(*_: object) -> None:
    raise TimeoutError(f"stopped after {FILE_TIMEOUT_S} s")


def _status_kb(key: str) -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(key + ":"))


def _reset_peak_memory() -> int | None:
    """Reset this process's peak resident memory (Linux); the resident memory now [kB]."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return _status_kb("VmRSS")
    except OSError:
        return None


def _summary(row: dict):
    from ingest.schema import Summary

    fields = {name: row[name] for name in Summary.__dataclass_fields__ if name in row}
    fields["start_time"] = dt.datetime.fromtimestamp(row["start_ms"] / 1000, dt.UTC)
    return Summary(**fields)


def _implausible(store) -> list[str]:
    """Stored activities whose totals the plausibility rules refuse, with the reasons."""
    from ingest.plausibility import contradictions

    found = []
    for row in store.activities().to_dicts():
        problems = contradictions(_summary(row), store.samples(row["id"]))
        if problems:
            found.append(f"activity {row['id']}: {'; '.join(problems)}")
    return found


def _dedupe(name: str, data: bytes, template: str, enrich) -> str | None:
    """Import the copy next to its stored original: what went wrong, if anything."""
    from ingest.importer import import_item
    from ingest.sources import Item
    from ingest.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(template, tmp, dirs_exist_ok=True)
        with Store(tmp) as store:
            before = set(store.activities()["id"].to_list())
            report = import_item(Item(name, lambda: data), store, enrich)
            after = set(store.activities()["id"].to_list())
    if before - after:
        return f"replaced the original ({report.warnings})"
    if after - before:
        return f"stored beside the original ({report.status}, {report.warnings})"
    return None


def check_file(name: str, mutation: str, data: bytes, template: str | None) -> dict:
    """Import one damaged file into a fresh store and judge what happened (runs in a worker)."""
    from dashboard.service import enrich
    from ingest.importer import import_item
    from ingest.sources import Item
    from ingest.store import Store

    out: dict = {"file": name, "mutation": mutation, "size": len(data)}
    baseline = _reset_peak_memory()
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(FILE_TIMEOUT_S)
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory() as tmp, Store(tmp) as store:
            report = import_item(Item(name, lambda: data), store, enrich)
            out["seconds"] = time.perf_counter() - started
            out["status"] = report.status
            out["reason"] = report.reason
            if (report.reason or "").startswith("internal error"):  # a bug, traceback logged
                out["traceback"] = report.reason
            texts = [report.reason or "", *report.warnings]
            out["raw_texts"] = [t for t in texts if RAW_TEXT.search(t)]
            out["fallback"] = any(t.startswith("decoded with fitparse") for t in texts)
            out["memory"] = report.reason == OUT_OF_MEMORY
            out["implausible"] = _implausible(store)
            out["stored"] = store.count()
        if out["stored"] and template is not None:
            out["dedupe"] = _dedupe(name, data, template, enrich)
    except MemoryError:
        out["memory"] = True
    except TimeoutError:
        out["timeout"] = True
    except Exception:
        out["traceback"] = traceback.format_exc()
    finally:
        signal.alarm(0)
        out.setdefault("seconds", time.perf_counter() - started)
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if baseline is not None:
            out["growth_mb"] = (_status_kb("VmHWM") - baseline) / 1024
    return out


def make_template(data: bytes, name: str, folder: Path) -> str | None:
    """A store holding the undamaged original (None when the original is not imported)."""
    from dashboard.service import enrich
    from ingest.importer import import_item
    from ingest.sources import Item
    from ingest.store import Store

    folder.mkdir(parents=True)
    with Store(folder) as store:
        report = import_item(Item(name, lambda: data), store, enrich)
    return str(folder) if report.status == "imported" else None


# -- the run ------------------------------------------------------------------------------------
class Runner:
    """Worker processes under a memory ceiling; a file that kills its worker is run alone."""

    def __init__(self, jobs: int, ceiling_mb: int) -> None:
        self.jobs, self.ceiling_mb = jobs, ceiling_mb
        self.pool = self._pool(jobs)

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        """Spawned workers set up as the importer's (environment, address space capped)."""
        os.environ.update(WORKER_ENVIRONMENT)
        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=limit_memory, initargs=(self.ceiling_mb * 2**20,))

    def submit(self, task: tuple) -> Future:
        try:
            return self.pool.submit(check_file, *task)
        except BrokenProcessPool:
            self.pool = self._pool(self.jobs)
            return self.pool.submit(check_file, *task)

    def result(self, task: tuple, future: Future) -> dict:
        try:
            return future.result()
        except BrokenProcessPool:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._pool(self.jobs)
            with self._pool(1) as alone:
                try:
                    return alone.submit(check_file, *task).result()
                except BrokenProcessPool:
                    return {"file": task[0], "mutation": task[1], "size": len(task[2]),
                            "died": True, "seconds": 0.0}

    def run(self, tasks: Iterator[tuple]) -> Iterator[tuple[tuple, dict]]:
        """(task, result) per task, in order; at most four tasks per worker in flight."""
        pending: collections.deque[tuple[tuple, Future]] = collections.deque()
        for task in tasks:
            pending.append((task, self.submit(task)))
            while len(pending) >= 4 * self.jobs:
                task, future = pending.popleft()
                yield task, self.result(task, future)
        while pending:
            task, future = pending.popleft()
            yield task, self.result(task, future)
        self.pool.shutdown()


def tasks(originals: dict[str, bytes], templates: dict[str, str | None], count: int,
          seed: int) -> Iterator[tuple]:
    rng = random.Random(seed)
    names = sorted(originals)
    for i in range(count):
        name = names[i % len(names)] if i < len(names) else rng.choice(names)
        data, mutation = mutate(originals[name], rng)
        yield f"{name}#{i}", mutation, data, templates.get(name)


def figures(results: list[dict], originals: int, seed: int, ceiling_mb: int) -> dict:
    """The printed figures (and up to five examples of each failure)."""
    def where(key: str) -> list[dict]:
        return [r for r in results if r.get(key)]

    slowest = sorted(results, key=lambda r: -r["seconds"])[:5]
    growth = max(results, key=lambda r: r.get("growth_mb", 0.0))
    statuses = collections.Counter(r.get("status", "failed") for r in results)
    failures = {
        "tracebacks": where("traceback"),
        "memory_ceilings_hit": where("memory") + where("died"),
        "timeouts": where("timeout"),
        "stored_implausible": where("implausible"),
        "raw_error_texts": where("raw_texts"),
        "dedupe_fooled": where("dedupe"),
    }
    return {
        "files": len(results), "originals": originals, "seed": seed, "ceiling_mb": ceiling_mb,
        "outcomes": dict(statuses),
        "stored_activities": sum(r.get("stored", 0) for r in results),
        "max_seconds": round(slowest[0]["seconds"], 3),
        "slowest": [(r["file"], round(r["seconds"], 2), r.get("fallback")) for r in slowest],
        "files_over_10_s": sum(r["seconds"] > 10 for r in results),
        "peak_worker_rss_mb": round(max(r.get("peak_rss_mb", 0) for r in results)),
        "max_growth_mb": round(growth.get("growth_mb", 0.0), 1),
        "max_growth_file_mb": round(growth["size"] / 2**20, 2),
        **{key: len(found) for key, found in failures.items()},
        "examples": {key: [{k: r.get(k) for k in ("file", "mutation", "reason", "traceback",
                                                  "implausible", "raw_texts", "dedupe")
                            if r.get(k)} for r in found[:5]]
                     for key, found in failures.items() if found},
    }


def print_figures(f: dict) -> None:
    print(f"{f['files']} damaged files from {f['originals']} originals (seed {f['seed']}, "
          f"address space capped at {f['ceiling_mb']} MB per process)")
    print("outcomes: " + ", ".join(f"{n} {k}" for k, n in sorted(f["outcomes"].items()))
          + f"; {f['stored_activities']} activities stored")
    rows = [("tracebacks", f["tracebacks"]), ("memory ceilings hit", f["memory_ceilings_hit"]),
            ("timeouts", f["timeouts"]),
            ("max wall time per file", f"{f['max_seconds']:.2f} s ({f['slowest'][0][0]})"),
            ("files slower than 10 s", f["files_over_10_s"]),
            ("peak worker memory", f"{f['peak_worker_rss_mb']} MB resident"),
            ("largest memory growth for one file",
             f"{f['max_growth_mb']} MB (a {f['max_growth_file_mb']} MB file)"),
            ("stored with implausible totals", f["stored_implausible"]),
            ("internal error texts", f["raw_error_texts"]),
            ("copies stored beside or replacing their original", f["dedupe_fooled"])]
    for label, value in rows:
        print(f"  {label:<50} {value}")
    for key, examples in f["examples"].items():
        print(f"\n{key}:")
        for example in examples:
            print("  " + json.dumps(example)[:2000])


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", help="more originals: FIT/GPX/TCX files below")
    parser.add_argument("--files", type=int, default=300, help="damaged files to import")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ceiling", type=int, default=1024, help="address space per process [MB]")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sample-files", type=int, default=3,
                        help="bundled sample recordings among the originals")
    parser.add_argument("--no-suite", action="store_true", help="only the folders' files")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--keep", help="save the files counted in a failure figure here")
    args = parser.parse_args(argv)

    originals = {} if args.no_suite else suite_files(args.sample_files)
    originals |= folder_files(args.folders)
    with tempfile.TemporaryDirectory() as tmp:
        templates = {name: make_template(data, name, Path(tmp) / str(i))
                     for i, (name, data) in enumerate(sorted(originals.items()))}
        results = []
        keep = Path(args.keep) if args.keep else None
        for task, result in Runner(args.jobs, args.ceiling).run(
                tasks(originals, templates, args.files, args.seed)):
            results.append(result)
            if keep and any(result.get(k) for k in FAILURE_KEYS):
                _keep(keep, task, result)
    out = figures(results, len(originals), args.seed, args.ceiling)
    if args.json:
        print(json.dumps(out))
    else:
        print_figures(out)
    return out


def _keep(folder: Path, task: tuple, result: dict) -> None:
    """Save a damaged file that failed a check, and what happened to it, for reproducing."""
    folder.mkdir(parents=True, exist_ok=True)
    name, _, data, _ = task
    stem = re.sub(r"[^\w.-]", "_", name)
    (folder / f"{stem}{Path(name.split('#')[0]).suffix}").write_bytes(data)
    (folder / f"{stem}.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
