"""``strideload dashboard``: serve the web app on this computer."""

from __future__ import annotations

import click

from dashboard.cli_common import data_dir_option, resolve_data_dir


@click.command("dashboard")
@data_dir_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (keep 127.0.0.1 unless you know you need more).")
@click.option("--port", default=8050, show_default=True, type=int)
def dashboard_command(data_dir: str | None, host: str, port: int) -> None:
    """Open the dashboard in your browser at http://HOST:PORT."""
    from dashboard.app import serve

    click.echo(f"strideload dashboard on http://{host}:{port} (Ctrl+C to stop)")
    serve(resolve_data_dir(data_dir), host=host, port=port)
