"""The advice rules, each declared once: its condition, threshold settings, evidence and words.

A :class:`Rule` is one condition of the suggestion ladder (docs/methods.md section 9). Its
``when`` builds the polars expression that decides (:func:`analytics.suggestions.apply_rules`
adds it as a boolean column named after the rule), its ``findings`` give the measured values
and thresholds its reason states, each with the sentence a runner reads (their numbers and
units, no rule trace), its ``tip`` what to change when it fires ("Keep Sunday's run under
19 km."), and its :class:`Limit` s tell the dashboard where to draw threshold lines; its
:class:`Evidence` names the source, population, grade and the docs/methods.md section. Changing
a threshold is one edit of its :class:`~analytics.settings.Setting`; changing how a rule
compares, what it cites or how it reads is one edit here.

Levels: ``R0`` see a professional, ``R1`` rest, ``R2`` cross-train, ``flag`` a load flag
(counted by R2 and R3), ``R3`` the readiness modifier (turns "train" into "easy", never
counted as a load flag), ``context`` shown for context only (ACWR), ``R4`` the reasons of
"train as planned".
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial

import polars as pl

from analytics.settings import Settings
from analytics.wording import day_name, km, pct, planned
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
    section: int = 9  #: section of docs/methods.md that explains the rule


@dataclass(frozen=True)
class Finding:
    """One value a reason states against its threshold (``value`` None: not recorded)."""

    metric: str
    value: float | int | str | None
    threshold: str
    unit: str
    estimated: bool = False
    words: str = ""  #: the reason as a runner reads it, with their numbers and units


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


#: What a reason says: a ``str.format`` template (fields ``v``: the value, ``t``: the
#: threshold, and every setting by name) or (value, row, settings) -> the sentence.
Says = str | Callable[[object, Row, Settings], str]
#: What to change when the rule fires: a template (settings by name) or (row, settings) ->
#: the tip (``None``: nothing to add).
Tip = str | Callable[[Row, Settings], "str | None"]


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
        Source, population, strength, grade and methods section of the rule.
    when
        Settings -> the condition on the daily columns (null counts as false).
    findings
        (row of the decision, settings) -> what the reason states (each :class:`Finding`
        with its sentence in ``words``).
    limits
        The threshold comparisons the rule makes (for threshold lines on charts).
    tip
        What to change when the rule fires, in the runner's numbers where it can
        ("Keep Sunday's run under 19 km."); ``None``: the suggestion's tips say it.
    """

    name: str
    level: str
    evidence: Evidence
    when: Callable[[Settings], pl.Expr]
    findings: Callable[[Row, Settings], list[Finding]]
    limits: tuple[Limit, ...] = field(default=())
    tip: Tip | None = None

    @property
    def limit(self) -> Limit:
        """The rule's only threshold comparison."""
        (only,) = self.limits
        return only

    def tip_for(self, row: Row, settings: Settings) -> str | None:
        """:attr:`tip` for one row of the decision."""
        if self.tip is None:
            return None
        return self.tip.format(**settings) if isinstance(self.tip, str) \
            else self.tip(row, settings)


def _say(says: Says, value: object, row: Row, s: Settings, threshold: float | None = None
         ) -> str:
    if callable(says):
        return says(value, row, s)
    return says.format(v=value, t=threshold, **s)


def _crossed(limit: Limit, gate: Callable[[Settings], pl.Expr] | None, s: Settings
             ) -> pl.Expr:
    crossed = limit.expr(s)
    return crossed if gate is None else crossed & gate(s)


def _stated(limit: Limit, metric: str, unit: str, estimated: bool, says: Says, row: Row,
            s: Settings) -> list[Finding]:
    value = _whole(row, limit.column) if unit == "/10" else _num(row, limit.column)
    return [Finding(metric, value, limit.text(s), unit,
                    estimated and bool(row.get("estimated_28d")),
                    _say(says, value, row, s, limit.value(s)))]


def threshold_rule(name: str, level: str, evidence: Evidence, limit: Limit, metric: str,
                   unit: str, says: Says, *, estimated: bool = False,
                   gate: Callable[[Settings], pl.Expr] | None = None,
                   tip: Tip | None = None) -> Rule:
    """A rule that fires when one column crosses one threshold (and ``gate`` holds); its
    reason ``says`` the column's value (``estimated``: tagged when the loads of the last 28
    days include estimates)."""
    return Rule(name, level, evidence, partial(_crossed, limit, gate),
                partial(_stated, limit, metric, unit, estimated, says), (limit,), tip)


_PAIN_RULE = Evidence("strideload rule (docs/methods.md section 9)", "not validated",
                      "heuristic", "H", 9)
_FARRAR = Evidence("Farrar 2001 Pain 94:149", "adults in chronic-pain trials",
                   "pooled trial analysis", "V", 8)
_NICE = Evidence("NICE-based red-flag pathways", "adults with back pain", "guideline", "V", 7)

# --- R0: see a professional -------------------------------------------------------------------


def _unknown_flag() -> pl.Expr:
    known = [*RED_FLAGS, *EMERGENCY_FLAGS, *REST_SYMPTOMS]
    return pl.col("red_flags_recent").list.eval(~pl.element().is_in(known)).list.any() \
        .fill_null(False)


def _emergency_findings(row: Row, _: Settings) -> list[Finding]:
    return [Finding("red_flag", EMERGENCY_FLAGS[n], "any emergency sign", "-",
                    words=f"You reported {EMERGENCY_FLAGS[n]}: this can be a heart or aorta "
                          "emergency.")
            for n in _names(row, "red_flags_recent") if n in EMERGENCY_FLAGS]


def _red_flag_findings(row: Row, s: Settings) -> list[Finding]:
    return [Finding("red_flag", RED_FLAGS.get(n, n), "any red flag", "-",
                    words=f"You reported {RED_FLAGS.get(n, n)} in the last "
                          f"{s.integer('flag_lookback_days')} days, a warning sign that needs "
                          "a professional's look.")
            for n in _names(row, "red_flags_recent")
            if n not in EMERGENCY_FLAGS and n not in REST_SYMPTOMS]


def _not_improving_findings(row: Row, s: Settings) -> list[Finding]:
    days = _whole(row, "pain_episode_days")
    weeks = f"{days} days" if days is not None else \
        f"{s.integer('no_improvement_days')} days or more"
    return [Finding("pain_episode_days", days,
                    f">= {s.integer('no_improvement_days')} without meaningful improvement",
                    "days",
                    words=f"Your back pain has lasted {weeks} without improving by "
                          f"{s.number('pain_change_points'):g} points or "
                          f"{s.number('pain_change_pct'):g} %.")]


def _new_onset_findings(row: Row, s: Settings) -> list[Finding]:
    age = _whole(row, "age")
    low, high = s.integer("onset_age_low"), s.integer("onset_age_high")
    at = f"at {age}" if age is not None else "at your age"
    return [Finding("age_at_new_back_pain", age, f"< {low} or > {high}", "years",
                    words=f"Back pain that starts for the first time {at} (under {low} or over "
                          f"{high}) is worth a professional's look.")]


R0_RULES = (
    Rule("r0_emergency", "R0", _NICE, lambda s: _names_in("red_flags_recent", EMERGENCY_FLAGS),
         _emergency_findings),
    Rule("r0_red_flag", "R0", _NICE,
         lambda s: _names_in("red_flags_recent", RED_FLAGS) | _unknown_flag(),
         _red_flag_findings),
    Rule("r0_not_improving", "R0",
         Evidence("NICE low-back-pain pathway", "adults with back pain", "guideline", "V", 7),
         lambda s: pl.col("pain_not_improving"), _not_improving_findings),
    Rule("r0_new_onset", "R0", _NICE, lambda s: pl.col("pain_new_onset"), _new_onset_findings),
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
                   Limit("pain_now", ">=", "pain_rest_level"), "pain", "/10",
                   "Your back pain is {v}/10; from {t:g}/10 we suggest a day without running."),
    Rule("r1_symptom", "R1", _PAIN_RULE, lambda s: _names_in("symptoms_now", REST_SYMPTOMS),
         lambda row, s: [Finding("symptom", REST_SYMPTOMS[n], "reported", "-",
                                 words=f"You reported {REST_SYMPTOMS[n]}.")
                         for n in _names(row, "symptoms_now") if n in REST_SYMPTOMS]),
    threshold_rule("r1_pain_up", "R1", _FARRAR,
                   Limit("pain_up", ">=", "pain_change_points",
                         "{op} +{value:g} vs the median of the last {pain_median_days} days"),
                   "pain_vs_median", "points",
                   "Your pain is {v:.0f} points above your usual level of the last "
                   "{pain_median_days} days; a change of {t:g} points is one people notice."),
    threshold_rule("r1_rising", "R1", _PAIN_RULE,
                   Limit(PAIN_RISE, ">=", "rising_pain_min_points",
                         "{op} +{value:g} over {rising_pain_days} days"),
                   "pain_rise", "points",
                   "Your pain has been rising: up {v:.1f} points over {rising_pain_days} "
                   "days."),
    Rule("r1_no_alternative", "R1", _PAIN_RULE,
         lambda s: moderate_pain(s) & ~pl.col("alternatives_available"),
         lambda row, s: [Finding("pain_free_alternative", "none", "one needed to cross-train",
                                 "-", words="Your pain calls for swapping running for other "
                                            "training, but you said none is pain-free.")]),
)

# --- R2: cross-train --------------------------------------------------------------------------

R2_RULES = (
    threshold_rule("r2_pain_moderate", "R2", _PAIN_RULE, _PAIN_MODERATE, "pain", "/10",
                   "Your back pain is {v}/10; from {t:g}/10 we suggest training without "
                   "running: it keeps you fit while the pain settles."),
    Rule("r2_during_run", "R2", _PAIN_RULE, lambda s: pl.col("pain_during_run_recent"),
         lambda row, s: [Finding(
             "pain_during_run", "yes", f"within {s.integer('during_run_lookback_days')} days",
             "-", words=f"Your back hurt during a run in the last "
                        f"{s.integer('during_run_lookback_days')} days.")]),
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


def _weekly(row: Row, s: Settings) -> tuple[Limit, float | None, float | None, float | None]:
    """The limit that applies, the 7-day distance, the 7 days before and the most allowed
    [m] (``None`` when unknown)."""
    limit = WEEKLY_EARLY if row.get(EARLY_IN_BLOCK) else WEEKLY_HIGH
    change, total = _num(row, limit.column), _num(row, "run_distance_7d")
    if change is None or total is None or change <= -100:
        return limit, total, None, None
    before = total / (1 + change / 100)
    return limit, total, before, before * (1 + limit.value(s) / 100)


def _weekly_findings(row: Row, s: Settings) -> list[Finding]:
    limit, total, before, _ = _weekly(row, s)
    change = _num(row, limit.column)
    day = row.get("date")
    lead = (f"With your plan you would run {km(total)} in the 7 days to {day_name(day)}"
            if planned(row, day) else f"You ran {km(total)} in the last 7 days")
    words = f"{lead}, {pct(change or 0)} more than in the 7 days before ({km(before)})."
    if limit is WEEKLY_EARLY:
        words += (f" Early in a training block more than {limit.value(s):g} % in a week is a "
                  "steep rise.")
    return [Finding("weekly_distance_change", change, limit.text(s), "%", words=words)]


def _weekly_tip(row: Row, s: Settings) -> str | None:
    _, total, _, allowed = _weekly(row, s)
    if allowed is None or total is None:
        return None
    day = row.get("date")
    if planned(row, day):
        return (f"Keep the 7 days to {day_name(day)} under {km(allowed)}: "
                f"{km(total - allowed)} less than planned.")
    return f"Hold the coming week near {km(allowed)} rather than adding more."


def _long_run(row: Row) -> tuple[float | None, float | None, object]:
    """The run behind the long-run ratio: its distance and the longest of the window before
    it [m], and its day (the planned run of the advice, else the last 7 days' run)."""
    planned_m, ratio = _num(row, "planned_run_m"), _num(row, "planned_run_ratio")
    if planned_m is not None and ratio is not None and ratio == _num(row, LONG_RUN_RATIO):
        return planned_m, planned_m / ratio, row.get("date")
    return _num(row, "long_run_7d_m"), _num(row, "long_run_7d_prior_m"), \
        row.get("long_run_7d_date")


def _long_run_words(ratio: object, row: Row, s: Settings) -> str:
    window = s.integer("long_run_window_days")
    run_m, before, day = _long_run(row)
    more = pct((float(ratio) - 1) * 100) if isinstance(ratio, int | float) else "much"
    if run_m is None:
        return f"A run this week was {more} longer than your longest of the {window} days " \
               "before."
    if day == row.get("date") and _num(row, "planned_run_m") is not None:
        return (f"The run you plan, {km(run_m)}, is {more} longer than your longest of the "
                f"last {window} days ({km(before)}).")
    if planned(row, day):
        return (f"The run you plan on {day_name(day)}, {km(run_m)}, is {more} longer than "
                f"your longest of the {window} days before ({km(before)}).")
    return (f"Your run on {day_name(day)}, {km(run_m)}, was {more} longer than your longest "
            f"of the {window} days before ({km(before)}).")


def _long_run_tip(row: Row, s: Settings) -> str | None:
    run_m, before, day = _long_run(row)
    if before is None:
        return None
    allowed = before * LONG_RUN.value(s)
    if day == row.get("date") and _num(row, "planned_run_m") is not None:
        return f"Keep the planned run under {km(allowed)}."
    if planned(row, day):
        return f"Keep {day_name(day)}'s run under {km(allowed)}."
    longest = _num(row, "longest_run_30d")
    return f"Keep your runs easy and no longer than {km(longest)} for a few days."


def _form_findings(row: Row, s: Settings) -> list[Finding]:
    cadence, decoupling = _num(row, "cadence_deviation_pct_7d"), _num(row, DECOUPLING.column)
    return [Finding("speed_adjusted_cadence_change", cadence, CADENCE_DROP_WORDS.format(**s),
                    "%", words=f"On a run this week your cadence at the same speed dropped "
                               f"{pct(abs(cadence or 0))}, a sign of tiring form."),
            Finding("pa_hr_decoupling", decoupling, DECOUPLING.text(s), "%",
                    words=f"Your heart rate drifted {pct(decoupling or 0)} against your pace "
                          "(Pa:HR) on a long steady run, a sign of fatigue.")]


FLAG_RULES = (
    Rule("flag_weekly_distance", "flag",
         Evidence("Nielsen 2014 JOSPT 44:739 / Damsted 2019 JOSPT 49:230",
                  "novice and half-marathon runners", "cohort", "V", 5),
         _weekly_limit, _weekly_findings, (WEEKLY_HIGH, WEEKLY_EARLY), _weekly_tip),
    threshold_rule("flag_long_run", "flag",
                   Evidence("Frandsen 2025 BJSM 59:1203", "5,205 adult runners", "cohort",
                            "V", 5), LONG_RUN, "long_run_ratio", "-", _long_run_words,
                   tip=_long_run_tip),
    threshold_rule("flag_monotony", "flag",
                   Evidence("Foster 1998 MSSE 30:1164; Runalyze", "athletes", "observational",
                            "P", 3), Limit("monotony", ">", "monotony_high"), "monotony", "-",
                   "Your training load was very even from day to day (monotony {v:.1f}, above "
                   "{t:g}): hard days need easy days between them.",
                   estimated=True,
                   gate=lambda s: pl.col("history_days") >= s.integer("acwr_min_history_days"),
                   tip="Make one day a rest day or much easier than the others."),
    threshold_rule("flag_ramp", "flag",
                   Evidence("Friel; GoldenCheetah", "endurance athletes", "coaching guidance",
                            "P", 4), Limit("ctl_ramp", ">", "ramp_high"), "ctl_ramp",
                   "points/week",
                   "Your fitness score (CTL) climbed {v:.1f} points in a week; more than {t:g} "
                   "is a steep build.", estimated=True,
                   tip="Hold your training steady for a week before building again."),
    threshold_rule("flag_tsb", "flag",
                   Evidence("intervals.icu", "endurance athletes", "coaching guidance", "P", 4),
                   Limit("tsb", "<", "tsb_low"), "tsb", "points",
                   "You are carrying a lot of fatigue: your form score (TSB) is {v:.0f}, below "
                   "{t:g}.", estimated=True,
                   tip="Take an easy day or two to let the fatigue settle."),
    Rule("flag_form", "flag",
         Evidence("strideload heuristic (cadence); Friel / TrainingPeaks (Pa:HR)",
                  "not validated", "heuristic", "H", 6),
         lambda s: pl.col("cadence_drop_7d") & DECOUPLING.expr(s),
         _form_findings, (DECOUPLING,),
         "Keep the next runs easy and check your form again when you are fresh."),
)

# --- R3 readiness: recovery signals (docs/methods.md section 12.6) ----------------------------

_READINESS = Evidence(
    "Plews et al. 2014 IJSPP 9:783 (HRV); Buchheit 2014 Front Physiol 5:73 (resting HR); "
    "Watson et al. 2015 Sleep 38:843 (sleep); combined as in docs/methods.md section 12.6",
    "endurance athletes; adults", "heuristic combination", "H", 12)


def recovery_low(s: Settings) -> pl.Expr:
    """HRV below the own normal band together with resting HR elevated or
    ``short_nights`` short nights running (the flags of :func:`analytics.recovery.
    recovery_daily`, which hold the thresholds ``hrv_band_sd``, ``rhr_elevated_bpm``,
    ``rhr_elevated_days``, ``short_sleep_h`` and ``short_nights``)."""
    return pl.col("hrv_below_normal") & (pl.col("rhr_elevated") | pl.col("short_nights"))


def _n(value: float | None, digits: int = 0) -> str:
    return "unknown" if value is None else f"{value:.{digits}f}"


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _readiness_findings(row: Row, s: Settings) -> list[Finding]:
    hrv, low = _rounded(_num(row, "hrv_7d_ms")), _num(row, "hrv_normal_low_ms")
    high, days = _num(row, "hrv_normal_high_ms"), s.integer("hrv_baseline_days")
    out = [Finding(
        "hrv_7d", hrv, f"< {_n(low)} ms (bottom of your normal band: {days}-day mean - "
        f"{s.number('hrv_band_sd'):g} SD of ln RMSSD)", "ms",
        words=f"Your HRV this week, {_n(hrv)} ms, is below your normal band "
              f"({_n(low)}-{_n(high)} ms, from your last {days} days).")]
    if row.get("rhr_elevated"):
        rhr, median = _num(row, "resting_hr_bpm"), _num(row, "rhr_median_bpm")
        up, running = s.number("rhr_elevated_bpm"), s.integer("rhr_elevated_days")
        median_days = s.integer("rhr_median_days")
        out.append(Finding(
            "resting_hr", rhr, f">= {_n(None if median is None else median + up)} bpm ({up:g} "
            f"bpm above your {median_days}-day median) on {running} days running", "bpm",
            words=f"With that low HRV, your resting heart rate, {_n(rhr)} bpm, is "
                  f"{_n(_num(row, 'rhr_delta_bpm'))} bpm above your {median_days}-day median "
                  f"({_n(median)} bpm) on {running} days running ({up:g} bpm or more "
                  "counts)."))
    if row.get("short_nights"):
        sleep = _num(row, "sleep_s")
        hours = None if sleep is None else round(sleep / 3600, 1)
        short, nights = s.number("short_sleep_h"), s.integer("short_nights")
        out.append(Finding(
            "sleep", hours, f"< {short:g} h on {nights} nights running", "h",
            words=f"With that low HRV, you slept less than {short:g} h on each of the last "
                  f"{nights} nights (last night {_n(hours, 1)} h)."))
    return out


#: Turns "train as planned" into an easy run; never rest or cross-training by itself, never
#: above pain or red flags (its level comes after R0-R2 in the ladder).
READINESS_RULES = (
    Rule("r3_recovery_low", "R3", _READINESS, recovery_low, _readiness_findings,
         tip="Run easy today; the planned session can wait until your HRV is back in its "
             "band."),
)

# --- context and "train as planned" -----------------------------------------------------------

#: Pain that allows an easy run: below the cross-training level (0-2 by default).
EASY_PAIN = Limit("pain_now", "<", "pain_cross_train_level")


def _easy_pain_words(value: object, row: Row, s: Settings) -> str:
    if value is None:
        return "No back pain logged in the last days."
    return (f"Your back pain is {value}/10, below {EASY_PAIN.value(s):g}/10, the level where "
            "we suggest other training.")


OTHER_RULES = (
    threshold_rule("acwr_context", "context",
                   Evidence("Gabbett 2016 BJSM 50:273; critique Impellizzeri 2021 Sports Med "
                            "51:581", "team sports; did not predict injury in 5,205 runners "
                            "(Frandsen 2025)", "cohort", "V", 2),
                   Limit("acwr", ">=", "acwr_danger",
                         "{op} {value:g} 'danger zone' (descriptive only)"), "acwr", "-",
                   "For context: your last week's load was {v:.1f} times your usual "
                   "(ACWR). This ratio did not predict injuries in runners, so it decides "
                   "nothing here.", estimated=True),
    Rule("no_flags", "R4", _PAIN_RULE, lambda s: pl.col("load_flags") == 0,
         lambda row, s: [
             Finding("pain", _whole(row, "pain_now"), EASY_PAIN.text(s), "/10",
                     words=_easy_pain_words(_whole(row, "pain_now"), row, s)),
             Finding("load_flags", 0.0, ">= 1 for an easy run", "-",
                     bool(row.get("estimated_28d")),
                     "Your weekly distance, longest run, training variety, build-up, fatigue "
                     "and running form are all within their limits.")],
         (EASY_PAIN,)),
)

#: Every rule by name, in the order reasons are given.
RULES: dict[str, Rule] = {r.name: r for r in (*R0_RULES, *R1_RULES, *R2_RULES, *FLAG_RULES,
                                              *READINESS_RULES, *OTHER_RULES)}
#: Load flags counted by R2 and R3.
LOAD_FLAGS = tuple(r.name for r in FLAG_RULES)
#: Columns the rules compute from others before deciding.
DERIVED: dict[str, Callable[[Settings], pl.Expr]] = {
    PAIN_RISE: pain_rise,
    EARLY_IN_BLOCK: early_in_block,
    LONG_RUN_RATIO: lambda s: pl.max_horizontal("max_run_ratio_7d", "planned_run_ratio"),
}
