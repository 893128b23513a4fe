"""One activity: summary, track, pace/heart rate/cadence/elevation, laps, import warnings."""

from __future__ import annotations

import datetime as dt
import json

import dash
from dash import dash_table, dcc, html

from dashboard.components import empty_state, stat
from dashboard.data import display_units, open_store
from dashboard.figures import activity_series_figure, track_figure
from dashboard.tables import ON_FOOT, format_duration, lap_rows


def layout(activity_id: str | None = None, **_: object) -> html.Div:
    if activity_id is None or not activity_id.isdigit():
        return empty_state("No such activity", "Pick one on the Activities page.")
    with open_store() as store:
        row = store.activity(int(activity_id))
        if row is None:
            return empty_state(f"Activity {activity_id} does not exist",
                               "It may have been replaced by a richer recording of the same run.")
        samples = store.samples(int(activity_id))
        units = display_units(store)
        laps = lap_rows(store.laps(int(activity_id)), row["sport"], units)
    local_start = dt.datetime.fromtimestamp(row["start_ms"] / 1000 + row["utc_offset_s"],
                                            tz=dt.UTC)
    distance, ascent = units.dist(row["distance_m"]), units.height_value(row["ascent_m"])
    on_foot = row["sport"] in ON_FOOT and row["avg_speed_m_s"]
    stats = [
        stat("date", f"{row['local_date']} {local_start:%H:%M}"),
        stat("elapsed time", format_duration(row["duration_s"])),
        stat("timer time", format_duration(row["timer_time_s"]) or "-"),
        stat("distance", "-" if distance is None else f"{distance:.2f} {units.distance}"),
        stat("pace", f"{units.pace_text(row['avg_speed_m_s'])} {units.pace}" if on_foot
             else "-"),
        stat("avg heart rate", f"{row['avg_hr_bpm']:.0f} bpm" if row["avg_hr_bpm"] else "-"),
        stat("cadence", f"{row['avg_cadence_spm']:.0f} spm" if row["avg_cadence_spm"] else "-"),
        stat("ascent", "-" if ascent is None else f"{ascent:.0f} {units.height}"),
    ]
    warnings = json.loads(row["warnings"])
    return html.Div([
        html.H1(f"{row['sport'].replace('_', ' ').capitalize()} on {row['local_date']}"),
        html.P(f"{row['source_file']} - {row['device'] or 'unknown device'}",
               className="muted"),
        html.Div(stats, className="stats"),
        html.Div([html.H3("Import warnings"), html.Ul([html.Li(w) for w in warnings])],
                 className="warnings") if warnings else None,
        html.H3("Track"),
        dcc.Graph(id="activity-track", figure=track_figure(samples),
                  config={"displaylogo": False}),
        html.H3("Over time"),
        dcc.Graph(id="activity-series",
                  figure=activity_series_figure(samples, row["sport"], units),
                  config={"displaylogo": False}),
        html.H3("Laps"),
        dash_table.DataTable(id="activity-laps", data=laps,
                             columns=[{"name": k, "id": k} for k in laps[0]])
        if laps else html.P("No laps recorded.", className="muted"),
    ])


def register() -> None:
    dash.register_page(__name__, path_template="/activities/<activity_id>", name="Activity",
                       title="Activity", layout=layout)
