"""``strideload dashboard`` and ``strideload demo``: serve the web app on this computer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from dashboard.cli.common import data_dir_option, open_store, resolve_data_dir

host_option = click.option(
    "--host", default="127.0.0.1", show_default=True,
    help="Address to listen on (keep 127.0.0.1 unless you know you need more).")
port_option = click.option("--port", default=8050, show_default=True, type=int)


def _serve(data_dir: Path, host: str, port: int, today: dt.date | None) -> None:
    from dashboard.app import serve

    open_store(data_dir).close()  # a clear error now rather than on the first page
    click.echo(f"strideload dashboard on http://{host}:{port} (Ctrl+C to stop)")
    serve(data_dir, host=host, port=port, today=today)


def _prepare_demo(data_dir: str | None) -> tuple[Path, dt.date]:
    """Load the sample history into the demo store and print what it holds."""
    from dashboard import demo, service
    from dashboard.cli.analysis import advice_text

    target = Path(data_dir) if data_dir else demo.default_demo_dir()
    today = demo.demo_today()
    with open_store(target) as store:
        click.echo(f"Loading the sample history into {target} ...")
        reports = demo.load_demo(store)
        rejected = [r for r in reports if r.status == "rejected"]
        for report in rejected:
            click.echo(f"rejected {report.file}: {report.reason}", err=True)
        report = service.report(store, end=today)
        weekly = report.weekly()
        click.echo(f"{store.count()} activities, {store.pain().height} pain-journal days.")
    if weekly.height:
        last = weekly.row(-1, named=True)
        click.echo(
            f"Week {last['week']}: {last['runs']} runs, "
            f"{(last['run_distance_m'] or 0) / 1000:.1f} km running,"
            f" load {last['load'] or 0:.0f} points, pain max {last['pain_max']}/10."
        )
    click.echo(advice_text(report.advise(today)))
    return target, today


@click.command("dashboard")
@data_dir_option
@host_option
@port_option
@click.option("--demo", is_flag=True, help="Serve the bundled sample history instead.")
def dashboard_command(data_dir: str | None, host: str, port: int, demo: bool) -> None:
    """Open the dashboard in your browser at http://HOST:PORT."""
    if demo:
        target, today = _prepare_demo(data_dir)
        _serve(target, host, port, today)
    else:
        _serve(resolve_data_dir(data_dir), host, port, None)


@click.command("demo")
@click.option("--data-dir", type=click.Path(file_okay=False),
              help="Where to keep the demo store (default: a folder of its own, never your data).")
@host_option
@port_option
@click.option("--no-serve", is_flag=True, help="Load and print the summary, do not serve.")
def demo_command(data_dir: str | None, host: str, port: int, no_serve: bool) -> None:
    """Try strideload on a bundled 20-week history with a back-pain episode."""
    target, today = _prepare_demo(data_dir)
    if not no_serve:
        _serve(target, host, port, today)
