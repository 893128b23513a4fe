"""Personal experiments, the analytics: simulated runners following the tool's own schedule
find a real effect and say "no clear difference" without one; adherence, washout, pauses,
refusals and the words."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import polars as pl
import pytest
from experiment_runner import NO_TICKS, NONE, START, VEST, analyse, runner_frames, schedule
from scipy import stats

from analytics.experiment_result import (
    Result,
    block_outcomes,
    day_exposure,
    experiment_days,
    pair_result,
    randomisation_p,
)
from analytics.experiment_schedule import (
    Lever,
    LeverError,
    check_design,
    draw_arms,
    lever_words,
    parse_lever,
    pause_triggers,
    resume_refusal,
    timeline,
)
from analytics.experiment_text import result_text

SEEDS = range(200)


def test_a_real_effect_of_one_and_a_half_points_is_found_in_most_seeds():
    results = [analyse(*runner_frames(seed, 1.5))[2] for seed in SEEDS]
    excludes_zero = np.mean([r.ci_low > 0 for r in results])
    found = np.mean([r.conclusion == "on_worse" for r in results])
    assert excludes_zero >= 0.8, excludes_zero
    assert found >= 0.75, found
    assert 1.3 < np.mean([r.effect for r in results]) < 1.7  # unbiased
    covered = np.mean([r.ci_low <= 1.5 <= r.ci_high for r in results])
    assert 0.88 <= covered <= 0.99, covered  # the 95 % interval is about right


def test_without_an_effect_it_says_no_clear_difference_in_about_95_percent_of_seeds():
    results = [analyse(*runner_frames(seed, 0.0))[2] for seed in SEEDS]
    no_clear = np.mean([r.conclusion == "no_clear_difference" for r in results])
    assert no_clear >= 0.93, no_clear
    false_ci = np.mean([r.ci_low > 0 or r.ci_high < 0 for r in results])
    assert false_ci <= 0.1, false_ci  # near the nominal 5 % under AR(1) pain
    assert 0.01 <= np.mean([r.p_randomisation < 0.05 for r in results]) <= 0.1


def test_the_per_pair_differences_mean_and_interval_are_those_of_the_blocks():
    line, runs, pain, load = runner_frames(7, 1.0)
    days, blocks, result = analyse(line, runs, pain, load)
    assert result.pairs_counted == 6 and blocks["counted"].all()
    by_block = {}
    for row in days.filter(~pl.col("washout")).iter_rows(named=True):
        by_block.setdefault((row["pair"], row["arm"]), []).append(row["outcome"])
    expected = [np.mean(by_block[(p, "on")]) - np.mean(by_block[(p, "off")])
                for p in range(1, 7)]
    assert [d for _, d in result.differences] == pytest.approx(expected)
    low, high = stats.t.interval(0.95, 5, loc=np.mean(expected), scale=stats.sem(expected))
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high))
    assert result.pairs_worse_on == sum(d > 0 for d in expected)


def test_randomisation_p_counts_every_order_of_the_pairs():
    diffs = np.array([1.0, -0.5, 2.0, 0.5, 1.5])
    extreme = sum(abs(np.mean(np.array(signs) * diffs)) >= abs(diffs.mean()) - 1e-12
                  for signs in itertools.product((1, -1), repeat=5))
    assert randomisation_p(diffs) == extreme / 32
    assert randomisation_p(np.ones(6)) == 2 / 64  # two-sided: all six pairs one way


def test_the_outcome_is_next_day_pain_and_the_first_day_of_each_block_is_left_out():
    line, runs, pain, load = runner_frames(3, 0.0)
    days, _, _ = analyse(line, runs, pain, load)
    first_days = line.blocks()["start"].to_list()
    assert days.filter(pl.col("washout"))["date"].to_list() == first_days
    tomorrow = dict(zip(pain["date"] - dt.timedelta(days=1), pain["pain"], strict=True))
    assert all(row["outcome"] == tomorrow[row["date"]] for row in days.iter_rows(named=True))
    # a huge pain only on the washout days' outcomes changes nothing
    spiked = pain.with_columns(pl.when(pl.col("date").is_in(
        [d + dt.timedelta(days=1) for d in first_days])).then(10.0).otherwise(pl.col("pain"))
        .alias("pain"))
    assert analyse(line, runs, spiked, load)[2] == analyse(line, runs, pain, load)[2]
    longer = timeline(START, draw_arms(5, 5), 14, START + dt.timedelta(days=200))
    assert longer.days.filter(pl.col("washout")).height == 10 * 2  # 2 days of 14-day blocks


def test_a_block_followed_on_less_than_70_percent_of_its_running_days_drops_its_pair():
    line, runs, pain, load = runner_frames(11, 1.5)
    block = line.blocks().row(4, named=True)  # block 5, pair 3
    in_block = pl.col("local_date").is_between(block["start"], block["end"])
    swap = (pl.when(pl.col("carry").is_null()).then(pl.lit("vest")).otherwise(pl.lit(None)))
    # 4 of its 7 run days against the schedule: 43 % followed
    wrong = runs.with_row_index().with_columns(
        pl.when(in_block & (pl.col("index") % 2 == 0) & (pl.col("index") > 0))
        .then(swap).otherwise(pl.col("carry")).alias("carry")).drop("index")
    _, blocks, result = analyse(line, wrong, pain, load)
    fifth = blocks.row(4, named=True)
    assert fifth["running_days"] == 7 and fifth["pct"] < 70 and not fifth["counted"]
    assert result.pairs_counted == 5 and 3 not in [p for p, _ in result.differences]
    # one day off (86 %) still counts
    once = runs.with_columns(pl.when(pl.col("local_date") == block["end"]).then(swap)
                             .otherwise(pl.col("carry")).alias("carry"))
    assert analyse(line, once, pain, load)[2].pairs_counted == 6


def test_too_few_counted_pairs_give_no_answer_and_say_why():
    line, runs, pain, load = runner_frames(5, 3.0, follow=0.0)  # never followed
    _, blocks, result = analyse(line, runs, pain, load)
    assert not blocks["counted"].any() and result.conclusion == "too_few_pairs"
    text = result_text(result, lever_words(VEST, NONE))
    assert "Only 0 of 6 pairs counted" in text and "70 %" in text
    # four counted pairs: numbers, but no words stronger than "too few"
    four = blocks.with_columns((pl.col("pair") <= 4).alias("counted"),
                               pl.lit(1.0).alias("pain_mean"))
    four = four.with_columns(pl.when(pl.col("arm") == "on").then(3.0).otherwise(1.0)
                             .alias("pain_mean"))
    few = pair_result(four, 6, complete=True)
    assert few.pairs_counted == 4 and few.conclusion == "too_few_pairs"


def test_an_unfinished_experiment_gives_no_numbers():
    line, runs, pain, load = runner_frames(2, 1.5)
    days = experiment_days(line.days, day_exposure(runs, VEST, NONE), NO_TICKS, pain, load,
                           lag_days=1, custom=False)
    halfway = line.blocks()["end"][5]
    blocks = block_outcomes(days, halfway)
    assert blocks["state"].to_list()[:6] == ["done"] * 5 + ["running"]
    result = pair_result(blocks, 6, complete=False)
    assert result.conclusion == "not_finished" and result.effect is None
    assert "answer comes after its last block" in result_text(result, lever_words(VEST, NONE),
                                                              end=line.end)


def test_fewer_than_five_pairs_and_slow_levers_in_pairs_are_refused():
    with pytest.raises(LeverError, match="at least 5 pairs"):
        check_design(VEST, "pairs", 4, 7)
    check_design(VEST, "pairs", 5, 7)
    core = Lever("custom", "core routine")
    with pytest.raises(LeverError, match="--design ab"):
        check_design(core, "pairs", 6, 7)
    with pytest.raises(LeverError, match="21 to 42 days"):
        check_design(core, "ab", 1, 14)
    check_design(core, "ab", 1, 21)
    with pytest.raises(LeverError, match="switches on and off quickly"):
        check_design(VEST, "ab", 1, 21)
    with pytest.raises(LeverError, match="5 to 14 days"):
        check_design(VEST, "pairs", 6, 4)


@pytest.mark.parametrize(("lever", "compare", "message"), [
    ("vest", None, "start with one of carry, warmup"),
    ("carry:", None, "carry needs a value"),
    ("carry:sack", None, "carry is one of none, bottle"),
    ("carry:none", None, "switches nothing on"),
    ("surface:ice", None, "surface is one of road"),
    ("shoes:Ghost", None, "gear id"),
    ("carry:vest", "shoes:2", "is not a carry lever"),
    ("carry:vest", "carry:vest", "is the lever itself"),
    ("warmup:long", None, "takes no value"),
    ("custom:" + "x" * 61, None, "longer than 60"),
])
def test_bad_levers_are_one_clear_line(lever, compare, message):
    with pytest.raises(LeverError, match=message):
        parse_lever(lever, compare)


def test_the_order_is_random_inside_each_pair_and_the_seed_repeats_it():
    assert draw_arms(4711) == draw_arms(4711)
    orders = [draw_arms(seed, 6) for seed in range(400)]
    for arms in orders:
        assert all({arms[i], arms[i + 1]} == {"on", "off"} for i in range(0, 12, 2))
    first_on = np.mean([arms[0] == "on" for arms in orders])
    assert 0.42 < first_on < 0.58
    assert len({arms for arms in orders}) > 50
    line = schedule(4711)
    assert line.end == START + dt.timedelta(days=83)
    assert line.days["arm"].to_list() == [a for a in draw_arms(4711) for _ in range(7)]


def test_high_pain_pauses_and_resuming_goes_on_where_it_stopped():
    arms = draw_arms(1, 5)
    pain_days = pl.DataFrame(
        {"date": [START + dt.timedelta(days=9), START + dt.timedelta(days=12)],
         "pain": [6, 2], "red_flags": [[], []]},
        schema={"date": pl.Date, "pain": pl.Int32, "red_flags": pl.List(pl.String)})
    triggers = pause_triggers(pain_days)
    assert triggers == [START + dt.timedelta(days=9)]
    today = START + dt.timedelta(days=12)
    paused = timeline(START, arms, 7, today, triggers)
    assert paused.paused_on == triggers[0]
    assert paused.days.filter(pl.col("paused"))["date"].to_list() == [
        START + dt.timedelta(days=d) for d in (10, 11, 12)]
    assert resume_refusal(pain_days, START + dt.timedelta(days=10)) is not None
    assert resume_refusal(pain_days, today) is None
    resumed = timeline(START, arms, 7, START + dt.timedelta(days=20), triggers, [today])
    # 70 days of blocks: two paused days push the end back by two; while still paused the
    # plan goes on tomorrow
    assert resumed.paused_on is None and resumed.end == START + dt.timedelta(days=69 + 2)
    assert paused.end == START + dt.timedelta(days=69 + 3)
    row = resumed.days.filter(pl.col("date") == today).row(0, named=True)
    assert (row["block"], row["washout"]) == (2, True)  # block 2 goes on; first day left out
    assert resumed.days.filter(pl.col("block") == 2).height == 7
    flagged = pain_days.with_columns(pl.Series("red_flags", [[], ["numbness"]]))
    assert pause_triggers(flagged) == [START + dt.timedelta(days=9), today]
    assert "warning sign" in resume_refusal(flagged, today + dt.timedelta(days=1))


def test_exposure_of_warm_up_shoes_and_surface_from_the_runs():
    day = [START, START, START + dt.timedelta(days=1), START + dt.timedelta(days=2)]
    runs = pl.DataFrame({"local_date": day, "warmup_s": [700.0, 650.0, 100.0, None],
                         "has_warmup": [True, True, False, None],
                         "shoes_id": ["3", "3", "4", None],
                         "surface": ["trail", "road", "road", None]})
    warm = day_exposure(runs, Lever("warmup"), None)
    assert warm["on"].to_list() == [True, False, None] and warm["off"].to_list() == [
        False, True, None]
    shoes = day_exposure(runs, Lever("shoes", "3"), Lever("shoes", "4"))
    assert shoes["on"].to_list() == [True, False, None]
    assert shoes["off"].to_list() == [False, True, None]
    assert day_exposure(pl.DataFrame(), VEST, NONE).is_empty()  # no runs, no run day
    trail = day_exposure(runs, Lever("surface", "trail"), None)
    assert trail["on"].to_list() == [False, False, None]  # one road run that day
    assert trail["off"].to_list() == [False, True, None]


def test_ticks_decide_where_the_runs_cannot_and_custom_levers_count_ticked_days():
    line = schedule(9, pairs=5)
    dates = line.days["date"].to_list()
    runs = pl.DataFrame({"local_date": dates[::2]})
    ticks = pl.DataFrame({"date": dates[:20], "followed": [True] * 19 + [False]})
    pain = pl.DataFrame({"date": dates, "pain": [2.0] * len(dates)})
    load = pl.DataFrame({"date": dates, "running_load": [40.0] * len(dates)})
    days = experiment_days(line.days, day_exposure(runs, Lever("custom", "cue"), None), ticks,
                           pain, load, lag_days=0, custom=True)
    blocks = block_outcomes(days, line.end + dt.timedelta(days=1))
    first = blocks.row(0, named=True)
    assert (first["running_days"], first["followed_days"]) == (7, 7)  # ticks on every day
    third = blocks.row(2, named=True)  # ticks up to day 20, then run days without a tick
    assert third["followed_days"] == 5 and third["running_days"] == 7  # one missed, one unticked
    assert not blocks.row(3, named=True)["counted"]


def test_words_never_claim_no_effect_and_name_a_load_difference():
    words = lever_words(VEST, NONE)
    unclear = Result(6, 6, ((1, 0.5), (2, -0.2)), 0.3, -0.5, 1.1, 0.41, 4, 30.0,
                     "no_clear_difference")
    text = result_text(unclear, words)
    assert "no clear difference" in text and "no effect" not in text.lower()
    assert "0.5 points better to 1.1 points worse" in text
    assert "30 % more load in vest weeks" in text
    worse = Result(6, 6, tuple((p, 1.2) for p in range(1, 7)), 1.2, 0.4, 2.0, 0.031, 6, 2.0,
                   "on_worse")
    assert result_text(worse, words) == (
        "In your 6-pair experiment, your back was 1.2 points worse in vest weeks (95 % CI "
        "0.4 to 2.0; worse in 6 of 6 pairs; randomisation p = 0.031). Running load was "
        "similar in both (+2 %).")
    warm = lever_words(Lever("warmup"), None)
    better = Result(6, 6, tuple((p, -1.5) for p in range(1, 7)), -1.5, -2.1, -0.9, 0.031, 0,
                    None, "on_better")
    assert "1.5 points better in warm-up weeks (95 % CI 0.9 to 2.1 points better; better " \
           "in 6 of 6 pairs" in result_text(better, warm)
    assert "Stopped on" in result_text(better, warm, stopped_on=START)
