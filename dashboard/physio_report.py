"""The report for a physiotherapist: one self-contained HTML page (no script, no links).

Page one, read in two minutes: the period, where the runner stands now (today's suggestion,
this week, the way back after an episode), pain over load and distance (two inline SVG charts,
:mod:`dashboard.report_charts`), each pain episode with what came before it
(:func:`analytics.episode_context.episode_contexts`), the warning signs reported, the runner's
notes and the three strongest related factors. The weekly table and finished personal
experiments follow on the next pages.

The dashboard shows it at ``/report`` (the Export page's print-friendly view), a share link
at ``/share/<token>`` and ``strideload report`` writes it to a file; all come from
:func:`physio_report_html`, so the report is replaced in this one place. The page carries its
own style sheet and no script: it prints as shown (A4 or Letter, the summary on one page),
opens offline and can be saved as one file. :data:`REPORT_CSP` is the Content-Security-Policy
it is served with (nothing but its own style may load).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from html import escape
from itertools import groupby

import polars as pl

from analytics.episode_context import EpisodeContext, day_words, episode_contexts
from analytics.report import Report
from analytics.suggestions import LABELS
from dashboard import export, service
from dashboard.a11y.tables import Table, table_html
from dashboard.data import display_units
from dashboard.experiment_view import report_section_html
from dashboard.factors_view import METHOD_NOTE, top_three
from dashboard.report_charts import pain_load_svg, weekly_distance_svg
from ingest.journal import FLAGS
from ingest.store import Store

#: Weeks a report covers unless asked otherwise.
REPORT_WEEKS = 12
#: Most episodes, dated signal lines per episode and notes that page one lists.
MAX_EPISODES, MAX_SIGNAL_LINES, MAX_NOTES = 3, 4, 6

REPORT_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1rem; color: #1f2328; font-size: 15px;
       line-height: 1.35; }
main { max-width: 60rem; margin: 0 auto; }
h1 { font-size: 1.35rem; margin: 0 0 .2rem; }
h2 { font-size: 1.05rem; margin: .8rem 0 .25rem; }
h3 { font-size: 1rem; margin: .6rem 0 .2rem; }
p, ul, ol { margin: .25rem 0; }
ul, ol { padding-left: 1.2rem; }
.muted { color: #57606a; }
.small { font-size: .85em; }
.now { border: 1px solid #d0d7de; border-radius: 6px; padding: .3rem .7rem; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: .5rem 1rem; }
figure { margin: 0; }
.report-chart { width: 100%; height: auto; display: block; }
.table-scroll { overflow-x: auto; }
.table-scroll:focus-visible { outline: 3px solid #0550ae; outline-offset: 2px; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
table { border-collapse: collapse; font-size: .8rem; width: 100%; }
th, td { border: 1px solid #999; padding: 2px 4px; text-align: left; vertical-align: top; }
@media (max-width: 700px) { .charts { grid-template-columns: 1fr; } }
@page { margin: 12mm; }
@page wide { size: landscape; }
@media print {
  .no-print { display: none; }
  body { margin: 0; font-size: 8.2pt; }
  main { max-width: none; }
  h1 { font-size: 13pt; } h2 { font-size: 10pt; margin-top: 5pt; } h3 { font-size: 9pt; }
  .summary { break-after: page; }
  .weekly { page: wide; }
  .charts { grid-template-columns: 1fr 1fr; }
  table { font-size: 7pt; }
  .table-scroll { overflow: visible; }
}
"""
_STYLE_HASH = base64.b64encode(hashlib.sha256(REPORT_STYLE.encode()).digest()).decode()
REPORT_CSP = (f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; base-uri 'none'; "
              "form-action 'none'; frame-ancestors 'none'")


def period_start(day: dt.date, weeks: int) -> dt.date:
    """The Monday ``weeks - 1`` weeks before the week of ``day``."""
    return day - dt.timedelta(days=day.weekday(), weeks=weeks - 1)


def _list(items: list[str], list_id: str, empty: str) -> str:
    if not items:
        return f'<p id="{list_id}" class="muted">{escape(empty)}</p>'
    return f'<ul id="{list_id}">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def now_html(store: Store, rep: Report, day: dt.date) -> str:
    """Today's suggestion with its reasons, this week so far and the way back after an
    episode."""
    advice = service.advice(store, day)
    reasons = " ".join(escape(r["text"]) for r in advice["reasons"] if not r["context"])
    week = rep.weekly(start=period_start(day, 1), end=day)
    parts = [f'<p id="report-suggestion"><strong>Suggestion for {day_words(day)}: '
             f'{escape(LABELS[advice["suggestion"]])}.</strong> {reasons}</p>']
    if week.height:
        w = week.row(0, named=True)
        longest = (f", longest {w['longest_run_m'] / 1000:.1f} km" if w["longest_run_m"]
                   else "")
        pain = (f"; pain {w['pain_mean']:.1f} on average, {w['pain_max']} at most "
                f"({w['pain_days']} rated days)" if w["pain_days"] else "; no pain rating yet")
        parts.append(f'<p id="report-week">This week (from {day_words(w["week_start"])}): '
                     f"{(w['run_distance_m'] or 0) / 1000:.1f} km running in {w['runs']} "
                     f"run{'s' if w['runs'] != 1 else ''}{longest}{pain}.</p>")
    status = advice["return_status"]
    if status["state"] != "none":
        parts.append(f'<p id="report-return">{escape(status["text"])}</p>')
    return '<div class="now"><h2>Now</h2>' + "".join(parts) + "</div>"


def _signal_lines(episode: EpisodeContext) -> list[str]:
    lines = []
    for (day, km), group in groupby(episode.signals, key=lambda s: (s.date, s.run_km)):
        texts = "; ".join(escape(s.text) for s in group)
        lines.append(f"{day_words(day)}, {km:.1f} km run: {texts}" if km is not None
                     else texts[0].upper() + texts[1:])
    return lines


def episodes_html(episodes: list[EpisodeContext], weeks_before: int) -> str:
    """Each episode in the period (newest :data:`MAX_EPISODES`) with its signals, and the
    thresholds they were flagged at."""
    if not episodes:
        return '<p id="report-episodes" class="muted">No pain episode in these weeks.</p>'
    items = []
    for episode in episodes[-MAX_EPISODES:]:
        lines = _signal_lines(episode)
        shown = lines[:MAX_SIGNAL_LINES] + ([f"and {len(lines) - MAX_SIGNAL_LINES} more"]
                                            if len(lines) > MAX_SIGNAL_LINES else [])
        before = (f"Before it (from {day_words(episode.lookback_start)}):" if shown else
                  f"No load or form flag from {day_words(episode.lookback_start)} to the "
                  "day before.")
        span = (day_words(episode.start) if episode.days == 1
                else f"{day_words(episode.start)} to {day_words(episode.end)}")
        items.append(f"<li><strong>{span} {episode.start.year}</strong> ({episode.days} "
                     f"day{'s' if episode.days > 1 else ''}, peak {episode.peak}/10 on "
                     f"{day_words(episode.peak_date)}). {before}"
                     + ("<ul>" + "".join(f"<li>{line}</li>" for line in shown) + "</ul>"
                        if shown else "") + "</li>")
    earlier = len(episodes) - MAX_EPISODES
    thresholds = sorted({f"{s.kind.replace('_', ' ')} {s.threshold}" for e in episodes
                         for s in e.signals})
    return (f'<ul id="report-episodes">{"".join(items)}</ul>'
            + (f'<p class="muted small">{earlier} earlier episode(s) in these weeks.</p>'
               if earlier > 0 else "")
            + (f'<p class="muted small">Flagged at: {escape("; ".join(thresholds))}. Looked '
               f"back {weeks_before} weeks, not into the episode before. What came before, "
               "not a cause.</p>" if thresholds else ""))


def journal_html(journal: pl.DataFrame, first: dt.date, day: dt.date) -> str:
    """The warning signs reported and the runner's notes in the period (at most
    :data:`MAX_NOTES`: those of days with a warning sign, then of the most painful days)."""
    period = journal.filter(pl.col("date").is_between(first, day)).sort("date")
    flagged = [f"{day_words(r['date'])}: "
               + escape(", ".join(FLAGS.get(name, name) for name in r["red_flags"]))
               for r in period.iter_rows(named=True) if r["red_flags"]]
    noted = [r for r in period.iter_rows(named=True) if (r["note"] or "").strip()]
    # days with a warning sign first, then the most painful, then the newest; a repeated
    # note once; shown newest first
    ranked = sorted(noted, key=lambda r: (bool(r["red_flags"]), r["level"], r["date"]),
                    reverse=True)
    unique: dict[str, dict] = {}
    for r in ranked:
        unique.setdefault(r["note"].strip().lower(), r)
    picked = sorted(list(unique.values())[:MAX_NOTES], key=lambda r: r["date"], reverse=True)
    notes = [f"{day_words(r['date'])} ({escape(r['area'])} {r['level']}/10): "
             f"{escape(r['note'].strip())}" for r in picked]
    more = (f'<p class="muted small">{len(picked)} of {len(noted)} notes: those of the most '
            "painful days.</p>" if len(noted) > len(picked) else "")
    signs = "; ".join(flagged) if flagged else "none in these weeks"
    return (f'<p id="report-red-flags"><strong>Warning signs reported:</strong> {signs}.</p>'
            "<h2>The runner's notes</h2>"
            + _list(notes, "report-notes", "No notes in these weeks.") + more)


def summary_html(store: Store, rep: Report, day: dt.date, weeks: int) -> str:
    """Page one: everything but the weekly table."""
    first = period_start(day, weeks)
    s = rep.settings
    daily = rep.daily_rows(first, day)
    weekly = rep.weekly(start=first, end=day)
    contexts = [e for e in episode_contexts(rep.daily_rows(end=day), rep.runs, s)
                if e.end >= first]
    factors = "".join(f"<li>{escape(text)}</li>" for text in top_three(service.factors(store,
                                                                                       day)))
    return (
        '<section class="summary">'
        f"<h1>Running and back pain, {day_words(first)} {first.year} to {day_words(day)} "
        f"{day.year}</h1>"
        f'<p class="muted">strideload, a report for a physiotherapist: {weeks} weeks. Loads '
        "in HRSS points (100 = one hour at threshold heart rate); pain as the runner rated it "
        "(0-10). Describes training; not a diagnosis.</p>"
        f"{now_html(store, rep, day)}"
        "<h2>Pain, training load and distance</h2>"
        f'<div class="charts"><figure>{pain_load_svg(daily, [(e.start, e.end) for e in contexts])}'
        '</figure><figure>' + weekly_distance_svg(weekly) + "</figure></div>"
        '<p class="muted small">Left: daily load (running dark, cross-training light blue), '
        "pain (orange, right axis 0-10), pain episodes shaded. Right: weekly running km and "
        "the week's highest pain.</p>"
        "<h2>Pain episodes and what came before</h2>"
        f"{episodes_html(contexts, s.integer('return_baseline_weeks'))}"
        f"{journal_html(store.pain(), first, day)}"
        f"<h2>{escape(export.FACTORS_HEADING)}</h2>"
        f'<ol id="report-factors">{factors}</ol>'
        f'<p class="muted small">{escape(METHOD_NOTE)}</p>'
        "</section>"
    )


def physio_report_html(store: Store, day: dt.date, footer: str | None = None,
                       weeks: int = REPORT_WEEKS) -> str:
    """The report of the ``weeks`` weeks up to ``day`` as a complete HTML document: page one
    (:func:`summary_html`), then one table row per week (oldest first; the columns of
    :func:`dashboard.export.markdown_rows`), finished personal experiments
    (:func:`dashboard.experiment_view.report_section_html`) and ``footer`` (plain text) if
    given."""
    body = ""
    if store.count():
        rep = service.report(store, end=day)
        rows = export.markdown_rows(rep.weekly(start=period_start(day, weeks), end=day),
                                    display_units(store))
        if rows:
            table = Table.from_dicts("Week by week, oldest first", rows, row_headers=False)
            body = (summary_html(store, rep, day, weeks) + '<section class="weekly">'
                    f"<h2>Week by week ({len(rows)} weeks up to {day:%d %B %Y})</h2>"
                    + table_html(table, "report-table"))
    if not body:
        body = ('<section class="weekly"><h1>Running and back pain</h1>'
                '<p class="muted">strideload: no weeks with data yet.</p>')
    body += report_section_html(store, day) + "</section>"
    closing = f'<p class="muted">{escape(footer)}</p>' if footer else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex"><title>Running and back pain: report for a '
        "physiotherapist</title>"
        f"<style>{REPORT_STYLE}</style></head><body><main>"
        '<p class="muted no-print">Print it with your browser\'s Print command (page one is '
        "the summary; the weekly table follows).</p>"
        f"{body}{closing}</main></body></html>"
    )
