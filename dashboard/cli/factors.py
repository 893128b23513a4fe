"""``strideload factors``: what relates to your pain, ranked."""

from __future__ import annotations

import json

import click

from dashboard.cli.common import data_dir_option, format_option, open_store


@click.command("factors")
@click.option("--date", "day", help="Use the data up to this day (YYYY-MM-DD, default all).")
@format_option("table", "json")
@data_dir_option
def factors_command(day: str | None, fmt: str, data_dir: str | None) -> None:
    """What relates to your back pain: each factor against next-day and 2-day pain, ranked.

    Factors: load, its 7-day change, the longest-run ratio, cadence drift, what you carried,
    each pair of shoes and their distance past retirement, surface, runs without a warm-up,
    body work in the previous 7 days, cross-training share, breathing and form where recorded,
    and your recovery signals. Below the minimum data a factor says "not enough data yet" and
    shows no number. Associations in your data, never causes.
    """
    import datetime as dt

    from dashboard import service
    from dashboard.factors_view import METHOD_NOTE, factor_display, factor_json, top_three
    from dashboard.tables import render_table

    try:
        end = dt.date.fromisoformat(day) if day else None
    except ValueError as exc:
        raise click.BadParameter(f"expected YYYY-MM-DD, got {day!r}", param_hint="--date") \
            from exc
    with open_store(data_dir) as store:
        ranked = service.factors(store, end)
    if fmt == "json":
        click.echo(json.dumps(factor_json(ranked), indent=1))
        return
    if ranked.is_empty():
        click.echo("No factors yet: log your pain and import your runs first.")
        return
    click.echo(render_table(factor_display(ranked)))
    click.echo("")
    for number, sentence in enumerate(top_three(ranked), start=1):
        click.echo(f"{number}. {sentence}")
    click.echo("")
    click.echo(METHOD_NOTE)
