"""The scoring model's settings in words, for captions and the method appendix."""

from __future__ import annotations

import pandas as pd

from analysis.i18n import number, t
from analysis.scoring.cuts import QUANTILE, model_cuts
from analysis.scoring.model import quadrant_cuts


def describe_cuts(scores: pd.DataFrame, model: dict, lang: str) -> dict[str, str]:
    """Each published cut as a caption states it: where it is, its value on the published
    scores of ``scores``, and the range the uncertainty draws move it in."""
    values = quadrant_cuts(scores, model)
    described = {}
    for dimension, cut in model_cuts(model).items():
        centre = cut.described(model["normalisation"])
        if cut.kind == QUANTILE:
            described[dimension] = t(
                "matrix.cut_quantile",
                lang,
                dimension=t(f"dimension.{dimension}", lang),
                percentile=number(centre["centre"] * 100, lang),
                value=number(values[dimension], lang, 2),
                low=number(centre["low"] * 100, lang),
                high=number(centre["high"] * 100, lang),
            )
        else:
            described[dimension] = t(
                "matrix.cut",
                lang,
                dimension=t(f"dimension.{dimension}", lang),
                value=number(values[dimension], lang, 2),
                low=number(centre["low"], lang, 2),
                high=number(centre["high"], lang, 2),
            )
    return described
