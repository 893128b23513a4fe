"""Recovery pieces shared by Today, Load and the Recovery page: the signal statuses, the Load
page's recovery context and the morning check-in form (with its callback: a thin wrapper
around :func:`ingest.wellness.checkin`)."""

from __future__ import annotations

import datetime as dt

import dash
import polars as pl
from dash import Input, Output, State, callback, dcc, html

from analytics.recovery_status import SignalStatus, recovery_status
from dashboard import preferences, service
from dashboard.components import attrs, stat
from dashboard.data import open_store, today
from dashboard.export import hours_minutes
from ingest import scalars
from ingest.wellness.checkin import MAX_SLEEP_H, checkin
from ingest.wellness.records import RANGES, WellnessError
from ingest.wellness.store import add_batch

TITLES = {"hrv": "HRV", "resting_hr": "Resting heart rate", "sleep": "Sleep"}
SOURCE_WORDS = {"fit": "the watch's files", "garmin_export": "Garmin Connect",
                "apple_health": "Apple Health", "csv": "intervals.icu CSV",
                "manual": "your check-in"}
QUALITY = {1: "1 excellent", 2: "2 good", 3: "3 average", 4: "4 poor"}
SORENESS = {0: "0 none", 1: "1 mild", 2: "2 moderate", 3: "3 severe", 4: "4 extreme"}


def source_words(source: str | None) -> str:
    """'Garmin Connect + your check-in' for 'garmin_export+manual'."""
    return " + ".join(SOURCE_WORDS.get(s, s) for s in (source or "").split("+") if s)


def status_item(status: SignalStatus) -> html.Li:
    """One signal: title, sentence, grade of its threshold, the device's own status, source."""
    parts: list = [html.Strong(TITLES[status.signal] + ": "), html.Span(status.text)]
    if status.state not in ("no_data",):
        parts.append(html.Span(f" {status.grade}", className=f"grade grade-{status.grade}",
                               title=status.evidence))
    if status.device_status:
        parts.append(html.Div(f"Garmin's own HRV status: {status.device_status} (Garmin's "
                              "verdict, shown beside ours)", className="muted small"))
    if status.source:
        parts.append(html.Div(f"From {source_words(status.source)}; threshold: "
                              f"{status.evidence}.", className="muted small"))
    return html.Li(parts, className=f"recovery-{status.state}",
                   **attrs({"data-signal": status.signal, "data-state": status.state}))


def status_list(statuses: list[SignalStatus], element_id: str) -> html.Ul:
    return html.Ul([status_item(s) for s in statuses], id=element_id, className="recovery-list")


#: Days up to the last day of the Load page's range that its recovery context averages.
CONTEXT_DAYS = 7
#: (label, column of :func:`dashboard.service.recovery`, unit) of the recovery context.
CONTEXT_SIGNALS = (("resting HR", "resting_hr_bpm", "bpm"), ("HRV (RMSSD)", "hrv_rmssd_ms", "ms"),
                   ("HRV (SDNN)", "hrv_sdnn_ms", "ms"), ("sleep", "sleep_s", "h:mm"))


def recovery_context(daily: pl.DataFrame, end: dt.date) -> list:
    """The Load page's recovery context: the mean of each signal over the
    :data:`CONTEXT_DAYS` days to ``end`` (days that have it), with the sources. Descriptive
    only - no readiness score; [] when none of those days has a value.

    ``daily``: rows of :func:`dashboard.service.recovery` (``date``, the signal columns of
    :data:`CONTEXT_SIGNALS`, ``source``).
    """
    start = end - dt.timedelta(days=CONTEXT_DAYS - 1)
    week = daily.filter(pl.col("date").is_between(start, end))
    stats = []
    for label, column, unit in CONTEXT_SIGNALS:
        values = week[column].drop_nulls() if column in week.columns else pl.Series([])
        if values.len():
            mean = scalars.number(values.mean())
            text = hours_minutes(mean) if unit == "h:mm" else f"{mean:.0f} {unit}"
            stats.append(stat(f"{label}, mean of {values.len()} of {CONTEXT_DAYS} days",
                              f"{text}{' h' if unit == 'h:mm' else ''}"))
    if not stats:
        return []
    sources = "+".join(sorted({s for value in week["source"].drop_nulls()
                               for s in value.split("+")}))
    return [
        html.H2("Recovery context"),
        html.Div(stats, className="stats"),
        html.P([f"{start:%d %b} to {end:%d %b %Y}, from {source_words(sources)}. How you "
                "recovered, beside the load; not a readiness score. Each signal against your "
                "own normal is on the ", dcc.Link("Recovery", href="/recovery"), " page."],
               className="muted small"),
    ]


def today_statuses(day: dt.date) -> list[SignalStatus] | None:
    """The signals as of ``day``; None when nothing is stored."""
    with open_store() as store:
        daily = service.recovery(store, end=day)
        if daily.is_empty():
            return None
        return recovery_status(daily, day, preferences.load_settings(store))


def _number(element_id: str, width: str = "6rem") -> dcc.Input:
    """A number box without min/max: the browser would drop a value outside them silently;
    the check-in's validation names the range instead (the labels show it)."""
    return dcc.Input(id=element_id, type="number", step="any", style={"width": width})


def _field(label: str, control, element_id: str) -> html.Div:
    return html.Div([html.Label(label, htmlFor=element_id), control], className="checkin-field")


def _choice(legend: str, element_id: str, options: dict, value: str | None = None
            ) -> html.Fieldset:
    """Radio buttons (native inputs: arrow keys choose) under a legend."""
    return html.Fieldset([
        html.Legend(legend),
        dcc.RadioItems(id=element_id, value=value, inline=True, className="choices",
                       options=[{"label": f" {text}", "value": key}
                                for key, text in options.items()]),
    ], className="checkin-field")


def checkin_form(day: dt.date) -> html.Div:
    """Resting HR, HRV and its kind, hours slept, sleep quality 1-4, soreness 0-4, Save."""
    rhr_low, rhr_high = RANGES["resting_hr_bpm"][:2]
    hrv_low, hrv_high = RANGES["hrv_rmssd_ms"][:2]
    return html.Div([
        html.H2("Morning check-in"),
        html.P("Only if your watch does not record these (a watch's values for the day are "
               "preferred). Leave out what you do not know.", className="muted small"),
        html.Div([
            _field(f"Resting HR (bpm, {rhr_low:g}-{rhr_high:g})",
                   _number("checkin-rhr"), "checkin-rhr"),
            _field(f"HRV (ms, {hrv_low:g}-{hrv_high:g})", _number("checkin-hrv"),
                   "checkin-hrv"),
            _choice("HRV kind", "checkin-hrv-kind", {"rmssd": "RMSSD", "sdnn": "SDNN"},
                    "rmssd"),
            _field(f"Hours slept (0-{MAX_SLEEP_H:g})",
                   _number("checkin-sleep"), "checkin-sleep"),
            _choice("Sleep quality", "checkin-quality", QUALITY),
            _choice("Soreness", "checkin-soreness", SORENESS),
        ], className="form"),
        html.Div([
            html.Button("Save check-in", id="checkin-save", n_clicks=0, className="button"),
            html.Span(id="checkin-saved", className="muted", role="status"),
        ], className="form"),
        dcc.Store(id="checkin-date", data=day.isoformat()),
    ], className="card no-print", id="checkin")


@callback(
    Output("today-recovery", "children"),
    Output("checkin-saved", "children"),
    Input("checkin-save", "n_clicks"),
    State("checkin-rhr", "value"),
    State("checkin-hrv", "value"),
    State("checkin-hrv-kind", "value"),
    State("checkin-sleep", "value"),
    State("checkin-quality", "value"),
    State("checkin-soreness", "value"),
    State("checkin-date", "data"),
    prevent_initial_call=True,
)
def save_checkin(_clicks: int, rhr, hrv, hrv_kind, sleep_h, quality, soreness, day: str):
    with open_store() as store:
        try:
            batch = checkin(day, rhr=rhr, hrv=hrv, hrv_kind=hrv_kind or "rmssd",
                            sleep_h=sleep_h, sleep_quality=quality, soreness=soreness,
                            today=today(store))
        except WellnessError as exc:
            return dash.no_update, f"Not saved: {exc}."
        add_batch(store, batch, "hand entry")
    date = dt.date.fromisoformat(day)
    return recovery_summary(today_statuses(date)), f"Saved the check-in for {date:%d %b}."


def recovery_summary(statuses: list[SignalStatus] | None) -> html.Div | html.P:
    """Today's recovery card body: the three signals, or what to import."""
    if statuses is None:
        return html.P(["No sleep, resting HR or HRV yet: upload your Garmin or Apple Health "
                       "export or the watch's GARMIN/Monitor, Sleep and HRV files on the ",
                       dcc.Link("Upload", href="/upload"), " page, or use the check-in below."],
                      className="muted")
    return html.Div([status_list(statuses, "today-recovery-list"),
                     dcc.Link("See recovery beside your pain", href="/recovery",
                              className="link-block")])
