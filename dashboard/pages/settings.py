"""Settings: the athlete profile (entered or estimated), units, analytics thresholds; backup."""

from __future__ import annotations

import tempfile
import zoneinfo
from pathlib import Path
from typing import Any, Literal

import dash
from dash import Input, Output, State, callback, dcc, html
from flask import current_app

from analytics.settings import SETTINGS
from dashboard import inputs, preferences, service, watch_settings
from dashboard.a11y.grid import column, data_grid
from dashboard.data import DATA_DIR_KEY, open_store, today
from ingest.backup import BackupError, write_backup

PROFILE_INPUTS: tuple[tuple[str, str, Literal["number", "text"]], ...] = (  # field, label, type
    ("birth_year", "Birth year", "number"),
    ("hr_max", "Maximal heart rate (bpm)", "number"),
    ("hr_rest", "Resting heart rate (bpm)", "number"),
    ("lthr", "Lactate-threshold heart rate (bpm)", "number"),
    ("threshold_pace_s_per_km", "Threshold pace (m:ss per km)", "text"),
)


def _text(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(value)
    return "" if value is None else str(value)


#: The thresholds grid: only the value is edited; long texts wrap.
THRESHOLD_COLUMNS = [
    column("name"),
    column("value", editable=True, cellClass="editable-cell"),
    column("default"), column("unit"), column("range"), column("grade"),
    column("source", wrapText=True, autoHeight=True, width=260, suppressAutoSize=True),
    column("help", wrapText=True, autoHeight=True, width=320, suppressAutoSize=True),
]
#: Settings with a fixed set of choices (conventions) get a dropdown each.
CONVENTIONS = [s for s in SETTINGS.values() if s.kind == "choice"]


def threshold_rows(values) -> list[dict[str, str]]:
    """One row per numeric or list setting: current value, default, unit, source and grade."""
    return [
        {"name": s.name, "value": _text(values[s.name]), "default": _text(s.default),
         "unit": s.unit, "range": s.range_text(), "grade": s.grade, "source": s.source,
         "help": s.help}
        for s in SETTINGS.values() if s.kind != "choice"
    ]


def convention_fields(values) -> list[html.Div]:
    """A dropdown per convention (ACWR method, EWMA convention, ...) with its source."""
    return [
        html.Div([
            html.Label(f"{s.help} (default {s.default}; {s.source} [{s.grade}])",
                       htmlFor=f"settings-{s.name}"),
            dcc.Dropdown(id=f"settings-{s.name}", options=list(s.choices or ()),
                         value=values[s.name],
                         clearable=False, style={"width": "20rem"}),
        ], className="field")
        for s in CONVENTIONS
    ]


def _pace(seconds: float | None) -> str:
    return "" if seconds is None else f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def layout(**_: object) -> html.Div:
    with open_store() as store:
        entered = preferences.load_profile(store)
        resolved = service.report(store).profile.as_dict()
        values = preferences.load_settings(store)
        zone = store.time_zone()
    hints: dict[str, Any] = {name: resolved[name] for name in ("hr_max", "hr_rest", "lthr")}
    fields = []
    for name, label, kind in PROFILE_INPUTS:
        value = getattr(entered, name)
        if name == "threshold_pace_s_per_km":
            value = _pace(value)
        hint = hints.get(name)
        note = ""
        if hint and hint["estimated"] and hint["value"] is not None:
            note = f"estimated {hint['value']:.0f} ({hint['source']})"
        fields.append(html.Div([
            html.Label(label, htmlFor=f"settings-{name}"),
            dcc.Input(id=f"settings-{name}", type=kind, value=value, debounce=True),
            html.Span(note, className="muted small"),
        ], className="field"))
    return html.Div([
        html.H1("Settings"),
        html.H2("Athlete profile"),
        html.P("Leave a value empty to let strideload estimate it from your data "
               "(shown next to the field).", className="muted"),
        html.Div([
            html.Label("Sex (selects the TRIMP constants)", htmlFor="settings-sex"),
            dcc.Dropdown(id="settings-sex", options=["female", "male", "unknown"],
                         value=entered.sex, clearable=False, style={"width": "12rem"}),
        ], className="field"),
        *fields,
        html.Div([
            html.Label("Time zone (decides the calendar day of activities without one)",
                       htmlFor="settings-time_zone"),
            dcc.Dropdown(id="settings-time_zone", value=zone, clearable=False,
                         options=sorted(zoneinfo.available_timezones()),
                         style={"width": "20rem"}),
        ], className="field"),
        html.Fieldset([
            html.Legend("Units"),
            dcc.RadioItems(id="settings-units", options=["metric", "imperial"],
                           value=entered.units, inline=True, className="choices"),
        ], className="fieldset"),
        html.H2("Conventions"),
        *convention_fields(values),
        html.H2("Thresholds"),
        html.P(["Edit a value to change it; type 'default' to restore the default. Sources and "
                "evidence grades (V verified, P partly, U unverified, H heuristic) are "
                "explained on the ", dcc.Link("Methods", href="/methods"), " page."],
               className="muted"),
        data_grid("settings-thresholds", threshold_rows(values), THRESHOLD_COLUMNS,
                  "Thresholds", page_size=20, filters=True, row_id="name"),
        html.Div([html.Button("Save settings", id="settings-save", n_clicks=0,
                              className="button"),
                  html.Span(id="settings-message", role="status")], className="form"),
        watch_settings.section(),
        html.H2("Backup"),
        html.P("One file with everything strideload keeps: activities and their samples, the "
               "pain journal, RPE, gear and settings. Restore it on this or another computer "
               "with: strideload restore FILE", className="muted"),
        html.Div([html.Button("Download a backup", id="settings-backup", n_clicks=0,
                              className="button"),
                  dcc.Download(id="settings-backup-file"),
                  html.Span(id="settings-backup-message", role="status")], className="form"),
    ])


@callback(
    Output("settings-message", "children"),
    Input("settings-save", "n_clicks"),
    State("settings-sex", "value"), State("settings-time_zone", "value"),
    State("settings-units", "value"), State("settings-thresholds", "rowData"),
    *[State(f"settings-{name}", "value") for name, _, _ in PROFILE_INPUTS],
    *[State(f"settings-{s.name}", "value") for s in CONVENTIONS],
    prevent_initial_call=True,
)
def save(_clicks: int, sex: str, zone: str, units: str, thresholds: list[dict], *values):
    profile, conventions = values[:len(PROFILE_INPUTS)], values[len(PROFILE_INPUTS):]
    try:  # types and sizes; values are checked by the service
        for value, what in ((sex, "sex"), (zone, "time zone"), (units, "units"),
                            *zip(conventions, (s.name for s in CONVENTIONS), strict=True)):
            inputs.text(value, what)
        for value, (name, _, _) in zip(profile, PROFILE_INPUTS, strict=True):
            inputs.field(value, name)
        inputs.named_rows(thresholds, "thresholds", SETTINGS)
    except inputs.BadInput as exc:
        return f"Not saved: {exc}"
    changes = {"sex": sex, "time_zone": zone, "units": units}
    changes |= {name: _text(value) for (name, _, _), value in zip(PROFILE_INPUTS, profile,
                                                                  strict=True)}
    chosen = [{"name": s.name, "value": value}
              for s, value in zip(CONVENTIONS, conventions, strict=True)]
    with open_store() as store:
        current = preferences.load_settings(store)
        edited = {row["name"]: _text(row["value"]) for row in [*thresholds, *chosen]
                  if _text(row["value"]) != _text(current[row["name"]])}
        try:
            preferences.update_settings(store, edited, save=False)
            preferences.update_profile(store, changes, save=False)
        except preferences.InvalidValue as exc:
            return f"Not saved: {exc}"
        preferences.update_settings(store, edited)
        preferences.update_profile(store, changes)
    return "Saved." + (f" Changed: {', '.join(edited)}." if edited else "")


@callback(
    Output("settings-backup-file", "data"), Output("settings-backup-message", "children"),
    Input("settings-backup", "n_clicks"),
    prevent_initial_call=True,
)
def download_backup(_clicks: int):
    with open_store() as store:
        name = f"strideload-backup-{today(store)}.zip"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        try:
            manifest = write_backup(current_app.config[DATA_DIR_KEY], path)
        except BackupError as exc:
            return dash.no_update, f"No backup: {exc}"
        payload = dcc.send_file(str(path))
    return payload, f"Backup of {manifest['tables']['activities']} activities: {name}"


def register() -> None:
    dash.register_page(__name__, path="/settings", name="Settings", title="Settings",
                       layout=layout)
