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
from dashboard.signals import activity_signals
from dashboard.tables import ON_FOOT, format_duration, lap_rows

NOT_RECORDED = "not recorded"


def _minutes(seconds: float | None) -> str:
    return f"{seconds / 60:.0f} min" if seconds else "none"


def _part(signals: dict, part: str) -> str:
    """'12 min (with a walk just before)', 'none', or why the run is not classified."""
    seconds, other = signals[f"{part}_s"], signals[f"{part}_activity_id"]
    if seconds is None:
        return signals["warmup_note"] or NOT_RECORDED
    where = " before" if part == "warmup" else " after"
    extra = f" (with activity {other}, just{where})" if other is not None else ""
    return _minutes(seconds) + extra


NOT_COMPUTED = "not computed: needs 30 steady minutes at an even pace"


def _value(value: float | None, fmt: str) -> str:
    return NOT_RECORDED if value is None else fmt.format(value)


def _change(signals: dict, signal: str, change: str) -> str:
    """The within-run change, or why there is none (not recorded / not computed)."""
    if signals[signal] is None:
        return NOT_RECORDED
    return NOT_COMPUTED if signals[change] is None else f"{signals[change]:+.1f} %"


def run_quality_card(signals: dict | None, sport: str) -> html.Div | None:
    """Warm-up and cool-down, breathing and running dynamics of a run (docs/methods.md
    sections 11.1-11.3); "not recorded" where the watch did not record a signal."""
    if signals is None or sport != "running":
        return None
    items = [
        ("Warm-up", _part(signals, "warmup")),
        ("Cool-down", _part(signals, "cooldown")),
        ("Breathing rate", _value(signals["respiration_brpm"], "{:.1f} breaths/min")),
        ("Breathing rise at similar speed (last vs first third)",
         _change(signals, "respiration_brpm", "respiration_drift_pct")),
        ("Vertical oscillation", _value(signals["vertical_oscillation_mm"], "{:.0f} mm")),
        ("Ground contact time", _value(signals["ground_contact_ms"], "{:.0f} ms")
         + ("" if signals["ground_contact_balance_pct"] is None
            else f" ({signals['ground_contact_balance_pct']:.1f} % left)")),
        ("Ground contact change at similar speed",
         _change(signals, "ground_contact_ms", "ground_contact_change_pct")),
        ("Stride length", _value(signals["stride_length_m"], "{:.2f} m")),
    ]
    return html.Div([
        html.H3("Warm-up, breathing and form"),
        html.Dl([part for label, value in items for part in (
            html.Dt(label), html.Dd(value, className="signal-missing"
                                    if value in (NOT_RECORDED, NOT_COMPUTED) else None))],
            id="activity-signals"),
        html.P("Warm-up and cool-down: easy running (at most 85 % of the speed of the run's "
               "middle half) at its start and end, 5 and 3 min at least; an easy activity just "
               "before or after counts [H]. Breathing and running dynamics are descriptive "
               "[U]: no study links them to back pain (docs/methods.md section 11).",
               className="muted small"),
    ], className="card")


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
        signals = activity_signals(store, int(activity_id))
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
        html.Div([html.H2("Import warnings"), html.Ul([html.Li(w) for w in warnings])],
                 className="warnings") if warnings else None,
        exercises,
        corrections,
        html.H2("Track"),
        chart("activity-track", track_figure(samples), track_text(samples, units)),
        run_quality_card(signals, row["sport"]),
        html.H2("Over time"),
        chart("activity-series",
              activity_series_figure(samples, row["sport"], units,
                                     warmup_s=(signals or {}).get("own_warmup_s"),
                                     cooldown_s=(signals or {}).get("own_cooldown_s")),
              series_text(samples, row["sport"], units)),
        html.H2("Laps"),
        html_table(Table.from_dicts("Laps", laps), "activity-laps")
        if laps else html.P("No laps recorded.", className="muted"),
    ], id="activity-page")


def register() -> None:
    dash.register_page(__name__, path_template="/activities/<activity_id>", name="Activity",
                       title="Activity", layout=layout)
