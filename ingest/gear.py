"""Gear in the store: shoes, packs (bottle, belt, vest, backpack) and other items.

An activity may use several items (shoes and a vest). New activities get the default items of
their sport (a store trigger, see :mod:`ingest.levers_schema`); :func:`assign` overrides that
per activity. A pack's ``carry`` type (said when adding it, else read from its name: "vest",
"belt", "bottle"/"flask", "backpack"/"rucksack") becomes the activity's carry
(:mod:`ingest.context`).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import polars as pl

from ingest import scalars

if TYPE_CHECKING:
    from ingest.store import Store

GEAR_KINDS = ("shoes", "pack", "other")
#: Carry types of packs, lightest first (an activity with two packs carries the last one).
CARRY_TYPES = ("bottle", "belt", "vest", "backpack")
_CARRY_WORDS = (("backpack", r"back ?pack|rucksack|daypack"), ("vest", r"vest"),
                ("belt", r"belt|waist ?pack|bum ?bag|fanny"), ("bottle", r"bottle|flask"))
#: Columns of :func:`items`.
ITEM_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(), "name": pl.String(), "kind": pl.String(), "carry": pl.String(),
    "since": pl.Date(), "retire_km": pl.Float64(), "initial_m": pl.Float64(),
    "retired": pl.Boolean(), "default_for": pl.String(), "note": pl.String(),
}
MAX_NAME = 80


class GearError(ValueError):
    """A gear value or request that cannot be carried out, with a message naming it."""


def infer_carry(name: str) -> str | None:
    """The carry type a pack's name says ('Salomon hydration vest' -> 'vest'), else None."""
    lowered = name.lower()
    for carry, pattern in _CARRY_WORDS:
        if re.search(pattern, lowered):
            return carry
    return None


def _check(name: str, kind: str, carry: str | None, retire_km: float | None,
           initial_km: float) -> str:
    name = " ".join(name.split())
    if not name:
        raise GearError("gear needs a name")
    if len(name) > MAX_NAME:
        raise GearError(f"gear name is too long ({MAX_NAME} characters at most)")
    if name.isdigit():
        raise GearError(f"gear name {name!r} is a number; numbers are gear ids")
    if kind not in GEAR_KINDS:
        raise GearError(f"kind must be one of {', '.join(GEAR_KINDS)}, got {kind!r}")
    if carry is not None and carry not in CARRY_TYPES:
        raise GearError(f"carry must be one of {', '.join(CARRY_TYPES)}, got {carry!r}")
    if carry is not None and kind != "pack":
        raise GearError("only a pack has a carry type (use --kind pack)")
    if retire_km is not None and not 0 < retire_km <= 10_000:
        raise GearError(f"retirement distance must be 1-10000 km, got {retire_km:g}")
    if not 0 <= initial_km <= 20_000:
        raise GearError(f"initial distance must be 0-20000 km, got {initial_km:g}")
    return name


def add_gear(store: Store, name: str, kind: str, *, retire_km: float | None = None,
             default_for: str | None = None, since: dt.date | None = None,
             carry: str | None = None, initial_km: float = 0.0, note: str = "") -> int:
    """Add an item; returns its id.

    A pack without ``carry`` gets the type its name says. ``default_for`` makes it the item
    of its kind that new activities of that sport get (replacing the previous default).
    """
    name = _check(name, kind, carry, retire_km, initial_km)
    if kind == "pack" and carry is None:
        carry = infer_carry(name)
    sport = default_for.strip().lower() if default_for else None
    with store.transaction() as db:
        if sport:
            db.execute("UPDATE gear SET default_for = NULL WHERE default_for = ? AND kind = ?",
                       (sport, kind))
        try:
            cursor = db.execute(
                "INSERT INTO gear (name, kind, carry, since, retire_km, initial_m, retired, "
                "default_for, note, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
                (name, kind, carry, since.isoformat() if since else None, retire_km,
                 initial_km * 1000.0, sport, note.strip(),
                 dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
            )
        except sqlite3.IntegrityError as exc:
            known = db.execute("SELECT id FROM gear WHERE name = ?", (name,)).fetchone()
            raise GearError(f"there is already gear named {name!r} (id {known[0]})") from exc
    return scalars.row_id(cursor)


def items(store: Store) -> pl.DataFrame:
    """Every item, in the order added (columns of :data:`ITEM_SCHEMA`)."""
    rows = store.db.execute(f"SELECT {', '.join(ITEM_SCHEMA)} FROM gear ORDER BY id").fetchall()
    frame = pl.DataFrame([tuple(r) for r in rows], orient="row", schema={
        **ITEM_SCHEMA, "since": pl.String(), "retired": pl.Int64()})
    return frame.with_columns(pl.col("since").str.to_date(), pl.col("retired").cast(pl.Boolean))


def assignments(store: Store) -> pl.DataFrame:
    """``activity_id``, ``gear_id`` of every assignment."""
    rows = store.db.execute("SELECT activity_id, gear_id FROM activity_gear "
                            "ORDER BY activity_id, gear_id").fetchall()
    return pl.DataFrame([tuple(r) for r in rows], orient="row",
                        schema={"activity_id": pl.Int64, "gear_id": pl.Int64})


def _known_ids(db: sqlite3.Connection, gear_ids: Iterable[int]) -> list[int]:
    wanted = list(dict.fromkeys(gear_ids))
    known = {r[0] for r in db.execute(
        f"SELECT id FROM gear WHERE id IN ({', '.join('?' * len(wanted))})", wanted)} \
        if wanted else set()
    missing = [str(g) for g in wanted if g not in known]
    if missing:
        raise GearError(f"no gear with id {', '.join(missing)} (see strideload gear list)")
    return wanted


def replace_assignments(db: sqlite3.Connection, activity_id: int, gear_ids: Sequence[int]
                        ) -> None:
    """Set an activity's items to exactly ``gear_ids`` (inside the caller's transaction)."""
    wanted = _known_ids(db, gear_ids)
    db.execute("DELETE FROM activity_gear WHERE activity_id = ?", (activity_id,))
    db.executemany("INSERT INTO activity_gear VALUES (?, ?)",
                   [(activity_id, gear_id) for gear_id in wanted])


def assign(store: Store, activity_id: int, gear_ids: Sequence[int]) -> None:
    """Set the items an activity used (replacing the defaults or earlier choices)."""
    with store.transaction() as db:
        if db.execute("SELECT 1 FROM activities WHERE id = ?", (activity_id,)).fetchone() is None:
            raise GearError(f"no activity with id {activity_id} (see strideload activities)")
        replace_assignments(db, activity_id, gear_ids)


def retire(store: Store, gear_id: int, retired: bool = True) -> str:
    """Mark an item retired (it stays on past activities, new ones no longer get it);
    returns its name."""
    with store.transaction() as db:
        row = db.execute("SELECT name FROM gear WHERE id = ?", (gear_id,)).fetchone()
        if row is None:
            raise GearError(f"no gear with id {gear_id} (see strideload gear list)")
        db.execute("UPDATE gear SET retired = ? WHERE id = ?", (int(retired), gear_id))
    return str(row[0])


def find_or_add(store: Store, name: str, kind: str) -> tuple[int, bool]:
    """(id of the item called ``name`` (any case), whether it was added now)."""
    row = store.db.execute("SELECT id FROM gear WHERE name = ?",
                           (" ".join(name.split()),)).fetchone()
    if row is not None:
        return int(row[0]), False
    return add_gear(store, name, kind), True


def use_item(store: Store, activity_ids: Sequence[int], gear_id: int) -> None:
    """Let activities use this item instead of any other item of its kind they had."""
    with store.transaction() as db:
        for activity_id in activity_ids:
            db.execute(
                "DELETE FROM activity_gear WHERE activity_id = ? AND gear_id IN "
                "(SELECT id FROM gear WHERE kind = (SELECT kind FROM gear WHERE id = ?))",
                (activity_id, gear_id))
            db.execute("INSERT INTO activity_gear VALUES (?, ?)", (activity_id, gear_id))
