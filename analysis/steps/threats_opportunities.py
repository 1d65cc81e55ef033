"""Step 25, threats and opportunities: scores, quadrants and how firmly each holds, country
cards, sensitivity by source, the matrix and the trends."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera import Check, Column

from analysis.figures.publisher import Publisher
from analysis.files.paths import resolve
from analysis.files.tables import read_table, write_table
from analysis.i18n import number, pick, share, share_down, t
from analysis.reference.countries import CountryResolver
from analysis.scoring.cards import STATUSES, country_cards
from analysis.scoring.model import (
    CONTEXT,
    NOT_PLACED,
    QUADRANT_KEYS,
    SCORES,
    load_scoring_model,
    measured_evidence,
    measured_evidence_model,
    quadrant_cuts,
    score,
)
from analysis.scoring.uncertainty import Assessment, assess
from analysis.scoring.wording import describe_cuts


@dataclass
class MatrixResults:
    scores: pd.DataFrame
    sensitivity: pd.DataFrame
    trends: pd.DataFrame
    cards: pd.DataFrame
    assessment: Assessment


def indicator_table(processed_dir: str, min_copublications: int) -> pd.DataFrame:
    """One row per scored partner country with every indicator the model names, and the year
    of an indicator where the data say it (``<indicator>_year``)."""
    cooperation = read_table(processed_dir, "cooperation_by_country")
    context = read_table(processed_dir, "country_context")
    mentions = read_table(processed_dir, "survey_country_mentions")
    screening = read_table(processed_dir, "screening_by_country")
    table = cooperation[cooperation["copublications"] >= min_copublications].copy()
    table["copublication_growth"] = table["copublication_growth_percent"]
    table["students"] = table["students_outgoing"] + table["students_incoming"]
    # A country named by fewer than min_cell respondents counts as not named: the score never
    # rests on a suppressed count.
    for item, column in (
        ("opportunity_countries", "survey_opportunity"),
        ("concern_countries", "survey_concern"),
    ):
        shares = mentions[mentions["item_id"] == item].set_index("iso2")["share"]
        table[column] = table["iso2"].map(shares).fillna(0.0)
    table = table.merge(context.drop(columns="country"), on="iso2", how="left")
    table["restrictive_measures"] = table["eu_restrictive_measures"].astype(float)
    # EU projects relative to cooperation volume (missing for a country with no volume).
    volume = table["copublications"].where(table["copublications"] > 0)
    table["eu_projects_per_1000"] = table["eu_projects"] / volume * 1000
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
    return table.reset_index(drop=True)


QUADRANTS = [*QUADRANT_KEYS, NOT_PLACED]
SHARE = Column(float, Check.in_range(0, 1), nullable=True)
RANK = Column(int, Check.ge(1))
SCORES_SCHEMA = pa.DataFrameSchema(
    {
        "iso2": Column(str, unique=True),
        "country": Column(str),
        "copublications": Column(int),
        "opportunity": Column(float, Check.in_range(0, 1)),
        "threat": Column(float, Check.in_range(0, 1)),
        "opportunity_rank": Column(float),
        "threat_rank": Column(float),
        "coverage": Column(float, Check.in_range(0, 1)),
        "quadrant": Column(str, Check.isin(QUADRANTS)),
        "quadrant_share": SHARE,
        **{f"share_{key}": SHARE for key in QUADRANT_KEYS},
        "opportunity_rank_low": RANK,
        "opportunity_rank_high": RANK,
        "threat_rank_low": RANK,
        "threat_rank_high": RANK,
        "stable": Column(bool),
        # The same countries on measured evidence only (the perception indicators left out).
        "opportunity_measured_only": Column(float, Check.in_range(0, 1)),
        "threat_measured_only": Column(float, Check.in_range(0, 1)),
        "quadrant_measured_only": Column(str, Check.isin(QUADRANTS)),
        "coverage_measured_only": Column(float, Check.in_range(0, 1)),
    },
    strict=False,
    coerce=True,
    checks=[
        Check(lambda f: (f["threat_rank_low"] <= f["threat_rank_high"]).all()),
        Check(lambda f: (f["opportunity_rank_low"] <= f["opportunity_rank_high"]).all()),
    ],
)
SENSITIVITY = pa.DataFrameSchema(
    {
        "variant": Column(
            str, Check.str_matches(r"^(joint|weights|cuts|leave_out:\w+|normalisation:\w+)$")
        ),
        "score": Column(str, Check.isin(list(SCORES))),
        "draws": Column(int, Check.ge(1)),
        "spearman_median": Column(float, Check.in_range(-1, 1), nullable=True),
        "spearman_min": Column(float, Check.in_range(-1, 1), nullable=True),
        "share_changing_quadrant_median": Column(float, Check.in_range(0, 1)),
        "share_changing_quadrant_max": Column(float, Check.in_range(0, 1)),
        "countries_changing": Column(str),
    },
    strict=True,
    coerce=True,
)
CARDS = pa.DataFrameSchema(
    {
        "iso2": Column(str),
        "dimension": Column(str, Check.isin([*SCORES, CONTEXT])),
        "indicator": Column(str),
        "order": Column(int),
        "raw_value": Column(float, nullable=True),
        "unit": Column(str),
        "source": Column(str),
        "year": Column("Int64", nullable=True),
        "value_used": Column(float, nullable=True),
        "status": Column(str, Check.isin(list(STATUSES))),
        "normalised": Column(float, Check.in_range(0, 1), nullable=True),
        "weight": Column(float, Check.ge(0)),
        "weight_share": Column(float, Check.in_range(0, 1)),
        "contribution": Column(float, Check.in_range(0, 1)),
        "opportunity": Column(float, Check.in_range(0, 1)),
        "threat": Column(float, Check.in_range(0, 1)),
        "coverage": Column(float, Check.in_range(0, 1)),
        "quadrant": Column(str, Check.isin(QUADRANTS)),
        "quadrant_share": SHARE,
        "stable": Column(bool),
        "opportunity_rank_low": RANK,
        "opportunity_rank_high": RANK,
        "threat_rank_low": RANK,
        "threat_rank_high": RANK,
    },
    strict=True,
    coerce=True,
    unique=["iso2", "indicator"],
)


def whiskers(result: pd.DataFrame) -> pd.DataFrame:
    """Each country's rank interval drawn on the published scale: from the published score of
    the country ranked at the interval's worse end to that of the one at its better end."""
    ends = {}
    for dimension in SCORES:
        ordered = np.sort(result[dimension].to_numpy())[::-1]
        low = result[f"{dimension}_rank_high"].to_numpy().astype(int) - 1
        high = result[f"{dimension}_rank_low"].to_numpy().astype(int) - 1
        ends[f"{dimension}_whisker_low"] = np.minimum(ordered[low], result[dimension])
        ends[f"{dimension}_whisker_high"] = np.maximum(ordered[high], result[dimension])
    return pd.DataFrame(ends, index=result.index)


def threats_opportunities(
    processed_dir: str,
    figures_dir: str,
    raw_dir: str,
    scoring_model: str,
    languages: list[str],
    country_aliases: str = "config/country_aliases.yaml",
) -> MatrixResults:
    """Score every partner country, place it (quadrant keys, not names) with the share of the
    joint uncertainty draws that agree, write ``country_scores``, ``scoring_sensitivity`` and
    ``country_cards``, and draw the matrix and the trends in every language."""
    model = load_scoring_model(resolve(scoring_model))
    table = indicator_table(processed_dir, int(model["min_copublications"]))
    scores = score(table, model)
    assessment = assess(table, model)
    evidence = measured_evidence(table, model)
    result = pd.concat([table, scores, assessment.countries, evidence], axis=1)
    result = write_table(result, processed_dir, "country_scores", SCORES_SCHEMA, csv_copy=True)
    summary = write_table(
        assessment.sensitivity,
        processed_dir,
        "scoring_sensitivity",
        SENSITIVITY,
        csv_copy=True,
    )
    cards = write_table(
        country_cards(table, model, result),
        processed_dir,
        "country_cards",
        CARDS,
        csv_copy=True,
    )
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
    return MatrixResults(result, summary, trends, cards, assessment)


def draw_matrix_figures(
    pub: Publisher,
    result: pd.DataFrame,
    trends: pd.DataFrame,
    model: dict,
    assessment: Assessment,
    countries: dict[str, str] | None = None,
) -> None:
    """The matrix (with each country's rank interval and its stability) and the trends by
    quadrant in ``pub.lang``; quadrants named as configured, countries by ``countries``
    (code → name in ``pub.lang``), every mark telling its values on hover and focus."""
    from analysis.figures.matrix import matrix, quadrant_trends

    lang = pub.lang
    names = model["quadrants"]["names"]
    countries = countries or {code: code for code in result["iso2"]}
    labels = {
        **{key: pick(v, lang) for key, v in names.items()},
        NOT_PLACED: t("quadrant.not_placed", lang),
    }
    described = describe_cuts(result, model, lang)
    drawn = pd.concat([result, whiskers(result)], axis=1)
    stable_share = share(assessment.stable_share, lang)
    pub.figure(
        matrix(
            drawn,
            cuts=quadrant_cuts(result, model),
            quadrant_names={k: pick(v, lang) for k, v in names.items()},
            title=t("matrix.figure_heading", lang),
            uncertain_label=t("matrix.legend_uncertain", lang, share=stable_share),
            hover=matrix_hover(result, countries, labels, lang),
            **matrix_keys(countries, lang),
        ),
        "matrix",
        title=t("matrix.figure_title", lang),
        caption=t(
            "matrix.figure_caption",
            lang,
            opportunity=described["opportunity"],
            threat=described["threat"],
            draws=number(assessment.draws, lang),
            share=stable_share,
        ),
        alt=t("matrix.figure_alt", lang),
        data=drawn[
            [
                "iso2",
                "copublications",
                "opportunity",
                "threat",
                "quadrant",
                "quadrant_share",
                "stable",
                "coverage",
                "opportunity_rank_low",
                "opportunity_rank_high",
                "threat_rank_low",
                "threat_rank_high",
                "opportunity_whisker_low",
                "opportunity_whisker_high",
                "threat_whisker_low",
                "threat_whisker_high",
            ]
        ],
        source=t("matrix.figure_source", lang),
    )
    draw_measured_only(pub, result, model, countries)
    pub.figure(
        quadrant_trends(
            trends,
            title=t("matrix.trends_heading", lang),
            ylabel=t("axis.copublications", lang),
            order=[*names, NOT_PLACED],
            labels=labels,
            hover=lambda key, year, works: t(
                "matrix.trends_hover",
                lang,
                quadrant=labels[key],
                year=year,
                works=number(works, lang),
            ),
        ),
        "quadrant_trends",
        title=t("matrix.trends_title", lang),
        caption=t("matrix.trends_caption", lang),
        alt=t("matrix.trends_alt", lang),
        data=trends,
        source=t("matrix.trends_source", lang),
    )


def matrix_keys(countries: dict[str, str], lang: str) -> dict:
    """What every matrix figure labels in ``lang``: the axes, the not-placed mark, the size key
    and the country-code key (``countries``: code → name)."""
    return {
        "axis_labels": (t("matrix.x_label", lang), t("matrix.y_label", lang)),
        "not_placed_label": t("quadrant.not_placed", lang),
        "names": countries,
        "size_label": t("matrix.size_key", lang),
        "code_label": t("matrix.code_key", lang),
        "count": lambda value: number(value, lang),
    }


def measured_only_hover(
    drawn: pd.DataFrame, countries: dict[str, str], labels: dict[str, str], lang: str
) -> list[str]:
    """What each bubble of the measured-evidence matrix tells on hover and focus: the country,
    both scores without the perception indicators, that quadrant and the published one."""
    return [
        t(
            "matrix.hover_measured_only",
            lang,
            country=countries.get(row.iso2, row.iso2),
            code=row.iso2,
            opportunity=number(float(row.opportunity), lang, 2),
            threat=number(float(row.threat), lang, 2),
            quadrant=labels.get(row.quadrant, row.quadrant),
            published=labels.get(row.quadrant_published, row.quadrant_published),
        )
        for row in drawn.itertuples(index=False)
    ]


def draw_measured_only(
    pub: Publisher, result: pd.DataFrame, model: dict, countries: dict[str, str]
) -> None:
    """The matrix on measured evidence only: the perception indicators left out, cut by the
    same rules over the scores that remain; drawn beside the published one."""
    from analysis.figures.matrix import matrix

    lang = pub.lang
    labels = {
        **{key: pick(v, lang) for key, v in model["quadrants"]["names"].items()},
        NOT_PLACED: t("quadrant.not_placed", lang),
    }
    reduced = measured_evidence_model(model)
    drawn = pd.DataFrame(
        {
            "iso2": result["iso2"],
            "copublications": result["copublications"],
            "opportunity": result["opportunity_measured_only"],
            "threat": result["threat_measured_only"],
            "coverage": result["coverage_measured_only"],
            "quadrant": result["quadrant_measured_only"],
            "quadrant_published": result["quadrant"],
        }
    )
    described = describe_cuts(drawn, reduced, lang)
    pub.figure(
        matrix(
            drawn,
            cuts=quadrant_cuts(drawn, reduced),
            quadrant_names={k: pick(v, lang) for k, v in model["quadrants"]["names"].items()},
            title=t("matrix.measured_only_heading", lang),
            hover=measured_only_hover(drawn, countries, labels, lang),
            **matrix_keys(countries, lang),
        ),
        "matrix_measured_only",
        title=t("matrix.measured_only_title", lang),
        caption=t(
            "matrix.measured_only_caption",
            lang,
            opportunity=described["opportunity"],
            threat=described["threat"],
        ),
        alt=t("matrix.measured_only_alt", lang),
        data=drawn,
        source=t("matrix.measured_only_source", lang),
    )


def matrix_hover(
    result: pd.DataFrame, countries: dict[str, str], labels: dict[str, str], lang: str
) -> list[str]:
    """What each country's bubble tells on hover and focus, one text per row of ``result``:
    its name and code, both scores with their rank intervals, its quadrant, and how often the
    draws agree (stable or uncertain); a country not placed says so instead."""
    texts = []
    for row in result.itertuples(index=False):
        values = {
            "country": countries.get(row.iso2, row.iso2),
            "code": row.iso2,
            "quadrant": labels.get(row.quadrant, row.quadrant),
        }
        for dimension in SCORES:
            low, high = sorted(
                (
                    int(getattr(row, f"{dimension}_rank_low")),
                    int(getattr(row, f"{dimension}_rank_high")),
                )
            )
            values[dimension] = number(float(getattr(row, dimension)), lang, 2)
            values[f"{dimension}_ranks"] = f"{low}–{high}" if low != high else str(low)
        if row.quadrant == NOT_PLACED:
            texts.append(t("matrix.hover_not_placed", lang, **values))
            continue
        stability = t("matrix.hover_stable" if row.stable else "matrix.hover_uncertain", lang)
        texts.append(
            t(
                "matrix.hover",
                lang,
                **values,
                share=share_down(float(row.quadrant_share), lang),
                stability=stability,
            )
        )
    return texts
