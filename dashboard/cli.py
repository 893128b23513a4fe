"""The ``strideload`` command line: one group, commands defined in the cli_* modules."""

from __future__ import annotations

import click

from dashboard.cli_analytics import (
    advise_command,
    daily_command,
    profile_command,
    settings_command,
    summary_command,
)
from dashboard.cli_app import dashboard_command, demo_command
from dashboard.cli_import import activities_command, import_command
from dashboard.cli_journal import pain_group, rpe_command, unrecorded_group


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """strideload: training load, running form and back pain, from your watch files."""


COMMANDS = (
    demo_command, dashboard_command, import_command, activities_command, pain_group,
    rpe_command, unrecorded_group, profile_command, settings_command, daily_command,
    summary_command, advise_command,
)
for command in COMMANDS:
    main.add_command(command)
