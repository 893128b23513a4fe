"""The demo: the bundled 20-week sample history loaded into a store of its own."""

from __future__ import annotations

import csv
import datetime as dt
import json
from importlib import resources
from pathlib import Path

import platformdirs

from dashboard import preferences, service
from ingest import gear
from ingest.bodywork import parse_exercise
from ingest.bodywork_store import add_session, sessions
from ingest.import_report import FileReport
from ingest.importer import import_items
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


def load_gear(store: Store, ids: dict[str, int], root: Path) -> None:
    """Add the sample gear (once) and give each activity file its gear (``gear.json``)."""
    data = json.loads((root / "gear.json").read_text(encoding="utf-8"))
    by_name = {}
    for item in data["items"]:
        known = gear.items(store).filter(name=item["name"])
        by_name[item["name"]] = known["id"][0] if known.height else gear.add_gear(
            store, item["name"], item["kind"], default_for=item["default_for"],
            since=dt.date.fromisoformat(item["since"]), initial_km=item["initial_km"],
            note=item["note"])
    for file, names in data["assignments"].items():
        if file in ids:
            gear.assign(store, ids[file], [by_name[name] for name in names])
    for item in data["items"]:
        if item["retired"]:
            gear.retire(store, by_name[item["name"]])


def load_bodywork(store: Store, root: Path) -> None:
    """Log the hand-written body work of ``bodywork.csv`` (days already logged are skipped)."""
    logged = set(sessions(store).filter(source="manual")["date"].to_list())
    with open(root / "bodywork.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            day = dt.date.fromisoformat(row["date"])
            if day in logged:
                continue
            exercises = [parse_exercise(spec) for spec in row["exercises"].split(";")]
            add_session(store, day, exercises, float(row["minutes"]), row["note"],
                        row["category"])


def load_demo(store: Store, jobs: int | None = None) -> list[FileReport]:
    """Import the sample files, her Garmin export's nights, HRV and resting HR, pain journal,
    session RPEs, profile, gear and body work (idempotent)."""
    root = sample_dir()
    profile = json.loads((root / "profile.json").read_text(encoding="utf-8"))
    preferences.update_profile(store, {key: str(value) for key, value in profile.items()})
    reports = list(import_items(expand([root / "files", root / "garmin_export.zip"]), store,
                                jobs=jobs, enrich=service.enrich))
    store.add_pain(parse_csv((root / "pain_journal.csv").read_text(encoding="utf-8")))
    ids = {Path(row["source_file"]).name: row["id"]
           for row in store.activities().select("id", "source_file").iter_rows(named=True)}
    with open(root / "rpe.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["file"] in ids:
                store.set_rpe(ids[row["file"]], parse_rpe(row["rpe"]))
    load_gear(store, ids, root)
    load_bodywork(store, root)
    return reports
