"""One pass over a watched folder: only what is new is read, files still being written wait,
a watch unplugged mid-pass loses and duplicates nothing."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from watch_helpers import garmin_mount, run_bytes
from wellness_files import export_zip, monitoring_fit
from xml_docs import gpx_doc, gpx_point, gpx_track

from ingest.store import Store
from ingest.watch import passes
from ingest.watch.complete import fit_complete
from ingest.watch.passes import import_watched, scan_folder
from ingest.watch.state import WatchedFolder, pass_reports, recent_passes


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "data") as opened:
        yield opened


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "inbox"
    path.mkdir()
    return path


@pytest.fixture
def reads(monkeypatch):
    """The paths passes read, in order."""
    done: list[str] = []
    read = passes.read_file

    def counting(path: str) -> bytes:
        done.append(path)
        return read(path)

    monkeypatch.setattr(passes, "read_file", counting)
    return done


def gpx_run(minutes: int = 10) -> str:
    start = dt.datetime(2026, 9, 20, 17, tzinfo=dt.UTC)
    points = [gpx_point(52.5 + i * 0.0001, 13.4, (start + dt.timedelta(seconds=5 * i))
                        .strftime("%Y-%m-%dT%H:%M:%SZ")) for i in range(minutes * 12)]
    return gpx_doc(gpx_track(points, sport="running"))


def test_fit_end_tells_a_complete_file_from_one_being_written():
    data = run_bytes(0)
    assert fit_complete(data) and fit_complete(data + run_bytes(1))  # chained files too
    assert not fit_complete(data[:-1]) and not fit_complete(data[: len(data) // 2])
    assert not fit_complete(data + b"\0")  # more is coming
    assert not fit_complete(data[:-2] + bytes(2))  # preallocated, not yet filled
    assert not fit_complete(b"<gpx>") and not fit_complete(b"")


def test_new_files_are_imported_and_unchanged_ones_never_read_again(folder, store, reads):
    data = run_bytes(0)
    for i in range(300):  # a watch with hundreds of old files (copies: no decoding needed)
        (folder / f"{i:03d}.fit").write_bytes(data)
    (folder / "notes.txt").write_text("not a watch file")
    (folder / ".hidden.fit").write_bytes(run_bytes(1))
    first = scan_folder(store, WatchedFolder(str(folder)))
    assert first.read == 300 and len(reads) == 300
    assert [r.status for r in first.reports].count("imported") == 1 and store.count() == 1
    reads.clear()
    started = time.perf_counter()
    second = scan_folder(store, WatchedFolder(str(folder)))
    elapsed = time.perf_counter() - started
    assert (second.read, second.reports, reads) == (0, [], [])
    assert elapsed < 1.0, f"a pass over 300 known files took {elapsed:.2f} s"
    assert len(recent_passes(store)) == 1  # a pass that found nothing leaves no history


def test_a_touched_file_is_read_but_not_imported_again(folder, store, reads):
    run = folder / "run.fit"
    run.write_bytes(run_bytes(0))
    scan_folder(store, WatchedFolder(str(folder)))
    os.utime(run, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
    again = scan_folder(store, WatchedFolder(str(folder)))
    assert (again.read, again.reports) == (1, [])
    assert store.count() == 1 and len(recent_passes(store)) == 1


def test_a_replaced_file_is_imported_again(folder, store):
    run = folder / "run.fit"
    run.write_bytes(run_bytes(0))
    scan_folder(store, WatchedFolder(str(folder)))
    run.write_bytes(run_bytes(1, seconds=900))  # the app exported another run under that name
    result = scan_folder(store, WatchedFolder(str(folder)))
    assert [(r.file, r.status) for r in result.reports] == [(str(run), "imported")]
    assert store.count() == 2


def test_a_fit_file_being_written_waits_until_its_end_is_valid(folder, store):
    data = run_bytes(0, seconds=1800)
    run = folder / "run.fit"
    run.write_bytes(data[: len(data) // 2])
    half = scan_folder(store, WatchedFolder(str(folder)))
    assert half.reports == [] and str(run) in half.waiting and store.count() == 0
    run.write_bytes(data)
    done = scan_folder(store, WatchedFolder(str(folder)))
    assert [r.status for r in done.reports] == ["imported"] and done.waiting == {}
    (activity,) = store.activities().iter_rows(named=True)
    assert activity["duration_s"] == pytest.approx(1800, abs=2)  # all of it, not half


def test_other_files_wait_until_their_size_stays_the_same(folder, store):
    now = [1000.0]
    clock = lambda: now[0]  # noqa: E731
    run = folder / "evening.gpx"
    run.write_text(gpx_run())
    scan = lambda: scan_folder(store, WatchedFolder(str(folder)), settle_s=2,  # noqa: E731
                               clock=clock)
    assert scan().waiting == {str(run): 2.0}
    now[0] += 1.5
    assert scan().waiting == {str(run): pytest.approx(0.5)}
    now[0] += 1.0
    assert [r.status for r in scan().reports] == ["imported"]


def test_a_fit_file_that_stays_cut_short_is_imported_with_what_is_readable(folder, store):
    now = [1000.0]
    data = run_bytes(0, seconds=1800)
    (folder / "crashed.fit").write_bytes(data[: len(data) * 2 // 3])
    scan = lambda: scan_folder(store, WatchedFolder(str(folder)), clock=lambda: now[0],  # noqa: E731
                               settle_s=2, incomplete_fit_s=120)
    assert scan().reports == []
    now[0] += 60
    assert scan().reports == []  # a copy may still go on
    now[0] += 61
    (report,) = scan().reports
    assert report.status == "imported" and any("truncated" in w for w in report.warnings)


def test_rejected_files_keep_their_reason_and_are_not_read_again(folder, store, reads):
    (folder / "broken.fit").write_bytes(b"\x0e\x10" + b"\0" * 40)
    now = [0.0]
    first = scan_folder(store, WatchedFolder(str(folder)), clock=lambda: now[0])
    now[0] = 1000.0
    (report,) = scan_folder(store, WatchedFolder(str(folder)), clock=lambda: now[0]).reports
    assert first.reports == [] and report.status == "rejected" and report.reason
    (stored,) = pass_reports(store, recent_passes(store)[0].id)
    assert stored.reason == report.reason and "Traceback" not in stored.reason
    reads.clear()
    assert scan_folder(store, WatchedFolder(str(folder))).reports == [] and reads == []


def test_archives_and_wellness_files_of_a_watch_are_imported(tmp_path, store):
    mount = garmin_mount(tmp_path / "media")
    monitor = mount / "GARMIN" / "Monitor"
    (monitor / "M1.FIT").write_bytes(monitoring_fit(dt.date(2026, 9, 2), 48))
    activity = mount / "GARMIN" / "Activity"
    (activity / "export.zip").write_bytes(export_zip({"a/run.fit": run_bytes(0)}))
    wellness = scan_folder(store, WatchedFolder(str(monitor), "garmin"))
    runs = scan_folder(store, WatchedFolder(str(activity), "garmin"), settle_s=0)
    assert [(r.status, r.wellness_days) for r in wellness.reports] == [("imported", 1)]
    assert [(r.file, r.status) for r in runs.reports] == [
        (f"{activity / 'export.zip'}/a/run.fit", "imported")]


def test_a_missing_folder_is_reported_not_there(tmp_path, store):
    result = scan_folder(store, WatchedFolder(str(tmp_path / "unplugged")))
    assert result.available is False and result.reports == [] and recent_passes(store) == []


def test_watch_unplugged_mid_pass_loses_and_duplicates_nothing(tmp_path, store, monkeypatch):
    mount = garmin_mount(tmp_path / "media", wellness=False)
    activity = mount / "GARMIN" / "Activity"
    for day in range(12):
        (activity / f"{day:02d}.FIT").write_bytes(run_bytes(day))
    unplugged = tmp_path / "elsewhere"
    read = passes.read_file
    calls = [0]

    def unplug_after_five(path: str) -> bytes:
        calls[0] += 1
        if calls[0] == 6:
            mount.rename(unplugged)  # the cable is pulled while the sixth file is read
        return read(path)

    monkeypatch.setattr(passes, "read_file", unplug_after_five)
    folder = WatchedFolder(str(activity), "garmin")
    cut = scan_folder(store, folder)
    assert [r.status for r in cut.reports] == ["imported"] * 5 and store.count() == 5
    assert scan_folder(store, folder).available is False
    unplugged.rename(mount)  # plugged in again
    back = scan_folder(store, folder)
    assert [r.status for r in back.reports] == ["imported"] * 7
    assert store.count() == 12
    assert scan_folder(store, folder).reports == []
    history = [r for p in recent_passes(store) for r in pass_reports(store, p.id)]
    assert sorted(r.file for r in history) == sorted(str(p) for p in activity.iterdir())


def test_one_off_import_waits_briefly_for_files_being_written(folder, store):
    (folder / "run.gpx").write_text(gpx_run())
    started = time.monotonic()
    (result,) = import_watched(store, [WatchedFolder(str(folder))], jobs=1, settle_s=0.3)
    assert [r.status for r in result.reports] == ["imported"]
    assert 0.3 <= time.monotonic() - started < 10
    (data,) = import_watched(store, [WatchedFolder(str(folder))], jobs=1, settle_s=0.3)
    assert data.reports == []
