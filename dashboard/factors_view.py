"""The factor analysis for people: JSON rows, a terminal table, page rows and the top three
(docs/methods.md section 11.4). Numbers appear only where a factor has enough data."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from analytics.factors import top_factors

#: ``strideload factors --format json`` fields, in order.
JSON_COLUMNS = ("rank", "factor", "label", "kind", "lag_days", "exposed_days", "unexposed_days",
                "rated_days", "effect", "effect_adjusted", "ci_low", "ci_high",
                "ci_adjusted_low", "ci_adjusted_high", "unit", "p_value", "q_value",
                "enough_data", "related", "load_difference_pct", "load_correlation",
                "confounding", "text")
#: Source and grade of the method, shown with every listing.
METHOD_NOTE = ("Method: each factor against your pain 1 and 2 days later (yes/no: with minus "
               "without; numbers: per unit), also adjusted for that day's load; 95 % CI from a "
               "7-day block bootstrap (Tang & Landes 2020 PLoS ONE) [V] read with t(blocks - "
               "1) [P]; Benjamini-Hochberg over every factor and lag shown [V]; factors and "
               "thresholds are ours [H] (docs/methods.md section 11.4). Associations in your "
               "data, never causes.")
NO_FACTORS = "No factor is clearly related to your pain in your data yet."


def factor_json(ranked: pl.DataFrame) -> list[dict[str, object]]:
    """Rows of :func:`analytics.factors.factor_associations` for JSON (rounded)."""
    floats = [c for c in JSON_COLUMNS if ranked.schema.get(c) == pl.Float64]
    return ranked.with_columns(pl.col(floats).round(4)).select(JSON_COLUMNS).to_dicts()


def _days(row: dict) -> str:
    if row["kind"] == "binary":
        return f"{row['exposed_days'] or 0} / {row['unexposed_days'] or 0}"
    return str(row["rated_days"])


def _effect(row: dict, key: str, low: str, high: str) -> str:
    if row[key] is None or row[low] is None:
        return ""
    return f"{row[key]:+.2f} ({row[low]:+.2f} to {row[high]:+.2f})"


def factor_display(ranked: pl.DataFrame) -> pl.DataFrame:
    """One text row per factor and lag for a terminal or page table: no number without enough
    data (the status is shown instead)."""
    rows = []
    for row in ranked.iter_rows(named=True):
        enough = row["enough_data"]
        rows.append({
            "rank": str(row["rank"]),
            "factor": row["label"],
            "pain after": f"{row['lag_days']} d",
            "days with / without": _days(row),
            "effect (95 % CI)": _effect(row, "effect", "ci_low", "ci_high") if enough
            else row["status"],
            "adjusted for load": _effect(row, "effect_adjusted", "ci_adjusted_low",
                                         "ci_adjusted_high") if enough else "",
            "q": f"{row['q_value']:.3f}" if enough and row["q_value"] is not None else "",
            "related": "yes" if row["related"] else "",
        })
    return pl.DataFrame(rows, schema={k: pl.String for k in rows[0]}) if rows else \
        pl.DataFrame()


def top_three(ranked: pl.DataFrame) -> list[str]:
    """Sentences of the three strongest related factors (one per factor), or a line saying
    there is none."""
    top = top_factors(ranked, 3)
    return list(top["text"]) if top.height else [NO_FACTORS]


def experiment_lever(factor: str, shoe_ids: Mapping[str, int]) -> str | None:
    """The lever of ``strideload experiment start`` that tests a yes/no factor, if it switches
    on and off quickly: carry_vest -> carry:vest, no_warmup -> warmup, shoes_<name> ->
    shoes:<gear id>, surface_<name> -> surface:<name>; None for the others.

    >>> experiment_lever("carry_vest", {}), experiment_lever("shoes_Ghost 15", {"Ghost 15": 3})
    ('carry:vest', 'shoes:3')
    """
    kind, _, value = factor.partition("_")
    if factor == "no_warmup":
        return "warmup"
    if kind in ("carry", "surface") and value:
        return f"{kind}:{value}"
    if kind == "shoes" and value in shoe_ids:
        return f"shoes:{shoe_ids[value]}"
    return None
