"""``strideload password``: the password that protects the dashboard."""

from __future__ import annotations

import sys

import click

from dashboard.cli.common import data_dir_option, open_store


@click.group("password")
def password_group() -> None:
    """Set or clear the dashboard's password (needed to open it from other devices).

    Stored only as a slow salted hash (scrypt). With a password, the dashboard asks for it
    before showing anything; without one it serves this computer (127.0.0.1) only.
    """


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("New password", hide_input=True,
                            confirmation_prompt="Repeat the new password")
    return sys.stdin.readline().rstrip("\r\n")


@password_group.command("set")
@data_dir_option
def set_command(data_dir: str | None) -> None:
    """Set or change the password.

    Asked twice on a terminal, else read as one line from standard input. Signs out everyone
    signed in with the old one.
    """
    from dashboard.security.passwords import PasswordError, hash_password
    from ingest import access

    try:
        hashed = hash_password(_read_password())
    except PasswordError as exc:
        raise click.ClickException(f"password not set: {exc}") from exc
    with open_store(data_dir) as store:
        access.set_password_hash(store, hashed)
    click.echo("Password set: the dashboard asks for it from now on (also one already "
               "running).")


@password_group.command("clear")
@data_dir_option
def clear_command(data_dir: str | None) -> None:
    """Remove the password.

    The dashboard then opens without signing in, on this computer only (127.0.0.1).
    """
    from ingest import access

    with open_store(data_dir) as store:
        had = access.password_hash(store) is not None
        access.set_password_hash(store, None)
    click.echo("Password cleared." if had else "No password was set.")
