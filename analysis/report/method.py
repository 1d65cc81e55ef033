"""The scoring model as the method appendix shows it, read from the model file itself."""

from __future__ import annotations

import pandas as pd

from analysis.files.paths import resolve
from analysis.i18n import pick, t
from analysis.scoring.model import indicators, load_scoring_model


def method_table(scoring_model: str, lang: str = "en") -> pd.DataFrame:
    """The model as a table for the report's appendix, read from the YAML itself."""
    model = load_scoring_model(resolve(scoring_model))
    return pd.DataFrame(
        [
            {
                t("method.column.score", lang): t(f"dimension.{i.dimension}", lang),
                t("method.column.indicator", lang): pick(i.label, lang),
                t("method.column.source", lang): pick(
                    model.get("sources", {}).get(i.source, i.source), lang
                ),
                t("method.column.more_means", lang): t(
                    f"method.{'more' if i.direction == 'higher' else 'less'}_{i.dimension}", lang
                ),
                t("method.column.weight", lang): i.weight,
                t("method.column.transform", lang): t(f"transform.{i.transform}", lang)
                if i.transform
                else "",
            }
            for i in indicators(model)
        ]
    )
