"""The demo: the bundled 20-week sample history loaded into a store of its own."""

from __future__ import annotations

import csv
import datetime as dt
import json
from importlib import resources
from pathlib import Path

import platformdirs

from dashboard import service
from ingest.importer import FileReport, import_items
from ingest.journal import parse_csv, parse_rpe
from ingest.sources import expand
from ingest.store import Store


def sample_dir() -> Path:
    """The installed ``sample_data`` package folder."""
    return Path(str(resources.files("sample_data")))


def default_demo_dir() -> Path:
    """Where the demo store lives: beside, never inside, the user's own data."""
    return Path(platformdirs.user_data_dir("strideload-demo", appauthor=False))


def demo_today() -> dt.date:
    """The last day of the sample history (the demo shows advice 'as of' that day)."""
    story = json.loads((sample_dir() / "story.json").read_text(encoding="utf-8"))
    return dt.date.fromisoformat(story["weeks"][-1]["sunday"])


def load_demo(store: Store, jobs: int | None = None) -> list[FileReport]:
    """Import the sample files, pain journal, session RPEs and profile (idempotent)."""
    root = sample_dir()
    profile = json.loads((root / "profile.json").read_text(encoding="utf-8"))
    service.update_profile(store, {key: str(value) for key, value in profile.items()})
    reports = list(import_items(expand([root / "files"]), store, jobs=jobs,
                                enrich=service.enrich))
    store.add_pain(parse_csv((root / "pain_journal.csv").read_text(encoding="utf-8")))
    ids = {Path(row["source_file"]).name: row["id"]
           for row in store.activities().select("id", "source_file").iter_rows(named=True)}
    with open(root / "rpe.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["file"] in ids:
                store.set_rpe(ids[row["file"]], parse_rpe(row["rpe"]))
    return reports
