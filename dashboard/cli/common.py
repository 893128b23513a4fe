"""Pieces shared by the command-line modules: the data directory and output formats.

Kept light: the store and the table renderer are imported when first used.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    import polars as pl

    from ingest.store import Store


def resolve_data_dir(data_dir: str | None) -> Path:
    """--data-dir, else $STRIDELOAD_HOME, else the platform's user data directory."""
    if data_dir:
        return Path(data_dir)
    if os.environ.get("STRIDELOAD_HOME"):
        return Path(os.environ["STRIDELOAD_HOME"])
    import platformdirs  # 5 ms: only when the folder is not given

    return Path(platformdirs.user_data_dir("strideload", appauthor=False))


data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    help="Data directory (default: $STRIDELOAD_HOME or your user data folder).",
)


def format_option(*choices: str, default: str = "table"):
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default,
                        show_default=True, help="Output format.")


def parse_day(text: str | None) -> dt.date | None:
    """A YYYY-MM-DD option's date (None when not given), or a usage error."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise click.BadParameter(f"expected YYYY-MM-DD, got {text!r}") from exc


def open_store(data_dir: str | Path | None) -> Store:
    """The store in the data directory, or a one-line error naming the folder and the reason."""
    from ingest.store import Store

    path = resolve_data_dir(data_dir) if not isinstance(data_dir, Path) else data_dir
    try:
        return Store(path)
    except (OSError, sqlite3.Error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise click.ClickException(f"cannot use the data folder {path}: {reason}") from exc
    except RuntimeError as exc:  # written by a newer strideload
        raise click.ClickException(str(exc)) from exc


def echo_frame(frame: pl.DataFrame, fmt: str) -> None:
    """Print a frame as CSV, JSON records or an aligned table."""
    from dashboard.tables import render_table

    if fmt == "csv":
        click.echo(frame.write_csv(), nl=False)
    elif fmt == "json":
        click.echo(json.dumps(frame.to_dicts(), indent=1, default=str))
    else:
        click.echo(render_table(frame))
