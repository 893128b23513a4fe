"""Checks on the values a Dash callback receives before it stores anything.

The page's controls send values of known types, but anyone who can post to the app can send
anything; a value of the wrong type or size raises :class:`BadInput` naming it, which a
callback shows as "Not saved: ...". Ranges and meanings are checked where the values are
parsed (:mod:`ingest.journal`, :mod:`ingest.wellness.checkin`, :mod:`dashboard.service`).
"""

from __future__ import annotations

import math
from collections.abc import Collection

from ingest.journal import shown

#: Longest text accepted in a form field that is not a note [characters].
MAX_FIELD_CHARS = 200


class BadInput(ValueError):
    """A callback value of the wrong type or size, with a message naming it."""


def checklist(value: object, what: str) -> bool:
    """Whether a checklist (a list of chosen values, or None) has anything chosen."""
    if value is not None and not (isinstance(value, list)
                                  and all(isinstance(v, str) for v in value)):
        raise BadInput(f"{what} must be a list of choices, got {shown(value)}")
    return bool(value)


def field(value: object, what: str) -> str | int | float | None:
    """A form field's value: nothing, a finite number or a short text."""
    if value is None or isinstance(value, str) and len(value) <= MAX_FIELD_CHARS:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return value
    raise BadInput(f"{what} must be a number or a text of at most {MAX_FIELD_CHARS} "
                   f"characters, got {shown(value)}")


def text(value: object, what: str) -> str:
    """A choice or short text (a dropdown's value)."""
    if not isinstance(value, str) or len(value) > MAX_FIELD_CHARS:
        raise BadInput(f"{what} must be a text of at most {MAX_FIELD_CHARS} characters, "
                       f"got {shown(value)}")
    return value


def named_rows(value: object, what: str, names: Collection[str]) -> list[dict[str, object]]:
    """An editable table's rows: dicts with a known ``name`` and a :func:`field` ``value``."""
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
        raise BadInput(f"{what} must be a list of rows, got {shown(value)}")
    for row in value:
        if not isinstance(row.get("name"), str) or row["name"] not in names:
            raise BadInput(f"unknown {what} row {shown(row.get('name'))}")
        field(row.get("value"), str(row["name"]))
    return value


def uploads(contents: object, names: object) -> list[tuple[str, str]]:
    """(file name, data URL) pairs from dcc.Upload's two lists."""
    if not (isinstance(contents, list) and isinstance(names, list)
            and len(contents) == len(names)
            and all(isinstance(v, str) for v in [*contents, *names])):
        raise BadInput("an upload must be two lists of texts of the same length (file names "
                       f"and contents), got {shown(names)} and {shown(contents)}")
    return list(zip(names, contents, strict=True))
