"""Run context and corrections: carry, surface, tags, exclusion from load, sport, gear.

What the runner says about one activity lives in ``activity_context``; what the file says
stays in ``activities`` (a changed sport keeps the file's in ``recorded_sport``). Resolved
values (:func:`context_frame`):

``carry``
    Set by hand, else the carry type of the heaviest pack assigned (bottle < belt < vest <
    backpack), else null (not recorded). Values: none, bottle, belt, vest, backpack.
``surface``
    Set by hand, else what the FIT sub-sport says (treadmill / indoor_running -> treadmill,
    track -> track, trail -> trail, street / road -> road), else null. Values: road, trail,
    track, treadmill, mixed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from ingest.gear import CARRY_TYPES, GearError, replace_assignments

if TYPE_CHECKING:
    from ingest.store import Store

CARRIES = ("none", *CARRY_TYPES)
SURFACES = ("road", "trail", "track", "treadmill", "mixed")
#: FIT sub-sport -> surface (the watch says so).
SUB_SPORT_SURFACES = {"treadmill": "treadmill", "indoor_running": "treadmill",
                      "track": "track", "trail": "trail", "street": "road", "road": "road"}
MAX_TAGS = 20
MAX_TAG = 40
#: Columns of :func:`context_frame`.
CONTEXT_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(), "gear": pl.List(pl.String()), "gear_ids": pl.List(pl.Int64()),
    "shoes": pl.String(), "carry": pl.String(), "surface": pl.String(),
    "tags": pl.List(pl.String()), "excluded_from_load": pl.Boolean(),
    "recorded_sport": pl.String(),
}


class ContextError(ValueError):
    """A correction that cannot be stored, with a message naming the value."""


def clean_tags(tags: Sequence[str]) -> list[str]:
    """Tags stripped, without duplicates in any case ('hilly, with Anna' -> two tags)."""
    out: list[str] = []
    for tag in tags:
        for part in tag.split(","):
            part = " ".join(part.split())
            if part and part.lower() not in {t.lower() for t in out}:
                if len(part) > MAX_TAG:
                    raise ContextError(f"tag {part[:20]!r}... is too long ({MAX_TAG} at most)")
                out.append(part)
    if len(out) > MAX_TAGS:
        raise ContextError(f"{len(out)} tags; {MAX_TAGS} at most")
    return out


def edit_activity(store: Store, activity_id: int, *, sport: str | None = None,
                  carry: str | None = None, surface: str | None = None,
                  tags: Sequence[str] | None = None, excluded: bool | None = None,
                  gear_ids: Sequence[int] | None = None) -> None:
    """Change what is given (None = keep), all or nothing.

    ``carry``/``surface`` ``""`` clears a hand-set value (back to what gear or file say);
    ``tags`` replaces the tags; ``gear_ids`` replaces the items. A new sport drops the stored
    per-activity metrics, which the analytics recompute for that sport.
    """
    if carry not in (None, "") and carry not in CARRIES:
        raise ContextError(f"carry must be one of {', '.join(CARRIES)}, got {carry!r}")
    if surface not in (None, "") and surface not in SURFACES:
        raise ContextError(f"surface must be one of {', '.join(SURFACES)}, got {surface!r}")
    sport = sport.strip().lower().replace(" ", "_") if sport else None
    if sport is not None and not sport.replace("_", "").isalpha():
        raise ContextError(f"sport must be a word like running or cycling, got {sport!r}")
    with store.transaction() as db:
        row = db.execute("SELECT sport FROM activities WHERE id = ?", (activity_id,)).fetchone()
        if row is None:
            raise ContextError(f"no activity with id {activity_id} (see strideload activities)")
        db.execute("INSERT OR IGNORE INTO activity_context (activity_id) VALUES (?)",
                   (activity_id,))
        changes: dict[str, object] = {}
        if carry is not None:
            changes["carry"] = carry or None
        if surface is not None:
            changes["surface"] = surface or None
        if tags is not None:
            changes["tags"] = json.dumps(clean_tags(tags))
        if excluded is not None:
            changes["excluded_from_load"] = int(excluded)
        if sport is not None and sport != row["sport"]:
            db.execute("UPDATE activity_context SET recorded_sport = COALESCE(recorded_sport, ?)"
                       " WHERE activity_id = ?", (row["sport"], activity_id))
            db.execute("UPDATE activities SET sport = ? WHERE id = ?", (sport, activity_id))
            db.execute("DELETE FROM activity_metrics WHERE activity_id = ?", (activity_id,))
        if changes:
            db.execute(f"UPDATE activity_context SET {', '.join(f'{k} = ?' for k in changes)} "
                       "WHERE activity_id = ?", (*changes.values(), activity_id))
        if gear_ids is not None:
            try:
                replace_assignments(db, activity_id, gear_ids)
            except GearError as exc:
                raise ContextError(str(exc)) from exc


def said(store: Store, activity_id: int) -> dict[str, Any]:
    """What the runner set for one activity (None where nothing was set): ``carry``,
    ``surface``, ``tags``, ``excluded_from_load``, ``recorded_sport``, ``gear_ids``."""
    row = store.db.execute("SELECT * FROM activity_context WHERE activity_id = ?",
                           (activity_id,)).fetchone()
    gear_ids = [r[0] for r in store.db.execute(
        "SELECT gear_id FROM activity_gear WHERE activity_id = ? ORDER BY gear_id",
        (activity_id,))]
    if row is None:
        return {"carry": None, "surface": None, "tags": [], "excluded_from_load": False,
                "recorded_sport": None, "gear_ids": gear_ids}
    return {"carry": row["carry"], "surface": row["surface"], "tags": json.loads(row["tags"]),
            "excluded_from_load": bool(row["excluded_from_load"]),
            "recorded_sport": row["recorded_sport"], "gear_ids": gear_ids}


def delete_activity(store: Store, activity_id: int) -> bool:
    """Delete an activity (samples, laps, RPE, gear use, context, exercises); once no activity
    of its file is left the file is forgotten too, so importing it again brings it back."""
    row = store.activity(activity_id)
    if row is None or not store.delete_activity(activity_id):
        return False
    with store.transaction() as db:
        db.execute("DELETE FROM files WHERE sha256 = ? AND NOT EXISTS "
                   "(SELECT 1 FROM activities WHERE file_sha256 = ?)",
                   (row["file_sha256"], row["file_sha256"]))
    return True


def carry_over(db: sqlite3.Connection, old_id: int, new_id: int) -> None:
    """A richer recording replacing ``old_id`` takes over its context and, if it had any, its
    gear (inside the caller's transaction)."""
    db.execute("UPDATE OR REPLACE activity_context SET activity_id = ? WHERE activity_id = ?",
               (new_id, old_id))
    if db.execute("SELECT 1 FROM activity_gear WHERE activity_id = ?", (old_id,)).fetchone():
        db.execute("DELETE FROM activity_gear WHERE activity_id = ?", (new_id,))
        db.execute("UPDATE activity_gear SET activity_id = ? WHERE activity_id = ?",
                   (new_id, old_id))


def context_frame(store: Store) -> pl.DataFrame:
    """One row per stored activity, oldest first: ``id``, ``gear`` (names), ``gear_ids``,
    ``shoes`` (name of the shoes, if one pair), ``carry``, ``surface``, ``tags``,
    ``excluded_from_load``, ``recorded_sport`` (resolved as the module docstring says)."""
    gear = {r["id"]: r for r in store.db.execute("SELECT id, name, kind, carry FROM gear")}
    used: dict[int, list[int]] = {}
    for activity_id, gear_id in store.db.execute(
            "SELECT activity_id, gear_id FROM activity_gear ORDER BY activity_id, gear_id"):
        used.setdefault(activity_id, []).append(gear_id)
    said = {r["activity_id"]: r for r in store.db.execute("SELECT * FROM activity_context")}
    rows = []
    for activity_id, sub_sport in store.db.execute(
            "SELECT id, sub_sport FROM activities ORDER BY start_ms, id"):
        items = [gear[g] for g in used.get(activity_id, [])]
        packs = [i["carry"] for i in items if i["kind"] == "pack" and i["carry"]]
        shoes = [i["name"] for i in items if i["kind"] == "shoes"]
        own = said.get(activity_id)
        rows.append({
            "id": activity_id,
            "gear": [i["name"] for i in items],
            "gear_ids": [i["id"] for i in items],
            "shoes": shoes[0] if len(shoes) == 1 else None,
            "carry": (own["carry"] if own is not None and own["carry"] else
                      max(packs, key=CARRY_TYPES.index) if packs else None),
            "surface": (own["surface"] if own is not None and own["surface"]
                        else SUB_SPORT_SURFACES.get(sub_sport or "")),
            "tags": json.loads(own["tags"]) if own is not None else [],
            "excluded_from_load": bool(own["excluded_from_load"]) if own is not None else False,
            "recorded_sport": own["recorded_sport"] if own is not None else None,
        })
    return pl.DataFrame(rows, schema=CONTEXT_SCHEMA)
