"""A personal experiment for people: the schedule, today's line, the result table and the
physiotherapist report's section (docs/methods.md section 13)."""

from __future__ import annotations

import datetime as dt
from html import escape

import polars as pl

from dashboard.a11y.tables import Table, table_html
from dashboard.experiments import Evaluation, differences, evaluate
from ingest.experiments import experiments
from ingest.store import Store

#: Source and grade of the method, shown with every result.
METHOD_NOTE = ("Method: blocks in pairs, the order inside each pair drawn at random "
               "(N-of-1 trial; AHRQ user's guide, Kravitz & Duan 2014) [V]; the first day of "
               "each block left out [P]; a block counts when followed on at least 70 % of its "
               "running days [H]; per pair the mean pain with the lever minus without, their "
               "mean with a 95 % CI from the t distribution over pairs (Chen & Chen 2014) [P] "
               "and an exact randomisation p over every possible order [V]; a difference counts "
               "from 1 point with a CI that excludes 0 [H] (docs/methods.md section 13). "
               "It speaks for this runner, in this period.")
SAFETY_NOTE = ("Pain of 5 or more, or a warning sign, pauses the experiment: the usual advice "
               "comes first. Train otherwise as usual.")
STATE_WORDS = {"planned": "planned", "running": "running", "paused": "paused for safety",
               "finished": "finished", "stopped": "stopped early"}


def _span(start: dt.date, end: dt.date) -> str:
    return f"{start:%a %d %b} - {end:%a %d %b}"


def title(ev: Evaluation) -> str:
    """'carry:vest vs carry:none, upper-back pain the next day'."""
    e = ev.experiment
    versus = f" vs {e.compare_with}" if e.compare_with else ""
    when = "the next day" if ev.lever.outcome_lag_days else "the same day"
    return f"{e.lever}{versus}, {e.area} pain {when}"


def plan_line(ev: Evaluation) -> str:
    """'6 pairs of 7-day blocks, 2026-05-04 to 2026-07-26, seed 4711.'"""
    e = ev.experiment
    if e.design == "ab":
        shape = f"baseline then intervention, {e.block_days} days each"
    else:
        shape = f"{e.pairs} pairs of {e.block_days}-day blocks, order random inside each pair"
    return f"{shape}; {e.start} to {ev.timeline.end}; seed {e.seed}."


def _followed(block: dict) -> str:
    """'100 % of 4 days', or why there is no share."""
    if block["pct"] is None:
        return "no run or tick yet" if block["state"] == "running" else "no run or tick"
    days = block["running_days"]
    return f"{block['pct']:.0f} % of {days} day{'s' if days != 1 else ''}"


def schedule_table(ev: Evaluation) -> pl.DataFrame:
    """One text row per block: dates, what to do, and (once started) adherence and whether it
    counts."""
    rows = []
    for r in ev.blocks.iter_rows(named=True):
        started = r["state"] != "planned"
        rows.append({
            "block": str(r["block"]), "pair": str(r["pair"]), "dates": _span(r["start"], r["end"]),
            "do": ev.words.on if r["arm"] == "on" else ev.words.off,
            "followed": _followed(r) if started else "",
            "counts": {"done": "yes" if r["counted"] else "no", "running": "(running)"}
            .get(r["state"], ""),
        })
    return pl.DataFrame(rows, schema={k: pl.String for k in rows[0]}) if rows else pl.DataFrame()


def today_line(ev: Evaluation) -> str:
    """Where the runner stands today, in one line."""
    e = ev.experiment
    if ev.state == "planned":
        return f"Your experiment starts on {e.start:%a %d %B}."
    if ev.state == "paused":
        return (f"Paused since {ev.timeline.paused_on:%a %d %B} (pain of 5 or more, or a "
                "warning sign): the advice for today comes first. Resume the experiment when "
                "your back has settled; its schedule goes on where it stopped.")
    if ev.state in ("finished", "stopped"):
        return f"Your experiment is {STATE_WORDS[ev.state]}. {ev.text}"
    block = ev.current_block()
    if block is None:
        return "Your experiment is going on."
    blocks = len(e.arms)
    left = (block["end"] - ev.today).days + 1
    return (f"{ev.assignment()} (block {block['block']} of {blocks}, pair {block['pair']} of "
            f"{e.pairs}; {left} day{'s' if left != 1 else ''} left in this block).")


def result_table(ev: Evaluation) -> pl.DataFrame:
    """Per counted pair: mean pain in each arm and the difference (text)."""
    rows = [{"pair": str(r["pair"]),
             f"pain, {ev.words.on_blocks}": f"{r['pain_on']:.2f}",
             f"pain, {ev.words.off_blocks}": f"{r['pain_off']:.2f}",
             "difference": f"{r['difference']:+.2f}"} for r in differences(ev)]
    return pl.DataFrame(rows, schema={k: pl.String for k in rows[0]}) if rows else pl.DataFrame()


def report_section_html(store: Store, day: dt.date) -> str:
    """Finished and stopped experiments for the physiotherapist's report ('' when none)."""
    done = [ev for ev in (evaluate(store, e, day) for e in experiments(store))
            if ev.state in ("finished", "stopped")]
    if not done:
        return ""
    parts = ['<h2>Personal experiments</h2><div id="report-experiments">']
    for ev in done:
        parts.append(f"<h3>{escape(title(ev))}</h3>"
                     f'<p class="muted">{escape(plan_line(ev))}</p><p>{escape(ev.text)}</p>')
        table = result_table(ev)
        if table.height:
            parts.append(table_html(Table.from_dicts("Mean pain per pair of blocks",
                                                     table.to_dicts())))
    parts.append(f'</div><p class="muted">{escape(METHOD_NOTE)}</p>')
    return "".join(parts)
