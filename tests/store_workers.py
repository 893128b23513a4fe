"""Processes that use one store at the same time (run by tests/test_store_concurrency.py).

``python store_workers.py import DATA_DIR FILE...`` imports the files one by one and prints
the reports as JSON lines; ``python store_workers.py read DATA_DIR STOP_FILE`` opens and
closes the store in a loop, as a command or an older web app would on each request, reading
every activity's samples, until STOP_FILE exists; it prints what it saw as one JSON object.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ingest.importer import import_items
from ingest.sources import expand
from ingest.store import Store


def import_files(data_dir: str, files: list[str]) -> None:
    with Store(data_dir) as store:
        for report in import_items(expand(files), store, jobs=1):
            print(json.dumps(report.as_dict()), flush=True)


def read_until(data_dir: str, stop_file: str) -> None:
    rounds, problems, reads = 0, [], 0
    stop = Path(stop_file)
    while not stop.exists():
        with Store(data_dir) as store:
            heights = dict(store.activities().select("id", "samples").iter_rows())
            for activity_id, height in heights.items():
                try:
                    samples = store.samples(activity_id)
                except Exception as exc:  # report every kind of failure to the test
                    problems.append(f"activity {activity_id}: {type(exc).__name__}: {exc}")
                    continue
                reads += 1
                if samples.height != height:
                    problems.append(f"activity {activity_id}: {samples.height} != {height}")
        rounds += 1
    print(json.dumps({"rounds": rounds, "reads": reads, "problems": problems}))


if __name__ == "__main__":
    role, data_dir, *rest = sys.argv[1:]
    if role == "import":
        import_files(data_dir, rest)
    else:
        read_until(data_dir, rest[0])
