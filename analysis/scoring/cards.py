"""Country cards: everything a country's place in the matrix rests on, one row per indicator.

For each scored country and indicator: the value as measured (with its unit, source and year
where known) or, where it was not measured, the median that stood in for it; the value after
normalisation, the weight, and the contribution to the score (weight over the total weight of
the score's indicators that apply to the country, times the normalised value, so a score's
contributions add up to the score; an indicator that does not apply contributes nothing and is
marked so); then the
country's quadrant with its share of draws and its rank intervals. Keys only: labels, units
and sources are named per language where the cards are shown. After the scored indicators
come the model's context indicators (dimension ``context``: shown, never weighted).
"""

from __future__ import annotations

import pandas as pd

from analysis.scoring.model import (
    SCORES,
    applicable,
    context_indicators,
    indicator_values,
    indicators,
    measured,
    values_used,
)

COUNTRY_COLUMNS = [
    "opportunity",
    "threat",
    "coverage",
    "quadrant",
    "quadrant_share",
    "stable",
    "opportunity_rank_low",
    "opportunity_rank_high",
    "threat_rank_low",
    "threat_rank_high",
]
MEASURED, IMPUTED, NOT_APPLICABLE = "measured", "imputed", "not_applicable"
NOT_MEASURED = "not_measured"  # a context indicator the country has no value of
STATUSES = (MEASURED, IMPUTED, NOT_APPLICABLE, NOT_MEASURED)


def country_cards(table: pd.DataFrame, model: dict, result: pd.DataFrame) -> pd.DataFrame:
    """One row per (country, indicator) of ``table``; ``result`` holds the country's scores,
    quadrant and uncertainty columns on the same index (``COUNTRY_COLUMNS``)."""
    raw = measured(table, model)
    used = values_used(table, model)
    normalised = indicator_values(table, model, model["normalisation"])
    applies = applicable(table, model)
    items = indicators(model)
    rows = []
    for row in table.index:
        totals = {
            d: sum(i.weight for i in items if i.dimension == d and applies.at[row, i.name])
            for d in SCORES
        }
        for order, item in enumerate(items):
            applying = bool(applies.at[row, item.name])
            total = totals[item.dimension]
            share = item.weight / total if applying and total else 0.0
            year = table.at[row, f"{item.name}_year"] if f"{item.name}_year" in table else None
            is_measured = pd.notna(raw.at[row, item.name])
            value = normalised.at[row, item.name]
            status = MEASURED if is_measured else IMPUTED if applying else NOT_APPLICABLE
            rows.append(
                {
                    "iso2": table.at[row, "iso2"],
                    "dimension": item.dimension,
                    "indicator": item.name,
                    "order": order,
                    "raw_value": raw.at[row, item.name],
                    "unit": item.unit,
                    "source": item.source,
                    "year": year if is_measured and pd.notna(year) else None,
                    "value_used": used.at[row, item.name],
                    "status": status,
                    "normalised": value,
                    "weight": item.weight,
                    "weight_share": share,
                    "contribution": share * value if applying else 0.0,
                    **{column: result.at[row, column] for column in COUNTRY_COLUMNS},
                }
            )
        rows += _context_rows(table, model, result, row, len(items))
    frame = pd.DataFrame(rows)
    frame["year"] = pd.to_numeric(frame["year"], errors="coerce").astype("Int64")
    return frame


def _context_rows(
    table: pd.DataFrame, model: dict, result: pd.DataFrame, row, first: int
) -> list[dict]:
    """The country's context indicators (``context:``), after its scored ones: the value as
    measured with its year, or not measured; no weight, no contribution, no imputation."""
    rows = []
    for order, item in enumerate(context_indicators(model), start=first):
        value = table.at[row, item.name] if item.name in table else None
        value = pd.to_numeric(value, errors="coerce")
        year = table.at[row, f"{item.name}_year"] if f"{item.name}_year" in table else None
        present = pd.notna(value)
        rows.append(
            {
                "iso2": table.at[row, "iso2"],
                "dimension": item.dimension,
                "indicator": item.name,
                "order": order,
                "raw_value": float(value) if present else None,
                "unit": item.unit,
                "source": item.source,
                "year": year if present and pd.notna(year) else None,
                "value_used": None,
                "status": MEASURED if present else NOT_MEASURED,
                "normalised": None,
                "weight": 0.0,
                "weight_share": 0.0,
                "contribution": 0.0,
                **{column: result.at[row, column] for column in COUNTRY_COLUMNS},
            }
        )
    return rows
