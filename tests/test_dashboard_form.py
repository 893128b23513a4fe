"""Form page: the drift detail of :mod:`analytics.cadence`, the figure builders on small
hand-made inputs, and the layout, run picker and callback on a store of real recordings."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl
import pytest
from dash import dcc, html
from test_dashboard_load import add_run, dates, texts, trace, values

from analytics import cadence
from analytics.samples import grade, to_grid
from analytics.settings import Settings
from dashboard import service
from dashboard.app import create_app
from dashboard.figures_form import cadence_baseline_figure, decoupling_figure, drift_figure
from dashboard.pages import form
from ingest.schema import samples_frame
from ingest.store import Store

D = dt.date
DAY = D(2026, 2, 1)


# --- analytics.cadence.drift_detail -----------------------------------------------------------

def drift_samples(minutes: int = 70, cadence_spm: bool = True) -> pl.DataFrame:
    """Speed alternating 2.8 / 3.2 m/s by minute, cadence = 170 + 4 t[h] + 10 (v - 3); a 60-s
    stop at 20 min and 60 s of walking at 30 min; flat."""
    t = np.arange(minutes * 60, dtype=np.float64)
    speed = np.where((t // 60) % 2 == 0, 2.8, 3.2)
    cad = 170 + 4 * t / 3600 + 10 * (speed - 3.0)
    speed[(t >= 1200) & (t < 1260)] = 0.5
    cad[(t >= 1800) & (t < 1860)] = 120.0
    start_ms = int(dt.datetime(2026, 1, 1, 6, tzinfo=dt.UTC).timestamp() * 1000)
    return samples_frame({
        "timestamp": start_ms + 1000 * t.astype(np.int64),
        "elapsed_s": t, "distance_m": np.cumsum(speed), "speed_m_s": speed,
        "cadence_spm": cad if cadence_spm else np.full(t.size, np.nan),
        "altitude_m": np.full(t.size, 100.0),
    })


def test_drift_detail_matches_the_stored_drift_and_explains_every_second():
    samples = drift_samples()
    detail = cadence.drift_detail(samples)
    grid = to_grid(samples)
    gradient = grade(grid["altitude_m"], grid["distance_m"])
    drift = cadence.cadence_drift(grid["t"], grid["cadence_spm"], grid["speed_m_s"], gradient)
    counts = dict(detail.seconds["reason"].value_counts().iter_rows())
    assert counts == {"warmup": 600, "stopped": 60, "walking": 60, "steady": 4200 - 720}
    assert {k: counts.get(k, 0) for k in cadence.EXCLUSION_REASONS} == drift.excluded_s
    assert detail.minutes.height == drift.minutes == 60 - 2  # the stop and walking minutes
    assert detail.spm_per_h == pytest.approx(drift.spm_per_h) == pytest.approx(4.0)
    assert detail.pct_per_h == pytest.approx(drift.pct_per_h)
    # b0 = cadence at t = 0 at the run's median speed: the stop and walking minutes (20, 30)
    # were 2.8 m/s minutes, so 30 of the 58 minutes run 3.2 m/s and the median is 3.2;
    # medians sit 0.5 s before the minute's middle, where they are fitted
    assert detail.intercept_spm == pytest.approx(170 + 10 * 0.2 - 4 * 0.5 / 3600)
    # moved to the median speed, the per-minute cadence lies on the fitted line
    line = detail.intercept_spm + detail.spm_per_h * detail.minutes["t_h"]
    assert (detail.minutes["adjusted_spm"] - line).abs().max() == pytest.approx(0, abs=1e-9)
    raw = detail.minutes["cadence_spm"] - line
    assert set(raw.round(6).to_list()) == {-4.0, 0.0}  # 10 spm per m/s x (2.8 - 3.2) m/s


def test_drift_detail_without_enough_steady_minutes_or_cadence():
    short = cadence.drift_detail(drift_samples(minutes=39))
    assert short.spm_per_h is None and short.intercept_spm is None
    assert short.note == "27 steady minutes, 30 needed"  # 10..38 minus the stop and walking
    assert short.minutes["adjusted_spm"].null_count() == short.minutes.height == 27
    assert cadence.drift_detail(drift_samples(cadence_spm=False)).note == "no cadence recorded"
    settings = Settings({"drift_min_minutes": 20, "drift_warmup_s": 300})
    assert cadence.drift_detail(drift_samples(minutes=39), settings).minutes.height == 32


def test_exclusion_codes_take_the_first_reason_in_order():
    codes = cadence.exclusion_codes(
        np.array([0.0, 700, 701, 702, 703, 704]), np.array([120.0, 160, 120, 160, 160, np.nan]),
        np.array([0.5, 3.0, 0.5, 3.0, 3.0, 3.0]), np.array([0.1, 0.0, 0.1, 0.1, np.nan, 0.0]))
    assert codes.tolist() == [0, cadence.STEADY, 1, 3, cadence.STEADY, cadence.NO_DATA]


# --- figure builders --------------------------------------------------------------------------

def hand_detail(fitted: bool = True) -> cadence.DriftDetail:
    reasons = ["warmup", "warmup", "steady", "steady", "steep", "steady", "steady", None]
    seconds = pl.DataFrame({
        "t_s": [0.0, 60, 120, 180, 240, 300, 360, 420],
        "cadence_spm": [150.0, 152, 170, 171, 166, 172, 173, None],
        "speed_m_s": [2.5] * 7 + [None], "grade": [0.0] * 8, "reason": reasons,
    })
    minutes = pl.DataFrame({"t_h": [0.05, 0.1], "cadence_spm": [170.5, 172.5],
                            "speed_m_s": [3.0, 3.1], "grade": [0.0, 0.0],
                            "adjusted_spm": [170.4, 172.0] if fitted else [None, None]})
    if not fitted:
        return cadence.DriftDetail(seconds, minutes, note="2 steady minutes, 30 needed")
    return cadence.DriftDetail(seconds, minutes, intercept_spm=169.0, spm_per_h=30.0,
                               pct_per_h=100 * 30 / 169)


def test_drift_figure_greys_excluded_stretches_and_draws_the_fitted_line():
    figure = drift_figure(hand_detail(), Settings())
    steady = trace(figure, "steady running (used)")
    # the two steady stretches, the first followed by a gap point (the steep minute)
    assert list(steady.x) == [2.0, 3.0, 4.0, 5.0, 6.0]
    assert values(steady.y) == [170.0, 171.0, None, 172.0, 173.0]
    assert values(trace(figure, "warm-up, first 10 min (left out)").y) == [150, 152, None]
    assert values(trace(figure, "steep, |grade| > 3 % (left out)").y) == [166.0, None]
    assert trace(figure, "steep, |grade| > 3 % (left out)").line.color == "#6e7781"
    names = [t.name for t in figure.data]
    assert not any(n.startswith(("stopped", "walking")) for n in names)  # none in this run
    fitted = trace(figure, "fitted drift +30.0 spm/h (+17.75 %/h)")
    assert list(fitted.x) == pytest.approx([3.0, 6.0])  # first and last steady minute [min]
    assert list(fitted.y) == pytest.approx([169 + 30 * 0.05, 169 + 30 * 0.1])
    medians = trace(figure, "per-minute median at the run's median speed")
    assert list(medians.y) == [170.4, 172.0]
    assert medians.customdata[0][1] == "5:33"  # pace of 3.0 m/s [min/km]


def test_drift_figure_without_a_fit_says_why_and_labels_follow_settings():
    settings = Settings({"walking_cadence_spm": 140, "max_abs_grade": 0.05})
    figure = drift_figure(hand_detail(fitted=False), settings)
    assert [a.text for a in figure.layout.annotations] == [
        "No drift estimate: 2 steady minutes, 30 needed"]
    assert "steep, |grade| > 5 % (left out)" in [t.name for t in figure.data]
    assert len(figure.data) == 3  # steady, warm-up and steep: no medians, no line
    assert cadence_free_figure_message() == "This run has no cadence recorded"


def cadence_free_figure_message() -> str:
    seconds = pl.DataFrame({"t_s": [0.0], "cadence_spm": [None], "speed_m_s": [3.0],
                            "grade": [0.0], "reason": [None]},
                           schema_overrides={"cadence_spm": pl.Float64, "reason": pl.String})
    detail = cadence.DriftDetail(seconds, pl.DataFrame(), note="no cadence recorded")
    return drift_figure(detail, Settings()).layout.annotations[0].text


def baseline_runs() -> pl.DataFrame:
    return pl.DataFrame({
        "local_date": [D(2026, 1, 1), D(2026, 1, 3), D(2026, 1, 5), D(2026, 1, 7)],
        "distance_m": [8000.0, 10000.0, 12000.0, 9000.0],
        "avg_cadence_spm": [None, 168.0, 170.0, 160.0],
        "cadence_deviation_spm": [None, None, 0.5, -6.0],
        "cadence_deviation_pct": [None, None, 0.3, -3.6],
        "cadence_deviation_z": [None, None, 0.4, None],
        "cadence_baseline_runs": [None, None, 3, 4],
        "cadence_drop": [False, False, False, True],
    })


def test_cadence_vs_baseline_flags_drops_below_the_threshold_line():
    figure = cadence_baseline_figure(baseline_runs(), Settings())
    assert dates(trace(figure, "average cadence").x) == [D(2026, 1, 3), D(2026, 1, 5),
                                                         D(2026, 1, 7)]
    normal = trace(figure, "vs baseline")
    assert dates(normal.x) == [D(2026, 1, 5)] and normal.yaxis == "y2"
    drop = trace(figure, "drop flagged (<= -3 % or <= -2 SD)")
    assert dates(drop.x) == [D(2026, 1, 7)] and list(drop.y) == [-3.6]
    assert list(drop.customdata[0][:2]) == [9.0, -6.0] and math.isnan(drop.customdata[0][2])
    threshold = [s for s in figure.layout.shapes if s.line.dash == "dash"]
    assert [(s.y0, s.yref) for s in threshold] == [(-3.0, "y2")]
    assert "8-week baseline" in figure.layout.yaxis2.title.text


def test_cadence_figure_before_any_baseline_and_without_cadence():
    early = baseline_runs().with_columns(pl.lit(None, pl.Float64).alias("cadence_deviation_pct"))
    figure = cadence_baseline_figure(early, Settings({"cadence_baseline_min_runs": 5}))
    assert "No baseline yet: a speed band needs 5 runs in the 8 weeks before" in [
        a.text for a in figure.layout.annotations]
    none = baseline_runs().with_columns(pl.lit(None, pl.Float64).alias("avg_cadence_spm"))
    assert cadence_baseline_figure(none, Settings()).layout.annotations[0].text == (
        "No cadence recorded in these runs")


def test_decoupling_marks_runs_above_the_threshold_from_settings():
    runs = pl.DataFrame({"local_date": [D(2026, 1, 4), D(2026, 1, 11), D(2026, 1, 18)],
                         "distance_m": [16000.0, 18000.0, 20000.0],
                         "decoupling_pct": [2.0, 6.5, None]})
    figure = decoupling_figure(runs, Settings())
    line, below, above = figure.data
    assert dates(line.x) == [D(2026, 1, 4), D(2026, 1, 11)]
    # above the line: its own colour, marker shape and legend entry (not colour alone)
    assert (below.name, dates(below.x), below.marker.symbol) == (
        "at or below 5 %", [D(2026, 1, 4)], "circle")
    assert (above.name, dates(above.x), above.marker.symbol) == (
        "above 5 %", [D(2026, 1, 11)], "triangle-up")
    assert above.marker.color != below.marker.color
    assert [s.y0 for s in figure.layout.shapes] == [0, 5.0]
    relaxed = decoupling_figure(runs, Settings({"decoupling_high_pct": 8.0}))
    assert [len(trace.x) for trace in relaxed.data[1:]] == [2, 0]
    empty = decoupling_figure(runs.head(0), Settings())
    assert "steady run of at least 60 min with heart rate" in empty.layout.annotations[0].text


# --- the page ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    """Three weeks of Mon/Wed/Fri 20-min runs and Sunday 65-min runs from 5 January, then a
    20-min run on Wednesday 28 January with 10 spm lower cadence; and a 65-min run a year
    before."""
    path = tmp_path_factory.mktemp("form")
    with Store(path) as store:
        for week in range(3):
            monday = D(2026, 1, 5) + dt.timedelta(weeks=week)
            for weekday in (0, 2, 4):
                add_run(store, monday + dt.timedelta(days=weekday))
            add_run(store, monday + dt.timedelta(days=6), seconds=3900)
        add_run(store, D(2026, 1, 28), strides=80)
        add_run(store, D(2024, 12, 1), seconds=3900)  # more than 52 weeks before DAY
    return path


@pytest.fixture(scope="module")
def app(store_path):
    return create_app(store_path, today=DAY)


def render(app, **query) -> str:
    with app.server.test_request_context():
        return texts(form.layout(**query))


def graphs(component) -> list[dcc.Graph]:
    """The graphs in a component tree."""
    found = [component] if isinstance(component, dcc.Graph) else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found += graphs(child)
    return found


def run_ids(store_path) -> dict[dt.date, int]:
    with Store(store_path) as store:
        runs = store.activities()
    return {D.fromisoformat(str(d)): i for d, i in runs.select("local_date", "id").iter_rows()}


def test_default_run_is_the_latest_with_a_drift_result(app, store_path):
    ids = run_ids(store_path)
    shown = render(app)
    assert f'"value": {ids[D(2026, 1, 25)]}' in shown  # the last 65-min run
    # only the long runs have a drift result: the picker lists them, newest first
    with Store(store_path) as store:
        report = service.report(store, end=DAY)
    options = form.run_options(report.runs, D(2025, 2, 3))  # 52 weeks up to DAY
    assert [o["value"] for o in options] == [ids[D(2026, 1, d)] for d in (25, 18, 11)]
    assert "Runs since 03 Feb 2025." in shown
    assert options[0]["label"] == "Sun 25 Jan 2026 - 11.3 km - drift +0.0 spm/h"
    for graph in ("form-cadence", "form-drift", "form-decoupling"):
        assert f'"id": "{graph}"' in shown
    assert "Cadence changed by +0.0 spm/h" in shown and "over 55 steady minutes" in shown
    assert "Left out: warm-up 10 min." in shown
    assert "not a warning sign" in shown


def test_cadence_drop_of_the_last_run_is_flagged(app, store_path):
    with Store(store_path) as store:
        report = service.report(store, end=DAY)
    figure = cadence_baseline_figure(report.runs, report.settings)
    drop = trace(figure, "drop flagged (<= -3 % or <= -2 SD)")
    assert dates(drop.x) == [D(2026, 1, 28)]
    # 161 spm against a baseline of 171 spm at the same speed
    assert drop.y[0] == pytest.approx(100 * (161 - 171) / 171, abs=0.05)
    # the page shows the last 52 weeks: not the run of December 2024
    with app.server.test_request_context():
        page = form.layout()
    (decoupling,) = [c.figure for c in graphs(page) if c.id == "form-decoupling"]
    assert dates(decoupling.data[0].x) == [D(2026, 1, 11), D(2026, 1, 18), D(2026, 1, 25)]
    (shown,) = [c.figure for c in graphs(page) if c.id == "form-cadence"]
    assert min(dates(trace(shown, "average cadence").x)) == D(2026, 1, 5)


def test_query_picks_any_run_and_explains_unusable_ones(app, store_path):
    ids = run_ids(store_path)
    short = ids[D(2026, 1, 28)]
    shown = render(app, run=str(short))
    assert f'"value": {short}' in shown and "Wed 28 Jan 2026 - 3.5 km - no drift" in shown
    # 20 min: minutes 10-19 are steady after the 10-min warm-up
    assert "No drift estimate for this run: 10 steady minutes, 30 needed." in shown
    old = ids[D(2024, 12, 1)]  # outside the picker's 52 weeks, still reachable by link
    shown = render(app, run=str(old))
    assert f'"value": {old}' in shown and "Sun 01 Dec 2024 - 11.3 km - drift" in shown
    for query in ("abc", "9999"):
        shown = render(app, run=query)
        assert f"Activity {query} is not one of your runs" in shown
        assert f'"value": {ids[D(2026, 1, 25)]}' in shown


def test_run_picker_callback(app, store_path):
    ids = run_ids(store_path)
    with app.server.test_request_context():
        figure, words, link = form.on_run(ids[D(2026, 1, 11)])
        assert any(t.name.startswith("fitted drift") for t in figure.data)
        assert f"/activities/{ids[D(2026, 1, 11)]}" in texts(link)
        shown = texts(html.Div(words))
        assert "Cadence changed by" in shown and "Show as table" in shown
        figure, words, link = form.on_run("1; drop table")
        assert figure.layout.annotations[0].text == "Pick a run above"
        assert link is None and "No run has a drift estimate yet" in texts(html.Div(words))


def test_empty_states(tmp_path):
    shown = render(create_app(tmp_path / "empty", today=DAY))
    assert "No running form data yet" in shown and "Upload" in shown
    with Store(tmp_path / "bike") as store:
        add_run(store, D(2026, 1, 10), seconds=600, sport="cycling")
    shown = render(create_app(tmp_path / "bike", today=DAY))
    assert "No runs yet" in shown and "Upload" in shown
