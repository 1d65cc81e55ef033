"""The class the evidence supports: one joint analysis of the declared uncertainty.

Every draw changes all of the following at once, as declared in ``config/scoring.yaml``
(``uncertainty``):

- the weights of each score, drawn from a Dirichlet distribution centred on the declared ones;
- every goalpost, moved within its declared share of the goalposts' distance;
- the survey shares, taken from one bootstrap sample of organisations (the survey's sampling
  error with respondents clustered in organisations);
- every censored or unmeasured value, anywhere in its interval;
- both reference levels, within their declared spread.

The aggregation is not drawn: a geometric mean is never above the arithmetic one (and, taken
on the favourable side, a threat score never below it), so mixing them would shift every
class one way. The published aggregation makes the classes; each other declared aggregation is
a scenario of its own, the same draws under it, reported beside them (``quadrant_<name>``).

Per country: the share of draws in each class; the published class is the one most draws
support, and only when at least ``stable_share`` of them do (otherwise ``uncertain``, with
the two likeliest classes and their shares); the 5–95 % interval of each score; and "depends
on": each indicator (and the survey as a whole) whose removal changes the published class.

A country's draws depend on its own evidence only: the shared parts of a draw (weights,
goalposts, aggregation, bootstrap sample, levels) are drawn without reference to the
countries, and where in its interval a country's censored value lies comes from a stream
seeded by the country's own key. Removing a country changes no other country's result.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis.scoring.by_source import ranks, sensitivity_by_source
from analysis.scoring.levels import Level, model_levels
from analysis.scoring.model import (
    ADVERSE,
    CENSORED,
    CLASS_KEYS,
    DIMENSIONS,
    MEASURED,
    NOT_MEASURED,
    NOT_PLACED,
    SCORES,
    UNCERTAIN,
    Evidence,
    aggregate,
    class_codes,
    evidence,
    evidence_coverage,
    perception_indicators,
    placed,
    scale_intervals,
    transform_values,
)

DEFAULTS = {
    "draws": 2000,
    "seed": 0,
    "weight_concentration": 0.0,  # 0: the declared weights in every draw
    "aggregations": ["arithmetic"],
    "goalpost_spread": 0.0,
    "survey_replicates": 0,
    "stable_share": 0.8,
    "interval": [0.05, 0.95],
}
CHUNK = 4096  # draws evaluated at once (memory: CHUNK × countries × indicators floats)
SURVEY = "survey"  # the leave-out scenario of every perception indicator together


def settings(model: dict) -> dict:
    """The model's ``uncertainty`` section with defaults, checked."""
    found = {**DEFAULTS, **(model.get("uncertainty") or {})}
    if float(found["weight_concentration"]) < 0:
        raise ValueError("uncertainty.weight_concentration cannot be negative")
    if not 0 <= float(found["goalpost_spread"]) < 0.5:
        raise ValueError("uncertainty.goalpost_spread must be in [0, 0.5)")
    if not 0.5 < float(found["stable_share"]) <= 1:
        raise ValueError("uncertainty.stable_share must be above 0.5 and at most 1")
    return found


@dataclass(frozen=True)
class Inputs:
    """What every draw starts from."""

    ev: Evidence
    keys: tuple[str, ...]  # countries, for their own random streams
    replicates: dict[str, np.ndarray]  # indicator -> bootstrap samples × countries (raw)
    placed: np.ndarray  # countries measured enough to be placed
    levels: dict[str, Level]
    published_geometric: bool

    @property
    def countries(self) -> int:
        return len(self.keys)


def prepare(
    table: pd.DataFrame,
    model: dict,
    replicates: dict[str, pd.DataFrame] | None = None,
    keys: list[str] | None = None,
) -> Inputs:
    """The evidence of ``table`` under ``model``; ``replicates`` (indicator → bootstrap
    samples × ISO code, raw shares) give the survey's sampling error."""
    keys = tuple(table["iso2"].astype(str)) if keys is None else tuple(keys)
    ev = evidence(table, model)
    found = {}
    for name, frame in (replicates or {}).items():
        if name in ev.names and len(frame):
            found[name] = frame.reindex(columns=list(keys), fill_value=0.0).to_numpy(float)
    return Inputs(
        ev,
        keys,
        found,
        placed(pd.Series(evidence_coverage(ev)), model).to_numpy(),
        model_levels(model),
        model.get("aggregation", "arithmetic") == "geometric",
    )


@dataclass(frozen=True)
class Design:
    """The draws."""

    weights: np.ndarray  # draws × indicators (0: left out)
    goalposts: np.ndarray  # draws × indicators × 2: shifts, as shares of the goalposts' distance
    geometric: np.ndarray  # draws
    replicate: np.ndarray  # draws: bootstrap sample, -1 for the published shares
    levels: np.ndarray  # draws × 2: shifts of the opportunity and threat levels (0–1)
    positions: np.ndarray  # draws × (countries or 1) × indicators: where in its interval

    def __len__(self) -> int:
        return len(self.geometric)

    def rows(self, chosen) -> Design:
        return Design(*(getattr(self, f)[chosen] for f in self.__dataclass_fields__))


@dataclass(frozen=True)
class Draws:
    scores: dict[str, np.ndarray]  # dimension -> draws × countries
    classes: np.ndarray  # draws × countries: positions in CLASS_KEYS


def central(inputs: Inputs, count: int = 1) -> Design:
    """The published settings: declared weights, goalposts, aggregation and levels, the
    published survey shares, every interval at its centre."""
    k = len(inputs.ev.names)
    return Design(
        np.tile(inputs.ev.weights, (count, 1)),
        np.zeros((count, k, 2)),
        np.full(count, inputs.published_geometric),
        np.full(count, -1),
        np.zeros((count, 2)),
        np.full((count, 1, k), 0.5),
    )


def _transformed(inputs: Inputs, replicate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """draws × countries × indicators: each cell's interval on its transformed scale, the
    survey's measured shares taken from the draw's bootstrap sample."""
    ev = inputs.ev
    low = np.repeat(ev.low[None], len(replicate), axis=0)
    high = np.repeat(ev.high[None], len(replicate), axis=0)
    rows = replicate >= 0
    if not rows.any():
        return low, high
    for name, samples in inputs.replicates.items():
        j = ev.names.index(name)
        values = transform_values(samples[replicate[rows]], ev.items[j])
        measured_cells = ev.status[:, j] == MEASURED
        low[rows, :, j] = np.where(measured_cells, values, low[rows, :, j])
        high[rows, :, j] = np.where(measured_cells, values, high[rows, :, j])
    return low, high


def _values(inputs: Inputs, design: Design) -> np.ndarray:
    """draws × countries × indicators on 0–1 under each draw's goalposts and positions."""
    ev = inputs.ev
    posts = ev.goalposts()
    distance = posts[:, 1] - posts[:, 0]
    bottom = posts[None, :, 0] + design.goalposts[:, :, 0] * distance
    top = posts[None, :, 1] + design.goalposts[:, :, 1] * distance
    low, high = scale_intervals(ev, *_transformed(inputs, design.replicate),
                                bottom[:, None, :], top[:, None, :])  # fmt: skip
    return np.nan_to_num(low + design.positions * (high - low))


def run(inputs: Inputs, design: Design) -> Draws:
    """Scores and classes of every country in every draw (in chunks, to bound memory)."""
    scores = {d: np.empty((len(design), inputs.countries)) for d in DIMENSIONS}
    ev = inputs.ev
    for start in range(0, len(design), CHUNK):
        part = design.rows(slice(start, start + CHUNK))
        values = _values(inputs, part)
        for position, dimension in enumerate(DIMENSIONS):
            own = (ev.dimension == position)[None, :] * part.weights  # draws × indicators
            weights = own[:, None, :] * ev.applies[None, :, :]
            scores[dimension][start : start + len(part)] = aggregate(
                values, weights, part.geometric[:, None], dimension in ADVERSE
            )
    high = {
        d: scores[d] >= (inputs.levels[d].level + design.levels[:, i])[:, None]
        for i, d in enumerate(SCORES)
    }
    return Draws(scores, class_codes(high["opportunity"], high["threat"]))


def _country_positions(inputs: Inputs, count: int, seed: int) -> np.ndarray:
    """draws × countries × indicators: each country's own stream (seeded by its key), so its
    draws do not depend on which other countries are scored."""
    k = len(inputs.ev.names)
    unknown = np.isin(inputs.ev.status, [CENSORED, NOT_MEASURED])
    found = np.full((count, inputs.countries, k), 0.5)
    for c, key in enumerate(inputs.keys):
        if unknown[c].any():
            rng = np.random.default_rng([seed, zlib.crc32(key.encode())])
            found[:, c, :] = rng.random((count, k))
    return found


def dirichlet_weights(declared: np.ndarray, dimension: np.ndarray, gammas: np.ndarray):
    """Weights from gamma variates (draws × indicators, shape c · w / Σw of the indicator's
    score): normalised within each score and scaled back to its declared total, i.e. a
    Dirichlet draw per score centred on the declared weights."""
    weights = np.zeros_like(gammas)
    for position in np.unique(dimension):
        own = dimension == position
        total = declared[own].sum()
        sums = gammas[:, own].sum(axis=1, keepdims=True)
        weights[:, own] = np.divide(
            gammas[:, own] * total, sums, out=np.zeros_like(gammas[:, own]), where=sums > 0
        )
    return weights


def dirichlet_shape(
    declared: np.ndarray, dimension: np.ndarray, concentration: float
) -> np.ndarray:
    totals = np.array([declared[dimension == d].sum() for d in dimension])
    return concentration * np.divide(declared, totals, out=np.zeros_like(declared),
                                     where=totals > 0)  # fmt: skip


def joint(inputs: Inputs, config: dict, vary=None, seed_offset: int = 0) -> Design:
    """``config['draws']`` draws varying the sources in ``vary`` (all by default) together;
    the others stay as published."""
    vary = set(vary or SOURCES)
    count = int(config["draws"])
    design = central(inputs, count)
    rng = np.random.default_rng([int(config["seed"]), seed_offset])
    ev = inputs.ev
    concentration = float(config["weight_concentration"])
    weights, posts, geometric, replicate, levels = (
        design.weights, design.goalposts, design.geometric, design.replicate, design.levels
    )  # fmt: skip
    if "weights" in vary and concentration > 0:
        shape = dirichlet_shape(ev.weights, ev.dimension, concentration)
        gammas = rng.gamma(np.where(shape > 0, shape, 1.0), size=(count, len(shape)))
        weights = dirichlet_weights(ev.weights, ev.dimension, gammas * (shape > 0))
    if "goalposts" in vary:
        spread = float(config["goalpost_spread"])
        posts = rng.uniform(-spread, spread, size=posts.shape)
    if "survey_sampling" in vary and inputs.replicates:
        samples = min(len(v) for v in inputs.replicates.values())
        replicate = rng.integers(0, samples, size=count)
    if "levels" in vary:
        spreads = np.array([inputs.levels[d].spread for d in SCORES])
        levels = rng.uniform(-1, 1, size=(count, 2)) * spreads
    positions = design.positions
    if "intervals" in vary:
        positions = _country_positions(inputs, count, int(config["seed"]) + seed_offset)
    return Design(weights, posts, geometric, replicate, levels, positions)


SOURCES = ("weights", "goalposts", "survey_sampling", "intervals", "levels")


def alternative_aggregations(model: dict, config: dict) -> list[str]:
    """The declared aggregations other than the published one: scenarios, not draws."""
    published = model.get("aggregation", "arithmetic")
    return [a for a in config["aggregations"] if a != published]


def leave_outs(inputs: Inputs, model: dict) -> dict[str, list[int]]:
    """The leave-out scenarios: each weighted indicator of a classified score that has
    another weighted indicator, and the survey's perception indicators together."""
    ev = inputs.ev
    weighted = ev.weights > 0
    scored = np.isin(ev.dimension, [DIMENSIONS.index(d) for d in SCORES])
    per_score = np.bincount(ev.dimension[weighted & scored], minlength=len(DIMENSIONS))
    found = {
        ev.names[j]: [j] for j in np.flatnonzero(weighted & scored & (per_score[ev.dimension] >= 2))
    }
    perceptions = [ev.names.index(i.name) for i in perception_indicators(model)
                   if i.name in ev.names]  # fmt: skip
    if perceptions:
        found[SURVEY] = perceptions
    return found


def without_indicators(design: Design, columns: list[int]) -> Design:
    weights = design.weights.copy()
    weights[:, columns] = 0.0
    return replace(design, weights=weights)


def class_shares(inputs: Inputs, draws: Draws) -> np.ndarray:
    """countries × classes: the share of draws in each class (NaN where not placed)."""
    shares = np.stack([(draws.classes == c).mean(axis=0) for c in range(len(CLASS_KEYS))], 1)
    return np.where(inputs.placed[:, None], shares, np.nan)


def published_classes(inputs: Inputs, shares: np.ndarray, stable_share: float) -> np.ndarray:
    """The class most draws support where at least ``stable_share`` of them do, else
    ``uncertain``; ``not_placed`` where too little was measured."""
    modal = np.nanargmax(np.nan_to_num(shares, nan=-1.0), axis=1)
    top = np.nan_to_num(shares, nan=0.0)[np.arange(len(modal)), modal]
    keys = np.where(top >= stable_share - 1e-12, np.array(CLASS_KEYS)[modal], UNCERTAIN)
    return np.where(inputs.placed, keys, NOT_PLACED)


@dataclass
class Assessment:
    """The published classification and how firmly it holds."""

    countries: pd.DataFrame  # one row per country of the table, in its order
    sensitivity: pd.DataFrame  # one row per source of uncertainty and score
    draws: int
    stable_share: float
    inputs: Inputs
    joint_draws: Draws
    leave_out_classes: dict[str, np.ndarray]  # scenario -> published classes without it


def country_summary(inputs: Inputs, draws: Draws, config: dict) -> pd.DataFrame:
    """Per country: the share of draws in each class, the published class and its share,
    the two likeliest classes, score intervals and (for the matrix's table) rank intervals."""
    low, high = (float(q) for q in config["interval"])
    shares = class_shares(inputs, draws)
    stable = float(config["stable_share"])
    frame = pd.DataFrame({"quadrant": published_classes(inputs, shares, stable)})
    for position, key in enumerate(CLASS_KEYS):
        frame[f"share_{key}"] = shares[:, position]
    order = np.argsort(-np.nan_to_num(shares, nan=-1.0), axis=1, kind="stable")
    rows = np.arange(len(order))
    frame["class_likeliest"] = np.where(inputs.placed, np.array(CLASS_KEYS)[order[:, 0]], None)
    frame["class_second"] = np.where(inputs.placed, np.array(CLASS_KEYS)[order[:, 1]], None)
    frame["quadrant_share"] = shares[rows, order[:, 0]]
    frame["class_second_share"] = shares[rows, order[:, 1]]
    frame["stable"] = frame["quadrant"].isin(CLASS_KEYS).to_numpy()
    for dimension in DIMENSIONS:
        values = draws.scores[dimension]
        frame[f"{dimension}_p05"] = np.quantile(values, low, axis=0)
        frame[f"{dimension}_p95"] = np.quantile(values, high, axis=0)
    for dimension in SCORES:
        ranked = ranks(draws.scores[dimension])
        frame[f"{dimension}_rank_low"] = np.quantile(ranked, low, axis=0, method="lower")
        frame[f"{dimension}_rank_high"] = np.quantile(ranked, high, axis=0, method="higher")
    return frame


def depends_on(published: np.ndarray, scenarios: dict[str, np.ndarray]) -> list[str]:
    """Per country: the leave-out scenarios (indicator names, or ``survey``) under which its
    settled class would be another, space-separated."""
    found = []
    for c, key in enumerate(published):
        if key not in CLASS_KEYS:
            found.append("")
            continue
        found.append(" ".join(n for n, classes in scenarios.items() if classes[c] != key))
    return found


def assess(
    table: pd.DataFrame,
    model: dict,
    replicates: dict[str, pd.DataFrame] | None = None,
    keys: list[str] | None = None,
) -> Assessment:
    """The joint uncertainty analysis of ``table`` under ``model``: classes, intervals,
    "depends on", and the sensitivity to each source on its own."""
    config = settings(model)
    inputs = prepare(table, model, replicates, keys)
    design = joint(inputs, config)
    draws = run(inputs, design)
    countries = country_summary(inputs, draws, config)
    published = countries["quadrant"].to_numpy()
    stable = float(config["stable_share"])
    scenarios = {}
    variants = {"joint": draws}
    for name, columns in leave_outs(inputs, model).items():
        reduced = run(inputs, without_indicators(design, columns))
        scenarios[name] = published_classes(inputs, class_shares(inputs, reduced), stable)
        variants[f"leave_out:{name}"] = reduced
    countries["depends_on"] = depends_on(published, scenarios)
    for offset, source in enumerate(SOURCES, start=1):
        variants[source] = run(inputs, joint(inputs, config, vary=[source], seed_offset=offset))
    for name in alternative_aggregations(model, config):
        other = run(inputs, replace(design, geometric=np.full(len(design), name == "geometric")))
        countries[f"quadrant_{name}"] = published_classes(
            inputs, class_shares(inputs, other), stable
        )
        variants["aggregation"] = other
    reference = run(inputs, central(inputs))

    sensitivity = sensitivity_by_source(inputs.keys, config, reference, published, variants)
    countries.index = table.index
    return Assessment(countries, sensitivity, len(design), stable, inputs, draws, scenarios)
