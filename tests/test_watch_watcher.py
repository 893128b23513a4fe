"""The watcher thread on a real folder: files written in pieces, a file replaced, a folder that
disappears (a watch unplugged) and comes back, unplugging mid-copy; with file-system events
and with polling. Each test waits for a condition, never for a fixed time."""

from __future__ import annotations

import threading
import time

import pytest
from watch_helpers import garmin_mount, run_bytes, wait_for

from ingest.store import Store
from ingest.watch.state import add_folders, pass_reports, recent_passes
from ingest.watch.watcher import Watcher

MODES = {"events": False, "polling": True}


@pytest.fixture(params=list(MODES))
def watching(request, tmp_path):
    """A store watching tmp_path/inbox, and a running watcher (events or polling)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    store = Store(tmp_path / "data")
    add_folders(store, [inbox])
    watcher = Watcher(Store(tmp_path / "data", maintain=False), poll_s=0.2, settle_s=0.5,
                      force_polling=MODES[request.param]).start()
    wait_for(lambda: watcher.passes >= 1, what="the first pass")
    yield store, inbox, watcher
    watcher.stop()
    watcher.store.close()
    store.close()


def history(store: Store) -> list[tuple[str, str]]:
    """(file name, status) of every file in the import history, oldest first."""
    return [(r.file.rsplit("/", 1)[-1], r.status)
            for p in reversed(recent_passes(store, 100)) for r in pass_reports(store, p.id)]


def write_in_pieces(path, data: bytes, pieces: int = 6, pause_s: float = 0.25) -> None:
    with open(path, "wb") as handle:
        for i in range(pieces):
            handle.write(data[i * len(data) // pieces:(i + 1) * len(data) // pieces])
            handle.flush()
            time.sleep(pause_s)


def test_a_file_written_in_pieces_is_imported_once_when_complete(watching):
    store, inbox, _ = watching
    write_in_pieces(inbox / "run.fit", run_bytes(0, seconds=1800))
    took = wait_for(lambda: store.count() == 1, what="the run imported")
    assert took < 5, f"imported {took:.1f} s after the copy ended"
    (activity,) = store.activities().iter_rows(named=True)
    assert activity["duration_s"] == pytest.approx(1800, abs=2)
    write_in_pieces(inbox / "evening.gpx", b"<gpx><trk></trk></gpx>", pieces=3)
    wait_for(lambda: len(history(store)) == 2, what="the GPX judged")
    assert history(store) == [("run.fit", "imported"), ("evening.gpx", "rejected")]


def test_a_replaced_file_is_imported_again(watching):
    store, inbox, _ = watching
    (inbox / "latest.fit").write_bytes(run_bytes(0))
    wait_for(lambda: store.count() == 1, what="the first run")
    replacement = inbox / ".latest.fit.tmp"  # written aside, then renamed over (Syncthing)
    replacement.write_bytes(run_bytes(1))
    replacement.replace(inbox / "latest.fit")
    wait_for(lambda: store.count() == 2, what="the replacement")
    assert history(store) == [("latest.fit", "imported")] * 2


def test_a_folder_that_disappears_and_comes_back_is_read_again(watching, tmp_path):
    store, inbox, watcher = watching
    (inbox / "a.fit").write_bytes(run_bytes(0))
    wait_for(lambda: store.count() == 1, what="the first run")
    away = tmp_path / "away"
    inbox.rename(away)  # unplugged
    passes = watcher.passes
    wait_for(lambda: watcher.passes > passes + 2, what="passes over the missing folder")
    (away / "b.fit").write_bytes(run_bytes(1))  # recorded while unplugged
    away.rename(inbox)  # plugged in again
    wait_for(lambda: store.count() == 2, what="the run recorded meanwhile")
    assert history(store) == [("a.fit", "imported"), ("b.fit", "imported")]


def test_unplugging_mid_copy_loses_and_duplicates_nothing(watching, tmp_path):
    store, inbox, watcher = watching
    data = [run_bytes(day, seconds=1200) for day in range(4)]
    (inbox / "0.fit").write_bytes(data[0])
    with open(inbox / "1.fit", "wb") as copying:  # the second file is half copied ...
        copying.write(data[1][: len(data[1]) // 2])
    wait_for(lambda: store.count() == 1, what="the complete file")
    away = tmp_path / "away"
    inbox.rename(away)  # ... when the watch is unplugged
    passes = watcher.passes
    wait_for(lambda: watcher.passes > passes + 2, what="passes over the missing folder")
    (away / "1.fit").write_bytes(data[1])  # copied again, whole, with two more
    (away / "2.fit").write_bytes(data[2])
    (away / "3.fit").write_bytes(data[3])
    away.rename(inbox)
    wait_for(lambda: store.count() == 4, what="every run")
    time.sleep(1.0)  # a few more passes: nothing more may come
    assert store.count() == 4
    assert sorted(history(store)) == [(f"{i}.fit", "imported") for i in range(4)]


def test_folders_added_while_running_are_watched(watching, tmp_path):
    store, _, _ = watching
    mount = garmin_mount(tmp_path / "media")
    add_folders(store, [mount / "GARMIN" / "Activity"], "garmin")
    (mount / "GARMIN" / "Activity" / "X1.FIT").write_bytes(run_bytes(2))
    wait_for(lambda: store.count() == 1, what="the new folder's run")


def test_a_bug_in_a_pass_is_logged_and_the_watcher_goes_on(tmp_path, monkeypatch, caplog):
    from ingest.watch import watcher as watcher_module

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with Store(tmp_path / "data") as store:
        add_folders(store, [inbox])
        calls = []
        real = watcher_module.scan_folder

        def failing_once(*args, **kwargs):
            calls.append(threading.current_thread().name)
            if len(calls) == 1:
                raise RuntimeError("a bug")
            return real(*args, **kwargs)

        monkeypatch.setattr(watcher_module, "scan_folder", failing_once)
        watcher = Watcher(Store(tmp_path / "data", maintain=False), poll_s=0.1,
                          force_polling=True).start()
        try:
            (inbox / "a.fit").write_bytes(run_bytes(0))
            wait_for(lambda: store.count() == 1, what="the run after the failed pass")
        finally:
            watcher.stop()
            watcher.store.close()
    assert "watching" in caplog.text and "a bug" in caplog.text
