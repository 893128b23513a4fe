"""The way back after a pain episode: where the runner stands and a graded return, week by week.

docs/methods.md section 11.5 [H]. An episode starts on a day rated >= 3 and ends - it has
*settled* - after 3 days in a row rated below the cross-training level (<= 2) without a red
flag (a single better day inside an episode does not end it). The plan starts the day after;
its weeks are 7-day blocks from there.

- Week 1: running distance <= 50 % of the mean weekly running distance of the 3 weeks before
  the episode, longest run <= 50 % of the longest run of the 30 days before it.
- Then +10 % per week (never more than +20 %) while pain stays <= 2 and does not rise by
  >= 2 points within the week (a meaningful change, Farrar 2001 Pain 94:149 [V]); a rise of
  2 points holds the plan at the same week, a day rated >= 3 steps it back one week.
- Done when the pre-episode level is reached (the last week of the plan is that level).

Past weeks are judged on the journal; weeks from the current one on are the plan ahead. The
runner's own earlier episodes (median days from start to settled) are shown beside the
population range: most acute back pain improves within about 6 weeks (NICE CKS, low back
pain without radiculopathy) [P]. A plan, never a prescription.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from analytics.settings import Settings

POPULATION = ("most acute back pain improves within about 6 weeks", "NICE CKS, low back pain "
              "without radiculopathy", "P")
#: Longest plan computed [weeks] (a safety net; 50 % -> 100 % at +10 % takes 8 weeks).
MAX_WEEKS = 26


@dataclass(frozen=True)
class PlanWeek:
    """One week of the return plan (``as_dict`` = ``{week, max_distance_m, max_long_run_m,
    note}``)."""

    week: int
    start: dt.date
    max_distance_m: float
    max_long_run_m: float
    note: str
    past: bool = False

    def as_dict(self) -> dict[str, object]:
        return {"week": self.week, "max_distance_m": round(self.max_distance_m, 1),
                "max_long_run_m": round(self.max_long_run_m, 1), "note": self.note}


@dataclass(frozen=True)
class ReturnStatus:
    """Where the runner stands after (or in) the latest pain episode.

    Attributes
    ----------
    state
        ``"none"`` (no episode), ``"in_episode"`` (not settled yet), ``"returning"`` (a plan
        week is current) or ``"done"`` (the plan reached the pre-episode level).
    episode_start, settled_on
        First day of the latest episode, day it settled (None while it has not).
    days_low
        Days since the last rating >= 3 (pain has stayed <= 2 since) [days].
    own_median_days, own_episodes
        Median days from start to settled of the runner's earlier episodes, and how many.
    baseline_week_m, baseline_long_run_m
        The level before the episode [m].
    flare_start
        First day of pain >= 3 again while the return plan was running (the plan steps back
        a week; while it has not settled the plan pauses), else None.
    weeks
        The plan (empty unless ``returning``).
    """

    state: str
    episode_start: dt.date | None = None
    settled_on: dt.date | None = None
    days_low: int | None = None
    own_median_days: float | None = None
    own_episodes: int = 0
    baseline_week_m: float | None = None
    baseline_long_run_m: float | None = None
    flare_start: dt.date | None = None
    weeks: tuple[PlanWeek, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        """Where the runner stands, in one or two sentences (with the population range)."""
        if self.state == "none":
            return "No pain episode (ratings of 3 or more) in your journal."
        own = (f"your {self.own_episodes} earlier episode"
               f"{'s' if self.own_episodes > 1 else ''} took a median of "
               f"{self.own_median_days:.0f} days to settle"
               if self.own_median_days is not None else "no earlier episode of yours to compare")
        population = f"{POPULATION[0]} ({POPULATION[1]}) [{POPULATION[2]}]"
        if self.state == "in_episode":
            low = (f" Pain has been 2 or below for {self.days_low} day(s); the plan starts "
                   "after 3 such days in a row." if self.days_low else "")
            if self.flare_start is not None:
                return (f"Pain rose again on {self.flare_start}, during your return from the "
                        f"episode that began on {self.episode_start}: the plan pauses until 3 "
                        f"days in a row at 2 or below, then goes on a week back. "
                        f"For comparison: {own}; {population}.")
            return (f"In a pain episode since {self.episode_start}.{low} For comparison: {own}; "
                    f"{population}.")
        done = " You are back at the level before it." if self.state == "done" else ""
        return (f"The episode that began on {self.episode_start} settled on {self.settled_on}; "
                f"pain has been 2 or below for {self.days_low} days.{done} For comparison: "
                f"{own}; {population}.")

    def as_dicts(self) -> list[dict[str, object]]:
        """The plan as ``[{week, max_distance_m, max_long_run_m, note}]`` (the plan ahead and
        the current week; empty when there is none)."""
        return [w.as_dict() for w in self.weeks if not w.past]


@dataclass(frozen=True)
class _Episode:
    start: int  # index of the first day rated >= 3
    last_high: int  # index of the last day rated >= 3
    settled: int | None  # index of the day it settled (None: not yet)


def _episodes(pain: np.ndarray, flags: np.ndarray, high: int, low: int, days: int
              ) -> list[_Episode]:
    """Episodes of section 11.5: from a day rated >= ``high`` until ``days`` days in a row
    rated <= ``low`` without a red flag (unrated days neither count nor break the streak;
    a day between ``low`` and ``high`` breaks it)."""
    out: list[_Episode] = []
    start: int | None = None
    last_high = 0
    streak = 0
    for i, value in enumerate(pain):
        if np.isnan(value):
            continue
        if value >= high:
            start = i if start is None else start
            last_high, streak = i, 0
        elif start is not None:
            streak = streak + 1 if value <= low and not flags[i] else 0
            if streak >= days:
                out.append(_Episode(start, last_high, i))
                start, streak = None, 0
    if start is not None:
        out.append(_Episode(start, last_high, None))
    return out


def _levels(s: Settings) -> list[float]:
    """Fractions of the pre-episode level, week by week: 50 %, 55 %, 60.5 %, ... 100 %."""
    step = min(s.number("return_step_pct"), s.number("return_max_step_pct")) / 100.0
    out = [s.number("return_start_pct") / 100.0]
    while out[-1] < 1.0 and len(out) < MAX_WEEKS and step > 0:
        out.append(min(1.0, out[-1] * (1.0 + step)))
    return out


def _plan(pain: np.ndarray, dates: list[dt.date], begin: int, today: int, base_week: float,
          base_long: float, s: Settings) -> list[PlanWeek]:
    """The weeks from index ``begin``: past ones judged on the journal, then the plan ahead."""
    levels = _levels(s)
    step = 100.0 * (levels[1] / levels[0] - 1.0) if len(levels) > 1 else 0.0
    rise, high = s.number("pain_change_points"), s.integer("episode_min_level")
    weeks: list[PlanWeek] = []
    level, first, note = 0, begin, "first week back"
    for number in range(1, MAX_WEEKS + 1):
        end = first + 7
        past = end <= today
        start = dates[0] + dt.timedelta(days=first)
        fraction = levels[level]
        weeks.append(PlanWeek(number, start, fraction * base_week, fraction * base_long,
                              f"from {start}: {100 * fraction:.0f} % of your level before the "
                              f"episode; {note}", past))
        if level == len(levels) - 1 and (not past or _calm(pain[first:end], high, rise)):
            break
        if not past:
            note = f"+{step:.0f} % if pain stayed at 2 or below"
            level += 1
        else:
            rated = pain[first:end][~np.isnan(pain[first:end])]
            if rated.size and rated.max() >= high:
                level = max(0, level - 1)
                note = f"one week back: pain {rated.max():.0f} the week before"
            elif not _calm(rated, high, rise):
                note = f"held: pain rose {rated.max() - rated[0]:.0f} points the week before"
            else:
                level += 1
                note = f"+{step:.0f} %: pain stayed at 2 or below"
        first = end
    return weeks


def _calm(week_pain: np.ndarray, high: int, rise: float) -> bool:
    """No day rated ``high`` or more and no rise of ``rise`` points within the week."""
    rated = week_pain[~np.isnan(week_pain)]
    return not rated.size or (rated.max() < high and rated.max() - rated[0] < rise)


def return_status(daily: pl.DataFrame, day: dt.date,
                  settings: Settings | None = None) -> ReturnStatus:
    """Where the runner stands on ``day`` after the latest pain episode, and the plan.

    Parameters
    ----------
    daily
        :attr:`analytics.report.Report.daily` (``date``, ``pain``, ``red_flags``,
        ``distance_m``, ``longest_run_m``), one row per day in date order.
    day
        The day to judge (rows after it are ignored).
    """
    s = Settings.coerce(settings)
    frame = daily.filter(pl.col("date") <= day)
    dates = frame["date"].to_list()
    pain = frame["pain"].cast(pl.Float64).fill_null(np.nan).to_numpy()
    flags = (frame["red_flags"].list.len().fill_null(0) > 0).to_numpy() \
        if "red_flags" in frame.columns else np.zeros(len(dates), dtype=bool)
    episodes = _episodes(pain, flags, s.integer("episode_min_level"),
                         s.integer("pain_cross_train_level") - 1,  # pain of an easy run
                         s.integer("return_settled_days"))
    if not episodes:
        return ReturnStatus("none")
    distance = frame["distance_m"].cast(pl.Float64).fill_null(0.0).to_numpy()
    longest = frame["longest_run_m"].cast(pl.Float64).fill_null(np.nan).to_numpy()
    levels = {e.start: _level_before(distance, longest, e.start, s) for e in episodes}

    def plan(base: _Episode, today: int) -> list[PlanWeek]:
        week, long = levels[base.start]
        if base.settled is None or week <= 0:
            return []
        return _plan(pain, dates, base.settled + 1, today, week, long, s)

    # an episode that starts while the plan of the one before is still running is a flare
    # within that return: the plan steps back instead of starting again from a lower level
    first = len(episodes) - 1
    while first > 0 and (weeks := plan(episodes[first - 1], episodes[first].start)) and \
            not weeks[-1].past:
        first -= 1
    base, latest, today = episodes[first], episodes[-1], len(dates) - 1
    bases = [e for i, e in enumerate(episodes[:first])
             if i == 0 or not (w := plan(episodes[i - 1], e.start)) or w[-1].past]
    own = [e.settled - e.start + 1 for e in bases if e.settled is not None]
    week_m, long_m = levels[base.start]
    common = {
        "episode_start": dates[base.start], "days_low": today - latest.last_high,
        "own_median_days": float(np.median(own)) if own else None, "own_episodes": len(own),
        "baseline_week_m": week_m, "baseline_long_run_m": long_m,
        "flare_start": dates[latest.start] if latest is not base else None,
    }
    if latest.settled is None:
        return ReturnStatus("in_episode", **common)
    assert base.settled is not None  # only the latest episode can be unsettled
    weeks = plan(base, today)
    state = "returning" if any(not w.past for w in weeks) else "done"
    return ReturnStatus(state, settled_on=dates[base.settled],
                        weeks=tuple(weeks) if state == "returning" else (), **common)


def _level_before(distance_m: np.ndarray, longest_run_m: np.ndarray, start: int, s: Settings
                  ) -> tuple[float, float]:
    """(mean weekly running distance of the weeks before index ``start``, longest run of the
    30 days before it) [m], from the daily running distance (0 without running) and longest
    run (NaN without running)."""
    baseline_days = 7 * s.integer("return_baseline_weeks")
    before = distance_m[max(0, start - baseline_days):start]
    window = longest_run_m[max(0, start - s.integer("long_run_window_days")):start]
    week = float(before.sum()) * 7.0 / before.size if before.size else 0.0
    longest = window[np.isfinite(window)]
    return week, float(longest.max()) if longest.size else 0.0
