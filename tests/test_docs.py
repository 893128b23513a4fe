"""The repository explains itself: docs/methods.md matches the declared settings and rules, every
section the code cites exists, and nothing refers to a document outside the repository."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import docs
from analytics.settings import SETTINGS
from docs.generate import METHODS_PATH, problems, render, setting_sections
from docs.sections import anchor_of, parts

ROOT = Path(__file__).resolve().parent.parent
#: Where documents are referred to: code (docstrings, comments, page texts), assets, docs; of
#: the tests (which write files of their own), the docstrings.
SCANNED = ("ingest", "analytics", "dashboard", "docs", "sample_data", "benchmarks", ".ci")
SUFFIXES = {".py", ".md", ".js", ".css", ".toml", ".txt"}
#: A Markdown document or a file path of the repository, not part of an address.
REFERENCE = re.compile(r"(?<![\w/.:-])((?:\.\./|\./)?(?:[\w.-]+/)*[\w.-]+\.md)\b"
                       r"|(?<![\w/.:-])((?:ingest|analytics|dashboard|docs|sample_data|benchmarks"
                       r"|tests|\.ci)/[\w/.-]*\w\.(?:py|md|js|css|toml))\b")
URL = re.compile(r"\b\w+://\S+")
CITED = re.compile(r"methods\.md,?(?: sections?)? ((?:\d+(?:\.\d+)?(?:(?: ?- ?| and |, )"
                   r"(?=\d))?)+)")


def repository_files() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "pyproject.toml"]
    for folder in SCANNED:
        files += [p for p in (ROOT / folder).rglob("*")
                  if p.suffix in SUFFIXES and "__pycache__" not in p.parts]
    return files


def scanned_texts() -> list[tuple[Path, str]]:
    """(file, text) of :func:`repository_files`, and the docstrings of the test modules
    (this one aside: it holds broken references on purpose)."""
    out = [(p, p.read_text(encoding="utf-8", errors="replace")) for p in repository_files()]
    for path in sorted((ROOT / "tests").glob("*.py")):
        if path.name != Path(__file__).name:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            nodes = [tree, *(n for n in ast.walk(tree) if isinstance(
                n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef))]
            out.append((path, "\n".join(ast.get_docstring(n) or "" for n in nodes)))
    return out


def broken_references(text: str, where: Path) -> list[str]:
    """References in ``text`` (of the file ``where``) to documents or files that do not exist
    in the repository, relative to its root or ``where``'s folder; a bare document name may
    also be one of docs/ (addresses are allowed)."""
    out = []
    for found in REFERENCE.finditer(URL.sub(" ", text)):
        name = found.group(1) or found.group(2)
        folders = (ROOT, where.parent) + ((ROOT / "docs",) if "/" not in name else ())
        if not any((folder / name).exists() for folder in folders):
            out.append(name)
    return out


def methods_text() -> str:
    return METHODS_PATH.read_text(encoding="utf-8")


def test_generated_tables_are_up_to_date_with_the_settings_and_rules() -> None:
    assert problems(methods_text()) == []
    assert docs.read("methods.md") == methods_text()  # what the app reads is this file


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_declared_setting_is_in_methods(name: str) -> None:
    section = setting_sections()[name]
    row = re.search(rf"^\| {name} \| .*$", methods_text(), re.MULTILINE)
    assert row, f"{name} missing from docs/methods.md"
    start = methods_text().index(f"<!-- settings:section-{section} -->")
    end = methods_text().index("<!-- /settings -->", start)
    assert start < row.start() < end  # in the table of its own section


def test_a_stale_or_missing_table_is_found() -> None:
    text = methods_text()
    stale = text.replace("| monotony_high | 2 |", "| monotony_high | 2.5 |")
    assert stale != text and any("out of date" in p for p in problems(stale))
    assert render(stale) == text
    gone = re.sub(r"<!-- settings:section-3 -->\n.*?<!-- /settings -->\n", "", text,
                  flags=re.DOTALL)
    assert any(p.startswith("section 3 has no") and "monotony_high" in p
               for p in problems(gone))
    elsewhere = {**setting_sections(), "monotony_high": "14"}
    assert any(p.startswith("section 14 has no") for p in problems(text, elsewhere))


def test_every_setting_needs_a_section_header() -> None:
    source = '    # --- new things\n    Setting("x", 1, "-", "h", "s", "H", 0, 2, "w"),\n'
    with pytest.raises(ValueError, match="must end in '\\(section N\\)'"):
        setting_sections(source)
    with pytest.raises(ValueError, match="setting x comes before any"):
        setting_sections(source.splitlines()[1])
    assert setting_sections("    # --- new (section 4)\n" + source.splitlines()[1]) == {
        "x": "4"}


def test_sections_are_numbered_with_stable_anchors() -> None:
    found = parts(methods_text())
    numbers = [p.number for p in found if p.level == 2]
    assert numbers == [str(n) for n in range(14)]
    for part in found[1:]:
        assert part.anchor == anchor_of(part.number), part.number
        if part.level == 3:
            assert part.number.startswith(part.section + ".")


def test_every_cited_section_exists() -> None:
    numbers = {p.number for p in parts(methods_text())}
    missing = []
    for path, text in scanned_texts():
        for cited in CITED.finditer(text.replace("\n", " ")):
            for number in re.findall(r"\d+(?:\.\d+)?", cited.group(1)):
                if number not in numbers:
                    missing.append(f"{path.relative_to(ROOT)}: section {number}")
        for anchor in re.findall(r"#(section-[\d-]+)\b", text):
            if anchor not in {anchor_of(n) for n in numbers}:
                missing.append(f"{path.relative_to(ROOT)}: #{anchor}")
    assert missing == []


def test_nothing_refers_to_a_document_outside_the_repository() -> None:
    broken = [f"{path.relative_to(ROOT)}: {name}" for path, text in scanned_texts()
              for name in broken_references(text, path)]
    assert broken == []


def test_the_reference_guard_bites() -> None:
    outside = "ANALYTICS" + ".md"
    text = (f"see {outside} section 2, ../shared/docs/x.md and analytics/nothing.py; "
            "docs/methods.md and https://example.org/a.md are fine")
    assert broken_references(text, ROOT / "analytics" / "x.py") == [
        outside, "../shared/docs/x.md", "analytics/nothing.py"]
