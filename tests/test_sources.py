"""Folders, Garmin/Strava export archives, gzip, and hostile archives."""

from __future__ import annotations

import datetime as dt
import gzip
import struct
import zipfile
from pathlib import Path

import pytest
from fitfiles import run_fit
from xml_docs import gpx_doc, gpx_point, gpx_track, tpx
from zips import zip_bytes

from ingest.context import delete_activity
from ingest.errors import UnsafeInput
from ingest.importer import import_items
from ingest.reader import gunzip, read_activities
from ingest.sources import Expansion, expand
from ingest.store import Store

START = dt.datetime(2026, 4, 6, 6, 0, tzinfo=dt.UTC)


def fit_on_day(day: int) -> bytes:
    return run_fit(START + dt.timedelta(days=day), seconds=120)


def gpx_document(start: dt.datetime, points: int = 60) -> str:
    """A phone-app GPX run: one point per second heading north, with heart rate."""
    track = [
        gpx_point(48.0 + i * 3e-5, 11.0,
                  (start + dt.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                  extensions=tpx(hr=130))
        for i in range(points)
    ]
    return gpx_doc(gpx_track(track, sport="running"))


def run_import(tmp_path, *paths):
    stats = Expansion()
    with Store(tmp_path / "store") as store:
        reports = list(import_items(expand(list(paths), stats), store))
        return reports, stats, store.count()


def by_name(reports):
    return {r.file.rsplit("/", 1)[-1]: r for r in reports}


def test_folder_is_searched_recursively_and_other_files_skipped(tmp_path):
    folder = tmp_path / "watch"
    (folder / "2026" / "04").mkdir(parents=True)
    (folder / "2026" / "04" / "a.fit").write_bytes(fit_on_day(0))
    (folder / "b.FIT").write_bytes(fit_on_day(1))
    (folder / "c.gpx").write_bytes(gpx_document(start=START + dt.timedelta(days=2)).encode())
    (folder / "notes.json").write_text("{}")
    (folder / ".hidden.fit").write_bytes(b"junk")
    reports, stats, stored = run_import(tmp_path, folder)
    assert sorted(by_name(reports)) == ["a.fit", "b.FIT", "c.gpx"]
    assert {r.status for r in reports} == {"imported"}
    assert (stats.skipped, stored) == (1, 3)


def test_garmin_export_with_nested_zips(tmp_path):
    uploaded = zip_bytes({"UploadedFiles_0-_Part1/1001.fit": fit_on_day(0),
                          "UploadedFiles_0-_Part1/1002.fit": fit_on_day(1)})
    export = tmp_path / "garmin-export.zip"
    export.write_bytes(zip_bytes({
        "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": uploaded,
        "DI_CONNECT/DI-Connect-Fitness/summarizedActivities.json": b"[]",
    }))
    reports, stats, stored = run_import(tmp_path, export)
    assert [r.status for r in reports] == ["imported", "imported"]
    assert reports[0].file.endswith("UploadedFiles_0-_Part1.zip/UploadedFiles_0-_Part1/1001.fit")
    assert (stats.skipped, stored) == (1, 2)


def stored_export(tmp_path, parts: dict[str, dict[str, bytes]],
                  compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A Garmin-style export on disk whose part archives are stored uncompressed in it
    (their entries compressed with ``compression``)."""
    export = tmp_path / "garmin-export.zip"
    with zipfile.ZipFile(export, "w", zipfile.ZIP_STORED) as archive:
        for name, entries in parts.items():
            archive.writestr(f"DI_CONNECT/DI-Connect-Uploaded-Files/{name}",
                             zip_bytes(entries, compression))
    return export


def test_stored_nested_archive_is_read_in_place(tmp_path, monkeypatch):
    from ingest import sources

    entries = {f"{1000 + day}.fit": fit_on_day(day) for day in range(3)}
    export = stored_export(tmp_path, {"UploadedFiles_0-_Part1.zip": entries,
                                      "UploadedFiles_0-_Part2.zip": {"2000.fit": fit_on_day(5)}})
    read = []
    real_read = sources._read_member
    monkeypatch.setattr(sources, "_read_member",
                        lambda archive, info: read.append(info.filename) or real_read(archive,
                                                                                          info))
    loaded = [(item.load(), item.fingerprint) for item in expand([export])]  # while open
    assert [data for data, _ in loaded] == [*entries.values(), fit_on_day(5)]
    assert not any(name.endswith(".zip") for name in read)  # the parts were not read whole
    assert loaded[0][1] == ("1000.fit", zipfile.crc32(entries["1000.fit"]) & 0xFFFFFFFF,
                                    len(entries["1000.fit"]))


def test_stored_nested_archive_with_a_lying_directory_is_refused(tmp_path):
    export = stored_export(tmp_path, {"UploadedFiles_0-_Part1.zip": {"1.fit": fit_on_day(0)}})
    data = bytearray(export.read_bytes())
    data[:4] = b"XXXX"  # the first entry's local header no longer matches the directory
    export.write_bytes(bytes(data))
    reports, _, stored = run_import(tmp_path, export)
    assert [r.status for r in reports] == ["rejected"]
    assert "header does not match" in reports[0].reason
    assert stored == 0


def test_reimporting_an_export_does_not_read_known_entries(tmp_path):
    entries = {f"{1000 + day}.fit": fit_on_day(day) for day in range(3)}
    export = stored_export(tmp_path, {"UploadedFiles_0-_Part1.zip": entries}, zipfile.ZIP_STORED)
    first, _, stored = run_import(tmp_path, export)
    assert [r.status for r in first] == ["imported"] * 3
    # Damage the bytes of an entry, not the directory: read again, its CRC would not match.
    data = export.read_bytes()
    at = data.index(entries["1001.fit"]) + 40
    export.write_bytes(data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:])
    again, _, stored_again = run_import(tmp_path, export)
    assert [r.status for r in again] == ["duplicate"] * 3
    assert again[1].reason == f"identical to {first[1].file}, already imported"
    assert stored_again == stored == 3


def test_a_changed_or_deleted_entry_is_read_again(tmp_path):
    export = stored_export(tmp_path, {"UploadedFiles_0-_Part1.zip": {
        "1.fit": fit_on_day(0), "2.fit": fit_on_day(1)}})
    run_import(tmp_path, export)
    with Store(tmp_path / "store") as store:  # the runner deletes the first run
        first = store.db.execute("SELECT id FROM activities ORDER BY start_ms").fetchone()["id"]
        delete_activity(store, first)
    export.unlink()
    export = stored_export(tmp_path, {"UploadedFiles_0-_Part1.zip": {
        "1.fit": fit_on_day(0), "2.fit": fit_on_day(2)}})  # and the watch rewrote 2.fit
    reports, _, stored = run_import(tmp_path, export)
    assert [r.status for r in reports] == ["imported", "imported"]
    assert stored == 3


def test_strava_export_with_gzipped_activities(tmp_path):
    gpx = gpx_document(start=START + dt.timedelta(days=3)).encode()
    export = tmp_path / "strava.zip"
    export.write_bytes(zip_bytes({
        "activities/111.fit.gz": gzip.compress(fit_on_day(0), mtime=0),
        "activities/112.gpx.gz": gzip.compress(gpx, mtime=0),
        "activities.csv": b"Activity ID,Activity Date\n",
    }))
    reports, stats, stored = run_import(tmp_path, export)
    assert {name: r.status for name, r in by_name(reports).items()} == {
        "111.fit.gz": "imported", "112.gpx.gz": "imported"}
    assert stored == 2


def test_reimporting_identical_bytes_is_a_noop(tmp_path):
    path = tmp_path / "run.fit"
    path.write_bytes(fit_on_day(0))
    copy = tmp_path / "copy-of-run.fit"
    copy.write_bytes(fit_on_day(0))
    reports, _, stored = run_import(tmp_path, path, copy)
    assert [r.status for r in reports] == ["imported", "duplicate"]
    assert reports[1].reason == f"identical to {path}, already imported"
    assert stored == 1


@pytest.mark.parametrize("member", ["../../evil.fit", "/etc/evil.fit", "C:/evil.fit",
                                    "a/../../evil.fit"])
def test_archive_entries_escaping_the_folder_are_refused(tmp_path, member):
    archive = tmp_path / "evil.zip"
    archive.write_bytes(zip_bytes({member: fit_on_day(0), "ok.fit": fit_on_day(1)}))
    reports, _, stored = run_import(tmp_path, archive)
    statuses = {r.file.split("evil.zip/", 1)[1]: (r.status, r.reason) for r in reports}
    assert statuses[member] == ("rejected", "path escapes the archive folder; refused")
    assert statuses["ok.fit"] == ("imported", None)
    assert stored == 1


def test_zip_bomb_entry_is_refused_and_the_batch_goes_on(tmp_path):
    archive = tmp_path / "bomb.zip"
    archive.write_bytes(zip_bytes({"bomb.fit": bytes(30 * 2**20), "ok.fit": fit_on_day(0)}))
    reports, _, stored = run_import(tmp_path, archive)
    bomb, ok = reports
    assert bomb.status == "rejected" and "possible zip bomb" in bomb.reason
    assert ok.status == "imported" and stored == 1


def test_huge_declared_size_is_refused_without_reading(tmp_path):
    data = bytearray(zip_bytes({"big.fit": fit_on_day(0)}))
    central = data.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 2**31)  # uncompressed size in central directory
    archive = tmp_path / "big.zip"
    archive.write_bytes(bytes(data))
    (report,), _, _ = run_import(tmp_path, archive)
    assert report.status == "rejected"
    assert report.reason == "declares 2048 MB uncompressed; too large"


def test_gzip_bomb_is_refused():
    with pytest.raises(UnsafeInput, match="possible gzip bomb"):
        gunzip(gzip.compress(bytes(3 * 2**20)), limit=2**20)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.fit", b"", "empty file"),
        ("noise.fit", bytes(range(256)) * 8, "not a FIT, GPX or TCX file"),
        ("broken.zip", b"PK\x03\x04 not really a zip", "damaged zip archive"),
        ("broken.fit.gz", b"\x1f\x8b\x08\x00garbage", "damaged gzip data"),
    ],
)
def test_bad_files_get_one_clear_line(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    good = tmp_path / "good.fit"
    good.write_bytes(fit_on_day(0))
    bad, ok = run_import(tmp_path, path, good)[0]
    assert bad.status == "rejected" and reason in bad.reason
    assert "\n" not in bad.reason
    assert ok.status == "imported"


def test_missing_path_is_reported(tmp_path):
    (report,), _, _ = run_import(tmp_path, tmp_path / "nope.fit")
    assert (report.status, report.reason) == ("rejected", "no such file or folder")


def test_gzip_members_decode_like_plain_files():
    plain = read_activities(fit_on_day(0), "a.fit")[0]
    packed = read_activities(gzip.compress(fit_on_day(0)), "a.fit.gz")[0]
    assert packed.summary == plain.summary
    assert packed.samples.equals(plain.samples)
