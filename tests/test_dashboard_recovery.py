"""Recovery on the dashboard without a browser: the figure builder, the tables, the weekly
summaries in every export format, the upload lines, the pages rendered on a real store."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math

import polars as pl
import pytest
from test_analytics_report import MONDAY, PROFILE, two_weeks
from test_dashboard_pages import render
from wellness_files import export_sleep

from analytics import report as rp
from analytics.recovery import recovery_daily
from analytics.settings import Settings
from dashboard import export
from dashboard.a11y.palette import ORANGE
from dashboard.app import create_app
from dashboard.figures_recovery import recovery_figure
from dashboard.pages import recovery, today
from dashboard.pages.upload import report_lines
from dashboard.recovery_tables import recovery_rows
from ingest.import_report import FileReport
from ingest.store import Store
from ingest.wellness.checkin import checkin
from ingest.wellness.store import add_batch

DAY = dt.date(2026, 6, 20)


def wellness(days: int, end: dt.date = DAY) -> pl.DataFrame:
    dates = [end - dt.timedelta(days=days - 1 - i) for i in range(days)]
    return pl.DataFrame({
        "date": dates,
        "hrv_rmssd_ms": [60 * math.exp(0.05 * math.sin(i)) for i in range(days)],
        "resting_hr_bpm": [48.0 + i % 3 for i in range(days)],
        "sleep_s": [5.5 * 3600 if i % 5 == 0 else 7.5 * 3600 for i in range(days)],
        "source": ["fit"] * days,
    })


def test_recovery_figure_has_four_panels_with_the_band_and_short_nights():
    daily = recovery_daily(wellness(30)).with_columns(pain=pl.lit(2, pl.Int32))
    figure = recovery_figure(daily, Settings())
    names = [trace.name for trace in figure.data]
    assert names == [None, "your HRV normal", "HRV (night)", "HRV 7-day mean", "resting HR",
                     "30-day median", "sleep (hatched: short night)", "pain"]
    assert [figure.layout[f"yaxis{n}"].title.text for n in ("", "2", "3", "4")] == [
        "HRV (ms)", "resting HR (bpm)", "sleep (h)", "pain (0-10)"]
    sleep = figure.data[6]
    short = [colour for colour, hours in zip(sleep.marker.color, sleep.y, strict=True)
             if hours < 6]
    assert short and set(short) == {ORANGE}
    # short nights are hatched too: not told apart by colour alone
    hatched = [shape for shape, hours in zip(sleep.marker.pattern.shape, sleep.y, strict=True)
               if hours < 6]
    assert hatched and set(hatched) == {"/"}
    assert set(sleep.marker.pattern.shape) - {"/"} == {""}
    band_high = figure.data[1].y
    assert band_high[-1] == pytest.approx(daily["hrv_normal_high_ms"][-1])
    assert [shape.y0 for shape in figure.layout.shapes] == [7.0, 6.0]
    assert "No recovery data" in recovery_figure(daily.clear(), Settings()).layout.annotations[
        0].text


def test_recovery_rows_newest_first_with_the_resting_hr_difference():
    daily = recovery_daily(wellness(25)).with_columns(pain=pl.lit(None, pl.Int32))
    rows = recovery_rows(daily.tail(2))
    assert [r["date"] for r in rows] == ["Sat 20 Jun", "Fri 19 Jun"]
    last = daily.row(-1, named=True)
    assert rows[0]["resting HR (bpm)"] == (f"{last['resting_hr_bpm']:.0f} "
                                           f"({last['rhr_delta_bpm']:+.0f})")
    assert rows[0]["sleep (h:mm)"] == "7:30" and rows[0]["pain (0-10)"] == "-"


def test_weekly_summaries_gain_sleep_resting_hr_and_hrv_in_every_format():
    # the report's calendar starts with the first run (Tuesday): a night before it is not in
    # any week; Sunday of week 1 has no night
    nights = pl.DataFrame({
        "date": [MONDAY - dt.timedelta(days=3)] + [MONDAY + dt.timedelta(days=d)
                                                   for d in range(1, 14)],
        "sleep_s": [3600.0] + [7 * 3600.0, 8 * 3600.0] * 2 + [7 * 3600.0, None]
        + [6 * 3600.0] * 7,
        "resting_hr_bpm": [40.0] + [50.0] * 6 + [None] * 7,
        "hrv_rmssd_ms": [90.0, 60.0, 70.0] + [None] * 11,
    })
    weekly = rp.build_report(two_weeks(), profile=PROFILE, wellness=nights).weekly()
    w1, w2 = weekly.iter_rows(named=True)
    assert (w1["sleep_mean_s"], w1["resting_hr_mean_bpm"], w1["hrv_mean_ms"]) == (
        7.4 * 3600, 50.0, 65.0)
    assert (w2["sleep_mean_s"], w2["resting_hr_mean_bpm"], w2["hrv_mean_ms"]) == (
        6 * 3600, None, None)
    rows = list(csv.DictReader(io.StringIO(export.to_csv(weekly))))
    assert (rows[0]["sleep_mean_s"], rows[0]["resting_hr_mean_bpm"], rows[0]["hrv_mean_ms"]) \
        == ("26640.0", "50.0", "65.0")
    assert json.loads(export.to_json(weekly))[1]["sleep_mean_s"] == 21600.0
    markdown = export.to_markdown(weekly)
    assert "Sleep (h:mm) / resting HR (bpm) / HRV (ms)" in markdown
    assert "| 7:24 / 50 / 65 |" in markdown and "| 6:00 / - / - |" in markdown


def test_upload_lines_count_wellness_days():
    lines = report_lines([FileReport("x/a_sleepData.json", "imported", wellness_days=31,
                                     warnings=["2 nights marked off-wrist or unconfirmed left "
                                               "out (not nights)"]),
                          FileReport("x/UDSFile_1.json", "imported", wellness_days=1)], 0)
    items = [li.children for li in lines[1].children]
    assert items == ["imported a_sleepData.json: 31 wellness days (2 nights marked off-wrist "
                     "or unconfirmed left out (not nights))",
                     "imported UDSFile_1.json: 1 wellness day"]


@pytest.fixture
def recovery_app(tmp_path):
    with Store(tmp_path) as store:
        store.set_time_zone("UTC")
        for k in range(25):
            day = DAY - dt.timedelta(days=k)
            add_batch(store, checkin(day, rhr=50 + k % 2, hrv=60, sleep_h=7), "hand entry")
        add_batch(store, checkin(DAY, rhr=58, sleep_h=7), "hand entry")
    return create_app(tmp_path, today=DAY)


def test_recovery_page_and_today_panel_render_the_signals(recovery_app, tmp_path):
    shown = render(recovery_app, recovery)
    assert "Resting HR 58 bpm, +8 vs your 30-day median 50 bpm" in shown
    assert "recovery-chart" in shown and "recovery-table" in shown
    assert "Sources: your check-in" in shown
    on_today = render(recovery_app, today)
    assert "Morning check-in" in on_today and "Resting HR 58 bpm" in on_today
    empty = render(create_app(tmp_path / "none", today=DAY), recovery)
    assert "No recovery data yet" in empty


def test_a_garmin_night_is_preferred_to_a_check_in_on_the_page(tmp_path):
    from ingest.wellness.garmin_json import read_garmin_json

    with Store(tmp_path) as store:
        add_batch(store, checkin(DAY, sleep_h=5), "hand entry")
        add_batch(store, read_garmin_json(export_sleep([
            {"date": DAY.isoformat(), "deep": 7200, "light": 14400, "rem": 5400}])), "x.json")
    shown = render(create_app(tmp_path, today=DAY), recovery)
    assert "Last night 7:30 h asleep" in shown
