"""Threat and opportunity scores per partner country, from ``config/scoring.yaml``.

The same rules for every country: each indicator is normalised over the scored countries,
pointed so that 1 means more (threat or opportunity), missing values take the indicator's
median, and a score is the weighted mean of its indicators. Quadrants cut both scores at the
configured points. Nothing here depends on a country's name or on the order of the rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

NORMALISATIONS = ("rank", "minmax", "z")
SCORES = ("opportunity", "threat")


def load_scoring_model(path: Path) -> dict:
    """``config/scoring.yaml``, read in one place, with its indicators checked."""
    model = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        indicators(model)
    except (KeyError, TypeError) as error:
        raise ValueError(f"{path}: the scoring model lacks {error}") from None
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None
    return model


@dataclass(frozen=True)
class Indicator:
    name: str
    dimension: str
    label: str
    source: str
    direction: str  # higher | lower
    weight: float
    transform: str | None = None


def indicators(model: dict) -> list[Indicator]:
    found = []
    for dimension in SCORES:
        for name, spec in model[dimension].items():
            if spec["direction"] not in {"higher", "lower"}:
                raise ValueError(f"{dimension}.{name}: direction must be 'higher' or 'lower'")
            if spec["weight"] < 0:
                raise ValueError(f"{dimension}.{name}: weights cannot be negative")
            found.append(
                Indicator(
                    name,
                    dimension,
                    spec["label"],
                    spec["source"],
                    spec["direction"],
                    float(spec["weight"]),
                    spec.get("transform"),
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


def indicator_values(table: pd.DataFrame, model: dict, method: str) -> pd.DataFrame:
    """Each indicator as 0–1 pointed so that 1 means more of its dimension."""
    columns = {}
    for item in indicators(model):
        raw = pd.to_numeric(table[item.name], errors="coerce").astype(float)
        if item.transform == "log":
            raw = np.log1p(raw.clip(lower=0))
        raw = raw.fillna(raw.median())
        if item.direction == "lower":
            raw = -raw  # point it so that more means more threat (or opportunity)
        columns[item.name] = normalise(raw, method)
    return pd.DataFrame(columns, index=table.index)


def score(
    table: pd.DataFrame,
    model: dict,
    method: str | None = None,
    weights: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Opportunity and threat scores (0–1) and ranks for the rows of ``table``."""
    method = method or model["normalisation"]
    values = indicator_values(table, model, method)
    result = pd.DataFrame(index=table.index)
    for dimension in SCORES:
        items = [i for i in indicators(model) if i.dimension == dimension]
        w = np.array([(weights or {}).get(i.name, i.weight) for i in items])
        result[dimension] = values[[i.name for i in items]].to_numpy() @ w / w.sum()
        result[f"{dimension}_rank"] = result[dimension].rank(ascending=False, method="min")
    coverage = table[[i.name for i in indicators(model)]].notna().mean(axis=1)
    result["coverage"] = coverage
    return result


QUADRANT_KEYS = (
    "high_opportunity_low_threat",
    "high_opportunity_high_threat",
    "low_opportunity_low_threat",
    "low_opportunity_high_threat",
)


def quadrant_cuts(scores: pd.DataFrame, model: dict) -> dict[str, float]:
    """Where each score is cut: a configured level, or the median over the scored countries."""
    cuts = {}
    for dimension in SCORES:
        cut = model["quadrants"][f"{dimension}_cut"]
        cuts[dimension] = scores[dimension].median() if cut == "median" else float(cut)
    return cuts


def quadrant_keys(scores: pd.DataFrame, model: dict) -> pd.Series:
    """The quadrant of each country as a key that does not depend on the report language."""
    cuts = quadrant_cuts(scores, model)
    high_opportunity = scores["opportunity"] >= cuts["opportunity"]
    high_threat = scores["threat"] >= cuts["threat"]
    key = np.select(
        [
            high_opportunity & ~high_threat,
            high_opportunity & high_threat,
            ~high_opportunity & ~high_threat,
        ],
        [
            "high_opportunity_low_threat",
            "high_opportunity_high_threat",
            "low_opportunity_low_threat",
        ],
        "low_opportunity_high_threat",
    )
    return pd.Series(key, index=scores.index)


def spearman(a: pd.Series, b: pd.Series) -> float:
    """Spearman's rank correlation: Pearson's on average ranks (ties shared)."""
    return float(a.rank(method="average").corr(b.rank(method="average")))


def sensitivity(table: pd.DataFrame, model: dict) -> pd.DataFrame:
    """How stable the ranks and quadrants are: random weights (±p) and other normalisations."""
    base = score(table, model)
    base_quadrants = quadrant_keys(base, model)
    rng = np.random.default_rng(model["sensitivity"]["seed"])
    spread = model["sensitivity"]["weight_perturbation"]
    rows = []

    def compare(label: str, other: pd.DataFrame) -> None:
        moved = (quadrant_keys(other, model) != base_quadrants).mean()
        for dimension in SCORES:
            rho = spearman(base[dimension], other[dimension])
            rows.append(
                {
                    "variant": label,
                    "score": dimension,
                    "spearman": float(rho),
                    "share_changing_quadrant": float(moved),
                }
            )

    for draw in range(int(model["sensitivity"]["draws"])):
        weights = {
            i.name: i.weight * rng.uniform(1 - spread, 1 + spread) for i in indicators(model)
        }
        compare(f"weights ±{spread:.0%} #{draw + 1}", score(table, model, weights=weights))
    for method in NORMALISATIONS:
        if method != model["normalisation"]:
            compare(f"normalisation: {method}", score(table, model, method=method))
    return pd.DataFrame(rows)


def summarise_sensitivity(runs: pd.DataFrame) -> pd.DataFrame:
    weights = runs[runs["variant"].str.startswith("weights")]
    summary = [
        {
            "variant": "random weights (all draws)",
            "score": dimension,
            "spearman_median": part["spearman"].median(),
            "spearman_min": part["spearman"].min(),
            "share_changing_quadrant_median": part["share_changing_quadrant"].median(),
        }
        for dimension, part in weights.groupby("score")
    ]
    for row in runs[runs["variant"].str.startswith("normalisation")].itertuples():
        summary.append(
            {
                "variant": row.variant,
                "score": row.score,
                "spearman_median": row.spearman,
                "spearman_min": row.spearman,
                "share_changing_quadrant_median": row.share_changing_quadrant,
            }
        )
    return pd.DataFrame(summary)
