"""A 10-year Garmin-style account export, and how long importing it takes.

``generate`` writes what Garmin Connect's "export your data" gives: one zip holding
``DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part<N>.zip`` archives of FIT files
(and JSON sidecars a runner's export also holds, skipped by the import). About 1.4 sessions a
day over ``--years``: runs (30-100 min), rides (60-180 min), walks, hikes and open-water swims,
every one a 1 Hz recording of a Forerunner-like watch (:func:`import_bench.one_hour_run`: GPS,
heart rate, cadence, power, running dynamics, laps, dropouts), seeded.

``--run`` then imports the export with ``strideload import`` in a new process on a terminal
(a pseudo-terminal, so the progress bar is drawn and its last line kept), sampling the
resident memory of that process and all its children every 0.1 s, and imports it again.
Targets (issue 15): import <= 90 s, peak memory of all processes <= 500 MB, re-import <= 10 s.

Run: ``python benchmarks/history_export.py --out /tmp/history --run``
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import io
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
import time
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_bench import one_hour_run  # noqa: E402

FIRST_DAY = dt.date(2016, 1, 4)
#: sport -> (FIT sport, sub sport, share of sessions, minutes low/high, mean speed m/s)
SPORTS = {
    "running": ((1, 0), 0.55, (30, 100), 3.0),
    "cycling": ((2, 0), 0.25, (60, 180), 7.5),
    "walking": ((11, 0), 0.10, (30, 90), 1.4),
    "hiking": ((17, 0), 0.05, (90, 240), 1.1),
    "swimming": ((5, 18), 0.05, (30, 60), 0.8),  # open water
}
FILES_PER_PART = 1000
TARGETS = {"import_s": 90.0, "peak_mb": 500.0, "reimport_s": 10.0}


def sessions(years: int, activities: int, seed: int = 10) -> list[tuple[dt.datetime, str, int]]:
    """(start, sport, seconds) of ``activities`` sessions spread over ``years``."""
    rng = np.random.default_rng(seed)
    names = list(SPORTS)
    shares = np.array([SPORTS[n][1] for n in names])
    days = rng.choice(365 * years, size=activities)
    out = []
    for day in np.sort(days):
        sport = names[rng.choice(len(names), p=shares / shares.sum())]
        low, high = SPORTS[sport][2]
        start = dt.datetime.combine(FIRST_DAY + dt.timedelta(days=int(day)), dt.time(6),
                                    tzinfo=dt.UTC) + dt.timedelta(minutes=int(rng.integers(0, 720)))
        out.append((start, sport, int(rng.integers(low, high + 1)) * 60))
    return out


def generate(out: Path, years: int, activities: int) -> tuple[Path, int]:
    """Write the export zip into ``out``: (its path, bytes of FIT files uncompressed)."""
    out.mkdir(parents=True, exist_ok=True)
    export = out / f"garmin-export-{years}y.zip"
    plan = sessions(years, activities)
    fit_bytes = 0
    with zipfile.ZipFile(export, "w", zipfile.ZIP_STORED) as outer:
        outer.writestr("DI_CONNECT/DI-Connect-User/user_profile.json", json.dumps({"id": 1}))
        for part, first in enumerate(range(0, len(plan), FILES_PER_PART), start=1):
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as inner:
                for index in range(first, min(first + FILES_PER_PART, len(plan))):
                    start, sport, seconds = plan[index]
                    fit_sport, _, _, speed = SPORTS[sport]
                    data = one_hour_run(index, seconds, start, fit_sport, speed)
                    fit_bytes += len(data)
                    inner.writestr(f"{start:%Y%m%d%H%M}_{index + 1000000}.fit", data)
            outer.writestr(f"DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part{part}.zip",
                           buffer.getvalue())
    return export, fit_bytes


def _tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and all its descendants [MB] (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/status") as handle:
                total += int(re.search(r"VmRSS:\s+(\d+)", handle.read()).group(1))
        except (OSError, AttributeError):
            continue
    return total / 1024


def timed_import(export: Path, store: Path) -> dict[str, object]:
    """``strideload import`` on a pseudo-terminal: wall time, peak RSS of the process tree, the
    last progress-bar line drawn and the summary line."""
    exe = Path(sys.executable).with_name("strideload")
    main, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))  # 120 columns
    begin = time.perf_counter()
    process = subprocess.Popen([str(exe), "import", str(export), "--data-dir", str(store)],
                               stdin=subprocess.DEVNULL, stdout=follower, stderr=follower)
    os.close(follower)
    peak = 0.0
    output = bytearray()

    def read() -> None:
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:
                return
            if not chunk:
                return
            output.extend(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    while process.poll() is None:
        peak = max(peak, _tree_rss_mb(process.pid))
        time.sleep(0.1)
    wall = time.perf_counter() - begin
    reader.join(5)
    os.close(main)
    text = output.decode(errors="replace").replace("\r", "\n")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    bars = [line for line in lines if "files" in line and "<" in line]
    return {"seconds": wall, "peak_mb": peak, "exit": process.returncode,
            "bar": bars[len(bars) // 2] if bars else None, "summary": lines[-1] if lines else ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the export (/tmp)")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--activities", type=int, default=5000)
    parser.add_argument("--run", action="store_true", help="import it, then import it again")
    args = parser.parse_args()
    export = args.out / f"garmin-export-{args.years}y.zip"
    if not export.exists():
        begin = time.perf_counter()
        export, fit_bytes = generate(args.out, args.years, args.activities)
        print(f"generated {export} ({export.stat().st_size / 2**20:.0f} MB; FIT files "
              f"{fit_bytes / 2**30:.2f} GB uncompressed) in {time.perf_counter() - begin:.0f} s")
    if not args.run:
        return
    store = args.out / "store"
    if store.exists():
        raise SystemExit(f"{store} exists: remove it for a fresh import")
    load = os.getloadavg()[0]
    for label, target in (("import", "import_s"), ("re-import", "reimport_s")):
        result = timed_import(export, store)
        print(f"{label}: {result['seconds']:.1f} s (target {TARGETS[target]:.0f} s), peak RSS of "
              f"all processes {result['peak_mb']:.0f} MB (target {TARGETS['peak_mb']:.0f} MB), "
              f"exit {result['exit']}")
        print(f"  progress bar midway: {result['bar']}")
        print(f"  {result['summary']}")
    print(f"load average at the start {load:.1f}, now {os.getloadavg()[0]:.1f}; "
          f"{os.cpu_count()} cores")


if __name__ == "__main__":
    main()
