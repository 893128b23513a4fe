"""Mutation testing of ``analytics/``: do the tests notice when the code changes?

mutmut (configured in ``pyproject.toml`` under ``[tool.mutmut]``) copies the package to
``mutants/``, changes one operator, constant or name at a time and runs the analytics tests
that reach the changed function. A mutant the tests do not notice "survived": either a test is
missing or the change makes no difference (an equivalent mutant). This script runs mutmut over
the modules asked for and lists every survivor as ``file:line``, the line before and after.

Usage (from the repository root, with the test extras installed)::

    python benchmarks/mutation_test.py                      # all of analytics/ (hours)
    python benchmarks/mutation_test.py association pain     # some modules
    python benchmarks/mutation_test.py --report-only        # list the last run's survivors
    python benchmarks/mutation_test.py --max-children 1 pain   # one worker (shared machine)

mutmut forks every mutant from a server that has imported the tests but run nothing: polars'
thread pool does not survive a fork of a process that has used it.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "analytics"


@dataclass(frozen=True)
class Survivor:
    """A mutant the tests did not notice."""

    name: str  # mutmut's name, e.g. analytics.pain.x_pain_trend__mutmut_7
    path: str
    line: int | None
    before: str
    after: str


def mutmut(*args: str) -> subprocess.CompletedProcess[str]:
    """Run mutmut in the repository root (output captured)."""
    return subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=ROOT, text=True,
                          capture_output=True, check=False)


def statuses() -> dict[str, str]:
    """Mutant name -> status ('killed', 'survived', 'timeout', 'not checked', ...)."""
    out = {}
    for line in mutmut("results", "--all", "true").stdout.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and name.startswith(f"{PACKAGE}."):
            out[name] = status
    return out


def _function_lines(path: Path) -> dict[str, tuple[int, list[str]]]:
    """mutmut's function key (``x_name`` or ``xǁClassǁname``) -> (first line, source lines)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    out = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            out[f"x_{node.name}"] = (node.lineno, lines[node.lineno - 1:node.end_lineno])
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    out[f"xǁ{node.name}ǁ{item.name}"] = (
                        item.lineno, lines[item.lineno - 1:item.end_lineno])
    return out


def locate(name: str) -> Survivor:
    """Where a mutant changes the source: file, line, the line before and after."""
    module, _, rest = name.rpartition(".")
    function = rest.rsplit("__mutmut_", 1)[0]
    path = ROOT / Path(*module.split(".")).with_suffix(".py")
    diff = mutmut("show", name).stdout.splitlines()
    removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
    before = removed[0].strip() if removed else ""
    after = added[0].strip() if added else ""
    first, body = _function_lines(path).get(function, (None, []))
    line = None
    if first is not None and removed:
        for offset, text in enumerate(body):
            if text.strip() == before:
                line = first + offset
                break
    return Survivor(name, str(path.relative_to(ROOT)), line, before, after)


def report(modules: list[str]) -> int:
    """Print the counts per status and every survivor; returns the number of survivors."""
    wanted = tuple(f"{PACKAGE}.{m}." for m in modules) if modules else (f"{PACKAGE}.",)
    found = {n: s for n, s in statuses().items() if n.startswith(wanted)}
    counts = Counter(found.values())
    print("mutants:", ", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    survivors = sorted((locate(n) for n, s in found.items() if s == "survived"),
                       key=lambda s: (s.path, s.line or 0, s.name))
    for s in survivors:
        where = f"{s.path}:{s.line}" if s.line else s.path
        print(f"{where}: {s.before}  ->  {s.after}   [{s.name}]")
    return len(survivors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*",
                        help=f"modules of {PACKAGE}/ (default: all), e.g. pain association")
    parser.add_argument("--report-only", action="store_true",
                        help="list the survivors of the last run without running mutmut")
    parser.add_argument("--max-children", type=int, metavar="N",
                        help="mutants tested at once (mutmut's default: one per CPU)")
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules
               if not re.fullmatch(r"\w+", m) or not (ROOT / PACKAGE / f"{m}.py").exists()]
    if unknown:
        parser.error(f"no module {', '.join(unknown)} in {PACKAGE}/")
    if not args.report_only:
        patterns = [f"{PACKAGE}.{m}.*" for m in args.modules] or [f"{PACKAGE}.*"]
        workers = [] if args.max_children is None else ["--max-children", str(args.max_children)]
        run = subprocess.run([sys.executable, "-m", "mutmut", "run", *workers, *patterns],
                             cwd=ROOT, check=False)
        if run.returncode not in (0, 1):
            return run.returncode
    report(args.modules)
    return 0


if __name__ == "__main__":
    sys.exit(main())
