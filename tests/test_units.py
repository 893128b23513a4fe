"""Display units: metric or imperial from the profile, everywhere a distance, pace or height
is shown (stored data and CSV/JSON exports stay SI)."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from click.testing import CliRunner
from dash import html
from fitfiles import run_fit

from dashboard import preferences, service
from dashboard.app import create_app
from dashboard.cli import main
from dashboard.figures import activity_series_figure
from dashboard.figures_load import weekly_figure
from dashboard.pages import activities, activity
from dashboard.units import IMPERIAL, METRIC, units_of
from ingest.reader import read_activities
from ingest.store import Store


def test_conversions():
    # 3 m/s: 1000 / 3 = 333 s per km = 5:33; 1609.344 / 3 = 536 s per mile = 8:56
    assert (METRIC.pace_text(3.0), IMPERIAL.pace_text(3.0)) == ("5:33", "8:56")
    assert IMPERIAL.dist(1609.344) == pytest.approx(1.0)
    assert IMPERIAL.height_value(30.48) == pytest.approx(100.0)
    assert IMPERIAL.speed_value(10.0) == pytest.approx(22.369, abs=1e-3)  # 36 km/h in mph
    assert METRIC.pace_text(0.0) == "" and METRIC.dist(None) is None
    assert IMPERIAL.pace_minutes(pl.Series([3.0, 0.5])).to_list() == [
        pytest.approx(1609.344 / 60 / 3.0), None]  # 0.5 m/s is standing (33 min/km)
    assert units_of("imperial") is IMPERIAL and units_of(None) is METRIC
    with pytest.raises(ValueError, match="invalid units"):
        units_of("furlongs")


@pytest.fixture
def imperial_app(tmp_path):
    start = dt.datetime(2026, 6, 1, 6, tzinfo=dt.UTC)
    with Store(tmp_path) as store:
        (run,) = read_activities(run_fit(start, seconds=1610, speed=3.0), "run.fit")
        store.add(service.enrich(run), "a" * 64, "run.fit")
        preferences.update_profile(store, {"units": "imperial"})
    return create_app(tmp_path, today=dt.date(2026, 6, 2))


def shown(app, page, **query) -> str:
    with app.server.test_request_context():
        return json.dumps(html.Div(page.layout(**query)).to_plotly_json(),
                          default=lambda o: o.to_plotly_json() if hasattr(o, "to_plotly_json")
                          else str(o))


def test_pages_follow_the_profile_units(imperial_app):
    table = shown(imperial_app, activities)
    assert "distance (mi)" in table and "pace (min/mi)" in table and "ascent (ft)" in table
    assert '"distance": 3.0' in table  # 1609 s x 3 m/s = 4827 m = 3.0 mi
    detail = shown(imperial_app, activity, activity_id="1")
    assert "3.00 mi" in detail and "8:56 min/mi" in detail and "distance (mi)" in detail


def test_figures_take_units():
    frame = activity_series_figure(
        read_activities(run_fit(dt.datetime(2026, 6, 1, tzinfo=dt.UTC), seconds=120),
                        "x.fit")[0].samples, "running", IMPERIAL)
    titles = [frame.layout[name].title.text for name in frame.layout if name.startswith("yaxis")]
    assert "pace (min/mi)" in titles and "elevation (ft)" in titles
    weeks = pl.DataFrame({
        "week": ["2026-W23"], "week_start": [dt.date(2026, 6, 1)], "days": [7],
        "run_distance_m": [16093.44], "running_load": [300.0], "cross_load": [0.0],
        "run_distance_m_change_pct": [None], "run_distance_m_change_3wk_pct": [None],
        "load_change_pct": [None], "longest_run_m": [8046.72],
    })
    figure = weekly_figure(weeks, IMPERIAL)
    assert figure.data[0].y[0] == pytest.approx(10.0)
    assert figure.layout.yaxis.title.text == "running distance (mi)"


def test_cli_summary_and_table_in_miles(imperial_app):
    data_dir = imperial_app.server.config["STRIDELOAD_DATA_DIR"]
    summary = CliRunner().invoke(main, ["summary", "--data-dir", data_dir]).stdout
    assert "Running distance (mi)" in summary
    table = CliRunner().invoke(main, ["activities", "--data-dir", data_dir]).stdout
    assert "distance (mi)" in table.splitlines()[0]
    listing = CliRunner().invoke(main, ["activities", "--data-dir", data_dir, "--format",
                                        "json"]).stdout
    assert json.loads(listing)[0]["distance_m"] == pytest.approx(3.0 * 1609)  # SI stays SI
