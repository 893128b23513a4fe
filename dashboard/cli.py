"""The ``strideload`` command line: one group, commands defined in the cli_* modules."""

from __future__ import annotations

import click

from dashboard.cli_app import dashboard_command
from dashboard.cli_import import activities_command, import_command
from dashboard.cli_journal import pain_group, rpe_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """strideload: training load, running form and back pain, from your watch files."""


for command in (import_command, activities_command, pain_group, rpe_command, dashboard_command):
    main.add_command(command)
