"""``strideload wellness``: resting heart rate, HRV and sleep per day; check-ins; CSV import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from dashboard.cli.common import data_dir_option, format_option, open_store
from ingest.wellness.checkin import MAX_SLEEP_H
from ingest.wellness.records import RANGES


def _range(name: str) -> str:
    low, high, unit = RANGES[name][:3]
    return f"{low:g}-{high:g}{' ' + unit if unit else ''}"


def _day(text: str | None, what: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise click.BadParameter(f"expected YYYY-MM-DD, got {text!r}", param_hint=what) from exc


@click.group("wellness", invoke_without_command=True)
@click.option("--from", "start", metavar="D", help="First day (YYYY-MM-DD).")
@click.option("--to", "end", metavar="D", help="Last day (YYYY-MM-DD).")
@format_option("table", "json", "csv")
@data_dir_option
@click.pass_context
def wellness_group(ctx: click.Context, start: str | None, end: str | None, fmt: str,
                   data_dir: str | None) -> None:
    """Resting heart rate, HRV and sleep per day, from your watch, phone or check-ins.

    One row per day: each value from the best source that has it (watch before phone before
    hand entry); 'source' names the sources used. JSON and CSV in SI units (sleep in s).
    """
    if ctx.invoked_subcommand is not None:
        return
    from dashboard.cli.common import echo_frame
    from dashboard.recovery_tables import wellness_display, wellness_listing
    from ingest.wellness.store import wellness_days

    first, last = _day(start, "--from"), _day(end, "--to")
    with open_store(data_dir) as store:
        days = wellness_days(store, first, last)
    if fmt == "table" and days.is_empty():
        click.echo("No wellness data yet. Import your Garmin export or the watch's "
                   "GARMIN/Monitor, Sleep and HRV files with: strideload import PATH..., "
                   "or log a morning check-in: strideload wellness log --date today --rhr 52")
    elif fmt == "table":
        echo_frame(wellness_display(days), "table")
    else:
        echo_frame(wellness_listing(days), fmt)


@wellness_group.command("log")
@click.option("--date", "date", required=True, metavar="D",
              help="The day (YYYY-MM-DD, 'today' or 'yesterday').")
@click.option("--rhr", metavar="N",
              help=f"Resting heart rate this morning ({_range('resting_hr_bpm')}).")
@click.option("--hrv", metavar="MS", help=f"HRV ({_range('hrv_rmssd_ms')}).")
@click.option("--hrv-kind", type=click.Choice(["rmssd", "sdnn"]), default="rmssd",
              show_default=True, help="What your app measures as HRV.")
@click.option("--sleep-h", metavar="H", help=f"Hours slept (0-{MAX_SLEEP_H:g}).")
@click.option("--sleep-quality", metavar="Q", help="1 excellent, 2 good, 3 average, 4 poor.")
@click.option("--soreness", metavar="S", help="0 none - 4 extreme.")
@data_dir_option
def wellness_log(date: str, rhr: str | None, hrv: str | None, hrv_kind: str,
                 sleep_h: str | None, sleep_quality: str | None, soreness: str | None,
                 data_dir: str | None) -> None:
    """Log a morning check-in by hand (a watch's values for the day are preferred)."""
    from dashboard.cli.journal import named_day
    from dashboard.data import local_today
    from ingest.wellness.checkin import checkin
    from ingest.wellness.records import WellnessError
    from ingest.wellness.store import add_batch

    with open_store(data_dir) as store:
        try:
            batch = checkin(named_day(date, store), rhr=rhr, hrv=hrv, hrv_kind=hrv_kind,
                            sleep_h=sleep_h, sleep_quality=sleep_quality, soreness=soreness,
                            today=local_today(store))
        except WellnessError as exc:
            raise click.ClickException(str(exc)) from exc
        added = add_batch(store, batch, "hand entry")
    click.echo(f"Check-in for {added.dates[0]} "
               + ("saved." if added.days else "unchanged (the same values were stored)."))


@wellness_group.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@data_dir_option
def wellness_import(csv_file: Path, data_dir: str | None) -> None:
    """Import a CSV with intervals.icu's wellness columns (date, restingHR, hrv, hrvSDNN,
    sleepSecs, sleepScore, sleepQuality, soreness, fatigue).

    Nothing is stored if any line is invalid.
    """
    from ingest.wellness.checkin import parse_wellness_csv
    from ingest.wellness.records import WellnessError
    from ingest.wellness.store import add_batch

    try:
        batch = parse_wellness_csv(csv_file.read_text(encoding="utf-8"))
    except (WellnessError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{csv_file}: {exc}") from exc
    with open_store(data_dir) as store:
        added = add_batch(store, batch, str(csv_file))
    click.echo(f"Imported {len(added.dates)} days from {csv_file} ({added.days} new or "
               "changed).")
