"""How firmly each country sits in its quadrant: one joint analysis of the declared uncertainty.

Every draw changes all of the following at once, as declared in ``config/scoring.yaml``
(``uncertainty``):

- the weights, each multiplied by a factor drawn between 1 - p and 1 + p;
- in a declared share of the draws, one indicator (drawn at random) is left out;
- the normalisation, the declared ones in turn (each an equal share of the draws);
- both cuts, moved within their declared spread (``analysis.scoring.cuts``), so that a cut
  means the same under each normalisation.

Draws come in blocks of four that share everything except the signs of the two cut offsets
(+ +, + -, - +, - -). With the weights and the normalisation fixed, the published side of a cut
then holds in at least half of the draws for every country, so the published quadrant always
has the largest share of draws; what moves a country beyond that is the evidence, not noise.

Per country the analysis gives the share of draws in each quadrant, the 5th-95th percentile of
its rank on each score, and whether it is stable (in its published quadrant in at least
``stable_share`` of the draws). The same machinery, one source of uncertainty at a time, gives
the sensitivity table. Everything is arrays: draws × countries, no loop over draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.scoring.cuts import Cut, cut_values, model_cuts
from analysis.scoring.model import (
    NOT_PLACED,
    QUADRANT_KEYS,
    SCORES,
    applicable,
    coverage,
    indicator_values,
    indicators,
    quadrant_codes,
)

DEFAULTS = {
    "draws": 2000,
    "seed": 0,
    "weight_perturbation": 0.0,
    "leave_one_out_share": 0.0,
    "stable_share": 0.8,
    "interval": [0.05, 0.95],
}
SIGNS = np.array([[1, 1], [1, -1], [-1, 1], [-1, -1]])


def settings(model: dict) -> dict:
    """The model's ``uncertainty`` section with defaults; the configured normalisation first."""
    found = {**DEFAULTS, **model.get("uncertainty", {})}
    methods = list(found.get("normalisations") or [model["normalisation"]])
    if model["normalisation"] not in methods:
        methods.insert(0, model["normalisation"])
    found["normalisations"] = [model["normalisation"]] + [
        m for m in methods if m != model["normalisation"]
    ]
    if not 0 <= float(found["weight_perturbation"]) < 1:
        raise ValueError("uncertainty.weight_perturbation must be in [0, 1)")
    if not 0 <= float(found["leave_one_out_share"]) <= 1:
        raise ValueError("uncertainty.leave_one_out_share must be in [0, 1]")
    return found


@dataclass(frozen=True)
class Inputs:
    """What every draw starts from: the normalised indicators under each normalisation."""

    values: dict[str, np.ndarray]  # normalisation -> countries × indicators (0 where n/a)
    applies: np.ndarray  # countries × indicators: the indicator applies to the country
    dimension: np.ndarray  # indicators: 0 opportunity, 1 threat
    weights: np.ndarray  # indicators: the configured weights
    placed: np.ndarray  # countries: measured enough to be placed
    cuts: dict[str, Cut]
    names: tuple[str, ...]  # indicators

    @property
    def countries(self) -> int:
        return len(self.placed)


def prepare(table: pd.DataFrame, model: dict) -> Inputs:
    items = indicators(model)
    names = tuple(i.name for i in items)
    return Inputs(
        values={
            method: np.nan_to_num(indicator_values(table, model, method)[list(names)].to_numpy())
            for method in settings(model)["normalisations"]
        },
        applies=applicable(table, model)[list(names)].to_numpy(),
        dimension=np.array([SCORES.index(i.dimension) for i in items]),
        weights=np.array([i.weight for i in items]),
        placed=(
            coverage(table, model) >= float(model["quadrants"].get("min_coverage", 0))
        ).to_numpy(),
        cuts=model_cuts(model),
        names=names,
    )


@dataclass(frozen=True)
class Design:
    """The draws: a normalisation, weights and two cut offsets for each."""

    methods: tuple[str, ...]
    method: np.ndarray  # draws: index into ``methods``
    weights: np.ndarray  # draws × indicators
    offsets: np.ndarray  # draws × 2 (opportunity, threat)

    def __len__(self) -> int:
        return len(self.method)


@dataclass(frozen=True)
class Draws:
    opportunity: np.ndarray  # draws × countries
    threat: np.ndarray
    quadrant: np.ndarray  # positions in QUADRANT_KEYS


def run(inputs: Inputs, design: Design) -> Draws:
    """Scores and quadrants of every country in every draw."""
    count = len(design)
    scores = {d: np.empty((count, inputs.countries)) for d in SCORES}
    for index, method in enumerate(design.methods):
        rows = design.method == index
        if not rows.any():
            continue
        values = inputs.values[method]
        for position, dimension in enumerate(SCORES):
            columns = inputs.dimension == position
            # The weighted mean over the indicators that apply to each country.
            weights = design.weights[rows][:, columns]
            applies = inputs.applies[:, columns].astype(float)
            total = weights @ applies.T
            summed = weights @ (values[:, columns] * applies).T
            scores[dimension][rows] = np.divide(
                summed, total, out=np.zeros_like(summed), where=total > 0
            )
    methods = [design.methods[i] for i in design.method]
    high = {}
    for position, dimension in enumerate(SCORES):
        cut = cut_values(
            inputs.cuts[dimension],
            scores[dimension][:, inputs.placed],
            design.offsets[:, position],
            methods,
        )
        high[dimension] = scores[dimension] >= cut[:, None]
    quadrant = quadrant_codes(high["opportunity"], high["threat"])
    return Draws(scores["opportunity"], scores["threat"], quadrant)


def _design(inputs: Inputs, methods, method, weights, offsets) -> Design:
    return Design(tuple(methods), np.asarray(method), np.asarray(weights), np.asarray(offsets))


def central(inputs: Inputs, method: str) -> Design:
    """One draw: the configured weights and cuts under normalisation ``method``."""
    return _design(inputs, [method], [0], inputs.weights[None, :], np.zeros((1, 2)))


def _spreads(inputs: Inputs) -> np.ndarray:
    return np.array([inputs.cuts[d].spread for d in SCORES])


def _leave_out_candidates(inputs: Inputs) -> np.ndarray:
    """Indicators that can be left out: weighted, in a score with another weighted one."""
    weighted = inputs.weights > 0
    per_score = np.bincount(inputs.dimension[weighted], minlength=len(SCORES))
    return np.flatnonzero(weighted & (per_score[inputs.dimension] >= 2))


def joint(
    inputs: Inputs,
    config: dict,
    *,
    vary=("weights", "leave_out", "methods", "cuts"),
    seed_offset: int = 0,
) -> Design:
    """``config['draws']`` draws (rounded up to blocks of four) varying the sources in
    ``vary`` together; the sources not named stay as configured."""
    blocks = max(1, math.ceil(int(config["draws"]) / 4))
    rng = np.random.default_rng([int(config["seed"]), seed_offset])
    count = len(inputs.weights)
    methods = config["normalisations"] if "methods" in vary else config["normalisations"][:1]
    method = np.arange(blocks) % len(methods)
    spread = float(config["weight_perturbation"]) if "weights" in vary else 0.0
    weights = inputs.weights * rng.uniform(1 - spread, 1 + spread, size=(blocks, count))
    candidates = _leave_out_candidates(inputs)
    if "leave_out" in vary and len(candidates):
        leave = rng.random(blocks) < float(config["leave_one_out_share"])
        dropped = rng.choice(candidates, size=blocks)
        weights[leave, dropped[leave]] = 0.0
    magnitude = rng.uniform(0, 1, size=(blocks, 2)) * _spreads(inputs)
    if "cuts" not in vary:
        magnitude[:] = 0.0
    offsets = np.repeat(magnitude, 4, axis=0) * np.tile(SIGNS, (blocks, 1))
    return _design(
        inputs,
        methods,
        np.repeat(method, 4),
        np.repeat(weights, 4, axis=0),
        offsets,
    )


def ranks(scores: np.ndarray) -> np.ndarray:
    """1 for the highest score of each draw; ties share the best rank (as pandas' "min")."""
    return (scores[:, None, :] > scores[:, :, None]).sum(axis=2) + 1


def _average_ranks(scores: np.ndarray) -> np.ndarray:
    below = (scores[:, None, :] < scores[:, :, None]).sum(axis=2)
    equal = (scores[:, None, :] == scores[:, :, None]).sum(axis=2)
    return below + (equal + 1) / 2


def spearman_rows(scores: np.ndarray, published: np.ndarray) -> np.ndarray:
    """Spearman's rank correlation of each draw with the published scores."""
    a = _average_ranks(scores)
    b = _average_ranks(published[None, :])
    a = a - a.mean(axis=1, keepdims=True)
    b = b - b.mean(axis=1, keepdims=True)
    denominator = np.sqrt((a**2).sum(axis=1) * (b**2).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, (a * b).sum(axis=1) / denominator, np.nan)


@dataclass
class Assessment:
    """The published classification and how firmly it holds."""

    countries: pd.DataFrame  # one row per country of the table, in its order
    sensitivity: pd.DataFrame  # one row per source of uncertainty and score
    draws: int
    stable_share: float


def _published_keys(inputs: Inputs, codes: np.ndarray) -> np.ndarray:
    return np.where(inputs.placed, np.array(QUADRANT_KEYS)[codes], NOT_PLACED)


def country_summary(inputs: Inputs, draws: Draws, published: Draws, config: dict) -> pd.DataFrame:
    """Per country: the share of draws in each quadrant, the share in the published one,
    the rank interval on each score and the stability flag."""
    low, high = (float(q) for q in config["interval"])
    frame = pd.DataFrame({"quadrant": _published_keys(inputs, published.quadrant[0])})
    for position, key in enumerate(QUADRANT_KEYS):
        frame[f"share_{key}"] = np.where(
            inputs.placed, (draws.quadrant == position).mean(axis=0), np.nan
        )
    in_published = (draws.quadrant == published.quadrant[0][None, :]).mean(axis=0)
    frame["quadrant_share"] = np.where(inputs.placed, in_published, np.nan)
    for dimension in SCORES:
        ranked = ranks(getattr(draws, dimension))
        frame[f"{dimension}_rank_low"] = np.quantile(ranked, low, axis=0, method="lower")
        frame[f"{dimension}_rank_high"] = np.quantile(ranked, high, axis=0, method="higher")
    frame["stable"] = inputs.placed & (in_published >= float(config["stable_share"]))
    return frame


def _variants(inputs: Inputs, config: dict) -> list[tuple[str, Design]]:
    """The joint design and each source of uncertainty on its own."""
    found = [
        ("joint", joint(inputs, config)),
        ("weights", joint(inputs, config, vary=("weights",), seed_offset=1)),
        ("cuts", joint(inputs, config, vary=("cuts",), seed_offset=2)),
    ]
    for index in _leave_out_candidates(inputs):
        weights = inputs.weights.copy()
        weights[index] = 0.0
        found.append(
            (
                f"leave_out:{inputs.names[index]}",
                _design(
                    inputs, config["normalisations"][:1], [0], weights[None, :], np.zeros((1, 2))
                ),
            )
        )
    for method in config["normalisations"][1:]:
        found.append((f"normalisation:{method}", central(inputs, method)))
    return found


def _finite(summary, values: np.ndarray) -> float:
    """``summary`` of the defined values; NaN when no draw defines one (all scores equal)."""
    return float(summary(values)) if np.isfinite(values).any() else float("nan")


def sensitivity_by_source(
    inputs: Inputs, published: Draws, config: dict, keys: list[str], joint_draws: Draws
) -> pd.DataFrame:
    """For each source of uncertainty (and all together): the rank correlation with the
    published scores, the share of placed countries changing quadrant, and which countries
    leave their quadrant in more than ``1 - stable_share`` of that source's draws."""
    rows = []
    placed = inputs.placed
    limit = 1 - float(config["stable_share"])
    for variant, design in _variants(inputs, config):
        draws = joint_draws if variant == "joint" else run(inputs, design)
        moved = draws.quadrant[:, placed] != published.quadrant[0][placed][None, :]
        share_moved = moved.mean(axis=1) if placed.any() else np.zeros(len(design))
        often = moved.mean(axis=0) > limit + 1e-12
        changing = " ".join(np.array(keys)[placed][often])
        for dimension in SCORES:
            rho = spearman_rows(getattr(draws, dimension), getattr(published, dimension)[0])
            rows.append(
                {
                    "variant": variant,
                    "score": dimension,
                    "draws": len(design),
                    "spearman_median": _finite(np.nanmedian, rho),
                    "spearman_min": _finite(np.nanmin, rho),
                    "share_changing_quadrant_median": float(np.median(share_moved)),
                    "share_changing_quadrant_max": float(share_moved.max()),
                    "countries_changing": changing,
                }
            )
    return pd.DataFrame(rows)


def assess(table: pd.DataFrame, model: dict, keys: list[str] | None = None) -> Assessment:
    """The joint uncertainty analysis of ``table`` under ``model``; ``keys`` name the
    countries in the sensitivity table (by default the table's ``iso2``)."""
    config = settings(model)
    inputs = prepare(table, model)
    published = run(inputs, central(inputs, model["normalisation"]))
    design = joint(inputs, config)
    draws = run(inputs, design)
    countries = country_summary(inputs, draws, published, config)
    countries.index = table.index
    keys = list(table["iso2"]) if keys is None else keys
    return Assessment(
        countries,
        sensitivity_by_source(inputs, published, config, keys, draws),
        len(design),
        float(config["stable_share"]),
    )
