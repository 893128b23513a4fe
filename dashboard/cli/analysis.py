"""``strideload profile | settings | daily | summary | advise``: analytics on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import click
import polars as pl

from analytics.report import CLI_DAILY_COLUMNS
from analytics.settings import SETTINGS
from dashboard import export, preferences, service
from dashboard.cli.common import data_dir_option, echo_frame, format_option, open_store, parse_day
from dashboard.data import display_units


def _pairs(values: tuple[str, ...]) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep:
            raise click.BadParameter(f"expected KEY=VALUE, got {value!r}", param_hint="--set")
        pairs[key.strip()] = text
    return pairs


def _warn_stored_values(store) -> None:
    """Say on stderr which stored profile or settings values were ignored (and why)."""
    for line in preferences.stored_value_warnings(store):
        click.echo(f"warning: {line}", err=True)


set_option = click.option("--set", "changes", multiple=True, metavar="KEY=VALUE",
                          help="Change a value (repeatable); an empty value clears it.")


@click.command("profile")
@set_option
@format_option("text", "json", default="text")
@data_dir_option
def profile_command(changes: tuple[str, ...], fmt: str, data_dir: str | None) -> None:
    """Show or change the athlete profile (missing values are estimated from your data).

    Keys: sex (male|female|unknown), birth_year, hr_max, hr_rest, lthr (bpm),
    threshold_pace_s_per_km (or m:ss), threshold_speed_m_s, time_zone (e.g. Europe/Berlin),
    units (metric|imperial). A value outside its plausible range is refused with the range.

    Which day an activity counts for: the UTC offset your watch recorded in the file decides,
    not time_zone (a run on a trip counts for the local date where you ran). The day is that
    of the start: when the watch recorded its offset at the end of a run that crossed a
    daylight-saving change of time_zone, the zone's offset at the start is used. time_zone
    dates files without an offset (GPX, some FIT); changing it re-dates those activities.
    """
    with open_store(data_dir) as store:
        _warn_stored_values(store)
        if changes:
            try:
                preferences.update_profile(store, _pairs(changes))
            except preferences.InvalidValue as exc:
                raise click.ClickException(str(exc)) from exc
        entered = preferences.load_profile(store)
        resolved = service.report(store).profile
    shown = {**resolved.as_dict(), "birth_year": entered.birth_year,
             "time_zone": entered.time_zone, "units": entered.units}
    if fmt == "json":
        click.echo(json.dumps(shown, indent=1))
        return
    for name, value in shown.items():
        if isinstance(value, dict):
            number = "not available" if value["value"] is None else f"{value['value']:.4g}"
            label = "estimated" if value["estimated"] else "source"
            click.echo(f"{name}: {number} ({label}: {value['source']})")
        else:
            click.echo(f"{name}: {'not set' if value is None else value}")


@click.command("settings")
@set_option
@format_option("table", "json", "csv")
@data_dir_option
def settings_command(changes: tuple[str, ...], fmt: str, data_dir: str | None) -> None:
    """Show or change analytics thresholds and conventions ('default' restores one)."""
    with open_store(data_dir) as store:
        _warn_stored_values(store)
        try:
            current = (preferences.update_settings(store, _pairs(changes)) if changes
                       else preferences.load_settings(store))
        except preferences.InvalidValue as exc:
            raise click.ClickException(str(exc)) from exc
    rows = [
        {"name": s.name, "value": ",".join(v) if isinstance(v := current[s.name], tuple) else v,
         "default": ",".join(s.default) if isinstance(s.default, tuple) else s.default,
         "unit": s.unit, "range": s.range_text(), "grade": s.grade, "source": s.source}
        for s in SETTINGS.values()
    ]
    echo_frame(pl.DataFrame(rows, schema={k: pl.String for k in rows[0]}), fmt)


@click.command("daily")
@click.option("--from", "start", help="First day (YYYY-MM-DD).")
@click.option("--to", "end", help="Last day (YYYY-MM-DD, default: the last data).")
@format_option("csv", "json", default="csv")
@data_dir_option
def daily_command(start: str | None, end: str | None, fmt: str, data_dir: str | None) -> None:
    """One row per calendar day: load, distance, ACWR, CTL, ATL, TSB, monotony, strain, pain and
    the day's suggestion.

    Load, distance and time are given in total (all sports: load, distance_m, timer_s) and
    for running (running_load, run_distance_m, run_timer_s); times are the watch's timer time
    (pauses excluded; elapsed time for a file without a timer). ACWR by all three methods.
    """
    first, last = parse_day(start), parse_day(end)
    with open_store(data_dir) as store:
        _warn_stored_values(store)
        rows = service.report(store, end=last).daily_rows(first, last)
    columns = [*CLI_DAILY_COLUMNS, "acwr_status", "suggestion"]
    frame = rows.select(columns).with_columns(
        pl.col("date").cast(pl.String),
        *[pl.col(c).round(4) for c in columns if rows.schema[c].is_float()],
    )
    echo_frame(frame, fmt)


@click.command("summary")
@click.option("--weeks", type=click.IntRange(min=1), help="Only the last N weeks.")
@format_option("csv", "json", "md", default="md")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of the terminal.")
@data_dir_option
def summary_command(weeks: int | None, fmt: str, output: Path | None,
                    data_dir: str | None) -> None:
    """Weekly summaries (one row per ISO week), e.g. for your physiotherapist."""
    from dashboard.factors_view import top_three

    with open_store(data_dir) as store:
        _warn_stored_values(store)
        weekly = service.report(store).weekly()
        units = display_units(store)
        factors = top_three(service.factors(store)) if fmt == "md" else None
    if weeks:
        weekly = weekly.tail(weeks)
    text = (export.to_markdown(weekly, units=units, factors=factors) if fmt == "md"
            else {"csv": export.to_csv, "json": export.to_json}[fmt](weekly))
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {weekly.height} weeks to {output}.")
    else:
        click.echo(text, nl=False)
