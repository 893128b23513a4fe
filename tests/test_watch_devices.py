"""Finding a plugged-in Garmin watch by its folders, and which folders are polled."""

from __future__ import annotations

from watch_helpers import garmin_mount

from ingest.watch import devices
from ingest.watch.devices import MEDIA_ENV, find_garmin_watches, needs_polling


def test_watches_are_found_by_their_activity_folder_under_media_places(tmp_path):
    media = tmp_path / "media"
    new = garmin_mount(media, "FORERUNNER")
    old = media / "OLDWATCH" / "Garmin" / "Activities"  # older models
    old.mkdir(parents=True)
    lower = media / "FENIX" / "garmin" / "activity"  # FAT does not care for case
    lower.mkdir(parents=True)
    mtp = media / "mtp:host=091e_4b48" / "Internal Storage" / "GARMIN" / "Activity"
    mtp.mkdir(parents=True)  # a watch mounted over MTP: one storage level more
    (media / "USBSTICK" / "photos").mkdir(parents=True)
    found = {w.mount: w for w in find_garmin_watches([media])}
    assert sorted(found) == sorted(str(p) for p in (
        new, media / "OLDWATCH", media / "FENIX", media / "mtp:host=091e_4b48" /
        "Internal Storage"))
    watch = found[str(new)]
    assert watch.activity == str(new / "GARMIN" / "Activity")
    assert watch.folders == [str(new / "GARMIN" / f) for f in ("Activity", "Monitor", "Sleep",
                                                               "HRV")]
    assert found[str(media / "FENIX")].activity == str(lower)
    assert found[str(media / "OLDWATCH")].folders == [str(old)]


def test_media_places_follow_the_platform_or_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(MEDIA_ENV, f"{tmp_path / 'a'}:{tmp_path / 'b'}")
    assert devices.media_places() == [tmp_path / "a", tmp_path / "b"]
    monkeypatch.delenv(MEDIA_ENV)
    monkeypatch.setattr(devices.sys, "platform", "darwin")
    assert [str(p) for p in devices.media_places()] == ["/Volumes"]
    monkeypatch.setattr(devices.sys, "platform", "linux")
    monkeypatch.setattr(devices.getpass, "getuser", lambda: "anna")
    assert "/run/media/anna" in [str(p) for p in devices.media_places()]
    assert find_garmin_watches([tmp_path / "nothing here"]) == []


def test_network_fuse_and_fat_mounts_are_polled(tmp_path, monkeypatch):
    monkeypatch.setenv(MEDIA_ENV, str(tmp_path / "media"))
    mounts = [("/", "ext4"), ("/mnt/nas", "nfs4"), ("/media/anna/GARMIN", "vfat"),
              ("/run/user/1000/gvfs", "fuse.gvfsd-fuse"), ("/mnt/nas/local", "ext4")]
    assert not needs_polling("/home/anna/Dropbox", mounts)
    assert needs_polling("/mnt/nas/runs", mounts)
    assert not needs_polling("/mnt/nas/local/runs", mounts)  # the longest mount point wins
    assert needs_polling("/media/anna/GARMIN/GARMIN/Activity", mounts)
    assert needs_polling("/run/user/1000/gvfs/mtp:host=x/GARMIN/Activity", mounts)
    assert needs_polling("\\\\nas\\runs", mounts)
    watch = garmin_mount(tmp_path / "media")
    assert needs_polling(str(watch / "GARMIN" / "Activity"), [("/", "ext4")])
