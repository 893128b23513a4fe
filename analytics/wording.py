"""Words as a runner reads them: the suggestions, distances, percentages, days of the week.

The suggestions' labels, headlines and footer, and small pure formatters shared by the words
of the rules (:mod:`analytics.rules`) and the week ahead (:mod:`analytics.week`). Distances are
given in kilometres (the analytics work in metres). Imports nothing heavy: the cached advice is
printed with it alone (:mod:`dashboard.cli.advise`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

#: Each suggestion in a few words (tables, the week ahead).
LABELS = {"train": "Train as planned", "easy": "Easy run", "cross_train": "Cross-train",
          "rest": "Rest", "see_professional": "See a professional"}
#: The suggestion as a headline.
HEADLINES = {"train": "Train as planned", "easy": "Easy run today",
             "cross_train": "Cross-train today", "rest": "Rest today",
             "see_professional": "Stop and get checked"}
#: The footer said once under the reasons (never per reason).
NOT_A_DIAGNOSIS = ("This describes your training and what you logged; it is not a diagnosis. "
                   "The limits come from studies of groups of runners, not from you.")
#: Evidence grades in words (docs/methods.md, "Tags").
GRADE_WORDS = {"V": "verified in a primary source", "P": "partly verified",
               "U": "not verified", "H": "our own rule of thumb", "-": "safety rule"}


def km(metres: float | None) -> str:
    """``21 km``, ``18.5 km`` (one decimal, none when whole); ``? km`` when unknown.

    >>> km(21000.0), km(18_540.0), km(None)
    ('21 km', '18.5 km', '? km')
    """
    if metres is None:
        return "? km"
    return f"{round(metres / 1000.0, 1):g} km"


def pct(value: float) -> str:
    """A percentage without decimals: ``30 %``.

    >>> pct(29.6)
    '30 %'
    """
    return f"{value:.0f} %"


def day_name(day: object) -> str:
    """``Sunday`` for a date, ``that day`` when unknown."""
    return f"{day:%A}" if isinstance(day, dt.date) else "that day"


def number(row: Mapping[str, object], key: str) -> float | None:
    """A row value as a float (``None`` when missing)."""
    value = row.get(key)
    return None if value is None else float(value)  # type: ignore[arg-type]


def planned(row: Mapping[str, object], day: object) -> bool:
    """Whether ``day`` lies in the planned part of a projected week (the row's ``plan_from``,
    set by :func:`analytics.week.week_ahead`; absent: nothing is planned)."""
    start = row.get("plan_from")
    return isinstance(start, dt.date) and isinstance(day, dt.date) and day >= start
