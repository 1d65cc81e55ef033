"""Country cards: everything a country's place in the matrix rests on, one row per indicator.

For each scored country and indicator: the value as measured (with its unit, source and year
where known) or, where it was not measured, the median that stood in for it; the value after
normalisation, the weight, and the contribution to the score (weight over the score's total
weight, times the normalised value, so a score's contributions add up to the score); then the
country's quadrant with its share of draws and its rank intervals. Keys only: labels, units
and sources are named per language where the cards are shown.
"""

from __future__ import annotations

import pandas as pd

from analysis.scoring.model import SCORES, indicator_values, indicators, measured, values_used

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
MEASURED, IMPUTED = "measured", "imputed"


def country_cards(table: pd.DataFrame, model: dict, result: pd.DataFrame) -> pd.DataFrame:
    """One row per (country, indicator) of ``table``; ``result`` holds the country's scores,
    quadrant and uncertainty columns on the same index (``COUNTRY_COLUMNS``)."""
    raw = measured(table, model)
    used = values_used(table, model)
    normalised = indicator_values(table, model, model["normalisation"])
    items = indicators(model)
    totals = {d: sum(i.weight for i in items if i.dimension == d) for d in SCORES}
    rows = []
    for row in table.index:
        for order, item in enumerate(items):
            share = item.weight / totals[item.dimension] if totals[item.dimension] else 0.0
            year = table.at[row, f"{item.name}_year"] if f"{item.name}_year" in table else None
            is_measured = pd.notna(raw.at[row, item.name])
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
                    "status": MEASURED if is_measured else IMPUTED,
                    "normalised": normalised.at[row, item.name],
                    "weight": item.weight,
                    "weight_share": share,
                    "contribution": share * normalised.at[row, item.name],
                    **{column: result.at[row, column] for column in COUNTRY_COLUMNS},
                }
            )
    frame = pd.DataFrame(rows)
    frame["year"] = pd.to_numeric(frame["year"], errors="coerce").astype("Int64")
    return frame
