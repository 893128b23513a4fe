"""What came before each pain episode: the load and form signals of the weeks before it.

For the physiotherapist's report: each pain episode (:func:`analytics.pain.pain_episodes`,
ratings >= ``episode_min_level``) with the signals the rules flag (docs/methods.md section 9)
in the ``return_baseline_weeks`` weeks before its first day - the same weeks the return plan
calls "the level before the episode" (section 11.5) - and after the episode before it:

- weekly running distance up more than ``weekly_change_high_pct`` (``weekly_change_early_pct``
  early in a block) on the 7 days before (Nielsen 2014, Damsted 2019) [V]: the highest one;
- runs longer than ``long_run_spike_ratio`` x the longest of the previous
  ``long_run_window_days`` days (Frandsen 2025) [V];
- speed-adjusted cadence drops (``cadence_drop`` of :func:`analytics.cadence.cadence_deviation`)
  [H] and Pa:HR decoupling above ``decoupling_high_pct`` [P];
- cadence falling within a run (``drift_pct``, docs/methods.md section 6) by at least
  ``cadence_drop_pct``. Deviation: the methods define no threshold for the drift within one
  run; the cadence-drop threshold is borrowed so that only clear drifts are listed [H].

These are what preceded an episode, not its cause: an association in one runner's history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from analytics.pain import pain_episodes
from analytics.rules import EARLY_IN_BLOCK, LONG_RUN, WEEKLY_EARLY, WEEKLY_HIGH
from analytics.settings import Settings


@dataclass(frozen=True)
class Signal:
    """One signal before an episode.

    Attributes
    ----------
    date
        The day of the run, or the last of the 7 days for the weekly distance.
    kind
        ``"weekly_distance"``, ``"long_run"``, ``"cadence"``, ``"decoupling"`` or
        ``"cadence_drift"``.
    text
        The signal with its number, e.g. ``"1.30 x the longest of the previous 30 days"``.
    threshold
        Where it is flagged, e.g. ``"> 1.1 x"``.
    run_km
        The run's distance [km] (None for the weekly distance).
    """

    date: dt.date
    kind: str
    text: str
    threshold: str
    run_km: float | None = None


@dataclass(frozen=True)
class EpisodeContext:
    """A pain episode (days rated >= ``episode_min_level``) and the signals before it."""

    start: dt.date
    end: dt.date
    days: int
    peak: int
    peak_date: dt.date
    lookback_start: dt.date
    signals: tuple[Signal, ...]

    def as_dict(self) -> dict[str, object]:
        return {"start": str(self.start), "end": str(self.end), "days": self.days,
                "peak": self.peak, "peak_date": str(self.peak_date),
                "lookback_start": str(self.lookback_start),
                "signals": [{"date": str(s.date), "kind": s.kind, "text": s.text,
                             "threshold": s.threshold, "run_km": s.run_km}
                            for s in self.signals]}


def day_words(day: dt.date) -> str:
    """``Sun 23 Aug``."""
    return f"{day:%a} {day.day} {day:%b}"


def _weekly_spike(days: pl.DataFrame, s: Settings) -> list[Signal]:
    flagged = days.filter(pl.col("flag_weekly_distance").fill_null(False))
    if flagged.is_empty():
        return []
    row = flagged.sort("run_distance_change_pct", descending=True).row(0, named=True)
    limit = WEEKLY_EARLY if row.get(EARLY_IN_BLOCK) else WEEKLY_HIGH
    km = "" if row.get("run_distance_7d") is None else f"{row['run_distance_7d'] / 1000:.1f} km, "
    return [Signal(row["date"], "weekly_distance",
                   f"running distance in the 7 days to {day_words(row['date'])}: {km}"
                   f"{row['run_distance_change_pct']:+.0f} % on the 7 days before",
                   limit.text(s) + " %")]


def _run_signals(run: dict, s: Settings) -> list[Signal]:
    day, km = run["local_date"], (run["distance_m"] or 0) / 1000
    drop = s.number("cadence_drop_pct")
    decoupling, drift = run.get("decoupling_pct"), run.get("drift_pct")
    out = []
    if run.get("spike"):
        out.append(Signal(day, "long_run", f"{run['long_run_ratio']:.2f} x the longest of the "
                          f"previous {s.integer('long_run_window_days')} days",
                          f"> {LONG_RUN.value(s):g} x", km))
    if run.get("cadence_drop"):
        z = run.get("cadence_deviation_z")
        out.append(Signal(day, "cadence", f"cadence {run['cadence_deviation_pct']:+.1f} %"
                          + ("" if z is None else f" ({z:+.1f} SD)")
                          + " against your usual at that speed",
                          f"<= -{drop:g} % or -{s.number('cadence_drop_sd'):g} SD", km))
    if decoupling is not None and decoupling > s.number("decoupling_high_pct"):
        out.append(Signal(day, "decoupling", f"Pa:HR decoupling {decoupling:.1f} %",
                          f"> {s.number('decoupling_high_pct'):g} %", km))
    if drift is not None and drift <= -drop:
        out.append(Signal(day, "cadence_drift", f"cadence fell {-drift:.1f} % during the run",
                          f"<= -{drop:g} %", km))
    return out


def episode_contexts(daily: pl.DataFrame, runs: pl.DataFrame, settings: Settings
                     ) -> list[EpisodeContext]:
    """Every pain episode of ``daily`` with the signals of the weeks before it, oldest first.

    Parameters
    ----------
    daily
        :attr:`analytics.report.Report.daily` (``date``, ``pain``, ``flag_weekly_distance``,
        ``run_distance_change_pct``, ``run_distance_7d``, ``early_in_block``).
    runs
        :attr:`analytics.report.Report.runs` (``local_date``, ``start_time``, ``distance_m``,
        ``spike``, ``long_run_ratio``, ``cadence_drop``, ``cadence_deviation_pct``,
        ``cadence_deviation_z``, ``decoupling_pct``, ``drift_pct``).
    settings
        Thresholds (see the module docstring).
    """
    s = settings
    weeks = s.integer("return_baseline_weeks")
    out: list[EpisodeContext] = []
    for episode in pain_episodes(daily, s.integer("episode_min_level"),
                                 s.integer("episode_gap_days")).iter_rows(named=True):
        start = episode["start"]
        first = start - dt.timedelta(weeks=weeks)
        if out:  # not into the episode before
            first = max(first, out[-1].end + dt.timedelta(days=1))
        before = daily.filter(pl.col("date").is_between(first, start, closed="left"))
        before_runs = runs.filter(pl.col("local_date").is_between(first, start, closed="left"))
        signals = _weekly_spike(before, s) + [
            signal for run in before_runs.sort("start_time").iter_rows(named=True)
            for signal in _run_signals(run, s)]
        out.append(EpisodeContext(start, episode["end"], episode["days"], episode["peak"],
                                  episode["peak_date"], first,
                                  tuple(sorted(signals, key=lambda signal: signal.date))))
    return out
