"""Load page: figure builders on small hand-made frames, the layout and the date-range callback
on a store of real decoded FIT recordings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import math

import dash
import polars as pl
import pytest
from dash import html
from fitfiles import run_fit

from analytics.settings import Settings
from dashboard import service
from dashboard.app import create_app
from dashboard.figures_load import (
    acwr_figure,
    acwr_method_text,
    fitness_figure,
    monotony_figure,
    progression_figure,
    weekly_figure,
)
from dashboard.pages import load
from ingest.reader import read_activities
from ingest.schema import Activity
from ingest.store import Store

D = dt.date
DAY = D(2026, 3, 1)  # a Sunday
SPEED = 2.9  # m/s of every recording


def texts(component) -> str:
    """All text in a component tree (what the page would show)."""
    return json.dumps(component.to_plotly_json(), default=lambda o: o.to_plotly_json()
                      if hasattr(o, "to_plotly_json") else str(o))


def trace(figure, name: str):
    (found,) = [t for t in figure.data if t.name == name]
    return found


def dates(values) -> list[dt.date]:
    """Calendar days of figure x values (dates, datetimes or ISO strings)."""
    return [dt.date.fromisoformat(str(v)[:10]) for v in values]


def values(numbers) -> list[float | None]:
    """Figure y values with gaps (NaN) as None."""
    return [None if v is None or math.isnan(v) else float(v) for v in numbers]


# --- a store of real recordings ---------------------------------------------------------------

@functools.cache
def recording(seconds: int, strides: int, sport: str) -> Activity:
    """One FIT file written like a Garmin watch and decoded by the importer's reader."""
    start = dt.datetime(2026, 1, 1, 6, tzinfo=dt.UTC)
    (activity,) = read_activities(run_fit(start, seconds=seconds, speed=SPEED,
                                          strides=strides, sport=sport), "template.fit")
    return activity


def add_run(store: Store, day: dt.date, seconds: int = 1200, strides: int = 85,
            sport: str = "running") -> int:
    """Store a decoded recording moved to 06:00 UTC (07:00 local) on ``day``; its id."""
    base = recording(seconds, strides, sport)
    start = dt.datetime.combine(day, dt.time(6), tzinfo=dt.UTC)
    delta = start - base.summary.start_time
    moved = Activity(
        summary=dataclasses.replace(base.summary, start_time=start),
        samples=base.samples.with_columns(pl.col("timestamp") + delta),
        laps=[dataclasses.replace(lap, start_time=lap.start_time + delta) for lap in base.laps],
    )
    name = f"{day}-{seconds}-{strides}-{sport}"
    stored = store.add(moved, name.encode().hex().ljust(64, "0")[:64], f"{name}.fit")
    assert stored.status == "imported"
    return stored.activity_id


def km(seconds: int) -> float:
    """Distance of a recording [km] (FIT session total: speed x (seconds - 1))."""
    return SPEED * (seconds - 1) / 1000


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """Mon/Wed/Fri runs of 20 min from 5 January, then a 33-min run on Sunday 22 February."""
    path = tmp_path_factory.mktemp("load")
    with Store(path) as store:
        monday = D(2026, 1, 5)
        for week in range(7):
            for weekday in (0, 2, 4):
                add_run(store, monday + dt.timedelta(weeks=week, days=weekday))
        add_run(store, D(2026, 2, 22), seconds=2000)
    return create_app(path, today=DAY)


def render(app, **query) -> object:
    with app.server.test_request_context():
        return load.layout(**query)


def dates_shown(page) -> tuple[str, str]:
    """The values of the page's From and To date boxes."""
    found = {}

    def walk(component) -> None:
        if getattr(component, "id", None) in ("load-start", "load-end"):
            found[component.id] = component.value
        children = getattr(component, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str):
                walk(child)

    walk(page)
    return found["load-start"], found["load-end"]


# --- figure builders ------------------------------------------------------------------------

def test_weekly_bars_in_km_and_load_stacked_running_over_cross_training():
    weeks = pl.DataFrame({
        "week": ["2026-W07", "2026-W08", "2026-W09"],
        "week_start": [D(2026, 2, 9), D(2026, 2, 16), D(2026, 2, 23)],
        "days": [7, 7, 3],
        "run_distance_m": [20_000.0, 28_000.0, 5_000.0],
        "running_load": [150.0, 210.0, 40.0],
        "cross_load": [0.0, 30.0, 10.0],
        "run_distance_m_change_pct": [None, 40.0, -82.1],
        "run_distance_m_change_3wk_pct": [None, None, None],
        "load_change_pct": [None, 60.0, -79.2],
        "longest_run_m": [8_000.0, 12_000.0, 5_000.0],
    })
    figure = weekly_figure(weeks)
    distance = trace(figure, "running distance")
    assert list(distance.y) == [20.0, 28.0, 5.0]
    assert list(distance.text) == ["", "+40 %", "-82 %"]
    assert list(distance.marker.opacity) == [1.0, 1.0, 0.45]  # week still in progress
    assert "2026-W09 (3 of 7 days)" == distance.customdata[2][0]
    assert list(trace(figure, "running load").y) == [150.0, 210.0, 40.0]
    assert list(trace(figure, "cross-training load").y) == [0.0, 30.0, 10.0]
    assert figure.layout.barmode == "stack"
    assert "load (HRSS points)" == figure.layout.yaxis2.title.text


def test_figures_of_an_empty_range_say_so():
    settings = Settings()
    empty_daily = pl.DataFrame(schema={"date": pl.Date})
    for figure in (weekly_figure(pl.DataFrame()), acwr_figure(empty_daily, settings),
                   fitness_figure(empty_daily, settings),
                   monotony_figure(empty_daily, settings),
                   progression_figure(empty_daily, pl.DataFrame(), settings)):
        assert figure.layout.annotations[0].text == "No training in this date range"
        assert figure.data == ()


def progression_frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    daily = pl.DataFrame({
        "date": [D(2026, 2, 20), D(2026, 2, 21), D(2026, 2, 22)],
        "run_distance_7d": [30_000.0, 36_000.0, 45_000.0],
        "run_distance_change_pct": [0.0, 20.0, 50.0],
        "flag_weekly_distance": [False, False, True],
    })
    runs = pl.DataFrame({
        "local_date": [D(2026, 2, 20), D(2026, 2, 22)],
        "distance_m": [10_000.0, 15_000.0],
        "long_run_ratio": [None, 1.25],
        "spike": [False, True],
    })
    return daily, runs


def test_progression_marks_weekly_spikes_and_single_run_spikes_with_thresholds():
    daily, runs = progression_frames()
    figure = progression_figure(daily, runs, Settings())
    line = trace(figure, "last 7 days")
    assert list(line.y) == [30.0, 36.0, 45.0]
    weekly = trace(figure, "7-day distance up > 30 % (20 % early in a block)")
    assert dates(weekly.x) == [D(2026, 2, 22)] and list(weekly.y) == [45.0]
    assert "Nielsen 2014" in weekly.hovertemplate and "Damsted 2019" in weekly.hovertemplate
    spike = trace(figure, "single-run spike > 110 % of the 30-day longest")
    assert dates(spike.x) == [D(2026, 2, 22)] and list(spike.y) == [15.0]
    assert list(spike.customdata) == [pytest.approx(125.0)]
    assert "Frandsen 2025" in spike.hovertemplate
    every = trace(figure, "run")
    assert every.customdata[0] == "no run in the 30 days before to compare with"
    assert every.customdata[1] == "125 % of the longest run of the 30 days before"


def test_progression_labels_follow_the_settings():
    daily, runs = progression_frames()
    settings = Settings({"long_run_spike_ratio": 1.2, "weekly_change_high_pct": 25.0,
                         "long_run_window_days": 28})
    names = [t.name for t in progression_figure(daily, runs, settings).data]
    assert "single-run spike > 120 % of the 28-day longest" in names
    assert "7-day distance up > 25 % (20 % early in a block)" in names


def acwr_daily() -> pl.DataFrame:
    days = [D(2026, 1, 1) + dt.timedelta(days=k) for k in range(10)]
    status = ["insufficient_history"] * 3 + ["calibrating"] * 3 + ["ok"] * 4
    return pl.DataFrame({"date": days, "acwr_status": status,
                         "acwr": [None] * 3 + [0.9, 1.0, 1.1, 1.2, 1.6, 1.4, 1.0]})


def test_acwr_bands_from_settings_and_shaded_history_periods():
    figure = acwr_figure(acwr_daily(), Settings())
    rects = [(s.y0, s.y1) for s in figure.layout.shapes if s.yref == "y"]
    assert rects[0] == (0.8, 1.3)
    assert rects[1][0] == 1.5 and rects[1][1] == pytest.approx(2.0)  # danger zone to 1.5 + 0.5
    periods = [(s.x0, s.x1) for s in figure.layout.shapes if s.xref == "x"]
    noon = dt.time(12)
    assert periods == [  # whole days: from noon the day before to noon the day after
        (dt.datetime.combine(D(2025, 12, 31), noon), dt.datetime.combine(D(2026, 1, 3), noon)),
        (dt.datetime.combine(D(2026, 1, 3), noon), dt.datetime.combine(D(2026, 1, 6), noon))]
    notes = [a.text for a in figure.layout.annotations]
    assert notes == ["'sweet spot' 0.8-1.3", "'danger zone' >= 1.5",
                     "not shown: under 28 days of history", "calibrating (until day 42)"]
    solid, dotted = trace(figure, "ACWR"), trace(figure, "ACWR (calibrating)")
    assert values(solid.y) == [None] * 6 + [1.2, 1.6, 1.4, 1.0]
    assert values(dotted.y) == [None] * 3 + [0.9, 1.0, 1.1, 1.2] + [None] * 3  # joins the line
    assert dotted.line.dash == "dot"


def test_acwr_bands_move_with_the_settings():
    settings = Settings({"acwr_sweet_low": 0.7, "acwr_sweet_high": 1.1, "acwr_danger": 1.2})
    figure = acwr_figure(acwr_daily(), settings)
    rects = [(s.y0, s.y1) for s in figure.layout.shapes if s.yref == "y"]
    assert rects[0] == (0.7, 1.1) and rects[1][0] == 1.2
    assert rects[1][1] == pytest.approx(1.6 * 1.1)  # the highest ratio shown sets the top


@pytest.mark.parametrize(("method", "words"), [
    ("rolling_uncoupled", "mean load of the last 7 days / of days 8-28 before"),
    ("rolling_coupled", "mean load of the last 7 days / of the last 28 days"),
    ("ewma", "exponentially weighted 7-day / 28-day load"),
])
def test_acwr_method_in_words(method, words):
    assert words in acwr_method_text(Settings({"acwr_method": method}))


def test_fitness_marks_steep_ramps_and_the_tsb_line():
    daily = pl.DataFrame({
        "date": [D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 3)],
        "ctl": [40.0, 45.0, 46.0], "atl": [50.0, 70.0, 60.0], "tsb": [-5.0, -10.0, -25.0],
        "ctl_ramp": [None, 9.5, 4.0],
    })
    figure = fitness_figure(daily, Settings())
    assert list(trace(figure, "CTL (fitness), 42-day").y) == [40.0, 45.0, 46.0]
    assert list(trace(figure, "ATL (fatigue), 7-day").y) == [50.0, 70.0, 60.0]
    ramp = trace(figure, "CTL ramp > 8 points/week")
    assert dates(ramp.x) == [D(2026, 1, 2)] and list(ramp.y) == [45.0]
    assert list(trace(figure, "TSB (form)").y) == [-5.0, -10.0, -25.0]
    (tsb_line,) = [s for s in figure.layout.shapes if s.y0 == s.y1]
    assert tsb_line.y0 == -30.0 and tsb_line.yref == "y2"
    assert "TSB -30 points (intervals.icu [P])" in [a.text for a in figure.layout.annotations]


def test_monotony_levels_and_own_strain_percentile():
    daily = pl.DataFrame({
        "date": [D(2026, 1, 1), D(2026, 1, 2)], "monotony": [1.2, 2.4],
        "strain": [300.0, 700.0], "strain_p90": [500.0, 520.0],
    })
    figure = monotony_figure(daily, Settings({"monotony_warn": 1.4}))
    assert sorted(s.y0 for s in figure.layout.shapes) == [1.4, 2.0]
    assert list(trace(figure, "strain").y) == [300.0, 700.0]
    assert list(trace(figure, "your 90th percentile").y) == [500.0, 520.0]


# --- the page ----------------------------------------------------------------------------------

def test_empty_store_tells_a_new_user_what_to_do(tmp_path):
    shown = texts(render(create_app(tmp_path / "empty", today=DAY)))
    assert "No training load yet" in shown and "Upload" in shown and "strideload demo" in shown


def test_layout_defaults_to_16_weeks_up_to_today_clamped_to_the_history(app):
    page = render(app)
    shown = texts(page)
    # 16 weeks back is before the first run: from the first run on
    assert dates_shown(page) == ("2026-01-05", "2026-03-01")
    for graph in load.GRAPHS:
        assert f'"id": "{graph}"' in shown
    assert "Impellizzeri" in shown and "5,205 runners" in shown and "Frandsen" in shown
    assert "Method in use: rolling uncoupled" in shown
    assert "longer than 110 % of the longest run of the previous 30 days" in shown


def test_layout_numbers_and_markers_on_real_recordings(app):
    shown = texts(render(app, start="2026-02-01", end="2026-02-28"))
    # as of 28 Feb: the 7 days 22-28 Feb hold only the 33-min run; the 7 before hold 3 runs
    assert f"{km(2000):.1f} km" in shown
    change = 100 * (km(2000) - 3 * km(1200)) / (3 * km(1200))
    assert f"{change:+.0f} %" in shown
    with Store(app.server.config["STRIDELOAD_DATA_DIR"]) as store:
        report = service.report(store, end=DAY)
    weekly, progression, acwr, _, _ = (
        figure for figure, _ in load.charts(report, D(2026, 1, 25), D(2026, 2, 28)))
    # Sunday 22 Feb: 3 x 20 min + 33 min vs 3 x 20 min the 7 days before = +56 % > 30 %
    flagged = trace(progression, "7-day distance up > 30 % (20 % early in a block)")
    assert dates(flagged.x) == [D(2026, 2, 22)]
    spike = trace(progression, "single-run spike > 110 % of the 30-day longest")
    assert dates(spike.x) == [D(2026, 2, 22)]
    assert spike.customdata[0] == pytest.approx(100 * km(2000) / km(1200), rel=1e-3)
    # first run 5 Jan = day 1 of the history: suppressed to 31 Jan, calibrating to 14 Feb
    periods = [tuple(dates([s.x0, s.x1])) for s in acwr.layout.shapes if s.xref == "x"]
    assert periods == [(D(2026, 1, 24), D(2026, 1, 31)), (D(2026, 1, 31), D(2026, 2, 14))]
    # ISO weeks from Monday 19 Jan (the week holding 25 Jan) to the week of 23 Feb
    assert dates(trace(weekly, "running distance").x)[0] == D(2026, 1, 19)
    assert list(trace(weekly, "running distance").y)[-2] == pytest.approx(
        3 * km(1200) + km(2000))


def test_range_callback_redraws_and_ignores_unusable_dates(app):
    with app.server.test_request_context():
        stats, recovery, weekly, _, progression, _ = load.on_range("2026-02-15",
                                                                   "2026-02-22T00:00:00")
        assert recovery == []  # no wellness stored: no recovery context
        acwr, _, fitness, fitness_words, monotony, _ = load.later("2026-02-15",
                                                                  "2026-02-22T00:00:00")
        assert "On 22 Feb 2026: CTL (fitness)" in texts(html.Div(fitness_words))
        assert dates(trace(fitness, "TSB (form)").x) == [
            D(2026, 2, 15) + dt.timedelta(days=k) for k in range(8)]
        shown = texts(html.Div(stats))
        assert "running, 7 days to 22 Feb 2026" in shown
        with Store(app.server.config["STRIDELOAD_DATA_DIR"]) as store:
            day = service.report(store, end=DAY).daily_rows(D(2026, 2, 22), D(2026, 2, 22))
        # 22 Feb is day 49 of the history: the ratio is shown plainly
        assert f'"{day["acwr"][0]:.2f}"' in shown and "(calibrating)" not in shown
        early = texts(html.Div(load.on_range("2026-01-05", "2026-01-20")[0]))
        assert "not yet (16 of 28 days)" in early  # 20 Jan is day 16 of the history
        calibrating = texts(html.Div(load.on_range("2026-01-05", "2026-02-10")[0]))
        assert "(calibrating)" in calibrating
        assert load.on_range("2026-02-22", "2026-02-01") == (dash.no_update,) * 6
        assert load.on_range(None, "2026-02-01") == (dash.no_update,) * 6
        assert load.on_range("soon", "2026-02-01") == (dash.no_update,) * 6
        assert load.later("soon", "2026-02-01") == (dash.no_update,) * 6


def test_unusable_query_dates_fall_back_to_the_default(app):
    assert dates_shown(render(app, start="2026-02-30", end="yesterday")) == (
        "2026-01-05", "2026-03-01")
