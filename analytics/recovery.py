"""Recovery signals against the runner's own normal: HRV, resting heart rate, sleep.

docs/methods.md section 12. Input: one row per calendar day (the wake-up date for a night)
as :func:`ingest.wellness.store.wellness_days` gives it; a day without a value is missing,
never 0. Every comparison is with the runner's own history, and only once there is enough of
it (``recovery_min_days``, 21: Garmin asks for three weeks): before that the signal is
"still learning your normal (N of 21 days)" and its flag is null.

- HRV [P]: on ln(RMSSD). Weekly signal = 7-day rolling mean with >= 3 valid days (Plews et al.
  2014 IJSPP 9:783; >= 5 preferred, Flatt & Esco 2015 IJSPP 10:994). Baseline = 60-day rolling
  mean and SD of the daily values (the day included). Below normal when the 7-day mean is under
  baseline mean - 0.5 SD (the smallest worthwhile change; the width is a convention [H]). The
  alternative rule of Kiviniemi et al. 2007 (the day under the 10-day mean - 1 SD) is not used.
  The device's own HRV status (Garmin's) is passed through beside ours, never instead.
- Resting HR [P]: the day's own value against the median of the 30 days before (once the day
  and the days before hold 21 values); elevated when
  >= 5 bpm above it on 2 days running [H] (day-to-day changes are small and noisy: Buchheit 2014
  Front Physiol 5:73).
- Sleep [P]: total sleep of the night; the norm is the median of the 60 nights before; 7-day
  sleep debt = sum over the last 7 nights of max(0, norm - night) [H]. Short night: < 6 h;
  adults need >= 7 h (Watson et al. 2015 Sleep 38:843) [V].
- Readiness [H] (section 12.6): HRV below normal together with resting HR elevated or 2
  short nights running turns "train" into "easy" - the rule ``r3_recovery_low`` of
  :mod:`analytics.rules`, on these flags.

Examples
--------
Ten nights of 7 h then two of 5 h 30: both short, so ``short_nights`` holds on the last day.

>>> import datetime as dt
>>> days = pl.DataFrame({"date": [dt.date(2024, 3, 1) + dt.timedelta(days=i) for i in range(12)],
...                      "sleep_s": [25200.0] * 10 + [19800.0] * 2})
>>> recovery_daily(days)["short_nights"].to_list()[-3:]
[False, False, True]
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from analytics.settings import Settings, integer
from ingest import scalars

#: Columns read from the wellness days (missing ones count as null). ``hrv_sdnn_ms`` (Apple
#: Health) is carried along to be shown; the HRV signal is RMSSD only (section 12.3).
WELLNESS_INPUT: dict[str, pl.DataType] = {
    "date": pl.Date(), "resting_hr_bpm": pl.Float64(), "hrv_rmssd_ms": pl.Float64(),
    "hrv_sdnn_ms": pl.Float64(),
    "sleep_s": pl.Float64(), "sleep_score": pl.Float64(), "hrv_status": pl.String(),
    "hrv_baseline_low_ms": pl.Float64(), "hrv_baseline_high_ms": pl.Float64(),
    "source": pl.String(),
}
#: Per-day recovery flags for the factor analysis (section 11.4): column -> meaning.
FLAG_COLUMNS = {
    "short_sleep": "the night ending that day was shorter than short_sleep_h",
    "hrv_below_normal": "7-day HRV below the own normal band",
    "rhr_elevated": "resting HR elevated on rhr_elevated_days days running",
}


def hrv_week(ln_rmssd: pl.Expr, days: int = integer("hrv_week_days"),
             min_days: int = integer("hrv_week_min_days")) -> pl.Expr:
    """Rolling mean of ln(RMSSD) over ``days`` calendar days with >= ``min_days`` values [ln ms].

    Examples
    --------
    >>> df = pl.DataFrame({"x": [4.0, None, 4.2, None, None, None, 4.4]})
    >>> round(df.select(hrv_week(pl.col("x")))["x"][-1], 2)
    4.2
    """
    return ln_rmssd.rolling_mean(days, min_samples=min_days)


def own_mean(values: pl.Expr, days: int = integer("hrv_baseline_days"),
             min_days: int = integer("recovery_min_days")) -> pl.Expr:
    """Rolling mean of the last ``days`` calendar days (the day included), needing
    ``min_days`` values."""
    return values.rolling_mean(days, min_samples=min_days)


def own_sd(values: pl.Expr, days: int = integer("hrv_baseline_days"),
           min_days: int = integer("recovery_min_days")) -> pl.Expr:
    """Rolling sample SD of the last ``days`` calendar days (the day included)."""
    return values.rolling_std(days, min_samples=min_days)


def median_before(values: pl.Expr, days: int, min_days: int = integer("recovery_min_days")
                  ) -> pl.Expr:
    """Median of the ``days`` calendar days before each day (the day itself left out)."""
    return values.shift(1).rolling_median(days, min_samples=min_days)


def count_in(values: pl.Expr, days: int) -> pl.Expr:
    """Days with a value among the last ``days`` calendar days (the day included)."""
    return values.is_not_null().cast(pl.Int32).rolling_sum(days, min_samples=1)


def runs_of(flag: pl.Expr, days: int) -> pl.Expr:
    """True when ``flag`` held on each of the last ``days`` days; null when any is unknown
    and none is False."""
    as_int = flag.cast(pl.Int8)
    return (pl.when(as_int.rolling_min(days, min_samples=days) == 1).then(True)
            .when(as_int.fill_null(1).rolling_min(days, min_samples=days) == 0).then(False))


def sleep_debt(sleep_s: pl.Expr, norm_s: pl.Expr, days: int = integer("sleep_debt_days")
               ) -> pl.Expr:
    """Sum over the last ``days`` nights of max(0, norm - night) [s]; null without a norm.

    Examples
    --------
    >>> df = pl.DataFrame({"s": [7.0, 6.0, 8.0, None], "n": [7.5] * 4})
    >>> df.select(sleep_debt(pl.col("s"), pl.col("n"), 3).alias("d"))["d"].to_list()
    [0.5, 2.0, 2.0, 1.5]
    """
    shortfall = (norm_s - sleep_s).clip(lower_bound=0.0)
    return pl.when(norm_s.is_not_null()).then(shortfall.rolling_sum(days, min_samples=1))


def _calendar(wellness: pl.DataFrame, end: dt.date | None) -> pl.DataFrame:
    lazy = wellness.lazy()
    names = lazy.collect_schema().names()
    lazy = lazy.with_columns(*[pl.lit(None, dtype).alias(name)
                               for name, dtype in WELLNESS_INPUT.items() if name not in names])
    frame = lazy.select(pl.col(n).cast(t) for n, t in WELLNESS_INPUT.items()).collect()
    frame = frame.filter(pl.col("date").is_not_null()).sort("date")
    if frame.is_empty():
        return frame
    first, last = scalars.day(frame["date"].min()), scalars.day(frame["date"].max())
    last = max(last, end) if end else last
    days = pl.DataFrame({"date": pl.date_range(first, last, "1d", eager=True)})
    return days.join(frame, on="date", how="left")


def recovery_daily(wellness: pl.DataFrame | pl.LazyFrame,
                   settings: Settings | None = None, end: dt.date | None = None
                   ) -> pl.DataFrame:
    """One row per calendar day from the first wellness day to ``end`` (or the last day).

    Parameters
    ----------
    wellness
        Columns of :data:`WELLNESS_INPUT` (others are ignored), one row per date.
    settings
        Thresholds (section 12 settings); default the defaults.
    end
        Extend the calendar to this day (e.g. today).

    Returns
    -------
    polars.DataFrame
        The input columns plus ``hrv_ln``, ``hrv_7d_ms`` (exp of the 7-day ln mean),
        ``hrv_days``, ``rhr_days``, ``sleep_days`` (days with the value in its window, the
        day included: "N of 21 days"), ``hrv_normal_low_ms`` and
        ``hrv_normal_high_ms`` (exp of baseline mean -/+ width x SD), ``hrv_below_normal``;
        ``rhr_median_bpm``, ``rhr_delta_bpm``, ``rhr_elevated``;
        ``sleep_norm_s``, ``sleep_debt_7d_s``, ``short_sleep``,
        ``short_nights``. Flags are null while their signal is learning.
    """
    s = Settings.coerce(settings)
    frame = _calendar(wellness.collect() if isinstance(wellness, pl.LazyFrame) else wellness,
                      end)
    ln = pl.col("hrv_ln")
    baseline_days, need = s.integer("hrv_baseline_days"), s.integer("recovery_min_days")
    width = s.number("hrv_band_sd")
    rhr, sleep = pl.col("resting_hr_bpm"), pl.col("sleep_s")
    short = sleep < 3600 * s.number("short_sleep_h")
    out = frame.with_columns(
        pl.when(pl.col("hrv_rmssd_ms") > 0).then(pl.col("hrv_rmssd_ms").log()).alias("hrv_ln"),
    ).with_columns(
        hrv_week(ln, s.integer("hrv_week_days"), s.integer("hrv_week_min_days")).alias("_week"),
        own_mean(ln, baseline_days, need).alias("_base"),
        own_sd(ln, baseline_days, need).alias("_sd"),
        count_in(ln, baseline_days).alias("hrv_days"),
        # "21 days of data" = the day and 20 before it: the median of those before needs 20
        median_before(rhr, s.integer("rhr_median_days"), need - 1).alias("rhr_median_bpm"),
        count_in(rhr, s.integer("rhr_median_days")).alias("rhr_days"),
        median_before(sleep, s.integer("sleep_norm_days"), need - 1).alias("sleep_norm_s"),
        count_in(sleep, s.integer("sleep_norm_days")).alias("sleep_days"),
        short.alias("short_sleep"),
    ).with_columns(
        pl.col("_week").exp().alias("hrv_7d_ms"),
        (pl.col("_base") - width * pl.col("_sd")).exp().alias("hrv_normal_low_ms"),
        (pl.col("_base") + width * pl.col("_sd")).exp().alias("hrv_normal_high_ms"),
        (pl.col("_week") < pl.col("_base") - width * pl.col("_sd")).alias("hrv_below_normal"),
        (rhr - pl.col("rhr_median_bpm")).alias("rhr_delta_bpm"),
        sleep_debt(sleep, pl.col("sleep_norm_s"), s.integer("sleep_debt_days"))
        .alias("sleep_debt_7d_s"),
        runs_of(short, s.integer("short_nights")).alias("short_nights"),
    ).with_columns(
        runs_of(pl.col("rhr_delta_bpm") >= s.number("rhr_elevated_bpm"),
                s.integer("rhr_elevated_days")).alias("rhr_elevated"),
    )
    return out.drop("_week", "_base", "_sd")


#: Columns of :func:`recovery_daily` the daily report carries (the source renamed
#: ``wellness_source``).
REPORT_COLUMNS = (
    "resting_hr_bpm", "hrv_rmssd_ms", "sleep_s", "sleep_score", "hrv_status", "hrv_7d_ms",
    "hrv_days", "hrv_normal_low_ms", "hrv_normal_high_ms", "hrv_below_normal", "rhr_median_bpm",
    "rhr_days", "rhr_delta_bpm", "rhr_elevated", "sleep_norm_s", "sleep_days", "sleep_debt_7d_s",
    "short_sleep", "short_nights",
)


def report_columns(daily: pl.DataFrame) -> pl.DataFrame:
    """``date``, :data:`REPORT_COLUMNS` and ``wellness_source`` of :func:`recovery_daily`, to
    join onto the daily report."""
    return daily.select("date", *REPORT_COLUMNS, pl.col("source").alias("wellness_source"))


def recovery_flags(daily: pl.DataFrame) -> pl.DataFrame:
    """Per-day flags of :data:`FLAG_COLUMNS` (null = unknown) from :func:`recovery_daily`,
    for the factor analysis of section 11.4 (short sleep enters there at lags 0 and 1)."""
    return daily.select("date", *FLAG_COLUMNS)

