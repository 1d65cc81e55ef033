"""The scoring model as the method appendix shows it, read from the model file itself."""

from __future__ import annotations

import math

import pandas as pd

from analysis.files.paths import resolve
from analysis.i18n import in_sentence, listing, number, page_text, pick, share, t
from analysis.i18n.page import PageText, join
from analysis.report.values import indicator_value
from analysis.scoring.model import (
    applicable,
    context_indicators,
    indicators,
    load_scoring_model,
    perception_indicators,
)

RESTRICTIVE = "restrictive_measures"  # the indicator the overlap paragraph is about


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
                t("method.column.transform", lang): t(
                    f"transform.{i.transform}", lang, cap=number(i.cap or 0, lang)
                )
                if i.transform
                else "",
                t("method.column.applies_to", lang): listing(
                    [t(f"applies.{flag}", lang) for flag in i.applies_to], lang
                )
                if i.applies_to
                else t("applies.all", lang),
            }
            for i in indicators(model)
        ]
    )


def goalposts_table(scoring_model: str, lang: str) -> pd.DataFrame:
    """Each indicator's goalposts on its own scale and why they are where they are."""
    model = load_scoring_model(resolve(scoring_model))
    return pd.DataFrame(
        [
            {
                t("method.column.indicator", lang): pick(i.label, lang),
                t("method.column.goalposts", lang): goalposts_text(i, lang),
                t("method.column.goalposts_reason", lang): pick(i.reason, lang),
            }
            for i in indicators(model)
        ]
    )


def goalposts_text(item, lang: str) -> str:
    """An indicator's goalposts on its own scale, low to high ("0,2–0,8")."""
    low, high = item.goalposts
    return f"{indicator_value(low, item.unit, lang)} – {indicator_value(high, item.unit, lang)}"


def _label(item, lang: str) -> str:
    return in_sentence(pick(item.label, lang))


def indicator_paragraph(model: dict, scores: pd.DataFrame, min_cell: int, lang: str) -> PageText:
    """What the indicators measure, from the model: each indicator declared for some countries
    only (to whom it applies, and how many scored countries that is), each on a fixed capped
    scale (what one counts), and the survey's small-count rule."""
    applies = applicable(scores, model) if len(scores) else None
    parts = []
    for item in indicators(model):
        if item.applies_to:
            flags = listing([t(f"applies.{flag}", lang) for flag in item.applies_to], lang)
            count = int(applies[item.name].sum()) if applies is not None else 0
            parts.append(
                page_text(
                    "method.applies_item",
                    lang,
                    indicator=pick(item.label, lang),
                    flags=flags,
                    countries=count,
                    scored=len(scores),
                )
            )
    capped = []
    for item in indicators(model):
        if item.transform == "capped_log":
            capped.append(
                page_text(
                    "method.capped_item",
                    lang,
                    indicator=pick(item.label, lang),
                    cap=number(item.cap, lang),
                    one=share(math.log(2) / math.log1p(item.cap), lang),
                )
            )
    survey = page_text("method.survey_min_cell", lang, min_cell=min_cell, most=min_cell - 1)
    sentences = [*parts, *capped, survey]
    return page_text("method.indicators", lang, sentences=join(sentences, " "))


def overlap_paragraph(model: dict, lang: str) -> PageText | None:
    """The deliberate overlaps of the model: restrictive measures (when scored) and the
    perception indicators in both scores (when there are any)."""
    perceptions = perception_indicators(model)
    if not perceptions:
        return None
    restrictive = [i for i in indicators(model) if i.name == RESTRICTIVE]
    return page_text(
        "method.overlaps",
        lang,
        restrictive=page_text(
            "method.overlaps_restrictive", lang, indicator=_label(restrictive[0], lang)
        )
        if restrictive
        else PageText.composed(""),
        perceptions=listing([_label(i, lang) for i in perceptions], lang),
    )


def context_paragraph(model: dict, lang: str) -> PageText | None:
    """The context indicators shown on the cards and not weighted, when the model has any."""
    items = context_indicators(model)
    if not items:
        return None
    sources = model.get("sources", {})
    names = list(dict.fromkeys(pick(sources.get(i.source, i.source), lang) for i in items))
    return page_text(
        "method.context",
        lang,
        indicators=listing(
            [pick(i.label, lang) if n == 0 else _label(i, lang) for n, i in enumerate(items)],
            lang,
        ),
        source="; ".join(names),
    )
