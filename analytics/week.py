"""The week ahead: the suggestion rules applied day by day to the load the plan adds.

The planned sessions become activities (:func:`planned_activities`) that the report computes
like recorded ones, so every rule sees the projected weekly distance, long-run ratios,
monotony, CTL ramp and TSB (docs/methods.md sections 3-5 and 9). Pain cannot be projected:
each day of the week keeps today's pain, journal flags and trend ("if your back stays as it
is today"). A planned session's load is estimated from its duration (or pace), like any
session without heart rate (section 1), and labelled so.

Deviation from docs/methods.md: a plan gives a distance or a duration; the other is derived
from the runner's median speed in that sport over the last :data:`SPEED_WINDOW_DAYS` days,
else from :data:`FALLBACK_SPEED_M_S` (our assumption [H]).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from analytics.rules import WEEKLY_EARLY, WEEKLY_HIGH, early_in_block
from analytics.settings import Settings
from analytics.suggestions import Advice, advice_from_row, apply_rules, changes_for
from analytics.wording import km

#: Days in the week ahead (today and the six after).
WEEK_DAYS = 7
#: Window of the runner's own typical speed per sport [days].
SPEED_WINDOW_DAYS = 90
#: Speed assumed for a sport the runner has not recorded lately [m/s] (our assumption [H]).
FALLBACK_SPEED_M_S = {"running": 10 / 3.6, "walking": 5 / 3.6, "hiking": 4 / 3.6,
                      "cycling": 20 / 3.6, "swimming": 2.5 / 3.6}
#: Plan sport -> (activity sport, sub-sport) when they differ (body work).
ACTIVITY_SPORTS = {"strength": ("training", "strength_training"),
                   "mobility": ("training", "flexibility_training")}
#: Columns that describe the runner's back today, held for every day of the week.
PAIN_COLUMNS = ("pain_now", "pain_up", "pain_trend", "pain_during_run_recent",
                "red_flags_recent", "symptoms_now", "pain_not_improving", "pain_new_onset",
                "pain_episode_days")


def typical_speeds(sessions: pl.DataFrame, today: dt.date) -> dict[str, float]:
    """Median speed per sport over the last :data:`SPEED_WINDOW_DAYS` days [m/s] (sessions of
    :func:`analytics.load.session_loads` with a distance and a time)."""
    since = today - dt.timedelta(days=SPEED_WINDOW_DAYS)
    recent = sessions.filter((pl.col("local_date") > since) & (pl.col("distance_m") > 0)
                             & (pl.col("session_s") > 0))
    speeds = recent.group_by("sport").agg((pl.col("distance_m") / pl.col("session_s"))
                                          .median().alias("speed"))
    return dict(zip(speeds["sport"].to_list(), speeds["speed"].to_list(), strict=True))


def planned_activities(plans: pl.DataFrame, speeds: Mapping[str, float]) -> pl.DataFrame:
    """Planned sessions (``id, date, sport, distance_m, minutes``) as activities the report
    reads: ``id`` the plan's id negated, a start at noon UTC, duration from minutes (or from
    the distance at the typical speed), distance from the plan (or from minutes at the typical
    speed; none for body work)."""
    rows = []
    for plan in plans.iter_rows(named=True):
        sport, sub_sport = ACTIVITY_SPORTS.get(plan["sport"], (plan["sport"], None))
        speed = speeds.get(sport, FALLBACK_SPEED_M_S.get(sport))
        seconds = None if plan["minutes"] is None else plan["minutes"] * 60.0
        distance = plan["distance_m"]
        if seconds is None and distance is not None and speed:
            seconds = distance / speed
        if distance is None and seconds is not None and speed and sub_sport is None:
            distance = seconds * speed
        rows.append({
            "id": -int(plan["id"]), "sport": sport, "sub_sport": sub_sport,
            "local_date": plan["date"],
            "start_time": dt.datetime.combine(plan["date"], dt.time(12), dt.UTC),
            "duration_s": seconds, "timer_time_s": seconds, "moving_s": seconds,
            "distance_m": distance,
            "norm_speed_m_s": None if not seconds or not distance else distance / seconds,
        })
    return pl.DataFrame(rows, schema={
        "id": pl.Int64, "sport": pl.String, "sub_sport": pl.String, "local_date": pl.Date,
        "start_time": pl.Datetime("ms", "UTC"), "duration_s": pl.Float64,
        "timer_time_s": pl.Float64, "moving_s": pl.Float64, "distance_m": pl.Float64,
        "norm_speed_m_s": pl.Float64})


def plan_text(plan: Mapping[str, object]) -> str:
    """``running 12 km``, ``cycling 60 min``, ``running 10 km, 60 min``."""
    parts = [km(plan["distance_m"])] if plan.get("distance_m") is not None else []  # type: ignore[arg-type]
    if plan.get("minutes") is not None:
        parts.append(f"{plan['minutes']:g} min")
    return f"{plan['sport']} {', '.join(parts)}"


@dataclass(frozen=True)
class WeekDay:
    """One day of the week ahead.

    Attributes
    ----------
    advice
        The rules' suggestion for the day with the plan (reasons in the runner's words).
    planned
        The sessions planned that day (``id, date, sport, distance_m, minutes, text``).
    changes
        What to change when a load rule flags the day ("Keep Sunday's run under 19 km.").
    max_run_m
        The longest run that stays within the long-run limit that day [m] (``None``: the
        history is too short for the limit).
    """

    advice: Advice
    planned: list[dict] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    max_run_m: float | None = None

    def as_dict(self) -> dict[str, object]:
        """``{date, planned, suggestion, headline, reasons, changes, max_run_m}``."""
        return {"date": self.advice.date.isoformat(), "planned": self.planned,
                "suggestion": self.advice.suggestion, "headline": self.advice.headline,
                "reasons": [r.as_dict() for r in self.advice.reasons],
                "changes": self.changes, "max_run_m": self.max_run_m}


def _held(projected: pl.DataFrame, today_row: Mapping[str, object]) -> list[pl.Expr]:
    return [pl.lit(today_row.get(c), dtype=projected.schema[c]).alias(c)
            for c in PAIN_COLUMNS if c in projected.columns]


def week_ahead(projected: pl.DataFrame, today_row: Mapping[str, object], today: dt.date,
               plans: pl.DataFrame, settings: Settings | Mapping[str, object] | None = None,
               alternatives: Sequence[str] | None = None, days: int = WEEK_DAYS
               ) -> list[WeekDay]:
    """The suggestion for each day from ``today`` on, with the plan.

    Parameters
    ----------
    projected
        Daily rows of a report computed with :func:`planned_activities` among the activities
        and ending on the last day of the week.
    today_row
        Today's row of the report without the plan (its pain and journal values are held).
    plans
        The planned sessions (``id, date, sport, distance_m, minutes``).
    """
    s = Settings.coerce(settings)
    last = today + dt.timedelta(days=days - 1)
    rows = projected.filter(pl.col("date").is_between(today, last))
    rows = apply_rules(rows.with_columns(*_held(rows, today_row),
                                         pl.lit(today).alias("plan_from")),
                       s, alternatives_available=alternatives != ())
    window = s.integer("long_run_window_days")
    longest = pl.col("longest_run_m").fill_null(0.0)
    before = projected.with_columns(
        longest.shift(1).rolling_max(window, min_samples=1).alias("before_m"),
        (pl.col("history_days") > window).alias("covered"))
    limits = dict(before.filter(pl.col("date").is_between(today, last)).select(
        "date", pl.when(pl.col("covered") & (pl.col("before_m") > 0))
        .then(pl.col("before_m") * s.number("long_run_spike_ratio"))).iter_rows())
    out = []
    for row in rows.iter_rows(named=True):
        day = row["date"]
        todays = [{**plan, "date": plan["date"].isoformat(), "text": plan_text(plan)}
                  for plan in plans.filter(pl.col("date") == day).iter_rows(named=True)]
        out.append(WeekDay(advice_from_row(row, s, alternatives), todays,
                           changes_for(row, s), limits.get(day)))
    return out


def week_limits(daily: pl.DataFrame, today: dt.date,
                settings: Settings | Mapping[str, object] | None = None) -> dict[str, object]:
    """How much running the next 7 days allow: ``before_m`` (running of the 7 days before
    today [m]), ``change_pct`` (the weekly limit that applies, stricter early in a block)
    and ``max_distance_m`` (the running of today and the six days after that stays within
    it; ``None`` when there is nothing to compare with)."""
    s = Settings.coerce(settings)
    past = daily.filter(pl.col("date").is_between(today - dt.timedelta(days=7),
                                                  today - dt.timedelta(days=1)))
    before = float(past["run_distance_m"].fill_null(0.0).sum())
    row = daily.filter(pl.col("date") == today).with_columns(
        early_in_block(s).alias("early"))
    early = bool(row["early"][0]) if row.height else False
    change = (WEEKLY_EARLY if early else WEEKLY_HIGH).value(s)
    return {"before_m": before, "change_pct": change, "early_in_block": early,
            "max_distance_m": before * (1 + change / 100) if before > 0 else None}
