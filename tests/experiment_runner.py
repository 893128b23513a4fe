"""Simulated runners for personal experiments: pain as AR(1) noise plus a known effect on the
days after an "on" day, following the tool's own schedule - as frames for the analytics
(:func:`runner_frames`), or as real FIT runs, gear and pain ratings in a real store
(:func:`vest_runner`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
from click.testing import CliRunner
from fitfiles import run_fit

from analytics.experiment_result import (
    block_outcomes,
    day_exposure,
    experiment_days,
    pair_result,
)
from analytics.experiment_schedule import Lever, Timeline, draw_arms, timeline
from dashboard.cli import main
from ingest.journal import PainEntry
from ingest.store import Store

START = dt.date(2026, 1, 5)
VEST, NONE = Lever("carry", "vest"), Lever("carry", "none")
NO_TICKS = pl.DataFrame(schema={"date": pl.Date, "followed": pl.Boolean})


def ar1_pain(exposed: np.ndarray, effect: float, rng: np.random.Generator, *, phi: float = 0.5,
             sd: float = 0.8, base: float = 3.0) -> np.ndarray:
    """Whole-point ratings 0-10: ``base`` + ``effect`` where ``exposed`` + AR(1) noise."""
    noise = np.zeros(len(exposed))
    shocks = rng.normal(0.0, sd, len(exposed))
    for i in range(1, len(exposed)):
        noise[i] = phi * noise[i - 1] + shocks[i]
    return np.clip(np.round(base + effect * exposed + noise), 0, 10)


def days_between(first: dt.date, count: int) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range(count)]


def schedule(seed: int, pairs: int = 6, block_days: int = 7) -> Timeline:
    """The tool's schedule for ``seed``, complete (today after its end)."""
    arms = draw_arms(seed, pairs)
    return timeline(START, arms, block_days, START + dt.timedelta(days=len(arms) * block_days + 5))


def runner_frames(seed: int, effect: float, *, pairs: int = 6, follow: float = 1.0,
                  phi: float = 0.5, sd: float = 0.8) -> tuple[Timeline, pl.DataFrame,
                                                              pl.DataFrame, pl.DataFrame]:
    """A runner who runs every day, wears the vest on "on" days (on each day with probability
    ``follow``, else the other way round) and rates pain every day: the schedule, runs, pain
    and running load."""
    rng = np.random.default_rng(seed)
    line = schedule(seed, pairs)
    on = (line.days["arm"] == "on").to_numpy()
    worn = np.where(rng.random(len(on)) < follow, on, ~on)
    dates = line.days["date"].to_list()
    # the pain of day t + 1 follows what was worn on day t
    pain = ar1_pain(np.concatenate([[False], worn]), effect, rng, phi=phi, sd=sd)
    runs = pl.DataFrame({"local_date": dates, "carry": ["vest" if w else None for w in worn]})
    pain_frame = pl.DataFrame({"date": days_between(dates[0], len(dates) + 1), "pain": pain})
    load = pl.DataFrame({"date": dates, "running_load": 50.0 + 10.0 * rng.random(len(dates))})
    return line, runs, pain_frame, load


def analyse(line: Timeline, runs: pl.DataFrame, pain: pl.DataFrame, load: pl.DataFrame,
            pairs: int = 6):
    """Blocks and result of the tool's analysis of a simulated runner."""
    days = experiment_days(line.days, day_exposure(runs, VEST, NONE), NO_TICKS, pain, load,
                           lag_days=1, custom=False)
    today = line.end + dt.timedelta(days=2)
    blocks = block_outcomes(days, today)
    return days, blocks, pair_result(blocks, pairs, complete=True)


def import_runs(store: Store, folder: Path, dates: list[dt.date], seconds: int = 480
                ) -> dict[dt.date, int]:
    """One short real FIT run at 07:00 UTC on each date, imported by ``strideload import``;
    date -> activity id."""
    folder.mkdir(parents=True, exist_ok=True)
    for day in dates:
        start = dt.datetime.combine(day, dt.time(7, 0), tzinfo=dt.UTC)
        (folder / f"run-{day}.fit").write_bytes(run_fit(start, seconds=seconds))
    result = CliRunner().invoke(main, ["import", str(folder), "--jobs", "1",
                                       "--data-dir", str(store.data_dir)])
    assert result.exit_code == 0, result.output
    return {dt.date.fromisoformat(day): activity_id for activity_id, day
            in store.activities().select("id", "local_date").iter_rows()}


def rate(store: Store, days: list[dt.date], levels: np.ndarray, area: str = "upper-back"
         ) -> None:
    store.add_pain([PainEntry(day, int(level), area) for day, level in
                    zip(days, levels, strict=True)])


#: The vest runner's experiment: drawn on DAY0 with SEED, 6 pairs of 7 days from DAY0 + 1.
DAY0, SEED = dt.date(2026, 1, 4), 11
#: Weekdays of the runs within each block (0 = its first day).
RUN_DAYS = (0, 2, 4, 5)


def vest_runner(root: Path, effect: float = 2.5, missed_pair: int = 4) -> dict:
    """A real store: a runner who started ``strideload experiment start --lever carry:vest
    --seed 11`` on DAY0, ran four times a week (real FIT files), wore the hydration vest (a
    pack assigned to the run) in the "on" blocks - except in pair ``missed_pair``'s "on" block,
    where she forgot it - and rated her upper back every day: AR(1) noise around 1 point plus
    ``effect`` the day after a run with the vest, never above 4 (no pause).

    Returns ``data`` (the folder), ``dates`` (the calendar), ``arms``, ``pain`` (date ->
    rating), ``blocks`` ([(pair, arm, dates)]) and ``end``.
    """
    from dashboard import experiments
    from ingest import gear
    from ingest.context import edit_activity

    data = root / "data"
    with Store(data) as store:
        ev = experiments.start(store, "carry:vest", None, DAY0, seed=SEED)
        days = ev.timeline.days
        dates, arms = days["date"].to_list(), days["arm"].to_list()
        blocks = [(r["pair"], r["arm"], days_between(r["start"], 7))
                  for r in ev.timeline.blocks().iter_rows(named=True)]
        ran = [d for _, _, block in blocks for i, d in enumerate(block) if i in RUN_DAYS]
        ids = import_runs(store, root / "runs", ran)
        vest = gear.add_gear(store, "hydration vest", "pack")
        forgot = {d for pair, arm, block in blocks if pair == missed_pair and arm == "on"
                  for d in block}
        worn = {d for d, arm in zip(dates, arms, strict=True)
                if arm == "on" and d in ids and d not in forgot}
        for day in sorted(worn):
            edit_activity(store, ids[day], gear_ids=[vest])
        rng = np.random.default_rng(SEED)
        rated = days_between(dates[0], len(dates) + 1)
        exposed = np.array([d - dt.timedelta(days=1) in worn for d in rated])
        levels = np.minimum(ar1_pain(exposed, effect, rng, base=1.0), 4)
        rate(store, rated, levels)
    return {"data": data, "dates": dates, "arms": arms, "blocks": blocks, "end": dates[-1],
            "pain": dict(zip(rated, levels.tolist(), strict=True)), "forgot": forgot}
