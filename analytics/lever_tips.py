"""Tips from the runner's own levers (docs/methods.md section 11.6).

Warm-ups, what was carried, body work and shoes may enter the advice as tips and context only
- e.g. "your last 3 runs had no warm-up" - never as the reason for rest or cross-training,
which stay with the rules of section 9 (:mod:`analytics.suggestions`).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from analytics.factors import top_factors

#: Factors the runner can change; their related rows may become tips.
LEVER_PREFIXES = ("carry_", "no_warmup", "bodywork_7d", "shoe_km_past_retirement")
#: Runs in a row without a warm-up that make a tip.
RUNS_WITHOUT_WARMUP = 3
WARMUP_EVIDENCE = ("warm-ups before activity went with fewer injuries in 3 of 5 trials "
                   "(Fradkin, Gabbe & Cameron 2006 J Sci Med Sport 9:214) [P]; none is specific "
                   "to back pain [U]")


def warmup_tip(runs: pl.DataFrame, day: dt.date,
               min_runs: int = RUNS_WITHOUT_WARMUP) -> str | None:
    """"Your last N runs had no warm-up ..." when the last ``min_runs`` (or more) runs up to
    ``day`` that could be classified all had none (``runs``: ``local_date``, ``has_warmup``)."""
    judged = (runs.filter((pl.col("local_date") <= day) & pl.col("has_warmup").is_not_null())
              .sort("local_date")["has_warmup"].to_list())
    streak = 0
    for value in reversed(judged):
        if value:
            break
        streak += 1
    if streak < min_runs:
        return None
    return (f"Your last {streak} runs had no warm-up: about 10 minutes of easy jogging first is "
            f"a common habit; {WARMUP_EVIDENCE}.")


def lever_tips(runs: pl.DataFrame, ranked: pl.DataFrame | None, day: dt.date) -> list[str]:
    """Tips for ``day``: the warm-up streak, and the runner's levers among the three strongest
    related factors of :func:`analytics.factors.factor_associations` (their own sentences,
    which say association, not cause)."""
    out = [tip for tip in (warmup_tip(runs, day),) if tip]
    if ranked is not None and not ranked.is_empty():
        top = top_factors(ranked, 3)
        out += [f"From your data: {text}" for factor, text in zip(top["factor"], top["text"],
                                                                  strict=True)
                if factor.startswith(LEVER_PREFIXES)]
    return out
