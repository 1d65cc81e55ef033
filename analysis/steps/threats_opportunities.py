"""Country context and the threat/opportunity matrix: the analysis steps 24 and 25."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
import yaml
from pandera import Check, Column

from analysis.context.indicators import (
    critical_share,
    read_academic_freedom,
    recent_critical_share,
    reference_flags,
)
from analysis.figures.publisher import Publisher
from analysis.files.paths import resolve
from analysis.files.tables import read_table, write_table
from analysis.i18n import number, pick, t
from analysis.reference.countries import CountryResolver
from analysis.scoring.model import (
    indicators,
    quadrant_cuts,
    quadrant_keys,
    quadrants,
    score,
    sensitivity,
    summarise_sensitivity,
)

CONTEXT = pa.DataFrameSchema(
    {
        "iso2": Column(str, Check.str_matches(r"^[A-Z]{2}$"), unique=True),
        "country": Column(str),
        "academic_freedom": Column(float, Check.in_range(0, 1), nullable=True),
        "academic_freedom_year": Column(float, nullable=True),
        "eu_restrictive_measures": Column(bool),
        "eu_member": Column(bool),
        "eea_efta_member": Column(bool),
        "oecd_member": Column(bool),
        "horizon_europe_associated": Column(bool),
        "critical_share": Column(float, Check.in_range(0, 1), nullable=True),
        "critical_share_whole_period": Column(float, Check.in_range(0, 1), nullable=True),
    },
    strict=True,
    coerce=True,
)


def country_context(
    raw_dir: str,
    processed_dir: str,
    context_dir: str,
    critical_technologies: str,
    country_aliases: str,
) -> pd.DataFrame:
    resolver = CountryResolver(resolve(country_aliases))
    partners = read_table(processed_dir, "cooperation_by_country")[["iso2", "country"]]
    freedom = read_academic_freedom(
        resolve(raw_dir) / "context" / "academic_freedom_index.csv", resolver
    )
    flags = reference_flags(partners["iso2"].tolist(), resolve(context_dir))
    # The scored share covers the latest five years; the whole period's, from the subfield
    # mix, is kept beside it.
    recent = recent_critical_share(read_table(processed_dir, "openalex_critical_by_partner_year"))
    whole = critical_share(
        read_table(processed_dir, "openalex_subfields_by_partner"), resolve(critical_technologies)
    ).rename(columns={"critical_share": "critical_share_whole_period"})
    table = (
        partners.merge(freedom, on="iso2", how="left")
        .merge(flags, on="iso2")
        .merge(recent, on="iso2", how="left")
        .merge(whole, on="iso2", how="left")
    )
    return write_table(table, processed_dir, "country_context", CONTEXT, csv_copy=True)


@dataclass
class MatrixResults:
    scores: pd.DataFrame
    sensitivity: pd.DataFrame
    trends: pd.DataFrame


def indicator_table(processed_dir: str, min_copublications: int) -> pd.DataFrame:
    """One row per scored partner country with every indicator the model names."""
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
    confirmed = screening.set_index("iso2")["institutions_confirmed"]
    table["screening_confirmed"] = table["iso2"].map(confirmed).fillna(0)
    return table.reset_index(drop=True)


SCORES = pa.DataFrameSchema(
    {
        "iso2": Column(str, unique=True),
        "country": Column(str),
        "copublications": Column(int),
        "opportunity": Column(float, Check.in_range(0, 1)),
        "threat": Column(float, Check.in_range(0, 1)),
        "opportunity_rank": Column(float),
        "threat_rank": Column(float),
        "coverage": Column(float, Check.in_range(0, 1)),
        "quadrant": Column(str),
    },
    strict=False,
    coerce=True,
)


def threats_opportunities(
    processed_dir: str, figures_dir: str, raw_dir: str, scoring_model: str, lang: str
) -> MatrixResults:
    model = yaml.safe_load(resolve(scoring_model).read_text(encoding="utf-8"))
    table = indicator_table(processed_dir, int(model["min_copublications"]))
    scores = score(table, model)
    result = pd.concat([table, scores], axis=1)
    result["quadrant"] = quadrants(scores, model, lang)
    result["quadrant_key"] = quadrant_keys(scores, model)
    result = write_table(result, processed_dir, "country_scores", SCORES, csv_copy=True)
    runs = sensitivity(table, model)
    summary = summarise_sensitivity(runs)
    write_table(
        summary,
        processed_dir,
        "scoring_sensitivity",
        pa.DataFrameSchema(coerce=False),
        csv_copy=True,
    )
    copublications = read_table(processed_dir, "openalex_copublications")
    trends = (
        copublications.merge(result[["iso2", "quadrant"]], on="iso2")
        .groupby(["year", "quadrant"])["works"]
        .sum()
        .reset_index()
    )
    pub = Publisher.for_notebook("25_threats_opportunities", figures_dir, raw_dir, lang)
    from analysis.figures.plots import matrix, quadrant_trends

    names = model["quadrants"]["names"]
    cuts = quadrant_cuts(result, model)
    described = [
        t(
            "matrix.cut_median"
            if model["quadrants"][f"{dimension}_cut"] == "median"
            else "matrix.cut",
            lang,
            dimension=t(f"dimension.{dimension}", lang),
            value=number(cuts[dimension], lang, 2),
        )
        for dimension in ("opportunity", "threat")
    ]
    pub.figure(
        matrix(
            result,
            cuts=cuts,
            quadrant_names={k: pick(v, lang) for k, v in names.items()},
            title=t("matrix.figure_heading", lang),
            axis_labels=(t("matrix.x_label", lang), t("matrix.y_label", lang)),
        ),
        "matrix",
        title=t("matrix.figure_title", lang),
        caption=t("matrix.figure_caption", lang, opportunity=described[0], threat=described[1]),
        alt=t("matrix.figure_alt", lang),
        data=result[
            ["iso2", "country", "copublications", "opportunity", "threat", "quadrant", "coverage"]
        ],
        source=t("matrix.figure_source", lang),
    )
    pub.figure(
        quadrant_trends(
            trends,
            title=t("matrix.trends_heading", lang),
            ylabel=t("axis.copublications", lang),
            order=[pick(v, lang) for v in names.values()],
        ),
        "quadrant_trends",
        title=t("matrix.trends_title", lang),
        caption=t("matrix.trends_caption", lang),
        alt=t("matrix.trends_alt", lang),
        data=trends,
        source=t("matrix.trends_source", lang),
    )
    return MatrixResults(result, summary, trends)


def method_table(scoring_model: str, lang: str = "en") -> pd.DataFrame:
    """The model as a table for the report's appendix, read from the YAML itself."""
    model = yaml.safe_load(resolve(scoring_model).read_text(encoding="utf-8"))
    return pd.DataFrame(
        [
            {
                t("method.column.score", lang): t(f"dimension.{i.dimension}", lang),
                t("method.column.indicator", lang): pick(i.label, lang),
                t("method.column.source", lang): pick(i.source, lang),
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
