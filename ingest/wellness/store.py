"""Write wellness batches into the store and read them back, one row per day (or per source).

Writing (:func:`add_batch`): values are merged into the row of their date and source - a
value given replaces the stored one, an absent one keeps it - and a row is written only when
it changes, in one transaction per batch: importing the same data again changes nothing.
Asleep intervals are kept per source and each touched night is recomputed from the union of
all of that source's intervals (:mod:`ingest.wellness.nights`), so two devices' overlapping
nights count once. Instants are dated with the file's UTC offset when it gives one, else with
the athlete's time zone.

Reading (:func:`wellness_days`): per date, each value comes from the first source in
:data:`ingest.wellness.records.SOURCES` that has it (the watch before the phone before a hand
entry); ``source`` names the sources used, and ``resting_hr_source``, ``hrv_source``,
``sleep_source`` say which gave each signal.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from ingest.store import Store
from ingest.wellness import nights
from ingest.wellness.records import SOURCES, TEXT_VALUES, WellnessBatch
from ingest.wellness.schema import VALUE_COLUMNS

DAY_MS = 86_400_000
#: Intervals this far around new ones are read to recompute the nights they belong to.
NIGHT_WINDOW_MS = 36 * 3600 * 1000
#: Columns of :func:`wellness_days`, in order.
DAY_COLUMNS = ("date", *VALUE_COLUMNS, "source", "resting_hr_source", "hrv_source",
               "sleep_source")
SIGNAL_SOURCES = {"resting_hr_source": "resting_hr_bpm", "hrv_source": "hrv_rmssd_ms",
                  "sleep_source": "sleep_s"}


@dataclass
class Added:
    """What one batch did to the store."""

    changed: list[dt.date]  # dates whose row was added or changed
    dates: list[dt.date]  # every date the batch holds

    @property
    def days(self) -> int:
        """How many dates were added or changed."""
        return len(self.changed)


def _offset_function(batch: WellnessBatch, zone: zoneinfo.ZoneInfo) -> Callable[[int], int]:
    if batch.local_offset_s is not None:
        offset = batch.local_offset_s
        return lambda _ms: offset

    def in_zone(ms: int) -> int:
        moment = dt.datetime.fromtimestamp(ms / 1000, dt.UTC).astimezone(zone)
        offset = moment.utcoffset()  # never None: the moment is in a zone
        return 0 if offset is None else int(offset.total_seconds())

    return in_zone


def _ms(moment: dt.datetime) -> int:
    return round(moment.timestamp() * 1000)


def _local_date(ms: int, offset_s: Callable[[int], int]) -> dt.date:
    return dt.datetime.fromtimestamp(ms / 1000 + offset_s(ms), dt.UTC).date()


def _values(batch: WellnessBatch, offset_s: Callable[[int], int]
            ) -> dict[dt.date, dict[str, float | str | None]]:
    """The batch's values per date (later ones win), nights with a total included."""
    per_day: dict[dt.date, dict[str, float | str | None]] = {}
    for day in batch.days:
        if day.date is not None:
            date = day.date
        else:
            assert day.at is not None  # a day names its date or an instant on it
            date = _local_date(_ms(day.at), offset_s)
        per_day.setdefault(date, {}).update(day.values)
    for night in batch.nights:
        if night.spans:
            date = _local_date(_ms(max(end for _, end in night.spans)), offset_s)
        elif night.date is not None:
            date = night.date
        else:
            continue
        values = per_day.setdefault(date, {})
        if night.sleep_s is not None and not night.spans:
            values["sleep_s"] = night.sleep_s
        if night.score is not None:
            values["sleep_score"] = night.score
    return per_day


def _recomputed_nights(db: sqlite3.Connection, source: str, spans: list[tuple[int, int]],
                       offset_s: Callable[[int], int]) -> dict[dt.date, dict[str, float | None]]:
    """Store new asleep intervals; the nights they touch, from all intervals of the source."""
    db.executemany("INSERT OR IGNORE INTO wellness_sleep VALUES (?, ?, ?)",
                   [(source, start, end) for start, end in spans])
    low = min(start for start, _ in spans) - NIGHT_WINDOW_MS
    high = max(end for _, end in spans) + NIGHT_WINDOW_MS
    stored = [tuple(row) for row in db.execute(
        "SELECT start_ms, end_ms FROM wellness_sleep WHERE source = ? AND "
        "end_ms >= ? AND start_ms <= ?", (source, low, high))]
    touched = {_local_date(episode[-1][1], offset_s)
               for episode in nights.episodes(stored)
               if any(start < e and end > s for s, e in episode for start, end in spans)}
    totals = nights.night_totals(stored, offset_s)
    return {date: {"sleep_s": totals[date][0] or None, "nap_s": totals[date][1] or None}
            for date in touched}


def add_batch(store: Store, batch: WellnessBatch, origin: str) -> Added:
    """Store a batch (one transaction); ``origin`` names the file or 'hand entry'."""
    zone = zoneinfo.ZoneInfo(store.time_zone())
    offset_s = _offset_function(batch, zone)
    per_day = _values(batch, offset_s)
    spans = [(_ms(start), _ms(end)) for night in batch.nights for start, end in night.spans]
    changed: list[dt.date] = []
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with store.transaction() as db:
        if spans:
            for date, night in _recomputed_nights(db, batch.source, spans, offset_s).items():
                per_day.setdefault(date, {}).update(night)
        for date, values in sorted(per_day.items()):
            row = db.execute(f"SELECT {', '.join(VALUE_COLUMNS)} FROM wellness "
                             "WHERE date = ? AND source = ?",
                             (date.isoformat(), batch.source)).fetchone()
            old = {**dict.fromkeys(VALUE_COLUMNS),
                   **(dict(zip(VALUE_COLUMNS, row, strict=True)) if row else {})}
            new = {**old, **values}  # recomputed nights may clear a total (None)
            if new == old and (row or not any(v is not None for v in new.values())):
                continue
            changed.append(date)
            db.execute(
                f"INSERT OR REPLACE INTO wellness (date, source, {', '.join(VALUE_COLUMNS)}, "
                f"origin, updated_at) VALUES ({', '.join('?' * (len(VALUE_COLUMNS) + 4))})",
                (date.isoformat(), batch.source, *new.values(), origin, now))
    return Added(changed, sorted(per_day))


def _schema() -> dict[str, pl.DataType]:
    return {"date": pl.Date(), "source": pl.String(),
            **{name: pl.String() if name in TEXT_VALUES else pl.Float64()
               for name in VALUE_COLUMNS}}


def wellness_rows(store: Store, start: dt.date | None = None, end: dt.date | None = None
                  ) -> pl.DataFrame:
    """Every stored row (one per date and source), oldest first, best source first."""
    rows = store.db.execute(
        f"SELECT date, source, {', '.join(VALUE_COLUMNS)} FROM wellness "
        "WHERE date >= ? AND date <= ? ORDER BY date",
        ((start or dt.date.min).isoformat(), (end or dt.date.max).isoformat())).fetchall()
    frame = pl.DataFrame([tuple(r) for r in rows], schema={
        **_schema(), "date": pl.String()}, orient="row")
    rank = {source: i for i, source in enumerate(SOURCES)}
    return (frame.with_columns(pl.col("date").str.to_date(),
                               pl.col("source").replace_strict(rank, default=len(rank))
                               .alias("_rank"))
            .sort("date", "_rank").drop("_rank"))


def wellness_days(store: Store, start: dt.date | None = None, end: dt.date | None = None
                  ) -> pl.DataFrame:
    """One row per date with stored wellness (columns :data:`DAY_COLUMNS`), each value from
    the best source that has it."""
    rows = wellness_rows(store, start, end)
    # a row is used when it holds the first value of some column within its date
    used = pl.any_horizontal(
        pl.col(c).is_not_null() & (pl.col(c).is_not_null().cum_sum() == 1)
        for c in VALUE_COLUMNS)
    return (
        rows.group_by("date", maintain_order=True)
        .agg(
            *[pl.col(c).drop_nulls().first() for c in VALUE_COLUMNS],
            pl.col("source").filter(used).str.join("+").alias("source"),
            *[pl.col("source").filter(pl.col(value).is_not_null()).first().alias(name)
              for name, value in SIGNAL_SOURCES.items()],
        )
        .filter(pl.col("source") != "")
        .select(DAY_COLUMNS)
    )
