"""Weekly summaries for export: CSV/JSON in SI units, Markdown for a physiotherapist."""

from __future__ import annotations

import json
from collections.abc import Sequence

import polars as pl

from analytics.bodywork import EVIDENCE_NOTE
from analytics.suggestions import SUGGESTIONS
from dashboard.factors_view import METHOD_NOTE
from dashboard.units import METRIC, Units
from ingest.bodywork import CATEGORIES

#: Rounding of exported numbers (decimals) by column name suffix.
_DECIMALS = {"_m": 0, "_s": 0, "_pct": 1, "load": 1, "ratio": 2, "_bpm": 1, "_ms": 1}


def _decimals(name: str) -> int:
    for suffix, digits in _DECIMALS.items():
        if name.endswith(suffix):
            return digits
    return 2


def weekly_export(weekly: pl.DataFrame) -> pl.DataFrame:
    """The weekly summary with dates as ISO text and numbers rounded (stable columns)."""
    return weekly.with_columns(
        pl.col("week_start").cast(pl.String),
        *[pl.col(name).round(_decimals(name)) for name, dtype in weekly.schema.items()
          if dtype.is_float()],
    )


def to_csv(weekly: pl.DataFrame) -> str:
    return weekly_export(weekly).write_csv()


def to_json(weekly: pl.DataFrame) -> str:
    return json.dumps(weekly_export(weekly).to_dicts(), indent=1)


def _cell(value: object, fmt: str = "{:.0f}", unit: str = "") -> str:
    if value is None:
        return "-"
    return fmt.format(value) + unit


def _signed(value: float | None) -> str:
    return "-" if value is None else f"{value:+.0f} %"


def hours_minutes(seconds: float | None) -> str:
    """'7:05' (h:mm) for a duration in seconds, '-' when unknown."""
    if seconds is None:
        return "-"
    minutes = round(seconds / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def bodywork_cell(week: dict) -> str:
    """'3 (85 min): core 1/20, mobility 2/60' (sessions/minutes per category), '-' if none."""
    if not week.get("bodywork_sessions"):
        return "-"
    parts = [f"{c} {week[f'bodywork_{c}_sessions']}/{week[f'bodywork_{c}_minutes']:.0f}"
             for c in CATEGORIES if week[f"bodywork_{c}_sessions"]]
    return (f"{week['bodywork_sessions']} ({week['bodywork_minutes']:.0f} min): "
            + ", ".join(parts))


def markdown_rows(weekly: pl.DataFrame, units: Units = METRIC) -> list[dict[str, str]]:
    """One dict per week with the physiotherapist table's columns (units in the keys)."""
    unit = units.distance
    rows = []
    for w in weekly.iter_rows(named=True):
        suggested = ", ".join(f"{w[f'days_{name}']} {name.replace('_', '-')}"
                              for name in SUGGESTIONS if w.get(f"days_{name}"))
        longest = "-" if not w["longest_run_m"] else (
            f"{units.dist(w['longest_run_m']):.1f}"
            + (f" ({w['longest_run_ratio']:.2f}x)" if w["longest_run_ratio"] else ""))
        rows.append({
            "Week": w["week"],
            "Runs": str(w["runs"]),
            f"Running distance ({unit})": _cell(units.dist(w["run_distance_m"]), "{:.1f}"),
            "Running time (h:mm)": hours_minutes(w["run_timer_s"]),
            "Load total / running (pts)": f"{_cell(w['load'])} / {_cell(w['running_load'])}",
            "Running distance vs last week": _signed(w["run_distance_m_change_pct"]),
            "vs prior 3-wk mean": _signed(w["run_distance_m_change_3wk_pct"]),
            f"Longest run ({unit}, x 30-day max)": longest,
            f"ACWR ({w['acwr_method'] or '-'})": _cell(w["acwr"], "{:.2f}"),
            "Monotony": _cell(w["monotony"], "{:.1f}"),
            "CTL / ATL / TSB": " / ".join(_cell(w[k]) for k in ("ctl", "atl", "tsb")),
            "Cadence (spm)": _cell(w["cadence_spm"]),
            "Cadence drift (%/h)": _cell(w["drift_pct"], "{:+.1f}"),
            "Decoupling (%)": _cell(w["decoupling_pct"], "{:.1f}"),
            "Runs with warm-up / cool-down (%)": (
                f"{_cell(w.get('warmup_share_pct'))} / {_cell(w.get('cooldown_share_pct'))}"),
            "Body work (sessions, min: per category)": bodywork_cell(w),
            "Pain mean / max (0-10)": f"{_cell(w['pain_mean'], '{:.1f}')} / "
                                      f"{_cell(w['pain_max'])}",
            "Sleep (h:mm) / resting HR (bpm) / HRV (ms)": (
                f"{hours_minutes(w['sleep_mean_s'])} / {_cell(w['resting_hr_mean_bpm'])} / "
                f"{_cell(w['hrv_mean_ms'])}"),
            "Suggested days": suggested or "-",
        })
    return rows


FACTORS_HEADING = "What relates to the pain (the three strongest factors)"


def factor_lines(factors: Sequence[str]) -> list[str]:
    """The top factors as a Markdown section (sentences and the method's source)."""
    return ["", f"## {FACTORS_HEADING}", "",
            *[f"{number}. {text}" for number, text in enumerate(factors, start=1)],
            "", METHOD_NOTE]


def to_markdown(weekly: pl.DataFrame, title: str = "Weekly training summary",
                units: Units = METRIC, factors: Sequence[str] | None = None) -> str:
    """A Markdown document: heading, notes on units and evidence, one table row per week, and
    the top factors (:func:`dashboard.factors_view.top_three`) when given."""
    rows = markdown_rows(weekly, units)
    lines = [f"# {title}", ""]
    if not rows:
        return "\n".join([*lines, "No weeks with data yet."]) + "\n"
    headers = list(rows[0])
    lines += ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row[h] for h in headers) + " |" for row in rows]
    lines += [
        "",
        "Running distance and time: runs only; time is the watch's timer time (pauses "
        "excluded; elapsed time for a file without a timer). "
        "Load in HRSS points (100 = one hour at lactate threshold; heart-rate based where "
        "recorded, else pace, session RPE or duration - estimated). ACWR is descriptive only "
        "(Impellizzeri 2021). Cadence drift: speed-adjusted change within runs. Decoupling: "
        "Pa:HR of steady runs of 60 min or more (> 5 % is high). Warm-up / cool-down: share of "
        "the week's runs with at least 5 / 3 min of easy running at the start / end (or an "
        "easy activity just before / after; interval runs not judged). Pain: the runner's daily "
        "0-10 rating. Sleep, resting HR and HRV (RMSSD): means of the week's nights and mornings "
        "from the watch, phone or the runner's check-ins. Body work: core, mobility and strength "
        f"sessions (watch and logged by hand) with their minutes. {EVIDENCE_NOTE}",
        *(factor_lines(factors) if factors else []),
        "",
        "Generated by strideload. Describes training; it is not a diagnosis.",
    ]
    return "\n".join(lines) + "\n"
