"""Step 25, threats and opportunities: scores on each country's own evidence, the class the
uncertainty draws support, country cards, sensitivity (by source and Sobol' indices), the
statistical audit, the matrix and the trends."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera import Check, Column

from analysis.figures.assessment import draw_audit_figures, draw_matrix_figures
from analysis.figures.publisher import Publisher
from analysis.files.paths import resolve
from analysis.files.tables import read_table, write_table
from analysis.reference.countries import CountryResolver
from analysis.scoring.cards import STATUSES, country_cards
from analysis.scoring.model import (
    CONTEXT,
    DIMENSIONS,
    NOT_PLACED,
    QUADRANT_KEYS,
    SCORES,
    UNCERTAIN,
    load_scoring_model,
    measured_evidence,
    score,
)
from analysis.scoring.sensitivity import variance_based
from analysis.scoring.uncertainty import Assessment, assess, settings
from analysis.steps.scoring_audit import write_audit
from analysis.survey.bootstrap import mention_replicates
from analysis.survey.codebook import load_codebook


@dataclass
class MatrixResults:
    scores: pd.DataFrame
    sensitivity: pd.DataFrame
    trends: pd.DataFrame
    cards: pd.DataFrame
    assessment: Assessment
    sobol: pd.DataFrame
    audit: dict[str, pd.DataFrame]


# The survey's country questions behind the perception indicators.
SURVEY_ITEMS = {
    "survey_opportunity": "opportunity_countries",
    "survey_concern": "concern_countries",
}


def survey_shares(mentions: pd.DataFrame, item_id: str, iso2: pd.Series, min_cell: int):
    """One country question's shares for the countries ``iso2``: the published share; a
    withheld one as censored (missing, with its bounds 1 / base and (min_cell - 1) / base: named
    by 1 to min_cell - 1 respondents, since a country no respondent named is published as 0);
    0 for a country no respondent named."""
    rows = mentions[mentions["item_id"] == item_id].set_index("iso2")
    withheld = rows["share"].isna()
    base = float(rows["base"].max()) if len(rows) else float("nan")
    value = iso2.map(rows["share"]).astype(float)
    censored = iso2.map(withheld).fillna(False).astype(bool)
    value = value.where(censored | value.notna(), 0.0)
    high = pd.Series(np.where(censored, (min_cell - 1) / base, np.nan), index=iso2.index)
    low = pd.Series(np.where(censored, 1 / base, np.nan), index=iso2.index)
    return value, low, high


def indicator_table(
    processed_dir: str,
    min_copublications: int,
    min_cell: int,
    mentions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per scored partner country with every indicator the model names, the bounds of
    a censored survey share (``<indicator>_low``, ``_high``) and the year of an indicator
    where the data say it (``<indicator>_year``). The survey's country shares are
    ``survey_country_mentions`` as written, unless ``mentions`` (the same columns) is given."""
    cooperation = read_table(processed_dir, "cooperation_by_country")
    context = read_table(processed_dir, "country_context")
    if mentions is None:
        mentions = read_table(processed_dir, "survey_country_mentions")
    screening = read_table(processed_dir, "screening_by_country")
    table = cooperation[cooperation["copublications"] >= min_copublications].copy()
    table["copublication_growth"] = table["copublication_growth_percent"]
    table["students"] = table["students_outgoing"] + table["students_incoming"]
    for column, item in SURVEY_ITEMS.items():
        value, low, high = survey_shares(mentions, item, table["iso2"], min_cell)
        table[column], table[f"{column}_low"], table[f"{column}_high"] = value, low, high
    table = table.merge(context.drop(columns="country"), on="iso2", how="left")
    table["restrictive_measures"] = table["eu_restrictive_measures"].astype(float)
    # EU projects relative to cooperation volume (missing for a country with no volume).
    volume = table["copublications"].where(table["copublications"] > 0)
    table["eu_projects_per_1000"] = table["eu_projects"] / volume * 1000
    table["critical_copublications"] = table["copublications"] * table["critical_share"]
    confirmed = screening.set_index("iso2")["institutions_confirmed"]
    table["screening_confirmed"] = table["iso2"].map(confirmed).fillna(0)
    latest = int(read_table(processed_dir, "openalex_copublications")["year"].max())
    table["copublications_year"] = latest
    table["copublication_growth_year"] = latest
    mobility = read_table(processed_dir, "mobility")
    if len(mobility):
        table["students_year"] = int(mobility["year"].max())
    critical = read_table(processed_dir, "openalex_critical_by_partner_year")
    if len(critical):
        table["critical_share_year"] = int(critical["year"].max())
        table["critical_copublications_year"] = latest
    return table.reset_index(drop=True)


def survey_replicates(processed_dir: str, model: dict) -> dict[str, pd.DataFrame]:
    """Cluster-bootstrap replicates (organisations resampled) of every perception indicator's
    shares, as the uncertainty analysis's survey sampling; none when the model declares no
    replicates."""
    config = settings(model)
    count = int(config["survey_replicates"])
    if count <= 0:
        return {}
    respondents = read_table(processed_dir, "survey_respondents")
    countries = read_table(processed_dir, "survey_countries")
    return {
        indicator: mention_replicates(countries, respondents, item, count, int(config["seed"]))
        for indicator, item in SURVEY_ITEMS.items()
    }


def prompted_columns(table: pd.DataFrame, codebook: str) -> pd.DataFrame:
    """Per country and country question: whether the questionnaire listed the country in
    advance (``<indicator>_prompted``); any other country was written in."""
    items = load_codebook(resolve(codebook)).items
    return pd.DataFrame(
        {
            f"{indicator}_prompted": table["iso2"].isin(items[item].options)
            for indicator, item in SURVEY_ITEMS.items()
            if item in items
        },
        index=table.index,
    )


def assess_countries(
    processed_dir: str,
    model: dict,
    min_cell: int,
    codebook: str = "config/codebook.yaml",
    mentions: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, Assessment]:
    """The indicator table, every country's scores, class and uncertainty columns (the rows
    of ``country_scores``, not yet validated) and the joint assessment, under ``model``;
    nothing is written. The step and ``analysis.whatif`` both score through here."""
    table = indicator_table(processed_dir, int(model["min_copublications"]), min_cell, mentions)
    scores = score(table, model)
    assessment = assess(table, model, survey_replicates(processed_dir, model))
    evidence = measured_evidence(table, model)
    prompted = prompted_columns(table, codebook)
    result = pd.concat([table, scores, assessment.countries, evidence, prompted], axis=1)
    return table, result, assessment


QUADRANTS = [*QUADRANT_KEYS, UNCERTAIN, NOT_PLACED]
UNIT = Column(float, Check.in_range(0, 1))
SHARE = Column(float, Check.in_range(0, 1), nullable=True)
RANK = Column(int, Check.ge(1))
SCORES_SCHEMA = pa.DataFrameSchema(
    {
        "iso2": Column(str, unique=True),
        "country": Column(str),
        "copublications": Column(int),
        # Scores on 0–1 (the report shows 0–100): the centre of the interval the censored and
        # unmeasured values leave (<score>_min … <score>_max), and the 5–95 % draws.
        **{
            f"{dimension}{suffix}": UNIT
            for dimension in DIMENSIONS
            for suffix in ("", "_min", "_max", "_p05", "_p95")
        },
        "coverage": UNIT,
        # The class the same draws support under each other declared aggregation.
        "quadrant_geometric": Column(str, Check.isin(QUADRANTS), required=False),
        # The published class: the class most draws support, if at least stable_share do.
        "quadrant": Column(str, Check.isin(QUADRANTS)),
        "quadrant_share": SHARE,
        "class_likeliest": Column(str, Check.isin(list(QUADRANT_KEYS)), nullable=True),
        "class_second": Column(str, Check.isin(list(QUADRANT_KEYS)), nullable=True),
        "class_second_share": SHARE,
        **{f"share_{key}": SHARE for key in QUADRANT_KEYS},
        "opportunity_rank_low": RANK,
        "opportunity_rank_high": RANK,
        "threat_rank_low": RANK,
        "threat_rank_high": RANK,
        "stable": Column(bool),
        # Leave-out scenarios (indicator names, or "survey") that change the settled class.
        "depends_on": Column(str),
        **{f"{name}_prompted": Column(bool) for name in SURVEY_ITEMS},
        # The same countries on measured evidence only (the perception indicators left out).
        "opportunity_measured_only": UNIT,
        "threat_measured_only": UNIT,
        "quadrant_measured_only": Column(str, Check.isin(QUADRANTS)),
        "coverage_measured_only": UNIT,
    },
    strict=False,
    coerce=True,
    checks=[
        Check(lambda f: (f["threat_rank_low"] <= f["threat_rank_high"]).all()),
        Check(lambda f: (f["opportunity_rank_low"] <= f["opportunity_rank_high"]).all()),
        Check(lambda f: (f["threat_min"] <= f["threat"] + 1e-12).all()),
        Check(lambda f: (f["threat"] <= f["threat_max"] + 1e-12).all()),
    ],
)
SENSITIVITY = pa.DataFrameSchema(
    {
        "variant": Column(
            str,
            Check.str_matches(
                r"^(joint|weights|goalposts|aggregation|survey_sampling|intervals|levels"
                r"|leave_out:\w+)$"
            ),
        ),
        "score": Column(str, Check.isin(list(SCORES))),
        "draws": Column(int, Check.ge(1)),
        "spearman_median": Column(float, Check.in_range(-1, 1), nullable=True),
        "spearman_min": Column(float, Check.in_range(-1, 1), nullable=True),
        "share_changing_quadrant_median": UNIT,
        "share_changing_quadrant_max": UNIT,
        "countries_changing": Column(str),
        "median_absolute_rank_shift": Column(float, Check.ge(0)),
    },
    strict=True,
    coerce=True,
)
SOBOL = pa.DataFrameSchema(
    {
        "iso2": Column(str),
        "score": Column(str, Check.isin(list(SCORES))),
        "input": Column(str),
        "first_order": Column(float),
        "first_order_low": Column(float),
        "first_order_high": Column(float),
        "total_effect": Column(float),
        "total_effect_low": Column(float),
        "total_effect_high": Column(float),
        "variance": Column(float, Check.ge(0)),
    },
    strict=True,
    coerce=True,
    unique=["iso2", "score", "input"],
)
CARDS = pa.DataFrameSchema(
    {
        "iso2": Column(str),
        "dimension": Column(str, Check.isin([*DIMENSIONS, CONTEXT])),
        "indicator": Column(str),
        "order": Column(int),
        "raw_value": Column(float, nullable=True),
        # A censored value's bounds on the indicator's own scale.
        "value_low": Column(float, nullable=True),
        "value_high": Column(float, nullable=True),
        "unit": Column(str),
        "source": Column(str),
        "year": Column("Int64", nullable=True),
        "status": Column(str, Check.isin(list(STATUSES))),
        "normalised": Column(float, Check.in_range(0, 1), nullable=True),
        "normalised_low": Column(float, Check.in_range(0, 1), nullable=True),
        "normalised_high": Column(float, Check.in_range(0, 1), nullable=True),
        "weight": Column(float, Check.ge(0)),
        "weight_share": UNIT,
        "contribution": UNIT,
        "opportunity": UNIT,
        "threat": UNIT,
        "exposure": UNIT,
        "coverage": UNIT,
        "quadrant": Column(str, Check.isin(QUADRANTS)),
        "quadrant_share": SHARE,
        "stable": Column(bool),
        "depends_on": Column(str),
        "opportunity_rank_low": RANK,
        "opportunity_rank_high": RANK,
        "threat_rank_low": RANK,
        "threat_rank_high": RANK,
    },
    strict=True,
    coerce=True,
    unique=["iso2", "indicator"],
)


def threats_opportunities(
    processed_dir: str,
    figures_dir: str,
    raw_dir: str,
    scoring_model: str,
    languages: list[str],
    country_aliases: str = "config/country_aliases.yaml",
    min_cell: int = 5,
    codebook: str = "config/codebook.yaml",
) -> MatrixResults:
    """Score every partner country on its own evidence, publish the class the uncertainty
    draws support (class keys, not names), write ``country_scores``, ``scoring_sensitivity``,
    ``scoring_sobol``, ``country_cards`` and the ``scoring_audit_*`` tables, and draw the
    matrix, the trends and the audit's correlations in every language."""
    model = load_scoring_model(resolve(scoring_model))
    table, result, assessment = assess_countries(processed_dir, model, min_cell, codebook)
    result = write_table(result, processed_dir, "country_scores", SCORES_SCHEMA, csv_copy=True)
    summary = write_table(
        assessment.sensitivity, processed_dir, "scoring_sensitivity", SENSITIVITY, csv_copy=True
    )
    sobol = write_table(
        variance_based(assessment.inputs, model),
        processed_dir,
        "scoring_sobol",
        SOBOL,
        csv_copy=True,
    )
    cards = write_table(
        country_cards(table, model, result), processed_dir, "country_cards", CARDS, csv_copy=True
    )
    audit = write_audit(processed_dir, assessment, model, result)
    copublications = read_table(processed_dir, "openalex_copublications")
    trends = (
        copublications.merge(result[["iso2", "quadrant"]], on="iso2")
        .groupby(["year", "quadrant"])["works"]
        .sum()
        .reset_index()
    )
    resolver = CountryResolver(resolve(country_aliases))
    for pub in Publisher.for_languages("25_threats_opportunities", figures_dir, raw_dir, languages):
        if len(result):
            names = {code: resolver.name(code, pub.lang) for code in result["iso2"]}
            draw_matrix_figures(pub, result, trends, model, assessment, names)
            draw_audit_figures(pub, audit, model)
    return MatrixResults(result, summary, trends, cards, assessment, sobol, audit)
