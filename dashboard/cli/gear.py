"""``strideload gear``: shoes, packs and other items, their distance and use."""

from __future__ import annotations

import datetime as dt
from typing import overload

import click

from dashboard.cli.common import data_dir_option, echo_frame, format_option, open_store


@overload
def parse_day(text: str, option: str) -> dt.date: ...
@overload
def parse_day(text: None, option: str) -> None: ...
@overload
def parse_day(text: str | None, option: str) -> dt.date | None: ...
def parse_day(text: str | None, option: str) -> dt.date | None:
    """An ISO date (or 'today'), else a usage error naming the option."""
    if text is None:
        return None
    if text.strip().lower() == "today":
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise click.BadParameter(f"expected YYYY-MM-DD, got {text!r}", param_hint=option) from exc


@click.group("gear")
def gear_group() -> None:
    """Your shoes and what you carry: distance per item, defaults per sport, retirement.

    Items of kind pack (bottle, belt, vest, backpack) set the carry of the runs they are
    assigned to.
    """


@gear_group.command("add")
@click.argument("name")
@click.option("--kind", type=click.Choice(["shoes", "pack", "other"]), required=True,
              help="shoes, pack (bottle, belt, vest, backpack) or other.")
@click.option("--retire-km", type=float, metavar="N",
              help="Retire at this distance [km] (shoes default: the shoe_retire_km setting, "
                   "700 km).")
@click.option("--default-for", metavar="SPORT",
              help="New activities of this sport (e.g. running) get this item.")
@click.option("--since", metavar="DATE", help="In use from this day (YYYY-MM-DD).")
@click.option("--carry", type=click.Choice(["bottle", "belt", "vest", "backpack"]),
              help="What a pack is (default: read from the name, e.g. 'hydration vest').")
@click.option("--initial-km", type=float, default=0.0, show_default=True, metavar="N",
              help="Distance it already had before your first recorded activity with it [km].")
@click.option("--note", default="", help="A note, e.g. the size.")
@data_dir_option
def add_command(name: str, kind: str, retire_km: float | None, default_for: str | None,
                since: str | None, carry: str | None, initial_km: float, note: str,
                data_dir: str | None) -> None:
    """Add an item: strideload gear add "Ghost 15" --kind shoes --default-for running."""
    from ingest.gear import GearError, add_gear

    with open_store(data_dir) as store:
        try:
            gear_id = add_gear(store, name, kind, retire_km=retire_km, default_for=default_for,
                               since=parse_day(since, "--since"), carry=carry,
                               initial_km=initial_km, note=note)
        except GearError as exc:
            raise click.ClickException(str(exc)) from exc
    default = f", default for {default_for.lower()}" if default_for else ""
    click.echo(f"Added {kind} {name!r} as gear {gear_id}{default}.")


@gear_group.command("list")
@format_option("table", "json", "csv")
@data_dir_option
def list_command(fmt: str, data_dir: str | None) -> None:
    """Every item with its distance, time and activities (JSON/CSV in SI units)."""
    from dashboard.data import display_units
    from dashboard.levers import gear_display, gear_listing

    with open_store(data_dir) as store:
        listing = gear_listing(store)
        units = display_units(store)
    if fmt == "table" and listing.is_empty():
        click.echo('No gear yet. Add your shoes with: strideload gear add NAME --kind shoes')
    elif fmt == "table":
        echo_frame(gear_display(listing, units), fmt)
    else:
        echo_frame(listing, fmt)


@gear_group.command("assign")
@click.argument("activity_id", type=int)
@click.argument("gear_ids", type=int, nargs=-1, required=True)
@data_dir_option
def assign_command(activity_id: int, gear_ids: tuple[int, ...], data_dir: str | None) -> None:
    """Set the items ACTIVITY_ID used (replacing its defaults): gear assign 42 1 3."""
    from ingest.gear import GearError, assign

    with open_store(data_dir) as store:
        try:
            assign(store, activity_id, list(gear_ids))
        except GearError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"Activity {activity_id} now uses gear {', '.join(map(str, gear_ids))}.")


@gear_group.command("retire")
@click.argument("gear_id", type=int)
@data_dir_option
def retire_command(gear_id: int, data_dir: str | None) -> None:
    """Retire an item: it stays on past activities, new ones no longer get it."""
    from ingest.gear import GearError, retire

    with open_store(data_dir) as store:
        try:
            name = retire(store, gear_id)
        except GearError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"Retired gear {gear_id} ({name}).")
