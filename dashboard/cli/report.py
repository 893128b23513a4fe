"""``strideload report``: the physiotherapist's report as one file that opens offline."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import click

from dashboard.cli.common import data_dir_option, open_store

#: Why ``--output FILE.pdf`` writes HTML (the README, "A report for your physiotherapist").
NO_PDF = ("no PDF library that installs with pip alone draws these charts (WeasyPrint needs "
          "the Pango system libraries, plotly's image export needs Chrome)")


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file beside it: a failed write leaves no
    half-written report."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@click.command("report")
@click.option("--weeks", default=12, show_default=True, type=click.IntRange(1, 520),
              help="Weeks the report covers, up to --date.")
@click.option("--output", "output", required=True, type=click.Path(dir_okay=False),
              help="The file to write: FILE.html (or FILE.pdf: see below).")
@click.option("--date", "day", help="Last day of the report (YYYY-MM-DD, default today).")
@data_dir_option
def report_command(weeks: int, output: str, day: str | None, data_dir: str | None) -> None:
    """Write the report for your physiotherapist to one HTML file that opens offline.

    Page one is the story (the period, where you stand now, pain over load and distance,
    each pain episode and what came before it, warning signs, your notes, related factors);
    the weekly table follows. Print it from a browser, on A4 or Letter. FILE.pdf writes
    FILE.html instead, with a line saying why: print that to PDF from your browser.
    """
    from dashboard.data import local_today
    from dashboard.physio_report import physio_report_html

    path = Path(output)
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise click.BadParameter(f"{output}: the report is written as .html (or .pdf)",
                                 param_hint="--output")
    try:
        target = dt.date.fromisoformat(day) if day else None
    except ValueError as exc:
        raise click.BadParameter(f"{day!r} is not a date (YYYY-MM-DD)",
                                 param_hint="--date") from exc
    if suffix == ".pdf":
        path = path.with_suffix(".html")
    with open_store(data_dir) as store:
        page = physio_report_html(store, target or local_today(store), weeks=weeks)
    try:
        write_atomically(path, page)
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from exc
    if suffix == ".pdf":
        click.echo(f"No PDF: {NO_PDF}; wrote {path} instead: open it in a browser and print "
                   "it to PDF.", err=True)
    else:
        click.echo(f"Wrote {path}: open it in a browser; print page one for the summary.")
