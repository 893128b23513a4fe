"""Start-up of the command line as a runner feels it: wall time from launch to exit.

Runs, interleaved ``--rounds`` times (so load from other programs touches all alike), and
prints the median of each with its ratio to a bare Python start (``python -c "import json,
sqlite3"``, the floor any Python command line pays):

* ``strideload --help``;
* ``strideload pain add today 2`` on a fresh store (targets: within 5x of bare Python);
* ``strideload advise`` on ``--store`` (e.g. the 5-year store ``dashboard_bench.py --keep DIR``
  builds; target 0.5 s), when given: on the unchanged store (the advice kept from the run
  before) and right after a pain entry (``pain add today``, not timed: computed again).

Commands run as after a normal install: ``PYTHONDONTWRITEBYTECODE`` is removed from their
environment (set, every run would compile strideload's modules again).

``--before DIR`` also times each strideload command from another checkout (``DIR`` first on
``PYTHONPATH``, e.g. an extracted older commit), interleaved, for before/after figures.

Run: ``python benchmarks/startup_bench.py [--store DIR] [--rounds 15] [--before DIR]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 5.0
ADVISE_TARGET_S = 0.5


def strideload() -> str:
    """The installed entry point beside this Python (as a runner starts it)."""
    found = Path(sys.executable).with_name("strideload")
    return str(found) if found.exists() else shutil.which("strideload") or "strideload"


def wall(command: list[str], env: dict[str, str], before: list[str] | None = None) -> float:
    """Seconds ``command`` takes (``before`` is run first, not timed)."""
    if before:
        subprocess.run(before, check=True, stdout=subprocess.DEVNULL, env=env)
    begin = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - begin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="data directory for `strideload advise`")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--before", type=Path, help="another checkout to time alongside")
    args = parser.parse_args()
    exe = strideload()
    with tempfile.TemporaryDirectory(prefix="strideload-startup-") as fresh:
        env = {**os.environ, "STRIDELOAD_HOME": fresh}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        commands = {
            "python -c 'import json, sqlite3'": [sys.executable, "-c", "import json, sqlite3"],
            "strideload --help": [exe, "--help"],
            "strideload pain add today 2": [exe, "pain", "add", "today", "2"],
        }
        first: dict[str, list[str]] = {}
        if args.store:
            advise = [exe, "advise", "--data-dir", str(args.store)]
            commands["strideload advise (store, unchanged)"] = advise
            commands["strideload advise (store, after pain add)"] = advise
            first["strideload advise (store, after pain add)"] = [
                exe, "pain", "add", "today", "2", "--data-dir", str(args.store)]
        runs = [(name, command, env) for name, command in commands.items()]
        if args.before:
            before_env = {**env, "PYTHONPATH": str(args.before)}
            runs += [(f"{name} [before]", command, before_env)
                     for name, command in commands.items() if name.startswith("strideload")]
        level = 2
        times: dict[str, list[float]] = {name: [] for name, _, _ in runs}
        for round_ in range(args.rounds + 1):  # round 0 warms the file cache, migrates stores
            for name, command, run_env in runs:
                change = first.get(name.removesuffix(" [before]"))
                if change:  # another pain level each time: the store changes for sure
                    level = 5 - level
                    change = [*change[:4], str(level), *change[5:]]
                seconds = wall(command, run_env, change)
                if round_:
                    times[name].append(seconds)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"median of {args.rounds} interleaved runs (load average {load:.1f}, "
          f"{os.cpu_count()} cores):")
    floor = statistics.median(next(iter(times.values())))
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:43s} {median * 1000:6.0f} ms  x{median / floor:4.1f}  "
              f"(min {min(values) * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
