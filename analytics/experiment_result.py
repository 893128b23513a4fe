"""Personal experiments: what was followed, each block's pain, and the answer.

docs/methods.md sections 13.3-13.6.

- Adherence [H]: a run day follows an "on" block when its runs show the lever (the run's
  carry, a warm-up >= ``experiment_warmup_min_s``, the shoes, the surface) and an "off" block
  when they show the comparison (no pack, no warm-up, other shoes or surface); where the runs
  cannot tell (a custom lever, an unclassified warm-up, no shoes or surface recorded) the
  runner's tick decides, and a day with neither counts as not followed. Days considered: run
  days, and for a custom lever also ticked days. A block counts when at least
  ``experiment_adherence_pct`` of them followed, it is over, and it has at least
  ``experiment_min_rated_days`` analysed days with a pain rating (our minimum); a pair counts
  when both of its blocks count.
- Outcome [P]: daily pain of the chosen area (the day's highest rating), the next day for a
  run-day lever. The first day(s) of each block and the first day after a pause are left out.
- Analysis [P]: per counted pair j, d_j = mean pain of the "on" block - mean of the "off"
  block; effect = mean d_j with a 95 % CI from the t distribution with k - 1 df (Chen & Chen
  2014 PLoS One 9:e87752); the exact randomisation p over the 2^k within-pair orders, two-sided
  (the share of sign patterns of the d_j whose mean is at least as far from 0). Deviation from
  the design text, whose example (6 of 6 pairs, p = 0.016) is one-sided: two-sided, the
  smallest p is 2^(1-k) (0.031 with 6 pairs, 0.0625 with 5); the conclusion rests on the CI.
- Load [P]: mean daily running load on the analysed days of counted "on" vs "off" blocks [%].
- Baseline -> intervention (design ``ab``): the difference of the weekly means of the two
  phases with a Welch t interval; no randomisation p (there was no random order).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import stats

from analytics.experiment_schedule import Lever
from analytics.settings import integer, number
from ingest import scalars

#: Run columns read by :func:`day_exposure` (missing ones count as null).
RUN_INPUT: dict[str, pl.DataType] = {
    "local_date": pl.Date(), "carry": pl.String(), "surface": pl.String(),
    "shoes_id": pl.String(), "warmup_s": pl.Float64(), "has_warmup": pl.Boolean(),
}
#: Columns of :func:`block_outcomes`.
BLOCK_SCHEMA: dict[str, pl.DataType] = {
    "block": pl.Int64(), "pair": pl.Int64(), "arm": pl.String(), "start": pl.Date(),
    "end": pl.Date(), "state": pl.String(), "running_days": pl.Int64(),
    "followed_days": pl.Int64(), "pct": pl.Float64(), "adherent": pl.Boolean(),
    "rated_days": pl.Int64(), "pain_mean": pl.Float64(), "load_mean": pl.Float64(),
    "counted": pl.Boolean(),
}
CONCLUSIONS = ("on_worse", "on_better", "no_clear_difference", "too_few_pairs",
               "not_finished")
WEEK = 7


def _typed(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    if frame.is_empty():  # (literals alone would make one row)
        return pl.DataFrame(schema=schema)
    return frame.select([pl.col(n).cast(t) if n in frame.columns else pl.lit(None, t).alias(n)
                         for n, t in schema.items()])


def _run_states(lever: Lever, compare: Lever | None, warmup_min_s: float
                ) -> tuple[pl.Expr, pl.Expr]:
    """(on, off) of one run: True/False where the run shows it, null where it cannot."""
    value = lever.value
    other = compare.value if compare is not None else None
    if lever.kind == "carry":
        carry = pl.col("carry").fill_null("none")  # a run without a recorded pack: none
        return carry == value, carry == (other or "none")
    if lever.kind == "warmup":
        known = pl.col("has_warmup").is_not_null()
        on = pl.when(known).then(pl.col("warmup_s").fill_null(0.0) >= warmup_min_s)
        return on, pl.when(known).then(~pl.col("has_warmup"))
    if lever.kind in ("shoes", "surface"):
        column = pl.col("shoes_id" if lever.kind == "shoes" else "surface")
        off = column == other if other is not None else column != value
        return column == value, off
    unknown = pl.lit(None, pl.Boolean)
    return unknown, unknown


def day_exposure(runs: pl.DataFrame, lever: Lever, compare: Lever | None, *,
                 warmup_min_s: float = number("experiment_warmup_min_s")) -> pl.DataFrame:
    """Per run day: ``date``, ``runs``, ``on`` and ``off`` - True when every run the data can
    judge showed that arm (and at least one could), False when one did not, null when none
    could be judged.

    ``runs``: one row per run counted in the load (:data:`RUN_INPUT`; ``shoes_id`` the gear
    id as text).
    """
    on, off = _run_states(lever, compare, warmup_min_s)
    run = _typed(runs, RUN_INPUT).with_columns(on.alias("on"), off.alias("off"))
    return (run.group_by(pl.col("local_date").alias("date"))
            .agg(pl.len().cast(pl.Int64).alias("runs"),
                 *[pl.when(pl.col(arm).is_not_null().any()).then(pl.col(arm).drop_nulls().all())
                   .alias(arm) for arm in ("on", "off")])
            .sort("date"))


def experiment_days(days: pl.DataFrame, exposure: pl.DataFrame, ticks: pl.DataFrame,
                    pain: pl.DataFrame, load: pl.DataFrame, *, lag_days: int,
                    custom: bool) -> pl.DataFrame:
    """The calendar (:attr:`Timeline.days`) with what happened each day.

    Parameters
    ----------
    exposure
        :func:`day_exposure`.
    ticks
        ``date``, ``followed`` (the runner's daily ticks).
    pain
        ``date``, ``pain`` of the chosen area (one row per rated day).
    load
        ``date``, ``running_load`` [HRSS points].
    lag_days
        The outcome of day t is the pain of day t + ``lag_days``.
    custom
        Ticked days count as considered days too (a custom lever).

    Returns
    -------
    polars.DataFrame
        The calendar's columns and ``runs``, ``followed`` (null when the day is not
        considered), ``outcome`` (pain), ``running_load`` (0 on days without).
    """
    outcome = pain.select((pl.col("date") - pl.duration(days=lag_days)).alias("date"),
                          pl.col("pain").cast(pl.Float64).alias("outcome"))
    out = (days.join(exposure, on="date", how="left")
           .join(ticks.select("date", pl.col("followed").alias("tick")), on="date", how="left")
           .join(outcome, on="date", how="left")
           .join(load.select("date", "running_load"), on="date", how="left"))
    ran = pl.col("runs").fill_null(0) > 0
    considered = (ran | pl.col("tick").is_not_null()) if custom else ran
    data = pl.when(pl.col("arm") == "on").then(pl.col("on")).otherwise(pl.col("off"))
    followed = pl.coalesce(data, pl.col("tick"), pl.lit(False))
    return out.with_columns(
        pl.col("runs").fill_null(0),
        pl.when(considered & pl.col("block").is_not_null()).then(followed).alias("followed"),
        pl.col("running_load").fill_null(0.0),
    ).select(*days.columns, "runs", "followed", "outcome", "running_load")


def block_outcomes(days: pl.DataFrame, today: dt.date, *,
                   adherence_pct: float = number("experiment_adherence_pct"),
                   min_rated: int = integer("experiment_min_rated_days")) -> pl.DataFrame:
    """One row per block (:data:`BLOCK_SCHEMA`) from :func:`experiment_days`, as of ``today``.

    ``state``: planned (starts after today), running, done (ended before today). Adherence
    counts the considered days up to today; ``pain_mean`` and ``load_mean`` the analysed days
    (not washout). ``counted``: done, adherent and at least ``min_rated`` rated analysed days.
    """
    until = pl.col("date") <= today
    analysed = ~pl.col("washout") & until
    blocks = days.filter(pl.col("block").is_not_null()).group_by("block", "pair", "arm").agg(
        pl.col("date").min().alias("start"), pl.col("date").max().alias("end"),
        pl.col("followed").filter(until).is_not_null().sum().cast(pl.Int64)
        .alias("running_days"),
        pl.col("followed").filter(until).fill_null(False).sum().cast(pl.Int64)
        .alias("followed_days"),
        pl.col("outcome").filter(analysed).is_not_null().sum().cast(pl.Int64)
        .alias("rated_days"),
        pl.col("outcome").filter(analysed).mean().alias("pain_mean"),
        pl.col("running_load").filter(analysed).mean().alias("load_mean"),
    ).sort("block")
    pct = pl.when(pl.col("running_days") > 0).then(
        100.0 * pl.col("followed_days") / pl.col("running_days"))
    state = (pl.when(pl.col("start") > today).then(pl.lit("planned"))
             .when(pl.col("end") >= today).then(pl.lit("running")).otherwise(pl.lit("done")))
    return blocks.with_columns(pct.alias("pct"), state.alias("state")).with_columns(
        (pl.col("pct") >= adherence_pct).fill_null(False).alias("adherent"),
    ).with_columns(
        ((pl.col("state") == "done") & pl.col("adherent") & (pl.col("rated_days") >= min_rated))
        .alias("counted"),
    ).select(list(BLOCK_SCHEMA))


@dataclass(frozen=True)
class Result:
    """The answer of an experiment (section 13.5); ``effect`` = on - off [points of pain],
    positive = worse with the lever. Numbers are ``None`` where they cannot be computed."""

    pairs_planned: int
    pairs_counted: int
    differences: tuple[tuple[int, float], ...] = ()  # (pair, d_j) of counted pairs
    effect: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_randomisation: float | None = None
    pairs_worse_on: int | None = None
    load_diff_pct: float | None = None
    conclusion: str = "not_finished"


def randomisation_p(differences: np.ndarray) -> float:
    """Exact two-sided randomisation p over the 2^k within-pair orders: the share of sign
    patterns whose mean difference is at least as far from 0 as the one observed.

    >>> randomisation_p(np.array([1.0, 2.0, 1.5, 0.5, 1.0, 2.0]))
    0.03125
    """
    k = len(differences)
    signs = ((np.arange(2 ** k)[:, None] >> np.arange(k)) & 1) * 2 - 1
    means = np.abs(signs @ differences) / k
    return float(np.mean(means >= abs(differences.mean()) - 1e-9))


def _conclusion(effect: float, low: float, high: float, meaningful: float) -> str:
    if (low > 0 or high < 0) and abs(effect) >= meaningful:
        return "on_worse" if effect > 0 else "on_better"
    return "no_clear_difference"


def _load_diff(counted: pl.DataFrame) -> float | None:
    on = scalars.number_or_none(counted.filter(pl.col("arm") == "on")["load_mean"].mean())
    off = scalars.number_or_none(counted.filter(pl.col("arm") == "off")["load_mean"].mean())
    if on is None or off is None or not off:
        return None
    return 100.0 * (on - off) / off


def pair_result(blocks: pl.DataFrame, pairs_planned: int, complete: bool, *,
                min_pairs: int = integer("experiment_min_pairs"),
                meaningful: float = number("experiment_meaningful_points")) -> Result:
    """The result of a randomised experiment from :func:`block_outcomes` (module docstring).

    ``complete``: the schedule is over or was stopped; before that the conclusion is
    ``not_finished`` and no number is given (looking early and stopping when it "looks clear"
    makes the answer unreliable). Fewer than ``min_pairs`` counted pairs: ``too_few_pairs``
    (the numbers are still given). Else ``on_worse``/``on_better`` for a CI excluding 0 and
    an effect of at least ``meaningful`` points, otherwise ``no_clear_difference``.
    """
    counted_pairs = (blocks.filter(pl.col("counted")).group_by("pair").len()
                     .filter(pl.col("len") == 2)["pair"])
    counted = blocks.filter(pl.col("pair").is_in(counted_pairs.implode()))
    if not complete:
        return Result(pairs_planned, counted_pairs.len())
    wide = counted.pivot("arm", index="pair", values="pain_mean").sort("pair")
    diffs = (wide["on"] - wide["off"]).to_numpy() if wide.height else np.array([])
    k = len(diffs)
    base = Result(pairs_planned, k, tuple(zip(wide["pair"].to_list(), diffs.tolist(),
                                              strict=True)) if k else (),
                  conclusion="too_few_pairs", load_diff_pct=_load_diff(counted))
    if k < 2:
        return base
    effect = float(diffs.mean())
    spread = float(diffs.std(ddof=1)) / np.sqrt(k)
    margin = float(stats.t.ppf(0.975, k - 1)) * spread
    low, high = effect - margin, effect + margin
    conclusion = "too_few_pairs" if k < min_pairs else _conclusion(effect, low, high,
                                                                   meaningful)
    return Result(pairs_planned, k, base.differences, effect, low, high, randomisation_p(diffs),
                  int((diffs > 0).sum()), base.load_diff_pct, conclusion)


def ab_result(days: pl.DataFrame, blocks: pl.DataFrame, complete: bool, *,
              meaningful: float = number("experiment_meaningful_points")) -> Result:
    """Baseline -> intervention (design ``ab``): weekly means of the analysed rated days of
    each counted phase; effect = mean of the "on" weeks - mean of the "off" weeks with a Welch
    t interval; no randomisation p. Both phases must count and have 2 weeks with ratings."""
    counted = blocks.filter(pl.col("counted"))
    if not complete:
        return Result(1, int(counted.height == 2))
    base = Result(1, 0, conclusion="too_few_pairs")
    if counted.height < 2:
        return base
    weeks = (days.filter(~pl.col("washout") & pl.col("outcome").is_not_null())
             .join(counted.select("block", "start"), on="block")
             .group_by("arm", ((pl.col("date") - pl.col("start")).dt.total_days() // WEEK)
                       .alias("week"))
             .agg(pl.col("outcome").mean()))
    on = weeks.filter(pl.col("arm") == "on")["outcome"].to_numpy()
    off = weeks.filter(pl.col("arm") == "off")["outcome"].to_numpy()
    if len(on) < 2 or len(off) < 2:
        return base
    test = stats.ttest_ind(on, off, equal_var=False)
    low, high = test.confidence_interval(0.95)
    effect = float(on.mean() - off.mean())
    return Result(1, 1, ((1, effect),), effect, float(low), float(high), None,
                  int(effect > 0), _load_diff(counted),
                  _conclusion(effect, float(low), float(high), meaningful))
