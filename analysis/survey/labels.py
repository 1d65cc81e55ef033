"""Survey results named for a reader: group labels and the readiness table in a language.

Kept apart from the survey analysis step, so a report that only shows results does not load
the step's table schemas.
"""

from __future__ import annotations

import pandas as pd

from analysis.i18n import t
from analysis.survey.analyse import ALL
from analysis.survey.codebook import Codebook


def group_labels(codebook: Codebook, lang: str) -> dict[str, str]:
    """Sector key → its name in ``lang``, and all respondents."""
    scale = codebook.scales["org_type"]
    labels = {code: scale.label(code, lang) for code in scale.codes}
    labels[ALL] = t("survey.all_respondents", lang)
    return labels


def readiness_by_group(
    readiness: pd.DataFrame, group: str, columns: dict[str, str], lang: str, book: Codebook
) -> pd.DataFrame:
    """The readiness index (0–100) per arrangement, one column per group of ``columns``
    (group key → heading, in the order shown), arrangements named in ``lang``; a withheld
    cell stays empty (the table shows it as –)."""
    labels = {i.id: i.text[lang] for i in book.block_items("preparedness")}
    wide = readiness.pivot(index="item_id", columns=group, values="readiness").reindex(list(labels))
    wide.index = [labels[i] for i in wide.index]
    wide = wide[[g for g in columns if g in wide.columns]].rename(columns=columns)
    wide.columns.name = None
    percent = (wide.astype(float) * 100).round(0).astype("Int64")
    return percent.reset_index(names=t("column.arrangement", lang))
