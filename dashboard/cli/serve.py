"""``strideload dashboard`` and ``strideload demo``: serve the web app on this computer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from dashboard.cli.common import data_dir_option, open_store, resolve_data_dir

host_option = click.option(
    "--host", default="127.0.0.1", show_default=True,
    help="Address to listen on: 127.0.0.1 is this computer only; 0.0.0.0 every network "
         "(for a phone; needs a password).")
port_option = click.option("--port", default=8050, show_default=True,
                           type=click.IntRange(0, 65535), help="Port (0: any free one).")
tls_options = (
    click.option("--cert", type=click.Path(exists=True, dir_okay=False),
                 help="Certificate (PEM) to serve over HTTPS; needs --key."),
    click.option("--key", type=click.Path(exists=True, dir_okay=False),
                 help="Private key (PEM) of --cert."),
)


def with_tls(command):
    for option in reversed(tls_options):
        command = option(command)
    return command


def _serve(data_dir: Path, host: str, port: int, today: dt.date | None,
           cert: str | None = None, key: str | None = None) -> None:
    """Serve, refusing an address beyond this computer without a password."""
    import ssl

    from dashboard.app import serve
    from dashboard.server import is_loopback
    from ingest import access

    if (cert is None) != (key is None):
        raise click.UsageError("--cert and --key go together (a certificate and its key)")
    with open_store(data_dir) as store:  # a one-line error now rather than from the app
        has_password = access.password_hash(store) is not None
    if not has_password and not is_loopback(host):
        raise click.ClickException(
            f"not serving on {host} without a password: anyone on your network could read "
            f"and change your data. Set one with: strideload password set --data-dir "
            f"'{data_dir}' (or keep --host 127.0.0.1).")

    def announce(addresses: list[str]) -> None:
        also = f" (on this computer also {addresses[1]})" if len(addresses) > 1 else ""
        how = "open it in your browser" + (" and sign in" if has_password else "")
        click.echo(f"strideload dashboard on {addresses[0]}{also}: {how}; "
                   "press Ctrl+C to stop.")

    try:
        serve(data_dir, host=host, port=port, today=today, cert=cert, key=key,
              announce=announce)
    except ssl.SSLError as exc:
        raise click.ClickException(f"cannot use the certificate {cert} with the key {key}: "
                                   f"{exc.reason or exc}") from exc
    except OSError as exc:
        raise click.ClickException(f"cannot serve on {host}:{port}: {exc.strerror or exc}"
                                   ) from exc


def _prepare_demo(data_dir: str | None) -> tuple[Path, dt.date]:
    """Load the sample history into the demo store and print what it holds."""
    from dashboard import demo, service
    from dashboard.cli.advise import advice_text

    target = Path(data_dir) if data_dir else demo.default_demo_dir()
    today = demo.demo_today()
    with open_store(target) as store:
        click.echo(f"Loading the sample history into {target} ...")
        reports = demo.load_demo(store)
        rejected = [r for r in reports if r.status == "rejected"]
        for report in rejected:
            click.echo(f"rejected {report.file}: {report.reason}", err=True)
        weekly = service.report(store, end=today).weekly()
        advice = service.advice(store, today)
        click.echo(f"{store.count()} activities, {store.pain().height} pain-journal days.")
    if weekly.height:
        last = weekly.row(-1, named=True)
        click.echo(
            f"Week {last['week']}: {last['runs']} runs, "
            f"{(last['run_distance_m'] or 0) / 1000:.1f} km running,"
            f" load {last['load'] or 0:.0f} points, pain max {last['pain_max']}/10."
        )
    click.echo(advice_text(advice))
    return target, today


@click.command("dashboard")
@data_dir_option
@host_option
@port_option
@with_tls
@click.option("--demo", is_flag=True, help="Serve the bundled sample history instead.")
def dashboard_command(data_dir: str | None, host: str, port: int, cert: str | None,
                      key: str | None, demo: bool) -> None:
    """Open the dashboard in your browser at http://HOST:PORT.

    Beyond this computer (--host 0.0.0.0) only with a password (strideload password set);
    over HTTPS with --cert and --key.
    """
    if demo:
        target, today = _prepare_demo(data_dir)
        _serve(target, host, port, today, cert, key)
    else:
        _serve(resolve_data_dir(data_dir), host, port, None, cert, key)


@click.command("demo")
@click.option("--data-dir", type=click.Path(file_okay=False),
              help="Where to keep the demo store (default: a folder of its own, never your data).")
@host_option
@port_option
@with_tls
@click.option("--no-serve", is_flag=True, help="Load and print the summary, do not serve.")
def demo_command(data_dir: str | None, host: str, port: int, cert: str | None,
                 key: str | None, no_serve: bool) -> None:
    """Try strideload on a bundled 20-week history with a back-pain episode."""
    target, today = _prepare_demo(data_dir)
    if not no_serve:
        _serve(target, host, port, today, cert, key)
