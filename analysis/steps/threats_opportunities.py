"""Step 25, threats and opportunities: scores on each country's own evidence, the class the
uncertainty draws support, country cards, sensitivity (by source and Sobol' indices), the
statistical audit, the matrix and the trends."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandera import Check, Column

from analysis.figures.assessment import draw_audit_figures, draw_matrix_figures
from analysis.figures.publisher import Publisher
from analysis.files.paths import resolve
from analysis.files.schemas import PUBLISHABLE, col, count, flag, iso2, share, table, text
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
_CLASS = "class key (names in config/scoring.yaml): a quadrant, uncertain or not_placed"


def _unit(description: str) -> Column:
    return share(description, nullable=False)


def _class(description: str, *, required: bool = True) -> Column:
    return col(
        str, f"{description}: {_CLASS}", Check.isin(QUADRANTS), required=required, labels="class"
    )


def _rank(description: str) -> Column:
    return col(int, description, Check.ge(1))


_SCORE = "opportunity or threat"
_RANKS = {
    f"{s}_rank_{end}": _rank(f"{'best' if end == 'low' else 'worst'} rank on {s} in 90 % of draws")
    for s in SCORES
    for end in ("low", "high")
}
_SUFFIXES = {
    "": "score (centre of the interval the censored and unmeasured values leave)",
    "_min": "lowest score those values allow",
    "_max": "highest score those values allow",
    "_p05": "5th percentile of the uncertainty draws",
    "_p95": "95th percentile of the uncertainty draws",
}
SCORES_SCHEMA = table(
    "country_scores",
    "Per partner country scored: the opportunity, threat and exposure scores (0–1) with their "
    "intervals, the class the uncertainty draws support and how often, ranks and the "
    "measured-only variant. Beside them, the indicator evidence: the columns of "
    "cooperation_by_country and country_context and each indicator of config/scoring.yaml "
    "(value and <indicator>_year), not declared one by one.",
    PUBLISHABLE,
    {
        "iso2": iso2(unique=True),
        "country": text("the country's English short name (other languages: catalog.load)"),
        "copublications": col(int, "co-publications in the latest year (OpenAlex)"),
        # Scores on 0–1 (the report shows 0–100): the centre of the interval the censored and
        # unmeasured values leave (<score>_min … <score>_max), and the 5–95 % draws.
        **{
            f"{dimension}{suffix}": _unit(f"{dimension}: {about}")
            for dimension in DIMENSIONS
            for suffix, about in _SUFFIXES.items()
        },
        "coverage": _unit("share of applicable indicators measured"),
        "quadrant_geometric": _class("class under geometric aggregation", required=False),
        "quadrant": _class("the published class: most draws' class if stable_share support it"),
        "quadrant_share": share("share of draws supporting quadrant"),
        "class_likeliest": col(
            str,
            "the class most draws support",
            Check.isin(list(QUADRANT_KEYS)),
            nullable=True,
            labels="class",
        ),
        "class_second": col(
            str,
            "the second likeliest class",
            Check.isin(list(QUADRANT_KEYS)),
            nullable=True,
            labels="class",
        ),
        "class_second_share": share("share of draws supporting class_second"),
        **{f"share_{key}": share(f"share of draws in class {key}") for key in QUADRANT_KEYS},
        **_RANKS,
        "stable": flag("the class is settled (holds under the leave-out scenarios)"),
        "depends_on": text("leave-out scenarios (indicators, or survey) that change the class"),
        **{
            f"{name}_prompted": flag(f"the country was listed in advance in {item}")
            for name, item in SURVEY_ITEMS.items()
        },
        # The same countries on measured evidence only (the perception indicators left out).
        "opportunity_measured_only": _unit("opportunity on measured evidence only"),
        "threat_measured_only": _unit("threat on measured evidence only"),
        "quadrant_measured_only": _class("class on measured evidence only"),
        "coverage_measured_only": _unit("coverage on measured evidence only"),
    },
    strict=False,
    checks=[
        Check(lambda f: (f["threat_rank_low"] <= f["threat_rank_high"]).all()),
        Check(lambda f: (f["opportunity_rank_low"] <= f["opportunity_rank_high"]).all()),
        Check(lambda f: (f["threat_min"] <= f["threat"] + 1e-12).all()),
        Check(lambda f: (f["threat"] <= f["threat_max"] + 1e-12).all()),
    ],
)
SENSITIVITY = table(
    "scoring_sensitivity",
    "Per uncertainty variant and score: how much ranks and classes move over the draws.",
    PUBLISHABLE,
    {
        "variant": text(
            "joint (all at once), one source (weights, goalposts, ...) or leave_out:<indicator>",
            Check.str_matches(
                r"^(joint|weights|goalposts|aggregation|survey_sampling|intervals|levels"
                r"|leave_out:\w+)$"
            ),
        ),
        "score": text(_SCORE, Check.isin(list(SCORES))),
        "draws": count("uncertainty draws", minimum=1),
        "spearman_median": col(
            float,
            "median Spearman rank correlation with the central scores",
            Check.in_range(-1, 1),
            nullable=True,
        ),
        "spearman_min": col(
            float, "lowest Spearman rank correlation", Check.in_range(-1, 1), nullable=True
        ),
        "share_changing_quadrant_median": _unit("median share of countries changing class"),
        "share_changing_quadrant_max": _unit("largest share of countries changing class"),
        "countries_changing": text("ISO codes of countries changing class, space-separated"),
        "median_absolute_rank_shift": col(float, "median absolute rank shift", Check.ge(0)),
    },
)
_SOBOL = "Sobol' index of the score's variance due to input"
SOBOL = table(
    "scoring_sobol",
    "Per country, score and uncertain input: first-order and total Sobol' indices with 95 % "
    "bootstrap intervals.",
    PUBLISHABLE,
    {
        "iso2": iso2(),
        "score": text(_SCORE, Check.isin(list(SCORES))),
        "input": text("the uncertain input (weights, goalposts, survey_sampling, ...)"),
        **{
            f"{index}{end}": col(float, f"{index.replace('_', ' ')} {_SOBOL}{about}")
            for index in ("first_order", "total_effect")
            for end, about in (("", ""), ("_low", ", lower 95 % end"), ("_high", ", upper end"))
        },
        "variance": col(float, "variance of the score over the draws", Check.ge(0)),
    },
    unique=["iso2", "score", "input"],
)
CARDS = table(
    "country_cards",
    "Per country and indicator: the value, its status (measured, censored, not measured, not "
    "applicable), normalised value, weight and contribution, with the country's scores and "
    "class repeated (the country cards).",
    PUBLISHABLE,
    {
        "iso2": iso2(),
        "dimension": text(f"{_SCORE}, exposure or context", Check.isin([*DIMENSIONS, CONTEXT])),
        "indicator": text("indicator of config/scoring.yaml"),
        "order": col(int, "position of the indicator on the card"),
        "raw_value": col(float, "value on the indicator's own scale (unit)", nullable=True),
        # A censored value's bounds on the indicator's own scale.
        "value_low": col(float, "a censored value's lower bound (own scale)", nullable=True),
        "value_high": col(float, "a censored value's upper bound (own scale)", nullable=True),
        "unit": text("unit of raw_value (count, percent, share, index ...)"),
        "source": text("the source of the value"),
        "year": col("Int64", "year of the value", nullable=True),
        "status": text(
            "measured, censored, not_measured or not_applicable", Check.isin(list(STATUSES))
        ),
        "normalised": share("value between the goalposts"),
        "normalised_low": share("lower bound between the goalposts"),
        "normalised_high": share("upper bound between the goalposts"),
        "weight": col(float, "declared weight", Check.ge(0)),
        "weight_share": _unit("weight / the score's weights applying to the country"),
        "contribution": _unit("weight_share × normalised: its part of the score"),
        "opportunity": _unit("the country's opportunity score"),
        "threat": _unit("the country's threat score"),
        "exposure": _unit("the country's exposure score"),
        "coverage": _unit("share of applicable indicators measured"),
        "quadrant": _class("the country's published class"),
        "quadrant_share": share("share of draws supporting quadrant"),
        "stable": flag("the class is settled"),
        "depends_on": text("leave-out scenarios that change the class"),
        **_RANKS,
    },
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
