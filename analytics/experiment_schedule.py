"""Personal experiments (N-of-1 trials): the lever, the random order of the blocks, the calendar.

docs/methods.md section 13. A lever is switched on and off in blocks of days (default 7),
in pairs; the order inside each pair (on-off or off-on) is drawn at random from a stored seed
and shown in advance [P]. A lever that builds up over weeks (a core or strength routine) does
not switch off: it is tested only as baseline -> intervention (design ``ab``: one off block,
then one on block, each >= 3 weeks), weaker evidence [P] (Porcino et al. 2017 Syst Rev).

Safety [H]: a day with pain >= ``experiment_pause_pain`` (any area) or a red flag pauses the
experiment from the next day; the schedule stands still while paused and goes on where it
stopped from the day the runner resumes, whose first day is not analysed (like the first day of
a block, section 13.3).

Lever texts: ``carry:vest`` (any carry type), ``warmup``, ``shoes:GEAR_ID``, ``surface:NAME``,
``custom:TEXT``; the comparison (``--compare-with``) is of the same kind: ``carry:none``
(default), ``shoes:GEAR_ID`` (default: any other shoes), ``surface:NAME`` (default: any other
surface), ``custom:TEXT`` (what is done instead).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import polars as pl

from analytics.settings import integer
from ingest import scalars
from ingest.context import SURFACES
from ingest.gear import CARRY_TYPES
from ingest.journal import EMERGENCY_FLAGS, RED_FLAGS

LEVER_KINDS = ("carry", "warmup", "shoes", "surface", "custom")
#: Levers whose exposure the recorded runs show; a custom lever needs the runner's ticks.
DATA_LEVERS = ("carry", "warmup", "shoes", "surface")
#: Words that mark a custom lever as one that builds up over weeks (section 13.1).
SLOW_WORDS = ("core", "strength", "routine", "programme", "program", "exercises", "yoga",
              "pilates", "physio", "rehab")
DESIGNS = ("pairs", "ab")
ARMS = ("on", "off")
MAX_CUSTOM = 60
#: Most pairs (the randomisation p enumerates 2^pairs orders) and longest phase of an AB test.
MAX_PAIRS = 12
MAX_SLOW_BLOCK_DAYS = 42
#: Columns of :attr:`Timeline.days`.
DAY_SCHEMA: dict[str, pl.DataType] = {
    "date": pl.Date(), "block": pl.Int64(), "pair": pl.Int64(), "arm": pl.String(),
    "washout": pl.Boolean(), "paused": pl.Boolean(),
}


class LeverError(ValueError):
    """A lever, comparison or schedule that cannot be used, with a message naming it."""


@dataclass(frozen=True)
class Lever:
    """What is switched on and off: ``kind`` (one of :data:`LEVER_KINDS`) and ``value`` (the
    carry type, gear id, surface or custom text; ``None`` for the warm-up)."""

    kind: str
    value: str | None = None

    @property
    def spec(self) -> str:
        """The text form, e.g. ``carry:vest`` or ``warmup``."""
        return self.kind if self.value is None else f"{self.kind}:{self.value}"

    @property
    def seen_in_data(self) -> bool:
        """Whether the runs show it (else the runner's daily ticks do)."""
        return self.kind in DATA_LEVERS

    @property
    def slow(self) -> bool:
        """A custom lever named like a routine that builds up over weeks."""
        words = (self.value or "").lower().replace("-", " ").split()
        return self.kind == "custom" and any(w.startswith(SLOW_WORDS) for w in words)

    @property
    def outcome_lag_days(self) -> int:
        """1: pain the next day for run-day levers; 0: the same day for a custom habit."""
        return 1 if self.seen_in_data else 0


def parse_lever(text: str, compare: str | None = None) -> tuple[Lever, Lever | None]:
    """The lever and its comparison from their texts (module docstring).

    >>> parse_lever("carry:vest")
    (Lever(kind='carry', value='vest'), Lever(kind='carry', value='none'))
    >>> parse_lever("shoes:3", "shoes:4")[1]
    Lever(kind='shoes', value='4')
    """
    lever = _one(text, "--lever")
    if lever.kind == "carry" and lever.value == "none":
        raise LeverError("--lever carry:none switches nothing on; name what you carry, "
                         "e.g. carry:vest")
    other = _one(compare, "--compare-with") if compare else None
    if other is not None and other.kind != lever.kind:
        raise LeverError(f"--compare-with {other.spec} is not a {lever.kind} lever like "
                         f"{lever.spec}")
    if other is not None and other.value == lever.value:
        raise LeverError(f"--compare-with {other.spec} is the lever itself")
    if other is None and lever.kind == "carry":
        other = Lever("carry", "none")
    if lever.kind == "warmup" and other is not None and other.value not in (None, "none"):
        raise LeverError("a warm-up is compared with no warm-up (--compare-with warmup:none)")
    return lever, other if lever.kind != "warmup" else None


def _one(text: str | None, option: str) -> Lever:
    raw = (text or "").strip()
    kind, _, value = raw.partition(":")
    kind, value = kind.strip().lower(), value.strip().strip("\"'")
    if kind not in LEVER_KINDS:
        raise LeverError(f"{option} {raw!r}: start with one of {', '.join(LEVER_KINDS)} "
                         "(e.g. carry:vest, warmup, shoes:3, surface:trail, custom:\"TEXT\")")
    if kind == "warmup":
        if value not in ("", "none"):
            raise LeverError(f"{option} {raw!r}: the warm-up lever takes no value")
        return Lever("warmup", "none" if value else None)
    if not value:
        raise LeverError(f"{option} {raw!r}: {kind} needs a value, e.g. {_EXAMPLES[kind]}")
    if kind == "carry" and value.lower() not in ("none", *CARRY_TYPES):
        raise LeverError(f"{option} {raw!r}: carry is one of none, {', '.join(CARRY_TYPES)}")
    if kind == "surface" and value.lower() not in SURFACES:
        raise LeverError(f"{option} {raw!r}: surface is one of {', '.join(SURFACES)}")
    if kind == "shoes" and not value.isdigit():
        raise LeverError(f"{option} {raw!r}: shoes take the gear id (see strideload gear list)")
    if kind == "custom" and len(value) > MAX_CUSTOM:
        raise LeverError(f"{option}: the custom text is longer than {MAX_CUSTOM} characters")
    return Lever(kind, value if kind == "custom" else value.lower())


_EXAMPLES = {"carry": "carry:vest", "shoes": "shoes:3", "surface": "surface:trail",
             "custom": 'custom:"breathing cue"'}


@dataclass(frozen=True)
class LeverWords:
    """How the arms are named: ``on``/``off`` instructions ("run WITHOUT the vest") and the
    blocks ("vest weeks", "weeks without the vest")."""

    on: str
    off: str
    on_blocks: str
    off_blocks: str


def lever_words(lever: Lever, compare: Lever | None, names: Mapping[str, str] | None = None,
                block_days: int = integer("experiment_block_days"), *,
                warmup_min_s: float = integer("experiment_warmup_min_s")) -> LeverWords:
    """Instructions and block names of each arm; ``names``: gear id -> name; a warm-up lasts
    at least ``warmup_min_s``.

    >>> lever_words(Lever("carry", "vest"), Lever("carry", "none")).off
    'run WITHOUT the vest'
    """
    names = names or {}
    unit = "weeks" if block_days == 7 else "blocks"
    value = lever.value or ""
    other = compare.value if compare is not None else None
    if lever.kind == "carry":
        if other in (None, "none"):
            return LeverWords(f"run WITH the {value}", f"run WITHOUT the {value}",
                              f"{value} {unit}", f"{unit} without the {value}")
        return LeverWords(f"run with the {value}", f"run with the {other} instead of the {value}",
                          f"{value} {unit}", f"{other} {unit}")
    if lever.kind == "warmup":
        return LeverWords(f"warm up for at least {warmup_min_s / 60:.0f} min before each run",
                          "run WITHOUT a warm-up", f"warm-up {unit}", f"{unit} without a warm-up")
    if lever.kind == "shoes":
        shoe = names.get(value, f"shoes {value}")
        if other is None:
            return LeverWords(f"run in {shoe}", f"run in other shoes than {shoe}",
                              f"{shoe} {unit}", f"{unit} in other shoes")
        pair = names.get(other, f"shoes {other}")
        return LeverWords(f"run in {shoe}", f"run in {pair}", f"{shoe} {unit}", f"{pair} {unit}")
    if lever.kind == "surface":
        if other is None:
            return LeverWords(f"run on {value}", f"run on other surfaces than {value}",
                              f"{value} {unit}", f"{unit} on other surfaces")
        return LeverWords(f"run on {value}", f"run on {other}", f"{value} {unit}",
                          f"{other} {unit}")
    if other is None:
        return LeverWords(f"do it: {value}", f"leave it out: {value}", f"'{value}' {unit}",
                          f"{unit} without '{value}'")
    return LeverWords(f"do it: {value}", f"instead: {other}", f"'{value}' {unit}",
                      f"'{other}' {unit}")


def check_design(lever: Lever, design: str, pairs: int, block_days: int, *,
                 min_pairs: int = integer("experiment_min_pairs"),
                 slow_block_days: int = integer("experiment_slow_block_days")) -> None:
    """Refuse a schedule that could never give a clear answer (section 13.1-13.2).

    Raises :class:`LeverError` for fewer than ``min_pairs`` (or more than :data:`MAX_PAIRS`)
    pairs, blocks outside 5-14 days,
    a slow lever in on/off pairs (it is offered as ``--design ab``) and an ``ab`` design of a
    quick lever or with blocks shorter than ``slow_block_days``.
    """
    if design not in DESIGNS:
        raise LeverError(f"--design must be one of {', '.join(DESIGNS)}, got {design!r}")
    if design == "ab":
        if not lever.slow:
            raise LeverError(f"{lever.spec} switches on and off quickly: test it in random "
                             "pairs (the default design), which is stronger evidence")
        if not slow_block_days <= block_days <= MAX_SLOW_BLOCK_DAYS:
            raise LeverError(f"--block-days {block_days}: the phases of a baseline -> "
                             f"intervention test are {slow_block_days} to "
                             f"{MAX_SLOW_BLOCK_DAYS} days long")
        return
    if lever.slow:
        raise LeverError(
            f"{lever.value!r} builds up over weeks and does not switch off, so on/off blocks "
            "cannot test it. Test it as baseline -> intervention instead: --design ab "
            f"--block-days {slow_block_days} (weaker evidence: without a random order, a "
            "change over time can look like an effect)")
    if pairs < min_pairs:
        raise LeverError(f"--pairs {pairs}: an experiment needs at least {min_pairs} pairs - "
                         f"{pairs} allow only {2 ** pairs} random orders, too few for a clear "
                         "answer even if every pair pointed the same way")
    if pairs > MAX_PAIRS:
        raise LeverError(f"--pairs {pairs}: at most {MAX_PAIRS} pairs")
    if not 5 <= block_days <= 14:
        raise LeverError(f"--block-days {block_days}: blocks are 5 to 14 days long")


def draw_arms(seed: int, pairs: int = integer("experiment_pairs"), design: str = "pairs"
              ) -> tuple[str, ...]:
    """The arm of every block: for each pair on-off or off-on with probability 1/2 each
    (``random.Random(seed)``, whose ``random()`` sequence Python keeps stable); ``ab``: off
    (baseline), then on.

    >>> draw_arms(1, 2)
    ('on', 'off', 'off', 'on')
    >>> draw_arms(0, 1, "ab")
    ('off', 'on')
    """
    if design == "ab":
        return ("off", "on")
    rng = random.Random(seed)
    arms: list[str] = []
    for _ in range(pairs):
        arms += ["on", "off"] if rng.random() < 0.5 else ["off", "on"]
    return tuple(arms)


def washout_days(block_days: int, *, short: int = integer("experiment_washout_days"),
                 long: int = integer("experiment_washout_days_long")) -> int:
    """Days left out at the start of each block: ``long`` for blocks of 14 days or more.

    >>> washout_days(7), washout_days(14)
    (1, 2)
    """
    return long if block_days >= 14 else short


def _flagged() -> pl.Expr:
    flags = [*EMERGENCY_FLAGS, *RED_FLAGS]
    return pl.col("red_flags").list.eval(pl.element().is_in(flags)).list.any()


def pause_triggers(pain_days: pl.DataFrame, *,
                   pause_pain: int = integer("experiment_pause_pain")) -> list[dt.date]:
    """Days with pain >= ``pause_pain`` or a red flag or emergency sign (any area).

    ``pain_days``: :func:`analytics.pain.daily_pain` of every area (``date``, ``pain``,
    ``red_flags``).
    """
    return pain_days.filter((pl.col("pain") >= pause_pain).fill_null(False) | _flagged()
                            )["date"].to_list()


def resume_refusal(pain_days: pl.DataFrame, day: dt.date, *,
                   pause_pain: int = integer("experiment_pause_pain"),
                   lookback: int = integer("flag_lookback_days")) -> str | None:
    """Why the experiment may not resume on ``day`` (``None``: it may): the latest rating up
    to ``day`` is still at ``pause_pain`` or above, or a red flag was logged in the last
    ``lookback`` days (the usual advice comes first)."""
    known = pain_days.filter(pl.col("date") <= day)
    flagged = known.filter((pl.col("date") > day - dt.timedelta(days=lookback))
                           & _flagged())
    if flagged.height:
        flagged_on = scalars.day(flagged["date"].max())
        return (f"a warning sign was logged on {flagged_on}: have your back "
                "checked and follow the advice on Today before going on")
    rated = known.filter(pl.col("pain").is_not_null())
    if rated.height and rated["pain"][-1] >= pause_pain:
        return (f"your latest pain rating ({rated['pain'][-1]}/10 on {rated['date'][-1]}) is "
                f"{pause_pain} or more: follow the advice on Today until it has settled")
    return None


@dataclass(frozen=True)
class Pause:
    """A pause for safety: ``trigger`` (the day with high pain or a red flag), ``start`` (the
    next day) and ``end`` (the last paused day; ``None`` while still paused)."""

    trigger: dt.date
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class Timeline:
    """The calendar of an experiment as of ``today``.

    Attributes
    ----------
    days
        One row per calendar day from the start to the end (:data:`DAY_SCHEMA`): ``block``,
        ``pair`` (1-based) and ``arm`` (null on paused days), ``washout``, ``paused``. Days
        after ``today`` are planned: while paused, as if resumed tomorrow.
    pauses
        Safety pauses, oldest first.
    end
        Last day of the last block.
    """

    days: pl.DataFrame
    pauses: tuple[Pause, ...]
    end: dt.date

    @property
    def paused_on(self) -> dt.date | None:
        """The trigger day of an unfinished pause."""
        return self.pauses[-1].trigger if self.pauses and self.pauses[-1].end is None else None

    def blocks(self) -> pl.DataFrame:
        """One row per block: ``block``, ``pair``, ``arm``, ``start``, ``end`` (first and last
        day of the block; paused days in between belong to none)."""
        return (self.days.filter(pl.col("block").is_not_null())
                .group_by("block", "pair", "arm")
                .agg(pl.col("date").min().alias("start"), pl.col("date").max().alias("end"))
                .sort("block"))


def timeline(start: dt.date, arms: tuple[str, ...], block_days: int, today: dt.date,
             triggers: Iterable[dt.date] = (), resumes: Iterable[dt.date] = (), *,
             washout: int | None = None) -> Timeline:
    """Walk the calendar from ``start``: each day not paused is the next day of the schedule.

    Parameters
    ----------
    arms
        :func:`draw_arms`, one per block (two blocks make a pair).
    today
        Days after it are planned; a trigger after it is not known yet.
    triggers
        Days with pain >= ``experiment_pause_pain`` or a red flag (:func:`pause_triggers`).
    resumes
        Days the runner resumed; a pause ends on the day before the first resume after its
        trigger.
    washout
        Days left out at the start of each block (default :func:`washout_days`); the first
        day after a pause is left out too.
    """
    lead = washout_days(block_days) if washout is None else washout
    trigger_days, resume_days = set(triggers), sorted(set(resumes))
    total = len(arms) * block_days
    rows: list[tuple] = []
    pauses: list[Pause] = []
    day, index = start, 0
    paused_from: dt.date | None = None
    trigger: dt.date | None = None
    fresh = False  # the first day after a pause
    while index < total:
        if paused_from is not None and trigger is not None:
            if day <= today and not any(trigger < r <= day for r in resume_days):
                rows.append((day, None, None, None, False, True))
                day += dt.timedelta(days=1)
                continue
            last = day - dt.timedelta(days=1) if day <= today else None
            pauses.append(Pause(trigger, paused_from, last))
            paused_from, fresh = None, True
        block, position = divmod(index, block_days)
        rows.append((day, block + 1, block // 2 + 1, arms[block], position < lead or fresh,
                     False))
        fresh = False
        if day in trigger_days and day <= today:
            paused_from, trigger = day + dt.timedelta(days=1), day
        index += 1
        day += dt.timedelta(days=1)
    frame = pl.DataFrame(rows, schema=DAY_SCHEMA, orient="row")
    return Timeline(frame, tuple(pauses),
                    scalars.day(frame.filter(pl.col("block").is_not_null())["date"].max()))
