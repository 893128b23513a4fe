"""No setting can break the product: every in-range value works through the report, the advice,
the daily rows, the weekly summary, the association and the per-run metrics, quickly; every
out-of-range value is rejected at the door (CLI and Settings page); a stored bad value (older
version, hand edit) falls back to its default with a warning and nothing fails or hangs.

Runs on the bundled demo history in a real store (20 weeks, runs and rides, a pain episode).
"""

from __future__ import annotations

import datetime as dt
import json
import time

import numpy as np
import polars as pl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analytics.activity_metrics import compute_activity_metrics
from analytics.cadence import drift_detail
from analytics.report import build_report
from analytics.settings import ORDER, SETTINGS, Setting, Settings
from analytics.suggestions import SUGGESTIONS
from dashboard import export, preferences, service
from dashboard.app import create_app, stored_value_notice
from dashboard.cli import main
from dashboard.demo import demo_today
from dashboard.pages import activities, form, load, pain, today
from dashboard.pages import export as export_page
from dashboard.pages import settings as settings_page
from ingest.store import Store

NUMERIC = [s for s in SETTINGS.values() if s.kind in ("number", "whole number")]
#: Seconds one report with its advice, summary and association may take (about 1 s on a
#: laptop; generous for a loaded CI machine).
QUICK_S = 30.0


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("ranges")
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    return data_dir


@pytest.fixture(scope="module")
def inputs(demo_dir):
    with Store(demo_dir) as store:
        acts = service.activities_with_metrics(store)
        longest = acts.filter(pl.col("sport") == "running").sort("distance_m")["id"][-1]
        return {"activities": acts, "pain": store.pain(), "rpe": store.rpe(),
                "profile": preferences.load_profile(store), "samples": store.samples(longest)}


def _value(setting: Setting) -> st.SearchStrategy[object]:
    """A value in the setting's range, its bounds drawn often."""
    if setting.kind == "choice":
        return st.sampled_from(setting.choices or ())
    if setting.kind == "names":
        return st.lists(st.sampled_from(setting.choices or ()), min_size=1, max_size=3,
                        unique=True)
    low, high = setting.low, setting.high
    if setting.kind == "whole number":
        inner = st.integers(int(low), int(high))  # type: ignore[arg-type]
    else:
        inner = st.floats(low, high)  # type: ignore[arg-type]
    return st.one_of(st.sampled_from([setting.low, setting.high]), inner).map(
        lambda v: int(v) if setting.kind == "whole number" else float(v))  # type: ignore[arg-type]


def _ordered(values: dict[str, object]) -> dict[str, object]:
    """Swap the values of :data:`ORDER` pairs drawn the wrong way round (each stays in its
    range: the ranges of a pair overlap where it matters)."""
    for _ in range(len(ORDER)):
        for lower, upper in ORDER:
            if values[lower] > values[upper]:  # type: ignore[operator]
                values[lower], values[upper] = values[upper], values[lower]
    return values


def _extreme(pick: str) -> dict[str, object]:
    return _ordered({s.name: (s.choices[-1] if s.kind == "choice" else
                              list(s.choices[-3:]) if s.kind == "names" else  # type: ignore[index]
                              int(getattr(s, pick)) if s.kind == "whole number"
                              else getattr(s, pick))
                     for s in SETTINGS.values()})


ALL_LOW, ALL_HIGH = _extreme("low"), _extreme("high")
in_range = st.fixed_dictionaries({s.name: _value(s) for s in SETTINGS.values()}).map(_ordered)


def test_the_extremes_are_valid_settings() -> None:
    for values in (ALL_LOW, ALL_HIGH):
        assert Settings(values).changed()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(in_range)
@example(ALL_LOW)
@example(ALL_HIGH)
def test_every_in_range_setting_works_through_the_whole_report_quickly(inputs, values) -> None:
    s = Settings(values)
    started = time.perf_counter()
    report = build_report(inputs["activities"], inputs["pain"], inputs["rpe"],
                          inputs["profile"], s, end=demo_today())
    days = report.daily_rows()
    assert days.height >= 130 and set(days["suggestion"]) <= set(SUGGESTIONS)
    for day in days["date"].to_list()[::10] + [demo_today()]:
        advice = report.advise(day, planned_distance_m=25_000.0)
        assert advice.suggestion in SUGGESTIONS and advice.reasons
        json.dumps(advice.as_dict())
    weekly = report.weekly()
    assert weekly.height >= 19
    assert "Running distance" in export.to_markdown(weekly) and export.to_csv(weekly)
    json.loads(export.to_json(weekly))
    association = report.association()
    assert association.height == len(s.names("association_metrics")) * (
        s.integer("association_max_lag") + 1)
    report.pain_episodes()
    metrics = compute_activity_metrics(inputs["samples"], "running", s)
    assert metrics["hr_max_5s_bpm"] is not None
    drift_detail(inputs["samples"], s)
    assert time.perf_counter() - started < QUICK_S


def three_years() -> dict[str, object]:
    """Three years of runs on random days and a daily pain rating (seeded)."""
    rng = np.random.default_rng(7)
    first = dt.date(2022, 1, 3)
    rows = []
    for i in range(3 * 365):
        km = float(rng.choice([0, 5, 8, 12, 20]))
        if not km:
            continue
        day, seconds = first + dt.timedelta(days=i), km * 330
        hist = np.zeros(201)
        hist[110] = seconds
        rows.append({
            "id": i, "sport": "running", "local_date": day.isoformat(),
            "start_time": dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC),
            "duration_s": seconds, "timer_time_s": seconds, "distance_m": km * 1000,
            "hr_hist_s": hist.tolist(), "hr_seconds": seconds, "hr_max_5s_bpm": 175.0,
            "avg_cadence_spm": 170.0, "drift_pct": float(rng.normal()),
            "decoupling_pct": float(rng.normal(3, 2)),
            "cadence_bands": [{"speed_band_m_s": 3.0, "cadence_spm": 170 + rng.normal(),
                               "seconds": seconds}],
        })
    n = 3 * 365
    pain = pl.DataFrame({
        "date": [first + dt.timedelta(days=i) for i in range(n)], "area": ["upper-back"] * n,
        "level": rng.integers(0, 6, n).tolist(), "during_run": [False] * n,
        "red_flags": [[] for _ in range(n)], "note": [""] * n,
    }, schema_overrides={"red_flags": pl.List(pl.String)})
    return {"activities": pl.DataFrame(rows), "pain": pain}


@pytest.mark.parametrize("values", [{}, ALL_LOW, ALL_HIGH], ids=["default", "low", "high"])
def test_the_costliest_settings_stay_quick_on_three_years_of_data(values) -> None:
    data = three_years()
    started = time.perf_counter()
    report = build_report(data["activities"], data["pain"], settings=Settings(values))
    report.advise(report.daily["date"][-1], planned_distance_m=30_000.0)
    report.weekly()
    assert report.association()["status"].is_in(["ok", "no variation"]).any()
    assert time.perf_counter() - started < QUICK_S


# --- at the door ------------------------------------------------------------------------------

def _beyond(setting: Setting) -> list[str]:
    """Typed-in values outside the range: just beyond each bound, 0, -5, 1e9, nan."""
    step = 1 if setting.kind == "whole number" else 0.001
    candidates = [setting.low - step, setting.high + step, 0, -5, 1e9, "nan", "inf"]
    return [repr(v) if isinstance(v, float) else str(v) for v in candidates
            if isinstance(v, str) or not setting.low <= v <= setting.high]  # type: ignore[operator]


@pytest.mark.parametrize("setting", NUMERIC, ids=[s.name for s in NUMERIC])
def test_the_cli_rejects_every_out_of_range_value_in_one_line(tmp_path, setting) -> None:
    for text in _beyond(setting):
        result = CliRunner().invoke(main, ["settings", "--set", f"{setting.name}={text}",
                                           "--data-dir", str(tmp_path)])
        assert result.exit_code == 1
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(f"Error: {setting.name} must be {setting.range_text()}, got ")
    with Store(tmp_path) as store:
        assert preferences.load_settings(store).changed() == {}  # nothing stored


def test_the_settings_page_rejects_an_out_of_range_value(tmp_path) -> None:
    app = create_app(tmp_path)
    with app.server.test_request_context():
        rows = settings_page.threshold_rows(Settings())
        edited = [dict(r, value="0") if r["name"] == "ctl_days" else r for r in rows]
        assert next(r for r in rows if r["name"] == "ctl_days")["range"] == "21 to 120 days"
        message = settings_page.save(1, "unknown", "UTC", "metric", edited, "", "", "", "", "",
                                     *[s.default for s in settings_page.CONVENTIONS])
    assert message == ("Not saved: ctl_days must be 21 to 120 days, got 0 (fitness is a slow "
                       "average of three weeks to four months, slower than fatigue)")
    with Store(tmp_path) as store:
        assert preferences.load_settings(store).changed() == {}


# --- stored values that are out of range ----------------------------------------------------

HOSTILE = {"zero": 0, "minus_five": -5, "huge": 1e9}


def _store_raw(data_dir, values: dict[str, object]) -> None:
    """Write settings as an older version or a hand edit would, past the checks."""
    with Store(data_dir) as store:
        store.set_setting(preferences.SETTINGS_KEY, json.dumps(values))


@pytest.mark.parametrize("hostile", HOSTILE, ids=list(HOSTILE))
def test_stored_out_of_range_values_fall_back_with_a_warning_in_every_command(
        demo_dir, hostile) -> None:
    value = HOSTILE[hostile]
    bad = {s.name: value for s in NUMERIC if not s.low <= value <= s.high}  # type: ignore[operator]
    assert len(bad) > 40
    runner = CliRunner()
    day = demo_today().isoformat()
    commands = (["advise", "--date", day, "--format", "json"],
                ["daily", "--format", "json", "--to", day],
                ["summary", "--format", "json"], ["settings", "--format", "json"],
                ["profile", "--format", "json"])
    _store_raw(demo_dir, {})
    clean = {c[0]: runner.invoke(main, [*c, "--data-dir", str(demo_dir)]).stdout
             for c in commands}
    _store_raw(demo_dir, bad)
    try:
        for command in commands:
            started = time.perf_counter()
            result = runner.invoke(main, [*command, "--data-dir", str(demo_dir)])
            assert result.exit_code == 0, result.output
            assert time.perf_counter() - started < QUICK_S
            warnings = [line for line in result.stderr.splitlines()
                        if line.startswith("warning: stored setting ")]
            assert len(warnings) == len(bad)
            assert all("using the default" in line for line in warnings)
            assert result.stdout == clean[command[0]]  # the defaults are used
    finally:
        _store_raw(demo_dir, {})


def test_unreadable_stored_settings_and_profile_fall_back(demo_dir) -> None:
    with Store(demo_dir) as store:
        profile = store.get_setting(preferences.PROFILE_KEY)
        store.set_setting(preferences.SETTINGS_KEY, "{not json")
        store.set_setting(preferences.PROFILE_KEY, json.dumps(
            {**json.loads(profile or "{}"), "hr_max": 900, "lthr": "fast"}))
    try:
        result = CliRunner().invoke(main, ["advise", "--date", demo_today().isoformat(),
                                           "--data-dir", str(demo_dir)])
        assert result.exit_code == 0, result.output
        assert "warning: stored analytics settings unreadable ('{not json'); using the " \
               "defaults" in result.stderr
        assert "warning: stored profile value hr_max = 900 ignored: hr_max must be 100 to " \
               "230 bpm, got 900" in result.stderr
        assert "warning: stored profile value lthr = 'fast' ignored" in result.stderr
        # saving a good value stores valid values again and the warnings go
        fixed = CliRunner().invoke(main, ["profile", "--set", "hr_rest=50", "--data-dir",
                                          str(demo_dir)])
        assert fixed.exit_code == 0, fixed.output
        again = CliRunner().invoke(main, ["settings", "--set", "ctl_days=40", "--data-dir",
                                          str(demo_dir)])
        assert again.exit_code == 0 and "unreadable" in again.stderr
        quiet = CliRunner().invoke(main, ["advise", "--data-dir", str(demo_dir)])
        assert quiet.exit_code == 0 and "warning" not in quiet.stderr
    finally:
        with Store(demo_dir) as store:
            store.set_setting(preferences.PROFILE_KEY, profile or "{}")
            store.set_setting(preferences.SETTINGS_KEY, "{}")


def test_every_page_renders_with_stored_bad_values_and_names_them(demo_dir) -> None:
    app = create_app(demo_dir, today=demo_today())
    _store_raw(demo_dir, {"ctl_days": 0, "pain_carry_days": 1e9, "acwr_chronic_days": -5,
                          "association_metrics": ["no_such_metric"]})
    try:
        with app.server.test_request_context():
            for page in (today, load, form, pain, activities, export_page, settings_page):
                started = time.perf_counter()
                assert page.layout() is not None
                assert time.perf_counter() - started < QUICK_S
            notice = json.dumps(stored_value_notice("/").to_plotly_json(), default=str)
            assert "stored setting ctl_days = 0 ignored (must be 21 to 120 days); using the " \
                   "default 42" in notice
            assert "stored setting association_metrics = no_such_metric ignored" in notice
            pain.fill_association("pain-association-box")
    finally:
        _store_raw(demo_dir, {})
    with app.server.test_request_context():
        assert stored_value_notice("/") is None


@pytest.mark.parametrize("values", [ALL_LOW, ALL_HIGH], ids=["all_low", "all_high"])
def test_every_page_renders_with_extreme_in_range_settings(demo_dir, values) -> None:
    app = create_app(demo_dir, today=demo_today())
    _store_raw(demo_dir, values)
    try:
        with app.server.test_request_context():
            assert stored_value_notice("/") is None
            for page in (today, load, form, pain, activities, export_page, settings_page):
                assert page.layout() is not None
            pain.fill_association("pain-association-box")
    finally:
        _store_raw(demo_dir, {})
