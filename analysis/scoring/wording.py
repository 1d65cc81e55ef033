"""The scoring model's settings in words, for captions and the method appendix."""

from __future__ import annotations

from analysis.i18n import number, pick, t
from analysis.scoring.levels import SCALE, model_levels


def describe_levels(model: dict, lang: str) -> dict[str, str]:
    """Each declared reference level as a caption states it: where it is on 0–100 and the
    range the uncertainty draws move it in."""
    return {
        dimension: t(
            "matrix.level",
            lang,
            dimension=t(f"dimension.{dimension}", lang),
            value=number(level.level * SCALE, lang),
            low=number(level.low * SCALE, lang),
            high=number(level.high * SCALE, lang),
        )
        for dimension, level in model_levels(model).items()
    }


def level_rationales(model: dict, lang: str) -> dict[str, str]:
    """Why each level is where it is, in ``lang``, as the model file says."""
    return {d: pick(level.rationale, lang) for d, level in model_levels(model).items()}
