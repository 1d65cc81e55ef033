"""The survey analysis step: results tables (already suppressed) and their figures.

Everything the report says about the survey is read from the tables written here, so each
number in the report can be traced to a row of a table in ``data/processed/``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera import Check, Column

from analysis.figures.plots import diverging_likert, share_by_group, threats_against_preparedness
from analysis.figures.publisher import Publisher
from analysis.files.paths import resolve
from analysis.files.tables import read_table, write_table
from analysis.i18n import in_sentence, share, t
from analysis.survey.analyse import (
    ALL,
    WEIGHTINGS,
    agreement_shares,
    country_mentions,
    likert_distribution,
    preparedness_index,
)
from analysis.survey.codebook import ORGANISATIONAL, Codebook, load_codebook
from analysis.survey.comments import comment_themes, load_themes
from analysis.survey.coverage import load_population, response_rates
from analysis.survey.organisations import (
    RULES,
    organisation_answers,
    readiness_by_organisation,
)

BLOCKS = ("threats", "opportunities")
GROUPS = ["university", "uas", "research_institute", "other", ALL]
_SUPPRESSED = Column(str, Check.isin(["", "primary", "secondary"]))

AGREEMENT = pa.DataFrameSchema(
    {
        "block": Column(str, Check.isin(list(BLOCKS))),
        "item_id": Column(str),
        "org_type": Column(str, Check.isin(GROUPS)),
        "n": Column(float, Check.ge(0), nullable=True),
        "organisations": Column(float, Check.ge(0), nullable=True),
        "dont_know": Column(float, Check.ge(0), nullable=True),
        "agree": Column(float, Check.ge(0), nullable=True),
        "share_agree": Column(float, Check.in_range(0, 1), nullable=True),
        "ci_low": Column(float, Check.in_range(0, 1), nullable=True),
        "ci_high": Column(float, Check.in_range(0, 1), nullable=True),
        "suppressed": _SUPPRESSED,
        "weighting": Column(str, Check.isin(list(WEIGHTINGS))),
    },
    unique=["block", "item_id", "org_type"],
    strict=True,
    coerce=True,
)
LIKERT = pa.DataFrameSchema(
    {
        "block": Column(str, Check.isin(list(BLOCKS))),
        "item_id": Column(str),
        "org_type": Column(str, Check.isin(GROUPS)),
        **{f"share_{k}": Column(float, Check.in_range(0, 1), nullable=True) for k in range(1, 6)},
        "n": Column(float, Check.ge(0), nullable=True),
        "suppressed": _SUPPRESSED,
    },
    strict=True,
    coerce=True,
)
READINESS = pa.DataFrameSchema(
    {
        "item_id": Column(str),
        "org_type": Column(str, Check.isin(GROUPS)),
        "n": Column(float, Check.ge(0), nullable=True),
        "readiness": Column(float, Check.in_range(0, 1), nullable=True),
        "share_yes": Column(float, Check.in_range(0, 1), nullable=True),
        "suppressed": _SUPPRESSED,
    },
    unique=["item_id", "org_type"],
    strict=True,
    coerce=True,
)
_SHARE = Column(float, Check.in_range(0, 1), nullable=True)
_COUNT = Column(float, Check.ge(0), nullable=True)
READINESS_BY_ORGANISATION = pa.DataFrameSchema(
    {
        "item_id": Column(str),
        "org_type": Column(str, Check.isin(GROUPS)),
        "organisations": _COUNT,
        "in_place": _COUNT,
        "share_in_place": _SHARE,
        "ci_low": _SHARE,
        "ci_high": _SHARE,
        "ties": _COUNT,
        "multi_respondent": _COUNT,
        "disagreeing": _COUNT,
        "share_disagreeing": _SHARE,
        "suppressed": _SUPPRESSED,
        "rule": Column(str, Check.isin(list(RULES))),
    },
    unique=["item_id", "org_type"],
    strict=True,
    coerce=True,
)
RESPONSE_RATES = pa.DataFrameSchema(
    {
        "org_type": Column(str, Check.isin(GROUPS), unique=True),
        "invited": _COUNT,
        "responded": _COUNT,
        "not_responded": _COUNT,
        "response_rate": _SHARE,
        "ci_low": _SHARE,
        "ci_high": _SHARE,
        "responses": _COUNT,
        "suppressed": _SUPPRESSED,
    },
    strict=True,
    coerce=True,
)
MENTIONS = pa.DataFrameSchema(
    {
        "item_id": Column(str, Check.isin(["concern_countries", "opportunity_countries"])),
        "iso2": Column(str, Check.str_matches(r"^[A-Z]{2}$")),
        "respondents": Column(float, Check.ge(0), nullable=True),
        "share": Column(float, Check.in_range(0, 1), nullable=True),
        "share_of_naming": _SHARE,
        "named_any": Column(int, Check.ge(0)),
        "base": Column(int, Check.ge(0)),
        "suppressed": _SUPPRESSED,
    },
    unique=["item_id", "iso2"],
    strict=True,
    coerce=True,
)
COMMENT_THEMES = pa.DataFrameSchema(
    {
        "theme": Column(str, unique=True),
        "respondents": Column(float, Check.ge(0), nullable=True),
        "share_of_commenters": Column(float, Check.in_range(0, 1), nullable=True),
        "commenters": Column(int, Check.ge(0)),
        "suppressed": _SUPPRESSED,
    },
    strict=True,
    coerce=True,
)
CONCERN_VS_READINESS = pa.DataFrameSchema(
    {
        "group": Column(str, Check.isin(GROUPS)),
        "threat_share": Column(float, Check.in_range(0, 1)),
        "readiness": Column(float, Check.in_range(0, 1)),
    },
    strict=True,
    coerce=True,
)


@dataclass
class SurveyResults:
    agreement: pd.DataFrame
    likert: pd.DataFrame
    readiness: pd.DataFrame
    readiness_by_organisation: pd.DataFrame
    response_rates: pd.DataFrame
    mentions: pd.DataFrame
    concern_vs_readiness: pd.DataFrame
    comment_themes: pd.DataFrame


def group_labels(codebook: Codebook, lang: str) -> dict[str, str]:
    scale = codebook.scales["org_type"]
    labels = {code: scale.label(code, lang) for code in scale.codes}
    labels[ALL] = t("survey.all_respondents", lang)
    return labels


def readiness_by_group(
    readiness: pd.DataFrame, group: str, columns: dict[str, str], lang: str, book: Codebook
) -> pd.DataFrame:
    """The readiness index (0–100) per arrangement, one column per group of ``columns``
    (group key → heading, in the order shown), arrangements named in ``lang``."""
    labels = {i.id: i.text[lang] for i in book.block_items("preparedness")}
    wide = readiness.pivot(index="item_id", columns=group, values="readiness").reindex(list(labels))
    wide.index = [labels[i] for i in wide.index]
    wide = wide[[g for g in columns if g in wide.columns]].rename(columns=columns)
    wide.columns.name = None
    percent = (wide.astype(float) * 100).round(0).astype("Int64")
    return percent.reset_index(names=t("column.arrangement", lang))


def survey_results(
    processed_dir: str,
    figures_dir: str,
    raw_dir: str,
    codebook: str,
    comment_themes_path: str,
    min_cell: int,
    languages: list[str],
    organisation_rule: str = "designated_or_majority",
    perceptual_weighting: str = "respondents",
    population: str = "config/population/demo.csv",
    stem: str = "21_survey_analysis",
) -> SurveyResults:
    """Compute and write the survey results (language-neutral), and draw each figure in every
    report language into ``figures_dir``.

    Perceptual items (threats, opportunities) are shares of respondents weighted by
    ``perceptual_weighting``; organisational items (preparedness) are also counted once per
    organisation, its answer decided by ``organisation_rule``. ``population`` lists every
    organisation invited, for the response rates by sector."""
    book = load_codebook(resolve(codebook))
    respondents = read_table(processed_dir, "survey_respondents")
    answers = read_table(processed_dir, "survey_answers")
    countries = read_table(processed_dir, "survey_countries")
    by = "org_type"

    agreement = pd.concat(
        [
            agreement_shares(
                answers, respondents, block, by, min_cell, perceptual_weighting
            ).assign(block=block, weighting=perceptual_weighting)
            for block in BLOCKS
        ],
        ignore_index=True,
    )
    likert = pd.concat(
        [
            likert_distribution(answers, respondents, block, by, min_cell).assign(block=block)
            for block in BLOCKS
        ],
        ignore_index=True,
    )
    readiness = preparedness_index(answers, respondents, by, min_cell)
    organisational = [item.id for item in book.unit_items(ORGANISATIONAL)]
    by_organisation = readiness_by_organisation(
        organisation_answers(answers, respondents, organisational, organisation_rule), min_cell
    ).assign(rule=organisation_rule)
    mentions = pd.concat(
        [
            country_mentions(countries, respondents, item, min_cell).assign(item_id=item)
            for item in ("concern_countries", "opportunity_countries")
        ],
        ignore_index=True,
    )
    threat_means = (
        agreement[agreement["block"] == "threats"]
        .assign(share=lambda d: pd.to_numeric(d["share_agree"], errors="coerce"))
        .groupby(by)["share"]
        .mean()
    )
    ready_means = (
        readiness.assign(value=lambda d: pd.to_numeric(d["readiness"], errors="coerce"))
        .groupby(by)["value"]
        .mean()
    )
    points = (
        pd.DataFrame({"threat_share": threat_means, "readiness": ready_means})
        .dropna()
        .drop(index=ALL, errors="ignore")
        .reset_index(names="group")
    )
    results = SurveyResults(
        agreement=write_table(agreement, processed_dir, "survey_agreement", AGREEMENT),
        likert=write_table(likert, processed_dir, "survey_likert", LIKERT),
        readiness=write_table(readiness, processed_dir, "survey_readiness", READINESS),
        response_rates=write_table(
            response_rates(
                load_population(resolve(population), list(book.scales["org_type"].codes)),
                respondents,
                min_cell,
            ),
            processed_dir,
            "survey_response_rates",
            RESPONSE_RATES,
        ),
        readiness_by_organisation=write_table(
            by_organisation,
            processed_dir,
            "survey_readiness_by_organisation",
            READINESS_BY_ORGANISATION,
        ),
        mentions=write_table(mentions, processed_dir, "survey_country_mentions", MENTIONS),
        concern_vs_readiness=write_table(
            points, processed_dir, "survey_concern_vs_readiness", CONCERN_VS_READINESS
        ),
        comment_themes=write_table(
            comment_themes(respondents, load_themes(resolve(comment_themes_path)), min_cell),
            processed_dir,
            "survey_comment_themes",
            COMMENT_THEMES,
        ),
    )
    for pub in Publisher.for_languages(stem, figures_dir, raw_dir, languages):
        draw_survey_figures(results, book, pub.lang, min_cell, pub, perceptual_weighting)
    return results


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
    results: SurveyResults,
    book: Codebook,
    lang: str,
    min_cell: int,
    pub: Publisher,
    weighting: str = "respondents",
) -> None:
    groups = group_labels(book, lang)
    scale = book.scales["agree5"]
    source = t("survey.source", lang)
    weighted = t(f"survey.weighting.{weighting}", lang)
    for block in BLOCKS:
        labels = {i.id: i.text[lang] for i in book.block_items(block)}
        distribution = results.likert[results.likert["block"] == block]
        shares = results.agreement[results.agreement["block"] == block]
        order = item_order(distribution)
        sized = labels_with_n(groups, group_sizes(shares), min_cell, lang)
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
            caption=t("survey.likert_caption", lang, min_cell=min_cell) + " " + weighted,
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
            caption=t("survey.share_caption", lang, min_cell=min_cell) + " " + weighted,
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
