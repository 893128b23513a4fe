"""Suggestion rules R0-R4, their reasons and the self-care tips.

ANALYTICS.md section 9, top-down, first match wins:

- R0 ``see_professional``: a red flag in the journal of the last 7 days (emergency wording for
  cardiac or aortic signs); a pain episode (ratings >= 3, our threshold) not improving after ~4
  weeks; new back pain below 20 or above 50 years (NICE-based pathways) [V].
- R1 ``rest``: pain >= 5; new night or rest pain, or pain that changed running form (journal);
  pain up >= 2 points vs the 7-day median (Farrar 2001); pain rising for more than 7 days (also
  suggest a professional). Also: R2's pain condition without a pain-free alternative (the
  runner said none exists) - resting is then the only option that avoids the painful activity;
  this branch is ours, ANALYTICS.md leaves the case open.
- R2 ``cross_train``: pain 3-4 or pain during a run (last 3 days) and a pain-free alternative;
  or pain >= 1 with >= 2 load flags.
- R3 ``easy``: pain <= 2 (or not rated) and >= 1 load flag: 7-day running distance > +30 %
  (Nielsen 2014) or > +20 % early in a block (Damsted 2019); a run in the last 7 days or the
  planned run > 110 % of the 30-day longest (Frandsen 2025); monotony > 2.0; CTL ramp > 8/week;
  TSB < -30; a speed-adjusted cadence drop >= 3 % and Pa:HR > 5 % both within the last 7 days
  [H] (ANALYTICS.md says "together with"; the two rarely fall on one run because Pa:HR needs
  a steady run of an hour, so the 7-day window is our reading).
- R4 ``train`` as planned.

Gates: the monotony flag is off before 28 days of history. ACWR is shown as a descriptive
context reason in its danger zone (>= 1.5), never counted as a flag (Impellizzeri 2021;
Frandsen 2025). Reasons of load flags say when the loads of the last 28 days include
estimates.

The rule inputs are columns of the daily report (:mod:`analytics.report`); :func:`apply_rules`
adds one boolean column per condition plus ``load_flags``, ``rule`` and ``suggestion``, row by
row, so one day can be re-evaluated (e.g. with a planned run) with the same code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from analytics.settings import Settings
from ingest.journal import EMERGENCY_FLAGS, RED_FLAGS, REST_SYMPTOMS

SUGGESTIONS = ("train", "easy", "cross_train", "rest", "see_professional")
RULES = {"R0": "see_professional", "R1": "rest", "R2": "cross_train", "R3": "easy",
         "R4": "train"}
LABELS = {"train": "Train as planned", "easy": "Easy run", "cross_train": "Cross-train",
          "rest": "Rest", "see_professional": "See a professional"}

#: Load flags counted by R2 and R3.
LOAD_FLAGS = ("flag_weekly_distance", "flag_long_run", "flag_monotony", "flag_ramp", "flag_tsb",
              "flag_form")

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
    "cadence_drop_7d": pl.Boolean(),
    "cadence_deviation_pct_7d": pl.Float64(),
    "decoupling_pct_7d": pl.Float64(),
}


@dataclass(frozen=True)
class Evidence:
    """Where a threshold comes from, for the sentence of a reason."""

    source: str
    population: str
    strength: str
    grade: str


_PAIN_RULE = Evidence("strideload rule (ANALYTICS.md section 9)", "not validated", "heuristic",
                      "H")
_FARRAR = Evidence("Farrar 2001 Pain 94:149", "adults in chronic-pain trials",
                   "pooled trial analysis", "V")
_NICE = Evidence("NICE-based red-flag pathways", "adults with back pain", "guideline", "V")
EVIDENCE: dict[str, Evidence] = {
    "r0_emergency": _NICE,
    "r0_red_flag": _NICE,
    "r0_not_improving": Evidence("NICE low-back-pain pathway", "adults with back pain",
                                 "guideline", "V"),
    "r0_new_onset": _NICE,
    "r1_pain_high": _PAIN_RULE,
    "r1_symptom": _PAIN_RULE,
    "r1_pain_up": _FARRAR,
    "r1_rising": _PAIN_RULE,
    "r1_no_alternative": _PAIN_RULE,
    "r2_pain_moderate": _PAIN_RULE,
    "r2_during_run": _PAIN_RULE,
    "flag_weekly_distance": Evidence("Nielsen 2014 JOSPT 44:739 / Damsted 2019 JOSPT 49:230",
                                     "novice and half-marathon runners", "cohort", "V"),
    "flag_long_run": Evidence("Frandsen 2025 BJSM 59:1203", "5,205 adult runners", "cohort",
                              "V"),
    "flag_monotony": Evidence("Foster 1998 MSSE 30:1164; Runalyze", "athletes",
                              "observational", "P"),
    "flag_ramp": Evidence("Friel; GoldenCheetah", "endurance athletes", "coaching guidance", "P"),
    "flag_tsb": Evidence("intervals.icu", "endurance athletes", "coaching guidance", "P"),
    "flag_form": Evidence("strideload heuristic (cadence); Friel / TrainingPeaks (Pa:HR)",
                          "not validated", "heuristic", "H"),
    "acwr_context": Evidence("Gabbett 2016 BJSM 50:273; critique Impellizzeri 2021 Sports Med "
                             "51:581", "team sports; did not predict injury in 5,205 runners "
                             "(Frandsen 2025)", "cohort", "V"),
    "no_flags": _PAIN_RULE,
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
        The plain sentence: "[Suggestion] because [metric] = [value] vs [threshold] - [source],
        [population], [strength]. Not a diagnosis."
    estimated
        The value rests on estimated loads.
    context
        Shown for context only; did not decide the suggestion (ACWR).
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

    def as_dict(self) -> dict[str, object]:
        """JSON-ready dict with ``metric, value, threshold, unit, source, grade, text,
        estimated, context``."""
        return {
            "metric": self.metric, "value": self.value, "threshold": self.threshold,
            "unit": self.unit, "source": self.source, "grade": self.grade, "text": self.text,
            "estimated": self.estimated, "context": self.context,
        }


@dataclass(frozen=True)
class Advice:
    """Suggestion for one day with its reasons and tips (JSON via :meth:`as_dict`)."""

    date: dt.date
    suggestion: str
    rule: str
    reasons: tuple[Reason, ...]
    tips: tuple[str, ...]
    emergency: bool = False

    def as_dict(self) -> dict[str, object]:
        """``{"date", "suggestion", "rule", "emergency", "reasons": [...], "tips": [...]}``."""
        return {
            "date": self.date.isoformat(),
            "suggestion": self.suggestion,
            "rule": self.rule,
            "emergency": self.emergency,
            "reasons": [r.as_dict() for r in self.reasons],
            "tips": list(self.tips),
        }


def _names_in(column: str, names: Mapping[str, str]) -> pl.Expr:
    return pl.col(column).list.eval(pl.element().is_in(list(names))).list.any().fill_null(False)


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
        The input plus one boolean column per condition (``r0_*``, ``r1_*``, ``r2_*`` and the
        load flags of :data:`LOAD_FLAGS`), ``load_flags`` (count), ``rule`` (R0-R4) and
        ``suggestion`` (one of :data:`SUGGESTIONS`).
    """
    s = Settings.coerce(settings)
    frame = daily.lazy()
    have = frame.collect_schema().names()
    frame = frame.with_columns(
        pl.lit(None, dtype=dtype).alias(name) for name, dtype in RULE_INPUTS.items()
        if name not in have
    )
    pain = pl.col("pain_now")
    known_flags = {**RED_FLAGS, **EMERGENCY_FLAGS, **REST_SYMPTOMS}
    unknown_flag = pl.col("red_flags_recent").list.eval(
        ~pl.element().is_in(list(known_flags))).list.any().fill_null(False)
    rise = pl.col("pain_trend") * (s.integer("rising_pain_days") - 1)
    early = (pl.col("block_day") < s.integer("block_early_days")).fill_null(False)
    increase_limit = pl.when(early).then(s.number("weekly_change_early_pct")).otherwise(
        s.number("weekly_change_high_pct"))
    spike = s.number("long_run_spike_ratio")
    conditions = {
        "r0_emergency": _names_in("red_flags_recent", EMERGENCY_FLAGS),
        "r0_red_flag": _names_in("red_flags_recent", RED_FLAGS) | unknown_flag,
        "r0_not_improving": pl.col("pain_not_improving"),
        "r0_new_onset": pl.col("pain_new_onset"),
        "r1_pain_high": pain >= s.integer("pain_rest_level"),
        "r1_symptom": _names_in("symptoms_now", REST_SYMPTOMS),
        "r1_pain_up": pl.col("pain_up") >= s.number("pain_change_points"),
        "r1_rising": rise >= s.number("rising_pain_min_points"),
        "r2_pain_moderate": pain >= s.integer("pain_cross_train_level"),
        "r2_during_run": pl.col("pain_during_run_recent"),
        "flag_weekly_distance": pl.col("run_distance_change_pct") > increase_limit,
        "flag_long_run": (pl.col("max_run_ratio_7d") > spike) | (pl.col("planned_run_ratio")
                                                                  > spike),
        "flag_monotony": (pl.col("monotony") > s.number("monotony_high"))
        & (pl.col("history_days") >= s.integer("acwr_min_history_days")),
        "flag_ramp": pl.col("ctl_ramp") > s.number("ramp_high"),
        "flag_tsb": pl.col("tsb") < s.number("tsb_low"),
        "flag_form": pl.col("cadence_drop_7d")
        & (pl.col("decoupling_pct_7d") > s.number("decoupling_high_pct")),
    }
    frame = frame.with_columns(expr.fill_null(False).alias(name)
                               for name, expr in conditions.items())
    n_flags = pl.sum_horizontal(LOAD_FLAGS).cast(pl.Int32)
    any_of = lambda prefix: pl.any_horizontal(  # noqa: E731
        [pl.col(n) for n in conditions if n.startswith(prefix)])
    moderate = pl.col("r2_pain_moderate") | pl.col("r2_during_run")
    frame = frame.with_columns(
        n_flags.alias("load_flags"),
        (moderate & ~pl.lit(alternatives_available)).alias("r1_no_alternative"),
    )
    easy_pain = pain.is_null() | (pain <= s.integer("pain_easy_max"))
    rule = (
        pl.when(any_of("r0_")).then(pl.lit("R0"))
        .when(any_of("r1_") | pl.col("r1_no_alternative")).then(pl.lit("R1"))
        .when(moderate | ((pain >= 1) & (pl.col("load_flags")
                                         >= s.integer("load_flags_for_cross_train"))))
        .then(pl.lit("R2"))
        .when(easy_pain & (pl.col("load_flags") >= 1)).then(pl.lit("R3"))
        .otherwise(pl.lit("R4"))
    )
    return (
        frame.with_columns(rule.alias("rule"))
        .with_columns(pl.col("rule").replace_strict(RULES, return_dtype=pl.String)
                      .alias("suggestion"))
        .collect()
    )


def _num(row: Mapping[str, object], key: str) -> float | None:
    value = row.get(key)
    return None if value is None else float(value)  # type: ignore[arg-type]


def _whole(row: Mapping[str, object], key: str) -> int | None:
    value = _num(row, key)
    return None if value is None else int(value)


def _names(row: Mapping[str, object], key: str) -> list[str]:
    value = row.get(key)
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


#: How metric names read in a sentence (others: underscores become spaces).
METRIC_NAMES = {
    "acwr": "ACWR",
    "ctl_ramp": "CTL ramp",
    "tsb": "TSB (form)",
    "pa_hr_decoupling": "Pa:HR decoupling",
    "speed_adjusted_cadence_change": "speed-adjusted cadence change",
    "age_at_new_back_pain": "age at new back pain",
}


def _reason(flag: str, suggestion: str, metric: str, value: float | int | str | None,
            threshold: str, unit: str, *, estimated: bool = False, context: bool = False
            ) -> Reason:
    ev = EVIDENCE[flag]
    if isinstance(value, float):
        digits = 2 if metric in ("monotony", "long_run_ratio", "acwr") else \
            0 if metric == "load_flags" else 1
        shown = f"{value:.{digits}f}"
    else:
        shown = value
    unit_text = "" if unit == "-" else unit if unit.startswith("/") else f" {unit}"
    note = " (loads partly estimated)" if estimated else ""
    lead = "For context" if context else f"{LABELS[suggestion]} because"
    name = METRIC_NAMES.get(metric, metric.replace("_", " "))
    measured = (f"no {name} recorded" if value is None
                else f"{name} = {shown}{unit_text}{note}")
    text = (f"{lead}: {measured} vs {threshold} - {ev.source}, {ev.population}, "
            f"{ev.strength}. Not a diagnosis.")
    return Reason(metric, value, threshold, unit, ev.source, ev.grade, text, estimated, context)


def reasons_for(row: Mapping[str, object], settings: Settings | Mapping[str, object] | None = None
                ) -> list[Reason]:
    """Reasons of the rule that fired on one row of :func:`apply_rules`.

    For R0-R2 the conditions of that rule that are true; for R2 and R3 also each load flag;
    for R4 the pain and the absence of load flags. ACWR in its danger zone is added as a
    context reason.
    """
    s = Settings.coerce(settings)
    suggestion = str(row["suggestion"])
    rule = str(row["rule"])
    estimated = bool(row.get("estimated_28d"))
    pain = _whole(row, "pain_now")
    out: list[Reason] = []

    if rule == "R0":
        for name in _names(row, "red_flags_recent"):
            if name in EMERGENCY_FLAGS:
                out.append(_reason("r0_emergency", suggestion, "red_flag",
                                   EMERGENCY_FLAGS[name], "any emergency sign", "-"))
            elif name not in REST_SYMPTOMS:
                out.append(_reason("r0_red_flag", suggestion, "red_flag",
                                   RED_FLAGS.get(name, name), "any red flag", "-"))
        if row.get("r0_not_improving"):
            out.append(_reason("r0_not_improving", suggestion, "pain_episode_days",
                               _whole(row, "pain_episode_days"),
                               f">= {s.integer('no_improvement_days')} without meaningful "
                               "improvement", "days"))
        if row.get("r0_new_onset"):
            out.append(_reason("r0_new_onset", suggestion, "age_at_new_back_pain",
                               _whole(row, "age"), f"< {s.integer('onset_age_low')} or > "
                               f"{s.integer('onset_age_high')}", "years"))
        return out

    if rule == "R1":
        if row.get("r1_pain_high"):
            out.append(_reason("r1_pain_high", suggestion, "pain", pain,
                               f">= {s.integer('pain_rest_level')}", "/10"))
        if row.get("r1_symptom"):
            out += [_reason("r1_symptom", suggestion, "symptom", REST_SYMPTOMS[name],
                            "reported", "-")
                    for name in _names(row, "symptoms_now") if name in REST_SYMPTOMS]
        if row.get("r1_pain_up"):
            out.append(_reason("r1_pain_up", suggestion, "pain_vs_7_day_median",
                               _num(row, "pain_up"),
                               f">= +{s.number('pain_change_points'):g}", "points"))
        if row.get("r1_rising"):
            trend = _num(row, "pain_trend") or 0.0
            out.append(_reason("r1_rising", suggestion, "pain_rise_over_8_days",
                               trend * (s.integer("rising_pain_days") - 1),
                               f">= +{s.number('rising_pain_min_points'):g}", "points"))
        if row.get("r1_no_alternative"):
            out.append(_reason("r1_no_alternative", suggestion, "pain_free_alternative", "none",
                               "one needed to cross-train", "-"))
        return out

    if rule == "R2":
        if row.get("r2_pain_moderate"):
            out.append(_reason("r2_pain_moderate", suggestion, "pain", pain,
                               f">= {s.integer('pain_cross_train_level')}", "/10"))
        if row.get("r2_during_run"):
            out.append(_reason("r2_during_run", suggestion, "pain_during_run", "yes",
                               f"within {s.integer('during_run_lookback_days')} days", "-"))
    out += _load_reasons(row, suggestion, s, estimated)
    if rule == "R4":
        out.append(_reason("no_flags", suggestion, "pain", pain,
                           f"<= {s.integer('pain_easy_max')}", "/10"))
        out.append(_reason("no_flags", suggestion, "load_flags", 0.0, ">= 1 for an easy run",
                           "-", estimated=estimated))
    acwr = _num(row, "acwr")
    if acwr is not None and acwr >= s.number("acwr_danger"):
        out.append(_reason("acwr_context", suggestion, "acwr", acwr,
                           f">= {s.number('acwr_danger'):g} 'danger zone' (descriptive only)",
                           "-", estimated=estimated, context=True))
    return out


def _load_reasons(row: Mapping[str, object], suggestion: str, s: Settings, estimated: bool
                  ) -> list[Reason]:
    out = []
    if row.get("flag_weekly_distance"):
        block_day = _num(row, "block_day")
        early = block_day is not None and block_day < s.integer("block_early_days")
        limit = s.number("weekly_change_early_pct" if early else "weekly_change_high_pct")
        out.append(_reason("flag_weekly_distance", suggestion, "weekly_distance_change",
                           _num(row, "run_distance_change_pct"),
                           f"> +{limit:g}" + (" early in a block" if early else ""), "%"))
    if row.get("flag_long_run"):
        ratios = [v for v in (_num(row, "max_run_ratio_7d"), _num(row, "planned_run_ratio"))
                  if v is not None]
        out.append(_reason("flag_long_run", suggestion, "long_run_ratio", max(ratios),
                           f"> {s.number('long_run_spike_ratio'):g} x longest run of the "
                           f"previous {s.integer('long_run_window_days')} days", "-"))
    if row.get("flag_monotony"):
        out.append(_reason("flag_monotony", suggestion, "monotony", _num(row, "monotony"),
                           f"> {s.number('monotony_high'):g}", "-", estimated=estimated))
    if row.get("flag_ramp"):
        out.append(_reason("flag_ramp", suggestion, "ctl_ramp", _num(row, "ctl_ramp"),
                           f"> {s.number('ramp_high'):g}", "points/week", estimated=estimated))
    if row.get("flag_tsb"):
        out.append(_reason("flag_tsb", suggestion, "tsb", _num(row, "tsb"),
                           f"< {s.number('tsb_low'):g}", "points", estimated=estimated))
    if row.get("flag_form"):
        out.append(_reason("flag_form", suggestion, "speed_adjusted_cadence_change",
                           _num(row, "cadence_deviation_pct_7d"),
                           f"<= -{s.number('cadence_drop_pct'):g} (or < "
                           f"-{s.number('cadence_drop_sd'):g} SD)", "%"))
        out.append(_reason("flag_form", suggestion, "pa_hr_decoupling",
                           _num(row, "decoupling_pct_7d"),
                           f"> {s.number('decoupling_high_pct'):g}", "%"))
    return out


#: Self-care tips (ANALYTICS.md section 7): general cues, not evidence-graded treatment.
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
    """Tips that fit a suggestion (ANALYTICS.md section 7)."""
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
    pain = _num(row, "pain_now")
    return Advice(
        date=day,
        suggestion=suggestion,
        rule=str(row["rule"]),
        reasons=tuple(reasons_for(row, settings)),
        tips=tuple(tips_for(suggestion, emergency=emergency, pain=pain,
                            rising=bool(row.get("r1_rising")), alternatives=alternatives)),
        emergency=emergency,
    )
