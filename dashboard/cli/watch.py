"""``strideload watch``: folders whose new files are imported by themselves."""

from __future__ import annotations

import json
from pathlib import Path

import click

from dashboard.cli.common import data_dir_option, format_option, open_store, resolve_data_dir

NOTHING_WATCHED = ("no folders are watched yet: add one with strideload watch add DIR "
                   "(or --garmin for a connected Garmin watch)")


@click.group("watch")
def watch_group() -> None:
    """Import new files by themselves: from folders you watch and a plugged-in Garmin watch.

    While the dashboard runs, new and changed files in watched folders are imported within
    seconds. Without the dashboard, `strideload watch run` does the same until Ctrl+C, and
    `strideload import --from-watched` does one pass and exits (for cron or a scheduled task).
    """


def _no_watch_found() -> click.ClickException:
    from ingest.watch.devices import MEDIA_ENV, media_places

    places = ", ".join(str(p) for p in media_places())
    return click.ClickException(
        f"no Garmin watch found (looked for GARMIN/Activity under {places}; set {MEDIA_ENV} "
        "to look elsewhere): plug it in and wait until it shows as a drive, or name its "
        "GARMIN/Activity folder")


@watch_group.command("add")
@click.argument("folder", required=False, type=click.Path())
@click.option("--garmin", is_flag=True,
              help="Watch the connected Garmin watch: its activities and wellness folders.")
@data_dir_option
def add_command(folder: str | None, garmin: bool, data_dir: str | None) -> None:
    """Watch FOLDER, or the folders of a connected Garmin watch (--garmin)."""
    from ingest.watch.devices import find_garmin_watches
    from ingest.watch.state import WatchError, add_folders

    if bool(folder) == garmin:
        raise click.UsageError("name a FOLDER or give --garmin (one of the two)")
    with open_store(data_dir) as store:
        try:
            if garmin:
                watches = find_garmin_watches()
                if not watches:
                    raise _no_watch_found()
                added = add_folders(store, [p for w in watches for p in w.folders], "garmin")
            else:
                assert folder is not None  # FOLDER or --garmin, checked above
                added = add_folders(store, [folder])
        except WatchError as exc:
            raise click.ClickException(str(exc)) from exc
    for entry in added:
        click.echo(f"watching {entry.path}")
    if not added:
        click.echo("already watched; nothing changed")
    click.echo("New files there are imported while the dashboard runs, by strideload watch "
               "run, or by strideload import --from-watched.")


@watch_group.command("list")
@data_dir_option
@format_option("table", "json")
def list_command(data_dir: str | None, fmt: str) -> None:
    """List the watched folders and whether each is there now (a watch plugged in)."""
    from ingest.watch.devices import find_garmin_watches
    from ingest.watch.state import watched_folders

    with open_store(data_dir) as store:
        folders = watched_folders(store)
    if fmt == "json":
        click.echo(json.dumps([f.as_dict() for f in folders], indent=1))
        return
    for entry in folders:
        state = "available" if entry.available() else "not there now"
        click.echo(f"{entry.path}  ({entry.kind}, {state})")
    watched = {f.path for f in folders}
    for watch in find_garmin_watches():
        if not set(watch.folders) <= watched:
            click.echo(f"A Garmin watch is connected at {watch.mount}: "
                       "strideload watch add --garmin")
    if not folders:
        click.echo(NOTHING_WATCHED[0].upper() + NOTHING_WATCHED[1:] + ".")


@watch_group.command("remove")
@click.argument("folder", type=click.Path())
@data_dir_option
def remove_command(folder: str, data_dir: str | None) -> None:
    """Stop watching FOLDER (what was imported from it stays)."""
    from ingest.watch.state import WatchError, remove_folder

    with open_store(data_dir) as store:
        try:
            removed = remove_folder(store, folder)
        except WatchError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"no longer watching {removed.path}")


def echo_pass(result) -> None:
    """One line per file a pass imported or rejected (duplicates only counted)."""
    from dashboard.import_text import report_text

    for report in result.reports:
        if report.status != "duplicate":
            click.echo(report_text(report, full_path=True), err=report.status == "rejected")
    duplicates = sum(r.status == "duplicate" for r in result.reports)
    if duplicates:
        click.echo(f"{duplicates} files in {result.folder.path} were already imported")


@watch_group.command("run")
@data_dir_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Decode N files at a time (default: one per CPU core).")
def run_command(data_dir: str | None, jobs: int | None) -> None:
    """Watch in the foreground, without the dashboard, until Ctrl+C."""
    from dashboard import service
    from ingest.store import Store
    from ingest.watch.state import watched_folders
    from ingest.watch.watcher import Watcher

    path = resolve_data_dir(data_dir)
    with open_store(path) as store:
        folders = watched_folders(store)
    if not folders:
        raise click.ClickException(NOTHING_WATCHED)
    click.echo(f"watching {len(folders)} folders for {Path(path)} (Ctrl+C to stop)")
    with Store(path, maintain=False) as store:
        watcher = Watcher(store, service.enrich, jobs, on_pass=echo_pass)
        try:
            watcher.run()
        except KeyboardInterrupt:
            click.echo("stopped")
