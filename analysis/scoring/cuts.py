"""Quadrant cuts that mean the same thing under every normalisation.

A cut is declared per score in ``config/scoring.yaml`` (``quadrants.<score>_cut``) as

- a quantile of the score over the placed countries, ``{quantile: 0.75, spread: 0.1}``
  (``median`` is ``{quantile: 0.5}``): the cut falls between the same two countries under every
  normalisation, so another normalisation changes a classification only where it changes the
  order of the countries;
- or a level per normalisation, ``{level: {minmax: 0.3, rank: 0.8, z: 0.6}, spread: 0.05}``,
  for a group that wants a line at a fixed score. A level declared for one scale is never
  applied on another: a plain number is a level on the configured normalisation only, and
  asking for it under another normalisation is an error.

``spread`` is how far the uncertainty analysis moves the cut either way (in quantiles, or in
score units for a level); it is 0 when not given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

QUANTILE, LEVEL = "quantile", "level"


@dataclass(frozen=True)
class Cut:
    """Where one score is cut into low and high (``high`` means at least the cut)."""

    dimension: str
    kind: str  # quantile | level
    quantile: float = 0.5
    levels: dict[str, float] = field(default_factory=dict)
    spread: float = 0.0

    def centre(self, method: str) -> float:
        """The quantile, or the level on the scale of normalisation ``method``."""
        if self.kind == QUANTILE:
            return self.quantile
        if method not in self.levels:
            raise ValueError(
                f"quadrants.{self.dimension}_cut is a level on the "
                f"{' and '.join(sorted(self.levels))} scale only, so it has no meaning under "
                f"{method!r}: declare it as a quantile ({{quantile: 0.75}}) or give a level for "
                f"each normalisation ({{level: {{minmax: ..., rank: ..., z: ...}}}})"
            )
        return self.levels[method]

    def described(self, method: str) -> dict[str, float | str]:
        """The cut as the report states it: its kind, its centre and its range."""
        centre = self.centre(method)
        return {
            "kind": self.kind,
            "centre": centre,
            "low": centre - self.spread,
            "high": centre + self.spread,
        }


def parse_cut(dimension: str, spec: object, normalisation: str) -> Cut:
    """A ``Cut`` from its YAML form (see the module docstring)."""
    where = f"quadrants.{dimension}_cut"
    if spec == "median":
        return Cut(dimension, QUANTILE, 0.5)
    if isinstance(spec, (int, float)) and not isinstance(spec, bool):
        return Cut(dimension, LEVEL, levels={normalisation: float(spec)})
    if not isinstance(spec, dict):
        raise ValueError(f"{where}: 'median', a number, {{quantile: q}} or {{level: {{...}}}}")
    spread = float(spec.get("spread", 0))
    if spread < 0:
        raise ValueError(f"{where}: spread cannot be negative")
    if QUANTILE in spec:
        q = float(spec[QUANTILE])
        if not 0 <= q - spread <= q + spread <= 1:
            raise ValueError(f"{where}: quantile {q} ± {spread} must stay within 0–1")
        return Cut(dimension, QUANTILE, q, spread=spread)
    if LEVEL in spec and isinstance(spec[LEVEL], dict):
        return Cut(
            dimension,
            LEVEL,
            levels={str(k): float(v) for k, v in spec[LEVEL].items()},
            spread=spread,
        )
    raise ValueError(f"{where}: give either quantile or level (one per normalisation)")


def model_cuts(model: dict) -> dict[str, Cut]:
    """Both cuts of the model, keyed by score."""
    return {
        dimension: parse_cut(
            dimension, model["quadrants"][f"{dimension}_cut"], model["normalisation"]
        )
        for dimension in ("opportunity", "threat")
    }


def quantile_rows(scores: np.ndarray, q: np.ndarray) -> np.ndarray:
    """The ``q[d]``-quantile of each row ``scores[d]``, linear between order statistics (the
    rule of pandas' ``median`` and ``quantile``): one vectorised pass for every draw."""
    rows, count = scores.shape
    if count == 0:
        return np.full(rows, np.nan)
    ordered = np.sort(scores, axis=1)
    position = np.clip(q, 0, 1) * (count - 1)
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, count - 1)
    index = np.arange(rows)
    below, above = ordered[index, low], ordered[index, high]
    return below + (above - below) * (position - low)


def cut_values(
    cut: Cut, placed_scores: np.ndarray, offsets: np.ndarray, methods: list[str]
) -> np.ndarray:
    """The cut of each draw: ``placed_scores`` (draws × placed countries) under the
    normalisation ``methods[d]``, the cut moved by ``offsets[d]`` from its centre."""
    if cut.kind == QUANTILE:
        return quantile_rows(placed_scores, cut.quantile + offsets)
    centres = {method: cut.centre(method) for method in set(methods)}
    return np.array([centres[method] for method in methods]) + offsets
