"""Threat, opportunity and exposure scores per partner country, from ``config/scoring.yaml``.

Each score depends on the country's own evidence only. Every indicator is placed on 0–1
between two declared goalposts (a fixed lower and upper reference on the indicator's own
scale, each with its reason in the model file), pointed so that 1 means more of its score,
and a score is the weighted mean of its indicators. Nothing is scaled against the other
countries and no cut is a quantile of the set, so adding or removing a partner country changes
no other country's score or class.

Every cell is an interval on the 0–1 scale. A measured value is a point. A value withheld by
the survey's small-cell rule is *censored*: it lies between bounds the table states
(``<indicator>_low`` and ``<indicator>_high``), and it enters the scores as that interval,
never as a point. A value not measured at all lies anywhere between the goalposts. The
published score is the centre of the country's score interval, with the interval's ends beside
it (``<score>_min``, ``<score>_max``); the uncertainty analysis draws within the intervals.

Classes: a country is "high" on a score at or above the declared reference level of that score
(``classes.<score>_level``), the same level for every country; a country whose share of
measured (or censored) indicators is below ``classes.min_coverage`` is scored but not placed.
The class the report publishes is the one most uncertainty draws support (see
``analysis.scoring.uncertainty``). Exposure (how much of the cooperation touches sensitive
areas) is scored the same way and shown beside the class, never as evidence of threat.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import yaml

from analysis.scoring.levels import model_levels

SCORES = ("opportunity", "threat")  # the scores the classes are made of
EXPOSURE = "exposure"
DIMENSIONS = (*SCORES, EXPOSURE)
TRANSFORMS = ("log", "capped_log")
AGGREGATIONS = ("arithmetic", "geometric")
NOT_PLACED = "not_placed"
UNCERTAIN = "uncertain"
MEASURED, CENSORED, NOT_MEASURED, NOT_APPLICABLE = (
    "measured",
    "censored",
    "not_measured",
    "not_applicable",
)
# The geometric mean is taken on 0.01–1 (the 1–100 scale of the JRC's audits) so that a zero
# indicator lowers the score rather than making it zero whatever the others say.
GEOMETRIC_FLOOR = 0.01
# Scores whose high end is unfavourable. The geometric mean is taken with every indicator
# pointed towards the favourable end, as composite indices of performance do: a partner is then
# low on threat only when every threat indicator is low, and the absence of one signal (no EU
# measures, say) cannot cancel the others, which a geometric mean of the threat values would do.
ADVERSE = ("threat", "exposure")


def load_scoring_model(path) -> dict:
    """``config/scoring.yaml``, read in one place, with its indicators and levels checked."""
    model = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        indicators(model)
        context_indicators(model)
        model_levels(model)
        if model.get("aggregation", "arithmetic") not in AGGREGATIONS:
            raise ValueError(f"aggregation must be one of {AGGREGATIONS}")
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
    goalposts: tuple[float, float] = (0.0, 1.0)  # on the indicator's own scale
    reason: str | dict = ""  # why these goalposts

    def transformed_goalposts(self) -> tuple[float, float]:
        low, high = (transform_values(np.array(self.goalposts, dtype=float), self)).tolist()
        return float(low), float(high)


def _goalposts(where: str, spec: dict) -> tuple[tuple[float, float], str | dict]:
    if spec.get("transform") == "capped_log":
        # The capped log is a fixed scale of its own: 0 to the cap.
        return (0.0, float(spec["cap"])), spec.get("goalposts", {}).get("reason", "")
    posts = spec.get("goalposts")
    if not isinstance(posts, dict) or "low" not in posts or "high" not in posts:
        raise ValueError(f"{where}: goalposts {{low, high, reason}} are required")
    low, high = float(posts["low"]), float(posts["high"])
    if not high > low:
        raise ValueError(f"{where}: the high goalpost must be above the low one")
    if not posts.get("reason"):
        raise ValueError(f"{where}: say why the goalposts are where they are (reason)")
    return (low, high), posts["reason"]


def indicators(model: dict, dimensions: tuple[str, ...] = DIMENSIONS) -> list[Indicator]:
    """The model's weighted indicators of ``dimensions`` (by default all: opportunity, threat
    and exposure), in the model's order."""
    found = []
    sources = model.get("sources")
    for dimension in dimensions:
        for name, spec in (model.get(dimension) or {}).items():
            where = f"{dimension}.{name}"
            if spec["direction"] not in {"higher", "lower"}:
                raise ValueError(f"{where}: direction must be 'higher' or 'lower'")
            if spec["weight"] < 0:
                raise ValueError(f"{where}: weights cannot be negative")
            if spec.get("transform") not in (None, *TRANSFORMS):
                raise ValueError(f"{where}: transform must be one of {TRANSFORMS}")
            if sources is not None and spec["source"] not in sources:
                raise ValueError(f"{where}: source {spec['source']!r} not in sources")
            if spec.get("transform") == "capped_log" and not float(spec.get("cap", 0)) > 0:
                raise ValueError(f"{where}: capped_log needs a cap above 0")
            posts, reason = _goalposts(where, spec)
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
                    posts,
                    reason,
                )
            )
    names = [i.name for i in found]
    if len(set(names)) != len(names):
        raise ValueError("an indicator name is used twice; each belongs to one score")
    return found


def scored_indicators(model: dict) -> list[Indicator]:
    """The indicators of the opportunity and threat scores (the classes), not exposure."""
    return indicators(model, SCORES)


CONTEXT = "context"


def context_indicators(model: dict) -> list[Indicator]:
    """The indicators the model shows beside the scores (``context:``), on the country cards,
    without weighting them: each with its label, source and unit."""
    scored = {i.name for i in indicators(model)}
    sources = model.get("sources")
    found = []
    for name, spec in (model.get(CONTEXT) or {}).items():
        if name in scored:
            raise ValueError(f"context.{name}: already a scored indicator; keep it in one place")
        if sources is not None and spec["source"] not in sources:
            raise ValueError(f"context.{name}: source {spec['source']!r} not in sources")
        found.append(
            Indicator(name, CONTEXT, spec["label"], spec["source"], "higher", 0.0, None,
                      spec.get("unit", ""))
        )  # fmt: skip
    return found


def transform_values(values, item: Indicator):
    """The declared transform: ``log`` is log(1 + x) from 0; ``capped_log`` is log(1 + x) with x
    held between 0 and the cap (its goalposts are 0 and the cap)."""
    if item.transform == "log":
        return np.log1p(np.clip(values, 0, None))
    if item.transform == "capped_log":
        return np.log1p(np.clip(values, 0, item.cap))
    return values


def scale(transformed, low, high, direction: str):
    """0–1 between the goalposts ``low`` and ``high`` (on the transformed scale), held at the
    ends, pointed so that 1 means more of the score."""
    placed = np.clip((transformed - low) / (high - low), 0.0, 1.0)
    return placed if direction == "higher" else 1.0 - placed


def applicable(table: pd.DataFrame, model: dict) -> pd.DataFrame:
    """Where each indicator applies: everywhere, or (``applies_to``) where any of the named
    flag columns is true. An indicator that does not apply to a country is left out of that
    country's score, whose other weights share its weight."""
    columns = {}
    for item in indicators(model):
        if item.applies_to:
            flags = table[list(item.applies_to)].fillna(False).astype(bool)
            columns[item.name] = flags.any(axis=1)
        else:
            columns[item.name] = pd.Series(True, index=table.index)
    return pd.DataFrame(columns, index=table.index)


def measured(table: pd.DataFrame, model: dict) -> pd.DataFrame:
    """Each indicator's values as given (missing where not measured, censored or where the
    indicator does not apply)."""
    raw = pd.DataFrame(
        {
            item.name: pd.to_numeric(table[item.name], errors="coerce").astype(float)
            for item in indicators(model)
        },
        index=table.index,
    )
    return raw.where(applicable(table, model))


def _bound(table: pd.DataFrame, item: Indicator, end: str) -> pd.Series:
    column = f"{item.name}_{end}"
    if column not in table:
        return pd.Series(np.nan, index=table.index)
    return pd.to_numeric(table[column], errors="coerce").astype(float)


@dataclass(frozen=True)
class Evidence:
    """Every cell of every indicator as an interval on its transformed scale."""

    names: tuple[str, ...]
    items: tuple[Indicator, ...]
    status: np.ndarray  # countries × indicators: measured, censored, not_measured, n/a
    low: np.ndarray  # countries × indicators, transformed scale (NaN: not measured or n/a)
    high: np.ndarray
    applies: np.ndarray  # countries × indicators

    @property
    def dimension(self) -> np.ndarray:
        return np.array([DIMENSIONS.index(i.dimension) for i in self.items])

    @property
    def weights(self) -> np.ndarray:
        return np.array([i.weight for i in self.items])

    def goalposts(self) -> np.ndarray:
        """indicators × 2: the transformed goalposts."""
        return np.array([i.transformed_goalposts() for i in self.items])


def evidence(table: pd.DataFrame, model: dict) -> Evidence:
    """The table's indicators as intervals: a measured value is a point; a censored one (value
    missing, ``<name>_high`` given) lies between ``<name>_low`` (0 when absent) and
    ``<name>_high``; a value neither measured nor censored is not measured."""
    items = tuple(indicators(model))
    raw = measured(table, model)
    applies = applicable(table, model)
    shape = (len(table), len(items))
    status = np.full(shape, NOT_APPLICABLE, dtype=object)
    low, high = np.full(shape, np.nan), np.full(shape, np.nan)
    for j, item in enumerate(items):
        value = raw[item.name].to_numpy()
        top = _bound(table, item, "high").to_numpy()
        bottom = _bound(table, item, "low").fillna(0.0).to_numpy()
        on = applies[item.name].to_numpy()
        is_measured = on & np.isfinite(value)
        is_censored = on & ~is_measured & np.isfinite(top)
        status[:, j] = np.where(
            is_measured, MEASURED, np.where(is_censored, CENSORED, np.where(on, NOT_MEASURED,
                                                                           NOT_APPLICABLE))
        )  # fmt: skip
        low[:, j] = np.where(is_measured, value, np.where(is_censored, bottom, np.nan))
        high[:, j] = np.where(is_measured, value, np.where(is_censored, top, np.nan))
        low[:, j] = transform_values(low[:, j], item)
        high[:, j] = transform_values(high[:, j], item)
    return Evidence(tuple(i.name for i in items), items, status, low, high, applies.to_numpy())


def scale_intervals(ev: Evidence, low, high, bottom, top):
    """Cells' intervals (``low``, ``high`` on the transformed scale, shaped as the evidence or
    with leading draws) on 0–1 between goalposts ``bottom`` and ``top`` (broadcast against
    them): pointed so that 1 means more of the score, the whole scale where not measured, 0
    where not applicable."""
    lower = np.array([i.direction == "lower" for i in ev.items], dtype=bool)
    ends = []
    for values in (low, high):
        placed = scale(values, bottom, top, "higher")
        ends.append(np.where(lower, 1.0 - placed, placed))
    low, high = np.fmin(*ends), np.fmax(*ends)
    unknown = ev.status == NOT_MEASURED
    low, high = np.where(unknown, 0.0, low), np.where(unknown, 1.0, high)
    return np.where(ev.applies, low, 0.0), np.where(ev.applies, high, 0.0)


def scaled_bounds(ev: Evidence) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's interval on 0–1 under the declared goalposts: a point where measured,
    the censored interval, the whole scale where not measured, 0 where not applicable."""
    posts = ev.goalposts().reshape(-1, 2)
    return scale_intervals(ev, ev.low, ev.high, posts[:, 0], posts[:, 1])


def aggregate(
    values: np.ndarray, weights: np.ndarray, geometric, adverse: bool = False
) -> np.ndarray:
    """Weighted means over the last axis of ``values`` (…, indicators) with ``weights`` of the
    same shape (0 where an indicator is left out or does not apply); arithmetic, or geometric
    where ``geometric`` (broadcastable to the leading axes) is true. An ``adverse`` score is
    averaged on its favourable side (1 − x) and turned back; for the arithmetic mean that is
    the same number. No weight: 0."""
    if adverse:
        total = weights.sum(axis=-1)
        flipped = 1.0 - aggregate(1.0 - values, weights, geometric)
        return np.where(total > 0, flipped, 0.0)
    total = weights.sum(axis=-1)
    safe = np.where(total > 0, total, 1.0)
    arithmetic = (values * weights).sum(axis=-1) / safe
    logs = np.log(GEOMETRIC_FLOOR + (1 - GEOMETRIC_FLOOR) * np.clip(values, 0, 1))
    geometric_mean = (np.exp((logs * weights).sum(axis=-1) / safe) - GEOMETRIC_FLOOR) / (
        1 - GEOMETRIC_FLOOR
    )
    result = np.where(geometric, geometric_mean, arithmetic)
    return np.where(total > 0, np.clip(result, 0.0, 1.0), 0.0)


def dimension_weights(ev: Evidence, weights: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Per dimension, countries × indicators weights: the declared (or given) weight where the
    indicator belongs to the dimension and applies to the country, else 0."""
    weights = ev.weights if weights is None else weights
    found = {}
    for position, dimension in enumerate(DIMENSIONS):
        own = (ev.dimension == position).astype(float) * weights
        found[dimension] = ev.applies * own[None, :]
    return found


def evidence_coverage(ev: Evidence, dimensions=SCORES) -> np.ndarray:
    """Per country, the share of the applying indicators of ``dimensions`` that were measured
    or censored (a censored value is evidence: it bounds the value)."""
    wanted = np.isin(ev.dimension, [DIMENSIONS.index(d) for d in dimensions])
    known = np.isin(ev.status, [MEASURED, CENSORED]) & wanted[None, :]
    applying = ev.applies & wanted[None, :]
    return known.sum(axis=1) / np.maximum(applying.sum(axis=1), 1)


def coverage(table: pd.DataFrame, model: dict, dimensions=SCORES) -> pd.Series:
    """``evidence_coverage`` of the rows of ``table``."""
    ev = evidence(table, model)
    return pd.Series(evidence_coverage(ev, dimensions), index=table.index, dtype=float)


def score(table: pd.DataFrame, model: dict, weights: dict[str, float] | None = None):
    """Each score (0–1) as the centre of its interval, with the interval's ends
    (``<score>_min``, ``<score>_max``: every censored or unmeasured value at the end of its
    interval that lowers, or raises, the score), under the declared goalposts, weights and
    aggregation; and the coverage of the classified scores."""
    ev = evidence(table, model)
    low, high = scaled_bounds(ev)
    w = ev.weights if weights is None else np.array([weights.get(n, 0.0) for n in ev.names])
    geometric = model.get("aggregation", "arithmetic") == "geometric"
    result = pd.DataFrame(index=table.index)
    for dimension, dw in dimension_weights(ev, w).items():
        adverse = dimension in ADVERSE
        result[dimension] = aggregate((low + high) / 2, dw, geometric, adverse)
        result[f"{dimension}_min"] = aggregate(low, dw, geometric, adverse)
        result[f"{dimension}_max"] = aggregate(high, dw, geometric, adverse)
    result["coverage"] = evidence_coverage(ev)
    return result


CLASS_KEYS = (
    "high_opportunity_low_threat",
    "high_opportunity_high_threat",
    "low_opportunity_low_threat",
    "low_opportunity_high_threat",
)
QUADRANT_KEYS = CLASS_KEYS  # the classes are the matrix's four quadrants


def class_codes(high_opportunity: np.ndarray, high_threat: np.ndarray) -> np.ndarray:
    """Positions in ``CLASS_KEYS`` of each (high opportunity, high threat) pair."""
    return (1 - high_opportunity.astype(int)) * 2 + high_threat.astype(int)


def placed(coverage_values: pd.Series, model: dict) -> pd.Series:
    """Countries measured on enough indicators to be placed in a class."""
    return coverage_values >= float(model["classes"].get("min_coverage", 0))


def reference_levels(model: dict) -> dict[str, float]:
    """The declared reference level of each score, on 0–1."""
    return {d: level.level for d, level in model_levels(model).items()}


def point_classes(scores: pd.DataFrame, model: dict) -> pd.Series:
    """The class of each row's central scores against the declared levels (``not_placed``
    for a country measured on too few indicators). The published class is the one most
    uncertainty draws support, not this point."""
    levels = reference_levels(model)
    codes = class_codes(
        (scores["opportunity"] >= levels["opportunity"]).to_numpy(),
        (scores["threat"] >= levels["threat"]).to_numpy(),
    )
    keys = np.array(CLASS_KEYS)[codes]
    return pd.Series(
        np.where(placed(scores["coverage"], model), keys, NOT_PLACED), index=scores.index
    )


def perception_indicators(model: dict) -> list[Indicator]:
    """The scored indicators that are perceptions (from a source in ``perception_sources``,
    e.g. the survey), not measured evidence."""
    sources = set(model.get("perception_sources") or [])
    return [i for i in indicators(model) if i.source in sources]


def without(model: dict, names: set[str]) -> dict:
    """The model with the indicators ``names`` left out (the others keep their weights, which
    the weighted mean shares out again)."""
    reduced = dict(model)
    for dimension in DIMENSIONS:
        if dimension in model:
            reduced[dimension] = {n: s for n, s in model[dimension].items() if n not in names}
    return reduced


def measured_evidence_model(model: dict) -> dict:
    """The model without its perception indicators."""
    return without(model, {i.name for i in perception_indicators(model)})


def measured_evidence(table: pd.DataFrame, model: dict) -> pd.DataFrame:
    """Scores and point class of every country on measured evidence only (the perception
    indicators left out), against the same levels: ``opportunity_measured_only``,
    ``threat_measured_only``, ``quadrant_measured_only`` and ``coverage_measured_only``."""
    reduced = measured_evidence_model(model)
    scores = score(table, reduced)
    return pd.DataFrame(
        {
            "opportunity_measured_only": scores["opportunity"],
            "threat_measured_only": scores["threat"],
            "quadrant_measured_only": point_classes(scores, reduced),
            "coverage_measured_only": scores["coverage"],
        },
        index=table.index,
    )


def spearman(a: pd.Series, b: pd.Series) -> float:
    """Spearman's rank correlation: Pearson's on average ranks (ties shared)."""
    return float(a.rank(method="average").corr(b.rank(method="average")))
