"""Which code computed a kept result: caches in the data folder are named by it, so an upgrade
or an edit of strideload computes them again. Light: imports nothing heavy."""

from __future__ import annotations

import functools
import os
from pathlib import Path

#: Packages whose modules compute what is kept.
PACKAGES = ("analytics", "dashboard", "ingest")


@functools.cache
def code_stamp() -> int:
    """The newest modification time of the modules of :data:`PACKAGES` [ns]."""
    root = Path(__file__).resolve().parents[1]
    newest = 0
    for package in PACKAGES:
        for folder, _, names in os.walk(root / package):
            for name in names:
                if name.endswith(".py"):
                    newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime_ns)
    return newest
