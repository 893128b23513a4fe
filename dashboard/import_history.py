"""The import history (Upload page): each import - a watch pass, an upload, an ``import``
command - with its counts, and its imported and rejected files with the reasons."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from dash import html

from dashboard.import_text import report_text
from ingest.store import Store
from ingest.watch.state import Pass, pass_reports, recent_passes

#: Imports shown (newest first).
SHOWN_PASSES = 15


def pass_title(entry: Pass, zone: zoneinfo.ZoneInfo) -> str:
    """'Thu 03 Dec 09:52, from your watch: 2 imported, 1 rejected'."""
    at = dt.datetime.fromisoformat(entry.at).astimezone(zone)
    counts = [f"{entry.imported} imported"]
    if entry.duplicates:
        counts.append(f"{entry.duplicates} already there")
    if entry.rejected:
        counts.append(f"{entry.rejected} rejected")
    return f"{at:%a %d %b %H:%M}, from {entry.label()}: {', '.join(counts)}"


def pass_details(store: Store, entry: Pass, zone: zoneinfo.ZoneInfo) -> html.Details:
    """One import, opened to show its imported and rejected files (duplicates counted)."""
    lines = [html.Li(report_text(r), className=f"upload-{r.status}")
             for r in pass_reports(store, entry.id) if r.status != "duplicate"]
    return html.Details([html.Summary(pass_title(entry, zone)), html.Ul(lines)],
                        open=bool(entry.rejected), className="import-pass")


def history(store: Store) -> list[html.Details] | html.P:
    """The newest imports, or a line saying there were none yet."""
    passes = recent_passes(store, SHOWN_PASSES)
    if not passes:
        return html.P("Nothing imported yet.", className="muted")
    zone = zoneinfo.ZoneInfo(store.time_zone())
    return [pass_details(store, entry, zone) for entry in passes]
