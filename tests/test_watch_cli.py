"""``strideload watch add/list/remove/run`` and ``strideload import --from-watched``."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time

from click.testing import CliRunner
from watch_helpers import garmin_mount, run_bytes, wait_for

from dashboard.cli import main
from ingest.store import Store
from ingest.watch.devices import MEDIA_ENV
from ingest.watch.state import recent_passes


def invoke(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def test_add_list_remove(tmp_path):
    data, inbox = tmp_path / "data", tmp_path / "inbox"
    inbox.mkdir()
    added = invoke("watch", "add", inbox, "--data-dir", data)
    assert added.exit_code == 0 and f"watching {inbox}" in added.output
    assert "already watched" in invoke("watch", "add", inbox, "--data-dir", data).output
    listed = invoke("watch", "list", "--format", "json", "--data-dir", data)
    assert json.loads(listed.output) == [{"path": str(inbox), "kind": "folder",
                                          "available": True}]
    assert f"{inbox}  (folder, available)" in invoke("watch", "list", "--data-dir", data).output
    removed = invoke("watch", "remove", inbox, "--data-dir", data)
    assert removed.exit_code == 0 and f"no longer watching {inbox}" in removed.output
    assert json.loads(invoke("watch", "list", "--format", "json", "--data-dir", data).output
                      ) == []


def test_mistakes_are_one_line_each(tmp_path):
    data = tmp_path / "data"
    missing = invoke("watch", "add", tmp_path / "nope", "--data-dir", data)
    assert missing.exit_code == 1
    assert missing.output.strip() == f"Error: cannot watch {tmp_path / 'nope'}: it does not exist"
    assert invoke("watch", "remove", tmp_path, "--data-dir", data).exit_code == 1
    assert invoke("watch", "add", "--data-dir", data).exit_code == 2  # neither DIR nor --garmin
    nothing = invoke("import", "--from-watched", "--data-dir", data)
    assert nothing.exit_code == 1 and "no folders are watched yet" in nothing.output
    assert invoke("import", "--data-dir", data).exit_code == 2
    no_watch = invoke("watch", "add", "--garmin", "--data-dir", data,
                      env={MEDIA_ENV: str(tmp_path)})
    assert no_watch.exit_code == 1 and "no Garmin watch found" in no_watch.output


def test_add_garmin_watches_the_connected_watch_with_its_wellness(tmp_path):
    mount = garmin_mount(tmp_path / "media")
    env = {MEDIA_ENV: str(tmp_path / "media")}
    offered = invoke("watch", "list", "--data-dir", tmp_path / "data", env=env)
    assert f"A Garmin watch is connected at {mount}" in offered.output
    assert invoke("watch", "add", "--garmin", "--data-dir", tmp_path / "data", env=env
                  ).exit_code == 0
    listed = json.loads(invoke("watch", "list", "--format", "json", "--data-dir",
                               tmp_path / "data", env=env).output)
    assert [(f["path"], f["kind"]) for f in listed] == [
        (str(mount / "GARMIN" / name), "garmin") for name in ("Activity", "Monitor", "Sleep",
                                                              "HRV")]


def test_import_from_watched_does_one_pass(tmp_path):
    data, inbox = tmp_path / "data", tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "run.fit").write_bytes(run_bytes(0))
    (inbox / "bad.fit").write_bytes(b"\0" * 20)
    invoke("watch", "add", inbox, "--data-dir", data)
    first = invoke("import", "--from-watched", "--json", "--jobs", "1", "--data-dir", data)
    lines = sorted((json.loads(line)["file"], json.loads(line)["status"])
                   for line in first.stdout.splitlines())
    assert lines == [(str(inbox / "bad.fit"), "rejected"), (str(inbox / "run.fit"), "imported")]
    assert first.exit_code == 1  # a rejected file, as for import PATHS
    again = invoke("import", "--from-watched", "--data-dir", data)
    assert again.exit_code == 0 and again.output.startswith("0 imported")
    with Store(data) as store:
        assert store.count() == 1
        passes = recent_passes(store)  # the FIT file at once, the other once settled
    assert {p.origin for p in passes} == {"watch"}
    assert (sum(p.imported for p in passes), sum(p.rejected for p in passes)) == (1, 1)


def test_import_paths_goes_to_the_history(tmp_path):
    (tmp_path / "run.fit").write_bytes(run_bytes(0))
    invoke("import", tmp_path / "run.fit", "--data-dir", tmp_path / "data")
    with Store(tmp_path / "data") as store:
        (entry,) = recent_passes(store)
    assert (entry.origin, entry.imported, entry.runs) == ("import", 1, 1)


def test_watch_run_imports_in_the_foreground_until_interrupted(tmp_path):
    data, inbox = tmp_path / "data", tmp_path / "inbox"
    inbox.mkdir()
    assert invoke("watch", "add", inbox, "--data-dir", data).exit_code == 0
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [shutil.which("strideload"), "watch", "run", "--jobs", "1", "--data-dir", str(data)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        with Store(data) as store:
            wait_for(lambda: process.poll() is not None or process.stdout.readline()
                     .startswith("watching 1 folders"), timeout=60, what="watch run started")
            time.sleep(0.5)
            (inbox / "run.fit").write_bytes(run_bytes(0))
            wait_for(lambda: store.count() == 1, what="the run imported by watch run")
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert f"imported {inbox / 'run.fit'}: 1 activity" in out and "stopped" in out
