"""The advice rules, each declared once: its condition, threshold settings, evidence and words.

A :class:`Rule` is one condition of the suggestion ladder (docs/methods.md section 9). Its
``when`` builds the polars expression that decides (:func:`analytics.suggestions.apply_rules`
adds it as a boolean column named after the rule), its ``findings`` give the measured values
and thresholds its reason states (:func:`analytics.suggestions.reasons_for` turns them into
sentences), and its :class:`Limit` s tell the dashboard where to draw threshold lines. Changing
a threshold is one edit of its :class:`~analytics.settings.Setting`; changing how a rule
compares, what it cites or how it reads is one edit here.

Levels: ``R0`` see a professional, ``R1`` rest, ``R2`` cross-train, ``flag`` a load flag
(counted by R2 and R3), ``context`` shown for context only (ACWR), ``R4`` the reasons of
"train as planned".
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial

import polars as pl

from analytics.settings import Settings
from ingest import scalars
from ingest.journal import EMERGENCY_FLAGS, RED_FLAGS, REST_SYMPTOMS

Row = Mapping[str, object]


@dataclass(frozen=True)
class Evidence:
    """Where a rule comes from, for the sentence of a reason."""

    source: str
    population: str
    strength: str
    grade: str


@dataclass(frozen=True)
class Finding:
    """One value a reason states against its threshold (``value`` None: not recorded)."""

    metric: str
    value: float | int | str | None
    threshold: str
    unit: str
    estimated: bool = False


_OPS: dict[str, Callable[[pl.Expr, float], pl.Expr]] = {
    ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}


@dataclass(frozen=True)
class Limit:
    """``value <op> setting``: the comparison of a threshold rule.

    Attributes
    ----------
    column
        Daily column with the athlete's value.
    op
        ``">"``, ``">="``, ``"<"`` or ``"<="``: the value crosses the limit when true.
    setting
        The :class:`~analytics.settings.Setting` holding the threshold.
    words
        The threshold as a reason states it, formatted with ``op``, ``value`` (the
        threshold) and every setting by name.
    """

    column: str
    op: str
    setting: str
    words: str = "{op} {value:g}"

    def value(self, settings: Settings) -> float:
        """The threshold [unit of the setting]."""
        return settings.number(self.setting)

    def crossed(self, values: pl.Expr, settings: Settings) -> pl.Expr:
        """True where ``values`` cross the threshold (null where they are null)."""
        return _OPS[self.op](values, self.value(settings))

    def expr(self, settings: Settings) -> pl.Expr:
        """:meth:`crossed` of :attr:`column`."""
        return self.crossed(pl.col(self.column), settings)

    def text(self, settings: Settings) -> str:
        """The threshold in words, e.g. ``"> 1.1 x longest run of the previous 30 days"``."""
        return self.words.format(op=self.op, value=self.value(settings), **settings)


def _num(row: Row, key: str) -> float | None:
    value = row.get(key)
    return scalars.number_or_none(value)


def _whole(row: Row, key: str) -> int | None:
    value = _num(row, key)
    return None if value is None else int(value)


def _names(row: Row, key: str) -> list[str]:
    value = row.get(key)
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def _names_in(column: str, names: Mapping[str, str]) -> pl.Expr:
    return pl.col(column).list.eval(pl.element().is_in(list(names))).list.any().fill_null(False)


@dataclass(frozen=True)
class Rule:
    """One advice condition with its evidence and the words of its reason.

    Attributes
    ----------
    name
        Boolean column the decision adds (``r0_*``, ``r1_*``, ``r2_*``, ``flag_*``, ...).
    level
        ``R0``, ``R1``, ``R2``, ``flag``, ``context`` or ``R4``.
    evidence
        Source, population, strength and grade of the rule.
    when
        Settings -> the condition on the daily columns (null counts as false).
    findings
        (row of the decision, settings) -> what the reason states.
    limits
        The threshold comparisons the rule makes (for threshold lines on charts).
    """

    name: str
    level: str
    evidence: Evidence
    when: Callable[[Settings], pl.Expr]
    findings: Callable[[Row, Settings], list[Finding]]
    limits: tuple[Limit, ...] = field(default=())

    @property
    def limit(self) -> Limit:
        """The rule's only threshold comparison."""
        (only,) = self.limits
        return only


def _crossed(limit: Limit, gate: Callable[[Settings], pl.Expr] | None, s: Settings
             ) -> pl.Expr:
    crossed = limit.expr(s)
    return crossed if gate is None else crossed & gate(s)


def _stated(limit: Limit, metric: str, unit: str, estimated: bool, row: Row, s: Settings
            ) -> list[Finding]:
    value = _whole(row, limit.column) if unit == "/10" else _num(row, limit.column)
    return [Finding(metric, value, limit.text(s), unit,
                    estimated and bool(row.get("estimated_28d")))]


def threshold_rule(name: str, level: str, evidence: Evidence, limit: Limit, metric: str,
                   unit: str, *, estimated: bool = False,
                   gate: Callable[[Settings], pl.Expr] | None = None) -> Rule:
    """A rule that fires when one column crosses one threshold (and ``gate`` holds); its
    reason states the column's value (``estimated``: tagged when the loads of the last 28
    days include estimates)."""
    return Rule(name, level, evidence, partial(_crossed, limit, gate),
                partial(_stated, limit, metric, unit, estimated), (limit,))


_PAIN_RULE = Evidence("strideload rule (docs/methods.md section 9)", "not validated",
                      "heuristic", "H")
_FARRAR = Evidence("Farrar 2001 Pain 94:149", "adults in chronic-pain trials",
                   "pooled trial analysis", "V")
_NICE = Evidence("NICE-based red-flag pathways", "adults with back pain", "guideline", "V")

# --- R0: see a professional -------------------------------------------------------------------


def _unknown_flag() -> pl.Expr:
    known = [*RED_FLAGS, *EMERGENCY_FLAGS, *REST_SYMPTOMS]
    return pl.col("red_flags_recent").list.eval(~pl.element().is_in(known)).list.any() \
        .fill_null(False)


def _emergency_findings(row: Row, _: Settings) -> list[Finding]:
    return [Finding("red_flag", EMERGENCY_FLAGS[n], "any emergency sign", "-")
            for n in _names(row, "red_flags_recent") if n in EMERGENCY_FLAGS]


def _red_flag_findings(row: Row, _: Settings) -> list[Finding]:
    return [Finding("red_flag", RED_FLAGS.get(n, n), "any red flag", "-")
            for n in _names(row, "red_flags_recent")
            if n not in EMERGENCY_FLAGS and n not in REST_SYMPTOMS]


R0_RULES = (
    Rule("r0_emergency", "R0", _NICE, lambda s: _names_in("red_flags_recent", EMERGENCY_FLAGS),
         _emergency_findings),
    Rule("r0_red_flag", "R0", _NICE,
         lambda s: _names_in("red_flags_recent", RED_FLAGS) | _unknown_flag(),
         _red_flag_findings),
    Rule("r0_not_improving", "R0",
         Evidence("NICE low-back-pain pathway", "adults with back pain", "guideline", "V"),
         lambda s: pl.col("pain_not_improving"),
         lambda row, s: [Finding("pain_episode_days", _whole(row, "pain_episode_days"),
                                 f">= {s.integer('no_improvement_days')} without meaningful "
                                 "improvement", "days")]),
    Rule("r0_new_onset", "R0", _NICE, lambda s: pl.col("pain_new_onset"),
         lambda row, s: [Finding("age_at_new_back_pain", _whole(row, "age"),
                                 f"< {s.integer('onset_age_low')} or > "
                                 f"{s.integer('onset_age_high')}", "years")]),
)

# --- R1: rest ---------------------------------------------------------------------------------

#: The pain rise over the rising-pain window: the fitted trend [points/day] x (days - 1).
PAIN_RISE = "pain_rise"


def pain_rise(settings: Settings) -> pl.Expr:
    """Rise of the fitted pain trend across the rising window [points]."""
    return pl.col("pain_trend") * (settings.integer("rising_pain_days") - 1)


_PAIN_MODERATE = Limit("pain_now", ">=", "pain_cross_train_level")


def moderate_pain(s: Settings) -> pl.Expr:
    """R2's pain condition: pain at the cross-training level or pain during a recent run
    (also what R1 rests for when no pain-free alternative exists)."""
    return (_PAIN_MODERATE.expr(s) | pl.col("pain_during_run_recent")).fill_null(False)


R1_RULES = (
    threshold_rule("r1_pain_high", "R1", _PAIN_RULE,
                   Limit("pain_now", ">=", "pain_rest_level"), "pain", "/10"),
    Rule("r1_symptom", "R1", _PAIN_RULE, lambda s: _names_in("symptoms_now", REST_SYMPTOMS),
         lambda row, s: [Finding("symptom", REST_SYMPTOMS[n], "reported", "-")
                         for n in _names(row, "symptoms_now") if n in REST_SYMPTOMS]),
    threshold_rule("r1_pain_up", "R1", _FARRAR,
                   Limit("pain_up", ">=", "pain_change_points",
                         "{op} +{value:g} vs the median of the last {pain_median_days} days"),
                   "pain_vs_median", "points"),
    threshold_rule("r1_rising", "R1", _PAIN_RULE,
                   Limit(PAIN_RISE, ">=", "rising_pain_min_points",
                         "{op} +{value:g} over {rising_pain_days} days"),
                   "pain_rise", "points"),
    Rule("r1_no_alternative", "R1", _PAIN_RULE,
         lambda s: moderate_pain(s) & ~pl.col("alternatives_available"),
         lambda row, s: [Finding("pain_free_alternative", "none", "one needed to cross-train",
                                 "-")]),
)

# --- R2: cross-train --------------------------------------------------------------------------

R2_RULES = (
    threshold_rule("r2_pain_moderate", "R2", _PAIN_RULE, _PAIN_MODERATE, "pain", "/10"),
    Rule("r2_during_run", "R2", _PAIN_RULE, lambda s: pl.col("pain_during_run_recent"),
         lambda row, s: [Finding("pain_during_run", "yes",
                                 f"within {s.integer('during_run_lookback_days')} days", "-")]),
)

# --- load flags (R2 with pain, R3) ------------------------------------------------------------

#: The longer of the last 7 days' longest-run ratio and the planned run's ratio [-].
LONG_RUN_RATIO = "long_run_ratio_max"
WEEKLY_HIGH = Limit("run_distance_change_pct", ">", "weekly_change_high_pct", "{op} +{value:g}")
WEEKLY_EARLY = Limit("run_distance_change_pct", ">", "weekly_change_early_pct",
                     "{op} +{value:g} early in a block")
LONG_RUN = Limit(LONG_RUN_RATIO, ">", "long_run_spike_ratio",
                 "{op} {value:g} x longest run of the previous {long_run_window_days} days")
#: The cadence drop is decided per run (:func:`analytics.cadence.cadence_deviation`).
CADENCE_DROP_WORDS = "<= -{cadence_drop_pct:g} (or <= -{cadence_drop_sd:g} SD)"
DECOUPLING = Limit("decoupling_pct_7d", ">", "decoupling_high_pct")


#: Whether a day is early in a training block (Damsted's stricter limit applies).
EARLY_IN_BLOCK = "early_in_block"


def early_in_block(s: Settings) -> pl.Expr:
    """Fewer than ``block_early_days`` days since the block started (unknown block: no)."""
    return (pl.col("block_day") < s.integer("block_early_days")).fill_null(False)


def _weekly_limit(s: Settings) -> pl.Expr:
    return pl.when(pl.col(EARLY_IN_BLOCK)).then(WEEKLY_EARLY.expr(s)) \
        .otherwise(WEEKLY_HIGH.expr(s))


def _weekly_findings(row: Row, s: Settings) -> list[Finding]:
    limit = WEEKLY_EARLY if row.get(EARLY_IN_BLOCK) else WEEKLY_HIGH
    return [Finding("weekly_distance_change", _num(row, limit.column), limit.text(s), "%")]


def _form_findings(row: Row, s: Settings) -> list[Finding]:
    return [Finding("speed_adjusted_cadence_change", _num(row, "cadence_deviation_pct_7d"),
                    CADENCE_DROP_WORDS.format(**s), "%"),
            Finding("pa_hr_decoupling", _num(row, DECOUPLING.column), DECOUPLING.text(s), "%")]


FLAG_RULES = (
    Rule("flag_weekly_distance", "flag",
         Evidence("Nielsen 2014 JOSPT 44:739 / Damsted 2019 JOSPT 49:230",
                  "novice and half-marathon runners", "cohort", "V"),
         _weekly_limit, _weekly_findings, (WEEKLY_HIGH, WEEKLY_EARLY)),
    threshold_rule("flag_long_run", "flag",
                   Evidence("Frandsen 2025 BJSM 59:1203", "5,205 adult runners", "cohort",
                            "V"), LONG_RUN, "long_run_ratio", "-"),
    threshold_rule("flag_monotony", "flag",
                   Evidence("Foster 1998 MSSE 30:1164; Runalyze", "athletes", "observational",
                            "P"), Limit("monotony", ">", "monotony_high"), "monotony", "-",
                   estimated=True,
                   gate=lambda s: pl.col("history_days") >= s.integer("acwr_min_history_days")),
    threshold_rule("flag_ramp", "flag",
                   Evidence("Friel; GoldenCheetah", "endurance athletes", "coaching guidance",
                            "P"), Limit("ctl_ramp", ">", "ramp_high"), "ctl_ramp",
                   "points/week", estimated=True),
    threshold_rule("flag_tsb", "flag",
                   Evidence("intervals.icu", "endurance athletes", "coaching guidance", "P"),
                   Limit("tsb", "<", "tsb_low"), "tsb", "points", estimated=True),
    Rule("flag_form", "flag",
         Evidence("strideload heuristic (cadence); Friel / TrainingPeaks (Pa:HR)",
                  "not validated", "heuristic", "H"),
         lambda s: pl.col("cadence_drop_7d") & DECOUPLING.expr(s),
         _form_findings, (DECOUPLING,)),
)

# --- context and "train as planned" -----------------------------------------------------------

#: Pain that allows an easy run: below the cross-training level (0-2 by default).
EASY_PAIN = Limit("pain_now", "<", "pain_cross_train_level")

OTHER_RULES = (
    threshold_rule("acwr_context", "context",
                   Evidence("Gabbett 2016 BJSM 50:273; critique Impellizzeri 2021 Sports Med "
                            "51:581", "team sports; did not predict injury in 5,205 runners "
                            "(Frandsen 2025)", "cohort", "V"),
                   Limit("acwr", ">=", "acwr_danger",
                         "{op} {value:g} 'danger zone' (descriptive only)"), "acwr", "-",
                   estimated=True),
    Rule("no_flags", "R4", _PAIN_RULE, lambda s: pl.col("load_flags") == 0,
         lambda row, s: [
             Finding("pain", _whole(row, "pain_now"), EASY_PAIN.text(s), "/10"),
             Finding("load_flags", 0.0, ">= 1 for an easy run", "-",
                     bool(row.get("estimated_28d")))],
         (EASY_PAIN,)),
)

#: Every rule by name, in the order reasons are given.
RULES: dict[str, Rule] = {r.name: r for r in (*R0_RULES, *R1_RULES, *R2_RULES, *FLAG_RULES,
                                              *OTHER_RULES)}
#: Load flags counted by R2 and R3.
LOAD_FLAGS = tuple(r.name for r in FLAG_RULES)
#: Columns the rules compute from others before deciding.
DERIVED: dict[str, Callable[[Settings], pl.Expr]] = {
    PAIN_RISE: pain_rise,
    EARLY_IN_BLOCK: early_in_block,
    LONG_RUN_RATIO: lambda s: pl.max_horizontal("max_run_ratio_7d", "planned_run_ratio"),
}

