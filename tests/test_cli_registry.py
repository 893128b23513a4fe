"""The command registry: ``--help`` lists every command without importing heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from dashboard.cli import COMMANDS, load_command, main

HEAVY = ("dash", "plotly", "scipy", "polars", "flask", "numpy")


def test_registry_help_is_each_commands_docstring() -> None:
    for name, entry in COMMANDS.items():
        command = load_command(name)
        assert command.name == name
        assert " ".join(command.help.split("\n\n")[0].split()) == entry.help


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.split("Commands:")[1].splitlines()
              if line.startswith("  ") and not line.startswith("   ")]
    assert listed == list(COMMANDS)


def test_unknown_command_is_an_error() -> None:
    result = CliRunner().invoke(main, ["no-such-command"])
    assert result.exit_code == 2
    assert "No such command" in result.output


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import sys, json\n"
        "from dashboard.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
