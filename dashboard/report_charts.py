"""The physiotherapist's report's two charts as inline SVG: no script, nothing to load.

The report is one self-contained page that prints as shown and opens offline (and is served
with a policy that lets nothing but its own style load), so its charts are drawn here as SVG
text rather than with plotly: daily training load with the pain rating over it, and weekly
running distance with the week's highest pain. Colours are attributes, not ``style``, and each
chart is an ``img`` with a title that says what it shows. Pure functions of the report's
frames.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from html import escape

import polars as pl

from dashboard.a11y.palette import BLUE, GREY, INK, SKY, VERMILLION
from ingest import scalars

WIDTH, HEIGHT = 480, 160
LEFT, RIGHT, TOP, BOTTOM = 34, 24, 18, 18
#: Episode days behind the bars.
EPISODE_FILL = "#fbe3d3"


def nice_step(top: float, ticks: int = 4) -> float:
    """A 1-2-5 step that covers 0..``top`` in at most ``ticks`` steps.

    >>> nice_step(137), nice_step(9.0), nice_step(0)
    (50.0, 5.0, 1.0)
    """
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


class _Frame:
    """Day positions and value scales of one chart."""

    def __init__(self, first: dt.date, days: int, top: float):
        self.first, self.days = first, max(days, 1)
        self.step = nice_step(top)
        self.top = max(self.step * math.ceil(top / self.step), self.step)
        self.plot_w, self.plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(self, day: dt.date, offset: float = 0.0) -> float:
        return LEFT + ((day - self.first).days + offset) * self.plot_w / self.days

    def y(self, value: float) -> float:
        return TOP + self.plot_h * (1 - value / self.top)

    @staticmethod
    def pain_y(value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / 10.4)

    def day_width(self) -> float:
        return self.plot_w / self.days


def _axes(frame: _Frame, unit: str, labels: Sequence[tuple[dt.date, str]]) -> list[str]:
    """Grid lines with the left (load or km) and right (pain 0-10) ticks, and the date labels."""
    parts = []
    value = 0.0
    while value <= frame.top + 1e-9:
        y = frame.y(value)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#d0d7de" stroke-width="0.6"/>'
                     f'<text x="{LEFT - 4}" y="{y + 3:.1f}" text-anchor="end">{value:g}</text>')
        value += frame.step
    for pain in range(0, 11, 2):
        parts.append(f'<text x="{WIDTH - RIGHT + 4}" y="{frame.pain_y(pain) + 3:.1f}" '
                     f'fill="{VERMILLION}">{pain}</text>')
    parts.append(f'<text x="2" y="9" fill="{GREY}">{escape(unit)}</text>'
                 f'<text x="{WIDTH - 2}" y="9" text-anchor="end" '
                 f'fill="{VERMILLION}">pain</text>')
    for day, text in labels:
        parts.append(f'<text x="{frame.x(day):.1f}" y="{HEIGHT - 5}">{escape(text)}</text>')
    return parts


def _pain_line(frame: _Frame, points: Sequence[tuple[dt.date, float]], offset: float) -> list[str]:
    if not points:
        return []
    xy = [(frame.x(day, offset), frame.pain_y(value)) for day, value in points]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    marks = "".join(f'<rect x="{x - 2:.1f}" y="{y - 2:.1f}" width="4" height="4" '
                    f'fill="{VERMILLION}"/>' for x, y in xy)
    return [f'<polyline points="{line}" fill="none" stroke="{VERMILLION}" '
            f'stroke-width="1.6"/>{marks}']


def _svg(chart_id: str, title: str, parts: list[str]) -> str:
    return (f'<svg id="{chart_id}" class="report-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'role="img" aria-labelledby="{chart_id}-title" font-size="11" '
            f'font-family="system-ui, sans-serif" fill="{INK}">'
            f'<title id="{chart_id}-title">{escape(title)}</title>{"".join(parts)}</svg>')


def _labels(first: dt.date, last: dt.date, every_days: int) -> list[tuple[dt.date, str]]:
    monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    return [(day, f"{day.day} {day:%b}") for day in
            (monday + dt.timedelta(days=k) for k in range(0, (last - monday).days + 1,
                                                           every_days))]


def pain_load_svg(daily: pl.DataFrame, episodes: Sequence[tuple[dt.date, dt.date]] = ()
                  ) -> str:
    """Daily running and cross-training load (stacked bars, HRSS points), the pain rating
    (line, 0-10, right axis) and the pain episodes (shaded) over the days of ``daily``
    (``date``, ``running_load``, ``cross_load``, ``pain``)."""
    first, last = scalars.day(daily["date"].min()), scalars.day(daily["date"].max())
    days = (last - first).days + 1
    loads = daily.select("date", pl.col("running_load").fill_null(0),
                         pl.col("cross_load").fill_null(0), "pain")
    top = scalars.number_or_none((loads["running_load"] + loads["cross_load"]).max()) or 0.0
    frame = _Frame(first, days, top)
    parts = []
    for start, end in episodes:
        start, end = max(start, first), min(end, last)
        if start <= end:
            parts.append(f'<rect x="{frame.x(start):.1f}" y="{TOP}" '
                         f'width="{frame.x(end, 1) - frame.x(start):.1f}" '
                         f'height="{frame.plot_h}" fill="{EPISODE_FILL}"/>')
    parts += _axes(frame, "load", _labels(first, last, 14 if days > 63 else 7))
    width = frame.day_width() * 0.8
    for day, running, cross, _ in loads.iter_rows():
        x = frame.x(day, 0.1)
        for low, high, color in ((0, running, BLUE), (running, running + cross, SKY)):
            if high > low:
                parts.append(f'<rect x="{x:.1f}" y="{frame.y(high):.1f}" width="{width:.1f}" '
                             f'height="{frame.y(low) - frame.y(high):.1f}" fill="{color}"/>')
    rated = [(day, float(pain)) for day, _, _, pain in loads.iter_rows() if pain is not None]
    parts += _pain_line(frame, rated, 0.5)
    title = (f"Daily training load (running dark blue, cross-training light blue bars, HRSS "
             f"points) and pain 0-10 (orange line), {first} to {last}"
             + ("; pain episodes shaded" if episodes else ""))
    return _svg("report-pain-load", title, parts)


def weekly_distance_svg(weekly: pl.DataFrame) -> str:
    """Weekly running distance (bars, km) and the week's highest pain (line, 0-10, right
    axis) for the rows of ``weekly`` (``week_start``, ``run_distance_m``, ``pain_max``)."""
    first = scalars.day(weekly["week_start"].min())
    weeks = weekly.height
    km = weekly.select("week_start", (pl.col("run_distance_m").fill_null(0) / 1000),
                       "pain_max")
    frame = _Frame(first, 7 * weeks, scalars.number_or_none(km["run_distance_m"].max()) or 0.0)
    every = 14 if weeks > 9 else 7
    parts = _axes(frame, "km", _labels(first, first + dt.timedelta(weeks=weeks - 1), every))
    width = frame.day_width() * 7 * 0.7
    for start, distance, _ in km.iter_rows():
        if distance:
            parts.append(f'<rect x="{frame.x(start, 1):.1f}" y="{frame.y(distance):.1f}" '
                         f'width="{width:.1f}" height="{frame.y(0) - frame.y(distance):.1f}" '
                         f'fill="{BLUE}"/>')
    pains = [(start, float(pain)) for start, _, pain in km.iter_rows() if pain is not None]
    parts += _pain_line(frame, pains, 3.5)
    title = (f"Weekly running distance (bars, km) and the week's highest pain 0-10 (orange "
             f"line), {weeks} weeks from {first}")
    return _svg("report-weekly-distance", title, parts)
