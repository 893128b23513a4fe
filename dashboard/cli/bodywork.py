"""``strideload bodywork add|list|delete``: the core, strength and mobility log."""

from __future__ import annotations

import click

from dashboard.cli.common import data_dir_option, echo_frame, format_option, open_store
from dashboard.cli.gear import parse_day


@click.group("bodywork")
def bodywork_group() -> None:
    """Log core, strength and mobility work; watch strength workouts are listed too."""


@bodywork_group.command("add")
@click.argument("date")
@click.option("--exercise", "exercises", multiple=True, metavar="NAME[:SETSxREPS|:MIN]",
              help="An exercise (repeatable), e.g. plank:3x10 or cat-cow:5 (minutes). Listed "
                   "names: plank, side plank, bridge, russian twist, bird-dog, dead bug, "
                   "cat-cow, thoracic extension on a foam roller, child's pose, thread the "
                   "needle, doorway chest stretch, band pull-apart, ...; any other text too.")
@click.option("--minutes", type=float, metavar="N",
              help="Length of the session (default: the exercises' minutes).")
@click.option("--note", default="", help="A note.")
@click.option("--rpe", type=float, metavar="VALUE",
              help="How hard it felt, CR-10 (0 rest ... 10 maximal): its load is then session "
                   "RPE x minutes.")
@click.option("--category", type=click.Choice(["core", "mobility", "strength"]),
              help="The session's category (default: most of its exercises'; free-text "
                   "exercises count as strength).")
@data_dir_option
def add_command(date: str, exercises: tuple[str, ...], minutes: float | None, note: str,
                rpe: float | None, category: str | None, data_dir: str | None) -> None:
    """Log a session on DATE (YYYY-MM-DD or today): bodywork add today --exercise plank:3x10
    --minutes 15."""
    from dashboard.data import local_today
    from ingest.bodywork import BodyworkError, parse_exercise
    from ingest.bodywork_store import add_session

    with open_store(data_dir) as store:
        today = local_today(store)
        day = today if date.strip().lower() == "today" else parse_day(date, "DATE")
        if day > today:
            raise click.BadParameter(f"{day} is in the future", param_hint="DATE")
        try:
            parsed = [parse_exercise(spec, category or "strength") for spec in exercises]
            session_id = add_session(store, day, parsed, minutes, note, category, rpe)
        except BodyworkError as exc:
            raise click.ClickException(str(exc)) from exc
        row = store.db.execute("SELECT category, minutes FROM bodywork WHERE id = ?",
                               (session_id,)).fetchone()
    names = f" ({', '.join(e.name for e in parsed)})" if parsed else ""
    click.echo(f"Logged body work {session_id} on {day}: {row['category']}, "
               f"{row['minutes']:g} min{names}.")


@bodywork_group.command("list")
@click.option("--from", "start", metavar="D", help="First day (YYYY-MM-DD).")
@click.option("--to", "end", metavar="D", help="Last day (YYYY-MM-DD).")
@format_option("table", "json", "csv")
@data_dir_option
def list_command(start: str | None, end: str | None, fmt: str, data_dir: str | None) -> None:
    """Body-work sessions, oldest first: logged by hand (source manual) or from your watch
    (source file)."""
    from dashboard.levers import bodywork_listing, bodywork_table, json_rows

    with open_store(data_dir) as store:
        rows = bodywork_listing(store, parse_day(start, "--from"), parse_day(end, "--to"))
    if fmt == "json":
        click.echo(json_rows(rows))
    elif fmt == "table" and not rows:
        click.echo("No body work yet. Log some with: strideload bodywork add today "
                   "--exercise plank:3x30 --minutes 10")
    else:
        echo_frame(bodywork_table(rows, fmt), fmt)


@bodywork_group.command("delete")
@click.argument("session_id", metavar="ID", type=int)
@data_dir_option
def delete_command(session_id: int, data_dir: str | None) -> None:
    """Delete a session you logged by hand (ID from bodywork list)."""
    from ingest.bodywork_store import delete_session

    with open_store(data_dir) as store:
        if not delete_session(store, session_id):
            raise click.ClickException(
                f"no hand-logged body work with id {session_id} (see strideload bodywork list; "
                "watch workouts are deleted with strideload activity delete)")
    click.echo(f"Deleted body work {session_id}.")
