"""The report for a physiotherapist: one self-contained HTML page (no script, no links).

The dashboard shows it at ``/report`` (the Export page's print-friendly view) and a share link
shows it at ``/share/<token>``; both come from :func:`physio_report_html`, so the report is
replaced in this one place. The page carries its own style sheet and no script: it prints as
shown and can be saved as one file. :data:`REPORT_CSP` is the Content-Security-Policy it is
served with (nothing but its own style may load).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from html import escape

from dashboard import export, service
from dashboard.a11y.tables import Table, table_html
from dashboard.data import display_units
from dashboard.experiment_view import report_section_html
from dashboard.factors_view import METHOD_NOTE, top_three
from ingest.store import Store

REPORT_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1rem; color: #1f2328; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
.muted { color: #57606a; }
.table-scroll { overflow-x: auto; }
.table-scroll:focus-visible { outline: 3px solid #0550ae; outline-offset: 2px; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
table { border-collapse: collapse; font-size: .8rem; width: 100%; }
th, td { border: 1px solid #999; padding: 2px 4px; text-align: left; vertical-align: top; }
@page { size: landscape; margin: 10mm; }
@media print { .no-print { display: none; } table { font-size: 7pt; } body { margin: 0; } }
"""
_STYLE_HASH = base64.b64encode(hashlib.sha256(REPORT_STYLE.encode()).digest()).decode()
REPORT_CSP = (f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; base-uri 'none'; "
              "form-action 'none'; frame-ancestors 'none'")


def physio_report_html(store: Store, day: dt.date, footer: str | None = None) -> str:
    """The weekly summary up to ``day`` as a complete HTML document: heading, how to read it,
    one table row per week (oldest first; the columns of
    :func:`dashboard.export.markdown_rows`), the three strongest factors related to the pain,
    finished personal experiments (:func:`dashboard.experiment_view.report_section_html`) and
    ``footer`` (plain text) if given."""
    rows = []
    if store.count():
        rows = export.markdown_rows(service.report(store, end=day).weekly(),
                                    display_units(store))
    if rows:
        intro = (f"strideload, {len(rows)} weeks up to {day:%d %B %Y}. Loads in HRSS points "
                 "(100 = one hour at threshold). Describes training; not a diagnosis.")
        factors = "".join(f"<li>{escape(text)}</li>"
                          for text in top_three(service.factors(store, day)))
        weeks = Table.from_dicts("Week by week, oldest first", rows, row_headers=False)
        body = (table_html(weeks, "report-table") + f"<h2>{escape(export.FACTORS_HEADING)}</h2>"
                f'<ol id="report-factors">{factors}</ol>'
                f'<p class="muted">{escape(METHOD_NOTE)}</p>')
    else:
        intro, body = "strideload: no weeks with data yet.", ""
    body += report_section_html(store, day)
    closing = f'<p class="muted">{escape(footer)}</p>' if footer else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex"><title>Weekly training summary</title>'
        f"<style>{REPORT_STYLE}</style></head><body><main>"
        f'<h1>Weekly summary</h1><p class="muted">{escape(intro)}</p>'
        '<p class="muted no-print">Print it with your browser\'s Print command.</p>'
        f"{body}{closing}</main></body></html>"
    )
