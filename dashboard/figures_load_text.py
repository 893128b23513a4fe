"""The words of the Load page's charts: one pure function beside each builder of
:mod:`dashboard.figures_load`, on the same frame, returning its name, summary and table
(:class:`dashboard.a11y.charts.ChartText`)."""

from __future__ import annotations

import polars as pl

from analytics.settings import Settings
from dashboard.a11y.charts import (
    ChartText,
    change_text,
    day_text,
    days_span_text,
    number_text,
)
from dashboard.a11y.tables import Table
from dashboard.figures_load import LOAD_UNIT
from dashboard.units import METRIC, Units
from ingest import scalars

NO_TRAINING = ChartText("Chart: no training in this date range",
                        "No training in this date range.")


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:+.0f} %"


def weekly_text(weeks: pl.DataFrame, units: Units = METRIC) -> ChartText:
    """Words of :func:`~dashboard.figures_load.weekly_figure`: the range of weekly distance,
    the latest week (so far, when in progress) with its change, and its load."""
    if weeks.is_empty():
        return NO_TRAINING
    unit = units.distance
    distance = [units.dist(v) or 0.0 for v in weeks["run_distance_m"]]
    last = weeks.row(-1, named=True)
    progress = last["days"] < 7
    now = (f"this week {distance[-1]:.0f} {unit} so far ({last['days']} of 7 days)" if progress
           else f"the week of {day_text(last['week_start'])} {distance[-1]:.0f} {unit}")
    change = change_text(last["run_distance_m_change_pct"])
    load = (last["running_load"] or 0.0) + (last["cross_load"] or 0.0)
    summary = (f"Weekly running distance, last {weeks.height} weeks: {min(distance):.0f} {unit} "
               f"to {max(distance):.0f} {unit}; {now}" + (f", {change} on the week before"
                                                          if change else "")
               + f". Load that week {load:.0f} {LOAD_UNIT} "
               f"({last['cross_load'] or 0:.0f} from cross-training).")
    rows = [
        (row["week"] + (f" ({row['days']} of 7 days)" if row["days"] < 7 else ""),
         f"{km:.1f}", _pct(row["run_distance_m_change_pct"]),
         number_text(units.dist(row["longest_run_m"]), 1),
         number_text(row["running_load"]), number_text(row["cross_load"]))
        for row, km in zip(weeks.iter_rows(named=True), distance, strict=True)
    ]
    table = Table("Weekly distance and load", (
        "week", f"distance ({unit})", "change vs week before", f"longest run ({unit})",
        f"running load ({LOAD_UNIT})", f"cross-training load ({LOAD_UNIT})"), rows)
    name = (f"Bar charts of weekly running distance and weekly load, {weeks.height} weeks from "
            f"{days_span_text(weeks['week_start'])}")
    return ChartText(name, summary, table)


def progression_text(daily: pl.DataFrame, runs: pl.DataFrame, settings: Settings,
                     units: Units = METRIC) -> ChartText:
    """Words of :func:`~dashboard.figures_load.progression_figure`: the 7-day distance, the
    flagged days and the single-run spikes."""
    if daily.is_empty():
        return NO_TRAINING
    unit = units.distance
    high = settings.number("weekly_change_high_pct")
    ratio = settings.number("long_run_spike_ratio")
    window = settings.integer("long_run_window_days")
    seven = [units.dist(v) or 0.0 for v in daily["run_distance_7d"].fill_null(0.0)]
    flagged = daily.filter(pl.col("flag_weekly_distance"))
    spikes = runs.filter(pl.col("spike") & pl.col("distance_m").is_not_null())
    parts = [f"Running distance over 7 days: {min(seven):.0f} to {max(seven):.0f} {unit}, "
             f"{seven[-1]:.0f} {unit} on {day_text(daily['date'][-1])}."]
    parts.append(f"{flagged.height} days flagged for a rise beyond {high:.0f} % (the last on "
                 f"{day_text(flagged['date'][-1])})." if flagged.height
                 else f"No day rose beyond {high:.0f} %.")
    if spikes.height:
        last = spikes.row(-1, named=True)
        parts.append(f"{spikes.height} single runs longer than {100 * ratio:.0f} % of the "
                     f"longest run of the {window} days before (the last on "
                     f"{day_text(last['local_date'])}, {units.dist(last['distance_m']):.1f} "
                     f"{unit}).")
    else:
        parts.append("No single-run spike.")
    by_day: dict = {}
    for run in runs.filter(pl.col("distance_m").is_not_null()).iter_rows(named=True):
        text = f"{units.dist(run['distance_m']):.1f}" + (" (spike)" if run["spike"] else "")
        by_day.setdefault(run["local_date"], []).append(text)
    rows = [(str(row["date"]), f"{km:.1f}", _pct(row["run_distance_change_pct"]),
             "yes" if row["flag_weekly_distance"] else "", ", ".join(by_day.get(row["date"], [])))
            for row, km in zip(daily.iter_rows(named=True), seven, strict=True)]
    table = Table("Running distance over 7 days, by day", (
        "date", f"7-day distance ({unit})", "change vs 7 days before", "flagged",
        f"runs ({unit})"), rows[::-1])
    name = (f"Line chart of running distance over the last 7 days by day, "
            f"{days_span_text(daily['date'])}, with flagged rises "
            "(triangles) and single-run spikes (stars)")
    return ChartText(name, " ".join(parts), table)


def _zone(acwr: float, settings: Settings) -> str:
    low, high = settings.number("acwr_sweet_low"), settings.number("acwr_sweet_high")
    if acwr >= settings.number("acwr_danger"):
        return "in the 'danger zone'"
    if acwr > high:
        return "above the 'sweet spot'"
    return "in the 'sweet spot'" if acwr >= low else "below the 'sweet spot'"


def acwr_text(daily: pl.DataFrame, settings: Settings) -> ChartText:
    """Words of :func:`~dashboard.figures_load.acwr_figure`: the latest ratio and its band,
    its range and the days in the danger zone (descriptive only)."""
    if daily.is_empty():
        return NO_TRAINING
    shown = daily.filter(pl.col("acwr").is_not_null()
                         & pl.col("acwr_status").is_in(["ok", "calibrating"]))
    name = (f"Line chart of the acute:chronic workload ratio by day, "
            f"{days_span_text(daily['date'])}, over shaded bands")
    if shown.is_empty():
        return ChartText(name, f"No ratio yet: it needs "
                               f"{settings.integer('acwr_min_history_days')} days of history.")
    last = shown.row(-1, named=True)
    danger = settings.number("acwr_danger")
    high_days = shown.filter(pl.col("acwr") >= danger).height
    summary = (f"ACWR {last['acwr']:.2f} on {day_text(last['date'])}, "
               f"{_zone(last['acwr'], settings)}"
               + (" (still calibrating)" if last["acwr_status"] == "calibrating" else "")
               + f"; from {scalars.number(shown['acwr'].min()):.2f} to "
               f"{scalars.number(shown['acwr'].max()):.2f} in these days, "
               f"{high_days} days at or above {danger:g}. Descriptive only, not a risk score.")
    rows = [(str(row["date"]), f"{row['acwr']:.2f}", row["acwr_status"])
            for row in shown.iter_rows(named=True)][::-1]
    return ChartText(name, summary, Table("ACWR by day", ("date", "ACWR", "status"), rows))


def fitness_text(daily: pl.DataFrame, settings: Settings) -> ChartText:
    """Words of :func:`~dashboard.figures_load.fitness_figure`: the latest CTL, ATL, TSB and
    CTL ramp, and how many days ramped steeply."""
    if daily.is_empty():
        return NO_TRAINING
    last = daily.row(-1, named=True)
    ramp_high, tsb_low = settings.number("ramp_high"), settings.number("tsb_low")
    steep = daily.filter(pl.col("ctl_ramp") > ramp_high).height
    tsb = last["tsb"]
    tsb_words = "" if tsb is None else (f", TSB {tsb:+.0f} points "
                                        f"({'below' if tsb < tsb_low else 'above'} the "
                                        f"{tsb_low:g} line)")
    summary = (f"On {day_text(last['date'])}: CTL (fitness) {number_text(last['ctl'])}, "
               f"ATL (fatigue) {number_text(last['atl'])} points/day{tsb_words}. "
               f"{steep} days with a CTL ramp above {ramp_high:g} points/week.")
    rows = [(str(row["date"]), number_text(row["ctl"], 1), number_text(row["atl"], 1),
             number_text(row["tsb"], 1), number_text(row["ctl_ramp"], 1))
            for row in daily.iter_rows(named=True)][::-1]
    table = Table("Fitness, fatigue and form by day",
                  ("date", "CTL", "ATL", "TSB", "CTL ramp (points/week)"), rows)
    name = (f"Line charts of fitness (CTL), fatigue (ATL) and form (TSB) by day, "
            f"{days_span_text(daily['date'])}")
    return ChartText(name, summary, table)


def monotony_text(daily: pl.DataFrame, settings: Settings) -> ChartText:
    """Words of :func:`~dashboard.figures_load.monotony_figure`: the latest and highest
    monotony against its levels, and the latest strain against the runner's percentile."""
    if daily.is_empty():
        return NO_TRAINING
    percentile = 100 * settings.number("strain_percentile")
    last = daily.row(-1, named=True)
    known = daily.filter(pl.col("monotony").is_not_null())
    parts = [f"Monotony {number_text(last['monotony'], 2) or 'not known'} on "
             f"{day_text(last['date'])} (warning at {settings.number('monotony_warn'):g}, high "
             f"at {settings.number('monotony_high'):g})"]
    if known.height:
        top = known.sort("monotony", descending=True).row(0, named=True)
        parts.append(f"; highest {top['monotony']:.2f} on {day_text(top['date'])}")
    parts.append(f". Strain {number_text(last['strain']) or 'not known'} {LOAD_UNIT} against "
                 f"your {percentile:.0f}th percentile of "
                 f"{number_text(last['strain_p90']) or 'not known yet'}.")
    rows = [(str(row["date"]), number_text(row["monotony"], 2), number_text(row["strain"]),
             number_text(row["strain_p90"])) for row in daily.iter_rows(named=True)][::-1]
    table = Table("Monotony and strain by day", (
        "date", "monotony", f"strain ({LOAD_UNIT})", f"your {percentile:.0f}th percentile"), rows)
    name = (f"Line charts of training monotony and strain by day, "
            f"{days_span_text(daily['date'])}")
    return ChartText(name, "".join(parts), table)
