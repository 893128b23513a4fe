"""The words beside every chart (name, summary, table) checked against the data they are built
from, and the accessible table helpers (caption, header scopes, paging)."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from dash import html

from analytics.cadence import DriftDetail
from analytics.settings import Settings
from dashboard.a11y import tables
from dashboard.a11y.charts import ChartText, change_text, chart, span_text
from dashboard.a11y.grid import data_grid, keys_hint
from dashboard.a11y.tables import Table, html_table, page_of
from dashboard.figures import series_text, track_text
from dashboard.figures_bodywork import bodywork_text
from dashboard.figures_form import cadence_baseline_text, decoupling_text, drift_text
from dashboard.figures_load_text import (
    acwr_text,
    fitness_text,
    monotony_text,
    progression_text,
    weekly_text,
)
from dashboard.figures_pain import pain_load_text
from dashboard.figures_recovery import recovery_text
from dashboard.units import IMPERIAL

D = dt.date
SETTINGS = Settings()


def days(first: dt.date, n: int) -> list[dt.date]:
    return [first + dt.timedelta(days=k) for k in range(n)]


def test_weekly_distance_in_words_this_week_so_far():
    weeks = pl.DataFrame({
        "week": ["2026-W07", "2026-W08", "2026-W09"],
        "week_start": [D(2026, 2, 9), D(2026, 2, 16), D(2026, 2, 23)],
        "days": [7, 7, 3],
        "distance_m": [31_000.0, 54_000.0, 42_000.0],
        "running_load": [150.0, 210.0, 40.0],
        "cross_load": [0.0, 30.0, 10.0],
        "distance_m_change_pct": [None, 74.2, -22.2],
        "longest_run_m": [8_000.0, 12_000.0, 15_000.0],
    })
    text = weekly_text(weeks)
    assert text.summary == (
        "Weekly running distance, last 3 weeks: 31 km to 54 km; this week 42 km so far "
        "(3 of 7 days), down 22 % on the week before. Load that week 50 HRSS points (10 from "
        "cross-training).")
    assert text.name == ("Bar charts of weekly running distance and weekly load, 3 weeks from "
                         "9 Feb to 23 Feb 2026")
    assert text.table.columns[:3] == ("week", "distance (km)", "change vs week before")
    assert text.table.rows[2][:4] == ("2026-W09 (3 of 7 days)", "42.0", "-22 %", "15.0")
    miles = weekly_text(weeks, IMPERIAL)
    assert "19 mi to 34 mi" in miles.summary  # 31 km and 54 km in miles
    complete = weekly_text(weeks.with_columns(days=pl.lit(7)))
    assert "the week of 23 Feb 2026 42 km, down 22 %" in complete.summary


def test_progression_counts_flagged_days_and_spikes():
    dates = days(D(2026, 3, 1), 10)
    daily = pl.DataFrame({
        "date": dates,
        "run_distance_7d": [10_000.0 + 1000 * k for k in range(10)],
        "run_distance_change_pct": [None] * 7 + [35.0, 10.0, 40.0],
        "flag_weekly_distance": [False] * 7 + [True, False, True],
    })
    runs = pl.DataFrame({"local_date": [D(2026, 3, 2), D(2026, 3, 9)],
                         "distance_m": [10_000.0, 16_000.0], "spike": [False, True],
                         "long_run_ratio": [1.0, 1.6]})
    text = progression_text(daily, runs, SETTINGS)
    assert text.summary == (
        "Running distance over 7 days: 10 to 19 km, 19 km on 10 Mar 2026. 2 days flagged for a "
        "rise beyond 30 % (the last on 10 Mar 2026). 1 single runs longer than 110 % of the "
        "longest run of the 30 days before (the last on 9 Mar 2026, 16.0 km).")
    # newest day first; the runs of each day beside it, the spike marked
    assert text.table.rows[0] == ("2026-03-10", "19.0", "+40 %", "yes", "")
    assert text.table.rows[1] == ("2026-03-09", "18.0", "+10 %", "", "16.0 (spike)")
    calm = progression_text(daily.with_columns(flag_weekly_distance=pl.lit(False)),
                            runs.with_columns(spike=pl.lit(False)), SETTINGS)
    assert "No day rose beyond 30 %. No single-run spike." in calm.summary


def test_acwr_in_words_names_the_band_and_counts_danger_days():
    daily = pl.DataFrame({
        "date": days(D(2026, 3, 1), 5),
        "acwr": [None, 0.7, 1.2, 1.6, 1.45],
        "acwr_status": ["insufficient_history", "calibrating", "ok", "ok", "ok"],
    })
    text = acwr_text(daily, SETTINGS)
    assert text.summary == (
        "ACWR 1.45 on 5 Mar 2026, above the 'sweet spot'; from 0.70 to 1.60 in these days, "
        "1 days at or above 1.5. Descriptive only, not a risk score.")
    assert [row[1] for row in text.table.rows] == ["1.45", "1.60", "1.20", "0.70"]
    early = acwr_text(daily.head(1), SETTINGS)
    assert early.summary == "No ratio yet: it needs 28 days of history." and early.table is None


def test_fitness_and_monotony_in_words():
    daily = pl.DataFrame({
        "date": days(D(2026, 3, 1), 3), "ctl": [40.0, 41.0, 42.4], "atl": [50.0, 62.0, 71.6],
        "tsb": [-5.0, -10.0, -35.0], "ctl_ramp": [3.0, 8.5, 9.0],
        "monotony": [1.2, 2.4, 1.9], "strain": [900.0, 1500.0, 1300.0],
        "strain_p90": [None, 1400.0, 1400.0],
    })
    fitness = fitness_text(daily, SETTINGS)
    assert fitness.summary == (
        "On 3 Mar 2026: CTL (fitness) 42, ATL (fatigue) 72 points/day, TSB -35 points (below "
        "the -30 line). 2 days with a CTL ramp above 8 points/week.")
    assert fitness.table.rows[0] == ("2026-03-03", "42.4", "71.6", "-35.0", "9.0")
    monotony = monotony_text(daily, SETTINGS)
    assert monotony.summary == (
        "Monotony 1.90 on 3 Mar 2026 (warning at 1.5, high at 2); highest 2.40 on 2 Mar 2026. "
        "Strain 1300 HRSS points against your 90th percentile of 1400.")


def test_cadence_and_decoupling_in_words():
    runs = pl.DataFrame({
        "local_date": [D(2026, 1, 5), D(2026, 1, 12), D(2026, 1, 19)],
        "distance_m": [8000.0, 10000.0, 8000.0], "avg_cadence_spm": [170.0, 172.0, 161.0],
        "cadence_deviation_pct": [None, 0.5, -5.8], "cadence_drop": [False, False, True],
        "decoupling_pct": [2.0, 6.5, None],
    })
    cadence = cadence_baseline_text(runs, SETTINGS)
    assert cadence.summary == (
        "Average cadence 161 to 172 spm over 3 runs, the latest 161 spm on 19 Jan 2026. 2 runs "
        "compared with your baseline at similar speed; 1 drops flagged, the last on 19 Jan 2026 "
        "(-5.8 %).")
    assert cadence.table.rows[0] == ("2026-01-19", "8.0", "161", "-5.8", "yes")
    decoupling = decoupling_text(runs, SETTINGS)
    assert decoupling.summary == (
        "2 long steady runs: Pa:HR from +2.0 to +6.5 %, the latest +6.5 % on 12 Jan 2026; "
        "1 above 5 %.")
    assert [row[3] for row in decoupling.table.rows] == ["yes", ""]


def test_drift_in_words_with_what_was_left_out():
    seconds = pl.DataFrame({"reason": ["warmup"] * 600 + ["steady"] * 1800 + ["stopped"] * 30})
    minutes = pl.DataFrame({"t_h": [0.2, 0.3], "cadence_spm": [170.0, 171.0],
                            "adjusted_spm": [170.5, 170.9], "speed_m_s": [3.0, 3.0]})
    text = drift_text(DriftDetail(seconds, minutes, 170.0, 1.25, 0.74))
    assert text.summary == ("Cadence changed by +1.2 spm/h (+0.74 %/h) at constant speed, "
                            "over 2 steady minutes. Left out: warm-up 10 min, stops 30 s.")
    assert text.table.rows == [("12", "170.0", "170.5", "5:33"), ("18", "171.0", "170.9", "5:33")]
    none = drift_text(DriftDetail(seconds.head(10), minutes.clear(), note="too short"))
    assert none.summary == "No drift estimate for this run: too short. Left out: warm-up 10 s."
    assert none.table is None


def test_pain_over_load_in_words():
    daily = pl.DataFrame({
        "date": days(D(2026, 5, 1), 5), "pain": [None, 2, 5, 3, None],
        "running_load": [50.0, 60.0, 0.0, 40.0, 30.0], "cross_load": [0.0, 0.0, 30.0, 0.0, 0.0],
    }, schema_overrides={"pain": pl.Int64})
    text = pain_load_text(daily)
    assert text.summary == (
        "Pain on 3 rated days from 2 May to 4 May 2026: 2 to 5 out of 10; the latest 3 on "
        "4 May 2026, the highest 5 on 3 May 2026. Training load on those days 130 HRSS points, "
        "77 % of it running.")
    assert text.table.rows[0] == ("2026-05-04", "3", "40", "0")
    assert pain_load_text(daily.with_columns(pain=pl.lit(None))).table is None


def test_recovery_in_words():
    daily = pl.DataFrame({
        "date": days(D(2026, 6, 1), 3), "hrv_rmssd_ms": [60.0, 50.0, 42.0],
        "hrv_7d_ms": [58.0, 55.0, 51.0], "hrv_normal_low_ms": [52.0, 52.0, 52.0],
        "hrv_normal_high_ms": [66.0, 66.0, 66.0], "resting_hr_bpm": [48.0, 50.0, 55.0],
        "rhr_median_bpm": [49.0, 49.0, 49.0], "sleep_s": [28800.0, 20000.0, None],
        "short_sleep": [False, True, None], "pain": [1, None, 3],
    })
    text = recovery_text(daily, SETTINGS)
    assert text.summary == (
        "HRV 7-day mean 51 ms on 3 Jun 2026 (your normal 52-66 ms). Resting HR 55 bpm on "
        "3 Jun 2026 (30-day median 49 bpm). 1 of 2 nights shorter than 6 h. Pain 3/10 on "
        "3 Jun 2026.")
    assert text.table.rows[1] == ("2026-06-02", "50", "55", "52-66", "50", "49", "5.6", "yes",
                                  "")


def test_bodywork_in_words():
    weeks = pl.DataFrame({
        "week": ["2026-W10", "2026-W11"], "week_start": [D(2026, 3, 2), D(2026, 3, 9)],
        "bodywork_sessions": [3, 0], "bodywork_minutes": [55.0, 0.0],
        "bodywork_core_sessions": [2, 0], "bodywork_mobility_sessions": [1, 0],
        "bodywork_strength_sessions": [0, 0], "pain_mean": [2.5, None], "pain_max": [4, None],
    })
    text = bodywork_text(weeks)
    assert text.summary == ("3 sessions in 2 weeks (2 core, 1 mobility, 0 strength); 1 weeks "
                            "without any; 0 in the week of 9 Mar 2026.")
    assert text.table.rows[1] == ("2026-W10", "2", "1", "0", "55", "2.5", "4")


def test_activity_track_and_series_in_words():
    n = 601  # 10 min at 1 Hz heading north at 3 m/s
    samples = pl.DataFrame({
        "elapsed_s": [float(k) for k in range(n)],
        "distance_m": [3.0 * k for k in range(n)],
        "lat_deg": [52.0 + 3.0 * k / 111_195 for k in range(n)],
        "lon_deg": [13.0] * n,
        "speed_m_s": [3.0] * n, "heart_rate_bpm": [140 + k % 11 for k in range(n)],
        "cadence_spm": [170.0] * n, "cadence_rpm": [None] * n,
        "altitude_m": [30.0 + k / 60 for k in range(n)],
    }, schema_overrides={"cadence_rpm": pl.Float64})
    track = track_text(samples)
    assert track.summary == ("The route starts at 52.0000, 13.0000 and spans 1.8 km north to "
                             "south and 0.0 km east to west; it ends 1.80 km from the start.")
    assert track.table.rows[0] == ("0", "0.00", "52.00000", "13.00000")
    series = series_text(samples, "running")
    assert series.summary == (
        "Over 10 minutes: average pace 5:33 min/km; heart rate 145 bpm on average, 150 at most; "
        "cadence 170 spm on average; elevation from 30 to 40 m.")
    assert series.table.caption == "Means every 1 min"
    assert series.table.rows[0][:4] == ("0", "5:33", "145", "170")
    assert len(series.table.rows) == 11  # minutes 0-9 and the last second
    cycling = series_text(samples, "cycling")
    assert "average speed 10.8 km/h" in cycling.summary and "cadence" not in cycling.summary


def test_words_helpers():
    assert change_text(18.4) == "up 18 %" and change_text(-5.2) == "down 5 %"
    assert change_text(0.3) == "unchanged" and change_text(None) == ""
    assert span_text(D(2026, 8, 3), D(2026, 9, 12)) == "3 Aug to 12 Sep 2026"
    assert span_text(D(2025, 12, 29), D(2026, 1, 4)) == "29 Dec 2025 to 4 Jan 2026"


def tree(component) -> dict:
    return json.loads(json.dumps(component.to_plotly_json(), default=lambda o: o.to_plotly_json()))


def test_html_table_has_caption_header_scopes_and_a_focusable_scroll_box():
    table = Table.from_dicts("Laps", [{"lap": 1, "time": "5:01"}, {"lap": 2, "time": None}])
    assert table.rows == [("1", "5:01"), ("2", "")]
    box = html_table(table, "laps")
    assert (box.role, box.tabIndex, box.to_plotly_json()["props"]["aria-label"]) == (
        "region", "0", "Laps")
    caption, head, body = box.children.children
    assert caption.children == "Laps"
    assert [(th.children, th.scope) for th in head.children.children] == [
        ("lap", "col"), ("time", "col")]
    first = body.children[0].children
    assert (first[0].scope, type(first[1])) == ("row", html.Td)


def test_paged_table_turns_pages():
    table = Table("Weeks", ("week",), [(f"W{k}",) for k in range(1, 61)])
    shown, page, status = page_of(table, 2, 26)
    assert (page, status, shown.rows[0], len(shown.rows)) == (2, "Rows 53-60 of 60", ("W53",), 8)
    assert page_of(table, 9, 26)[1] == 2  # kept within the pages there are
    drawn, status, first, last, page = tables.pager_state(table, 1, 26)
    assert (status, first, last, page) == ("Rows 27-52 of 60", "false", "false", 1)
    assert [row.children[0].children for row in drawn.children[2].children][:2] == ["W27", "W28"]
    assert tables.pager_state(table, 3, 26)[1:] == ("Rows 53-60 of 60", "false", "true", 2)
    assert tables.pager_state(table, -1, 26)[2:] == ("true", "false", 0)


def test_chart_and_grid_wrappers():
    figure = chart("load-weekly", {"data": []}, ChartText("Bar chart", "Sum.",
                                                            Table("T", ("a",), [("1",)])))
    shown = json.dumps(tree(figure))
    assert '"data-chart-name": "load-weekly-name"' in shown
    assert '"Show as table"' in shown and '"id": "load-weekly-summary"' in shown
    grid = data_grid("g", [{"a": 1}], [{"field": "a"}], "Things", select=True, page_size=5)
    options = grid.children[1].dashGridOptions
    assert options["tabToNextCell"] == {"function": "false"}
    assert options["tabToNextHeader"] == {"function": "false"}
    assert options["rowSelection"]["mode"] == "singleRow"
    assert "Space selects the row" in grid.children[0].children
    assert "Enter opens the link" in keys_hint(False, False, True, False)


@pytest.mark.parametrize("builder", [weekly_text, lambda f: bodywork_text(f)])
def test_empty_frames_have_words_too(builder):
    text = builder(pl.DataFrame({"bodywork_sessions": []}, schema={"bodywork_sessions": pl.Int64}))
    assert text.summary and text.table is None
