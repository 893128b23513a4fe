"""Where each recovery signal stands on a day, in numbers and one plain sentence each.

Built from :func:`analytics.recovery.recovery_daily`; the pages (Today, Recovery) show these
sentences with their source and evidence grade. A device's own verdict (Garmin's HRV status) is
given beside ours as the device's, never instead (docs/methods.md section 12.3).

Examples
--------
>>> hours_minutes(27000)
'7:30'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from analytics.settings import SETTINGS, Settings

SIGNALS = ("hrv", "resting_hr", "sleep")
_VALUES = {"hrv": "hrv_rmssd_ms", "resting_hr": "resting_hr_bpm", "sleep": "sleep_s"}


@dataclass(frozen=True)
class SignalStatus:
    """One signal on one day.

    Attributes
    ----------
    signal
        ``"hrv"``, ``"resting_hr"`` or ``"sleep"``.
    state
        ``"no_data"``, ``"learning"``, ``"normal"``, ``"below_normal"``, ``"above_normal"``
        (HRV), ``"up"``, ``"elevated"`` (resting HR), ``"short"``, ``"short_nights"`` (sleep).
    text
        The sentence shown, with the values and the runner's own normal.
    date
        The day the values are from (the last day with a value up to the day asked for).
    learning
        (days so far, days needed) while the normal is being learned, else None.
    source
        Where the values come from (e.g. ``"fit"``, ``"garmin_export+manual"``).
    evidence, grade
        Source and evidence grade of the threshold.
    device_status
        The device's own status word (Garmin's HRV status), if any.
    """

    signal: str
    state: str
    text: str
    date: dt.date | None = None
    learning: tuple[int, int] | None = None
    source: str | None = None
    evidence: str = ""
    grade: str = "H"
    device_status: str | None = None

    @property
    def flagged(self) -> bool:
        """Whether the state lowers readiness (HRV below normal, resting HR elevated, short
        nights)."""
        return self.state in ("below_normal", "elevated", "short_nights")


def hours_minutes(seconds: float) -> str:
    """'h:mm' of a duration in seconds."""
    minutes = round(seconds / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def _learning(days: int | None, need: int, unit: str = "days") -> str:
    return f"still learning your normal ({days or 0} of {need} {unit})"


def _on(row: dict, day: dt.date) -> str:
    return "" if row["date"] == day else f" (on {row['date']:%d %b})"


def _evidence(name: str) -> tuple[str, str]:
    return SETTINGS[name].source, SETTINGS[name].grade


def _hrv(row: dict, day: dt.date, s: Settings) -> SignalStatus:
    need = s.integer("recovery_min_days")
    source, grade = _evidence("hrv_week_days")
    common = {"date": row["date"], "source": row["source"], "evidence": source, "grade": grade,
              "device_status": row["hrv_status"]}
    week = row["hrv_7d_ms"]
    lead = (f"HRV {week:.0f} ms (7-day mean)" if week is not None
            else f"HRV {row['hrv_rmssd_ms']:.0f} ms last night")
    if row["hrv_below_normal"] is None or week is None:
        return SignalStatus("hrv", "learning", f"{lead}{_on(row, day)}: "
                            f"{_learning(row['hrv_days'], need)}.",
                            learning=(row["hrv_days"] or 0, need), **common)
    low, high = row["hrv_normal_low_ms"], row["hrv_normal_high_ms"]
    state = ("below_normal" if row["hrv_below_normal"]
             else "above_normal" if week > high else "normal")
    where = {"below_normal": "below", "above_normal": "above", "normal": "within"}[state]
    return SignalStatus("hrv", state, f"{lead}{_on(row, day)}, {where} your normal "
                        f"{low:.0f}-{high:.0f} ms ({s.integer('hrv_baseline_days')}-day "
                        f"baseline \u00b1 {s.number('hrv_band_sd'):g} SD).", **common)


def _resting_hr(row: dict, day: dt.date, s: Settings) -> SignalStatus:
    need = s.integer("recovery_min_days")
    source, grade = _evidence("rhr_elevated_bpm")
    common = {"date": row["date"], "source": row["source"], "evidence": source, "grade": grade}
    lead = f"Resting HR {row['resting_hr_bpm']:.0f} bpm{_on(row, day)}"
    if row["rhr_median_bpm"] is None:
        return SignalStatus("resting_hr", "learning",
                            f"{lead}: {_learning(row['rhr_days'], need)}.",
                            learning=(row["rhr_days"] or 0, need), **common)
    delta = row["rhr_delta_bpm"]
    state = ("elevated" if row["rhr_elevated"]
             else "up" if delta >= s.number("rhr_elevated_bpm") else "normal")
    note = {"elevated": f", up on {s.integer('rhr_elevated_days')} days running",
            "up": "", "normal": ""}[state]
    return SignalStatus("resting_hr", state, f"{lead}, {delta:+.0f} vs your "
                        f"{s.integer('rhr_median_days')}-day median "
                        f"{row['rhr_median_bpm']:.0f} bpm{note}.", **common)


def _sleep(row: dict, day: dt.date, s: Settings) -> SignalStatus:
    need = s.integer("recovery_min_days")
    source, grade = _evidence("sleep_need_h")
    common = {"date": row["date"], "source": row["source"], "evidence": source, "grade": grade}
    when = "Last night" if row["date"] == day else f"The night to {row['date']:%d %b}"
    lead = (f"{when} {hours_minutes(row['sleep_s'])} h asleep "
            f"(adults need {s.number('sleep_need_h'):g} h or more)")
    short = (f"; {s.integer('short_nights')} short nights (< {s.number('short_sleep_h'):g} h) "
             "running" if row["short_nights"] else "")
    state = ("short_nights" if row["short_nights"]
             else "short" if row["short_sleep"] else "normal")
    if row["sleep_norm_s"] is None:
        return SignalStatus("sleep", state if state != "normal" else "learning",
                            f"{lead}{short}: {_learning(row['sleep_days'], need, 'nights')}.",
                            learning=(row["sleep_days"] or 0, need), **common)
    return SignalStatus("sleep", state, f"{lead}; your norm {hours_minutes(row['sleep_norm_s'])}"
                        f" h, 7-day sleep debt {hours_minutes(row['sleep_debt_7d_s'] or 0)} h"
                        f"{short}.", **common)


_BUILDERS = {"hrv": _hrv, "resting_hr": _resting_hr, "sleep": _sleep}
_NO_DATA = {"hrv": "No HRV recorded yet.", "resting_hr": "No resting heart rate recorded yet.",
            "sleep": "No sleep recorded yet."}


def recovery_status(daily: pl.DataFrame, day: dt.date, settings: Settings | None = None,
                    stale_days: int = 3) -> list[SignalStatus]:
    """HRV, resting HR and sleep as of ``day``: each from the last day up to ``day`` (and at
    most ``stale_days`` before it) that has the signal, else ``no_data``.

    Parameters
    ----------
    daily
        :func:`analytics.recovery.recovery_daily`.
    day
        The day asked about (e.g. today).
    """
    s = Settings.coerce(settings)
    recent = (daily.filter(pl.col("date").is_between(day - dt.timedelta(days=stale_days), day))
              if not daily.is_empty() else daily)
    out = []
    for signal in SIGNALS:
        rows = recent.filter(pl.col(_VALUES[signal]).is_not_null()) if not recent.is_empty() \
            else recent
        if rows.is_empty():
            out.append(SignalStatus(signal, "no_data", _NO_DATA[signal]))
        else:
            out.append(_BUILDERS[signal](rows.row(-1, named=True), day, s))
    return out
