"""The survey figures, drawn in one language from the survey step's results: distributions and
shares by organisation type (n per group, one item order per block), concern against readiness."""

from __future__ import annotations

import pandas as pd

from analysis.disclosure.rules import Rules
from analysis.figures.plots import diverging_likert, share_by_group, threats_against_preparedness
from analysis.figures.publisher import Publisher
from analysis.i18n import in_sentence, share, t
from analysis.survey.analyse import ALL
from analysis.survey.codebook import Codebook
from analysis.survey.labels import group_labels

BLOCKS = ("threats", "opportunities")
GROUPS = ["university", "uas", "research_institute", "other", ALL]


def group_sizes(table: pd.DataFrame, by: str = "org_type") -> dict[str, float]:
    """The most respondents behind any item of ``table``, per group (NaN where suppressed)."""
    return pd.to_numeric(table["n"], errors="coerce").groupby(table[by]).max().to_dict()


def labels_with_n(labels: dict[str, str], sizes: dict[str, float], min_cell: int, lang: str):
    """Group labels with their n ("University (n = 120)"; "n < 5" where suppressed)."""
    result = {}
    for key, label in labels.items():
        n = sizes.get(key)
        if n is None:
            continue
        result[key] = (
            t("survey.group_small", lang, group=label, min_cell=min_cell)
            if pd.isna(n)
            else t("survey.group_n", lang, group=label, n=int(n))
        )
    return result


def item_order(likert: pd.DataFrame) -> list[str]:
    """Items by the share agreeing (4–5) among all respondents, lowest first: the one order of
    every figure of a block."""
    everyone = likert[likert["org_type"] == ALL]
    agree = pd.to_numeric(everyone["share_4"], errors="coerce") + pd.to_numeric(
        everyone["share_5"], errors="coerce"
    )
    return (
        everyone.assign(agree=agree.to_numpy())
        .sort_values(["agree", "item_id"])["item_id"]
        .tolist()
    )


def draw_survey_figures(
    results,  # steps.survey_analysis.SurveyResults
    book: Codebook,
    lang: str,
    rules: Rules,
    pub: Publisher,
    weighting: str = "respondents",
) -> None:
    groups = group_labels(book, lang)
    withheld = t("disclosure.withheld", lang, min_cell=rules.min_cell, group_size=rules.group_size)
    scale = book.scales["agree5"]
    source = t("survey.source", lang)
    weighted = t(f"survey.weighting.{weighting}", lang)
    interval = t(f"survey.interval.{results.agreement['interval_method'].iloc[0]}", lang)
    for block in BLOCKS:
        labels = {i.id: i.text[lang] for i in book.block_items(block)}
        distribution = results.likert[results.likert["block"] == block]
        shares = results.agreement[results.agreement["block"] == block]
        order = item_order(distribution)
        sized = labels_with_n(groups, group_sizes(shares), rules.min_cell, lang)
        panels = {ALL: sized[ALL], **{g: sized[g] for g in GROUPS if g in sized and g != ALL}}
        pub.figure(
            diverging_likert(
                distribution,
                labels=labels,
                scale_labels=[scale.label(c, lang) for c in scale.codes],
                group_labels=panels,
                title=t(f"survey.likert_heading.{block}", lang),
                suppressed=t("survey.likert_suppressed", lang),
                percent=lambda value: share(value, lang),
                order=order,
            ),
            f"{block}_likert",
            title=t(f"survey.likert_title.{block}", lang),
            caption=f"{t('survey.likert_caption', lang)} {withheld} {weighted}",
            alt=t(f"survey.likert_alt.{block}", lang, item=in_sentence(labels[order[-1]])),
            data=distribution,
            source=source,
        )
        pub.figure(
            share_by_group(
                shares,
                labels=labels,
                group="org_type",
                group_labels=sized,
                title=t(f"survey.share_heading.{block}", lang),
                xlabel=t("survey.share_axis", lang),
                order=order[::-1],
            ),
            f"{block}_by_org_type",
            title=t(f"survey.share_title.{block}", lang),
            caption=f"{t('survey.share_caption', lang)} {interval} {withheld} {weighted}",
            alt=t(f"survey.share_alt.{block}", lang),
            data=shares,
            source=source,
        )
    points = results.concern_vs_readiness
    # The corner is named only when a group is in it: an empty quadrant is not a finding.
    occupied = ((points["threat_share"] > 0.5) & (points["readiness"] < 0.5)).any()
    pub.figure(
        threats_against_preparedness(
            points.assign(label=lambda d: d["group"].map(groups)),
            title=t("survey.concern_heading", lang),
            xlabel=t("survey.concern_x", lang),
            ylabel=t("survey.concern_y", lang),
            corner=t("survey.concern_corner", lang) if occupied else "",
        ),
        "threats_vs_preparedness",
        title=t("survey.concern_title", lang),
        caption=t(
            "survey.concern_caption",
            lang,
            threats=len(book.block_items("threats")),
            arrangements=len(book.block_items("preparedness")),
        )
        + " "
        + weighted,
        alt=t("survey.concern_alt", lang),
        data=points,
        source=source,
    )
