"""The pain journal and session RPE: validated entries and CSV import (all or nothing).

A journal entry is one rating per local calendar day and body area (adding another for the
same day and area replaces it): pain level 0-10 (numeric rating scale), whether the pain came
on during a run, red-flag symptoms (see :data:`RED_FLAGS`) and a free note. Session RPE is the
CR-10 rating of a whole session (Foster et al. 2001), valid when entered hours or days later.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

AREAS = ("upper-back", "lower-back", "neck", "other")

#: Red-flag symptoms (NICE-based pathways, ANALYTICS.md section 7): name -> what it means.
#: Any of them turns the day's suggestion into "see a professional"; the EMERGENCY ones come
#: with emergency wording (possible cardiac or aortic cause).
RED_FLAGS: dict[str, str] = {
    "trauma": "the pain started after a fall, crash or blow",
    "cancer-history": "a history of cancer",
    "fever": "fever, chills or feeling unwell",
    "weight-loss": "unexplained weight loss",
    "night-pain": "pain at night that does not ease when you change position",
    "constant-pain": "constant pain that keeps getting worse, whatever you do",
    "numbness": "numbness or pins and needles",
    "weakness": "weakness in the arms or legs, or a change in how you walk",
    "bladder-bowel": "changes in bladder or bowel control",
    "chest-pressure": "pressure or tightness in the chest",
    "breathlessness": "unusual breathlessness",
    "sweating": "cold sweats with the pain",
    "arm-jaw-pain": "pain spreading to the arm, neck or jaw",
    "tearing-pain": "sudden tearing pain between the shoulder blades",
}
EMERGENCY_FLAGS = frozenset(
    {"chest-pressure", "breathlessness", "sweating", "arm-jaw-pain", "tearing-pain"}
)
CSV_COLUMNS = ("date", "area", "level", "during_run", "note")
_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"0", "false", "no", "n", ""}


class JournalError(ValueError):
    """A journal or RPE value that cannot be stored, with a message naming the problem."""


@dataclass(frozen=True)
class PainEntry:
    """One validated pain rating (see module docstring)."""

    date: dt.date
    level: int
    area: str = "upper-back"
    during_run: bool = False
    red_flags: tuple[str, ...] = field(default_factory=tuple)
    note: str = ""


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise JournalError(f"date must be YYYY-MM-DD, got {text!r}") from exc


def parse_level(text: str | int | float, low: float = 0, high: float = 10,
                what: str = "pain level", whole: bool = True) -> float:
    """A number within [low, high]; ``whole`` requires an integer."""
    try:
        value = float(text)
    except (TypeError, ValueError) as exc:
        raise JournalError(f"{what} must be a number from {low:g} to {high:g}, got {text!r}"
                           ) from exc
    if not low <= value <= high or (whole and not value.is_integer()):
        kind = "a whole number" if whole else "a number"
        raise JournalError(f"{what} must be {kind} from {low:g} to {high:g}, got {text!r}")
    return value


def parse_bool(text: str | bool) -> bool:
    if isinstance(text, bool):
        return text
    value = str(text).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise JournalError(f"during_run must be yes or no, got {text!r}")


def make_entry(date: str | dt.date, level: str | int, area: str = "upper-back",
               during_run: str | bool = False, red_flags: tuple[str, ...] | list[str] = (),
               note: str = "", today: dt.date | None = None) -> PainEntry:
    """Validate raw values into a :class:`PainEntry`; raises :class:`JournalError`."""
    day = date if isinstance(date, dt.date) else parse_date(date)
    if today is not None and day > today:
        raise JournalError(f"date {day} is in the future")
    area = area.strip().lower()
    if area not in AREAS:
        raise JournalError(f"area must be one of {', '.join(AREAS)}, got {area!r}")
    unknown = [flag for flag in red_flags if flag not in RED_FLAGS]
    if unknown:
        raise JournalError(
            f"unknown red flag {unknown[0]!r}; known: {', '.join(RED_FLAGS)}"
        )
    return PainEntry(day, int(parse_level(level)), area, parse_bool(during_run),
                     tuple(dict.fromkeys(red_flags)), note.strip())


def parse_csv(text: str, today: dt.date | None = None) -> list[PainEntry]:
    """Entries from CSV text with columns date, level (required), area, during_run, note,
    red_flags (``;``-separated). Raises :class:`JournalError` naming the first bad line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = {c.strip().lower() for c in reader.fieldnames or []}
    missing = {"date", "level"} - columns
    if missing:
        raise JournalError(f"missing column(s): {', '.join(sorted(missing))}")
    entries = []
    for line, row in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        flags = [f.strip() for f in row.get("red_flags", "").split(";") if f.strip()]
        try:
            entries.append(make_entry(row["date"], row["level"], row.get("area") or "upper-back",
                                      row.get("during_run", ""), flags, row.get("note", ""),
                                      today))
        except JournalError as exc:
            raise JournalError(f"line {line}: {exc}") from exc
    return entries


def parse_rpe(value: str | float) -> float:
    """Session RPE on the CR-10 scale (0-10, halves allowed)."""
    rating = parse_level(value, what="RPE", whole=False)
    if not (rating * 2).is_integer():
        raise JournalError(f"RPE must be in steps of 0.5, got {value!r}")
    return rating
