"""The ``strideload`` command line.

One click group whose commands live in the modules of this package. The group knows each
command by name, module and one-line help (:data:`COMMANDS`), and imports a module only when
its command runs: ``strideload --help`` and light commands never load dash, plotly, scipy or
polars. Command modules keep their heavy imports inside the functions that need them.
"""

from __future__ import annotations

import importlib
from typing import NamedTuple

import click


class Entry(NamedTuple):
    """Where a command lives and its one-line help (shown by ``--help`` without importing)."""

    module: str
    attribute: str
    help: str


#: Command name -> where it is defined; ``help`` is the first paragraph of its docstring
#: (a test checks that they agree).
COMMANDS: dict[str, Entry] = {
    "demo": Entry("serve", "demo_command", (
        "Try strideload on a bundled 20-week history with a back-pain episode."
    )),
    "dashboard": Entry("serve", "dashboard_command", (
        "Open the dashboard in your browser at http://HOST:PORT."
    )),
    "password": Entry("password", "password_group", (
        "Set or clear the dashboard's password (needed to open it from other devices)."
    )),
    "share": Entry("share", "share_group", (
        "Read-only links for your physiotherapist: create, list, revoke."
    )),
    "import": Entry("importing", "import_command", (
        "Import FIT, GPX and TCX files, folders, .zip and .gz archives (Garmin, Strava, "
        "Apple Health exports)."
    )),
    "watch": Entry("watch", "watch_group", (
        "Import new files by themselves: from folders you watch and a plugged-in Garmin watch."
    )),
    "activities": Entry("importing", "activities_command", (
        "List stored activities, one row each (CSV/JSON in SI units; start in UTC and local)."
    )),
    "activity": Entry("activity", "activity_group", (
        "Show one activity, or correct it: sport, carry, surface, tags, gear, load; delete it."
    )),
    "gear": Entry("gear", "gear_group", (
        "Your shoes and what you carry: distance per item, defaults per sport, retirement."
    )),
    "bodywork": Entry("bodywork", "bodywork_group", (
        "Log core, strength and mobility work; watch strength workouts are listed too."
    )),
    "pain": Entry("journal", "pain_group", (
        "Log how your back feels (0 = no pain, 10 = worst imaginable)."
    )),
    "rpe": Entry("journal", "rpe_command", (
        "Log how hard a session felt: VALUE on the CR-10 scale (0 rest ... 10 maximal)."
    )),
    "wellness": Entry("wellness", "wellness_group", (
        "Resting heart rate, HRV and sleep per day, from your watch, phone or check-ins."
    )),
    "unrecorded": Entry("journal", "unrecorded_group", (
        "Days you trained without recording it: their load counts as unknown, not as rest."
    )),
    "profile": Entry("analysis", "profile_command", (
        "Show or change the athlete profile (missing values are estimated from your data)."
    )),
    "settings": Entry("analysis", "settings_command", (
        "Show or change analytics thresholds and conventions ('default' restores one)."
    )),
    "daily": Entry("analysis", "daily_command", (
        "One row per calendar day: load, distance, ACWR, CTL, ATL, TSB, monotony, strain, pain "
        "and the day's suggestion."
    )),
    "summary": Entry("analysis", "summary_command", (
        "Weekly summaries (one row per ISO week), e.g. for your physiotherapist."
    )),
    "factors": Entry("factors", "factors_command", (
        "What relates to your back pain: each factor against next-day and 2-day pain, ranked."
    )),
    "experiment": Entry("experiment", "experiment_group", (
        "Test one lever on your own back: weeks with and without it, in random order."
    )),
    "report": Entry("report", "report_command", (
        "Write the report for your physiotherapist to one HTML file that opens offline."
    )),
    "advise": Entry("advise", "advise_command", (
        "What to do today: train, easy, cross_train, rest or see_professional - with reasons."
    )),
    "plan": Entry("plan", "plan_group", (
        "Plan sessions for the coming days; Today and `advise` check each day of the week "
        "ahead."
    )),
    "backup": Entry("backup", "backup_command", (
        "Write the whole store (every table, all samples) to one archive FILE."
    )),
    "restore": Entry("backup", "restore_command", (
        "Restore a store from a backup FILE made by `strideload backup`."
    )),
}


def load_command(name: str) -> click.Command:
    """Import the module that defines command ``name`` and return the command."""
    entry = COMMANDS[name]
    module = importlib.import_module(f"{__name__}.{entry.module}")
    command: click.Command = getattr(module, entry.attribute)
    return command


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        from dashboard.installation import check_installation

        try:
            check_installation()  # before a command module imports a foreign package
        except RuntimeError as exc:
            raise click.ClickException(str(exc)) from exc
        return load_command(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, entry.help) for name, entry in COMMANDS.items()])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """strideload: training load, running form and back pain, from your watch files."""
