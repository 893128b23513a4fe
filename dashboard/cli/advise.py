"""``strideload advise``: what to do today, with reasons, and the week ahead.

Kept light: an answer kept from the last run on an unchanged store (:mod:`dashboard.advice_cache`)
is printed without loading the analytics; otherwise the report is built (polars, numpy).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import click

from analytics.wording import HEADLINES, LABELS, NOT_A_DIAGNOSIS
from dashboard import advice_cache
from dashboard.cli.common import data_dir_option, format_option, open_store, parse_day

if TYPE_CHECKING:
    from analytics.suggestions import Advice
    from ingest.store import Store


def advice_text(advice: Advice | dict, why: bool = False) -> str:
    """The advice as readable lines: headline, reasons, what to do, the return plan, the week
    ahead and one "not a diagnosis" footer; ``why``: the limits, sources and evidence grades
    behind each reason too."""
    data: dict[str, Any] = advice if isinstance(advice, dict) else advice.as_dict()
    lines = [f"{data['date']}: {HEADLINES[data['suggestion']]}"]
    lines += [f"  - {reason['text']}" for reason in data["reasons"]]
    if data["tips"]:
        lines.append("What to do:")
        lines += [f"  - {tip}" for tip in data["tips"]]
    status = data.get("return_status") or {}
    if status.get("state") in ("in_episode", "returning"):
        lines.append("After the pain episode:")
        lines.append(f"  {status['text']}")
        lines += [f"  - week {w['week']}: up to {w['max_distance_m'] / 1000:.1f} km, longest run "
                  f"{w['max_long_run_m'] / 1000:.1f} km ({w['note']})"
                  for w in data.get("return_plan", [])]
    if data.get("week"):
        lines.append("The week ahead:")
        lines += [f"  {line}" for day in data["week"] for line in week_day_lines(day)]
    if why:
        lines.append("Why these limits:")
        lines += [f"  - {reason['why']} (docs/methods.md section {reason['section']})"
                  for reason in data["reasons"]]
    else:
        lines.append("(strideload advise --why shows the limits, sources and evidence grades.)")
    lines.append(NOT_A_DIAGNOSIS)
    return "\n".join(lines)


def week_day_lines(day: dict) -> list[str]:
    """One day of the week ahead: date, what is planned, the suggestion, what to change."""
    planned = "; ".join(p["text"] for p in day["planned"]) or "nothing planned"
    weekday = dt.date.fromisoformat(day["date"])
    lines = [f"{weekday:%a %d %b} ({planned}): {LABELS[day['suggestion']]}"]
    lines += [f"  - {change}" for change in day.get("changes", [])]
    if day.get("max_run_m") and not day["planned"]:
        lines.append(f"  - a run up to {day['max_run_m'] / 1000:.1f} km stays within the "
                     "long-run limit")
    return lines


@click.command("advise")
@click.option("--date", "day", help="Day to advise on (YYYY-MM-DD, default today).")
@click.option("--why", is_flag=True,
              help="Also show each reason's limit, source and evidence grade.")
@format_option("text", "json", default="text")
@data_dir_option
def advise_command(day: str | None, why: bool, fmt: str, data_dir: str | None) -> None:
    """What to do today: train, easy, cross_train, rest or see_professional - with reasons.

    Each reason says what in your data led to the suggestion, with your numbers; --why adds
    the limit, its source, the population studied and the evidence grade. The week ahead
    (``week`` in the JSON: ``[{date, planned, suggestion, reasons}]``) gives the suggestion
    for each of the next 7 days with the sessions you planned (``strideload plan add``) and
    what to change on a flagged day; without a plan, the longest run that stays within the
    limits. After a pain episode the JSON also gives ``return_plan`` (week by week: the most
    running distance and the longest run, in metres) and ``return_status`` (where you stand).
    """
    with open_store(data_dir) as store:
        target = parse_day(day) or store.local_today()
        kept = advice_cache.load(advice_cache.path(store, target))
        if not (kept and isinstance(kept.get("advice"), dict)
                and isinstance(kept.get("warnings"), list)):  # none kept, or not ours
            kept = _compute(store, target)
    for line in kept["warnings"]:
        click.echo(f"warning: {line}", err=True)
    advice = kept["advice"]
    click.echo(json.dumps(advice, indent=1, default=str) if fmt == "json"
               else advice_text(advice, why))


def _compute(store: Store, target: dt.date) -> dict[str, Any]:
    """The advice for ``target`` with the week ahead and the stored values ignored, kept for
    the next command unless the store changed meanwhile."""
    from dashboard import preferences, service
    from dashboard.week import week_ahead

    service.ensure_metrics(store)  # may store metrics: before the store's revision is read
    kept = advice_cache.path(store, target)
    advice = service.advice(store, target)
    advice["week"] = week_ahead(store, target)
    # as JSON gives it (dates as text), the same whether computed now or kept
    result = json.loads(json.dumps({"warnings": preferences.stored_value_warnings(store),
                                    "advice": advice}, default=str))
    if advice_cache.path(store, target) == kept:
        advice_cache.save(kept, result)
    return result
