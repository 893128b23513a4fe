"""``strideload experiment``: test one lever on your own back in random weeks on and off."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import click

from dashboard.cli.common import data_dir_option, format_option, open_store
from ingest.journal import AREAS

if TYPE_CHECKING:
    from dashboard.experiments import Evaluation
    from ingest.store import Store

def _day(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise click.BadParameter(f"expected YYYY-MM-DD, got {text!r}", param_hint=option) from exc


def _today(store: Store) -> dt.date:
    from dashboard.data import local_today

    return local_today(store)


def _run(action):
    """Call ``action()``; an ExperimentError becomes a one-line error."""
    from dashboard.experiments import ExperimentError

    try:
        return action()
    except ExperimentError as exc:
        raise click.ClickException(str(exc)) from exc


def _print_schedule(ev: Evaluation) -> None:
    from dashboard.experiment_view import SAFETY_NOTE, plan_line, schedule_table, title
    from dashboard.tables import render_table

    click.echo(f"Experiment {ev.experiment.id}: {title(ev)}.")
    click.echo(plan_line(ev))
    click.echo("")
    click.echo(render_table(schedule_table(ev)))
    click.echo("")
    first = "first day" if ev.washout == 1 else f"first {ev.washout} days"
    click.echo(f"The {first} of each block and the day after a pause are not analysed. "
               f"{SAFETY_NOTE}")


@click.group("experiment")
def experiment_group() -> None:
    """Test one lever on your own back: weeks with and without it, in random order.

    A personal experiment (N-of-1 trial): pairs of blocks, the order inside each pair drawn at
    random, your pain compared between them. Carry, warm-up, shoes and surface are read from
    your runs; for anything else tick each day with `experiment log`. One at a time.
    """


@experiment_group.command("start")
@click.option("--lever", required=True, metavar="LEVER",
              help='carry:vest (or another pack), warmup, shoes:GEAR_ID, surface:NAME or '
                   'custom:"TEXT".')
@click.option("--compare-with", "compare", metavar="LEVER",
              help="What the off blocks do instead: carry:none (default for carry), "
                   "shoes:GEAR_ID, surface:NAME, custom:\"TEXT\" (default: anything else).")
@click.option("--block-days", type=int, metavar="N",
              help="Days per block (default 7, allowed 5-14; 21-42 with --design ab).")
@click.option("--pairs", type=int, metavar="N",
              help="Pairs of blocks (default 6, at least 5, at most 12).")
@click.option("--start", "first", metavar="DATE", help="First day (default tomorrow).")
@click.option("--seed", type=int, metavar="N", help="Seed of the random order (default drawn).")
@click.option("--area", type=click.Choice(AREAS), default="upper-back", show_default=True,
              help="Which pain to compare.")
@click.option("--design", type=click.Choice(["pairs", "ab"]), default="pairs",
              show_default=True,
              help="ab: baseline -> intervention, only for a lever that builds up over weeks "
                   "(weaker evidence).")
@data_dir_option
def start_command(lever: str, compare: str | None, block_days: int | None, pairs: int | None,
                  first: str | None, seed: int | None, area: str, design: str,
                  data_dir: str | None) -> None:
    """Draw the schedule of a new experiment and print it as dates.

    Example: strideload experiment start --lever carry:vest
    """
    from dashboard import experiments

    start_day = _day(first, "--start")
    with open_store(data_dir) as store:
        ev = _run(lambda: experiments.start(
            store, lever, compare, _today(store), block_days=block_days, pairs=pairs,
            first_day=start_day, seed=seed, area=area, design=design))
        _print_schedule(ev)
    if design == "ab":
        click.echo("Warning: baseline -> intervention is weaker evidence than random pairs: "
                   "without a random order, a change over time (such as natural recovery) can "
                   "look like an effect of the lever.")


def _evaluation(store: Store, experiment_id: int | None, day: dt.date) -> Evaluation:
    from dashboard import experiments
    from ingest.experiments import get

    if experiment_id is None:
        found = experiments.current(store, day) or _run(lambda: experiments.latest_or_fail(store))
    else:
        try:
            found = get(store, experiment_id)
        except KeyError as exc:
            raise click.ClickException(f"no experiment {experiment_id} "
                                       "(see strideload experiment list)") from exc
    return experiments.evaluate(store, found, day)


id_option = click.option("--id", "experiment_id", type=int, metavar="N",
                         help="Which experiment (default: the current or the latest).")


@experiment_group.command("status")
@format_option("table", "json")
@id_option
@click.option("--date", "day", metavar="DATE", help="As of this day (default today).")
@data_dir_option
def status_command(fmt: str, experiment_id: int | None, day: str | None,
                   data_dir: str | None) -> None:
    """Today's assignment, the blocks with their dates and how well each was followed."""
    from dashboard.experiment_view import today_line
    from dashboard.experiments import status_json

    with open_store(data_dir) as store:
        ev = _evaluation(store, experiment_id, _day(day, "--date") or _today(store))
    if fmt == "json":
        click.echo(json.dumps(status_json(ev), indent=1))
        return
    click.echo(today_line(ev))
    click.echo("")
    _print_schedule(ev)


@experiment_group.command("log")
@click.option("--date", "day", metavar="DATE", help="Which day (default today).")
@click.option("--followed/--missed", required=True,
              help="Whether you did what the schedule said that day.")
@data_dir_option
def log_command(day: str | None, followed: bool, data_dir: str | None) -> None:
    """Tick a day as followed or missed (for what your runs cannot show)."""
    from dashboard import experiments

    with open_store(data_dir) as store:
        today = _today(store)
        target = _day(day, "--date") or today
        ev = _run(lambda: experiments.log(store, target, followed, today))
    click.echo(f"{target}: {'followed' if followed else 'missed'}.")
    if ev.lever.seen_in_data:
        click.echo(f"Note: for {ev.lever.spec} your runs decide on the days they show it; "
                   "the tick counts where they cannot (e.g. no shoes or surface recorded).")


@experiment_group.command("result")
@format_option("table", "json")
@id_option
@data_dir_option
def result_command(fmt: str, experiment_id: int | None, data_dir: str | None) -> None:
    """The answer: per-pair differences, the mean with its 95 % CI, the randomisation p."""
    from dashboard.experiment_view import METHOD_NOTE, result_table, title
    from dashboard.experiments import result_json
    from dashboard.tables import render_table

    with open_store(data_dir) as store:
        ev = _evaluation(store, experiment_id, _today(store))
    if fmt == "json":
        click.echo(json.dumps(result_json(ev), indent=1))
        return
    click.echo(f"Experiment {ev.experiment.id}: {title(ev)}.")
    table = result_table(ev)
    if table.height:
        click.echo(render_table(table))
    click.echo("")
    click.echo(ev.text)
    click.echo("")
    click.echo(METHOD_NOTE)


@experiment_group.command("stop")
@data_dir_option
def stop_command(data_dir: str | None) -> None:
    """Stop the current experiment early (its result so far stays)."""
    from dashboard import experiments

    with open_store(data_dir) as store:
        ev = _run(lambda: experiments.stop(store, _today(store)))
    click.echo(f"Stopped experiment {ev.experiment.id} ({ev.experiment.lever}).")
    click.echo(ev.text)


@experiment_group.command("resume")
@data_dir_option
def resume_command(data_dir: str | None) -> None:
    """Go on after a pause for safety, once your back has settled."""
    from dashboard import experiments
    from dashboard.experiment_view import today_line

    with open_store(data_dir) as store:
        ev = _run(lambda: experiments.resume(store, _today(store)))
    click.echo(f"Resumed: {today_line(ev)}")


@experiment_group.command("list")
@format_option("table", "json")
@data_dir_option
def list_command(fmt: str, data_dir: str | None) -> None:
    """Every experiment, past ones with their results."""
    from dashboard.experiments import listing
    from dashboard.tables import render_table

    with open_store(data_dir) as store:
        rows = listing(store, _today(store))
    if fmt == "json":
        click.echo(json.dumps(rows, indent=1))
        return
    if not rows:
        click.echo("No experiments yet. Start one with: strideload experiment start "
                   "--lever carry:vest")
        return
    import polars as pl

    click.echo(render_table(pl.DataFrame(
        [{"id": str(r["id"]), "lever": str(r["lever"]), "dates": f"{r['start']} to {r['end']}",
          "state": str(r["state"]),
          "pairs counted": f"{r['pairs_counted']} of {r['pairs_planned']}",
          "conclusion": str(r["conclusion"]).replace("_", " ")} for r in rows])))
