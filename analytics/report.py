"""Top-level entry: daily report, advice for a day, weekly summary (the CLI's JSON).

:func:`build_report` computes everything once from the stored tables and returns a
:class:`Report` (``.daily``, ``.advise(day)``, ``.weekly()``, ``.association()``).
Computations always run over the whole history (seeds, 28-day windows, the 30-day longest
run); ``start``/``end`` of the report's methods only select the rows returned.

Inputs
------
activities
    ``Store.activities()`` joined on ``id`` with the stored per-activity metrics
    (:data:`analytics.activity_metrics.ACTIVITY_METRICS_SCHEMA`). Used columns: ``id``,
    ``sport``, ``local_date``, ``start_time``, ``duration_s``, ``timer_time_s``,
    ``distance_m``, ``avg_cadence_spm`` and the metrics; missing columns count as null.
pain
    Pain journal: ``date``, ``area``, ``level``, ``during_run``, ``red_flags``, ``note``.
    ``excluded_from_load`` true: the activity is left out of every computation (the runner
    excluded it; it stays listed in the store).
rpe
    Session RPE: ``activity_id``, ``rpe``.
bodywork
    Body-work sessions (``ingest.bodywork_store.sessions``: ``id``, ``date``, ``source``,
    ``category``, ``minutes``, ``rpe``): counted per day, and the hand-logged ones add their
    load (session RPE x minutes when rated).
profile
    :class:`analytics.athlete.AthleteProfile` (missing values are estimated and flagged).
settings
    :class:`analytics.settings.Settings` or a mapping of overrides.
wellness
    One row per day of resting HR, HRV and sleep (:mod:`analytics.recovery`); its signals
    against the runner's own normal join the daily rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from analytics.activity_metrics import ACTIVITY_METRICS_SCHEMA
from analytics.association import lagged_association
from analytics.athlete import AthleteProfile, ResolvedProfile, resolve_profile
from analytics.bodywork import (
    BODYWORK_DAY_COLUMNS,
    bodywork_days,
    manual_session_activities,
    manual_session_ratings,
)
from analytics.cadence import cadence_deviation
from analytics.daily import daily_series
from analytics.daily_metrics import daily_metrics
from analytics.load import ACTIVITY_INPUT_COLUMNS, normalise_activities, session_loads
from analytics.pain import (
    daily_pain,
    pain_episodes,
)
from analytics.progression import (
    long_run_ratio,
    spike_band,
)
from analytics.recovery import recovery_daily, report_columns
from analytics.rules import LONG_RUN
from analytics.run_signals import CHANGES, SIGNAL_SOURCES
from analytics.settings import Settings
from analytics.suggestions import Advice, advice_from_row, apply_rules
from analytics.warmup import run_warmups
from analytics.weekly import weekly_summary as _weekly
from ingest import scalars

AnyFrame = pl.DataFrame | pl.LazyFrame
#: Finds the session loads and runs (:attr:`Report.sessions`, :attr:`Report.runs`) computed
#: before from the same activities, ratings, body work and settings with the profile resolved
#: now: ``(sessions, runs)``, or None (e.g. a cache the caller keeps between processes).
KnownLoads = Callable[[ResolvedProfile], "tuple[pl.DataFrame, pl.DataFrame] | None"]

#: Activity columns the report reads (store summary + stored metrics).
REPORT_INPUT_COLUMNS: dict[str, pl.DataType] = {
    **ACTIVITY_INPUT_COLUMNS,
    "avg_cadence_spm": pl.Float64(),
    "excluded_from_load": pl.Boolean(),
    **{k: v for k, v in ACTIVITY_METRICS_SCHEMA.items() if k not in ACTIVITY_INPUT_COLUMNS},
}

#: Stored run-quality values carried into :attr:`Report.runs` (the warm-up and cool-down
#: there are those of :func:`analytics.warmup.run_warmups`).
RUN_SIGNAL_COLUMNS = (*SIGNAL_SOURCES, *CHANGES.values(), "speed_cv", "warmup_note")

#: Columns the CLI's ``daily`` command needs (all present in :attr:`Report.daily`).
CLI_DAILY_COLUMNS = ("date", "load", "running_load", "distance_m", "run_distance_m", "timer_s",
                     "run_timer_s", "acwr_rolling_coupled",
                     "acwr_rolling_uncoupled", "acwr_ewma", "ctl", "atl", "tsb", "monotony",
                     "strain", "pain")


@dataclass(frozen=True)
class _Basis:
    """What :func:`build_report` computes before the profile: the normalised activities left
    in the load, hand-logged body work as activities, ratings, the entered profile, the
    per-date journal, body-work and wellness frames joined onto the calendar, unrecorded days.
    """

    acts: pl.DataFrame
    manual: pl.DataFrame
    rpe: pl.DataFrame | None
    profile: AthleteProfile | None
    by_date: tuple[pl.DataFrame, ...]
    unrecorded: tuple[dt.date, ...] | None


@dataclass(frozen=True)
class Report:
    """Everything computed for one athlete.

    Attributes
    ----------
    daily
        One row per local calendar day of the whole history: loads, ACWR (three methods and
        the shown one), monotony, strain, CTL/ATL/TSB, ramp, weekly changes, long-run ratio,
        cadence, pain, body work (:data:`analytics.bodywork.BODYWORK_DAY_COLUMNS`), the rule
        columns and ``suggestion`` (includes :data:`CLI_DAILY_COLUMNS`).
    sessions
        :func:`analytics.load.session_loads`.
    runs
        One row per run: ``id``, ``local_date``, ``start_time``, ``distance_m``,
        ``session_s``, ``load``, ``long_run_ratio``, ``spike_band``, ``spike`` (the
        ``flag_long_run`` comparison of :mod:`analytics.rules`), the stored drift/decoupling
        metrics, ``avg_cadence_spm``, the cadence deviation columns of
        :func:`analytics.cadence.cadence_deviation`, the run-quality values of
        :data:`RUN_SIGNAL_COLUMNS` and the warm-up and cool-down of
        :func:`analytics.warmup.run_warmups`. The long-run ratio is null for runs in the first
        30 days of the history, whose "previous 30 days" were not recorded (not in
        docs/methods.md: otherwise the first runs of every import look like spikes).
    profile
        The resolved profile (estimated values flagged).
    settings
        Settings used.
    alternatives
        Pain-free cross-training named by the runner (``None`` = not said).
    """

    daily: pl.DataFrame
    sessions: pl.DataFrame
    runs: pl.DataFrame
    profile: ResolvedProfile
    settings: Settings
    alternatives: tuple[str, ...] | None = None
    basis: _Basis | None = field(default=None, repr=False, compare=False)

    def daily_rows(self, start: dt.date | None = None, end: dt.date | None = None
                   ) -> pl.DataFrame:
        """Rows of :attr:`daily` between ``start`` and ``end`` (inclusive)."""
        out = self.daily
        if start is not None:
            out = out.filter(pl.col("date") >= start)
        if end is not None:
            out = out.filter(pl.col("date") <= end)
        return out

    def advise(self, day: dt.date, planned_distance_m: float | None = None) -> Advice:
        """Suggestion for ``day`` with reasons and tips.

        Parameters
        ----------
        day
            A day of :attr:`daily`.
        planned_distance_m
            Distance of the run planned for ``day`` [m]: flagged when longer than 110 % of the
            longest run of the previous 30 days (Frandsen 2025).
        """
        row = self.daily.filter(pl.col("date") == day)
        if row.height == 0:
            raise ValueError(f"invalid day {day}: outside the report")
        if planned_distance_m is not None:
            longest = pl.col("longest_run_30d")
            covered = pl.col("history_days") > self.settings.integer("long_run_window_days")
            row = apply_rules(
                row.with_columns(pl.when((longest > 0) & covered)
                                 .then(planned_distance_m / longest)
                                 .alias("planned_run_ratio"),
                                 pl.lit(planned_distance_m).alias("planned_run_m")),
                self.settings, alternatives_available=self.alternatives != (),
            )
        return advice_from_row(row.row(0, named=True), self.settings, self.alternatives)

    def weekly(self, start: dt.date | None = None, end: dt.date | None = None) -> pl.DataFrame:
        """:func:`analytics.weekly.weekly_summary` of this report."""
        return _weekly(self.daily, self.runs, start, end)

    def association(self, metrics: Sequence[str] | None = None) -> pl.DataFrame:
        """Lagged Spearman of the pre-declared metrics vs pain over the last
        ``association_window_days`` days (:func:`analytics.association.lagged_association`)."""
        s = self.settings
        recent = self.daily.tail(s.integer("association_window_days"))
        return lagged_association(
            recent, metrics if metrics is not None else s.names("association_metrics"),
            max_lag=s.integer("association_max_lag"),
            min_pairs=s.integer("association_min_pairs"),
            block_days=s.integer("bootstrap_block_days"), reps=s.integer("bootstrap_reps"),
            seed=s.integer("bootstrap_seed"), fdr=s.number("association_fdr"),
        )

    def pain_episodes(self, min_level: int | None = None) -> pl.DataFrame:
        """:func:`analytics.pain.pain_episodes` of the daily pain (``min_level`` default: the
        setting ``episode_min_level``)."""
        s = self.settings
        level = s.integer("episode_min_level") if min_level is None else min_level
        return pain_episodes(self.daily, level, s.integer("episode_gap_days"))


def _runs(acts: pl.DataFrame, sessions: pl.DataFrame, s: Settings) -> pl.DataFrame:
    extra = ["avg_cadence_spm", "cadence_bands", "drift_spm_per_h", "drift_pct",
             "drift_thirds_spm", "drift_thirds_pct", "drift_note", "decoupling_pct",
             "decoupling_note", *RUN_SIGNAL_COLUMNS]
    window = s.integer("long_run_window_days")
    first = acts["start_time"].min()
    covered = (pl.col("start_time") >= first + dt.timedelta(days=window)
               if isinstance(first, dt.datetime) else pl.lit(False))
    runs = (
        sessions.filter(pl.col("is_run"))
        .select("id", "local_date", "start_time", "distance_m", "session_s", "load",
                "load_source", "estimated")
        .join(acts.select("id", *extra), on="id", how="left", maintain_order="left")
        .sort("start_time", "id")
        .with_columns(pl.when(covered).then(
            long_run_ratio(pl.col("distance_m"), pl.col("start_time"), window)
        ).alias("long_run_ratio"))
        .with_columns(
            spike_band(pl.col("long_run_ratio"), LONG_RUN.value(s)).alias("spike_band"),
            LONG_RUN.crossed(pl.col("long_run_ratio"), s).fill_null(False).alias("spike"),
        )
    )
    deviation = cadence_deviation(
        runs, baseline_days=s.integer("cadence_baseline_days"),
        min_runs=s.integer("cadence_baseline_min_runs"),
        drop_pct=s.number("cadence_drop_pct"), drop_sd=s.number("cadence_drop_sd"),
    )
    warmups = run_warmups(acts, adjacent_min=s.number("warmup_adjacent_min"),
                          min_warmup_s=s.number("warmup_min_s"),
                          min_cooldown_s=s.number("cooldown_min_s"),
                          fraction=s.number("warmup_speed_fraction"))
    return (runs.join(deviation, on="id", how="left", maintain_order="left")
            .with_columns(pl.col("cadence_drop").fill_null(False)).drop("cadence_bands")
            .join(warmups, on="id", how="left", maintain_order="left"))


def _run_days(runs: pl.DataFrame) -> pl.DataFrame:
    w = pl.col("session_s")
    has_cadence = pl.col("avg_cadence_spm").is_not_null()
    return runs.group_by(pl.col("local_date").alias("date")).agg(
        pl.col("long_run_ratio").sort_by("distance_m").last().alias("longest_run_ratio"),
        pl.col("long_run_ratio").max().alias("max_run_ratio"),
        pl.col("distance_m").sort_by("long_run_ratio", nulls_last=False).last()
        .alias("max_ratio_run_m"),
        pl.col("spike").sum().cast(pl.Int32).alias("spike_runs"),
        ((pl.col("avg_cadence_spm") * w).filter(has_cadence).sum()
         / w.filter(has_cadence).sum()).fill_nan(None).alias("cadence_spm"),
        pl.col("drift_pct", "drift_spm_per_h", "decoupling_pct").mean(),
        pl.col("cadence_deviation_pct").min(),
        pl.col("cadence_deviation_z").min(),
        pl.col("cadence_drop").any(),
    )


def _recent_names(pain_days: pl.DataFrame, days: int, name: str) -> pl.DataFrame:
    """Per date, the journal flag names reported on that day or the ``days - 1`` days before."""
    flagged = pain_days.select("date", "red_flags").explode("red_flags").drop_nulls()
    return (
        pl.concat([flagged.with_columns(pl.col("date") + pl.duration(days=k))
                   for k in range(days)])
        .group_by("date").agg(pl.col("red_flags").unique().sort().alias(name))
    )


def build_report(
    activities: AnyFrame,
    pain: AnyFrame | None = None,
    rpe: AnyFrame | None = None,
    profile: AthleteProfile | None = None,
    settings: Settings | Mapping[str, object] | None = None,
    *,
    end: dt.date | None = None,
    unrecorded: Iterable[dt.date] | None = None,
    wellness: AnyFrame | None = None,
    pain_areas: Sequence[str] | None = None,
    pain_free_alternatives: Sequence[str] | None = None,
    bodywork: AnyFrame | None = None,
    known_loads: KnownLoads | None = None,
) -> Report:
    """Compute the whole report (module docstring for the inputs).

    Parameters
    ----------
    end
        Last calendar day (e.g. today) and the reference date of the profile estimates;
        default the last activity or journal day. Data after ``end`` still extends the
        calendar, but every metric looks backwards only.
    unrecorded
        Days trained without a recording (their load is missing, not 0).
    wellness
        Resting HR, HRV and sleep per day (module docstring); ``None`` = none. Computed over
        all its days, joined onto the calendar of activities and journal (wellness days do not
        extend it).
    pain_areas
        Journal areas counted as pain (default all).
    pain_free_alternatives
        Cross-training the runner finds pain-free; ``[]`` = none, so R2's pain condition
        suggests rest; ``None`` = not said (the general options are listed).
    bodywork
        Body-work sessions (module docstring).
    known_loads
        Where session loads and runs computed before may be found (:data:`KnownLoads`);
        ``None``: they are computed.
    """
    s = Settings.coerce(settings)
    acts = normalise_activities(activities, REPORT_INPUT_COLUMNS).filter(
        ~pl.col("excluded_from_load").fill_null(False))
    pain_days = daily_pain(pain, pain_areas)
    manual = manual_session_activities(bodywork)
    if manual.height:
        ratings = manual_session_ratings(bodywork)
        rpe = ratings if rpe is None else pl.concat([rpe.lazy().collect().select(
            pl.col("activity_id").cast(pl.Int64), pl.col("rpe").cast(pl.Float64)), ratings])
    by_date = (
        pain_days, bodywork_days(bodywork),
        _recent_names(pain_days, s.integer("flag_lookback_days"), "red_flags_recent"),
        _recent_names(pain_days, s.integer("pain_carry_days") + 1, "symptoms_now"),
        report_columns(recovery_daily(wellness if wellness is not None else pl.DataFrame(),
                                      s)))
    basis = _Basis(acts, manual, None if rpe is None else rpe.lazy().collect(), profile,
                   by_date, None if unrecorded is None else tuple(unrecorded))
    alternatives = None if pain_free_alternatives is None else tuple(pain_free_alternatives)
    return _assemble(basis, s, end, alternatives, known_loads=known_loads)


def _assemble(basis: _Basis, s: Settings, end: dt.date | None,
              alternatives: tuple[str, ...] | None,
              sessions: pl.DataFrame | None = None, runs: pl.DataFrame | None = None,
              known_loads: KnownLoads | None = None) -> Report:
    """The report of ``basis`` (:func:`build_report`); ``sessions`` and ``runs``: the session
    loads and the runs when already known (computed with the profile resolved here), or
    looked up by ``known_loads``."""
    acts, manual, pain_days = basis.acts, basis.manual, basis.by_date[0]
    dates = pl.concat([acts["local_date"], manual["local_date"]])
    known = [scalars.day(d) for d in (dates.min(), pain_days["date"].min()) if d is not None]
    last = [scalars.day(d) for d in (dates.max(), pain_days["date"].max(), end) if d is not None]
    as_of = end or (max(last) if last else None)
    resolved = _resolve(basis, s, as_of)
    found = known_loads(resolved) if sessions is None and known_loads is not None else None
    if found is not None:
        sessions, runs = found
    if sessions is None:
        sessions = session_loads(pl.concat([acts, manual], how="diagonal_relaxed")
                                 if manual.height else acts, resolved, basis.rpe, s)
    if runs is None:
        runs = _runs(acts, sessions, s)
    calendar = daily_series(sessions, start=min(known) if known else as_of,
                            end=max(last) if last else None, unrecorded=basis.unrecorded,
                            window_days=s.integer("acwr_chronic_days"))
    empty = pl.lit([], dtype=pl.List(pl.String))
    frame = calendar.join(_run_days(runs), on="date", how="left", maintain_order="left")
    for part in basis.by_date:
        frame = frame.join(part, on="date", how="left", maintain_order="left")
    frame = frame.with_columns(
        pl.col("spike_runs").fill_null(0), pl.col("cadence_drop").fill_null(False),
        pl.col(BODYWORK_DAY_COLUMNS).fill_null(0),
        pl.col("red_flags", "red_flags_recent", "symptoms_now").fill_null(empty))
    birth_year = basis.profile.birth_year if basis.profile else None
    metrics = daily_metrics(frame, s, birth_year)
    daily = apply_rules(metrics.drop("pain_episode_start"), s,
                        alternatives_available=alternatives != ())
    return Report(daily=daily, sessions=sessions, runs=runs, profile=resolved, settings=s,
                  alternatives=alternatives, basis=basis)


def _resolve(basis: _Basis, s: Settings, as_of: dt.date | None) -> ResolvedProfile:
    return resolve_profile(basis.profile, basis.acts, as_of,
                           hr_rest_default=s.number("hr_rest_default"),
                           hr_max_window_days=s.integer("hr_max_window_days"),
                           lthr_hrr_fraction=s.number("lthr_hrr_fraction"))


def with_activities(report: Report, activities: AnyFrame, end: dt.date) -> Report:
    """The report as :func:`build_report` would compute it with ``activities`` added (e.g.
    planned sessions) and ``end`` as its last day, reusing what they cannot change.

    The journal, body work and wellness columns and, when the profile resolved as of ``end``
    is the report's own (the usual case: added sessions without heart rate leave the HRmax
    estimate alone), every stored session's load are kept (and the runs too when nothing is
    added); only the added sessions' loads, the runs and the daily rows are computed again.
    """
    basis = report.basis
    if basis is None:
        raise ValueError("the report keeps no inputs to extend (built by build_report?)")
    added = normalise_activities(activities, REPORT_INPUT_COLUMNS).filter(
        ~pl.col("excluded_from_load").fill_null(False))
    acts = normalise_activities(pl.concat([basis.acts, added], how="diagonal_relaxed"),
                                REPORT_INPUT_COLUMNS)
    extended = _Basis(acts, basis.manual, basis.rpe, basis.profile, basis.by_date,
                      basis.unrecorded)
    s = report.settings
    sessions = runs = None
    if _resolve(extended, s, end) == report.profile:  # else every load is computed again
        if added.height:
            sessions = normalise_activities(pl.concat([
                report.sessions, session_loads(added, report.profile, None, s)]), {})
        else:
            sessions, runs = report.sessions, report.runs  # the same activities and loads
    return _assemble(extended, s, end, report.alternatives, sessions, runs)
