"""Run by tests/test_thread_safety.py in fresh processes: many threads use the FIT CRC and the
decoders at once, first thing in the process, while their module-level caches are still empty.

Reads a JSON job on stdin (data seeds and sizes with their CRCs, files with their digests) and
prints the mismatches it found as JSON: during the threaded run and afterwards, alone.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import threading

THREADS = 8


def data_of(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


def digest(activities: list) -> str:
    """What a decoding produced: summaries, laps and samples (as text, hashed)."""
    text = repr([(a.summary, a.laps, a.warnings, a.samples.rows()) for a in activities])
    return hashlib.sha256(text.encode()).hexdigest()


def main() -> None:
    job = json.load(sys.stdin)
    from ingest.fit.crc import fit_crc
    from ingest.reader import read_activities

    blobs = [(data_of(seed, size), crc) for seed, size, crc in job["crcs"]]
    files = [(path, expected) for path, expected in job["files"]]
    wrong: list[str] = []
    barrier = threading.Barrier(THREADS)

    def check(k: int) -> None:
        barrier.wait()  # all threads meet the empty caches together
        for i in range(len(blobs)):
            data, crc = blobs[(i + k) % len(blobs)]
            if fit_crc(data) != crc:
                wrong.append(f"thread {k}: crc of {len(data)} bytes")
        for i in range(len(files)):
            path, expected = files[(i + k) % len(files)]
            if digest(read_activities(path)) != expected:
                wrong.append(f"thread {k}: {path}")

    threads = [threading.Thread(target=check, args=(k,)) for k in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    after = [len(data) for data, crc in blobs if fit_crc(data) != crc]
    print(json.dumps({"threaded": wrong, "afterwards": after}))


if __name__ == "__main__":
    main()
