"""Training-load analytics: pure functions over polars frames (no I/O, no globals).

Specification: docs/methods.md (sections 1-9). Every threshold and convention is a
:class:`~analytics.settings.Setting` in :mod:`analytics.settings` with its unit, allowed
range (and why), source and evidence grade (V/P/U/H); every advice rule is one
:class:`~analytics.rules.Rule` in :mod:`analytics.rules` (condition, threshold settings,
evidence, words of its reason). Loads are in HRSS points (100 = one hour at lactate threshold).

At import (once per activity, stored)
    :func:`analytics.activity_metrics.compute_activity_metrics` ``(samples, sport, settings)``
    -> dict of :data:`~analytics.activity_metrics.ACTIVITY_METRICS_SCHEMA`: heart-rate
    histogram (seconds at each bpm 30..230), max 5-s HR, moving time, normalized
    grade-adjusted speed, cadence drift and its exclusions, speed-band cadence, Pa:HR, and
    the run-quality signals of :mod:`~analytics.run_signals` (warm-up and cool-down,
    breathing rate and its rise at matched speed, running dynamics).

Entry point (:mod:`analytics.report`)
    ``build_report(activities, pain, rpe, profile, settings, *, end, unrecorded, pain_areas,
    pain_free_alternatives, bodywork) -> Report`` with ``.daily`` (one row per local day),
    ``.sessions``, ``.runs``, ``.profile``; ``Report.advise(day, planned_distance_m)``
    -> :class:`~analytics.suggestions.Advice` (``as_dict()`` = CLI JSON),
    ``Report.weekly(start, end)``, ``Report.association()``, ``Report.pain_episodes()``.

Model modules (numpydoc, formula, units, reference)
    :mod:`~analytics.athlete` profile and its estimates; :mod:`~analytics.load` TRIMP,
    HRSS, pace load, sRPE, fallbacks, ``session_loads``; :mod:`~analytics.daily` calendar
    series; :mod:`~analytics.acwr` ACWR (3 methods); :mod:`~analytics.monotony` monotony and
    strain; :mod:`~analytics.fitness` CTL/ATL/TSB/ramp; :mod:`~analytics.progression` weekly
    change, long-run ratio, blocks; :mod:`~analytics.cadence` drift and baseline;
    :mod:`~analytics.decoupling` Pa:HR; :mod:`~analytics.pain` journal, z-score, trend,
    episodes, red flags; :mod:`~analytics.association` lagged Spearman, block bootstrap, BH;
    :mod:`~analytics.rules` the rule declarations; :mod:`~analytics.suggestions` the ladder
    R0-R4, reasons, tips; :mod:`~analytics.weekly` ISO
    weeks; :mod:`~analytics.samples` 1 Hz grid, HR artefacts, grade, GAP;
    :mod:`~analytics.gear` distance per item, shoe retirement, parallel shoes;
    :mod:`~analytics.bodywork` body work per day and its load; :mod:`~analytics.levers`
    gear, carry, surface and body work per activity and per day (docs/methods.md
    section 10); :mod:`~analytics.warmup` warm-up and cool-down with the easy activities
    beside a run; :mod:`~analytics.factor_days` and :mod:`~analytics.factors` what relates
    to pain (day table, block-bootstrap effects adjusted for load, BH);
    :mod:`~analytics.return_plan` the way back after an episode; :mod:`~analytics.lever_tips`
    tips from the runner's levers (docs/methods.md section 11);
    :mod:`~analytics.experiment_schedule`, :mod:`~analytics.experiment_result` and
    :mod:`~analytics.experiment_text` personal experiments: lever, random order of the
    blocks, calendar with safety pauses, adherence, the paired analysis and its words
    (docs/methods.md section 13).

The product describes and suggests; it never predicts injury risk or diagnoses.
"""
