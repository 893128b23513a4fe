"""docs/methods.md as its numbered sections, for the Methods page and the guard tests.

Each heading (``## 9. Title``, ``### 11.4 Title``) starts a :class:`Part`; the line
``<a id="section-9"></a>`` above it is its anchor (GitHub and the page link to
``#section-9`` and ``#section-11-4``). A part's body is Markdown, with the generated settings
and rules tables (:mod:`docs.generate`) kept apart as references, so a page can draw them
with live values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

HEADING = re.compile(r"^(?P<hashes>#{1,3}) (?:(?P<number>\d+(?:\.\d+)?)\.? )?(?P<title>.+)$")
ANCHOR = re.compile(r'^<a id="(?P<id>[\w-]+)"></a>$')
BLOCK_START = re.compile(r"^<!-- (?:settings:section-(?P<section>\d+)|(?P<rules>rules)) -->$")
BLOCK_END = re.compile(r"^<!-- /(?:settings|rules) -->$")


def anchor_of(number: str) -> str:
    """The anchor of section ``number``: ``"9"`` -> ``"section-9"``, ``"11.4"`` ->
    ``"section-11-4"``."""
    return "section-" + number.replace(".", "-")


@dataclass(frozen=True)
class Part:
    """One heading of docs/methods.md and what follows it up to the next heading.

    Attributes
    ----------
    number
        ``"9"``, ``"11.4"``; ``""`` for the introduction under the title.
    title
        The heading's text without its number.
    level
        1 (the title), 2 (a section) or 3 (a subsection).
    pieces
        ``("markdown", text)``, ``("settings", section number)`` or ``("rules", "")``.
    anchor
        The ``id`` written above the heading (``""`` when there is none).
    """

    number: str
    title: str
    level: int
    pieces: tuple[tuple[str, str], ...]
    anchor: str = ""

    @property
    def section(self) -> str:
        """The top-level section number (``"11"`` for 11.4; ``""`` for the introduction)."""
        return self.number.split(".")[0]

    def markdown(self) -> str:
        """The Markdown of the part (generated tables left out)."""
        return "\n".join(text for kind, text in self.pieces if kind == "markdown")


def _flush(lines: list[str], pieces: list[tuple[str, str]]) -> None:
    text = "\n".join(lines).strip("\n")
    if text.strip():
        pieces.append(("markdown", text))
    lines.clear()


@lru_cache(maxsize=4)
def parts(text: str) -> tuple[Part, ...]:
    """The parts of ``text`` (docs/methods.md) in order."""
    out: list[Part] = []
    head: tuple[str, str, int, str] | None = None
    pieces: list[tuple[str, str]] = []
    lines: list[str] = []
    anchor = ""
    in_block = False

    def close() -> None:
        _flush(lines, pieces)
        if head is not None:
            out.append(Part(head[0], head[1], head[2], tuple(pieces), head[3]))
        pieces.clear()

    for line in text.splitlines():
        if in_block:
            in_block = not BLOCK_END.match(line)
            continue
        if found := ANCHOR.match(line):
            anchor = found["id"]
            continue
        if heading := HEADING.match(line):
            close()
            head = (heading["number"] or "", heading["title"].strip(), len(heading["hashes"]),
                    anchor)
            anchor = ""
            continue
        if block := BLOCK_START.match(line):
            _flush(lines, pieces)
            pieces.append(("rules", "") if block["rules"] else ("settings", block["section"]))
            in_block = True
            continue
        lines.append(line)
    close()
    return tuple(out)
