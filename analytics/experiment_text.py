"""Personal experiments in words: today's assignment and the answer (docs/methods.md 13.6).

A randomised, adherent experiment with enough counted pairs may speak for this runner, with its
numbers: "In your 6-pair experiment, your back was 1.2 points worse in vest weeks (95 % CI 0.4
to 2.0; worse in 6 of 6 pairs; randomisation p = 0.031)." Otherwise "no clear difference" -
never "no effect" [H]. A difference in running load between the arms of at least
:data:`analytics.factors.CONFOUNDING_PCT` is named beside it.
"""

from __future__ import annotations

import datetime as dt

from analytics.experiment_result import Result
from analytics.experiment_schedule import LeverWords
from analytics.factors import CONFOUNDING_PCT
from analytics.settings import integer, number


def assignment_text(arm: str, words: LeverWords, block_days: int, block_end: dt.date) -> str:
    """What to do in the current block: "this week: run WITHOUT the vest" (7-day blocks),
    else "until Sun 12 May: ...".

    >>> from analytics.experiment_schedule import Lever, lever_words
    >>> words = lever_words(Lever("carry", "vest"), Lever("carry", "none"))
    >>> assignment_text("off", words, 7, dt.date(2026, 5, 10))
    'this week: run WITHOUT the vest'
    """
    period = "this week" if block_days == 7 else f"until {block_end:%a %d %b}"
    return f"{period}: {words.on if arm == 'on' else words.off}"


def signed_points(value: float) -> str:
    """A difference of pain as words: '1.2 points worse', '0.4 points better'.

    >>> signed_points(-0.42)
    '0.4 points better'
    """
    if round(value, 1) == 0:
        return "no difference"
    return f"{abs(value):.1f} points {'worse' if value > 0 else 'better'}"


def _load_note(result: Result, words: LeverWords) -> str:
    diff = result.load_diff_pct
    if diff is None:
        return ""
    if abs(diff) >= CONFOUNDING_PCT:
        return (f" You ran {abs(diff):.0f} % {'more' if diff > 0 else 'less'} load in "
                f"{words.on_blocks} than in {words.off_blocks}, which may explain part of the "
                "difference.")
    return f" Running load was similar in both ({diff:+.0f} %)."


def _p(value: float | None) -> str:
    return "" if value is None else f"; randomisation p = {value:.3f}"


def _numbers(result: Result, k: int, pairs_shown: bool = True) -> str:
    """'95 % CI 0.4 to 2.0; worse in 6 of 6 pairs; randomisation p = 0.031' (an interval below
    0 of a lever that helped as points better); only the interval without ``pairs_shown``."""
    low, high = result.ci_low or 0.0, result.ci_high or 0.0
    pairs = f"pair{'s' if k != 1 else ''}"
    if result.conclusion == "on_better":
        better = sum(d < 0 for _, d in result.differences)
        ci = f"95 % CI {-high:.1f} to {-low:.1f} points better"
        count = f"; better in {better} of {k} {pairs}"
    else:
        signed = "" if result.conclusion == "on_worse" else "+"
        ci = f"95 % CI {low:{signed}.1f} to {high:{signed}.1f}"
        count = f"; worse in {result.pairs_worse_on or 0} of {k} {pairs}"
    return ci + (count + _p(result.p_randomisation) if pairs_shown else "")


def result_text(result: Result, words: LeverWords, design: str = "pairs", *,
                end: dt.date | None = None, stopped_on: dt.date | None = None,
                adherence_pct: float = number("experiment_adherence_pct"),
                min_rated: int = integer("experiment_min_rated_days"),
                min_pairs: int = integer("experiment_min_pairs")) -> str:
    """The answer in one or a few sentences (module docstring); ``end``: the planned last day
    (named while unfinished), ``stopped_on``: the day the runner stopped it."""
    if result.conclusion == "not_finished":
        until = f" until {end:%d %B %Y}" if end else ""
        return (f"Your experiment runs{until}; the answer comes after its last block. Looking "
                "earlier and stopping when it seems clear would make the answer unreliable.")
    stopped = (f"Stopped on {stopped_on:%d %B %Y}, before the end of the schedule. "
               if stopped_on else "")
    k = result.pairs_counted
    if result.conclusion == "too_few_pairs" or result.effect is None:
        unit = "phases" if design == "ab" else "pairs"
        need = "both phases" if design == "ab" else f"{min_pairs} pairs"
        return (f"{stopped}Only {k} of {result.pairs_planned} {unit} counted, too few for an "
                f"answer ({need} needed). A block counts when you followed it on at least "
                f"{adherence_pct:.0f} % of its running days and rated your pain on "
                f"{min_rated} of its days.")
    effect, low, high = result.effect, result.ci_low or 0.0, result.ci_high or 0.0
    if design == "ab":
        lead = "In your baseline -> intervention test"
        caveat = (" Without a random order, a change over time (such as natural recovery) can "
                  "explain this too: weaker evidence than a randomised experiment.")
    else:
        counted = "" if k == result.pairs_planned else f" ({k} pairs counted)"
        lead, caveat = f"In your {result.pairs_planned}-pair experiment{counted}", ""
    numbers = _numbers(result, k, pairs_shown=design != "ab")
    if result.conclusion in ("on_worse", "on_better"):
        text = (f"{lead}, your back was {signed_points(effect)} in {words.on_blocks} "
                f"({numbers}).")
    else:
        text = (f"{lead} there was no clear difference between {words.on_blocks} and "
                f"{words.off_blocks}: on average {signed_points(effect)} in {words.on_blocks} "
                f"({numbers}). The data fit anything from {signed_points(low)} to "
                f"{signed_points(high)}, so a difference is neither shown nor ruled out.")
    return stopped + text + _load_note(result, words) + caveat
