"""The week ahead from the store: planned sessions, the projected report and each day's
suggestion (shared by Today and ``strideload advise``)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from analytics.report import with_activities
from analytics.week import (
    WEEK_DAYS,
    plan_text,
    planned_activities,
    typical_speeds,
    week_limits,
)
from analytics.week import week_ahead as evaluate_week
from dashboard import service
from dashboard.service import upcoming
from ingest import plans as plan_store
from ingest.store import Store


def week_ahead(store: Store, day: dt.date) -> list[dict]:
    """Each day of the week ahead as JSON (:meth:`analytics.week.WeekDay.as_dict`): the
    suggestion with the plan, its reasons, what to change and the longest run allowed.
    Cached until the store (plans included) changes."""
    def compute() -> list[dict]:
        rep = service.report(store, end=day)
        today_row = rep.daily.filter(pl.col("date") == day)
        if today_row.height == 0:
            return []
        plans = upcoming(store, day)
        extra = planned_activities(plans, typical_speeds(rep.sessions, day))
        projected = with_activities(rep, extra, day + dt.timedelta(days=WEEK_DAYS - 1))
        week = evaluate_week(projected.daily, today_row.row(0, named=True), day, plans,
                             rep.settings, rep.alternatives)
        return [d.as_dict() for d in week]

    return service._cached(service._key(store, "week", day), compute)


def limits(store: Store, day: dt.date) -> dict[str, object]:
    """:func:`analytics.week.week_limits` of the store on ``day``."""
    rep = service.report(store, end=day)
    return week_limits(rep.daily, day, rep.settings)


def plan_rows(store: Store, day: dt.date) -> list[dict]:
    """The sessions planned from ``day`` on as JSON (``id, date, sport, distance_m, minutes,
    text``)."""
    return [{**p, "date": p["date"].isoformat(), "text": plan_text(p)}
            for p in plan_store.planned(store, start=day).iter_rows(named=True)]
