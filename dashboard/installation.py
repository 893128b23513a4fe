"""Is this strideload whole? Its packages have generic names (another project on PyPI
installs an ``analytics`` module), so one of them may come from somewhere else.

Checked before a command runs, without importing anything: each top-level package must be
found beside this one and hold the module strideload needs from it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

#: Our other top-level packages and a file each must contain.
OWN_PACKAGES = {"ingest": "importer.py", "analytics": "settings.py", "sample_data": "story.json"}


def foreign_packages() -> list[str]:
    """One line per package that Python would not import from this strideload."""
    home = Path(__file__).resolve().parent.parent
    problems = []
    for name, needed in OWN_PACKAGES.items():
        spec = importlib.util.find_spec(name)
        folder = Path(spec.origin).resolve().parent if spec and spec.origin else None
        if folder is None:
            problems.append(f"the package '{name}' is missing")
        elif folder.parent != home or not (folder / needed).is_file():
            problems.append(f"'{name}' is imported from {folder}, another project's package")
    return problems


def check_installation() -> None:
    """Raise ``RuntimeError`` with one clear line when a package is missing or foreign."""
    problems = foreign_packages()
    if problems:
        raise RuntimeError(
            f"strideload cannot run: {'; '.join(problems)}. Its packages have generic names: "
            "install strideload into a virtual environment of its own or with pipx "
            "(see README).")
