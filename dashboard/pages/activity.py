"""One activity: summary, track, pace/heart rate/cadence/elevation, laps, import warnings,
and its corrections (sport, gear, carry, surface, tags, load; delete)."""

from __future__ import annotations

import datetime as dt
import json

import dash
from dash import html

from dashboard.a11y.charts import chart
from dashboard.a11y.tables import Table, html_table
from dashboard.activity_edit import corrections_card, exercises_table
from dashboard.components import empty_state, stat
from dashboard.data import display_units, open_store
from dashboard.figures import activity_series_figure, series_text, track_figure, track_text
from dashboard.tables import ON_FOOT, format_duration, lap_rows


def layout(activity_id: str | None = None, **_: object) -> html.Div:
    if activity_id is None or not activity_id.isdigit():
        return empty_state("No such activity", "Pick one on the Activities page.",
                           whole_page=True)
    with open_store() as store:
        row = store.activity(int(activity_id))
        if row is None:
            return empty_state(f"Activity {activity_id} does not exist",
                               "It may have been replaced by a richer recording of the same run.",
                               whole_page=True)
        samples = store.samples(int(activity_id))
        units = display_units(store)
        laps = lap_rows(store.laps(int(activity_id)), row["sport"], units)
        corrections = corrections_card(store, int(activity_id))
        exercises = exercises_table(store, int(activity_id))
    local_start = dt.datetime.fromtimestamp(row["start_ms"] / 1000 + row["utc_offset_s"],
                                            tz=dt.UTC)
    distance, ascent = units.dist(row["distance_m"]), units.height_value(row["ascent_m"])
    on_foot = row["sport"] in ON_FOOT and row["avg_speed_m_s"]
    stats = [
        stat("date", f"{row['local_date']} {local_start:%H:%M}"),
        stat("duration", format_duration(row["duration_s"])),
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
        html.Div([html.H2("Import warnings"), html.Ul([html.Li(w) for w in warnings])],
                 className="warnings") if warnings else None,
        exercises,
        corrections,
        html.H2("Track"),
        chart("activity-track", track_figure(samples), track_text(samples, units)),
        html.H2("Over time"),
        chart("activity-series", activity_series_figure(samples, row["sport"], units),
              series_text(samples, row["sport"], units)),
        html.H2("Laps"),
        html_table(Table.from_dicts("Laps", laps), "activity-laps")
        if laps else html.P("No laps recorded.", className="muted"),
    ], id="activity-page")


def register() -> None:
    dash.register_page(__name__, path_template="/activities/<activity_id>", name="Activity",
                       title="Activity", layout=layout)
