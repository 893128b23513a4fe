"""`strideload demo` and the analytics on the bundled sample history (sample_data/story.json
says which weeks and runs carry the story; the checks compute everything from the data)."""

from __future__ import annotations

import csv
import datetime as dt
import json

import polars as pl
import pytest
from click.testing import CliRunner

from dashboard import preferences, service
from dashboard.cli import main
from dashboard.demo import demo_today, sample_dir
from ingest.store import Store

STORY = json.loads((sample_dir() / "story.json").read_text())


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    return data_dir, result.stdout


@pytest.fixture(scope="module")
def report(demo_store):
    with Store(demo_store[0]) as store:
        return service.report(store, end=demo_today())


def test_demo_loads_everything_and_prints_the_advice(demo_store):
    data_dir, output = demo_store
    files = list((sample_dir() / "files").iterdir())
    with open(sample_dir() / "rpe.csv", newline="") as handle:
        rpe_rows = list(csv.DictReader(handle))
    with Store(data_dir) as store:
        assert store.count() == len(files)
        assert store.pain().height == len((sample_dir() / "pain_journal.csv").read_text()
                                          .strip().splitlines()) - 1
        assert store.rpe().height == len(rpe_rows)
        assert store.time_zone() == "Europe/Berlin"
        assert preferences.load_profile(store).hr_max == 189
    assert f"{len(files)} activities" in output
    assert output.strip().splitlines()[3].startswith(f"{demo_today()}: ")


def test_demo_twice_changes_nothing(demo_store):
    data_dir, _ = demo_store
    with Store(data_dir) as store:
        before = (store.count(), store.pain().height, store.rpe().height)
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--data-dir", str(data_dir)])
    assert result.exit_code == 0
    with Store(data_dir) as store:
        assert (store.count(), store.pain().height, store.rpe().height) == before


def week_monday(number: int) -> dt.date:
    return dt.date.fromisoformat(STORY["weeks"][number - 1]["monday"])


def test_spike_week_is_detected(report):
    weekly = report.weekly()
    spike = weekly.filter(pl.col("week_start") == week_monday(STORY["spike_week"])).row(
        0, named=True)
    assert spike["run_distance_m_change_pct"] >= 35
    # the rule's 7-day window flags it on the spike week's last day
    sunday = week_monday(STORY["spike_week"]) + dt.timedelta(days=6)
    day = report.daily.filter(pl.col("date") == sunday).row(0, named=True)
    assert day["run_distance_change_pct"] >= 30


def test_long_run_spike_is_detected(report):
    day = dt.date.fromisoformat(STORY["spike_long_run"][:10])
    run = report.runs.filter(pl.col("local_date") == day).row(0, named=True)
    assert run["long_run_ratio"] >= 1.25 and run["spike"]


def test_cadence_drift_and_decoupling_on_the_marked_long_runs(report):
    days = [dt.date.fromisoformat(name[:10]) for name in STORY["marked_long_runs"]]
    runs = report.runs.filter(pl.col("local_date").is_in(days))
    assert runs.height == len(days)
    assert (runs["drift_thirds_pct"] <= -3).all()  # last third >= 3 % lower at matched speed
    assert (runs["drift_pct"] < 0).all()
    assert (runs["decoupling_pct"] > 5).all()


def test_pain_episode_and_the_advice_on_the_peak_day(report):
    episodes = report.pain_episodes()
    peak_days = [dt.date.fromisoformat(d) for d in STORY["peak_pain_dates"]]
    assert any(e["start"] <= peak_days[0] <= e["end"] and e["peak"] >= 5
               for e in episodes.iter_rows(named=True))
    advice = report.advise(peak_days[0]).as_dict()
    assert advice["suggestion"] in ("rest", "cross_train")
    assert any(r["metric"] == "pain" and r["value"] >= 5 for r in advice["reasons"])
    assert advice["tips"]


# -- her levers: gear, vest, treadmill, body work (sample_data/README.md, "in numbers") -------
def readme_levers() -> dict[str, str]:
    """The "Her levers in numbers" table of sample_data/README.md: check -> measured."""
    text = (sample_dir() / "README.md").read_text(encoding="utf-8")
    table = text.split("## Her levers in numbers", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("|").split("|") for line in table.splitlines() if line.startswith("| ")]
    return {check.strip(): measured.strip() for check, measured in rows[1:]}


@pytest.fixture(scope="module")
def levers(demo_store):
    from dashboard.levers import usage
    from ingest.bodywork_store import sessions
    from ingest.context import context_frame

    with Store(demo_store[0]) as store:
        activities = store.activities().join(context_frame(store), on="id").with_columns(
            pl.col("source_file").str.split("/").list.last().alias("file"),
            pl.col("local_date").str.to_date())
        return activities, usage(store), sessions(store)


def week_of(day: dt.date) -> int:
    return (day - week_monday(1)).days // 7 + 1


def test_the_worn_shoes_pass_their_retirement_distance_in_the_build(levers, report):
    activities, used, _ = levers
    readme = readme_levers()
    worn, new = (used.filter(name=STORY[k]).row(0, named=True) for k in ("shoes_worn",
                                                                          "shoes_new"))
    assert readme["Worn shoes in total"] == (
        f"{worn['distance_m'] / 1000:.1f} km in {worn['activities']} runs")
    assert readme["New shoes in total"] == (
        f"{new['distance_m'] / 1000:.1f} km in {new['activities']} runs")
    assert worn["past_retirement"] and not worn["retired"] and new["default_for"] == "running"
    in_worn = activities.filter(pl.col("shoes") == STORY["shoes_worn"]).sort("start_ms")
    initial = worn["distance_m"] - in_worn["distance_m"].sum()
    passed = in_worn.filter(initial + pl.col("distance_m").cum_sum() >= 700_000)["local_date"][0]
    assert readme["Worn shoes pass 700 km"] == f"{passed} (week {week_of(passed)})"
    assert STORY["weeks"][week_of(passed) - 1]["phase"] == "build"
    # two pairs in parallel from the build on
    build = activities.filter(pl.col("local_date").is_between(week_monday(9), week_monday(13)))
    assert set(build["shoes"].drop_nulls()) == {STORY["shoes_worn"], STORY["shoes_new"]}


def test_todays_shoe_notes_on_the_spike_day(demo_store):
    from dashboard.levers import shoe_notes

    day = dt.date.fromisoformat(STORY["spike_long_run"][:10])
    with Store(demo_store[0]) as store:
        notes = {note.metric: note for note in shoe_notes(store, day)}
    assert notes["shoe_distance"].grade == "U" and notes["shoe_distance"].value > 700
    assert STORY["shoes_worn"] in notes["shoe_distance"].text
    assert (notes["shoe_pairs"].value, notes["shoe_pairs"].grade) == (2, "V")


def test_the_vest_rides_on_the_long_runs_of_the_build_and_the_treadmill_runs_are_indoor(levers):
    activities, used, _ = levers
    readme = readme_levers()
    vest = activities.filter(pl.col("carry") == "vest")
    assert sorted(vest["file"]) == sorted(STORY["vest_runs"])
    assert set(STORY["marked_long_runs"]) <= set(vest["file"])
    assert readme["Runs with the vest"] == (
        f"{vest.height} runs, {vest['distance_m'].sum() / 1000:.1f} km")
    assert used.filter(name=STORY["vest"])["activities"][0] == vest.height
    treadmill = activities.filter(pl.col("surface") == "treadmill")
    assert sorted(treadmill["file"]) == sorted(STORY["treadmill_runs"])
    assert readme["Treadmill runs"] == str(treadmill.height)


def test_body_work_twice_a_week_in_the_base_dropped_in_the_build_back_in_the_return(levers,
                                                                                   report):
    _, _, body = levers
    readme = readme_levers()
    weekly = report.weekly().with_row_index("week_number", offset=1)
    for label, first, last in (("1-8", 1, 8), ("9-13", 9, 13), ("14", 14, 14),
                               ("15-20", 15, 20)):
        weeks = weekly.filter(pl.col("week_number").is_between(first, last))
        check = f"Body-work sessions, week{'s' if first < last else ''} {label}"
        assert readme[check] == (
            f"{weeks['bodywork_sessions'].sum()} sessions, "
            f"{weeks['bodywork_minutes'].sum():.0f} min")
    in_base = pl.col("week_number") <= 8
    base = weekly.filter(pl.col("week_number").is_in(STORY["bodywork_weeks"]) & in_base)
    assert base.height == 6  # the base but two busy weeks
    assert (base["bodywork_core_sessions"] >= 1).all()
    assert (base["bodywork_mobility_sessions"] >= 1).all()
    busy = weekly.filter(~pl.col("week_number").is_in(STORY["bodywork_weeks"]) & in_base)
    assert busy.height == 2
    assert (busy["bodywork_core_sessions"] == 0).all()  # a yoga class at most
    assert (busy["bodywork_sessions"] <= 1).all()
    returned = weekly.filter(pl.col("week_number").is_in(STORY["bodywork_weeks"])
                             & (pl.col("week_number") >= 15))
    assert returned.height == 4 and (returned["bodywork_sessions"] >= 2).all()
    watch = body.filter((pl.col("source") == "file") & (pl.col("exercises").list.len() > 0))
    core = watch.filter(pl.col("category") == "core")
    assert readme["Core workouts from the watch, with sets"] == str(core.height)
    assert core.height == len(STORY["core_workouts"])
    assert set(core["exercises"].list.eval(pl.element().struct.field("name")).explode()) == {
        "plank", "side plank", "bridge", "dead bug", "bird-dog"}
    by_hand = body.filter(pl.col("source") == "manual")
    assert readme["Sessions logged by hand"] == str(by_hand.height)
    with open(sample_dir() / "bodywork.csv", newline="", encoding="utf-8") as handle:
        assert by_hand.height == len(list(csv.DictReader(handle)))


def test_the_demo_loads_gear_and_body_work_only_once(demo_store):
    from ingest import gear
    from ingest.bodywork_store import sessions

    data_dir, _ = demo_store
    with Store(data_dir) as store:
        before = (gear.items(store).height, gear.assignments(store).height,
                  sessions(store).height)
    assert CliRunner().invoke(main, ["demo", "--no-serve", "--data-dir", str(data_dir)]
                              ).exit_code == 0
    with Store(data_dir) as store:
        assert (gear.items(store).height, gear.assignments(store).height,
                sessions(store).height) == before


# -- what relates to her pain, warm-ups, and the way back (sample_data/README.md) ---------------
def test_the_import_finds_her_warm_ups(report, levers):
    activities, _, _ = levers
    runs = report.runs.join(activities.select("id", "file"), on="id")
    detected = set(runs.filter(pl.col("has_warmup"))["file"])
    assert detected <= set(STORY["warmup_runs"])  # no warm-up where she did none
    assert readme_levers()["Runs with a warm-up (detected)"] == (
        f"{len(detected)} of {len(STORY['warmup_runs'])}")
    skipped = runs.filter(pl.col("local_date").is_between(week_monday(9), week_monday(14)))
    assert not skipped["has_warmup"].any()


def test_the_vest_and_the_missing_body_work_rank_among_the_top_factors(demo_store):
    result = CliRunner().invoke(main, ["factors", "--format", "json", "--date",
                                       demo_today().isoformat(), "--data-dir",
                                       str(demo_store[0])])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {"factor", "lag_days", "exposed_days", "unexposed_days", "effect",
            "effect_adjusted", "ci_low", "ci_high", "q_value", "enough_data",
            "text"} <= set(rows[0])
    shown = [r for r in rows if r["enough_data"]]
    top = list(dict.fromkeys(r["factor"] for r in shown))[:4]  # strongest first
    assert "carry_vest" in top and "bodywork_7d" in top
    vest = next(r for r in shown if r["factor"] == "carry_vest")
    body = next(r for r in shown if r["factor"] == "bodywork_7d")
    assert vest["related"] and vest["effect"] > 0 and vest["ci_adjusted_low"] > 0
    # a week with body work: less pain (its CI excludes 0; after Benjamini-Hochberg over all
    # factors and lags it may or may not count as related on 20 weeks)
    assert body["effect"] < 0 and body["ci_high"] < 0 and body["q_value"] < 0.1
    assert vest["text"].startswith("The day after runs with the vest, your back was")
    # the vest came with the long runs: the confounding by load is named
    assert vest["load_difference_pct"] > 25 and "more training load" in vest["text"]
    for row in rows:
        if not row["enough_data"]:
            assert row["effect"] is None and row["q_value"] is None
            assert "not enough data yet" in row["text"]


def test_the_return_plan_appears_after_the_august_episode(demo_store):
    peak = dt.date.fromisoformat(STORY["peak_pain_dates"][0])

    def advise(day: dt.date) -> dict:
        result = CliRunner().invoke(main, ["advise", "--format", "json", "--date",
                                           day.isoformat(), "--data-dir", str(demo_store[0])])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    before = advise(week_monday(12))
    assert before["return_plan"] == [] and before["return_status"]["state"] == "none"
    during = advise(peak)
    assert during["return_plan"] == [] and during["return_status"]["state"] == "in_episode"
    back = advise(week_monday(16))
    status, plan = back["return_status"], back["return_plan"]
    assert status["state"] == "returning" and status["episode_start"] < peak.isoformat()
    assert plan and set(plan[0]) == {"week", "max_distance_m", "max_long_run_m", "note"}
    # week 1 at half the level of the 3 weeks before the episode, then +10 % a week
    with Store(demo_store[0]) as store:
        daily = service.report(store).daily
    start = dt.date.fromisoformat(status["episode_start"])
    before_episode = daily.filter(pl.col("date").is_between(start - dt.timedelta(days=21),
                                                            start - dt.timedelta(days=1)))
    level = before_episode["distance_m"].sum() / 3
    assert status["baseline_week_m"] == pytest.approx(level, abs=0.1)
    first = plan[0]["week"]
    assert plan[0]["max_distance_m"] == pytest.approx(level * 0.5 * 1.1 ** (first - 1), abs=1)
    assert plan[-1]["max_distance_m"] == pytest.approx(level, abs=1)
    assert all(b["max_distance_m"] > a["max_distance_m"]
               for a, b in zip(plan, plan[1:], strict=False))
    assert "NICE" in status["text"]


@pytest.mark.parametrize("kind", ["independent", "autocorrelated"])
def test_her_factors_with_random_pain_are_rarely_called_related(demo_store, kind):
    """Her own day table (vest, shoes, warm-ups, body work ... as they were) with pain drawn at
    random, rated on the days she rated: over many draws the share of histories with any
    factor called related stays near the 5 % false-discovery rate. 300 resamples keep it fast
    (p-values come from the bootstrap SE, so fewer resamples do not make them coarser)."""
    import numpy as np

    from analytics.factors import factor_associations

    with Store(demo_store[0]) as store:
        days, factors = service.factor_table(store, demo_today())
    rated = days["pain"].is_not_null().to_numpy()
    draws, related = 150, 0
    for seed in range(draws):
        rng = np.random.default_rng(seed)
        if kind == "independent":
            pain = rng.choice([0.0, 1.0, 1.0, 2.0, 3.0], size=days.height)
        else:
            noise, pain = rng.normal(size=days.height), np.zeros(days.height)
            for i in range(1, days.height):
                pain[i] = 0.6 * pain[i - 1] + noise[i]
            pain = np.clip(np.round(1.5 + pain), 0, 6)
        pain[~rated] = np.nan
        ranked = factor_associations(days.with_columns(pl.Series("pain", pain).fill_nan(None)),
                                     factors, reps=300, seed=seed)
        related += bool(ranked["related"].any())
    assert related / draws <= 0.10


def test_her_garmin_export_fills_the_recovery_page(demo_store):
    from test_dashboard_pages import render

    from dashboard.app import create_app
    from dashboard.pages import recovery

    result = CliRunner().invoke(main, ["wellness", "--format", "json", "--data-dir",
                                       str(demo_store[0])])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 7 * len(STORY["weeks"])
    assert {r["source"] for r in rows} == {"garmin_export"}
    assert all(r["sleep_s"] and r["hrv_rmssd_ms"] and r["resting_hr_bpm"] for r in rows)
    short = {r["date"] for r in rows if r["sleep_s"] < 6 * 3600}
    assert set(STORY["deadline_nights"]) <= short
    shown = render(create_app(demo_store[0], today=demo_today()), recovery)
    assert "No recovery data yet" not in shown and "recovery-chart" in shown


def test_the_deadline_week_turns_train_into_an_easy_run_and_says_why(demo_store, report):
    """Her short nights of the deadline week with HRV below her normal: on days she would
    have trained as planned the advice is an easy run with the numbers; in the pain weeks
    the same signals never outrank the pain."""
    from analytics.suggestions import apply_rules

    daily = report.daily
    low = daily.filter(pl.col("r3_recovery_low"))
    nights = [dt.date.fromisoformat(d) for d in STORY["deadline_nights"]]
    week = low.filter(pl.col("date").is_between(nights[0], nights[-1] + dt.timedelta(days=3)))
    # without the recovery signals these days train as planned; with them, easy
    plain = apply_rules(week.drop("hrv_below_normal"), report.settings)
    turned = week.filter((pl.col("rule") == "R3") & (plain["rule"] == "R4"))
    assert turned.height >= 1 and (turned["load_flags"] == 0).all()
    day = turned["date"][0]
    result = CliRunner().invoke(main, ["advise", "--format", "json", "--date", day.isoformat(),
                                       "--data-dir", str(demo_store[0])])
    advice = json.loads(result.stdout)
    assert advice["suggestion"] == "easy"
    metrics = [r["metric"] for r in advice["reasons"]]
    assert metrics[0] == "hrv_7d" and set(metrics[1:]) <= {"resting_hr", "sleep"} and metrics[1:]
    assert advice["reasons"][0]["text"].startswith("Your HRV this week, ")
    assert all(r["grade"] == "H" and "Plews" in r["source"] for r in advice["reasons"])
    # the pain weeks: the signals are low too, but pain decides and is the only reason
    pain_nights = [dt.date.fromisoformat(d) for d in STORY["pain_nights"]]
    painful = low.filter(pl.col("date").is_between(pain_nights[0], pain_nights[-1]))
    assert painful.height >= 1 and set(painful["suggestion"]) <= {"rest", "cross_train"}
    for pain_day in painful["date"]:
        reasons = report.advise(pain_day).reasons
        assert not {r.metric for r in reasons} & {"hrv_7d", "resting_hr", "sleep"}
