"""Every threshold and convention of the analytics, declared once with its unit, source and grade.

Grades follow ANALYTICS.md: ``V`` checked in a primary abstract, official page or open-source
code; ``P`` secondary or partly checked; ``U`` not verified; ``H`` our own heuristic.

Functions in this package take plain keyword arguments whose defaults come from
:func:`default`; the report layer (:mod:`analytics.report`) reads them from a :class:`Settings`
object, which holds the defaults below overridden by the user's choices.

Examples
--------
>>> Settings({"acwr_method": "ewma"})["acwr_method"]
'ewma'
>>> default("acwr_chronic_days")
28
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

SettingValue = int | float | str | tuple[str, ...]

GRADES = ("V", "P", "U", "H")


@dataclass(frozen=True)
class Setting:
    """One configurable threshold or convention.

    Attributes
    ----------
    name
        Key used in :class:`Settings` and in the store.
    default
        Default value (from ANALYTICS.md where it gives one).
    unit
        Unit in words, e.g. ``"bpm"``, ``"days"``, ``"%"``, ``"-"`` for dimensionless.
    help
        One sentence for the settings page.
    source
        Where the default comes from.
    grade
        Evidence grade, one of :data:`GRADES`.
    choices
        Allowed values for a text setting, else ``None``.
    """

    name: str
    default: SettingValue
    unit: str
    help: str
    source: str
    grade: str
    choices: tuple[str, ...] | None = None


_RUNALYZE = "Runalyze inc/core/Calculation/Trimp/Calculator.php"
_SECTION6 = "ANALYTICS.md section 6 (Zandbergen 2023; Meyer 2021 IJSM 42:1182)"

_ALL: tuple[Setting, ...] = (
    # --- athlete parameters (section 1)
    Setting("hr_rest_default", 60, "bpm", "Resting heart rate used when the profile has none.",
            "Runalyze default", "V"),
    Setting("hr_max_window_days", 365, "days",
            "Window of recorded heart rate searched for the maximum when HRmax is not set.",
            "ANALYTICS.md section 1", "P"),
    Setting("hr_max_smoothing_s", 5, "s",
            "Rolling mean applied to heart rate before taking the recorded maximum.",
            "ANALYTICS.md section 1", "P"),
    Setting("lthr_hrr_fraction", 0.85, "-",
            "LTHR = HRrest + this fraction of the heart-rate reserve when LTHR is not set.",
            "Elevate default", "P"),
    Setting("trimp_female_convention", "common", "-",
            "Banister TRIMP weighting factor a for women: common (0.86), runalyze (0.8218) or "
            "goldencheetah (0.64); b = 1.67 in all three.",
            "common in apps (primary source not found); Runalyze; GoldenCheetah", "U",
            ("common", "runalyze", "goldencheetah")),
    # --- heart-rate artefacts and resampling
    Setting("hr_min_bpm", 30, "bpm", "Heart rate below this is an artefact and dropped.",
            "ANALYTICS.md section 1", "P"),
    Setting("hr_max_bpm", 230, "bpm", "Heart rate above this is an artefact and dropped.",
            "ANALYTICS.md section 1", "P"),
    Setting("hr_spike_bpm", 25, "bpm",
            "A heart-rate sample further than this from the median of its neighbours is a spike.",
            "strideload heuristic", "H"),
    Setting("hr_spike_window", 9, "samples",
            "Centred window of the running median used to find heart-rate spikes.",
            "strideload heuristic", "H"),
    Setting("resample_max_gap_s", 10, "s",
            "On the 1 Hz grid a value is carried over gaps up to this long (smart recording); "
            "longer gaps are pauses.", "strideload heuristic", "H"),
    Setting("hr_min_coverage", 0.5, "-",
            "Heart rate must cover this fraction of the session time to give an HR-based load.",
            "strideload heuristic", "H"),
    Setting("trimp_max_per_hour", 400, "TRIMP/h",
            "A TRIMP above this per hour of activity is implausible and not used.", _RUNALYZE,
            "V"),
    # --- session load fallbacks
    Setting("srpe_rpe_at_threshold", 7, "CR-10",
            "Session RPE is put on the HRSS scale so that one hour at this rating = 100.",
            "strideload heuristic", "H"),
    Setting("default_hrr_running", 0.70, "-",
            "Assumed fraction of heart-rate reserve for a run without HR, pace or RPE.",
            "strideload heuristic after Runalyze's default-HR substitution", "H"),
    Setting("default_hrr_cycling", 0.60, "-", "As default_hrr_running, for cycling.",
            "strideload heuristic after Runalyze's default-HR substitution", "H"),
    Setting("default_hrr_swimming", 0.60, "-", "As default_hrr_running, for swimming.",
            "strideload heuristic after Runalyze's default-HR substitution", "H"),
    Setting("default_hrr_walking", 0.40, "-", "As default_hrr_running, for walking.",
            "strideload heuristic after Runalyze's default-HR substitution", "H"),
    Setting("default_hrr_hiking", 0.50, "-", "As default_hrr_running, for hiking.",
            "strideload heuristic after Runalyze's default-HR substitution", "H"),
    Setting("default_hrr_other", 0.55, "-", "As default_hrr_running, for every other sport.",
            "strideload heuristic after Runalyze's default-HR substitution", "H"),
    Setting("default_hrr_strength", 0.40, "-",
            "Assumed fraction of heart-rate reserve of an unrated strength, core or Pilates "
            "session (its load is never heart-rate based).",
            "strideload heuristic after Runalyze's default-HR substitution "
            "(docs/methods.md section 10)", "H"),
    Setting("default_hrr_mobility", 0.25, "-",
            "As default_hrr_strength, for yoga, breathing, flexibility and mobility sessions.",
            "strideload heuristic after Runalyze's default-HR substitution "
            "(docs/methods.md section 10)", "H"),
    # --- gear (section 10)
    Setting("shoe_retire_km", 700.0, "km",
            "Shoes past this distance are worth replacing (commonly advised; an item's own "
            "retirement distance wins).",
            "shoe makers and retailers advise 500-800 km; not from trials", "U"),
    Setting("parallel_shoes_days", 28, "days",
            "Window in which the pairs of shoes you ran in are counted (parallel use).",
            "strideload heuristic; Malisoux 2015 Scand J Med Sci Sports 25:110", "H"),
    # --- ACWR (section 2)
    Setting("acwr_method", "rolling_uncoupled", "-",
            "ACWR shown on the dashboard (all three are computed).",
            "Windt & Gabbett 2019 BJSM 53:988; Williams 2017 BJSM 51:209", "V",
            ("rolling_coupled", "rolling_uncoupled", "ewma")),
    Setting("acwr_acute_days", 7, "days", "Acute window (rolling) or EWMA span N.",
            "Williams et al. 2017 BJSM 51:209", "V"),
    Setting("acwr_chronic_days", 28, "days", "Chronic window (rolling) or EWMA span N.",
            "Williams et al. 2017 BJSM 51:209", "V"),
    Setting("acwr_min_history_days", 28, "days", "ACWR is not shown before this much history.",
            "ANALYTICS.md section 2", "V"),
    Setting("acwr_calibrating_days", 42, "days",
            "ACWR is labelled 'calibrating' until this much history (EWMA seed weight 5 %).",
            "ANALYTICS.md section 2", "V"),
    Setting("acwr_sweet_low", 0.8, "-", "Lower edge of the ACWR 'sweet spot' band (team sports).",
            "Gabbett 2016 BJSM 50:273", "V"),
    Setting("acwr_sweet_high", 1.3, "-", "Upper edge of the ACWR 'sweet spot' band.",
            "Gabbett 2016 BJSM 50:273", "V"),
    Setting("acwr_danger", 1.5, "-", "ACWR from which Gabbett's 'danger zone' band starts.",
            "Gabbett 2016 BJSM 50:273", "V"),
    # --- monotony and strain (section 3)
    Setting("monotony_days", 7, "days", "Window of monotony and strain.",
            "Foster 1998 MSSE 30:1164", "V"),
    Setting("monotony_warn", 1.5, "-", "Monotony warning level.", "Runalyze", "P"),
    Setting("monotony_high", 2.0, "-", "Monotony level that counts as a load flag.",
            "Runalyze; often attributed to Foster 1998", "P"),
    Setting("monotony_cap", 10.0, "-", "Monotony is capped here (covers SD = 0).", "Runalyze",
            "P"),
    Setting("strain_percentile", 0.9, "-", "Strain is compared with this own percentile.",
            "strideload heuristic", "H"),
    Setting("strain_min_days", 28, "days",
            "Strain values the own percentile needs.", "strideload heuristic", "H"),
    Setting("strain_window_days", 365, "days", "History used for the own strain percentile.",
            "strideload heuristic", "H"),
    # --- fitness-fatigue (section 4)
    Setting("ewma_convention", "exponential", "-",
            "CTL/ATL smoothing constant: exponential k = 1 - exp(-1/tau) (GoldenCheetah, "
            "intervals.icu) or n_plus_1 k = 2/(tau + 1) (Runalyze).",
            "GoldenCheetah src/Metrics/PMCData.cpp; Runalyze TsbModel.php", "V",
            ("exponential", "n_plus_1")),
    Setting("ctl_days", 42, "days", "Time constant of chronic training load (fitness).",
            "GoldenCheetah src/Metrics/PMCData.cpp", "V"),
    Setting("atl_days", 7, "days", "Time constant of acute training load (fatigue).",
            "GoldenCheetah src/Metrics/PMCData.cpp", "V"),
    Setting("fitness_seed_days", 14, "days", "CTL and ATL start at the mean load of these days.",
            "ANALYTICS.md section 4", "P"),
    Setting("ramp_high", 8.0, "points/week", "CTL ramp above this counts as a load flag.",
            "Friel; GoldenCheetah", "P"),
    Setting("tsb_low", -30.0, "points", "TSB below this counts as a load flag.", "intervals.icu",
            "P"),
    # --- weekly progression (section 5)
    Setting("weekly_change_high_pct", 30.0, "%",
            "Increase of 7-day running distance vs the 7 days before that counts as a flag.",
            "Nielsen 2014 JOSPT 44:739", "V"),
    Setting("weekly_change_early_pct", 20.0, "%",
            "Same, early in a training block.", "Damsted 2019 JOSPT 49:230", "V"),
    Setting("block_break_days", 14, "days",
            "A training block starts with the first run after at least this many days off.",
            "strideload heuristic", "H"),
    Setting("block_early_days", 21, "days",
            "Days after a block start that count as 'early in a block'.",
            "strideload heuristic after Damsted 2019 (risk at day 21)", "H"),
    Setting("long_run_window_days", 30, "days",
            "A run is compared with the longest run of this many previous days.",
            "Frandsen 2025 BJSM 59:1203", "V"),
    Setting("long_run_spike_ratio", 1.10, "-",
            "A run longer than this times the previous longest is a single-run spike.",
            "Frandsen 2025 BJSM 59:1203", "V"),
    Setting("load_flag_lookback_days", 7, "days",
            "A single-run spike, or a cadence drop with Pa:HR, within this many days counts as "
            "a load flag.", "strideload heuristic", "H"),
    # --- cadence (section 6)
    Setting("drift_warmup_s", 600, "s", "Start of a run left out of the drift fit.", _SECTION6,
            "P"),
    Setting("stop_speed_m_s", 1.0, "m/s", "Slower than this is a stop.", _SECTION6, "P"),
    Setting("walking_cadence_spm", 130, "steps/min", "Below this cadence is walking.", _SECTION6,
            "P"),
    Setting("max_abs_grade", 0.03, "-", "Samples steeper than this are left out of the drift fit.",
            _SECTION6, "P"),
    Setting("grade_half_window_s", 15, "s",
            "Grade is altitude change over distance across +- this many seconds.",
            "strideload heuristic", "H"),
    Setting("grade_min_distance_m", 10.0, "m",
            "A grade window covering less distance has no grade (standing still).",
            "strideload heuristic", "H"),
    Setting("drift_min_minutes", 30, "min", "Steady minutes a run needs for a drift estimate.",
            _SECTION6, "P"),
    Setting("minute_min_samples", 30, "s",
            "A minute enters the drift fit when it has at least this many steady seconds.",
            "strideload heuristic", "H"),
    Setting("speed_band_m_s", 0.25, "m/s",
            "Width of the speed bins used to match cadence at similar speed.",
            "strideload heuristic", "H"),
    Setting("band_min_seconds", 60, "s", "A speed band needs this much running in one run.",
            "strideload heuristic", "H"),
    Setting("cadence_baseline_days", 56, "days", "Cadence baseline window (8 weeks).",
            "ANALYTICS.md section 6", "H"),
    Setting("cadence_baseline_min_runs", 3, "runs",
            "Runs a speed band needs in the baseline window to be compared.",
            "strideload heuristic", "H"),
    Setting("cadence_drop_pct", 3.0, "%", "Speed-adjusted cadence drop that is flagged.",
            "ANALYTICS.md section 6", "H"),
    Setting("cadence_drop_sd", 2.0, "SD", "Speed-adjusted cadence drop (in SD) that is flagged.",
            "ANALYTICS.md section 6", "H"),
    # --- aerobic decoupling (section 6)
    Setting("decoupling_min_minutes", 60, "min", "Moving time a run needs for Pa:HR.",
            "ANALYTICS.md section 6", "V"),
    Setting("decoupling_max_speed_cv", 0.15, "-",
            "A run is steady when its per-minute grade-adjusted speed varies less than this "
            "(coefficient of variation).", "strideload heuristic", "H"),
    Setting("decoupling_high_pct", 5.0, "%", "Pa:HR decoupling above this is excessive.",
            "Friel / TrainingPeaks", "V"),
    # --- pain (sections 7-9)
    Setting("pain_rest_level", 5, "0-10", "Pain at or above this suggests rest.",
            "ANALYTICS.md section 9", "H"),
    Setting("pain_cross_train_level", 3, "0-10", "Pain at or above this suggests cross-training.",
            "ANALYTICS.md section 9", "H"),
    Setting("pain_easy_max", 2, "0-10", "Highest pain that still allows an easy run.",
            "ANALYTICS.md section 9", "H"),
    Setting("pain_change_points", 2, "points", "Meaningful change in a 0-10 pain rating.",
            "Farrar 2001 Pain 94:149", "V"),
    Setting("pain_change_pct", 30.0, "%", "Meaningful relative change in a pain rating.",
            "Farrar 2001 Pain 94:149", "V"),
    Setting("pain_median_days", 7, "days", "Pain is compared with the median of these days.",
            "ANALYTICS.md section 9", "H"),
    Setting("pain_median_min_days", 3, "days", "Rated days the pain median needs.",
            "strideload heuristic", "H"),
    Setting("pain_z_days", 28, "days", "Window of the pain z-score.", "ANALYTICS.md section 8",
            "H"),
    Setting("pain_z_min_days", 14, "days", "Rated baseline days the pain z-score needs.",
            "ANALYTICS.md section 8", "H"),
    Setting("pain_z_notable", 2.0, "SD", "|z| at or above this is notable.",
            "ANALYTICS.md section 8", "H"),
    Setting("pain_carry_days", 1, "days",
            "A pain rating still counts this many days later when none was logged since.",
            "strideload heuristic", "H"),
    Setting("flag_lookback_days", 7, "days", "A red flag keeps counting for this many days.",
            "strideload heuristic", "H"),
    Setting("during_run_lookback_days", 3, "days",
            "Pain during a run within this many days suggests cross-training.",
            "strideload heuristic", "H"),
    Setting("rising_pain_days", 8, "days",
            "Pain is 'rising for more than 7 days' when its trend over these days rises.",
            "ANALYTICS.md section 9", "H"),
    Setting("rising_pain_min_points", 1.0, "points",
            "Rise of the fitted pain trend across the rising window that counts.",
            "strideload heuristic", "H"),
    Setting("rising_pain_min_days", 5, "days", "Rated days the rising-pain trend needs.",
            "strideload heuristic", "H"),
    Setting("episode_min_level", 3, "0-10",
            "Ratings at or above this form a pain episode (for 'no improvement after ~4 weeks', "
            "'new onset' and the episode list).", "strideload heuristic", "H"),
    Setting("episode_gap_days", 3, "days",
            "Unrated days that do not interrupt a pain episode.", "strideload heuristic", "H"),
    Setting("no_improvement_days", 28, "days",
            "A pain episode this long without meaningful improvement needs a professional.",
            "NICE low-back-pain pathway", "V"),
    Setting("onset_age_low", 20, "years", "New back pain below this age is a red flag.",
            "NICE-based red-flag pathways", "V"),
    Setting("onset_age_high", 50, "years", "New back pain above this age is a red flag.",
            "NICE-based red-flag pathways", "V"),
    Setting("onset_history_days", 28, "days",
            "Pain-free rated days before an episode needed to call it new.",
            "strideload heuristic", "H"),
    Setting("load_flags_for_cross_train", 2, "flags",
            "Load flags that with any pain suggest cross-training.", "ANALYTICS.md section 9",
            "H"),
    # --- association (section 8)
    Setting("association_metrics", ("load", "running_load", "drift_pct"), "-",
            "Pre-declared daily metrics (at most 3) tested against pain.",
            "ANALYTICS.md section 8", "V"),
    Setting("association_max_lag", 3, "days", "Lags 0..this are tested.",
            "ANALYTICS.md section 8", "V"),
    Setting("association_window_days", 365, "days",
            "Only the most recent days are related to pain: the current episode, and a "
            "bootstrap that stays fast on years of history.", "strideload heuristic", "H"),
    Setting("association_min_pairs", 29, "pairs",
            "Fewer pairs: 'not enough data yet' (29 pairs detect |rho| = 0.5).",
            "ANALYTICS.md section 8", "V"),
    Setting("bootstrap_block_days", 7, "days", "Block length of the block bootstrap.",
            "Tang & Landes 2020 PLoS ONE", "V"),
    Setting("bootstrap_reps", 1000, "-",
            "Bootstrap resamples (1,000 suffice for a percentile 95 % interval; each costs "
            "two rankings of the window).", "strideload heuristic", "H"),
    Setting("bootstrap_seed", 42, "-", "Seed of the bootstrap (results are reproducible).",
            "strideload heuristic", "H"),
    Setting("association_fdr", 0.05, "-", "Benjamini-Hochberg false-discovery rate.",
            "Benjamini & Hochberg 1995", "V"),
    # --- recovery signals: HRV, resting HR, sleep (section 12)
    Setting("recovery_min_days", 21, "days",
            "Days of a signal needed before it is compared with your own normal (before: "
            "'still learning your normal').", "Garmin asks 3 weeks; docs/methods.md section 12.3",
            "P"),
    Setting("hrv_week_days", 7, "days", "HRV is read as the rolling mean of ln(RMSSD) over "
            "these days.", "Plews et al. 2014 IJSPP 9:783", "P"),
    Setting("hrv_week_min_days", 3, "days", "HRV values the 7-day mean needs (5 preferred).",
            "Plews et al. 2014 IJSPP 9:783; Flatt & Esco 2015 IJSPP 10:994", "P"),
    Setting("hrv_baseline_days", 60, "days",
            "Your HRV normal: mean and SD of ln(RMSSD) over these days.",
            "Plews et al. 2014 IJSPP 9:783", "P"),
    Setting("hrv_band_sd", 0.5, "SD",
            "HRV is below normal when the 7-day mean is under the baseline mean minus this many "
            "SD (the smallest worthwhile change).", "convention (docs/methods.md section 12.3)",
            "H"),
    Setting("rhr_median_days", 30, "days",
            "Resting HR is compared with its median over these days before.",
            "docs/methods.md section 12.4", "H"),
    Setting("rhr_elevated_bpm", 5.0, "bpm",
            "Resting HR this far above its median counts as up.",
            "docs/methods.md section 12.4; Buchheit 2014 Front Physiol 5:73", "H"),
    Setting("rhr_elevated_days", 2, "days",
            "Resting HR must be up on this many days running to count as elevated.",
            "docs/methods.md section 12.4", "H"),
    Setting("sleep_norm_days", 60, "nights",
            "Your sleep norm: the median of these nights before.",
            "docs/methods.md section 12.2", "H"),
    Setting("sleep_debt_days", 7, "nights",
            "Sleep debt adds up the shortfall against your norm over these nights.",
            "docs/methods.md section 12.2", "H"),
    Setting("sleep_need_h", 7.0, "h", "Sleep adults need per night (shown for context).",
            "Watson et al. 2015 Sleep 38:843 (AASM/SRS consensus)", "V"),
    Setting("short_sleep_h", 6.0, "h", "A night shorter than this is a short night.",
            "docs/methods.md section 12.6", "H"),
    Setting("short_nights", 2, "nights",
            "Short nights running that, with HRV below normal, lower readiness.",
            "docs/methods.md section 12.6", "H"),
    # --- run-quality signals, factors and the way back (section 11); allowed ranges in help
    Setting("warmup_speed_fraction", 0.85, "-",
            "A warm-up or cool-down is easy running at or below this fraction of the median "
            "speed of the run's middle half (allowed 0.5-0.95).",
            "docs/methods.md section 11.1", "H"),
    Setting("warmup_skip_s", 60, "s",
            "The first and last seconds of a run are not judged (allowed 0-300).",
            "docs/methods.md section 11.1", "H"),
    Setting("warmup_smoothing_s", 30, "s",
            "Speed is judged as its rolling median over this many seconds (allowed 5-120).",
            "docs/methods.md section 11.1", "H"),
    Setting("warmup_min_s", 300, "s",
            "Easy running at the start counts as a warm-up from this long (allowed 60-1200).",
            "docs/methods.md section 11.1", "H"),
    Setting("cooldown_min_s", 180, "s",
            "Easy running at the end counts as a cool-down from this long (allowed 60-900).",
            "docs/methods.md section 11.1", "H"),
    Setting("warmup_max_speed_cv", 0.25, "-",
            "A run whose middle half varies in speed more than this (coefficient of variation: "
            "intervals, fartlek) is not classified for warm-up and has no matched-speed "
            "within-run changes (allowed 0.1-0.5).", "docs/methods.md section 11.1", "H"),
    Setting("warmup_adjacent_min", 30, "min",
            "An easy activity ending this close before a run (or starting this close after it) "
            "counts as its warm-up (cool-down) (allowed 0-120).",
            "docs/methods.md section 11.1", "H"),
    Setting("factor_min_exposed_days", 8, "days",
            "A yes/no factor needs this many rated days with it and as many without "
            "(allowed 5-60).", "docs/methods.md section 11.4", "H"),
    Setting("factor_min_days", 28, "days",
            "A factor measured as a number needs this many rated days (allowed 14-365).",
            "docs/methods.md section 11.4", "H"),
    Setting("factor_bootstrap_reps", 2000, "-",
            "Resamples of the 7-day block bootstrap of the factor analysis (allowed "
            "200-20000).", "docs/methods.md section 11.4; Tang & Landes 2020 PLoS ONE", "V"),
    Setting("return_settled_days", 3, "days",
            "An episode has settled after this many days running at or below the easy-run pain "
            "level (allowed 1-14).", "docs/methods.md section 11.5", "H"),
    Setting("return_start_pct", 50.0, "%",
            "First week back: running distance and longest run at most this share of the "
            "level before the episode (allowed 20-90).", "docs/methods.md section 11.5", "H"),
    Setting("return_step_pct", 10.0, "%",
            "Weekly increase of the return plan while pain stays low (allowed 0-30).",
            "docs/methods.md section 11.5", "H"),
    Setting("return_max_step_pct", 20.0, "%",
            "Largest weekly increase of the return plan (allowed 5-30).",
            "docs/methods.md section 11.5", "H"),
    Setting("return_baseline_weeks", 3, "weeks",
            "The level before the episode is the mean weekly running distance of these weeks "
            "(allowed 1-8).", "docs/methods.md section 11.5", "H"),
    # --- personal experiments (section 13); allowed ranges in help
    Setting("experiment_block_days", 7, "days",
            "Length of one block of a personal experiment, one training week by default "
            "(allowed 5-14).", "docs/methods.md section 13.2; Hawksworth et al. 2024 Trials",
            "P"),
    Setting("experiment_pairs", 6, "pairs",
            "Pairs of blocks of a personal experiment (allowed 5-12).",
            "docs/methods.md section 13.2", "P"),
    Setting("experiment_min_pairs", 5, "pairs",
            "Fewest pairs an experiment may have: with the order random inside each pair "
            "there are only 2^pairs possible orders, so the smallest one-sided randomisation "
            "p is 2^-pairs and 4 pairs can never reach p < 0.05 (allowed 5-12).",
            "docs/methods.md section 13.2 (arithmetic)", "V"),
    Setting("experiment_slow_block_days", 21, "days",
            "Length of each phase of a baseline -> intervention test of a lever that builds up "
            "over weeks (allowed 21-42).",
            "docs/methods.md section 13.1; Porcino et al. 2017 Syst Rev", "P"),
    Setting("experiment_washout_days", 1, "days",
            "First days of each block (and the first day after a pause) left out of the "
            "analysis (allowed 0-3).",
            "docs/methods.md section 13.3; PREEMPT analysis code (Kravitz et al. 2018)", "P"),
    Setting("experiment_washout_days_long", 2, "days",
            "Days left out at the start of blocks of 14 days or longer (allowed 0-7).",
            "docs/methods.md section 13.3", "P"),
    Setting("experiment_adherence_pct", 70.0, "%",
            "A block counts when at least this share of its running days followed the "
            "schedule (allowed 50-100).", "docs/methods.md section 13.4", "H"),
    Setting("experiment_min_rated_days", 3, "days",
            "A block counts only with at least this many analysed days with a pain rating "
            "(allowed 1-7).", "docs/methods.md section 13.5 (our minimum)", "H"),
    Setting("experiment_warmup_min_s", 600, "s",
            "A run follows a warm-up block when its warm-up lasted at least this long "
            "(allowed 300-1800).", "docs/methods.md section 13.1", "H"),
    Setting("experiment_meaningful_points", 1.0, "points",
            "Smallest difference in pain (0-10) an experiment calls meaningful, with a 95 % "
            "CI that excludes 0 (allowed 0.5-3).", "docs/methods.md section 13.6", "H"),
    Setting("experiment_pause_pain", 5, "points",
            "Pain at or above this level (any area), or a red flag, pauses an experiment "
            "(allowed 3-8).", "docs/methods.md section 13.6", "H"),
)

#: All settings by name.
SETTINGS: dict[str, Setting] = {s.name: s for s in _ALL}


def default(name: str) -> SettingValue:
    """Default value of the setting ``name`` (``KeyError`` if unknown)."""
    return SETTINGS[name].default


def number(name: str) -> float:
    """Default of a numeric setting as a float (for keyword defaults of model functions)."""
    return float(SETTINGS[name].default)  # type: ignore[arg-type]


def integer(name: str) -> int:
    """Default of a whole-number setting (for keyword defaults of model functions)."""
    value = SETTINGS[name].default
    if not isinstance(value, int):
        raise TypeError(f"setting {name} is not a whole number")
    return value


def text(name: str) -> str:
    """Default of a text setting (for keyword defaults of model functions)."""
    return str(SETTINGS[name].default)


def _check(setting: Setting, value: object) -> SettingValue:
    if setting.choices is not None:
        if value not in setting.choices:
            raise ValueError(f"invalid {setting.name} {value!r}: choose from {setting.choices}")
        return value  # type: ignore[return-value]
    if isinstance(setting.default, tuple):
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"invalid {setting.name} {value!r}: expected a list of names")
        return tuple(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"invalid {setting.name} {value!r}: expected a number")
    if isinstance(setting.default, int):
        if not float(value).is_integer():
            raise ValueError(f"invalid {setting.name} {value!r}: expected a whole number")
        return int(value)
    return float(value)


class Settings(Mapping[str, SettingValue]):
    """The defaults of :data:`SETTINGS` overridden by ``overrides``.

    Parameters
    ----------
    overrides
        Setting name -> value. Unknown names, wrong types and values outside ``choices`` raise
        ``ValueError``.
    """

    def __init__(self, overrides: Mapping[str, object] | None = None) -> None:
        values: dict[str, SettingValue] = {n: s.default for n, s in SETTINGS.items()}
        for name, value in (overrides or {}).items():
            if name not in SETTINGS:
                raise ValueError(f"invalid setting {name!r}")
            values[name] = _check(SETTINGS[name], value)
        self._values = values

    def __getitem__(self, name: str) -> SettingValue:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        changed = {k: v for k, v in self._values.items() if v != SETTINGS[k].default}
        return f"Settings({changed!r})"

    def number(self, name: str) -> float:
        """The value of a numeric setting as a float."""
        return float(self._values[name])  # type: ignore[arg-type]

    def integer(self, name: str) -> int:
        """The value of a whole-number setting."""
        return int(self._values[name])  # type: ignore[call-overload]

    def text(self, name: str) -> str:
        """The value of a text setting."""
        return str(self._values[name])

    def names(self, name: str) -> tuple[str, ...]:
        """The value of a list-of-names setting."""
        value = self._values[name]
        if not isinstance(value, tuple):
            raise TypeError(f"setting {name} is not a list of names")
        return value

    @classmethod
    def coerce(cls, settings: Settings | Mapping[str, object] | None) -> Settings:
        """``settings`` itself when it is a :class:`Settings`, else ``Settings(settings)``."""
        return settings if isinstance(settings, Settings) else cls(settings)
