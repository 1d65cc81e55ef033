"""Threat and opportunity scores per partner country, from ``config/scoring.yaml``.

The same rules for every country: each indicator is normalised over the scored countries,
pointed so that 1 means more (threat or opportunity), and a score is the weighted mean of its
indicators. A missing value takes the median of the countries that have one, and every such
cell is recorded (``imputed_cells``), never hidden. Quadrants cut both scores as declared in
``analysis.scoring.cuts``; a country whose share of measured indicators is below
``quadrants.min_coverage`` is scored but not placed in a quadrant. Nothing here depends on a
country's name or on the order of the rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis.scoring.cuts import cut_values, model_cuts

NORMALISATIONS = ("rank", "minmax", "z")
SCORES = ("opportunity", "threat")
TRANSFORMS = ("log", "capped_log")
ABSOLUTE = ("capped_log",)  # transforms that already give a fixed 0–1 scale: not normalised
NOT_PLACED = "not_placed"


def load_scoring_model(path: Path) -> dict:
    """``config/scoring.yaml``, read in one place, with its indicators and cuts checked."""
    model = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        indicators(model)
        context_indicators(model)
        cuts = model_cuts(model)
        for method in model.get("uncertainty", {}).get("normalisations", []):
            if method not in NORMALISATIONS:
                raise ValueError(f"uncertainty.normalisations: unknown {method!r}")
            for cut in cuts.values():
                cut.centre(method)
    except (KeyError, TypeError) as error:
        raise ValueError(f"{path}: the scoring model lacks {error}") from None
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None
    return model


@dataclass(frozen=True)
class Indicator:
    name: str
    dimension: str
    label: str | dict
    source: str  # a key of the model's ``sources``
    direction: str  # higher | lower
    weight: float
    transform: str | None = None
    unit: str = ""  # a key: count, rate, percent, share, index, flag, estimate
    cap: float | None = None  # capped_log: the count that takes the whole 0–1 scale
    applies_to: tuple[str, ...] = ()  # flag columns; empty: every country


def indicators(model: dict) -> list[Indicator]:
    found = []
    sources = model.get("sources")
    for dimension in SCORES:
        for name, spec in model[dimension].items():
            if spec["direction"] not in {"higher", "lower"}:
                raise ValueError(f"{dimension}.{name}: direction must be 'higher' or 'lower'")
            if spec["weight"] < 0:
                raise ValueError(f"{dimension}.{name}: weights cannot be negative")
            if spec.get("transform") not in (None, *TRANSFORMS):
                raise ValueError(f"{dimension}.{name}: transform must be one of {TRANSFORMS}")
            if sources is not None and spec["source"] not in sources:
                raise ValueError(f"{dimension}.{name}: source {spec['source']!r} not in sources")
            if spec.get("transform") == "capped_log" and not float(spec.get("cap", 0)) > 0:
                raise ValueError(f"{dimension}.{name}: capped_log needs a cap above 0")
            found.append(
                Indicator(
                    name,
                    dimension,
                    spec["label"],
                    spec["source"],
                    spec["direction"],
                    float(spec["weight"]),
                    spec.get("transform"),
                    spec.get("unit", ""),
                    float(spec["cap"]) if "cap" in spec else None,
                    tuple(spec.get("applies_to", ())),
                )
            )
    return found


CONTEXT = "context"


def context_indicators(model: dict) -> list[Indicator]:
    """The indicators the model shows beside the scores (``context:``), on the country cards,
    without weighting them: each with its label, source and unit. Weighting one is a matter of
    moving it under ``opportunity`` or ``threat`` with a direction and a weight."""
    scored = {i.name for i in indicators(model)}
    sources = model.get("sources")
    found = []
    for name, spec in (model.get(CONTEXT) or {}).items():
        if name in scored:
            raise ValueError(f"context.{name}: already a scored indicator; keep it in one place")
        if sources is not None and spec["source"] not in sources:
            raise ValueError(f"context.{name}: source {spec['source']!r} not in sources")
        found.append(
            Indicator(
                name,
                CONTEXT,
                spec["label"],
                spec["source"],
                "higher",
                0.0,
                None,
                spec.get("unit", ""),
            )
        )
    return found


def normalise(values: pd.Series, method: str) -> pd.Series:
    """0–1 over the countries present.

    rank: position among the countries; minmax: linear between the lowest and highest; z: the
    standard score through the normal distribution function, so outliers weigh less. An
    indicator on which all countries are equal tells nothing apart and gives every country the
    same value: 0 under rank and minmax (a flat 0.5 would shift every country against fixed
    quadrant cuts), and under z the value of a country at the mean, 0.5. Under z even the
    lowest country of an unequal indicator gets more than 0, so 0 for equal countries would
    let a country's score fall when it becomes as bad as the others.
    """
    if method not in NORMALISATIONS:
        raise ValueError(f"normalisation must be one of {NORMALISATIONS}")
    if values.nunique() <= 1:
        return pd.Series(0.5 if method == "z" else 0.0, index=values.index)
    if method == "rank":
        return (values.rank(method="average") - 1) / (len(values) - 1)
    if method == "minmax":
        return (values - values.min()) / (values.max() - values.min())
    z = (values - values.mean()) / values.std(ddof=0)
    return z.map(lambda v: 0.5 * (1 + math.erf(v / math.sqrt(2))))


def applicable(table: pd.DataFrame, model: dict) -> pd.DataFrame:
    """Where each indicator applies: everywhere, or (``applies_to``) where any of the named
    flag columns is true. An indicator that does not apply to a country is neither measured nor
    imputed there: it is left out of that country's score, whose other weights share its
    weight."""
    columns = {}
    for item in indicators(model):
        if item.applies_to:
            flags = table[list(item.applies_to)].fillna(False).astype(bool)
            columns[item.name] = flags.any(axis=1)
        else:
            columns[item.name] = pd.Series(True, index=table.index)
    return pd.DataFrame(columns, index=table.index)


def measured(table: pd.DataFrame, model: dict) -> pd.DataFrame:
    """Each indicator's values as given (numbers; missing where not measured or where the
    indicator does not apply)."""
    raw = pd.DataFrame(
        {
            item.name: pd.to_numeric(table[item.name], errors="coerce").astype(float)
            for item in indicators(model)
        },
        index=table.index,
    )
    return raw.where(applicable(table, model))


def values_used(table: pd.DataFrame, model: dict) -> pd.DataFrame:
    """The values the scores rest on: measured ones as given, missing ones replaced by the
    median of the countries that have a value (``imputed_cells`` lists each of them); missing
    still where the indicator does not apply."""
    raw = measured(table, model)
    return raw.fillna(raw.median()).where(applicable(table, model))


def imputed_cells(table: pd.DataFrame, model: dict) -> pd.DataFrame:
    """Every cell where a missing value was replaced by the indicator's median: the row of
    ``table`` (``row``), the indicator, its score, the value used and how many countries the
    median was taken over."""
    raw = measured(table, model)
    filled = values_used(table, model)
    applies = applicable(table, model)
    rows = [
        {
            "row": row,
            "indicator": item.name,
            "dimension": item.dimension,
            "value_used": float(filled.at[row, item.name]),
            "median_of": int(raw[item.name].notna().sum()),
        }
        for item in indicators(model)
        for row in raw.index[raw[item.name].isna() & applies[item.name]]
    ]
    columns = ["row", "indicator", "dimension", "value_used", "median_of"]
    return pd.DataFrame(rows, columns=columns)


def transformed(values: pd.Series, item: Indicator) -> pd.Series:
    """The declared transform of one indicator's values. ``log``: log(1 + x), from 0;
    ``capped_log``: log(1 + x) over log(1 + cap), x held between 0 and the cap, which is
    already a fixed 0–1 scale (one match of a screening list counts log 2 / log 6 = 0.39 of
    the indicator with a cap of 5, not all of it as a min–max over mostly zeros would)."""
    if item.transform == "log":
        return np.log1p(values.clip(lower=0))
    if item.transform == "capped_log":
        return np.log1p(values.clip(lower=0, upper=item.cap)) / math.log1p(item.cap)
    return values


def indicator_values(table: pd.DataFrame, model: dict, method: str) -> pd.DataFrame:
    """Each indicator as 0–1 pointed so that 1 means more of its dimension, normalised over
    the countries it applies to (missing elsewhere). An indicator on a fixed scale
    (``capped_log``) is not normalised again."""
    used = values_used(table, model)
    columns = {}
    for item in indicators(model):
        raw = transformed(used[item.name], item).dropna()
        if item.transform in ABSOLUTE:
            values = raw if item.direction == "higher" else 1 - raw
        else:
            if item.direction == "lower":
                raw = -raw  # point it so that more means more threat (or opportunity)
            values = normalise(raw, method) if len(raw) else raw
        columns[item.name] = values.reindex(table.index)
    return pd.DataFrame(columns, index=table.index)


def coverage(table: pd.DataFrame, model: dict) -> pd.Series:
    """The share of the indicators that apply to a country that were measured for it."""
    applies = applicable(table, model)
    return measured(table, model).notna().sum(axis=1) / applies.sum(axis=1).clip(lower=1)


def weighted_mean(values: np.ndarray, applies: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Rows of ``values`` (countries × indicators) averaged with ``weights`` over the
    indicators that apply (``applies``); a row with none applying scores 0."""
    total = applies.astype(float) @ weights
    summed = np.where(applies, np.nan_to_num(values), 0.0) @ weights
    return np.divide(summed, total, out=np.zeros_like(summed, dtype=float), where=total > 0)


def score(
    table: pd.DataFrame,
    model: dict,
    method: str | None = None,
    weights: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Opportunity and threat scores (0–1) and ranks for the rows of ``table``."""
    method = method or model["normalisation"]
    values = indicator_values(table, model, method)
    applies = applicable(table, model)
    result = pd.DataFrame(index=table.index)
    for dimension in SCORES:
        items = [i for i in indicators(model) if i.dimension == dimension]
        w = np.array([(weights or {}).get(i.name, i.weight) for i in items])
        names = [i.name for i in items]
        result[dimension] = weighted_mean(values[names].to_numpy(), applies[names].to_numpy(), w)
        result[f"{dimension}_rank"] = result[dimension].rank(ascending=False, method="min")
    result["coverage"] = coverage(table, model)
    return result


QUADRANT_KEYS = (
    "high_opportunity_low_threat",
    "high_opportunity_high_threat",
    "low_opportunity_low_threat",
    "low_opportunity_high_threat",
)


def placed(scores: pd.DataFrame, model: dict) -> pd.Series:
    """Countries measured on enough indicators to be placed in a quadrant."""
    return scores["coverage"] >= float(model["quadrants"].get("min_coverage", 0))


def quadrant_cuts(scores: pd.DataFrame, model: dict, method: str | None = None) -> dict[str, float]:
    """The published cut of each score: a quantile over the placed countries' scores, or the
    level declared for the normalisation ``method`` (by default the model's)."""
    method = method or model["normalisation"]
    inside = placed(scores, model)
    return {
        dimension: float(
            cut_values(
                cut, scores.loc[inside, dimension].to_numpy()[None, :], np.zeros(1), [method]
            )[0]
        )
        for dimension, cut in model_cuts(model).items()
    }


def quadrant_codes(high_opportunity: np.ndarray, high_threat: np.ndarray) -> np.ndarray:
    """Positions in ``QUADRANT_KEYS`` of each (high opportunity, high threat) pair."""
    return (1 - high_opportunity.astype(int)) * 2 + high_threat.astype(int)


def quadrant_keys(scores: pd.DataFrame, model: dict, method: str | None = None) -> pd.Series:
    """The quadrant of each country as a key that does not depend on the report language;
    ``not_placed`` for a country measured on too few indicators."""
    cuts = quadrant_cuts(scores, model, method)
    codes = quadrant_codes(
        (scores["opportunity"] >= cuts["opportunity"]).to_numpy(),
        (scores["threat"] >= cuts["threat"]).to_numpy(),
    )
    keys = np.array(QUADRANT_KEYS)[codes]
    return pd.Series(np.where(placed(scores, model), keys, NOT_PLACED), index=scores.index)


def perception_indicators(model: dict) -> list[Indicator]:
    """The scored indicators that are perceptions (from a source in ``perception_sources``,
    e.g. the survey), not measured evidence."""
    sources = set(model.get("perception_sources") or [])
    return [i for i in indicators(model) if i.source in sources]


def measured_evidence_model(model: dict) -> dict:
    """The model without its perception indicators: the same scores on measured evidence only
    (the others keep their weights, which the weighted mean shares out again)."""
    left_out = {(i.dimension, i.name) for i in perception_indicators(model)}
    reduced = dict(model)
    for dimension in SCORES:
        reduced[dimension] = {
            name: spec
            for name, spec in model[dimension].items()
            if (dimension, name) not in left_out
        }
    return reduced


def measured_evidence(table: pd.DataFrame, model: dict) -> pd.DataFrame:
    """Scores and quadrant of every country on measured evidence only, cut as the published
    ones are (same rules, over these scores): ``opportunity_measured_only``,
    ``threat_measured_only``, ``quadrant_measured_only`` and ``coverage_measured_only``."""
    reduced = measured_evidence_model(model)
    scores = score(table, reduced)
    return pd.DataFrame(
        {
            "opportunity_measured_only": scores["opportunity"],
            "threat_measured_only": scores["threat"],
            "quadrant_measured_only": quadrant_keys(scores, reduced),
            "coverage_measured_only": scores["coverage"],
        },
        index=table.index,
    )


def spearman(a: pd.Series, b: pd.Series) -> float:
    """Spearman's rank correlation: Pearson's on average ranks (ties shared)."""
    return float(a.rank(method="average").corr(b.rank(method="average")))
