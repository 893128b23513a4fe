"""``strideload backup`` and ``strideload restore``: the whole store in one archive."""

from __future__ import annotations

from pathlib import Path

import click

from dashboard.cli.common import data_dir_option, resolve_data_dir


def _size(manifest: dict) -> str:
    total = sum(f["bytes"] for f in manifest["files"].values())
    return f"{total / 2**20:.1f} MB"


def _contents(manifest: dict) -> str:
    tables = manifest["tables"]
    return (f"{tables.get('activities', 0)} activities, {tables.get('pain', 0)} pain entries, "
            f"{sum(tables.values())} rows in {len(tables)} tables, "
            f"{len(manifest['files']) - 1} sample files")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@data_dir_option
def backup_command(file: str, data_dir: str | None) -> None:
    """Write the whole store (every table, all samples) to one archive FILE.

    Safe while the dashboard or an import is running: the archive holds the store as it was
    at one instant, with a manifest of row counts and checksums that `strideload restore`
    checks.
    """
    from ingest.backup import BackupError, write_backup

    try:
        manifest = write_backup(resolve_data_dir(data_dir), Path(file))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up {_contents(manifest)} to {file} ({_size(manifest)}).")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@data_dir_option
@click.option("--force", is_flag=True,
              help="Replace a store that holds data (its current contents are deleted).")
def restore_command(file: str, data_dir: str | None, force: bool) -> None:
    """Restore a store from a backup FILE made by `strideload backup`.

    The archive is checked against its manifest and the store is built next to the data folder
    before it takes its place, so a failed restore changes nothing. A folder that already holds
    data is only replaced with --force; stop the dashboard first.
    """
    from ingest.backup import BackupError, restore_backup

    target = resolve_data_dir(data_dir)
    try:
        manifest = restore_backup(Path(file), target, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {_contents(manifest)} from {file} into {target}.")
