"""``strideload import`` and ``strideload activities``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from dashboard import service
from dashboard.cli.common import data_dir_option, echo_frame, format_option, open_store
from dashboard.data import display_units
from dashboard.tables import activity_display, activity_listing, render_table
from ingest.importer import FileReport, import_items
from ingest.sources import Expansion, expand

#: Files in a batch above which a progress bar is shown (on a terminal).
PROGRESS_AFTER = 3


class _Progress:
    """A tqdm bar on stderr that appears once a batch has more than a few files."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar = None
        self.done = 0

    def step(self, name: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        if self.bar is None and self.done > PROGRESS_AFTER:
            from tqdm import tqdm

            self.bar = tqdm(initial=self.done - 1, unit=" files", file=sys.stderr, leave=False)
        if self.bar is not None:
            self.bar.set_postfix_str(Path(name).name[-30:], refresh=False)
            self.bar.update(1)

    def write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            click.echo(line, err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _summary_line(reports: list[FileReport], skipped: int, stored: int) -> str:
    counts = {status: sum(r.status == status for r in reports)
              for status in ("imported", "duplicate", "rejected")}
    activities = sum(r.activities for r in reports)
    parts = [
        f"{counts['imported']} imported ({activities} activities)",
        f"{counts['duplicate']} duplicates",
        f"{counts['rejected']} rejected",
    ]
    if skipped:
        parts.append(f"{skipped} other files skipped")
    return "; ".join(parts) + f". The store now holds {stored} activities."


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file and line.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Decode N files at a time in worker processes "
                   "(default: one per CPU core; 1: no worker processes).")
def import_command(paths: tuple[str, ...], data_dir: str | None, as_json: bool,
                   jobs: int | None) -> None:
    """Import FIT, GPX and TCX files, folders, .zip and .gz archives (Garmin, Strava exports)."""
    stats = Expansion()
    reports: list[FileReport] = []
    progress = _Progress(enabled=not as_json and sys.stderr.isatty())
    with open_store(data_dir) as store:
        try:
            for report in import_items(expand(list(paths), stats), store, jobs=jobs,
                                       enrich=service.enrich):
                reports.append(report)
                progress.step(report.file)
                if as_json:
                    click.echo(json.dumps(report.as_dict()))
                elif report.status == "rejected":
                    progress.write(f"rejected {report.file}: {report.reason}")
        finally:
            progress.close()
        if not as_json:
            click.echo(_summary_line(reports, stats.skipped, store.count()))
    sys.exit(1 if any(r.status == "rejected" for r in reports) else 0)


@click.command("activities")
@data_dir_option
@format_option("table", "csv", "json")
def activities_command(data_dir: str | None, fmt: str) -> None:
    """List stored activities, one row each (CSV/JSON in SI units; start in UTC and local).

    The table shows each activity's local date and local start time. CSV/JSON columns:
    start_time (UTC), start_local (local clock with its UTC offset), local_date (the day it
    counts for), elapsed_s (start to end), timer_s (the watch's timer, pauses excluded),
    moving_time_s, distance_m (the activity's own distance, any sport).
    """
    with open_store(data_dir) as store:
        listing = activity_listing(store.activities())
        units = display_units(store)
    if fmt == "table" and listing.is_empty():
        click.echo("No activities yet. Import your watch files with: strideload import PATH...")
    elif fmt == "table":
        click.echo(render_table(activity_display(listing, units)))
    else:
        echo_frame(listing, fmt)
