"""Glue between the store and the analytics, shared by the command line and the web app.

The analytics are pure functions; this module reads the store (activities, per-activity
metrics, pain journal, RPE, profile and settings (:mod:`dashboard.preferences`)), computes
what is missing and hands the frames over, keeping what it derived until the store changes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypedDict, TypeVar, cast

import polars as pl

from analytics.activity_metrics import (
    ACTIVITY_METRICS_SCHEMA,
    METRICS_VERSION,
    compute_activity_metrics,
    metrics_frame,
)
from analytics.athlete import AthleteProfile, ResolvedProfile
from analytics.levers import activity_levers
from analytics.pain import daily_pain
from analytics.recovery import recovery_daily
from analytics.report import KnownLoads, Report, build_report
from analytics.return_plan import ReturnStatus, return_status
from analytics.settings import Settings
from analytics.week import WEEK_DAYS, planned_activities, typical_speeds
from dashboard import kept_frames
from dashboard.code_version import code_stamp
from dashboard.import_hook import enrich as enrich  # the import hook, for callers of service
from dashboard.preferences import load_profile, load_settings
from ingest import gear, scalars
from ingest import plans as plan_store
from ingest.bodywork_store import sessions as bodywork_sessions
from ingest.context import context_frame
from ingest.store import Store
from ingest.wellness.store import wellness_days

T = TypeVar("T")
#: Reports and frames kept in memory (different days or stores); each is a few MB at most.
CACHE_ENTRIES = 16
_CACHE: OrderedDict[tuple, object] = OrderedDict()
_CACHE_LOCK = threading.Lock()
#: Keys being computed, each with the event set when it is done (see :func:`_cached`).
_RUNNING: dict[tuple, threading.Event] = {}
#: The store (id, revision) at which :func:`ensure_metrics` last found nothing to do, per
#: data dir.
_METRICS_CHECKED: dict[str, tuple[str, int]] = {}


def ensure_metrics(store: Store) -> int:
    """Compute metrics for stored activities that lack current ones; returns how many.

    Looked up once per store revision (every derived value asks; the lookup is a join over
    all activities)."""
    folder = str(store.data_dir.resolve())
    if _METRICS_CHECKED.get(folder) == (store.store_id(), store.revision()):
        return 0
    missing = store.without_metrics(METRICS_VERSION)
    for activity_id, sport in missing:
        values = compute_activity_metrics(store.samples(activity_id), sport)
        store.set_metrics(activity_id, METRICS_VERSION, values)
    _METRICS_CHECKED[folder] = (store.store_id(), store.revision())
    return len(missing)


#: Column of the kept metrics frame: when each activity's metrics were written.
_WRITTEN = "metrics_written"


def _metrics(store: Store) -> pl.DataFrame:
    """The metrics frame (:func:`analytics.activity_metrics.metrics_frame` of every stored
    activity's metrics, by id), kept between processes (:mod:`dashboard.kept_frames`).

    Building it from the stored JSON takes most of a command's time on a long history (about
    0.2 s for 5 years). The file is named by the store's id, when each activity's metrics were
    written (:meth:`ingest.store.Store.metrics_written`) and the frame's schema, so any added,
    rewritten or removed metrics, or a new schema, make a new one - built from the one kept
    before for this store, with only the metrics written since read from the store.
    """
    written = store.metrics_written()
    schema = hashlib.sha256(repr(ACTIVITY_METRICS_SCHEMA).encode()).hexdigest()[:12]
    stamps = hashlib.sha256(json.dumps(sorted(written.items())).encode()).hexdigest()[:24]
    name = f"{store.store_id()}-{stamps}-{schema}"

    def build() -> pl.DataFrame:
        frame = kept_frames.read(store, "metrics", name)
        if frame is None:
            frame = _metrics_since(store, kept_frames.latest(store, "metrics"), written, schema)
            kept_frames.write(store, "metrics", name, frame)
        return frame.drop(_WRITTEN)

    return _cached((str(store.data_dir.resolve()), "metrics", name), build)


def _metrics_since(store: Store, kept: tuple[str, pl.DataFrame] | None,
                   written: dict[int, int], schema: str) -> pl.DataFrame:
    """The metrics frame with :data:`_WRITTEN`: the rows of ``kept`` (name, frame) still
    current when it was kept for this store and schema, and the metrics written since read
    from the store."""
    current = pl.DataFrame({"id": list(written), _WRITTEN: list(written.values())},
                           schema={"id": pl.Int64, _WRITTEN: pl.Int64})
    rows = None
    if (kept is not None and kept[0].startswith(f"{store.store_id()}-")
            and kept[0].endswith(f"-{schema}") and _WRITTEN in kept[1].columns):
        rows = kept[1].join(current, on=["id", _WRITTEN], how="semi")
    have = set() if rows is None else set(rows["id"].to_list())
    stored = store.metrics(sorted(i for i in written if i not in have))
    added = metrics_frame([values for _, values in stored], [i for i, _ in stored])
    added = added.with_columns(pl.Series(_WRITTEN, [written[i] for i, _ in stored],
                                         dtype=pl.Int64))
    return added if rows is None else pl.concat([rows, added]).sort("id")


def activities_with_metrics(store: Store) -> pl.DataFrame:
    """Stored activity summaries joined with their per-activity metrics and run context
    (:func:`ingest.context.context_frame`: gear, carry, surface, tags, excluded_from_load).

    Kept between processes until stored data other than the pain journal changes (a pain
    entry does not pay for it again), and the metrics frame (heart-rate histograms and all)
    until metrics are added, rewritten or removed (:func:`_metrics`).
    """
    return _activities_with_metrics(store, _training(store))


def _training(store: Store) -> str:
    """What the activities, their loads and runs are computed from, as a name: the store's
    :meth:`~ingest.store.Store.training_revision` and the code (read before any of the data,
    so a kept frame is never older than its name)."""
    ensure_metrics(store)  # may store metrics: before the revision is read
    return f"{store.training_revision()}-{code_stamp()}"


def _activities_with_metrics(store: Store, training: str) -> pl.DataFrame:
    def build() -> pl.DataFrame:
        return (store.activities()
                .join(_metrics(store), on="id", how="left", maintain_order="left")
                .join(context_frame(store), on="id", how="left", maintain_order="left"))

    return _cached((str(store.data_dir.resolve()), "activities_with_metrics", training),
                   lambda: kept_frames.kept(store, "activities", training, build))


def _kept_loads(store: Store, training: str) -> tuple[KnownLoads, Callable[[Report], None]]:
    """Where :func:`analytics.report.build_report` finds the session loads and runs kept from
    an earlier report of the same ``training`` data (:func:`_training`) and resolved profile,
    and what keeps a new report's when it computed them."""
    found: list[bool] = []

    def name(profile: ResolvedProfile) -> str:
        text = json.dumps(dataclasses.asdict(profile), sort_keys=True, default=str)
        return f"{training}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"

    def known(profile: ResolvedProfile) -> tuple[pl.DataFrame, pl.DataFrame] | None:
        sessions = kept_frames.read(store, "sessions", name(profile))
        runs = kept_frames.read(store, "runs", name(profile))
        if sessions is None or runs is None:
            return None
        found.append(True)
        return sessions, runs

    def keep(rep: Report) -> None:
        if not found:
            kept_frames.write(store, "sessions", name(rep.profile), rep.sessions)
            kept_frames.write(store, "runs", name(rep.profile), rep.runs)

    return known, keep


def _cached(key: tuple, compute: Callable[[], T]) -> T:
    """Memoise derived data by (data dir, store id and revision, ...); a few entries,
    thread-safe.

    One thread computes a key at a time: another thread asking for it meanwhile (a page
    opened while the start-up warm-up builds the report) waits for that result instead of
    computing it too, which would make both slower.
    """
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return cast(T, _CACHE[key])  # the value compute() gave for this key
        running = _RUNNING.get(key)
        if running is None:
            _RUNNING[key] = done = threading.Event()
    if running is not None:
        running.wait()
        return _cached(key, compute)  # kept by now, unless that computation failed
    try:
        value = compute()
        with _CACHE_LOCK:
            _CACHE[key] = value
            while len(_CACHE) > CACHE_ENTRIES:
                _CACHE.popitem(last=False)
        return value
    finally:
        with _CACHE_LOCK:
            del _RUNNING[key]
        done.set()


def _key(store: Store, *parts: object) -> tuple:
    ensure_metrics(store)  # a store restored in place is another store: its id tells
    return (str(store.data_dir.resolve()), store.store_id(), store.revision(), *parts)


def report(store: Store, end: dt.date | None = None) -> Report:
    """The whole analytics report of the store, up to ``end`` (default: the last data).

    Cached until the store changes (its revision), so pages and commands share the work.
    """
    def compute() -> Report:
        training = _training(store)
        known, keep = _kept_loads(store, training)
        rep = build_report(_activities_with_metrics(store, training), end=end,
                           known_loads=known, **report_inputs(store))
        keep(rep)
        return rep

    return _cached(_key(store, "report", end), compute)


class ReportInputs(TypedDict):
    """The keyword arguments of :func:`analytics.report.build_report` read from the store."""

    pain: pl.DataFrame
    rpe: pl.DataFrame
    profile: AthleteProfile
    settings: Settings
    unrecorded: list[dt.date]
    bodywork: pl.DataFrame
    wellness: pl.DataFrame


def report_inputs(store: Store) -> ReportInputs:
    """Everything :func:`analytics.report.build_report` reads from the store besides the
    activities (pain, RPE, profile, settings, unrecorded days, body work, wellness)."""
    return {"pain": store.pain(), "rpe": store.rpe(), "profile": load_profile(store),
            "settings": load_settings(store), "unrecorded": store.unrecorded(),
            "bodywork": bodywork_sessions(store), "wellness": wellness_days(store)}


def recovery(store: Store, end: dt.date | None = None) -> pl.DataFrame:
    """:func:`analytics.recovery.recovery_daily` of the stored wellness up to ``end``, with the
    day's ``pain`` (0-10, the highest rating; null when unrated). Cached like the report."""
    def compute() -> pl.DataFrame:
        daily = recovery_daily(wellness_days(store, end=end), load_settings(store), end=end)
        pain = daily_pain(store.pain()).select("date", "pain")
        return daily.join(pain, on="date", how="left", maintain_order="left")

    return _cached(_key(store, "recovery", end), compute)


def association(store: Store, end: dt.date | None = None) -> pl.DataFrame:
    """The load-pain association of :meth:`Report.association` (cached like the report)."""
    return _cached(_key(store, "association", end), lambda: report(store, end).association())


def factor_table(store: Store, end: dt.date | None = None) -> tuple[pl.DataFrame, list]:
    """The day table and factors of :func:`analytics.factor_days.factor_days` (the report's
    days and runs, each run's gear, carry and surface; the most recent
    ``association_window_days`` days). Cached like the report."""
    from analytics.factor_days import factor_days  # scipy: only when factors are asked for

    def compute() -> tuple[pl.DataFrame, list]:
        rep = report(store, end)
        s = rep.settings
        joined = activities_with_metrics(store)  # the activities and their context
        levers = activity_levers(joined, joined, gear.items(store))
        retire = gear.items(store).select(pl.col("name").alias("shoes"), "retire_km")
        runs = (rep.runs.select("id", "local_date", "has_warmup", "respiration_drift_pct",
                                "ground_contact_change_pct", "vertical_oscillation_change_pct")
                .join(levers.select("id", "carry", "surface", "shoes", "shoe_km_before"),
                      on="id", how="left")
                .join(retire, on="shoes", how="left"))
        daily = rep.daily if end is None else rep.daily.filter(pl.col("date") <= end)
        days, factors = factor_days(daily.tail(s.integer("association_window_days")), runs,
                                    shoe_retire_km=s.number("shoe_retire_km"))
        return days, factors

    return _cached(_key(store, "factor_table", end), compute)


def factors(store: Store, end: dt.date | None = None) -> pl.DataFrame:
    """:func:`analytics.factors.factor_associations` of the store, ranked (cached; kept between
    processes by :func:`dashboard.kept_frames.kept`, named by a hash of the day table, the
    factors and the settings it reads: the bootstrap is paid again only when one of them
    changes)."""
    def compute() -> pl.DataFrame:
        from analytics.factors import FACTOR_SCHEMA, factor_associations

        days, found = factor_table(store, end)
        s = load_settings(store)
        options: dict[str, Any] = {
            "min_exposed": s.integer("factor_min_exposed_days"),
            "min_days": s.integer("factor_min_days"),
            "block_days": s.integer("bootstrap_block_days"),
            "reps": s.integer("factor_bootstrap_reps"), "seed": s.integer("bootstrap_seed"),
            "fdr": s.number("association_fdr")}
        digest = hashlib.sha256(repr((found, options, FACTOR_SCHEMA)).encode())
        table = io.BytesIO()
        days.write_ipc(table)
        digest.update(table.getvalue())
        return kept_frames.kept(store, "factors", digest.hexdigest()[:24],
                     lambda: factor_associations(days, found, **options))

    return _cached(_key(store, "factors", end), compute)


def return_plan(store: Store, day: dt.date) -> ReturnStatus:
    """:func:`analytics.return_plan.return_status` of the store on ``day``."""
    rep = report(store, end=day)
    return return_status(rep.daily, day, rep.settings)


def upcoming(store: Store, day: dt.date) -> pl.DataFrame:
    """The sessions planned from ``day`` to the end of its week ahead, left out those whose
    day already has a recorded session of that sport (done)."""
    last = day + dt.timedelta(days=WEEK_DAYS - 1)
    plans = plan_store.planned(store, day, last)
    done = report(store, end=day).sessions.select(
        pl.col("local_date").alias("date"), "sport").unique()
    return plans.join(done, on=["date", "sport"], how="anti").sort("date", "id")


def planned_run_m(store: Store, rep: Report, day: dt.date) -> float | None:
    """The longest run planned for ``day`` and not recorded yet [m] (a plan in minutes at the
    runner's typical speed), or None."""
    plans = upcoming(store, day).filter(pl.col("date") == day)
    if plans.is_empty():
        return None
    runs = planned_activities(plans, typical_speeds(rep.sessions, day)).filter(
        (pl.col("sport") == "running") & pl.col("distance_m").is_not_null())
    return scalars.number_or_none(runs["distance_m"].max())


def advice(store: Store, day: dt.date) -> dict[str, Any]:
    """The advice for ``day`` as JSON: ``Advice.as_dict()`` with tips from the runner's levers
    (:func:`analytics.lever_tips.lever_tips`, not for a red flag), ``return_plan`` (``[{week,
    max_distance_m, max_long_run_m, note}]``, empty unless returning from an episode) and
    ``return_status`` (``state``, ``text`` and the dates behind them). A run planned for
    ``day`` and not yet recorded is judged too (the long-run rule, as the week ahead does)."""
    from analytics.lever_tips import lever_tips

    rep = report(store, end=day)
    out: dict[str, Any] = rep.advise(day, planned_run_m(store, rep, day)).as_dict()
    if out["suggestion"] != "see_professional":
        out["tips"] = [*lever_tips(rep.runs, factors(store, day), day), *out["tips"]]
    status = return_status(rep.daily, day, rep.settings)
    out["return_plan"] = status.as_dicts()
    out["return_status"] = {
        "state": status.state, "text": status.text,
        "episode_start": None if status.episode_start is None else str(status.episode_start),
        "settled_on": None if status.settled_on is None else str(status.settled_on),
        "days_low": status.days_low, "own_median_days": status.own_median_days,
        "own_episodes": status.own_episodes,
        "baseline_week_m": None if status.baseline_week_m is None
        else round(status.baseline_week_m, 1),
        "baseline_long_run_m": status.baseline_long_run_m,
        "flare_start": None if status.flare_start is None else str(status.flare_start),
    }
    return out
