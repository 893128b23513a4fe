"""Asleep intervals -> nights: merged, never added up, dated by the local day they end on.

Devices (and two devices on one night: a watch and a phone) give asleep intervals that may
overlap. Sleep time is the length of their union. Intervals less than :data:`EPISODE_GAP_MS`
apart form one sleep episode; an episode belongs to the local date of its end (the wake-up
date). An episode shorter than :data:`NAP_MAX_MS` that ends after noon is a nap, kept apart
from the night [H] (docs/methods.md section 12.2). Times are milliseconds since the epoch, UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

#: A gap longer than this between asleep intervals starts a new sleep episode [H].
EPISODE_GAP_MS = 3 * 3600 * 1000
#: Episodes shorter than this ending after :data:`NAP_AFTER_HOUR` local time are naps [H].
NAP_MAX_MS = 3 * 3600 * 1000
NAP_AFTER_HOUR = 12

Span = tuple[int, int]


def merge(spans: Iterable[Span]) -> list[Span]:
    """The union of intervals as sorted, disjoint intervals (touching ones joined)."""
    merged: list[list[int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def episodes(spans: Iterable[Span], gap_ms: int = EPISODE_GAP_MS) -> list[list[Span]]:
    """Merged intervals grouped into sleep episodes (gaps up to ``gap_ms`` within one)."""
    out: list[list[Span]] = []
    for span in merge(spans):
        if out and span[0] - out[-1][-1][1] <= gap_ms:
            out[-1].append(span)
        else:
            out.append([span])
    return out


def night_totals(spans: Iterable[Span], offset_s: Callable[[int], int]
                 ) -> dict[dt.date, tuple[float, float]]:
    """Per wake-up date: (night sleep, nap sleep) in seconds.

    ``offset_s(ms)`` gives local time - UTC at an instant (the file's offset or the athlete's
    time zone).
    """
    totals: dict[dt.date, list[float]] = {}
    for episode in episodes(spans):
        end = episode[-1][1]
        local_end = dt.datetime.fromtimestamp(end / 1000 + offset_s(end), dt.UTC)
        asleep_ms = sum(stop - start for start, stop in episode)
        nap = asleep_ms < NAP_MAX_MS and local_end.hour >= NAP_AFTER_HOUR
        day = totals.setdefault(local_end.date(), [0.0, 0.0])
        day[1 if nap else 0] += asleep_ms / 1000
    return {date: (night, nap) for date, (night, nap) in totals.items()}
