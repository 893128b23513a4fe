"""A foreign package with one of strideload's generic names stops the CLI with one line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dashboard.installation import foreign_packages

RUN_CLI = "import sys; from dashboard.cli import main; sys.argv[0] = 'strideload'; main()"


def test_this_installation_is_whole():
    assert foreign_packages() == []


@pytest.mark.parametrize("name", ["analytics", "ingest", "sample_data"])
def test_a_foreign_package_first_on_the_path_is_named(tmp_path, name):
    foreign = tmp_path / "site" / name
    foreign.mkdir(parents=True)
    (foreign / "__init__.py").write_text("raise SystemExit('the foreign package was imported')\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "site"))
    done = subprocess.run([sys.executable, "-c", RUN_CLI, "activities", "--data-dir",
                           str(tmp_path / "data")], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"Error: strideload cannot run: '{name}' is imported from {foreign}, another project's "
        "package. Its packages have generic names: install strideload into a virtual "
        "environment of its own or with pipx (see README).")
