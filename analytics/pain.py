"""Pain journal: daily ratings, red flags, z-score, trend and episodes.

docs/methods.md sections 7-8. Journal rows: ``date`` (local Date), ``area`` (upper-back |
lower-back | neck | other), ``level`` (0-10), ``during_run`` (bool), ``red_flags`` (list of the
names below), ``note``. A day without an entry is unrated (null), never 0.

Flag names the journal may carry are defined once in :mod:`ingest.journal` (emergency signs,
red flags, rest symptoms); an unknown name is treated as a red flag, the safe side. The red flags
follow NICE-based pathways [V]; evidence for runners' thoracic pain is thin [U].
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from analytics.settings import integer, number

#: Columns of :func:`daily_pain`.
PAIN_SCHEMA: dict[str, pl.DataType] = {
    "date": pl.Date(),
    "pain": pl.Int32(),
    "pain_during_run": pl.Boolean(),
    "red_flags": pl.List(pl.String()),
}


def daily_pain(journal: pl.DataFrame | pl.LazyFrame | None,
               areas: Sequence[str] | None = None) -> pl.DataFrame:
    """One row per rated day: the highest level, pain during a run, the flags reported.

    Parameters
    ----------
    journal
        Pain journal (module docstring); ``None`` = empty.
    areas
        Body areas counted (default all). Red flags count whatever the area.

    Returns
    -------
    polars.DataFrame
        Columns of :data:`PAIN_SCHEMA`, sorted by date; ``pain`` is null on a day whose only
        entries are for other areas.
    """
    if journal is None:
        return pl.DataFrame(schema=PAIN_SCHEMA)
    frame = journal.lazy()
    names = frame.collect_schema().names()
    if "red_flags" not in names:
        frame = frame.with_columns(pl.lit([], dtype=pl.List(pl.String)).alias("red_flags"))
    if "during_run" not in names:
        frame = frame.with_columns(pl.lit(False).alias("during_run"))
    counted = pl.col("area").is_in(list(areas)) if areas else pl.lit(True)
    frame = frame.with_columns(pl.col("date").cast(pl.Date),
                               pl.col("red_flags").cast(pl.List(pl.String)))
    # flags are rare: gather them from the flagged entries only
    flags = (
        frame.filter(pl.col("red_flags").list.len() > 0)
        .select("date", "red_flags")
        .explode("red_flags")
        .drop_nulls()
        .group_by("date").agg(pl.col("red_flags").unique().sort())
    )
    out = (
        frame.group_by("date")
        .agg(
            pl.col("level").filter(counted).max().cast(pl.Int32).alias("pain"),
            pl.col("during_run").filter(counted).fill_null(False).any()
            .alias("pain_during_run"),
        )
        .join(flags, on="date", how="left")
        .with_columns(pl.col("red_flags").fill_null(pl.lit([], dtype=pl.List(pl.String))))
        .sort("date")
        .select(list(PAIN_SCHEMA))
        .cast(PAIN_SCHEMA)  # type: ignore[arg-type]
    )
    return out.collect()


def pain_zscore(pain: pl.Expr, days: int = integer("pain_z_days"),
                min_days: int = integer("pain_z_min_days")) -> pl.Expr:
    """Pain against the previous ``days`` days: z = (p_t - mean) / SD (sample SD) [-].

    Needs ``min_days`` rated days in the window; null when SD = 0 (undefined). |z| >= 2 is
    notable [H].
    """
    previous = pain.cast(pl.Float64).shift(1)
    mean = previous.rolling_mean(days, min_samples=min_days)
    sd = previous.rolling_std(days, min_samples=min_days)
    return pl.when(sd > 0).then((pain - mean) / sd)


def pain_vs_median(pain: pl.Expr, days: int = integer("pain_median_days"),
                   min_days: int = integer("pain_median_min_days")) -> pl.Expr:
    """Pain minus the median of the previous ``days`` days' ratings [points].

    Examples
    --------
    >>> df = pl.DataFrame({"p": [1, 2, 1, None, 2, 1, 1, 4]})
    >>> df.select(pain_vs_median(pl.col("p")))["p"][-1]  # median(1,2,1,2,1,1) = 1
    3.0
    """
    median = pain.cast(pl.Float64).shift(1).rolling_median(days, min_samples=min_days)
    return pain - median


def pain_trend(pain: pl.Expr, days: int = integer("rising_pain_days"),
               min_days: int = integer("rising_pain_min_days")) -> pl.Expr:
    """Least-squares slope of pain over the last ``days`` days [points/day].

    Unrated days are left out; null with fewer than ``min_days`` ratings.

    .. math:: b = \\frac{n\\sum xy - \\sum x \\sum y}{n \\sum x^2 - (\\sum x)^2}

    Examples
    --------
    >>> df = pl.DataFrame({"p": [0, 1, None, 3, 4, 5, 6, 7]})
    >>> df.select(pain_trend(pl.col("p")))["p"][-1]
    1.0
    """
    y = pain.cast(pl.Float64)
    x = pl.when(y.is_not_null()).then(pl.int_range(pain.len()).cast(pl.Float64))

    def total(values: pl.Expr) -> pl.Expr:
        return values.rolling_sum(days, min_samples=1)

    n = total(y.is_not_null().cast(pl.Float64))
    sx, sy, sxy, sxx = total(x), total(y), total(x * y), total(x * x)
    denominator = n * sxx - sx * sx
    return pl.when((n >= min_days) & (denominator > 0)).then((n * sxy - sx * sy) / denominator)


def episode_id(pain: pl.Expr, min_level: int = integer("episode_min_level"),
               gap_days: int = integer("episode_gap_days")) -> pl.Expr:
    """Number of the pain episode a day belongs to (null outside episodes).

    An episode is a run of days rated >= ``min_level``; up to ``gap_days`` unrated days do not
    interrupt it, a rating below ``min_level`` ends it.
    """
    return pl.when(_in_episode(pain, min_level, gap_days)).then(
        _episode_starts(pain, min_level, gap_days).cast(pl.Int32).cum_sum())


def _in_episode(pain: pl.Expr, min_level: int, gap_days: int) -> pl.Expr:
    rated_in_pain = (pain >= min_level).cast(pl.Int8)
    return rated_in_pain.forward_fill(limit=gap_days).fill_null(0) == 1


def _episode_starts(pain: pl.Expr, min_level: int, gap_days: int) -> pl.Expr:
    state = _in_episode(pain, min_level, gap_days)
    return state & ~state.shift(1).fill_null(False)


def episode_start_index(pain: pl.Expr, min_level: int = integer("episode_min_level"),
                        gap_days: int = integer("episode_gap_days")) -> pl.Expr:
    """Row index of the first day of the episode a day belongs to (null outside episodes)."""
    index = pl.int_range(pain.len())
    start = pl.when(_episode_starts(pain, min_level, gap_days)).then(index).forward_fill()
    return pl.when(_in_episode(pain, min_level, gap_days)).then(start)


def pain_episodes(daily: pl.DataFrame | pl.LazyFrame,
                  min_level: int = integer("episode_min_level"),
                  gap_days: int = integer("episode_gap_days")) -> pl.DataFrame:
    """Pain episodes of a daily pain series.

    Parameters
    ----------
    daily
        ``date`` and ``pain``, one row per calendar day (unrated days null), in date order.
    min_level
        Lowest rating inside an episode (e.g. 3 for the episodes that suggest cross-training).

    Returns
    -------
    polars.DataFrame
        ``start``, ``end`` (last rated day >= ``min_level``), ``days`` (end - start + 1),
        ``peak_date`` (first day at the peak), ``peak``, ``mean`` (of rated days).
    """
    in_episode = (
        daily.lazy()
        .with_columns(episode_id(pl.col("pain"), min_level, gap_days).alias("episode"))
        .filter(pl.col("episode").is_not_null() & (pl.col("pain") >= min_level))
    )
    return (
        in_episode.group_by("episode")
        .agg(
            pl.col("date").min().alias("start"),
            pl.col("date").max().alias("end"),
            pl.col("date").sort_by("pain", descending=True, maintain_order=True).first()
            .alias("peak_date"),
            pl.col("pain").max().alias("peak"),
            pl.col("pain").mean().alias("mean"),
        )
        .with_columns(((pl.col("end") - pl.col("start")).dt.total_days() + 1).alias("days"))
        .sort("start")
        .select("start", "end", "days", "peak_date", "peak", "mean")
        .collect()
    )


def not_improving(pain: pl.Expr, days: int = integer("no_improvement_days"),
                  min_level: int = integer("episode_min_level"),
                  gap_days: int = integer("episode_gap_days"),
                  change_points: float = number("pain_change_points"),
                  change_pct: float = number("pain_change_pct"),
                  start: pl.Expr | None = None) -> pl.Expr:
    """True on days of a pain episode (ratings >= ``min_level``) at least ``days`` old whose
    last-7-day mean has not fallen meaningfully (by ``change_points`` or ``change_pct`` %,
    Farrar 2001) below the mean of the episode's first 7 days (NICE: no improvement after ~4
    weeks). ``start`` may pass a precomputed :func:`episode_start_index` (same ``min_level``
    and ``gap_days``) to save work.

    The episode threshold (default 3, the level that already changes training) is ours [H]:
    with 1 a month of a barely noticeable niggle would send every runner to a professional.

    Examples
    --------
    Pain 4 for 30 days: day 29 (index 28) is 28 days into the episode, no improvement.

    >>> df = pl.DataFrame({"p": [4] * 30})
    >>> df.select(not_improving(pl.col("p"))).to_series().to_list()[26:]
    [False, False, True, True]
    """
    if start is None:
        start = episode_start_index(pain, min_level, gap_days)
    index = pl.int_range(pain.len())
    rated = pain.is_not_null().cast(pl.Float64).cum_sum()
    total = pain.cast(pl.Float64).fill_null(0.0).cum_sum()
    end_of_week = pl.min_horizontal(start + 6, index)
    before = start - 1

    def window(cumulative: pl.Expr) -> pl.Expr:
        prior = pl.when(before >= 0).then(cumulative.gather(before.clip(0))).otherwise(0.0)
        return cumulative.gather(end_of_week.fill_null(0)) - prior

    first_week = window(total) / window(rated)
    recent = pain.cast(pl.Float64).rolling_mean(7, min_samples=1)
    drop = first_week - recent
    improved = (drop >= change_points) | (drop >= change_pct / 100.0 * first_week)
    return (start.is_not_null() & (index - start >= days) & ~improved).fill_null(False)


def new_onset(pain: pl.Expr, dates: pl.Expr, birth_year: int | None,
              history_days: int = integer("onset_history_days"),
              min_level: int = integer("episode_min_level"),
              gap_days: int = integer("episode_gap_days"),
              age_low: int = integer("onset_age_low"),
              age_high: int = integer("onset_age_high"),
              start: pl.Expr | None = None) -> pl.Expr:
    """True in the first ``history_days`` of a *new* pain episode when the age at its start is
    below ``age_low`` or above ``age_high`` (NICE red flag).

    An episode (ratings >= ``min_level``) counts as new only when the journal shows it: at least
    one rating in the ``history_days`` before its start, all below ``min_level`` [H]; a journal
    that starts in pain cannot tell a new onset from an old one. ``start``: as in
    :func:`not_improving`.
    """
    if birth_year is None:
        return pl.repeat(False, pain.len())
    if start is None:
        start = episode_start_index(pain, min_level, gap_days)
    index = pl.int_range(pain.len())
    rated_before = pain.is_not_null().cast(pl.Int32).shift(1).rolling_sum(
        history_days, min_samples=1)
    pain_before = pain.shift(1).rolling_max(history_days, min_samples=1)
    new_here = ((rated_before > 0) & (pain_before < min_level)).fill_null(False)
    at_start = start.fill_null(0)
    age = dates.gather(at_start).dt.year() - birth_year
    odd_age = (age < age_low) | (age > age_high)
    return (start.is_not_null() & new_here.gather(at_start) & odd_age
            & (index - start < history_days)).fill_null(False)
