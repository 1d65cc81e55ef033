"""Country cards: everything a country's class rests on, one row per indicator.

For each scored country and indicator: the value as measured (with its unit, source and year
where known); for a censored value its bounds (``value_low``, ``value_high``: named by fewer
than min_cell respondents) with status ``censored``; for a value not measured, status
``not_measured`` and the whole scale as its interval. Then the value on 0–100 between the
goalposts (``normalised``, the centre of ``normalised_low`` … ``normalised_high``), the weight,
and the contribution to the score (weight over the total weight of the score's indicators that
apply to the country, times the normalised centre, so a score's contributions add up to its
published centre); an indicator that does not apply contributes nothing and is marked so. Then
the country's class with its share of draws and intervals. Keys only: labels, units and
sources are named per language where the cards are shown. After the scored indicators come the
exposure indicators (dimension ``exposure``) and the model's context indicators (dimension
``context``: shown, never weighted).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.scoring.model import (
    CENSORED,
    MEASURED,
    NOT_APPLICABLE,
    NOT_MEASURED,
    context_indicators,
    evidence,
    measured,
    scaled_bounds,
)

COUNTRY_COLUMNS = [
    "opportunity",
    "threat",
    "exposure",
    "coverage",
    "quadrant",
    "quadrant_share",
    "stable",
    "depends_on",
    "opportunity_rank_low",
    "opportunity_rank_high",
    "threat_rank_low",
    "threat_rank_high",
]
STATUSES = (MEASURED, CENSORED, NOT_MEASURED, NOT_APPLICABLE)


def country_cards(table: pd.DataFrame, model: dict, result: pd.DataFrame) -> pd.DataFrame:
    """One row per (country, indicator) of ``table``; ``result`` holds the country's scores,
    class and uncertainty columns on the same index (``COUNTRY_COLUMNS``)."""
    ev = evidence(table, model)
    low, high = scaled_bounds(ev)
    raw = measured(table, model)
    rows = []
    for c, row in enumerate(table.index):
        totals = {
            d: sum(
                i.weight for j, i in enumerate(ev.items) if i.dimension == d and ev.applies[c, j]
            )
            for d in {i.dimension for i in ev.items}
        }
        for j, item in enumerate(ev.items):
            applying = bool(ev.applies[c, j])
            total = totals[item.dimension]
            share = item.weight / total if applying and total else 0.0
            status = ev.status[c, j]
            year = table.at[row, f"{item.name}_year"] if f"{item.name}_year" in table else None
            centre = (low[c, j] + high[c, j]) / 2 if applying else np.nan
            censored = status == CENSORED
            rows.append(
                {
                    "iso2": table.at[row, "iso2"],
                    "dimension": item.dimension,
                    "indicator": item.name,
                    "order": j,
                    "raw_value": raw.at[row, item.name],
                    "value_low": _bound(table, row, f"{item.name}_low", 0.0)
                    if censored
                    else np.nan,
                    "value_high": _bound(table, row, f"{item.name}_high", np.nan)
                    if censored
                    else np.nan,
                    "unit": item.unit,
                    "source": item.source,
                    "year": year if status == MEASURED and pd.notna(year) else None,
                    "status": status,
                    "normalised": centre,
                    "normalised_low": low[c, j] if applying else np.nan,
                    "normalised_high": high[c, j] if applying else np.nan,
                    "weight": item.weight,
                    "weight_share": share,
                    "contribution": share * centre if applying else 0.0,
                    **{column: result.at[row, column] for column in COUNTRY_COLUMNS},
                }
            )
        rows += _context_rows(table, model, result, row, len(ev.items))
    frame = pd.DataFrame(rows)
    frame["year"] = pd.to_numeric(frame["year"], errors="coerce").astype("Int64")
    return frame


def _bound(table: pd.DataFrame, row, column: str, default: float) -> float:
    """A censored cell's bound as the table gives it; the lower one is 0 when not given."""
    if column not in table or pd.isna(table.at[row, column]):
        return default
    return float(table.at[row, column])


def _context_rows(
    table: pd.DataFrame, model: dict, result: pd.DataFrame, row, first: int
) -> list[dict]:
    """The country's context indicators (``context:``), after its scored ones: the value as
    measured with its year, or not measured; no weight, no contribution."""
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
                "value_low": np.nan,
                "value_high": np.nan,
                "unit": item.unit,
                "source": item.source,
                "year": year if present and pd.notna(year) else None,
                "status": MEASURED if present else NOT_MEASURED,
                "normalised": None,
                "normalised_low": None,
                "normalised_high": None,
                "weight": 0.0,
                "weight_share": 0.0,
                "contribution": 0.0,
                **{column: result.at[row, column] for column in COUNTRY_COLUMNS},
            }
        )
    return rows
