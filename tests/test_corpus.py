"""Import the shared corpus of real device files (set STRIDELOAD_CORPUS to its folder).

Every file must be imported or rejected with a reason; FIT summaries must agree with the
session totals that Garmin's own decoder (garmin-fit-sdk, independent of ours) reads.
"""

from __future__ import annotations

import csv
import functools
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from garmin_fit_sdk import Decoder, Stream

from dashboard.cli import main
from ingest.errors import ImportProblem
from ingest.reader import read_activities

CORPUS = os.environ.get("STRIDELOAD_CORPUS")
pytestmark = pytest.mark.skipif(not CORPUS, reason="STRIDELOAD_CORPUS is not set")

#: Files refused on purpose, with the reason we give.
EXPECTED_REJECTIONS = {
    "fit/fitparse__DeveloperData.fit": "no usable timestamps",
    "fit/fitparse__MonitoringFile.fit": "not an activity",
    "fit/fitparse__Settings.fit": "not an activity",
    "gpx/gpxpy__Mojstrovka.gpx": "share one timestamp",
    "gpx/placemark__empty_trk.gpx": "no track points",
    "bad/placemark__bad.gpx": "share one timestamp",
    "bad/runpandas__malformed.tcx": "neither GPX nor TCX",
}


def corpus_files() -> list[str]:
    if not CORPUS:
        return []
    with open(Path(CORPUS) / "MANIFEST.tsv", newline="") as handle:
        return [row["file"] for row in csv.DictReader(handle, delimiter="\t")]


@pytest.fixture(scope="module")
def import_reports(tmp_path_factory):
    root = Path(CORPUS)
    assert root.is_dir(), f"STRIDELOAD_CORPUS={CORPUS} is not a folder"
    data_dir = tmp_path_factory.mktemp("corpus-store")
    result = CliRunner().invoke(main, ["import", str(root), "--data-dir", str(data_dir), "--json"])
    assert "Traceback" not in result.output
    assert result.exit_code == 1  # some files are rejected on purpose
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    return {str(Path(r["file"]).relative_to(root)): r for r in reports}


def test_every_corpus_file_is_imported_or_rejected_with_a_reason(import_reports):
    assert sorted(import_reports) == sorted(corpus_files())
    rejected = {}
    for name, report in import_reports.items():
        assert report["status"] in {"imported", "duplicate", "rejected"}, name
        if report["status"] == "rejected":
            rejected[name] = report["reason"]
        elif report["status"] == "imported":
            assert report["activities"] >= 1, name
        else:
            assert report["reason"], name  # says which file it duplicates
    assert [name for name, reason in rejected.items() if "internal error" in reason] == []
    assert sorted(rejected) == sorted(EXPECTED_REJECTIONS)
    for name, reason in rejected.items():
        assert EXPECTED_REJECTIONS[name] in reason, (name, reason)


@functools.cache
def decoded(name: str) -> list | None:
    """Our activities for one corpus file, None when it is rejected (decoded once per run)."""
    try:
        return read_activities(Path(CORPUS) / name)
    except ImportProblem:
        return None


def sdk_sessions(path: Path) -> list[dict]:
    messages, _errors = Decoder(Stream.from_file(str(path))).read(
        convert_datetimes_to_dates=False, expand_components=True)
    return messages.get("session_mesgs", [])


@pytest.mark.parametrize("name", [f for f in corpus_files() if f.endswith(".fit")])
def test_fit_summaries_agree_with_session_totals(name):
    path = Path(CORPUS) / name
    activities = decoded(name)
    if activities is None:
        assert name in EXPECTED_REJECTIONS
        return
    sessions = sorted(sdk_sessions(path), key=lambda s: s.get("start_time") or 0)
    with_session = [a for a in activities if a.laps or a.summary.duration_s is not None]
    for session in sessions:
        elapsed, distance = session.get("total_elapsed_time"), session.get("total_distance")
        matches = [
            a for a in with_session
            if elapsed and a.summary.duration_s
            and abs(a.summary.duration_s - elapsed) <= 0.02 * elapsed
            and (not distance or abs((a.summary.distance_m or 0) - distance) <= 0.02 * distance)
        ]
        assert matches, f"{name}: no activity matches session {elapsed} s / {distance} m"


@pytest.mark.parametrize("name", [f for f in corpus_files() if f.startswith("fit/")])
def test_fit_samples_cover_their_sessions(name):
    """Records span the session (within 2 % or 30 s) and reach its distance (2 % or 10 m)."""
    for activity in decoded(name) or []:
        s, samples = activity.summary, activity.samples
        if (not samples.height or (s.duration_s or 0) < 600 or s.sub_sport == "lap_swimming"
                or any("truncated" in w or "no session" in w for w in activity.warnings)):
            continue
        span = samples["elapsed_s"][-1]
        assert abs(span - s.duration_s) <= max(0.02 * s.duration_s, 30.0), (name, s.sport)
        covered = samples["distance_m"].drop_nulls()
        if s.distance_m and covered.len():
            assert abs(covered.max() - s.distance_m) <= max(0.02 * s.distance_m, 10.0), name
