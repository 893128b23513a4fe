"""Rewrite the generated tables of docs/methods.md from the declared settings and rules.

Run from the checkout::

    python -m docs.generate          # rewrite docs/methods.md in place
    python -m docs.generate --check  # exit 1 (and say why) when it is out of date

Generated blocks (the text between the markers is replaced, everything else is kept):

- ``<!-- settings:section-N -->`` ... ``<!-- /settings -->``: every
  :class:`~analytics.settings.Setting` declared under a ``# --- title (section N)`` comment
  header of ``analytics/settings.py`` - name, default, unit, allowed range, grade, source and
  what it sets;
- ``<!-- rules -->`` ... ``<!-- /rules -->``: every advice rule of
  :data:`analytics.rules.RULES` with its level, threshold (at the defaults) and evidence.

A setting whose section has no block, or a block for a section without settings, is an error:
the tests run :func:`problems` so the document cannot drift from the code.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from collections.abc import Mapping
from pathlib import Path

from analytics import settings as settings_module
from analytics.rules import RULES
from analytics.settings import SETTINGS, Settings, SettingValue

#: docs/methods.md in the checkout (the generator writes it; the app only reads it).
METHODS_PATH = Path(__file__).resolve().parent / "methods.md"
HEADER = re.compile(r"^\s*# --- (?P<title>.*?)\s*(?:\((?P<section>sections? [^)]*)\))?\s*$")
DECLARED = re.compile(r'^\s*Setting\(\s*"(?P<name>\w+)"')
BLOCK = re.compile(r"<!-- (?P<kind>settings:section-(?P<section>\d+)|rules) -->\n"
                   r"(?P<body>.*?)<!-- /(?:settings|rules) -->", re.DOTALL)
#: Columns of a settings table, in order.
SETTING_COLUMNS = ("Setting", "Default", "Unit", "Allowed", "Grade", "Source", "What it sets")
#: Columns of the rules table, in order.
RULE_COLUMNS = ("Rule", "Level", "Threshold (defaults)", "Source", "Population", "Strength",
                "Grade")


def setting_sections(source: str | None = None) -> dict[str, str]:
    """Setting name -> the number of its methods section, from the ``# --- title (section N)``
    comment headers of ``analytics/settings.py`` (``source``: that module's text).

    Raises ``ValueError`` naming the header or setting when a header names no single section
    or a setting comes before any header.
    """
    text = inspect.getsource(settings_module) if source is None else source
    out: dict[str, str] = {}
    section: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if header := HEADER.match(line):
            words = header["section"] or ""
            if not re.fullmatch(r"section \d+", words):
                raise ValueError(f"analytics/settings.py line {number}: the header "
                                 f"{line.strip()!r} must end in '(section N)'")
            section = words.split()[1]
        elif declared := DECLARED.match(line):
            if section is None:
                raise ValueError(f"setting {declared['name']} comes before any "
                                 "'# --- title (section N)' header")
            out[declared["name"]] = section
    return out


def shown(value: SettingValue) -> str:
    """A setting value as the documents show it: ``0.85``, ``28``, ``load, drift_pct``."""
    if isinstance(value, tuple):
        return ", ".join(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def setting_rows(section: str, sections: Mapping[str, str] | None = None
                 ) -> list[dict[str, str]]:
    """One row per setting of ``section`` in declaration order (:data:`SETTING_COLUMNS`)."""
    sections = setting_sections() if sections is None else sections
    return [{"Setting": s.name, "Default": shown(s.default), "Unit": s.unit,
             "Allowed": s.range_text(), "Grade": s.grade, "Source": s.source,
             "What it sets": s.help}
            for s in SETTINGS.values() if sections.get(s.name) == section]


def rule_rows() -> list[dict[str, str]]:
    """One row per advice rule, in the order reasons are given (:data:`RULE_COLUMNS`)."""
    defaults = Settings()
    return [{"Rule": r.name, "Level": r.level,
             "Threshold (defaults)": "; ".join(limit.text(defaults) for limit in r.limits)
             or "-",
             "Source": r.evidence.source, "Population": r.evidence.population,
             "Strength": r.evidence.strength, "Grade": r.evidence.grade}
            for r in RULES.values()]


def markdown_table(rows: list[dict[str, str]]) -> str:
    """``rows`` as a GitHub-flavoured Markdown table (``|`` in a cell escaped)."""
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(row[c].replace("|", "\\|") for c in columns) + " |"
              for row in rows]
    return "\n".join(lines) + "\n"


def _block(match: re.Match[str], sections: Mapping[str, str]) -> str:
    rows = rule_rows() if match["kind"] == "rules" else setting_rows(match["section"],
                                                                     sections)
    if not rows:
        raise ValueError(f"docs/methods.md has a block for section {match['section']}, which "
                         "has no settings")
    end = "<!-- /rules -->" if match["kind"] == "rules" else "<!-- /settings -->"
    return f"<!-- {match['kind']} -->\n{markdown_table(rows)}{end}"


def render(text: str, sections: Mapping[str, str] | None = None) -> str:
    """``text`` with every generated block rewritten from the code."""
    sections = setting_sections() if sections is None else sections
    return BLOCK.sub(lambda m: _block(m, sections), text)


def problems(text: str, sections: Mapping[str, str] | None = None) -> list[str]:
    """Why ``text`` (docs/methods.md) does not match the code, one line each (empty: it does)."""
    sections = setting_sections() if sections is None else sections
    found = []
    blocks = {m["section"] for m in BLOCK.finditer(text) if m["section"]}
    for section in sorted(set(sections.values()) - blocks, key=int):
        names = [n for n, s in sections.items() if s == section]
        found.append(f"section {section} has no '<!-- settings:section-{section} -->' block "
                     f"(settings {', '.join(names)})")
    for name in sorted(set(SETTINGS) - set(sections)):
        found.append(f"setting {name} has no section header in analytics/settings.py")
    try:
        if render(text, sections) != text:
            found.append("the generated tables are out of date: run python -m docs.generate")
    except ValueError as exc:
        found.append(str(exc))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m docs.generate",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only check; exit 1 when docs/methods.md is out of date")
    args = parser.parse_args(argv)
    text = METHODS_PATH.read_text(encoding="utf-8")
    if args.check:
        found = problems(text)
        for line in found:
            print(f"docs/methods.md: {line}", file=sys.stderr)
        return 1 if found else 0
    new = render(text)
    if new != text:
        METHODS_PATH.write_text(new, encoding="utf-8")
        print("docs/methods.md: generated tables rewritten")
    else:
        print("docs/methods.md: up to date")
    left = [p for p in problems(new) if "out of date" not in p]
    for line in left:
        print(f"docs/methods.md: {line}", file=sys.stderr)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
