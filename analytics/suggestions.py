"""Suggestions R0-R4 from the rules of :mod:`analytics.rules`, their reasons and the tips.

docs/methods.md section 9, top-down, first match wins:

- R0 ``see_professional``: a red flag in the journal of the last 7 days (emergency wording for
  cardiac or aortic signs); a pain episode (ratings >= 3, our threshold) not improving after ~4
  weeks; new back pain below 20 or above 50 years (NICE-based pathways) [V].
- R1 ``rest``: pain >= 5; new night or rest pain, or pain that changed running form (journal);
  pain up >= 2 points vs the 7-day median (Farrar 2001); pain rising for more than 7 days (also
  suggest a professional). Also: R2's pain condition without a pain-free alternative (the
  runner said none exists) - resting is then the only option that avoids the painful activity;
  this branch is ours, the method leaves the case open.
- R2 ``cross_train``: pain 3-4 or pain during a run (last 3 days) and a pain-free alternative;
  or pain >= 1 with >= 2 load flags.
- R3 ``easy``: pain below R2's level, i.e. <= 2 (or not rated), and >= 1 load flag: 7-day
  running distance > +30 % (Nielsen 2014) or > +20 % early in a block (Damsted 2019); a run
  in the last 7 days or the planned run > 110 % of the 30-day longest (Frandsen 2025);
  monotony > 2.0; CTL ramp > 8/week;
  TSB < -30; a speed-adjusted cadence drop >= 3 % and Pa:HR > 5 % both within the last 7 days
  [H] (the method says "together with"; the two rarely fall on one run because Pa:HR needs
  a steady run of an hour, so the 7-day window is our reading).
  Also R3, never counted as a load flag: the readiness modifier (section 12.6) - HRV's
  7-day mean below the own normal band together with resting HR elevated (>= 5 bpm above
  its 30-day median on 2 days running) or 2 short nights (< 6 h) running. It turns "train"
  into "easy" only: pain and red flags (R0-R2) always come first, and it never leads to rest
  or cross-training by itself. The method says it turns "a planned hard or long session"
  into an easy run; the planned session's intensity is not known here, so it applies to
  every "train" day.
- R4 ``train`` as planned.

Gates: the monotony flag is off before 28 days of history. ACWR is shown as a descriptive
context reason in its danger zone (>= 1.5), never counted as a flag (Impellizzeri 2021;
Frandsen 2025). Reasons of load flags say when the loads of the last 28 days include
estimates.

Each condition - its comparison, threshold setting, evidence and the words of its reason - is
one :class:`analytics.rules.Rule`; this module only orders them into the ladder above. The rule
inputs are columns of the daily report (:mod:`analytics.report`); :func:`apply_rules` adds one
boolean column per rule plus ``load_flags``, ``rule`` and ``suggestion``, row by row, so one
day can be re-evaluated (e.g. with a planned run) with the same code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from analytics.rules import DERIVED, EASY_PAIN, LOAD_FLAGS, RULES, Finding, Rule, moderate_pain
from analytics.settings import Settings
from analytics.wording import GRADE_WORDS, HEADLINES, LABELS, NOT_A_DIAGNOSIS
from ingest import scalars

SUGGESTIONS = ("train", "easy", "cross_train", "rest", "see_professional")
RULES_BY_LEVEL = {"R0": "see_professional", "R1": "rest", "R2": "cross_train", "R3": "easy",
                  "R4": "train"}
__all__ = ["HEADLINES", "LABELS", "LOAD_FLAGS", "NOT_A_DIAGNOSIS", "RULE_INPUTS", "Advice",
           "Reason", "advice_from_row", "apply_rules", "changes_for", "reasons_for", "tips_for"]

#: Columns :func:`apply_rules` reads.
RULE_INPUTS: dict[str, pl.DataType] = {
    "date": pl.Date(),
    "history_days": pl.Int32(),
    "pain_now": pl.Int32(),
    "pain_up": pl.Float64(),
    "pain_trend": pl.Float64(),
    "pain_during_run_recent": pl.Boolean(),
    "red_flags_recent": pl.List(pl.String()),
    "symptoms_now": pl.List(pl.String()),
    "pain_not_improving": pl.Boolean(),
    "pain_new_onset": pl.Boolean(),
    "run_distance_change_pct": pl.Float64(),
    "block_day": pl.Int64(),
    "max_run_ratio_7d": pl.Float64(),
    "planned_run_ratio": pl.Float64(),
    "monotony": pl.Float64(),
    "ctl_ramp": pl.Float64(),
    "tsb": pl.Float64(),
    "acwr": pl.Float64(),
    "cadence_drop_7d": pl.Boolean(),
    "cadence_deviation_pct_7d": pl.Float64(),
    "decoupling_pct_7d": pl.Float64(),
    "hrv_below_normal": pl.Boolean(),
    "rhr_elevated": pl.Boolean(),
    "short_nights": pl.Boolean(),
    "hrv_7d_ms": pl.Float64(),
    "hrv_normal_low_ms": pl.Float64(),
    "hrv_normal_high_ms": pl.Float64(),
    "resting_hr_bpm": pl.Float64(),
    "rhr_median_bpm": pl.Float64(),
    "rhr_delta_bpm": pl.Float64(),
    "sleep_s": pl.Float64(),
}


@dataclass(frozen=True)
class Reason:
    """Why a suggestion was made: one metric against its threshold.

    Attributes
    ----------
    metric
        Machine name, e.g. ``"pain"``, ``"long_run_ratio"``.
    value
        The athlete's value (number, or text for a journal flag).
    threshold
        The rule, e.g. ``">= 5"``.
    unit
        Unit of value and threshold.
    source, grade
        Where the threshold comes from and its evidence grade (V/P/U/H).
    text
        The reason in the runner's words, with their numbers and units (the rule's words,
        :mod:`analytics.rules`), e.g. "Your run on Sunday, 21 km, was 30 % longer than your
        longest of the 30 days before (16 km)."
    estimated
        The value rests on estimated loads.
    context
        Shown for context only; did not decide the suggestion (ACWR).
    why
        The threshold, source, population, strength and evidence grade in one sentence (what a
        page shows one click away).
    section
        The section of docs/methods.md that explains the rule.
    """

    metric: str
    value: float | int | str | None
    threshold: str
    unit: str
    source: str
    grade: str
    text: str
    estimated: bool = False
    context: bool = False
    why: str = ""
    section: int = 9

    def as_dict(self) -> dict[str, object]:
        """JSON-ready dict with ``metric, value, threshold, unit, source, grade, text,
        estimated, context, why, section``."""
        return {
            "metric": self.metric, "value": self.value, "threshold": self.threshold,
            "unit": self.unit, "source": self.source, "grade": self.grade, "text": self.text,
            "estimated": self.estimated, "context": self.context, "why": self.why,
            "section": self.section,
        }


@dataclass(frozen=True)
class Advice:
    """Suggestion for one day with its reasons and tips (JSON via :meth:`as_dict`); the
    tips begin with what to change for each rule that fired."""

    date: dt.date
    suggestion: str
    rule: str
    reasons: tuple[Reason, ...]
    tips: tuple[str, ...]
    emergency: bool = False

    @property
    def headline(self) -> str:
        """The suggestion in a few words (:data:`HEADLINES`)."""
        return HEADLINES[self.suggestion]

    def as_dict(self) -> dict[str, object]:
        """``{"date", "suggestion", "headline", "rule", "emergency", "reasons": [...],
        "tips": [...]}``."""
        return {
            "date": self.date.isoformat(),
            "suggestion": self.suggestion,
            "headline": self.headline,
            "rule": self.rule,
            "emergency": self.emergency,
            "reasons": [r.as_dict() for r in self.reasons],
            "tips": list(self.tips),
        }


def _rules(*levels: str) -> list[Rule]:
    return [r for r in RULES.values() if r.level in levels]


def apply_rules(daily: pl.DataFrame | pl.LazyFrame,
                settings: Settings | Mapping[str, object] | None = None,
                *, alternatives_available: bool = True) -> pl.DataFrame:
    """Evaluate R0-R4 on every row.

    Parameters
    ----------
    daily
        Frame with the columns of :data:`RULE_INPUTS` (missing ones count as null).
    alternatives_available
        False when the runner has said no cross-training is pain-free.

    Returns
    -------
    polars.DataFrame
        The input plus the derived values of :data:`analytics.rules.DERIVED`, one boolean
        column per rule of :data:`analytics.rules.RULES` (null counts as false),
        ``load_flags`` (count of :data:`LOAD_FLAGS`), ``rule`` (R0-R4) and ``suggestion``
        (one of :data:`SUGGESTIONS`).
    """
    s = Settings.coerce(settings)
    frame = daily.lazy()
    have = frame.collect_schema().names()
    frame = frame.with_columns(
        pl.lit(None, dtype=dtype).alias(name) for name, dtype in RULE_INPUTS.items()
        if name not in have
    ).with_columns(
        pl.lit(alternatives_available).alias("alternatives_available"),
        *[derive(s).alias(name) for name, derive in DERIVED.items()],
    ).with_columns(
        rule.when(s).fill_null(False).alias(rule.name) for rule in RULES.values()
        if rule.level != "R4"
    ).with_columns(
        pl.sum_horizontal(LOAD_FLAGS).cast(pl.Int32).alias("load_flags"),
    ).with_columns(
        rule.when(s).fill_null(False).alias(rule.name) for rule in _rules("R4")
    )

    def any_of(level: str) -> pl.Expr:
        return pl.any_horizontal([pl.col(r.name) for r in _rules(level)])

    pain = pl.col("pain_now")
    flags = pl.col("load_flags")
    rule = (
        pl.when(any_of("R0")).then(pl.lit("R0"))
        .when(any_of("R1")).then(pl.lit("R1"))
        .when(moderate_pain(s) | ((pain >= 1)
                                  & (flags >= s.integer("load_flags_for_cross_train"))))
        .then(pl.lit("R2"))
        .when((pain.is_null() | EASY_PAIN.expr(s)) & ((flags >= 1) | any_of("R3")))
        .then(pl.lit("R3"))
        .otherwise(pl.lit("R4"))
    )
    return (
        frame.drop("alternatives_available").with_columns(rule.alias("rule"))
        .with_columns(pl.col("rule").replace_strict(RULES_BY_LEVEL, return_dtype=pl.String)
                      .alias("suggestion"))
        .collect()
    )


def reason_text(finding: Finding) -> str:
    """The sentence of one reason: the rule's words with the runner's numbers (a generic
    sentence for a rule without words), noting estimated loads."""
    name = finding.metric.replace("_", " ")
    text = finding.words or (f"No {name} recorded." if finding.value is None
                             else f"Your {name} is {finding.value}.")
    return text + (" (Some loads are estimated.)" if finding.estimated else "")


def why_text(rule: Rule, finding: Finding) -> str:
    """The threshold with its source, population, strength and grade, e.g. "Limit: > 1.1 x
    longest run of the previous 30 days. From Frandsen 2025 BJSM 59:1203 (5,205 adult
    runners, cohort); evidence grade V, verified in a primary source." """
    unit = "" if finding.unit == "-" or not finding.threshold[-1:].isdigit() \
        else finding.unit if finding.unit.startswith("/") else f" {finding.unit}"
    ev = rule.evidence
    return (f"Limit: {finding.threshold}{unit}. From {ev.source} ({ev.population}, "
            f"{ev.strength}); evidence grade {ev.grade}, {GRADE_WORDS.get(ev.grade, '')}.")


def _reasons(rule: Rule, row: Mapping[str, object], s: Settings, context: bool = False
             ) -> list[Reason]:
    return [Reason(f.metric, f.value, f.threshold, f.unit, rule.evidence.source,
                   rule.evidence.grade, reason_text(f), f.estimated, context,
                   why_text(rule, f), rule.evidence.section)
            for f in rule.findings(row, s)]


def _decisive(row: Mapping[str, object]) -> list[Rule]:
    """The rules whose reasons a row's suggestion gives (context rules aside)."""
    level = str(row["rule"])
    return [r for r in RULES.values() if row.get(r.name)
            and (r.level == level or (r.level == "flag" and level in ("R2", "R3")))]


def reasons_for(row: Mapping[str, object], settings: Settings | Mapping[str, object] | None = None
                ) -> list[Reason]:
    """Reasons of the rule that fired on one row of :func:`apply_rules`.

    For R0-R3 the rules of that level that hold; for R2 and R3 also each load flag; for R4
    the pain and the absence of load flags. ACWR in its danger zone is added to R2-R4 as a
    context reason.
    """
    s = Settings.coerce(settings)
    out = [reason for rule in _decisive(row) for reason in _reasons(rule, row, s)]
    if str(row["rule"]) in ("R0", "R1"):
        return out
    out += [r for rule in RULES.values() if rule.level == "context" and row.get(rule.name)
            for r in _reasons(rule, row, s, context=True)]
    return out


def changes_for(row: Mapping[str, object],
                settings: Settings | Mapping[str, object] | None = None) -> list[str]:
    """What to change, one tip per rule behind the suggestion that says it (e.g. "Keep
    Sunday's run under 19 km."), in the order of the reasons."""
    s = Settings.coerce(settings)
    tips = [rule.tip_for(row, s) for rule in _decisive(row)]
    return list(dict.fromkeys(tip for tip in tips if tip))


#: Self-care tips (docs/methods.md section 7): general cues, not evidence-graded treatment.
TIPS = {
    "emergency": "Call emergency services now (112 / 999 / 911). Chest pressure, "
                 "breathlessness, sweating, pain spreading to the arm or jaw or a sudden tearing "
                 "pain between the shoulder blades can be a heart or aorta emergency. Do not run.",
    "professional": "Stop running and get checked by a doctor or physiotherapist before you "
                    "train again.",
    "professional_soon": "Pain that keeps rising is worth showing to a doctor or "
                         "physiotherapist.",
    "stay_active": "Stay active and avoid bed rest: gentle walking usually helps back pain "
                   "more than lying down (NICE NG59, low back).",
    "cross_train": "Pick a pain-free alternative: walking, cycling, swimming, yoga or Pilates.",
    "easy": "Keep it short - no longer than your longest run of the last 30 days - at an easy, "
            "conversational effort.",
    "mobility": "Thoracic mobility and core work: cat-cow, foam-roller thoracic extension, "
                "child's pose; planks and bridges.",
    "posture": "Run tall with relaxed, low shoulders; warm up and cool down.",
    "pack": "Carry bottles or a pack snug and non-bouncing: 1 kg carried did not change energy "
            "cost or effort (Scheer 2020), but a bouncing, badly fitted pack is worth fixing.",
    "breathing": "Diaphragmatic (belly) breathing; a side stitch can refer pain to the shoulder "
                 "tip.",
    "red_flags": "See a professional if you notice numbness, weakness, fever, unexplained weight "
                 "loss, night pain that no position eases, bladder or bowel changes, or no "
                 "improvement after about 4 weeks.",
    "general": "These are general tips many runners use, not an evidence-graded treatment.",
}


def tips_for(suggestion: str, *, emergency: bool = False, pain: float | None = None,
             rising: bool = False, alternatives: Sequence[str] | None = None) -> list[str]:
    """Tips that fit a suggestion (docs/methods.md section 7)."""
    if suggestion == "see_professional":
        return [TIPS["emergency"] if emergency else TIPS["professional"]]
    out: list[str] = []
    if suggestion == "rest":
        out.append(TIPS["stay_active"])
        if rising:
            out.append(TIPS["professional_soon"])
    elif suggestion == "cross_train":
        out.append(f"Pick a pain-free alternative: {', '.join(alternatives)}."
                   if alternatives else TIPS["cross_train"])
        out.append(TIPS["stay_active"])
    elif suggestion == "easy":
        out.append(TIPS["easy"])
    if pain or suggestion != "train":
        out += [TIPS["mobility"], TIPS["posture"], TIPS["pack"], TIPS["breathing"],
                TIPS["general"]]
    out.append(TIPS["red_flags"])
    return out


def advice_from_row(row: Mapping[str, object],
                    settings: Settings | Mapping[str, object] | None = None,
                    alternatives: Sequence[str] | None = None) -> Advice:
    """:class:`Advice` from one row of :func:`apply_rules`."""
    emergency = bool(row.get("r0_emergency")) and row["rule"] == "R0"
    suggestion = str(row["suggestion"])
    day = row["date"]
    if not isinstance(day, dt.date):
        raise ValueError(f"invalid date {day!r}")
    pain = row.get("pain_now")
    return Advice(
        date=day,
        suggestion=suggestion,
        rule=str(row["rule"]),
        reasons=tuple(reasons_for(row, settings)),
        tips=tuple(dict.fromkeys([
            *changes_for(row, settings),
            *tips_for(suggestion, emergency=emergency, pain=scalars.number_or_none(pain),
                      rising=bool(row.get("r1_rising")), alternatives=alternatives)])),
        emergency=emergency,
    )
