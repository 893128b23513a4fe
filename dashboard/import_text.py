"""Words for import results: one line per file, and the watch notice (pure, light: used by the
command line and the web app)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from ingest.import_report import FileReport
from ingest.watch.state import Pass


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def report_text(report: FileReport, full_path: bool = False) -> str:
    """'imported run.fit: 1 activity (warnings)' or 'rejected x.gpx: reason'."""
    name = report.file if full_path else PurePath(report.file).name or report.file
    if report.status != "imported":
        return f"{report.status} {name}: {report.reason}"
    text = f"imported {name}: " + (
        _count(report.wellness_days, "wellness day", "wellness days") if report.wellness_days
        else _count(report.activities, "activity", "activities"))
    if report.gear:
        text += ", gear " + ", ".join(report.gear)
    if report.warnings:
        text += " (" + "; ".join(report.warnings) + ")"
    return text


def arrivals_text(runs: int, others: int, wellness_days: int) -> str:
    """'2 new runs', '1 new run and 1 other activity', '... and sleep or HRV for 3 days'."""
    parts = []
    if runs:
        parts.append(_count(runs, "new run", "new runs"))
    if others:
        parts.append(_count(others, "other activity" if runs else "new activity",
                            "other activities" if runs else "new activities"))
    if wellness_days:
        parts.append(f"sleep, resting HR or HRV for {_count(wellness_days, 'day', 'days')}")
    return " and ".join(parts)


def notice_lines(passes: Sequence[Pass]) -> list[str]:
    """The dashboard notice: one line per source of new files, then one for rejections,
    e.g. '2 new runs imported from your watch.'"""
    lines = []
    for label in dict.fromkeys(p.label() for p in passes):
        mine = [p for p in passes if p.label() == label]
        runs = sum(p.runs for p in mine)
        arrived = arrivals_text(runs, sum(p.activities for p in mine) - runs,
                                sum(p.wellness_days for p in mine))
        if arrived:
            lines.append(f"{arrived[0].upper()}{arrived[1:]} imported from {label}.")
    rejected = sum(p.rejected for p in passes)
    if rejected:
        lines.append(f"{_count(rejected, 'file', 'files')} could not be imported; the reason "
                     "is in the import history.")
    return lines
