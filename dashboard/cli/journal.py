"""``strideload pain ...`` and ``strideload rpe``: the journal on the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dashboard.cli.common import data_dir_option, echo_frame, format_option, open_store
from ingest.journal import (
    AREAS,
    FLAGS,
    JournalError,
    check_day,
    make_entry,
    parse_csv,
    parse_rpe,
)

if TYPE_CHECKING:
    from ingest.store import Store


def named_day(text: str, store: Store) -> str | dt.date:
    """'today' and 'yesterday' as dates in the athlete's time zone; other text as given."""
    today = store.local_today()
    named = {"today": today, "yesterday": today - dt.timedelta(days=1)}
    return named.get(text.strip().lower(), text)


@click.group("pain")
def pain_group() -> None:
    """Log how your back feels (0 = no pain, 10 = worst imaginable)."""


@pain_group.command("add")
@click.argument("date")
@click.argument("level")
@click.option("--area", type=click.Choice(AREAS), default="upper-back", show_default=True)
@click.option("--during-run", is_flag=True, help="The pain came on while running.")
@click.option("--red-flag", "red_flags", multiple=True, metavar="NAME",
              help=f"A warning symptom (repeatable): {', '.join(FLAGS)}.")
@click.option("--note", default="", help="Free text.")
@data_dir_option
def pain_add(date: str, level: str, area: str, during_run: bool, red_flags: tuple[str, ...],
             note: str, data_dir: str | None) -> None:
    """Record pain LEVEL (0-10) on DATE (YYYY-MM-DD, 'today' or 'yesterday')."""
    with open_store(data_dir) as store:
        try:
            entry = make_entry(named_day(date, store), level, area, during_run, red_flags, note,
                               today=store.local_today())
        except JournalError as exc:
            raise click.ClickException(str(exc)) from exc
        store.add_pain([entry])
    click.echo(f"Recorded {entry.area} pain {entry.level}/10 on {entry.date}"
               + (" (during a run)" if entry.during_run else "") + ".")
    if entry.red_flags:
        click.echo("Red flag noted: please have this checked by a health professional. "
                   "Run `strideload advise` for details.")


@pain_group.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@data_dir_option
def pain_import(csv_file: Path, data_dir: str | None) -> None:
    """Import a CSV with columns date, level (and optional area, during_run, note, red_flags).

    Nothing is stored if any line is invalid.
    """
    with open_store(data_dir) as store:
        try:
            entries = parse_csv(csv_file.read_text(encoding="utf-8"), store.local_today())
        except (JournalError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"{csv_file}: {exc}") from exc
        store.add_pain(entries)
    click.echo(f"Imported {len(entries)} pain entries from {csv_file}.")


@pain_group.command("list")
@format_option("table", "csv", "json")
@data_dir_option
def pain_list(fmt: str, data_dir: str | None) -> None:
    """List the journal, oldest first."""
    with open_store(data_dir) as store:
        journal = store.pain()
    if journal.is_empty() and fmt == "table":
        click.echo("No pain entries yet. Add one with: strideload pain add today 2")
        return
    import polars as pl

    journal = journal.with_columns(pl.col("red_flags").list.join(";"))
    echo_frame(journal, fmt)


@click.command("rpe")
@click.argument("activity_id", type=int)
@click.argument("value")
@data_dir_option
def rpe_command(activity_id: int, value: str, data_dir: str | None) -> None:
    """Log how hard a session felt: VALUE on the CR-10 scale (0 rest ... 10 maximal)."""
    try:
        rating = parse_rpe(value)
    except JournalError as exc:
        raise click.ClickException(str(exc)) from exc
    with open_store(data_dir) as store:
        try:
            store.set_rpe(activity_id, rating)
        except KeyError as exc:
            raise click.ClickException(
                f"no activity with id {activity_id} (see strideload activities)") from exc
    click.echo(f"Session RPE {rating:g} logged for activity {activity_id}.")


@click.group("unrecorded")
def unrecorded_group() -> None:
    """Days you trained without recording it: their load counts as unknown, not as rest."""


@unrecorded_group.command("add")
@click.argument("date")
@data_dir_option
def unrecorded_add(date: str, data_dir: str | None) -> None:
    """Mark DATE (YYYY-MM-DD, 'today' or 'yesterday') as trained without a recording."""
    with open_store(data_dir) as store:
        day = _valid_day(date, store)
        store.set_unrecorded(day)
    click.echo(f"{day}: trained without a recording (its load is unknown, not 0).")


@unrecorded_group.command("remove")
@click.argument("date")
@data_dir_option
def unrecorded_remove(date: str, data_dir: str | None) -> None:
    """Undo ``unrecorded add`` for DATE."""
    with open_store(data_dir) as store:
        day = _valid_day(date, store)
        store.set_unrecorded(day, trained=False)
    click.echo(f"{day}: no longer marked.")


@unrecorded_group.command("list")
@data_dir_option
def unrecorded_list(data_dir: str | None) -> None:
    """The days marked as trained without a recording."""
    with open_store(data_dir) as store:
        days = store.unrecorded()
    click.echo("\n".join(d.isoformat() for d in days) if days else "No days marked.")


def _valid_day(text: str, store: Store) -> dt.date:
    try:
        return check_day(named_day(text, store), store.local_today())
    except JournalError as exc:
        raise click.ClickException(str(exc)) from exc
