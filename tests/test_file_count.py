"""The number of files an import goes through, known before it starts: the progress bar's ETA."""

from __future__ import annotations

import datetime as dt
import zipfile

from fitfiles import run_fit
from zips import zip_bytes

from dashboard.cli.importing import _Progress
from ingest.file_count import count_files
from ingest.sources import expand

START = dt.datetime(2026, 5, 4, 6, 0, tzinfo=dt.UTC)


def test_the_count_is_what_the_import_goes_through(tmp_path):
    run = run_fit(START, seconds=60)
    part = zip_bytes({f"{i}.fit": run for i in range(5)} | {"notes.txt": b"x"})
    export = zip_bytes({"DI_CONNECT/user.json": b"{}",
                     "DI_CONNECT/Uploaded/UploadedFiles_0-_Part1.zip": part,
                     "DI_CONNECT/Uploaded/UploadedFiles_0-_Part2.zip": part},
                    zipfile.ZIP_STORED)
    (tmp_path / "export.zip").write_bytes(export)
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "a.fit").write_bytes(run)
    (tmp_path / "folder" / "b.gpx").write_text("<gpx/>")
    (tmp_path / "folder" / "inner.zip").write_bytes(part)
    (tmp_path / "folder" / "readme.md").write_text("skipped")
    paths = [tmp_path / "export.zip", tmp_path / "folder", tmp_path / "folder" / "a.fit"]
    assert count_files(paths) == 10 + 7 + 1 == len(list(expand(paths)))


def test_an_apple_health_export_has_no_count_a_damaged_archive_is_one_report(tmp_path):
    (tmp_path / "export.zip").write_bytes(zip_bytes({"apple_health_export/export.xml": b"<x/>"}))
    assert count_files([tmp_path / "export.zip"]) is None  # cut into workouts while read
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    assert count_files([tmp_path / "bad.zip"]) == 1 == len(list(expand([tmp_path / "bad.zip"])))


def test_the_bar_shows_the_time_left_when_the_count_is_known(capsys):
    progress = _Progress(enabled=True, total=50)
    for i in range(10):
        progress.step(f"run_{i}.fit")
    progress.bar.refresh()
    shown = capsys.readouterr().err
    assert "/50" in shown and "<" in shown  # 9/50 [00:00<00:00, ...]: elapsed<remaining
    assert progress.bar.total == 50
    progress.close()
