"""``strideload plan add | list | delete``: sessions planned for the coming days."""

from __future__ import annotations

import click

from dashboard.cli.common import data_dir_option, echo_frame, format_option, open_store


@click.group("plan")
def plan_group() -> None:
    """Plan sessions for the coming days; Today and `advise` check each day of the week ahead.

    A plan is a day, a sport and a distance or a duration; the suggestion for each of the next
    7 days then includes the load your plan adds, and a flagged day says what to change.
    """


@plan_group.command("add")
@click.argument("date")
@click.argument("sport")
@click.option("--distance-km", type=float, help="Planned distance [km].")
@click.option("--minutes", type=float, help="Planned duration [min].")
@data_dir_option
def add_command(date: str, sport: str, distance_km: float | None, minutes: float | None,
                data_dir: str | None) -> None:
    """Plan a session: DATE (YYYY-MM-DD, today or later), SPORT (running, walking, hiking,
    cycling, swimming, strength, mobility) and --distance-km and/or --minutes."""
    from dashboard.data import local_today
    from ingest import plans

    with open_store(data_dir) as store:
        try:
            plan = plans.make_plan(date, sport, distance_km, minutes, today=local_today(store))
        except plans.PlanError as exc:
            raise click.ClickException(str(exc)) from exc
        plan_id = plans.add(store, plan)
    from analytics.week import plan_text

    click.echo(f"Planned {plan_text(plan.__dict__)} on {plan.date:%A %d %B %Y} (id {plan_id}).")


@plan_group.command("list")
@format_option("table", "json")
@data_dir_option
def list_command(fmt: str, data_dir: str | None) -> None:
    """List planned sessions from today on (distance in metres, duration in minutes)."""
    import polars as pl

    from dashboard.data import local_today
    from ingest import plans

    with open_store(data_dir) as store:
        frame = plans.planned(store, start=local_today(store))
    echo_frame(frame.with_columns(pl.col("date").cast(pl.String)), fmt)


@plan_group.command("delete")
@click.argument("plan_id", metavar="ID", type=int)
@data_dir_option
def delete_command(plan_id: int, data_dir: str | None) -> None:
    """Delete the planned session ID (see `strideload plan list`)."""
    from ingest import plans

    with open_store(data_dir) as store:
        if not plans.delete(store, plan_id):
            raise click.ClickException(f"no planned session with id {plan_id}")
    click.echo(f"Deleted planned session {plan_id}.")
