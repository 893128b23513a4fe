"""A store with two runs and a pain entry, its password set as a runner sets it, and what
tests over HTTP need to sign in and to see whether anything was stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from fitfiles import run_fit
from http_client import Client

from dashboard.app import NAV
from dashboard.cli import main
from ingest.journal import make_entry
from ingest.reader import read_activities
from ingest.store import Store

PASSWORD = "correct horse battery"
TODAY = dt.date.today()
PAGES = [path for _, path in NAV] + ["/activities/1", "/form?run=1", "/report"]


def cli(*args: str, input: str | None = None):
    result = CliRunner().invoke(main, list(args), input=input)
    assert result.exit_code == 0, result.output
    return result.output


def make_store(folder: Path, password: str | None = PASSWORD) -> Path:
    """Two runs this week and last, a pain entry, and the password (set as a runner does)."""
    with Store(folder) as store:
        for days_ago in (2, 9):
            start = dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(7),
                                        tzinfo=dt.UTC)
            (run,) = read_activities(run_fit(start, seconds=1800, speed=3.0), "run.fit")
            store.add(run, f"{days_ago:064d}", f"run-{days_ago}.fit")
        store.add_pain([make_entry(TODAY - dt.timedelta(days=1), 2)])
    if password:
        cli("password", "set", "--data-dir", str(folder), input=password + "\n")
    return folder


def revision(folder: Path) -> int:
    with Store(folder, maintain=False) as store:
        return store.revision()


def signed_in(url: str) -> Client:
    client = Client(url)
    reply = client.sign_in(PASSWORD)
    assert reply.status == 303, reply.text
    return client
