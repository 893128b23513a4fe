"""``strideload activity show|edit|delete``: look at one activity and correct the history."""

from __future__ import annotations

import json

import click

from dashboard.cli.common import data_dir_option, format_option, open_store

CARRIES = ("none", "bottle", "belt", "vest", "backpack")
SURFACES = ("road", "trail", "track", "treadmill", "mixed")


@click.group("activity")
def activity_group() -> None:
    """Show one activity, or correct it: sport, carry, surface, tags, gear, load; delete it."""


def activity_details(store, activity_id: int) -> dict[str, object]:
    """What ``activity show`` prints: the summary, context, gear and exercises."""
    from ingest.bodywork_store import sessions
    from ingest.context import context_frame

    row = store.activity(activity_id)
    if row is None:
        raise click.ClickException(f"no activity with id {activity_id} (see strideload "
                                   "activities)")
    context = context_frame(store).filter(id=activity_id).row(0, named=True)
    body = sessions(store).filter(activity_id=activity_id).to_dicts()
    return {
        "id": activity_id, "sport": row["sport"], "sub_sport": row["sub_sport"],
        "recorded_sport": context["recorded_sport"], "local_date": row["local_date"],
        "duration_s": row["duration_s"], "timer_time_s": row["timer_time_s"],
        "distance_m": row["distance_m"], "avg_hr_bpm": row["avg_hr_bpm"],
        "source_file": row["source_file"], "device": row["device"],
        **{key: context[key] for key in ("gear", "carry", "surface", "tags",
                                          "excluded_from_load")},
        "bodywork_category": body[0]["category"] if body else None,
        "exercises": body[0]["exercises"] if body else [],
    }


def _text(details: dict) -> str:
    from dashboard.levers import exercise_text
    from dashboard.tables import format_duration

    sport = details["sport"] + (f" ({details['sub_sport']})" if details["sub_sport"] else "")
    if details["recorded_sport"]:
        sport += f", recorded as {details['recorded_sport']}"
    distance = details["distance_m"]
    lines = [
        f"Activity {details['id']}: {sport} on {details['local_date']}",
        f"  time {format_duration(details['timer_time_s'] or details['duration_s'])}"
        + (f", {distance / 1000:.2f} km" if distance else ""),
        f"  gear: {', '.join(details['gear']) or '-'}",
        f"  carry: {details['carry'] or '-'}; surface: {details['surface'] or '-'}; "
        f"tags: {', '.join(details['tags']) or '-'}",
        "  excluded from load" if details["excluded_from_load"] else "  counts in load",
        f"  file: {details['source_file']}",
    ]
    if details["exercises"]:
        lines.append(f"  body work ({details['bodywork_category']}): "
                     + "; ".join(exercise_text(e) for e in details["exercises"]))
    return "\n".join(lines)


@activity_group.command("show")
@click.argument("activity_id", type=int)
@format_option("text", "json", default="text")
@data_dir_option
def show_command(activity_id: int, fmt: str, data_dir: str | None) -> None:
    """Show an activity with its gear, carry, surface, tags and exercises."""
    with open_store(data_dir) as store:
        details = activity_details(store, activity_id)
    click.echo(json.dumps(details, indent=1) if fmt == "json" else _text(details))


def _gear_ids(values: tuple[str, ...]) -> list[int] | None:
    if not values:
        return None
    if values == ("none",):
        return []
    if not all(v.isdigit() for v in values):
        raise click.BadParameter(f"expected gear ids (see strideload gear list) or 'none', got "
                                 f"{' '.join(values)!r}", param_hint="--gear")
    return [int(v) for v in values]


@activity_group.command("edit")
@click.argument("activity_id", type=int)
@click.option("--sport", help="The right sport, e.g. running, cycling, walking.")
@click.option("--carry", type=click.Choice([*CARRIES, "auto"]),
              help="What you carried ('auto': from the assigned pack).")
@click.option("--surface", type=click.Choice([*SURFACES, "auto"]),
              help="Where you ran ('auto': from the file).")
@click.option("--tag", "tags", multiple=True, metavar="TAG",
              help="Set the tags (repeatable; --tag '' clears them).")
@click.option("--exclude-from-load/--include-in-load", "excluded", default=None,
              help="Leave the activity out of load and all analytics (it stays listed).")
@click.option("--gear", "gear", multiple=True, metavar="GEAR_ID",
              help="Set the gear used (repeatable; --gear none clears it).")
@data_dir_option
def edit_command(activity_id: int, sport: str | None, carry: str | None, surface: str | None,
                 tags: tuple[str, ...], excluded: bool | None, gear: tuple[str, ...],
                 data_dir: str | None) -> None:
    """Correct an activity: its sport, carry, surface, tags, gear, or whether it counts."""
    from ingest.context import ContextError, edit_activity

    if not any((sport, carry, surface, tags, excluded is not None, gear)):
        raise click.UsageError("nothing to change: give --sport, --carry, --surface, --tag, "
                               "--exclude-from-load/--include-in-load or --gear")
    with open_store(data_dir) as store:
        try:
            edit_activity(store, activity_id, sport=sport,
                          carry="" if carry == "auto" else carry,
                          surface="" if surface == "auto" else surface,
                          tags=list(tags) if tags else None, excluded=excluded,
                          gear_ids=_gear_ids(gear))
        except ContextError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(_text(activity_details(store, activity_id)))


@activity_group.command("delete")
@click.argument("activity_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@data_dir_option
def delete_command(activity_id: int, yes: bool, data_dir: str | None) -> None:
    """Delete an activity with its samples, laps, RPE, gear use and exercises."""
    from ingest.context import delete_activity

    with open_store(data_dir) as store:
        details = activity_details(store, activity_id)
        name = str(details["source_file"]).rsplit("/", 1)[-1]
        what = f"activity {activity_id} ({details['sport']} on {details['local_date']}, {name})"
        if not yes and not click.confirm(f"Delete {what}?", default=False):
            click.echo("Nothing deleted.")
            return
        delete_activity(store, activity_id)
    click.echo(f"Deleted {what}. Importing its file again brings it back.")
