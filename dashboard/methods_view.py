"""The Methods page's content as plain data: docs/methods.md split into its sections, the
settings tables with the runner's values beside the defaults, and the search over them.

Pure functions of the document text and a :class:`~analytics.settings.Settings`; the page
(:mod:`dashboard.pages.methods`) only draws them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from analytics.settings import SETTINGS, Settings
from dashboard.a11y.tables import Table
from docs.generate import rule_rows, setting_rows, setting_sections, shown
from docs.sections import Part, anchor_of

#: Column of a settings table with the runner's value.
YOURS = "Yours"
#: What :data:`YOURS` says for a setting left at its default.
SAME = "default"


def href(section: str) -> str:
    """The address of a methods section on the page: ``"9"`` -> ``"/methods#section-9"``,
    ``"11.4"`` -> ``"/methods#section-11-4"`` (for "why this threshold" links)."""
    return "/methods#" + anchor_of(section)


def settings_table(section: str, values: Settings,
                   sections: Mapping[str, str] | None = None) -> Table:
    """The settings of ``section``: name, default, the runner's value where it differs (else
    :data:`SAME`), unit, allowed range, grade, source and what it sets."""
    rows = []
    for row in setting_rows(section, sections):
        value = values[row["Setting"]]
        yours = SAME if value == SETTINGS[row["Setting"]].default else shown(value)
        rows.append({"Setting": row["Setting"], "Default": row["Default"], YOURS: yours,
                     **{k: v for k, v in row.items() if k not in ("Setting", "Default")}})
    return Table.from_dicts(f"Settings of section {section}", rows)


def rules_table() -> Table:
    """Every advice rule with its threshold at the defaults and its evidence."""
    return Table.from_dicts("Advice rules, in the order reasons are given", rule_rows())


def changed_settings(values: Settings, sections: Mapping[str, str] | None = None
                     ) -> list[dict[str, str]]:
    """The runner's settings that differ from the defaults: name, value, default, section."""
    sections = setting_sections() if sections is None else sections
    return [{"name": name, "value": shown(value), "default": shown(SETTINGS[name].default),
             "section": sections[name]}
            for name, value in values.changed().items()]


def _words(text: str) -> str:
    return re.sub(r"[_\s]+", " ", text.lower())


def searchable(part: Part, sections: Mapping[str, str]) -> str:
    """Everything a search looks through in ``part``: heading, text and its settings' names,
    help and sources, lower-cased with ``_`` read as a space."""
    texts = [part.number, part.title, part.markdown()]
    for kind, section in part.pieces:
        if kind == "settings":
            texts += [" ".join(row.values()) for row in setting_rows(section, sections)]
        elif kind == "rules":
            texts += [" ".join(row.values()) for row in rule_rows()]
    return _words(" ".join(texts))


def matches(parts: Sequence[Part], query: str | None,
            sections: Mapping[str, str] | None = None) -> list[bool]:
    """Which parts to show for ``query``: those holding it (case, ``_`` and spacing
    ignored), and a section whose subsection does. An empty query shows all."""
    phrase = _words(query or "").strip()
    if not phrase:
        return [True] * len(parts)
    sections = setting_sections() if sections is None else sections
    hit = [phrase in searchable(p, sections) for p in parts]
    parents = {p.section for p, h in zip(parts, hit, strict=True) if h and p.level == 3}
    return [h or (p.level == 2 and p.section in parents) for p, h in zip(parts, hit,
                                                                           strict=True)]


def search_status(parts: Sequence[Part], shown_parts: Sequence[bool], query: str | None
                  ) -> str:
    """One line for screen readers and eyes: how many sections the search shows."""
    if not (query or "").strip():
        return ""
    numbers = [p.number for p, s in zip(parts, shown_parts, strict=True) if s and p.number]
    if not numbers:
        return f"No section mentions '{query.strip()}'."  # type: ignore[union-attr]
    many = len(numbers) > 1
    return (f"{len(numbers)} section{'s' if many else ''} mention{'' if many else 's'} "
            f"'{query.strip()}': {', '.join(numbers)}.")  # type: ignore[union-attr]
