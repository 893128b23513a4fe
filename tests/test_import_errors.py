"""Files that are wrapped twice, nested archives, and bugs: a real reason or a logged
internal error for the one file, and the batch goes on."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import sqlite3
import zipfile

import pytest
from click.testing import CliRunner
from fitfiles import run_fit

import ingest.fit
from dashboard.cli import main
from ingest import sources
from ingest.import_report import ERROR_LOG
from ingest.importer import import_items
from ingest.reader import MAX_GZIP_LAYERS, read_activities
from ingest.sources import MAX_ARCHIVE_DEPTH, Expansion, Item, expand
from ingest.store import Store

START = dt.datetime(2026, 5, 4, 6, 0, tzinfo=dt.UTC)
BROKEN_DAY = 3


def fit_on_day(day: int) -> bytes:
    return run_fit(START + dt.timedelta(days=day), seconds=90)


def gzipped(data: bytes, layers: int) -> bytes:
    for _ in range(layers):
        data = gzip.compress(data, mtime=0)
    return data


def zipped(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def import_paths(tmp_path, *paths, jobs: int = 1, enrich=None):
    stats = Expansion()
    with Store(tmp_path / "store") as store:
        reports = list(import_items(expand(list(paths), stats), store, jobs=jobs,
                                    enrich=enrich))
        return reports, stats, store.count()


@pytest.mark.parametrize("layers", range(2, MAX_GZIP_LAYERS + 1))
def test_gzip_inside_gzip_is_unwrapped(tmp_path, layers):
    plain = read_activities(fit_on_day(0), "run.fit")[0]
    (packed,) = read_activities(gzipped(fit_on_day(0), layers), "run.fit.gz.gz")
    assert packed.summary == plain.summary
    assert packed.samples.equals(plain.samples)
    folder = tmp_path / "strava"
    folder.mkdir()
    (folder / "run.fit.gz.gz").write_bytes(gzipped(fit_on_day(0), layers))
    (report,), stats, stored = import_paths(tmp_path, folder)  # found by its name, too
    assert (report.status, stats.skipped, stored) == ("imported", 0, 1)


def test_too_many_gzip_layers_are_refused_and_the_batch_goes_on(tmp_path):
    deep = tmp_path / "deep.fit.gz"
    deep.write_bytes(gzipped(fit_on_day(0), MAX_GZIP_LAYERS + 1))
    good = tmp_path / "good.fit"
    good.write_bytes(fit_on_day(1))
    (bad, ok), _, stored = import_paths(tmp_path, deep, good)
    assert (bad.status, bad.reason) == (
        "rejected", f"gzip inside gzip more than {MAX_GZIP_LAYERS} layers deep")
    assert (ok.status, stored) == ("imported", 1)


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty file"),
    (gzip.compress(b""), "empty file"),
    (b"\x00" * 64, "not a FIT, GPX or TCX file"),
    (gzipped(b"just some text\n", 2), "not a FIT, GPX or TCX file"),
])
def test_empty_and_foreign_files_say_so(tmp_path, content, reason):
    path = tmp_path / "watch.fit.gz"
    path.write_bytes(content)
    (report,), _, _ = import_paths(tmp_path, path)
    assert (report.status, report.reason) == ("rejected", reason)


def test_zips_inside_zips_are_opened_down_to_the_depth_limit(tmp_path):
    archive = zipped(f"run{MAX_ARCHIVE_DEPTH + 1}.fit", fit_on_day(MAX_ARCHIVE_DEPTH + 1))
    for depth in range(MAX_ARCHIVE_DEPTH, 0, -1):  # depth 1 is the file named on the command line
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as outer:
            outer.writestr(f"run{depth}.fit", fit_on_day(depth))
            outer.writestr(f"inner{depth + 1}.zip", archive)
        archive = buffer.getvalue()
    path = tmp_path / "export.zip"
    path.write_bytes(archive)
    reports, _, stored = import_paths(tmp_path, path)
    statuses = {r.file.rsplit("/", 1)[-1]: (r.status, r.reason) for r in reports}
    assert statuses == {
        **{f"run{d}.fit": ("imported", None) for d in range(1, MAX_ARCHIVE_DEPTH + 1)},
        f"inner{MAX_ARCHIVE_DEPTH + 1}.zip": ("rejected", "archives nested too deeply"),
    }
    assert stored == MAX_ARCHIVE_DEPTH


def test_nested_archives_share_one_size_budget(tmp_path, monkeypatch):
    inner = zipped("a.fit", fit_on_day(0))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as outer:
        outer.writestr("one.zip", inner)
        outer.writestr("two.zip", inner.replace(b"a.fit", b"b.fit"))
    path = tmp_path / "export.zip"
    path.write_bytes(buffer.getvalue())
    fit_size = len(fit_on_day(0))
    monkeypatch.setattr(sources, "MAX_ARCHIVE_BYTES", 2 * len(inner) + fit_size + 10)
    reports, _, stored = import_paths(tmp_path, path)
    assert [r.status for r in reports] == ["imported", "rejected"]
    assert reports[1].reason.startswith("archive expands beyond the")
    assert stored == 1


def _explode(data: bytes) -> list:
    raise KeyError("gz")


@pytest.mark.internal_error
def test_a_decoder_bug_is_logged_and_the_batch_goes_on(tmp_path, monkeypatch,
                                                       internal_errors):
    paths = [tmp_path / "bad.fit", tmp_path / "good.fit.gz"]
    paths[0].write_bytes(fit_on_day(0))
    paths[1].write_bytes(gzip.compress(fit_on_day(1)))
    real = ingest.fit.read_fit
    monkeypatch.setattr(ingest.fit, "read_fit",
                        lambda data: _explode(data) if data == fit_on_day(0) else real(data))
    (bad, good), _, stored = import_paths(tmp_path, *paths)
    log = tmp_path / "store" / ERROR_LOG
    assert bad.status == "rejected"
    assert bad.reason == (f"internal error while reading {paths[0]} (details in {log}); "
                          "the rest of the batch goes on")
    assert (good.status, stored) == ("imported", 1)
    text = log.read_text()
    assert f"internal error while reading {paths[0]}" in text
    assert "Traceback" in text and "KeyError: 'gz'" in text
    assert len(internal_errors()) == 1


def fails_on_broken_day(activity):
    """An enrich hook with a bug for one day's run (runs in the worker processes)."""
    if activity.summary.start_time.day == START.day + BROKEN_DAY:
        raise ZeroDivisionError("metric of an empty run")
    return activity


@pytest.mark.internal_error
def test_a_bug_in_a_worker_process_is_logged_in_the_data_directory(tmp_path,
                                                                   internal_errors):
    paths = []
    for day in range(6):
        path = tmp_path / f"day{day}.fit"
        path.write_bytes(fit_on_day(day))
        paths.append(path)
    reports, _, stored = import_paths(tmp_path, *paths, jobs=2, enrich=fails_on_broken_day)
    statuses = [r.status for r in reports]
    assert statuses == ["imported"] * BROKEN_DAY + ["rejected"] + ["imported"] * 2
    assert reports[BROKEN_DAY].reason.startswith(
        f"internal error while reading {paths[BROKEN_DAY]} (details in ")
    assert stored == 5
    assert "ZeroDivisionError: metric of an empty run" in (
        tmp_path / "store" / ERROR_LOG).read_text()
    assert len(internal_errors()) == 1


@pytest.mark.internal_error
def test_a_bug_while_storing_stops_only_that_file(tmp_path, monkeypatch, internal_errors):
    real_add = Store.add

    def add(self, activity, sha256, source_file, decoder=None):
        if source_file == "second.fit":
            raise sqlite3.InterfaceError("bad parameter")
        return real_add(self, activity, sha256, source_file, decoder)

    monkeypatch.setattr(Store, "add", add)
    items = [Item(f"{name}.fit", lambda day=day: fit_on_day(day))
             for day, name in enumerate(("first", "second", "third"))]
    with Store(tmp_path) as store:
        reports = list(import_items(items, store, jobs=1))
        assert store.activities()["source_file"].to_list() == ["first.fit", "third.fit"]
    assert [r.status for r in reports] == ["imported", "rejected", "imported"]
    assert "InterfaceError: bad parameter" in (tmp_path / ERROR_LOG).read_text()
    assert len(internal_errors()) == 1


@pytest.mark.internal_error
def test_the_command_line_names_the_file_and_the_log(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest.fit, "read_fit", _explode)
    path = tmp_path / "run.fit"
    path.write_bytes(fit_on_day(0))
    data_dir = tmp_path / "data"
    result = CliRunner().invoke(main, ["import", str(path), "--data-dir", str(data_dir),
                                       "--jobs", "1"])
    assert result.exit_code == 1
    assert (f"rejected {path}: internal error while reading {path} (details in "
            f"{data_dir / ERROR_LOG}); the rest of the batch goes on") in result.output
    assert "Traceback" not in result.output
