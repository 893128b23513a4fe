"""The advice last given for a day, kept in the data folder between commands.

``strideload advise`` on a store that has not changed since it last advised on the same day
prints the kept answer instead of building the report again (which loads polars and numpy and
takes most of a second on years of history). The file in the data folder's cache folder is
named by what the advice was computed from:

* the store's id and revision (:meth:`ingest.store.Store.revision`: every table the advice
  reads - activities, metrics, pain, RPE, settings, gear, context, body work, wellness, plans,
  days without a recording - changes it) and schema version,
* the day advised on,
* the code (:func:`dashboard.code_version.code_stamp`: an upgrade or an edit computes it
  again).

Any change makes a new name; a name never found is computed and written (replacing the older
file) - unless the store changed while computing (another command wrote to it): then it is
not kept. A file that cannot be read or written only makes the command slower.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from dashboard.code_version import code_stamp
from ingest.store import CACHE_DIR, Store

PREFIX = "advice"


def path(store: Store, day: dt.date) -> Path:
    """The file the advice for ``day`` is kept in while the store and the code stay as now."""
    key = json.dumps([code_stamp(), store.schema_version(), store.store_id(), store.revision(),
                      day.isoformat()])
    name = hashlib.sha256(key.encode()).hexdigest()[:32]
    return store.data_dir / CACHE_DIR / f"{PREFIX}-{name}.json"


def load(kept: Path) -> dict[str, Any] | None:
    """The advice kept in ``kept`` (:func:`path`), or None."""
    with contextlib.suppress(OSError, ValueError):
        advice = json.loads(kept.read_text(encoding="utf-8"))
        if isinstance(advice, dict):
            return advice
    return None


def save(kept: Path, advice: dict[str, Any]) -> None:
    """Keep ``advice`` (JSON-able) in ``kept`` (:func:`path`), replacing older advice files."""
    with contextlib.suppress(OSError, TypeError, ValueError):
        kept.parent.mkdir(exist_ok=True)
        for old in kept.parent.glob(f"{PREFIX}-*.json"):
            old.unlink(missing_ok=True)
        temp = kept.with_name(f".tmp-{os.getpid()}-{kept.name}")
        temp.write_text(json.dumps(advice, default=str), encoding="utf-8")
        os.replace(temp, kept)
