"""Parallel batch import: same store and reports as one file after another, known files skipped
before decoding, a bounded number of files in flight, and a dying worker costs one file."""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import subprocess
import sys
import zipfile
from pathlib import Path

import polars as pl
import pytest
from fitfiles import catalogue, run_fit
from polars.testing import assert_frame_equal
from xml_docs import gpx_doc, gpx_point, gpx_track

from ingest import importer
from ingest.importer import IN_FLIGHT_PER_JOB, decode_file, import_items
from ingest.sources import Item, expand
from ingest.store import Store

START = dt.datetime(2026, 5, 4, 6, 0, tzinfo=dt.UTC)


def write_batch(folder: Path) -> Path:
    """A batch like an export: FIT files of every kind (some refused), a copy of one, a GPX
    run that duplicates a FIT run, an archive of FIT files, an unreadable entry."""
    folder.mkdir()
    for name, data in catalogue(START).items():
        (folder / f"{name}.fit").write_bytes(data)
    (folder / "zz_copy_of_garmin_run.fit").write_bytes((folder / "garmin_run.fit").read_bytes())
    points = [gpx_point(52.5 + i * 3e-5, 13.4,
                        (START + dt.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ"))
              for i in range(600)]
    (folder / "phone.gpx").write_text(gpx_doc(gpx_track(points, sport="running")))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for day in range(1, 6):
            zipped.writestr(f"export/run_{day}.fit", run_fit(START + dt.timedelta(days=day),
                                                             seconds=300))
    (folder / "export.zip").write_bytes(archive.getvalue())
    (folder / "empty.fit").write_bytes(b"")
    return folder


def store_contents(store: Store) -> dict[str, object]:
    """Everything the store holds except import times."""
    def query(sql: str) -> list[tuple]:
        return [tuple(row) for row in store.db.execute(sql)]

    return {
        "activities": store.activities().drop("imported_at"),
        "laps": query("SELECT * FROM laps ORDER BY activity_id, lap_index"),
        "files": query("SELECT sha256, name, size, format, status, activities FROM files "
                       "ORDER BY sha256"),
        "samples": {i: store.samples(i) for i in store.activities()["id"].to_list()},
    }


def import_folder(folder: Path, data_dir: Path, jobs: int) -> tuple[list[dict], dict]:
    with Store(data_dir) as store:
        reports = [r.as_dict() for r in import_items(expand([folder]), store, jobs=jobs)]
        return reports, store_contents(store)


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    return write_batch(tmp_path_factory.mktemp("batch") / "export")


def test_parallel_import_stores_and_reports_what_one_by_one_does(batch, tmp_path):
    one_by_one, expected = import_folder(batch, tmp_path / "sequential", jobs=1)
    parallel, contents = import_folder(batch, tmp_path / "parallel", jobs=2)
    assert parallel == one_by_one
    statuses = {r["status"] for r in parallel}
    assert statuses == {"imported", "duplicate", "rejected"}
    assert [r["file"] for r in parallel if r["reason"] and "identical to" in r["reason"]] == [
        str(batch / "zz_copy_of_garmin_run.fit")]
    assert_frame_equal(contents["activities"], expected["activities"])
    # damaged catalogue files sharing time with intact ones at START are kept once (dedupe)
    assert contents["activities"].height >= 15
    assert contents["laps"] == expected["laps"]
    assert contents["files"] == expected["files"]
    for activity_id, samples in expected["samples"].items():
        assert_frame_equal(contents["samples"][activity_id], samples)


class Refuse:
    """Stands in for what must not be used."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("called although nothing needed decoding")


def test_known_files_are_skipped_before_any_decoding(batch, tmp_path, monkeypatch):
    with Store(tmp_path) as store:
        first = list(import_items(expand([batch]), store, jobs=2))
        known = [r for r in first if r.status != "rejected"]  # refused files are not recorded
        names = {r.file for r in known}
        items = (item for item in expand([batch]) if item.name in names)  # zips stay open
        monkeypatch.setattr(importer, "decode_file", Refuse)
        monkeypatch.setattr(importer, "ProcessPoolExecutor", Refuse)
        again = list(import_items(items, store, jobs=2))
    assert [r.status for r in again] == ["duplicate"] * len(known)
    assert all(r.reason.startswith("identical to ") for r in again)


def test_a_single_new_file_is_decoded_without_starting_workers(batch, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "ProcessPoolExecutor", Refuse)
    with Store(tmp_path) as store:
        (report,) = import_items(expand([batch / "garmin_run.fit"]), store, jobs=4)
        assert (report.status, report.activities) == ("imported", 1)


def test_a_small_batch_is_decoded_without_starting_workers(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "ProcessPoolExecutor", Refuse)
    runs = {f"run_{day}.fit": run_fit(START + dt.timedelta(days=day), seconds=600)
            for day in range(importer.IN_PROCESS_MAX_FILES)}
    items = [Item(name, lambda data=data: data) for name, data in runs.items()]
    with Store(tmp_path) as store:
        reports = list(import_items(items, store, jobs=2))
        assert store.count() == len(runs)
    assert [(r.file, r.status) for r in reports] == [(name, "imported") for name in runs]


def says_where_it_ran(data: bytes, name: str, enrich=None) -> object:
    """Rejects every file with a reason naming the process that decoded it."""
    return "decoded in a worker" if multiprocessing.parent_process() else "decoded here"


@pytest.mark.parametrize(("max_files", "max_bytes", "expected"), [
    (10, 2**20, ["decoded here"] * 3),  # a few small files
    (2, 2**20, ["decoded in a worker"] * 3),  # more files than decoded here
    (10, 1000, ["decoded in a worker"] * 3),  # files too large to decode without a ceiling
])
def test_workers_start_for_many_files_or_large_ones(tmp_path, monkeypatch, max_files,
                                                    max_bytes, expected):
    monkeypatch.setattr(importer, "decode_file", says_where_it_ran)
    monkeypatch.setattr(importer, "IN_PROCESS_MAX_FILES", max_files)
    monkeypatch.setattr(importer, "IN_PROCESS_MAX_BYTES", max_bytes)
    runs = [run_fit(START + dt.timedelta(days=day), seconds=600) for day in range(3)]
    assert all(len(data) > 1000 for data in runs)
    items = [Item(f"run_{i}.fit", lambda data=data: data) for i, data in enumerate(runs)]
    with Store(tmp_path) as store:
        assert [r.reason for r in import_items(items, store, jobs=2)] == expected


def test_files_in_flight_are_bounded(tmp_path):
    runs = [run_fit(START + dt.timedelta(days=day), seconds=60) for day in range(40)]
    loaded = 0

    def loader(data: bytes):
        def load() -> bytes:
            nonlocal loaded
            loaded += 1
            return data
        return load

    items = (Item(f"run_{i}.fit", loader(data)) for i, data in enumerate(runs))
    jobs = 2
    with Store(tmp_path) as store:
        for reported, report in enumerate(import_items(items, store, jobs=jobs), start=1):
            assert report.status == "imported"
            assert loaded - reported <= max(IN_FLIGHT_PER_JOB * jobs,
                                            importer.IN_PROCESS_MAX_FILES + 1)
    assert reported == len(runs)


def dies_on_bomb(data: bytes, name: str, enrich=None) -> object:
    """decode_file, except that the worker process dies on a file named bomb.fit."""
    if name.endswith("bomb.fit"):
        if multiprocessing.parent_process() is None:
            raise AssertionError("bomb.fit was decoded in the main process")
        import os

        os._exit(3)
    return decode_file(data, name, enrich)


def test_a_worker_dying_rejects_only_the_file_it_died_on(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "decode_file", dies_on_bomb)
    monkeypatch.setattr(importer, "IN_PROCESS_MAX_FILES", 0)  # a small batch: workers anyway
    runs = {f"run_{day}.fit": run_fit(START + dt.timedelta(days=day), seconds=60)
            for day in range(6)}
    runs = dict(list(runs.items())[:3]) | {"bomb.fit": run_fit(START, seconds=30)} | dict(
        list(runs.items())[3:])
    items = [Item(name, lambda data=data: data) for name, data in runs.items()]
    with Store(tmp_path) as store:
        reports = {r.file: r for r in import_items(items, store, jobs=2)}
        assert pl.Series(store.activities()["source_file"]).sort().to_list() == sorted(
            name for name in runs if name != "bomb.fit")
    assert reports["bomb.fit"].status == "rejected"
    assert reports["bomb.fit"].reason.startswith("the decoding process stopped unexpectedly")
    assert {r.status for name, r in reports.items() if name != "bomb.fit"} == {"imported"}


def test_where_workers_cannot_start_the_batch_is_decoded_here(tmp_path):
    """Spawned workers re-import the main script, which fails for a script read from stdin."""
    folder = tmp_path / "runs"
    folder.mkdir()
    for day in range(3):
        (folder / f"run_{day}.fit").write_bytes(run_fit(START + dt.timedelta(days=day),
                                                        seconds=60))
    script = (
        "from ingest import importer\n"
        "from ingest.importer import import_items\n"
        "from ingest.sources import expand\n"
        "importer.IN_PROCESS_MAX_FILES = 0\n"
        "from ingest.store import Store\n"
        f"with Store({str(tmp_path / 'store')!r}) as store:\n"
        f"    reports = import_items(expand([{str(folder)!r}]), store, jobs=2)\n"
        "    print(sorted(r.status for r in reports))\n"
    )
    done = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "<stdin>" in done.stderr  # the workers did fail to start
    assert done.stdout.strip() == "['imported', 'imported', 'imported']"


def test_jobs_must_be_at_least_one(tmp_path):
    with Store(tmp_path) as store, pytest.raises(ValueError, match="at least 1"):
        next(import_items(iter([]), store, jobs=0))
