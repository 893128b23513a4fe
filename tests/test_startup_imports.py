"""Light commands start fast: logging pain imports none of polars, numpy, dash, plotly, scipy,
flask (``--help`` is checked in test_cli_registry.py)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from ingest.store import Store

HEAVY = ("dash", "plotly", "scipy", "polars", "flask", "numpy", "pyarrow")


def run_and_list_heavy(args: list[str]) -> tuple[list[str], str]:
    """Run the CLI with ``args`` in a fresh interpreter: (heavy modules imported, output)."""
    code = (
        "import sys, json\n"
        "from dashboard.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit as exit:\n    assert not exit.code, exit\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    *printed, modules = out.stdout.strip().splitlines()
    return json.loads(modules), "\n".join(printed)


@pytest.mark.parametrize("args", [
    ["pain", "add", "2024-05-01", "3", "--note", "stiff"],
    ["unrecorded", "add", "2024-05-02"],
])
def test_logging_a_day_imports_no_heavy_library(tmp_path, args):
    heavy, printed = run_and_list_heavy([*args, "--data-dir", str(tmp_path)])
    assert heavy == []
    assert printed  # the command said what it did
    with Store(tmp_path) as store:  # and it did it
        if args[0] == "pain":
            assert store.pain()["level"].to_list() == [3]
        else:
            assert store.unrecorded() == [dt.date(2024, 5, 2)]


def test_a_store_opened_without_frames_imports_no_heavy_library(tmp_path):
    code = (
        "import sys, json\n"
        "from ingest.store import Store\n"
        f"with Store({str(tmp_path)!r}) as store:\n"
        "    store.set_setting('k', 'v'); store.revision(); store.count()\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert json.loads(out.stdout) == []
