"""The survey analysis step: results tables (already suppressed) and their figures.

Everything the report says about the survey is read from the tables written here, so each
number in the report can be traced to a row of a table in ``data/processed/``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.disclosure.rules import REASONS, load_rules
from analysis.figures.publisher import Publisher
from analysis.figures.survey import BLOCKS, draw_survey_figures
from analysis.files.paths import resolve
from analysis.files.tables import read_table, write_table
from analysis.steps.survey_schemas import (
    AGREEMENT,
    COMMENT_THEMES,
    CONCERN_VS_READINESS,
    DISCLOSURE,
    LEVELS,
    LIKERT,
    MENTIONS,
    ORGANISATION_AGREEMENT,
    ORGANISATION_READINESS,
    ORGANISATION_STATUS,
    READINESS,
    READINESS_BY_ORGANISATION,
    RESPONSE_RATES,
)
from analysis.survey.analyse import (
    ALL,
    READINESS_COUNTS,
    SCALE_COUNTS,
    agreement_table,
    country_mentions,
    likert_table,
    mention_intervals,
    readiness_counts,
    readiness_intervals,
    readiness_table,
    reweight,
    scale_counts,
    withhold,
)
from analysis.survey.clustered import check_interval_method
from analysis.survey.codebook import ORGANISATIONAL, load_codebook
from analysis.survey.comments import comment_themes, load_themes
from analysis.survey.coverage import load_population, response_rates
from analysis.survey.organisations import (
    invited_by_group,
    organisation_answers,
    readiness_by_organisation,
)
from analysis.survey.standing import organisation_status


def sector_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of all respondents and of each sector, keyed by ``org_type``."""
    rows = table[table["level"] != "organisation_key"]
    return rows.rename(columns={"group": "org_type"}).drop(columns=["level", "node", "parent"])


def organisation_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of each organisation, with its sector."""
    rows = table[table["level"] == "organisation_key"]
    return rows.assign(
        organisation_key=rows["group"], org_type=rows["parent"].str.removeprefix("org_type:")
    ).drop(columns=["level", "node", "parent", "group"])


def disclosure_summary(scale: pd.DataFrame, readiness: pd.DataFrame) -> pd.DataFrame:
    """Cells at each level and why those withheld are (the information the rules cost)."""
    rows = []
    for family, table in (("scale", scale), ("preparedness", readiness)):
        for level in [ALL, *LEVELS]:
            reasons = table.loc[table["level"] == level, "suppressed"]
            rows.append(
                {
                    "family": family,
                    "level": level,
                    "cells": len(reasons),
                    **{reason or "published": int((reasons == reason).sum()) for reason in REASONS},
                }
            )
    return pd.DataFrame(rows)


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
    organisation_agreement: pd.DataFrame
    organisation_readiness: pd.DataFrame
    organisation_status: pd.DataFrame
    disclosure: pd.DataFrame


def survey_results(
    processed_dir: str,
    figures_dir: str,
    raw_dir: str,
    codebook: str,
    comment_themes_path: str,
    min_cell: int,
    languages: list[str],
    disclosure: str,
    *,
    organisation_rule: str,
    perceptual_weighting: str,
    population: str,
    interval_method: str,
    stem: str = "21_survey_analysis",
) -> SurveyResults:
    """Compute and write the survey results (language-neutral), and draw each figure in every
    report language into ``figures_dir``.

    The results of every group the release shows (all respondents, each sector, each
    organisation) are protected together under the rules in ``disclosure``, so no report
    shows a cell another report lets a reader work out.

    Perceptual items (threats, opportunities) are shares of respondents weighted by
    ``perceptual_weighting``; organisational items (preparedness) are also counted once per
    organisation, its answer decided by ``organisation_rule``. ``population`` lists every
    organisation invited, for the response rates by sector and the finite population
    correction of the organisations' shares. Respondent shares get intervals by
    ``interval_method`` (``analysis.survey.clustered``).
    """
    check_interval_method(interval_method)
    book = load_codebook(resolve(codebook))
    rules = load_rules(resolve(disclosure), min_cell)
    respondents = read_table(processed_dir, "survey_respondents")
    answers = read_table(processed_dir, "survey_answers")
    countries = read_table(processed_dir, "survey_countries")
    by = "org_type"
    invited = load_population(resolve(population), list(book.scales["org_type"].codes))

    scale = pd.concat(
        [scale_counts(answers, respondents, b, LEVELS).assign(block=b) for b in BLOCKS],
        ignore_index=True,
    )
    scale = withhold(scale, rules, ["block", "item_id"], SCALE_COUNTS)
    ready = withhold(
        readiness_counts(answers, respondents, LEVELS), rules, ["item_id"], READINESS_COUNTS
    )
    agreement = reweight(
        sector_rows(agreement_table(scale)),
        answers,
        respondents,
        by,
        perceptual_weighting,
        interval_method,
    )
    likert = sector_rows(likert_table(scale))
    readiness = readiness_intervals(
        sector_rows(readiness_table(ready)), answers, respondents, by, interval_method
    )
    organisational = [item.id for item in book.unit_items(ORGANISATIONAL)]
    decided = organisation_answers(answers, respondents, organisational, organisation_rule)
    by_organisation = readiness_by_organisation(decided, min_cell, population=invited).assign(
        rule=organisation_rule
    )
    status = organisation_status(
        respondents[["organisation_key", by]].drop_duplicates("organisation_key"),
        organisational,
        decided,
        organisation_rows(ready),
        by_organisation,
        min_cell,
        invited_by_group(invited, by),
    ).assign(rule=organisation_rule)
    mentions = pd.concat(
        [
            mention_intervals(
                country_mentions(countries, respondents, item, min_cell),
                countries,
                respondents,
                item,
                interval_method,
            ).assign(item_id=item)
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
            response_rates(invited, respondents, min_cell),
            processed_dir,
            "survey_response_rates",
            RESPONSE_RATES,
        ),
        readiness_by_organisation=write_table(
            by_organisation,
            processed_dir,
            "survey_readiness_of_organisations",
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
        organisation_agreement=write_table(
            reweight(
                organisation_rows(agreement_table(scale)),
                answers,
                respondents,
                "organisation_key",
                perceptual_weighting,
                interval_method,
            ),
            processed_dir,
            "survey_agreement_by_organisation",
            ORGANISATION_AGREEMENT,
        ),
        organisation_readiness=write_table(
            readiness_intervals(
                organisation_rows(readiness_table(ready)),
                answers,
                respondents,
                "organisation_key",
                interval_method,
            ),
            processed_dir,
            "survey_readiness_by_organisation",
            ORGANISATION_READINESS,
        ),
        organisation_status=write_table(
            status, processed_dir, "survey_organisation_status", ORGANISATION_STATUS
        ),
        disclosure=write_table(
            disclosure_summary(scale, ready), processed_dir, "survey_disclosure", DISCLOSURE
        ),
    )
    for pub in Publisher.for_languages(stem, figures_dir, raw_dir, languages):
        draw_survey_figures(results, book, pub.lang, rules, pub, perceptual_weighting)
    return results
