"""The pain journal and session RPE: validated entries and CSV import (all or nothing).

A journal entry is one rating per local calendar day and body area (adding another for the
same day and area replaces it): pain level 0-10 (numeric rating scale), whether the pain came
on during a run, warning symptoms (see :data:`FLAGS`) and a free note. Session RPE is the
CR-10 rating of a whole session (Foster et al. 2001), valid when entered hours or days later.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

AREAS = ("upper-back", "lower-back", "neck", "other")

#: Flags a journal entry may carry (``--red-flag NAME``), in three groups. Emergency signs
#: (possible cardiac or aortic cause) get emergency wording; red flags (NICE-based pathways,
#: docs/methods.md section 7) mean "see a professional"; rest symptoms suggest rest (rule R1).
EMERGENCY_FLAGS: dict[str, str] = {
    "chest-pressure": "chest pressure or tightness",
    "breathlessness": "unusual breathlessness",
    "sweating": "cold sweating with the pain",
    "arm-jaw-pain": "pain spreading to the arm or jaw",
    "tearing-pain": "sudden tearing pain between the shoulder blades",
}
RED_FLAGS: dict[str, str] = {
    "trauma": "pain after a fall, crash or blow",
    "cancer-history": "a history of cancer",
    "fever": "fever or chills",
    "weight-loss": "unexplained weight loss",
    "night-pain": "night pain not eased by changing position",
    "constant-pain": "constant, progressive pain unrelated to movement",
    "numbness": "numbness or pins and needles",
    "weakness": "weakness in arms or legs",
    "gait-change": "a change in the way you walk",
    "bladder-bowel": "a change in bladder or bowel control",
}
REST_SYMPTOMS: dict[str, str] = {
    "rest-pain": "new pain at night or at rest",
    "form-change": "pain that changed your running form",
}
FLAGS: dict[str, str] = {**EMERGENCY_FLAGS, **RED_FLAGS, **REST_SYMPTOMS}
CSV_COLUMNS = ("date", "area", "level", "during_run", "note")
#: Longest note kept with an entry [characters].
MAX_NOTE_CHARS = 2000
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


def shown(value: object, limit: int = 40) -> str:
    """``repr(value)`` cut to ``limit`` characters: a message never echoes megabytes."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except (AttributeError, ValueError) as exc:  # AttributeError: not text at all
        raise JournalError(f"date must be YYYY-MM-DD, got {shown(text)}") from exc


def check_day(day: str | dt.date, today: dt.date | None = None) -> dt.date:
    """A journal day: ISO text or a date, not after ``today``."""
    day = day if isinstance(day, dt.date) else parse_date(day)
    if today is not None and day > today:
        raise JournalError(f"date {day} is in the future")
    return day


def parse_level(text: object, low: float = 0, high: float = 10,
                what: str = "pain level", whole: bool = True) -> float:
    """A number within [low, high]; ``whole`` requires an integer."""
    try:
        if isinstance(text, bool) or not isinstance(text, str | int | float):
            raise TypeError("not a number")
        value = float(text)
    except (TypeError, ValueError) as exc:
        raise JournalError(f"{what} must be a number from {low:g} to {high:g}, "
                           f"got {shown(text)}") from exc
    if not low <= value <= high or (whole and not value.is_integer()):
        kind = "a whole number" if whole else "a number"
        raise JournalError(f"{what} must be {kind} from {low:g} to {high:g}, got {shown(text)}")
    return value


def parse_bool(text: str | bool) -> bool:
    if isinstance(text, bool):
        return text
    value = str(text).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise JournalError(f"during_run must be yes or no, got {shown(text)}")


def make_entry(date: str | dt.date, level: str | int, area: str = "upper-back",
               during_run: str | bool = False, red_flags: tuple[str, ...] | list[str] = (),
               note: str = "", today: dt.date | None = None) -> PainEntry:
    """Validate raw values into a :class:`PainEntry`; raises :class:`JournalError`."""
    day = check_day(date, today)
    if not isinstance(area, str) or area.strip().lower() not in AREAS:
        raise JournalError(f"area must be one of {', '.join(AREAS)}, got {shown(area)}")
    area = area.strip().lower()
    if not isinstance(red_flags, list | tuple):
        raise JournalError(f"red flags must be a list of names, got {shown(red_flags)}")
    unknown = [flag for flag in red_flags if not isinstance(flag, str) or flag not in FLAGS]
    if unknown:
        raise JournalError(f"unknown red flag {shown(unknown[0])}; known: {', '.join(FLAGS)}")
    if not isinstance(note, str):
        raise JournalError(f"the note must be text, got {shown(note)}")
    if len(note) > MAX_NOTE_CHARS:
        raise JournalError(f"the note has {len(note)} characters; at most {MAX_NOTE_CHARS} "
                           "are kept")
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
