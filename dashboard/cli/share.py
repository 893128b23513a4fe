"""``strideload share``: read-only links to the weekly report for a physiotherapist."""

from __future__ import annotations

import datetime as dt
import json

import click

from dashboard.cli.common import data_dir_option, format_option, open_store


@click.group("share")
def share_group() -> None:
    """Read-only links for your physiotherapist: create, list, revoke.

    A link opens the weekly report (the Export page's print-friendly view) and nothing else of
    your data, on the address the dashboard last served on, while the dashboard runs. It stops
    working when it expires or is revoked.
    """


@share_group.command("create")
@click.option("--days", default=14, show_default=True, type=click.IntRange(1, 365),
              help="How long the link works.")
@data_dir_option
def create_command(days: int, data_dir: str | None) -> None:
    """Make a link; prints it alone on the last line."""
    from dashboard.server import host_name, is_loopback
    from dashboard.sharing import DEFAULT_BASE_URL, create_share, share_url
    from ingest import access

    with open_store(data_dir) as store:
        base = access.served_at(store) or DEFAULT_BASE_URL
        share, token = create_share(store, days)
    click.echo(f"Share link {share.id}: the weekly report, read-only, until "
               f"{share.expires:%Y-%m-%d %H:%M} UTC (revoke: strideload share revoke "
               f"{share.id}).")
    if is_loopback(host_name(base.split("://", 1)[1].split("/", 1)[0])):
        click.echo("It opens on this computer only, while `strideload dashboard` runs: to "
                   "give it to someone, serve the dashboard on your network with a password "
                   "(strideload dashboard --host 0.0.0.0) and create the link again.")
    click.echo(share_url(base, token))


@share_group.command("list")
@format_option("table", "json")
@data_dir_option
def list_command(fmt: str, data_dir: str | None) -> None:
    """Every link: id, created, expires, revoked (times in UTC)."""
    from ingest import access

    with open_store(data_dir) as store:
        shares = access.shares(store)
    now = dt.datetime.now(dt.UTC)
    if fmt == "json":
        click.echo(json.dumps([share.as_dict() for share in shares], indent=1))
    elif not shares:
        click.echo("No share links yet: strideload share create")
    for share in shares if fmt == "table" else ():
        row = share.as_dict()
        state = "revoked" if share.revoked else "active" if share.active(now) else "expired"
        click.echo(f"{row['id']:>4}  created {row['created']}  expires {row['expires']}"
                   f"  {state}")


@share_group.command("revoke")
@click.argument("share_id", metavar="ID", type=int)
@data_dir_option
def revoke_command(share_id: int, data_dir: str | None) -> None:
    """Stop a link from working (at once, also in a running dashboard)."""
    from ingest import access

    with open_store(data_dir) as store:
        share = access.revoke_share(store, share_id, dt.datetime.now(dt.UTC))
    if share is None:
        raise click.ClickException(f"no share link {share_id} (see strideload share list)")
    click.echo(f"Share link {share_id} revoked.")
