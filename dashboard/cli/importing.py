"""``strideload import`` and ``strideload activities``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dashboard.cli.common import data_dir_option, echo_frame, format_option, open_store
from dashboard.import_hook import enrich
from ingest.file_count import count_files
from ingest.import_report import FileReport
from ingest.importer import import_items
from ingest.sources import Expansion, expand
from ingest.strava import apply_gear
from ingest.watch.state import record_pass

if TYPE_CHECKING:
    from tqdm import tqdm

#: Files in a batch above which a progress bar is shown (on a terminal).
PROGRESS_AFTER = 3


class _Progress:
    """A tqdm bar on stderr that appears once a batch has more than a few files, with the time
    left when the number of files is known beforehand (:func:`ingest.file_count.count_files`)."""

    def __init__(self, enabled: bool, total: int | None = None) -> None:
        self.enabled = enabled
        self.total = total  # files the batch will go through, for the ETA (None: unknown)
        self.bar: tqdm | None = None
        self.done = 0
        self.reading_bar: tqdm | None = None  # bytes of one large file read in one pass
        self.reading_name = ""

    def reading(self, name: str, done: int, total: int | None) -> None:
        """A byte bar while a large file is read in one pass (an Apple Health export.xml)."""
        if not self.enabled:
            return
        if self.reading_bar is not None and name != self.reading_name:
            self.reading_bar.close()
            self.reading_bar = None
        if self.reading_bar is None:
            from tqdm import tqdm

            self.reading_name = name
            self.reading_bar = tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024,
                                    desc=f"reading {Path(name).name}", file=sys.stderr,
                                    leave=False)
        self.reading_bar.update(done - self.reading_bar.n)
        if total is not None and done >= total:
            self.reading_bar.close()
            self.reading_bar = None

    def step(self, name: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        if self.bar is None and self.done > PROGRESS_AFTER:
            from tqdm import tqdm

            self.bar = tqdm(initial=self.done - 1, total=self.total, unit=" files",
                            file=sys.stderr, leave=False)
        if self.bar is not None:
            self.bar.set_postfix_str(Path(name).name[-30:], refresh=False)
            self.bar.update(1)

    def write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            click.echo(line, err=True)

    def close(self) -> None:
        for bar in (self.reading_bar, self.bar):
            if bar is not None:
                bar.close()


def gear_line(reports: list[FileReport], added: list[str]) -> str | None:
    """'Gear from activities.csv: Ghost 15 (3 activities), ...; 1 new item (Ghost 15).'"""
    counts: dict[str, int] = {}
    for report in reports:
        for name in report.gear:
            counts[name] = counts.get(name, 0) + report.activities
    if not counts:
        return None
    used = ", ".join(f"{name} ({n} activit{'y' if n == 1 else 'ies'})"
                     for name, n in counts.items())
    new = (f"; {len(added)} new item{'s' if len(added) != 1 else ''} ({', '.join(added)})"
           if added else "")
    return f"Gear from activities.csv: {used}{new}."


def _summary_line(reports: list[FileReport], skipped: int, stored: int) -> str:
    counts = {status: sum(r.status == status for r in reports)
              for status in ("imported", "duplicate", "rejected")}
    activities = sum(r.activities for r in reports)
    replaced = sum(r.replaced for r in reports)
    wellness = len({day for r in reports for day in r.wellness_dates})
    days = f"; sleep, resting HR or HRV for {wellness} days" if wellness else ""
    richer = (f", {replaced} of them kept instead of a poorer recording of the same session"
              if replaced else "")
    parts = [
        f"{counts['imported']} imported ({activities} activities{richer}{days})",
        f"{counts['duplicate']} duplicates",
        f"{counts['rejected']} rejected",
    ]
    if skipped:
        parts.append(f"{skipped} other files skipped")
    return "; ".join(parts) + f". The store now holds {stored} activities."


def _watched_reports(store, jobs: int | None) -> Iterator[FileReport]:
    """Reports of one pass over each watched folder (:func:`ingest.watch.passes.import_watched`;
    the passes go to the import history)."""
    from ingest.watch.passes import import_watched
    from ingest.watch.state import watched_folders

    folders = watched_folders(store)
    if not folders:
        from dashboard.cli.watch import NOTHING_WATCHED

        raise click.ClickException(NOTHING_WATCHED)
    for result in import_watched(store, folders, enrich=enrich, jobs=jobs):
        if not result.available:
            click.echo(f"not there now: {result.folder.path}", err=True)
        for path in result.waiting:
            click.echo(f"still being written, left for the next run: {path}", err=True)
        yield from result.reports


@click.command("import")
@click.argument("paths", nargs=-1, type=click.Path())
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file and line.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Decode N files at a time in worker processes "
                   "(default: one per CPU core; 1: no worker processes).")
@click.option("--from-watched", is_flag=True,
              help="Instead of PATHS: what is new in the watched folders, one pass (for cron "
                   "or a scheduled task; see strideload watch).")
def import_command(paths: tuple[str, ...], data_dir: str | None, as_json: bool,
                   jobs: int | None, from_watched: bool) -> None:
    """Import FIT, GPX and TCX files, folders, .zip and .gz archives (Garmin, Strava, Apple
    Health exports).

    Wellness files are imported too: a Garmin export's sleep, HRV and daily-summary JSON, a
    watch's GARMIN/Monitor, Sleep and HRV FIT files, an intervals.icu wellness CSV (see
    strideload wellness), and the resting HR, HRV and sleep of an Apple Health export.
    An Apple Health export.zip (or its unzipped folder, or export.xml) gives every workout
    with its route, heart rate and running metrics; export.xml is read in one streaming pass,
    with a progress bar on a terminal.
    """
    if bool(paths) == from_watched:
        raise click.UsageError("give PATHS to import, or --from-watched (one of the two)")
    stats = Expansion()
    reports: list[FileReport] = []
    added: list[str] = []
    shown = not as_json and sys.stderr.isatty()
    progress = _Progress(shown, count_files(list(paths)) if shown and paths else None)
    stats.progress = progress.reading
    with open_store(data_dir) as store:
        source = (_watched_reports(store, jobs) if from_watched else
                  import_items(expand(list(paths), stats), store, jobs=jobs,
                               enrich=enrich))
        try:
            for report in source:
                added += apply_gear(store, report, stats.gear_by_file)
                reports.append(report)
                progress.step(report.file)
                if as_json:
                    click.echo(json.dumps(report.as_dict()))
                elif report.status == "rejected":
                    progress.write(f"rejected {report.file}: {report.reason}")
        finally:
            progress.close()
            if not from_watched:
                record_pass(store, "import", reports)
        for note in stats.notes:
            progress.write(note)
        if not as_json:
            click.echo(_summary_line(reports, stats.skipped, store.count()))
            if line := gear_line(reports, added):
                click.echo(line)
    sys.exit(1 if any(r.status == "rejected" for r in reports) else 0)


@click.command("activities")
@data_dir_option
@format_option("table", "csv", "json")
def activities_command(data_dir: str | None, fmt: str) -> None:
    """List stored activities, one row each (CSV/JSON in SI units; start in UTC and local).

    The table shows each activity's local date and local start time. CSV/JSON columns:
    start_time (UTC), start_local (local clock with its UTC offset), local_date (the day it
    counts for), elapsed_s (start to end), timer_s (the watch's timer, pauses excluded),
    moving_time_s, distance_m (the activity's own distance, any sport); then the gear, carry,
    surface, tags and whether the activity is excluded from load, and per run its warm-up and
    cool-down (s), breathing rate (breaths/min) and its rise at matched speed (%), vertical
    oscillation (mm), ground contact time (ms) and stride length (m) - null where not recorded.
    """
    from dashboard.data import display_units
    from dashboard.levers import with_context
    from dashboard.signals import with_signals
    from dashboard.tables import activity_display, activity_listing, render_table

    with open_store(data_dir) as store:
        listing = activity_listing(store.activities())
        units = display_units(store)
        if fmt != "table":
            listing = with_signals(with_context(listing, store, fmt), store)
    if fmt == "table" and listing.is_empty():
        click.echo("No activities yet. Import your watch files with: strideload import PATH...")
    elif fmt == "table":
        click.echo(render_table(activity_display(listing, units)))
    else:
        echo_frame(listing, fmt)
