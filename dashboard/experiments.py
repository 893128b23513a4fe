"""Personal experiments between the store, the analytics and the views (docs/methods.md 13).

Shared by ``strideload experiment`` and the web app: start one (one at a time), evaluate it as
of a day (calendar, adherence, result), the runner's ticks, stop and resume, and the JSON of
``experiment status`` and ``experiment result``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import polars as pl

from analytics.experiment_result import (
    RUN_INPUT,
    Result,
    ab_result,
    block_outcomes,
    day_exposure,
    experiment_days,
    pair_result,
)
from analytics.experiment_schedule import (
    Lever,
    LeverError,
    LeverWords,
    Timeline,
    check_design,
    draw_arms,
    lever_words,
    parse_lever,
    pause_triggers,
    resume_refusal,
    timeline,
    washout_days,
)
from analytics.experiment_text import assignment_text, result_text
from analytics.levers import activity_levers
from analytics.pain import daily_pain
from analytics.settings import Settings
from dashboard import preferences, service
from ingest import experiments as stored
from ingest import gear
from ingest.context import context_frame
from ingest.experiments import Experiment
from ingest.journal import AREAS
from ingest.store import Store

STATES = ("planned", "running", "paused", "finished", "stopped")
#: ``strideload experiment list --format json`` fields, in order.
LIST_FIELDS = ("id", "lever", "compare_with", "area", "design", "start", "end", "state",
               "pairs_planned", "pairs_counted", "conclusion", "text")


class ExperimentError(ValueError):
    """An experiment action that cannot be done, with a message for the runner."""


@dataclass(frozen=True)
class Evaluation:
    """One experiment as of ``today``: its calendar (:class:`Timeline`), the days with what
    happened (:func:`analytics.experiment_result.experiment_days`), the blocks
    (:func:`analytics.experiment_result.block_outcomes`), the result and its words; ``state``
    one of :data:`STATES`."""

    experiment: Experiment
    lever: Lever
    compare: Lever | None
    words: LeverWords
    timeline: Timeline
    days: pl.DataFrame
    blocks: pl.DataFrame
    result: Result
    state: str
    today: dt.date
    text: str
    washout: int

    def current_block(self) -> dict | None:
        """The block of today (``block``, ``pair``, ``arm``, ``start``, ``end``), if any."""
        if self.state != "running":
            return None
        row = self.days.filter(pl.col("date") == self.today)
        if row.is_empty() or row["block"][0] is None:
            return None
        block = self.blocks.filter(pl.col("block") == row["block"][0]).row(0, named=True)
        return {k: block[k] for k in ("block", "pair", "arm", "start", "end")}

    def assignment(self) -> str | None:
        """"this week: run WITHOUT the vest" while a block runs."""
        block = self.current_block()
        if block is None:
            return None
        return assignment_text(block["arm"], self.words, self.experiment.block_days,
                               block["end"])


def _settings(store: Store) -> Settings:
    return preferences.load_settings(store)


def gear_names(store: Store) -> dict[str, str]:
    """Gear id (as text) -> name."""
    items = gear.items(store)
    return dict(zip(items["id"].cast(pl.String), items["name"], strict=True))


def _timeline(store: Store, experiment: Experiment, day: dt.date, s: Settings) -> Timeline:
    as_of = min(day, experiment.stopped_on) if experiment.stopped_on else day
    triggers = pause_triggers(daily_pain(store.pain()),
                              pause_pain=s.integer("experiment_pause_pain"))
    return timeline(experiment.start, experiment.arms, experiment.block_days, as_of, triggers,
                    stored.resumes(store, experiment.id),
                    washout=_washout(experiment.block_days, s))


def _washout(block_days: int, s: Settings) -> int:
    return washout_days(block_days, short=s.integer("experiment_washout_days"),
                        long=s.integer("experiment_washout_days_long"))


def _runs(store: Store, day: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Runs counted in the load with their levers (``shoes_id`` as text), and the daily
    running load, up to ``day``."""
    rep = service.report(store, end=day)
    items = gear.items(store)
    levers = activity_levers(store.activities(), context_frame(store), items)
    shoes = items.filter(pl.col("kind") == "shoes").select(
        pl.col("name").alias("shoes"), pl.col("id").cast(pl.String).alias("shoes_id"))
    runs = (rep.runs.select("id", "local_date", "warmup_s", "has_warmup")
            .join(levers.select("id", "carry", "surface", "shoes"), on="id", how="left")
            .join(shoes, on="shoes", how="left"))
    return runs, rep.daily.select("date", "running_load")


def _state(experiment: Experiment, line: Timeline, day: dt.date) -> str:
    if experiment.stopped_on is not None:
        return "stopped"
    if day < experiment.start:
        return "planned"
    if day > line.end:
        return "finished"
    return "paused" if line.paused_on is not None else "running"


def evaluate(store: Store, experiment: Experiment, day: dt.date) -> Evaluation:
    """Everything about ``experiment`` as of ``day`` (the runner's settings)."""
    s = _settings(store)
    lever, compare = parse_lever(experiment.lever, experiment.compare_with)
    line = _timeline(store, experiment, day, s)
    as_of = min(day, experiment.stopped_on) if experiment.stopped_on else day
    runs, load = _runs(store, as_of) if store.count() else (
        pl.DataFrame(schema=RUN_INPUT), pl.DataFrame(schema={"date": pl.Date,
                                                             "running_load": pl.Float64}))
    exposure = day_exposure(runs, lever, compare,
                            warmup_min_s=s.number("experiment_warmup_min_s"))
    pain = daily_pain(store.pain(), [experiment.area]).select("date", "pain")
    days = experiment_days(line.days, exposure, stored.ticks(store, experiment.id), pain, load,
                           lag_days=lever.outcome_lag_days, custom=not lever.seen_in_data)
    blocks = block_outcomes(days, as_of, adherence_pct=s.number("experiment_adherence_pct"),
                            min_rated=s.integer("experiment_min_rated_days"))
    state = _state(experiment, line, day)
    complete = state in ("finished", "stopped")
    meaningful = s.number("experiment_meaningful_points")
    if experiment.design == "ab":
        result = ab_result(days, blocks, complete, meaningful=meaningful)
    else:
        result = pair_result(blocks, experiment.pairs, complete,
                             min_pairs=s.integer("experiment_min_pairs"), meaningful=meaningful)
    words = lever_words(lever, compare, gear_names(store), experiment.block_days,
                        warmup_min_s=s.number("experiment_warmup_min_s"))
    text = result_text(result, words, experiment.design, end=line.end,
                       stopped_on=experiment.stopped_on,
                       adherence_pct=s.number("experiment_adherence_pct"),
                       min_rated=s.integer("experiment_min_rated_days"),
                       min_pairs=s.integer("experiment_min_pairs"))
    return Evaluation(experiment, lever, compare, words, line, days, blocks, result, state, day,
                      text, _washout(experiment.block_days, s))


def current(store: Store, day: dt.date) -> Experiment | None:
    """The experiment not stopped whose calendar has not ended by ``day`` (planned included)."""
    s = _settings(store)
    for experiment in stored.experiments(store):
        if experiment.stopped_on is None and \
                _timeline(store, experiment, day, s).end >= day:
            return experiment
    return None


def latest(store: Store) -> Experiment | None:
    """The newest experiment, whatever its state."""
    found = stored.experiments(store)
    return found[0] if found else None


def _check_shoes(store: Store, lever: Lever | None) -> None:
    if lever is None or lever.kind != "shoes":
        return
    items = gear.items(store).filter(pl.col("id") == int(lever.value or 0))
    if items.is_empty():
        raise ExperimentError(f"no gear with id {lever.value} (see strideload gear list)")
    if items["kind"][0] != "shoes":
        raise ExperimentError(f"gear {lever.value} ({items['name'][0]}) is not a pair of shoes")


def start(store: Store, lever_text: str, compare_text: str | None, day: dt.date, *,
          block_days: int | None = None, pairs: int | None = None,
          first_day: dt.date | None = None, seed: int | None = None,
          area: str = "upper-back", design: str = "pairs") -> Evaluation:
    """Draw and store a new experiment starting on ``first_day`` (default the day after
    ``day``); refused while another one is planned or running, for a start before ``day``
    (the order must be drawn before it is followed) and by
    :func:`analytics.experiment_schedule.check_design`."""
    s = _settings(store)
    try:
        lever, compare = parse_lever(lever_text, compare_text)
        block_days = block_days or s.integer(
            "experiment_slow_block_days" if design == "ab" else "experiment_block_days")
        pairs = 1 if design == "ab" else pairs or s.integer("experiment_pairs")
        check_design(lever, design, pairs, block_days,
                     min_pairs=s.integer("experiment_min_pairs"),
                     slow_block_days=s.integer("experiment_slow_block_days"))
    except LeverError as exc:
        raise ExperimentError(str(exc)) from exc
    if area not in AREAS:
        raise ExperimentError(f"--area must be one of {', '.join(AREAS)}, got {area!r}")
    _check_shoes(store, lever)
    _check_shoes(store, compare)
    first = first_day or day + dt.timedelta(days=1)
    if first < day:
        raise ExperimentError(f"--start {first} is in the past: the order of the blocks must "
                              "be drawn before you follow it")
    seed = secrets.randbelow(1_000_000) if seed is None else seed
    with store.transaction():
        running = current(store, day)
        if running is not None:
            raise ExperimentError(
                f"experiment {running.id} ({running.lever}) is still going; one experiment at "
                "a time - stop it first with: strideload experiment stop")
        new_id = stored.add(store, lever.spec, compare.spec if compare else None, area, design,
                            first, block_days, pairs, seed, draw_arms(seed, pairs, design))
    return evaluate(store, stored.get(store, new_id), day)


def latest_or_fail(store: Store) -> Experiment:
    """The newest experiment, or an :class:`ExperimentError` saying there is none."""
    found = latest(store)
    if found is None:
        raise ExperimentError("no experiment yet; start one with: strideload experiment start "
                              "--lever carry:vest")
    return found


def _running(store: Store, day: dt.date) -> Experiment:
    found = current(store, day)
    if found is None:
        raise ExperimentError("no experiment is going on (see strideload experiment list)")
    return found


def log(store: Store, day: dt.date, followed: bool, today: dt.date) -> Evaluation:
    """The runner's tick for ``day`` (a day of the current experiment, not after ``today``)."""
    experiment = _running(store, today)
    if day > today:
        raise ExperimentError(f"--date {day} is in the future")
    if day < experiment.start:
        raise ExperimentError(f"--date {day} is before the experiment began "
                              f"({experiment.start})")
    stored.set_tick(store, experiment.id, day, followed)
    return evaluate(store, experiment, today)


def stop(store: Store, day: dt.date) -> Evaluation:
    """Stop the current experiment on ``day``; its result stays."""
    experiment = _running(store, day)
    stored.stop(store, experiment.id, day)
    return evaluate(store, stored.get(store, experiment.id), day)


def resume(store: Store, day: dt.date) -> Evaluation:
    """Go on with a paused experiment from ``day`` (refused while pain is high or a red flag is
    recent: :func:`analytics.experiment_schedule.resume_refusal`)."""
    experiment = _running(store, day)
    if evaluate(store, experiment, day).state != "paused":
        raise ExperimentError("the experiment is not paused")
    s = _settings(store)
    refusal = resume_refusal(daily_pain(store.pain()), day,
                             pause_pain=s.integer("experiment_pause_pain"),
                             lookback=s.integer("flag_lookback_days"))
    if refusal:
        raise ExperimentError(f"not resumed: {refusal}")
    stored.add_resume(store, experiment.id, day)
    return evaluate(store, experiment, day)


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def status_json(ev: Evaluation) -> dict[str, object]:
    """``strideload experiment status --format json``."""
    e = ev.experiment
    block = ev.current_block()
    started = ev.blocks.filter(pl.col("state") != "planned")
    paused = ev.timeline.paused_on if ev.state == "paused" else None
    return {
        "id": e.id, "lever": e.lever, "compare_with": e.compare_with, "area": e.area,
        "design": e.design, "state": ev.state, "start": _iso(e.start),
        "end": _iso(ev.timeline.end), "block_days": e.block_days, "pairs": e.pairs,
        "seed": e.seed,
        "today": None if block is None else {
            "date": _iso(ev.today), "block": block["block"], "pair": block["pair"],
            "arm": block["arm"], "text": ev.assignment(),
            "days_left": (block["end"] - ev.today).days + 1},
        "instructions": {"on": ev.words.on, "off": ev.words.off},
        "schedule": [{"block": r["block"], "pair": r["pair"], "arm": r["arm"],
                      "start": _iso(r["start"]), "end": _iso(r["end"])}
                     for r in ev.blocks.iter_rows(named=True)],
        "adherence": [{"block": r["block"], "state": r["state"],
                       "pct": _round(r["pct"], 1), "counted": r["counted"],
                       "running_days": r["running_days"], "followed_days": r["followed_days"],
                       "rated_days": r["rated_days"]}
                      for r in started.iter_rows(named=True)],
        "paused_since": _iso(paused),
        "pauses": [{"trigger": _iso(p.trigger), "start": _iso(p.start), "end": _iso(p.end)}
                   for p in ev.timeline.pauses],
        "stopped_on": _iso(e.stopped_on),
    }


def differences(ev: Evaluation) -> list[dict[str, object]]:
    """Per counted pair: its blocks, mean pain on and off, and the difference on - off."""
    rows = []
    for pair, diff in ev.result.differences:
        blocks = ev.blocks.filter(pl.col("pair") == pair)
        on = blocks.filter(pl.col("arm") == "on").row(0, named=True)
        off = blocks.filter(pl.col("arm") == "off").row(0, named=True)
        rows.append({"pair": pair, "on_block": on["block"], "off_block": off["block"],
                     "pain_on": _round(on["pain_mean"]), "pain_off": _round(off["pain_mean"]),
                     "difference": _round(diff)})
    return rows


def result_json(ev: Evaluation) -> dict[str, object]:
    """``strideload experiment result --format json``."""
    r = ev.result
    return {
        "id": ev.experiment.id, "lever": ev.experiment.lever,
        "compare_with": ev.experiment.compare_with, "area": ev.experiment.area,
        "design": ev.experiment.design, "state": ev.state,
        "outcome_lag_days": ev.lever.outcome_lag_days,
        "pairs_planned": r.pairs_planned, "pairs_counted": r.pairs_counted,
        "effect": _round(r.effect), "ci_low": _round(r.ci_low), "ci_high": _round(r.ci_high),
        "p_randomisation": _round(r.p_randomisation, 4), "pairs_worse_on": r.pairs_worse_on,
        "load_diff_pct": _round(r.load_diff_pct, 1), "washout_days": ev.washout,
        "conclusion": r.conclusion, "text": ev.text, "differences": differences(ev),
    }


def listing(store: Store, day: dt.date) -> list[dict[str, object]]:
    """Every experiment, newest first, with its state and result (:data:`LIST_FIELDS`)."""
    out = []
    for experiment in stored.experiments(store):
        ev = evaluate(store, experiment, day)
        result = result_json(ev)
        out.append({**{k: result[k] for k in LIST_FIELDS if k in result},
                    "id": experiment.id, "start": _iso(experiment.start),
                    "end": _iso(ev.timeline.end)})
    return [{k: row[k] for k in LIST_FIELDS} for row in out]
