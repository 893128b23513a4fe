"""Every threshold and convention of the analytics, declared once with its unit, range and source.

Grades: ``V`` checked in a primary abstract, official page or open-source code; ``P`` secondary
or partly checked; ``U`` not verified; ``H`` our own heuristic.

Each :class:`Setting` states its type (from its default: whole number, number, one of
``choices``, or a list of names), its unit, the range a value must lie in and why (a window of
0 days is not a window). :class:`Settings` checks every value at the door (one line naming the
setting and its range) and :meth:`Settings.lenient` turns values stored by an older version or
edited by hand back into defaults, with a warning each, so a setting never breaks a report.

Functions in this package take plain keyword arguments whose defaults come from
:func:`default`; the report layer (:mod:`analytics.report`) reads them from a :class:`Settings`
object, which holds the defaults below overridden by the user's choices.

Examples
--------
>>> Settings({"acwr_method": "ewma"})["acwr_method"]
'ewma'
>>> default("acwr_chronic_days")
28
>>> Settings.lenient({"ctl_days": 0}).warnings[0]
'stored setting ctl_days = 0 ignored (must be 21 to 120 days); using the default 42'
"""

from __future__ import annotations

import math
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
        Default value; its type is the setting's type (int: whole number, float: number,
        str: one of ``choices``, tuple: a list of names from ``choices``).
    unit
        Unit in words, e.g. ``"bpm"``, ``"days"``, ``"%"``, ``"-"`` for dimensionless.
    help
        One sentence for the settings page.
    source
        Where the default comes from.
    grade
        Evidence grade, one of :data:`GRADES`.
    low, high
        Inclusive range of a number; for a list of names the allowed number of names.
    why
        Why the range ends where it does (shown with a rejected value).
    choices
        Allowed values of a text setting or the names a list may hold, else ``None``.
    """

    name: str
    default: SettingValue
    unit: str
    help: str
    source: str
    grade: str
    low: float | None = None
    high: float | None = None
    why: str = ""
    choices: tuple[str, ...] | None = None

    @property
    def kind(self) -> str:
        """``"whole number"``, ``"number"``, ``"choice"`` or ``"names"``."""
        if isinstance(self.default, tuple):
            return "names"
        if isinstance(self.default, str):
            return "choice"
        return "whole number" if isinstance(self.default, int) else "number"

    def range_text(self) -> str:
        """The allowed values in words, e.g. ``"21 to 120 days"`` or ``"one of a, b"``."""
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices or ())
        if self.kind == "names":
            return (f"{self.low:g} to {self.high:g} of " + ", ".join(self.choices or ()))
        unit = {"-": "", "%": " %"}.get(self.unit, f" {self.unit}")
        return f"{self.low:g} to {self.high:g}{unit}"

    def check(self, value: object) -> SettingValue:
        """``value`` in the setting's type, or ``ValueError`` with one line naming the setting,
        the value and the allowed range."""
        bad = ValueError(f"{self.name} must be {self.range_text()}, got {_shown(value)}"
                         + (f" ({self.why})" if self.why else ""))
        if self.kind == "choice":
            if value not in (self.choices or ()):
                raise bad
            return str(value)
        if self.kind == "names":
            if (not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value)
                    or not set(value) <= set(self.choices or ())
                    or self.low is None or self.high is None
                    or not self.low <= len(set(value)) <= self.high):
                raise bad
            return tuple(dict.fromkeys(value))
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad
        if (self.low is None or self.high is None
                or not (math.isfinite(value) and self.low <= value <= self.high)):
            raise bad
        if self.kind == "whole number":
            if not float(value).is_integer():
                raise bad
            return int(value)
        return float(value)


def _shown(value: object) -> str:
    if isinstance(value, list | tuple):
        return ",".join(map(str, value)) or "nothing"
    return f"{value:g}" if isinstance(value, float) else repr(value) if isinstance(
        value, str) else str(value)


_RUNALYZE = "Runalyze inc/core/Calculation/Trimp/Calculator.php"
_SECTION6 = "docs/methods.md section 6 (Zandbergen 2023; Meyer 2021 IJSM 42:1182)"
_PAIN_SCALE = "a rating on the 0-10 pain scale"
_HRR = "a fraction of the heart-rate reserve, from barely moving to all-out"
_DEFAULT_HRR = "strideload heuristic after Runalyze's default-HR substitution"

#: Daily metrics the association may test (numeric columns of the daily report).
ASSOCIATION_METRICS = ("load", "running_load", "cross_load", "run_distance_m", "run_timer_s",
                       "drift_pct", "drift_spm_per_h", "decoupling_pct", "cadence_spm",
                       "monotony", "strain", "acwr", "ctl", "atl", "tsb", "ctl_ramp")

_ALL: tuple[Setting, ...] = (
    # --- athlete parameters (section 1)
    Setting("hr_rest_default", 60, "bpm", "Resting heart rate used when the profile has none.",
            "Runalyze default", "V", 30, 90,
            "adult resting heart rates, trained to untrained, well below any maximum"),
    Setting("hr_max_window_days", 365, "days",
            "Window of recorded heart rate searched for the maximum when HRmax is not set.",
            "docs/methods.md section 1", "P", 28, 3650,
            "fewer than four weeks hold too few hard efforts; ten years at most"),
    Setting("hr_max_smoothing_s", 5, "s",
            "Rolling mean applied to heart rate before taking the recorded maximum.",
            "docs/methods.md section 1", "P", 1, 30,
            "1 s is no smoothing; a longer mean hides the maximum"),
    Setting("lthr_hrr_fraction", 0.85, "-",
            "LTHR = HRrest + this fraction of the heart-rate reserve when LTHR is not set.",
            "Elevate default", "P", 0.6, 0.95,
            "the lactate threshold lies at about 60-95 % of the heart-rate reserve"),
    Setting("trimp_female_convention", "common", "-",
            "Banister TRIMP weighting factor a for women: common (0.86), runalyze (0.8218) or "
            "goldencheetah (0.64); b = 1.67 in all three.",
            "common in apps (primary source not found); Runalyze; GoldenCheetah", "U",
            choices=("common", "runalyze", "goldencheetah")),
    # --- heart-rate artefacts and resampling (section 1)
    Setting("hr_min_bpm", 30, "bpm", "Heart rate below this is an artefact and dropped.",
            "docs/methods.md section 1", "P", 20, 60,
            "below 20 bpm is no heart rate; above 60 bpm drops real resting values"),
    Setting("hr_max_bpm", 230, "bpm", "Heart rate above this is an artefact and dropped.",
            "docs/methods.md section 1", "P", 180, 250,
            "below 180 bpm drops real maxima; above 250 bpm is not a human heart rate"),
    Setting("hr_spike_bpm", 25, "bpm",
            "A heart-rate sample further than this from the median of its neighbours is a spike.",
            "strideload heuristic", "H", 5, 100,
            "under 5 bpm normal changes look like spikes; over 100 bpm nothing does"),
    Setting("hr_spike_window", 9, "samples",
            "Centred window of the running median used to find heart-rate spikes.",
            "strideload heuristic", "H", 3, 61,
            "a median needs 3 samples; over a minute it follows trends, not spikes"),
    Setting("resample_max_gap_s", 10, "s",
            "On the 1 Hz grid a value is carried over gaps up to this long (smart recording); "
            "longer gaps are pauses.", "strideload heuristic", "H", 1, 60,
            "1 s is the grid step; carrying a value over more than a minute invents data"),
    Setting("hr_min_coverage", 0.5, "-",
            "Heart rate must cover this fraction of the session time to give an HR-based load.",
            "strideload heuristic", "H", 0.0, 1.0, "a fraction of the session time"),
    Setting("trimp_max_per_hour", 400, "TRIMP/h",
            "A TRIMP above this per hour of activity is implausible and not used.", _RUNALYZE,
            "V", 100, 1000,
            "an hour at threshold gives about 100-200 TRIMP; above 1000 nothing is implausible"),
    # --- session load fallbacks (section 1)
    Setting("srpe_rpe_at_threshold", 7, "CR-10",
            "Session RPE is put on the HRSS scale so that one hour at this rating = 100.",
            "strideload heuristic", "H", 1, 10, "a rating on the CR-10 scale other than rest"),
    Setting("default_hrr_running", 0.70, "-",
            "Assumed fraction of heart-rate reserve for a run without HR, pace or RPE.",
            _DEFAULT_HRR, "H", 0.1, 1.0, _HRR),
    Setting("default_hrr_cycling", 0.60, "-", "As default_hrr_running, for cycling.",
            _DEFAULT_HRR, "H", 0.1, 1.0, _HRR),
    Setting("default_hrr_swimming", 0.60, "-", "As default_hrr_running, for swimming.",
            _DEFAULT_HRR, "H", 0.1, 1.0, _HRR),
    Setting("default_hrr_walking", 0.40, "-", "As default_hrr_running, for walking.",
            _DEFAULT_HRR, "H", 0.1, 1.0, _HRR),
    Setting("default_hrr_hiking", 0.50, "-", "As default_hrr_running, for hiking.",
            _DEFAULT_HRR, "H", 0.1, 1.0, _HRR),
    Setting("default_hrr_other", 0.55, "-", "As default_hrr_running, for every other sport.",
            _DEFAULT_HRR, "H", 0.1, 1.0, _HRR),
    Setting("default_hrr_strength", 0.40, "-",
            "Assumed fraction of heart-rate reserve of an unrated strength, core or Pilates "
            "session (its load is never heart-rate based).",
            "strideload heuristic after Runalyze's default-HR substitution "
            "(docs/methods.md section 10)", "H", 0.1, 1.0, _HRR),
    Setting("default_hrr_mobility", 0.25, "-",
            "As default_hrr_strength, for yoga, breathing, flexibility and mobility sessions.",
            "strideload heuristic after Runalyze's default-HR substitution "
            "(docs/methods.md section 10)", "H", 0.1, 1.0, _HRR),
    # --- gear (section 10)
    Setting("shoe_retire_km", 700.0, "km",
            "Shoes past this distance are worth replacing (commonly advised; an item's own "
            "retirement distance wins).",
            "shoe makers and retailers advise 500-800 km; not from trials", "U", 200.0, 2000.0,
            "shoes are sold for a few hundred km; none lasts beyond 2000 km"),
    Setting("parallel_shoes_days", 28, "days",
            "Window in which the pairs of shoes you ran in are counted (parallel use).",
            "strideload heuristic; Malisoux 2015 Scand J Med Sci Sports 25:110", "H",
            7, 180, "one week to half a year of running"),
    # --- ACWR (section 2)
    Setting("acwr_method", "rolling_uncoupled", "-",
            "ACWR shown on the dashboard (all three are computed).",
            "Windt & Gabbett 2019 BJSM 53:988; Williams 2017 BJSM 51:209", "V",
            choices=("rolling_coupled", "rolling_uncoupled", "ewma")),
    Setting("acwr_acute_days", 7, "days", "Acute window (rolling) or EWMA span N.",
            "Williams et al. 2017 BJSM 51:209", "V", 3, 14,
            "an acute window of a few days to two weeks, shorter than the chronic one"),
    Setting("acwr_chronic_days", 28, "days", "Chronic window (rolling) or EWMA span N.",
            "Williams et al. 2017 BJSM 51:209", "V", 21, 60,
            "a chronic window of three weeks to two months, longer than the acute one"),
    Setting("acwr_min_history_days", 28, "days", "ACWR is not shown before this much history.",
            "docs/methods.md section 2", "V", 7, 365, "one week to one year of history"),
    Setting("acwr_calibrating_days", 42, "days",
            "ACWR is labelled 'calibrating' until this much history (EWMA seed weight 5 %).",
            "docs/methods.md section 2", "V", 7, 365, "one week to one year of history"),
    Setting("acwr_sweet_low", 0.8, "-", "Lower edge of the ACWR 'sweet spot' band (team sports).",
            "Gabbett 2016 BJSM 50:273", "V", 0.5, 1.0,
            "the band starts below a ratio of 1 (equal acute and chronic load)"),
    Setting("acwr_sweet_high", 1.3, "-", "Upper edge of the ACWR 'sweet spot' band.",
            "Gabbett 2016 BJSM 50:273", "V", 1.1, 2.0,
            "the band ends above a ratio of 1 and at most at 2"),
    Setting("acwr_danger", 1.5, "-", "ACWR from which Gabbett's 'danger zone' band starts.",
            "Gabbett 2016 BJSM 50:273", "V", 1.1, 3.0,
            "a ratio above 1, up to three times the chronic load"),
    # --- monotony and strain (section 3)
    Setting("monotony_days", 7, "days", "Window of monotony and strain.",
            "Foster 1998 MSSE 30:1164", "V", 3, 28,
            "an SD needs 3 days; over four weeks it no longer describes a training week"),
    Setting("monotony_warn", 1.5, "-", "Monotony warning level.", "Runalyze", "P", 1.0, 10.0,
            "monotony (mean / SD) of real training lies between 1 and the cap"),
    Setting("monotony_high", 2.0, "-", "Monotony level that counts as a load flag.",
            "Runalyze; often attributed to Foster 1998", "P", 1.0, 10.0,
            "monotony (mean / SD) of real training lies between 1 and the cap"),
    Setting("monotony_cap", 10.0, "-", "Monotony is capped here (covers SD = 0).", "Runalyze",
            "P", 2.0, 100.0, "the cap replaces an infinite value and lies above real values"),
    Setting("strain_percentile", 0.9, "-", "Strain is compared with this own percentile.",
            "strideload heuristic", "H", 0.5, 0.99, "a high own percentile: median to 99th"),
    Setting("strain_min_days", 28, "days",
            "Strain values the own percentile needs.", "strideload heuristic", "H", 7, 365,
            "one week to one year of strain values"),
    Setting("strain_window_days", 365, "days", "History used for the own strain percentile.",
            "strideload heuristic", "H", 28, 1095, "four weeks to three years of history"),
    # --- fitness-fatigue (section 4)
    Setting("ewma_convention", "exponential", "-",
            "CTL/ATL smoothing constant: exponential k = 1 - exp(-1/tau) (GoldenCheetah, "
            "intervals.icu) or n_plus_1 k = 2/(tau + 1) (Runalyze).",
            "GoldenCheetah src/Metrics/PMCData.cpp; Runalyze TsbModel.php", "V",
            choices=("exponential", "n_plus_1")),
    Setting("ctl_days", 42, "days", "Time constant of chronic training load (fitness).",
            "GoldenCheetah src/Metrics/PMCData.cpp", "V", 21, 120,
            "fitness is a slow average of three weeks to four months, slower than fatigue"),
    Setting("atl_days", 7, "days", "Time constant of acute training load (fatigue).",
            "GoldenCheetah src/Metrics/PMCData.cpp", "V", 2, 14,
            "fatigue is a fast average of two days to two weeks, faster than fitness"),
    Setting("fitness_seed_days", 14, "days", "CTL and ATL start at the mean load of these days.",
            "docs/methods.md section 4", "P", 1, 90, "a mean of one day to three months"),
    Setting("ramp_high", 8.0, "points/week", "CTL ramp above this counts as a load flag.",
            "Friel; GoldenCheetah", "P", 1.0, 50.0,
            "typical ramps are 5-8 points a week; above 50 nothing would count"),
    Setting("tsb_low", -30.0, "points", "TSB below this counts as a load flag.", "intervals.icu",
            "P", -200.0, -5.0, "a clearly negative form; below -200 nothing would count"),
    # --- weekly progression (section 5)
    Setting("weekly_change_high_pct", 30.0, "%",
            "Increase of 7-day running distance vs the 7 days before that counts as a flag.",
            "Nielsen 2014 JOSPT 44:739", "V", 5.0, 300.0,
            "an increase from 5 % to four times the distance"),
    Setting("weekly_change_early_pct", 20.0, "%",
            "Same, early in a training block.", "Damsted 2019 JOSPT 49:230", "V", 5.0, 300.0,
            "an increase from 5 % to four times the distance"),
    Setting("block_break_days", 14, "days",
            "A training block starts with the first run after at least this many days off.",
            "strideload heuristic", "H", 3, 90, "a break of three days to three months"),
    Setting("block_early_days", 21, "days",
            "Days after a block start that count as 'early in a block'.",
            "strideload heuristic after Damsted 2019 (risk at day 21)", "H", 1, 90,
            "one day to three months"),
    Setting("long_run_window_days", 30, "days",
            "A run is compared with the longest run of this many previous days.",
            "Frandsen 2025 BJSM 59:1203", "V", 7, 90, "one week to three months of runs"),
    Setting("long_run_spike_ratio", 1.10, "-",
            "A run longer than this times the previous longest is a single-run spike.",
            "Frandsen 2025 BJSM 59:1203", "V", 1.0, 3.0,
            "from as long as the previous longest to three times it"),
    Setting("load_flag_lookback_days", 7, "days",
            "A single-run spike, or a cadence drop with Pa:HR, within this many days counts as "
            "a load flag.", "strideload heuristic", "H", 1, 28, "one day to four weeks"),
    # --- cadence (section 6)
    Setting("drift_warmup_s", 600, "s", "Start of a run left out of the drift fit.", _SECTION6,
            "P", 0, 1800, "no warm-up to half an hour"),
    Setting("stop_speed_m_s", 1.0, "m/s", "Slower than this is a stop.", _SECTION6, "P",
            0.3, 3.0, "between standing still and a slow run"),
    Setting("walking_cadence_spm", 130, "steps/min", "Below this cadence is walking.", _SECTION6,
            "P", 60, 170, "between slow walking and a running cadence"),
    Setting("max_abs_grade", 0.03, "-", "Samples steeper than this are left out of the drift fit.",
            _SECTION6, "P", 0.005, 0.3, "a grade of 0.5 % to 30 %"),
    Setting("grade_half_window_s", 15, "s",
            "Grade is altitude change over distance across +- this many seconds.",
            "strideload heuristic", "H", 1, 120, "one second to two minutes either side"),
    Setting("grade_min_distance_m", 10.0, "m",
            "A grade window covering less distance has no grade (standing still).",
            "strideload heuristic", "H", 1.0, 200.0, "one metre to 200 m"),
    Setting("drift_min_minutes", 30, "min", "Steady minutes a run needs for a drift estimate.",
            _SECTION6, "P", 10, 240, "a trend needs 10 minutes; four hours at most"),
    Setting("minute_min_samples", 30, "s",
            "A minute enters the drift fit when it has at least this many steady seconds.",
            "strideload heuristic", "H", 5, 60, "seconds of a minute"),
    Setting("speed_band_m_s", 0.25, "m/s",
            "Width of the speed bins used to match cadence at similar speed.",
            "strideload heuristic", "H", 0.05, 2.0, "narrow enough to match speeds"),
    Setting("band_min_seconds", 60, "s", "A speed band needs this much running in one run.",
            "strideload heuristic", "H", 10, 1800, "ten seconds to half an hour"),
    Setting("cadence_baseline_days", 56, "days", "Cadence baseline window (8 weeks).",
            "docs/methods.md section 6", "H", 14, 365, "two weeks to one year of runs"),
    Setting("cadence_baseline_min_runs", 3, "runs",
            "Runs a speed band needs in the baseline window to be compared.",
            "strideload heuristic", "H", 1, 20, "one to twenty runs"),
    Setting("cadence_drop_pct", 3.0, "%", "Speed-adjusted cadence drop that is flagged.",
            "docs/methods.md section 6", "H", 0.5, 20.0, "half a percent to a fifth"),
    Setting("cadence_drop_sd", 2.0, "SD", "Speed-adjusted cadence drop (in SD) that is flagged.",
            "docs/methods.md section 6", "H", 0.5, 5.0, "half an SD to five"),
    # --- aerobic decoupling (section 6)
    Setting("decoupling_min_minutes", 60, "min", "Moving time a run needs for Pa:HR.",
            "docs/methods.md section 6", "V", 20, 240, "two halves of 10 min to four hours"),
    Setting("decoupling_max_speed_cv", 0.15, "-",
            "A run is steady when its per-minute grade-adjusted speed varies less than this "
            "(coefficient of variation).", "strideload heuristic", "H", 0.01, 1.0,
            "a coefficient of variation of 1 % to 100 %"),
    Setting("decoupling_high_pct", 5.0, "%", "Pa:HR decoupling above this is excessive.",
            "Friel / TrainingPeaks", "V", 1.0, 30.0, "one to thirty percent"),
    # --- pain against its thresholds (section 9)
    Setting("pain_rest_level", 5, "0-10", "Pain at or above this suggests rest.",
            "docs/methods.md section 9", "H", 1, 10, _PAIN_SCALE + " above 0"),
    Setting("pain_cross_train_level", 3, "0-10",
            "Pain at or above this suggests cross-training; below it, with a load flag, an easy "
            "run.",
            "docs/methods.md section 9", "H", 1, 10, _PAIN_SCALE + " above 0"),
    Setting("pain_change_points", 2, "points", "Meaningful change in a 0-10 pain rating.",
            "Farrar 2001 Pain 94:149", "V", 1, 10, "a change on the 0-10 scale"),
    Setting("pain_change_pct", 30.0, "%", "Meaningful relative change in a pain rating.",
            "Farrar 2001 Pain 94:149", "V", 5.0, 100.0, "five percent to all of the pain"),
    Setting("pain_median_days", 7, "days", "Pain is compared with the median of these days.",
            "docs/methods.md section 9", "H", 3, 28, "three days to four weeks"),
    Setting("pain_median_min_days", 3, "days", "Rated days the pain median needs.",
            "strideload heuristic", "H", 1, 28, "one day to four weeks"),
    # --- pain z-score (section 8)
    Setting("pain_z_days", 28, "days", "Window of the pain z-score.",
            "docs/methods.md section 8", "H", 7, 365, "one week to one year"),
    Setting("pain_z_min_days", 14, "days", "Rated baseline days the pain z-score needs.",
            "docs/methods.md section 8", "H", 3, 365, "an SD needs 3 days; one year at most"),
    Setting("pain_z_notable", 2.0, "SD", "|z| at or above this is notable.",
            "docs/methods.md section 8", "H", 1.0, 5.0, "one to five SD"),
    # --- pain in the suggestion rules (section 9)
    Setting("pain_carry_days", 1, "days",
            "A pain rating still counts this many days later when none was logged since.",
            "strideload heuristic", "H", 0, 7,
            "a rating older than a week no longer says how the back feels"),
    Setting("flag_lookback_days", 7, "days", "A red flag keeps counting for this many days.",
            "strideload heuristic", "H", 1, 28, "one day to four weeks"),
    Setting("during_run_lookback_days", 3, "days",
            "Pain during a run within this many days suggests cross-training.",
            "strideload heuristic", "H", 1, 14, "one day to two weeks"),
    Setting("rising_pain_days", 8, "days",
            "Pain is 'rising for more than 7 days' when its trend over these days rises.",
            "docs/methods.md section 9", "H", 3, 28, "a trend needs 3 days; four weeks at most"),
    Setting("rising_pain_min_points", 1.0, "points",
            "Rise of the fitted pain trend across the rising window that counts.",
            "strideload heuristic", "H", 0.5, 10.0, "a rise on the 0-10 scale"),
    Setting("rising_pain_min_days", 5, "days", "Rated days the rising-pain trend needs.",
            "strideload heuristic", "H", 2, 28, "a line needs 2 days; four weeks at most"),
    # --- pain episodes and red flags (section 7)
    Setting("episode_min_level", 3, "0-10",
            "Ratings at or above this form a pain episode (for 'no improvement after ~4 weeks', "
            "'new onset' and the episode list).", "strideload heuristic", "H", 1, 10,
            _PAIN_SCALE + " above 0"),
    Setting("episode_gap_days", 3, "days",
            "Unrated days that do not interrupt a pain episode.", "strideload heuristic", "H",
            0, 14, "none to two weeks"),
    Setting("no_improvement_days", 28, "days",
            "A pain episode this long without meaningful improvement needs a professional.",
            "NICE low-back-pain pathway", "V", 7, 180, "one week to six months"),
    Setting("onset_age_low", 20, "years", "New back pain below this age is a red flag.",
            "NICE-based red-flag pathways", "V", 10, 30, "a young age, below the upper limit"),
    Setting("onset_age_high", 50, "years", "New back pain above this age is a red flag.",
            "NICE-based red-flag pathways", "V", 40, 80, "an older age, above the lower limit"),
    Setting("onset_history_days", 28, "days",
            "Pain-free rated days before an episode needed to call it new.",
            "strideload heuristic", "H", 7, 365, "one week to one year"),
    # --- load flags in the suggestion rules (section 9)
    Setting("load_flags_for_cross_train", 2, "flags",
            "Load flags that with any pain suggest cross-training.", "docs/methods.md section 9",
            "H", 1, 6, "there are six load flags"),
    # --- association (section 8)
    Setting("association_metrics", ("load", "running_load", "drift_pct"), "-",
            "Pre-declared daily metrics (at most 3) tested against pain.",
            "docs/methods.md section 8", "V", 1, 3,
            "at most 3 pre-declared metrics keep false discoveries in check",
            choices=ASSOCIATION_METRICS),
    Setting("association_max_lag", 3, "days", "Lags 0..this are tested.",
            "docs/methods.md section 8", "V", 0, 7, "the same day to one week later"),
    Setting("association_window_days", 365, "days",
            "Only the most recent days are related to pain: the current episode, and a "
            "bootstrap that stays fast on years of history.", "strideload heuristic", "H",
            28, 1095, "four weeks to three years"),
    Setting("association_min_pairs", 29, "pairs",
            "Fewer pairs: 'not enough data yet' (29 pairs detect |rho| = 0.5).",
            "docs/methods.md section 8", "V", 10, 365,
            "fewer than 10 pairs cannot show a correlation"),
    Setting("bootstrap_block_days", 7, "days", "Block length of the block bootstrap.",
            "Tang & Landes 2020 PLoS ONE", "V", 1, 28, "one day to four weeks"),
    Setting("bootstrap_reps", 1000, "-",
            "Bootstrap resamples (1,000 suffice for a percentile 95 % interval; each costs "
            "two rankings of the window).", "strideload heuristic", "H", 200, 2000,
            "fewer give a rough interval; more cost time without changing it"),
    Setting("bootstrap_seed", 42, "-", "Seed of the bootstrap (results are reproducible).",
            "strideload heuristic", "H", 0, 2**32 - 1, "a 32-bit seed"),
    Setting("association_fdr", 0.05, "-", "Benjamini-Hochberg false-discovery rate.",
            "Benjamini & Hochberg 1995", "V", 0.001, 0.2, "a false-discovery rate of 0.1-20 %"),
    # --- recovery signals: HRV, resting HR, sleep (section 12)
    Setting("recovery_min_days", 21, "days",
            "Days of a signal needed before it is compared with your own normal (before: "
            "'still learning your normal').", "Garmin asks 3 weeks; docs/methods.md section 12.3",
            "P", 7, 60, "a normal needs a week of values; beyond two months it hides change"),
    Setting("hrv_week_days", 7, "days", "HRV is read as the rolling mean of ln(RMSSD) over "
            "these days.", "Plews et al. 2014 IJSPP 9:783", "P",
            3, 14, "a rolling mean of a few days to two weeks"),
    Setting("hrv_week_min_days", 3, "days", "HRV values the 7-day mean needs (5 preferred).",
            "Plews et al. 2014 IJSPP 9:783; Flatt & Esco 2015 IJSPP 10:994", "P",
            1, 7, "at least one value, at most a week of them"),
    Setting("hrv_baseline_days", 60, "days",
            "Your HRV normal: mean and SD of ln(RMSSD) over these days.",
            "Plews et al. 2014 IJSPP 9:783", "P", 21, 120, "three weeks to four months of HRV"),
    Setting("hrv_band_sd", 0.5, "SD",
            "HRV is below normal when the 7-day mean is under the baseline mean minus this many "
            "SD (the smallest worthwhile change).", "convention (docs/methods.md section 12.3)",
            "H", 0.1, 2.0, "a fraction of an SD to two SD"),
    Setting("rhr_median_days", 30, "days",
            "Resting HR is compared with its median over these days before.",
            "docs/methods.md section 12.4", "H", 7, 90, "one week to three months of resting HR"),
    Setting("rhr_elevated_bpm", 5.0, "bpm",
            "Resting HR this far above its median counts as up.",
            "docs/methods.md section 12.4; Buchheit 2014 Front Physiol 5:73", "H",
            2.0, 20.0, "day-to-day noise is about 2 bpm; 20 bpm is illness"),
    Setting("rhr_elevated_days", 2, "days",
            "Resting HR must be up on this many days running to count as elevated.",
            "docs/methods.md section 12.4", "H", 1, 7, "one day to a week"),
    Setting("sleep_norm_days", 60, "nights",
            "Your sleep norm: the median of these nights before.",
            "docs/methods.md section 12.2", "H", 14, 120, "two weeks to four months of nights"),
    Setting("sleep_debt_days", 7, "nights",
            "Sleep debt adds up the shortfall against your norm over these nights.",
            "docs/methods.md section 12.2", "H", 3, 28, "a few nights to four weeks"),
    Setting("sleep_need_h", 7.0, "h", "Sleep adults need per night (shown for context).",
            "Watson et al. 2015 Sleep 38:843 (AASM/SRS consensus)", "V",
            5.0, 10.0, "the range of adult sleep needs"),
    Setting("short_sleep_h", 6.0, "h", "A night shorter than this is a short night.",
            "docs/methods.md section 12.6", "H",
            3.0, 9.0, "a short night lies between 3 h and a long night"),
    Setting("short_nights", 2, "nights",
            "Short nights running that, with HRV below normal, lower readiness.",
            "docs/methods.md section 12.6", "H", 1, 7, "one night to a week"),
    # --- run-quality signals, factors and the way back (section 11)
    Setting("warmup_speed_fraction", 0.85, "-",
            "A warm-up or cool-down is easy running at or below this fraction of the median "
            "speed of the run's middle half.",
            "docs/methods.md section 11.1", "H", 0.5, 0.95,
            "from half the run's speed to just below it"),
    Setting("warmup_skip_s", 60, "s",
            "The first and last seconds of a run are not judged.",
            "docs/methods.md section 11.1", "H", 0, 300,
            "up to five minutes of start and end left out"),
    Setting("warmup_smoothing_s", 30, "s",
            "Speed is judged as its rolling median over this many seconds.",
            "docs/methods.md section 11.1", "H", 5, 120,
            "a few seconds to two minutes of smoothing"),
    Setting("warmup_min_s", 300, "s",
            "Easy running at the start counts as a warm-up from this long.",
            "docs/methods.md section 11.1", "H", 60, 1200,
            "one to twenty minutes of easy running"),
    Setting("cooldown_min_s", 180, "s",
            "Easy running at the end counts as a cool-down from this long.",
            "docs/methods.md section 11.1", "H", 60, 900,
            "one to fifteen minutes of easy running"),
    Setting("warmup_max_speed_cv", 0.25, "-",
            "A run whose middle half varies in speed more than this (coefficient of variation: "
            "intervals, fartlek) is not classified for warm-up and has no matched-speed "
            "within-run changes.", "docs/methods.md section 11.1", "H", 0.1, 0.5,
            "steady runs vary by under 10 %; intervals by far more than 50 %"),
    Setting("warmup_adjacent_min", 30, "min",
            "An easy activity ending this close before a run (or starting this close after it) "
            "counts as its warm-up (cool-down).",
            "docs/methods.md section 11.1", "H", 0, 120,
            "up to two hours between the easy activity and the run"),
    Setting("factor_min_exposed_days", 8, "days",
            "A yes/no factor needs this many rated days with it and as many without.",
            "docs/methods.md section 11.4", "H", 5, 60,
            "fewer than 5 days per group say nothing; 60 is two months"),
    Setting("factor_min_days", 28, "days",
            "A factor measured as a number needs this many rated days.",
            "docs/methods.md section 11.4", "H", 14, 365,
            "two weeks to a year of rated days"),
    Setting("factor_bootstrap_reps", 2000, "-",
            "Resamples of the 7-day block bootstrap of the factor analysis.",
            "docs/methods.md section 11.4; Tang & Landes 2020 PLoS ONE", "V", 200, 20000,
            "fewer than 200 resamples give unstable intervals; 20000 is slow"),
    Setting("return_settled_days", 3, "days",
            "An episode has settled after this many days running at or below the easy-run pain "
            "level.", "docs/methods.md section 11.5", "H", 1, 14,
            "one day to two weeks of low pain"),
    Setting("return_start_pct", 50.0, "%",
            "First week back: running distance and longest run at most this share of the "
            "level before the episode.", "docs/methods.md section 11.5", "H", 20, 90,
            "a fifth to nine tenths of the level before"),
    Setting("return_step_pct", 10.0, "%",
            "Weekly increase of the return plan while pain stays low.",
            "docs/methods.md section 11.5", "H", 0, 30,
            "no increase to 30 % a week"),
    Setting("return_max_step_pct", 20.0, "%",
            "Largest weekly increase of the return plan.",
            "docs/methods.md section 11.5", "H", 5, 30,
            "5 to 30 % a week"),
    Setting("return_baseline_weeks", 3, "weeks",
            "The level before the episode is the mean weekly running distance of these weeks.",
            "docs/methods.md section 11.5", "H", 1, 8,
            "one week to two months before the episode"),
    # --- personal experiments (section 13)
    Setting("experiment_block_days", 7, "days",
            "Length of one block of a personal experiment, one training week by default.",
            "docs/methods.md section 13.2; Hawksworth et al. 2024 Trials",
            "P", 5, 14,
            "five days to two weeks per block"),
    Setting("experiment_pairs", 6, "pairs",
            "Pairs of blocks of a personal experiment.",
            "docs/methods.md section 13.2", "P", 5, 12,
            "5 pairs can reach p < 0.05; 12 pairs take up to six months"),
    Setting("experiment_min_pairs", 5, "pairs",
            "Fewest pairs an experiment may have: with the order random inside each pair "
            "there are only 2^pairs possible orders, so the smallest one-sided randomisation "
            "p is 2^-pairs and 4 pairs can never reach p < 0.05.",
            "docs/methods.md section 13.2 (arithmetic)", "V", 5, 12,
            "with 4 pairs the randomisation p can never fall below 0.05"),
    Setting("experiment_slow_block_days", 21, "days",
            "Length of each phase of a baseline -> intervention test of a lever that builds up "
            "over weeks.",
            "docs/methods.md section 13.1; Porcino et al. 2017 Syst Rev", "P", 21, 42,
            "three to six weeks per phase"),
    Setting("experiment_washout_days", 1, "days",
            "First days of each block (and the first day after a pause) left out of the "
            "analysis.",
            "docs/methods.md section 13.3; PREEMPT analysis code (Kravitz et al. 2018)", "P", 0, 3,
            "none to three days of each block"),
    Setting("experiment_washout_days_long", 2, "days",
            "Days left out at the start of blocks of 14 days or longer.",
            "docs/methods.md section 13.3", "P", 0, 7,
            "none to a week of a long block"),
    Setting("experiment_adherence_pct", 70.0, "%",
            "A block counts when at least this share of its running days followed the "
            "schedule.", "docs/methods.md section 13.4", "H", 50, 100,
            "at least half of the running days"),
    Setting("experiment_min_rated_days", 3, "days",
            "A block counts only with at least this many analysed days with a pain rating.",
            "docs/methods.md section 13.5 (our minimum)", "H", 1, 7,
            "one day to a week of ratings"),
    Setting("experiment_warmup_min_s", 600, "s",
            "A run follows a warm-up block when its warm-up lasted at least this long.",
            "docs/methods.md section 13.1", "H", 300, 1800,
            "five to thirty minutes"),
    Setting("experiment_meaningful_points", 1.0, "points",
            "Smallest difference in pain (0-10) an experiment calls meaningful, with a 95 % "
            "CI that excludes 0.", "docs/methods.md section 13.6", "H", 0.5, 3,
            "half a point to three points on the 0-10 scale"),
    Setting("experiment_pause_pain", 5, "points",
            "Pain at or above this level (any area), or a red flag, pauses an experiment.",
            "docs/methods.md section 13.6", "H", 3, 8,
            "moderate to severe pain on the 0-10 scale"),
)

#: All settings by name.
SETTINGS: dict[str, Setting] = {s.name: s for s in _ALL}

#: Pairs of settings whose values must keep their order: (lower, upper) with lower <= upper.
#: (An easy run needs pain below ``pain_cross_train_level``: a separate maximum for easy runs
#: would leave pains between the two with a load flag but no suggestion to go easy.)
ORDER: tuple[tuple[str, str], ...] = (
    ("acwr_min_history_days", "acwr_calibrating_days"),
    ("acwr_sweet_high", "acwr_danger"),
    ("monotony_warn", "monotony_high"),
    ("monotony_high", "monotony_cap"),
    ("strain_min_days", "strain_window_days"),
    ("weekly_change_early_pct", "weekly_change_high_pct"),
    ("pain_cross_train_level", "pain_rest_level"),
    ("pain_median_min_days", "pain_median_days"),
    ("pain_z_min_days", "pain_z_days"),
    ("rising_pain_min_days", "rising_pain_days"),
    ("hrv_week_min_days", "hrv_week_days"),
    ("hrv_week_days", "hrv_baseline_days"),
    ("recovery_min_days", "hrv_baseline_days"),
    ("recovery_min_days", "rhr_median_days"),
    ("recovery_min_days", "sleep_norm_days"),
    ("short_sleep_h", "sleep_need_h"),
    ("return_step_pct", "return_max_step_pct"),
    ("experiment_min_pairs", "experiment_pairs"),
    ("experiment_washout_days", "experiment_block_days"),
)


def default(name: str) -> SettingValue:
    """Default value of the setting ``name`` (``KeyError`` if unknown)."""
    return SETTINGS[name].default


def number(name: str) -> float:
    """Default of a numeric setting as a float (for keyword defaults of model functions)."""
    value = SETTINGS[name].default
    if not isinstance(value, int | float):
        raise TypeError(f"setting {name} is not a number")
    return float(value)


def integer(name: str) -> int:
    """Default of a whole-number setting (for keyword defaults of model functions)."""
    value = SETTINGS[name].default
    if not isinstance(value, int):
        raise TypeError(f"setting {name} is not a whole number")
    return value


def text(name: str) -> str:
    """Default of a text setting (for keyword defaults of model functions)."""
    return str(SETTINGS[name].default)


def _order_problems(values: Mapping[str, SettingValue]) -> list[tuple[str, str, str]]:
    """(lower, upper, message) of every :data:`ORDER` pair that ``values`` break."""
    out = []
    for lower, upper in ORDER:
        a, b = values[lower], values[upper]
        if isinstance(a, int | float) and isinstance(b, int | float) and a > b:
            out.append((lower, upper, f"{lower} ({_shown(a)}) must be at most {upper} "
                                      f"({_shown(b)})"))
    return out


class Settings(Mapping[str, SettingValue]):
    """The defaults of :data:`SETTINGS` overridden by ``overrides``.

    Parameters
    ----------
    overrides
        Setting name -> value. An unknown name, a wrong type, a value outside the setting's
        range or a broken :data:`ORDER` raises ``ValueError`` with one line saying which.

    Attributes
    ----------
    warnings
        Values :meth:`lenient` replaced by defaults, one line each (empty otherwise).
    """

    def __init__(self, overrides: Mapping[str, object] | None = None) -> None:
        values: dict[str, SettingValue] = {n: s.default for n, s in SETTINGS.items()}
        for name, value in (overrides or {}).items():
            if name not in SETTINGS:
                raise ValueError(f"unknown setting {name!r} (see strideload settings)")
            values[name] = SETTINGS[name].check(value)
        problems = _order_problems(values)
        if problems:
            raise ValueError(problems[0][2])
        self._values = values
        self.warnings: tuple[str, ...] = ()

    @classmethod
    def lenient(cls, stored: Mapping[str, object] | None) -> Settings:
        """Settings from stored values, each bad one replaced by its default with a warning.

        Stored values may come from an older version or a hand edit of the store: an unknown
        name is ignored, a value of the wrong type or out of range falls back to the default,
        and both values of a broken :data:`ORDER` pair fall back. Never raises.
        """
        kept: dict[str, SettingValue] = {}
        warnings = []
        for name, value in (stored or {}).items():
            setting = SETTINGS.get(name)
            if setting is None:
                warnings.append(f"stored setting {name} ignored (unknown to this version)")
                continue
            try:
                kept[name] = setting.check(value)
            except ValueError:
                warnings.append(f"stored setting {name} = {_shown(value)} ignored (must be "
                                f"{setting.range_text()}); using the default "
                                f"{_shown(setting.default)}")
        while problems := _order_problems({**{n: s.default for n, s in SETTINGS.items()},
                                           **kept}):
            lower, upper, message = problems[0]
            kept.pop(lower, None)
            kept.pop(upper, None)
            warnings.append(f"stored settings {lower} and {upper} ignored ({message}); using "
                            "the defaults")
        out = cls(kept)
        out.warnings = tuple(warnings)
        return out

    def __getitem__(self, name: str) -> SettingValue:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Settings({self.changed()!r})"

    def changed(self) -> dict[str, SettingValue]:
        """The values that differ from their defaults (what the store keeps)."""
        return {k: v for k, v in self._values.items() if v != SETTINGS[k].default}

    def number(self, name: str) -> float:
        """The value of a numeric setting as a float."""
        value = self._values[name]
        if isinstance(value, str | tuple):
            raise TypeError(f"setting {name} is not a number")
        return float(value)

    def integer(self, name: str) -> int:
        """The value of a whole-number setting."""
        return int(self.number(name))

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
