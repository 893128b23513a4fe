"""Recovery: HRV with its normal band, resting heart rate, sleep and the pain line by day."""

from __future__ import annotations

import datetime as dt

import dash
import polars as pl
from dash import dcc, html

from analytics.recovery_status import recovery_status
from dashboard import preferences, service
from dashboard.a11y.charts import chart
from dashboard.a11y.tables import Table, html_table
from dashboard.components import empty_state
from dashboard.data import open_store, today
from dashboard.figures_recovery import recovery_figure, recovery_text
from dashboard.recovery_panel import source_words, status_list
from dashboard.recovery_tables import recovery_rows

#: Days shown in the chart (zoom out with the toolbar is not needed: older days are in the CLI).
DAYS_SHOWN = 90
#: Days listed in the table of numbers under the chart.
DAYS_LISTED = 14


def empty() -> html.Div:
    return empty_state(
        "No recovery data yet",
        html.Div(["Upload your Garmin or Apple Health export (.zip), or the files in your "
                  "watch's GARMIN/Monitor, GARMIN/Sleep and HRV folders, on the ",
                  dcc.Link("Upload", href="/upload"), " page. Or log a morning check-in "
                  "(resting HR, HRV, hours slept) on the ", dcc.Link("Today", href="/"),
                  " page."]),
        "An intervals.icu wellness CSV works too: strideload wellness import FILE.",
    )


def numbers_table(rows: list[dict[str, str]]) -> html.Div:
    """The chart's numbers for the last days, newest first (scrolls sideways on a phone)."""
    return html_table(Table.from_dicts(f"The last {DAYS_LISTED} days, newest first", rows),
                      "recovery-table")


def sdnn_note(daily: pl.DataFrame) -> list[html.P]:
    """Why Apple Health's HRV is shown but not judged (when any day has SDNN)."""
    if not daily["hrv_sdnn_ms"].is_not_null().any():
        return []
    return [html.P("Apple Health gives HRV as SDNN, a different measure from the overnight "
                   "RMSSD that the HRV status and your normal band use: SDNN is shown beside "
                   "them (open diamonds in the chart, a column in the table), not compared "
                   "with a band.", id="recovery-sdnn-note", className="muted small")]


def layout(**_: object) -> html.Div:
    with open_store() as store:
        day = today(store)
        daily = service.recovery(store, end=day)
        settings = preferences.load_settings(store)
    if daily.is_empty():
        return html.Div([html.H1("Recovery"), empty()])
    shown = daily.filter(pl.col("date") > day - dt.timedelta(days=DAYS_SHOWN))
    sources = sorted({s for value in daily["source"].drop_nulls() for s in value.split("+")})
    return html.Div([
        html.H1("Recovery"),
        html.P("Overnight HRV, resting heart rate and sleep beside your back pain, each against "
               "your own normal. They describe how you recovered; they are not a diagnosis.",
               className="muted"),
        status_list(recovery_status(daily, day, settings), "recovery-status"),
        *sdnn_note(daily),
        html.H2(f"The last {DAYS_SHOWN} days"),
        html.P("From top: HRV each night (dots), its 7-day mean (line) and your normal band "
               "(shaded); resting HR with its 30-day median (dotted); hours asleep per night "
               "(amber: short nights); your pain rating. Hover for the numbers.",
               className="muted small"),
        chart("recovery-chart", recovery_figure(shown, settings), recovery_text(shown, settings),
              config={"responsive": True}, style={"width": "100%"}),
        html.H2(f"The last {DAYS_LISTED} days in numbers"),
        numbers_table(recovery_rows(shown.filter(pl.col("date") > day - dt.timedelta(
            days=DAYS_LISTED)))),
        html.P(f"Sources: {source_words('+'.join(sources))}. When two give the same day, the "
               "watch's value is used before the phone's before a check-in.",
               className="muted small"),
    ])


def register() -> None:
    dash.register_page(__name__, path="/recovery", name="Recovery", title="Recovery",
                       layout=layout)
