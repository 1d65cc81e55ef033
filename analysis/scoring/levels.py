"""The declared reference levels that make the classes.

A level is declared per score in ``config/scoring.yaml`` (``classes.<score>_level``) on the
0–100 scale the report shows, with its rationale in every language and the spread the
uncertainty analysis moves it within:

    threat_level: {level: 30, spread: 5, rationale: {en: ..., fi: ..., sv: ...}}

A country is high on a score when its score is at least the level: the same line for every
country, whatever the other countries score, so no share of the partners is "high" by
construction.
"""

from __future__ import annotations

from dataclasses import dataclass

SCALE = 100.0  # levels are declared on the scale the report shows


@dataclass(frozen=True)
class Level:
    """Where one score is cut into low and high, on 0–1 (``high`` means at least the level)."""

    dimension: str
    level: float
    spread: float = 0.0
    rationale: str | dict = ""

    @property
    def low(self) -> float:
        return self.level - self.spread

    @property
    def high(self) -> float:
        return self.level + self.spread


def parse_level(dimension: str, spec: object) -> Level:
    """A ``Level`` from its YAML form (see the module docstring)."""
    where = f"classes.{dimension}_level"
    if not isinstance(spec, dict) or "level" not in spec:
        raise ValueError(f"{where}: give {{level: 0–100, spread: …, rationale: …}}")
    level, spread = float(spec["level"]), float(spec.get("spread", 0))
    if spread < 0:
        raise ValueError(f"{where}: spread cannot be negative")
    if not 0 < level - spread <= level + spread < SCALE:
        raise ValueError(f"{where}: level {level} ± {spread} must stay inside 0–100")
    if not spec.get("rationale"):
        raise ValueError(f"{where}: say why the level is where it is (rationale)")
    return Level(dimension, level / SCALE, spread / SCALE, spec["rationale"])


def model_levels(model: dict) -> dict[str, Level]:
    """Both levels of the model, keyed by score."""
    return {
        dimension: parse_level(dimension, model["classes"][f"{dimension}_level"])
        for dimension in ("opportunity", "threat")
    }
