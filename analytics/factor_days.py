"""The day table of the factor analysis: one row per calendar day, one column per factor.

docs/methods.md section 11.4. Factors of a day t (yes/no as 0/1, null = not applicable):

- training load of the day [HRSS points]; change of the 7-day load vs the 7 days before [%]
  (clipped to -100..+200 %, so one week after a break does not dominate the slope);
- the longest run's ratio to the longest run of the previous 30 days; cadence drift [%/h];
- per run day: each carry type on the day's runs (a run without a recorded pack counts as
  without); each pair of shoes in use; km past the retirement distance of the day's shoes;
  each surface (runs of unknown surface are left out); a run without a warm-up (runs that
  could not be classified are left out);
- body work: at least one session in the 7 days up to t (all days);
- cross-training share of the 7-day load [%];
- breathing and form where recorded: the rise of breathing rate, ground contact time and
  vertical oscillation at matched speed within the day's runs [%];
- recovery (section 12.6): a short night (the night ending on t), HRV below the own normal,
  resting HR elevated - related to pain on the same and the next day.
"""

from __future__ import annotations

import polars as pl

from analytics.factors import CONTINUOUS, Factor
from analytics.settings import number

#: Factors that every history may have (carry types, shoes and surfaces are added per data).
BASE_FACTORS: tuple[Factor, ...] = (
    Factor("load", "higher training load", CONTINUOUS, 50.0, "50 load points", adjust=False),
    Factor("load_change_7d", "a rise in 7-day load", CONTINUOUS, 10.0,
           "10 % more 7-day load than the week before", window_days=14),
    Factor("long_run_ratio", "a longer longest run", CONTINUOUS, 0.1,
           "0.1 x the longest run of the previous 30 days"),
    Factor("cadence_drift", "runs whose cadence faded", CONTINUOUS, -1.0,
           "1 %/h more fall of cadence at matched speed"),
    Factor("shoe_km_past_retirement", "runs in shoes past their retirement distance",
           CONTINUOUS, 100.0, "100 km past the retirement distance"),
    Factor("no_warmup", "runs without a warm-up"),
    Factor("bodywork_7d", "a week with body work", window_days=7),
    Factor("cross_training_share", "more cross-training", CONTINUOUS, 10.0,
           "10 percentage points more of the 7-day load from cross-training", window_days=7),
    Factor("respiration_drift", "runs whose breathing rate rose", CONTINUOUS, 5.0,
           "5 % more rise of breathing rate at matched speed"),
    Factor("ground_contact_change", "runs whose ground contact time rose", CONTINUOUS, 2.0,
           "2 % more rise of ground contact time at matched speed"),
    Factor("vertical_oscillation_change", "runs whose vertical oscillation rose", CONTINUOUS,
           2.0, "2 % more rise of vertical oscillation at matched speed"),
    Factor("short_sleep", "a short night", lags=(0, 1), night=True),
    Factor("hrv_below_normal", "HRV below your normal", lags=(0, 1)),
    Factor("rhr_elevated", "an elevated resting heart rate", lags=(0, 1)),
)
#: Run columns read by :func:`factor_days` (missing ones count as null).
RUN_INPUT: dict[str, pl.DataType] = {
    "local_date": pl.Date(), "carry": pl.String(), "surface": pl.String(),
    "shoes": pl.String(), "shoe_km_before": pl.Float64(), "retire_km": pl.Float64(),
    "has_warmup": pl.Boolean(), "respiration_drift_pct": pl.Float64(),
    "ground_contact_change_pct": pl.Float64(), "vertical_oscillation_change_pct": pl.Float64(),
}
#: Daily report columns read (missing ones count as null).
DAILY_INPUT: dict[str, pl.DataType] = {
    "date": pl.Date(), "pain": pl.Float64(), "load": pl.Float64(),
    "running_load": pl.Float64(), "load_change_pct": pl.Float64(),
    "longest_run_ratio": pl.Float64(), "drift_pct": pl.Float64(),
    "bodywork_sessions": pl.Float64(), "short_sleep": pl.Boolean(),
    "hrv_below_normal": pl.Boolean(), "rhr_elevated": pl.Boolean(),
}
LOAD_CHANGE_CLIP = (-100.0, 200.0)
BODYWORK_DAYS = 7


def _typed(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return frame.select([pl.col(n).cast(t) if n in frame.columns else pl.lit(None, t).alias(n)
                         for n, t in schema.items()])


def _any_of(column: str, value: str) -> pl.Expr:
    """1 when a run of the day has ``value``, 0 when others are known, null when none is."""
    known = pl.col(column).is_not_null()
    return (pl.when(known.any()).then((pl.col(column) == value).any().cast(pl.Float64))
            .alias(f"{column}_{value}"))


def factor_days(daily: pl.DataFrame, runs: pl.DataFrame,
                *, shoe_retire_km: float = number("shoe_retire_km")
                ) -> tuple[pl.DataFrame, list[Factor]]:
    """The day table and the factors present in it (module docstring).

    Parameters
    ----------
    daily
        :attr:`analytics.report.Report.daily` (columns of :data:`DAILY_INPUT`).
    runs
        One row per run that counts towards the load, with :data:`RUN_INPUT` (levers of
        :func:`analytics.levers.activity_levers` with each pair's ``retire_km``, and the
        warm-up and signals of :attr:`analytics.report.Report.runs`).
    shoe_retire_km
        Retirement distance of shoes without their own [km].

    Returns
    -------
    (days, factors)
        ``date``, ``pain``, ``load`` and one column per factor; the factors to test, carry
        types, shoes and surfaces included as found.
    """
    day = _typed(daily, DAILY_INPUT).sort("date")
    run = _typed(runs, RUN_INPUT).with_columns(pl.col("carry").fill_null("none"))
    carries = sorted(set(run["carry"].drop_nulls()) - {"none"})
    shoes = sorted(set(run["shoes"].drop_nulls()))
    surfaces = sorted(set(run["surface"].drop_nulls()))
    past = (pl.col("shoe_km_before")
            - pl.col("retire_km").fill_null(shoe_retire_km)).clip(lower_bound=0.0)
    per_day = run.group_by(pl.col("local_date").alias("date")).agg(
        *[(pl.col("carry") == c).any().cast(pl.Float64).alias(f"carry_{c}") for c in carries],
        *[_any_of("shoes", name) for name in shoes],
        *[_any_of("surface", name) for name in surfaces],
        past.max().alias("shoe_km_past_retirement"),
        pl.when(pl.col("has_warmup").is_not_null().any())
        .then((pl.col("has_warmup") == False).any().cast(pl.Float64))  # noqa: E712
        .alias("no_warmup"),
        pl.col("respiration_drift_pct").mean().alias("respiration_drift"),
        pl.col("ground_contact_change_pct").mean().alias("ground_contact_change"),
        pl.col("vertical_oscillation_change_pct").mean().alias("vertical_oscillation_change"),
    )
    load_7d = pl.col("load").rolling_sum(7, min_samples=7)
    run_7d = pl.col("running_load").rolling_sum(7, min_samples=7)
    out = day.join(per_day, on="date", how="left", maintain_order="left").with_columns(
        pl.col("load_change_pct").clip(*LOAD_CHANGE_CLIP).alias("load_change_7d"),
        pl.col("longest_run_ratio").alias("long_run_ratio"),
        pl.col("drift_pct").alias("cadence_drift"),
        (pl.col("bodywork_sessions").fill_null(0.0)
         .rolling_sum(BODYWORK_DAYS, min_samples=1) > 0).cast(pl.Float64).alias("bodywork_7d"),
        pl.when(load_7d > 0).then(100.0 * (1.0 - run_7d / load_7d))
        .alias("cross_training_share"),
        *[pl.col(flag).cast(pl.Float64) for flag in ("short_sleep", "hrv_below_normal",
                                                     "rhr_elevated")],
    )
    factors = [
        *BASE_FACTORS[:5],
        *[Factor(f"carry_{c}", f"runs with the {c}") for c in carries],
        *[Factor(f"shoes_{name}", f"runs in {name}") for name in shoes],
        *[Factor(f"surface_{name}", f"{name} runs") for name in surfaces],
        *BASE_FACTORS[5:],
    ]
    columns = dict.fromkeys(["date", "pain", "load", *[f.name for f in factors]])
    return out.select(list(columns)), factors
