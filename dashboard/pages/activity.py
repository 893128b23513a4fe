"""One activity: summary, track, pace/heart rate/cadence/elevation, laps, import warnings."""

from __future__ import annotations

import datetime as dt
import json

import dash
from dash import dash_table, dcc, html

from dashboard.components import empty_state, stat
from dashboard.data import open_store
from dashboard.figures import activity_series_figure, track_figure
from dashboard.tables import format_duration, format_pace, lap_rows


def layout(activity_id: str | None = None, **_: object) -> html.Div:
    if activity_id is None or not activity_id.isdigit():
        return empty_state("No such activity", "Pick one on the Activities page.")
    with open_store() as store:
        row = store.activity(int(activity_id))
        if row is None:
            return empty_state(f"Activity {activity_id} does not exist",
                               "It may have been replaced by a richer recording of the same run.")
        samples = store.samples(int(activity_id))
        laps = lap_rows(store.laps(int(activity_id)), row["sport"])
    local_start = dt.datetime.fromtimestamp(row["start_ms"] / 1000 + row["utc_offset_s"],
                                            tz=dt.UTC)
    distance = row["distance_m"]
    stats = [
        stat("date", f"{row['local_date']} {local_start:%H:%M}"),
        stat("duration", format_duration(row["duration_s"])),
        stat("distance", "" if distance is None else f"{distance / 1000:.2f} km"),
        stat("pace", f"{format_pace(row['avg_speed_m_s'])} min/km"
             if row["sport"] in ("running", "walking", "hiking") and row["avg_speed_m_s"] else "-"),
        stat("avg heart rate", f"{row['avg_hr_bpm']:.0f} bpm" if row["avg_hr_bpm"] else "-"),
        stat("cadence", f"{row['avg_cadence_spm']:.0f} spm" if row["avg_cadence_spm"] else "-"),
        stat("ascent", f"{row['ascent_m']:.0f} m" if row["ascent_m"] is not None else "-"),
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
        dcc.Graph(id="activity-series", figure=activity_series_figure(samples, row["sport"]),
                  config={"displaylogo": False}),
        html.H3("Laps"),
        dash_table.DataTable(id="activity-laps", data=laps,
                             columns=[{"name": k, "id": k} for k in laps[0]])
        if laps else html.P("No laps recorded.", className="muted"),
    ])


def register() -> None:
    dash.register_page(__name__, path_template="/activities/<activity_id>", name="Activity",
                       title="Activity", layout=layout)
