"""Step 25, threats and opportunities: scores, quadrants, sensitivity, matrix and trends."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera import Check, Column

from analysis.figures.publisher import Publisher
from analysis.files.paths import resolve
from analysis.files.tables import read_table, write_table
from analysis.i18n import number, pick, t
from analysis.scoring.model import (
    QUADRANT_KEYS,
    load_scoring_model,
    quadrant_cuts,
    quadrant_keys,
    score,
    sensitivity,
    summarise_sensitivity,
)


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
        "quadrant": Column(str, Check.isin(QUADRANT_KEYS)),
    },
    strict=False,
    coerce=True,
)
SENSITIVITY = pa.DataFrameSchema(
    {
        "variant": Column(str),
        "score": Column(str, Check.isin(["opportunity", "threat"])),
        "spearman_median": Column(float, Check.in_range(-1, 1)),
        "spearman_min": Column(float, Check.in_range(-1, 1)),
        "share_changing_quadrant_median": Column(float, Check.in_range(0, 1)),
    },
    strict=True,
    coerce=True,
)


def threats_opportunities(
    processed_dir: str, figures_dir: str, raw_dir: str, scoring_model: str, languages: list[str]
) -> MatrixResults:
    """Score every partner country, write ``country_scores`` (quadrant keys, not names) and the
    sensitivity summary, and draw the matrix and the trends in every language."""
    model = load_scoring_model(resolve(scoring_model))
    table = indicator_table(processed_dir, int(model["min_copublications"]))
    scores = score(table, model)
    result = pd.concat([table, scores], axis=1)
    result["quadrant"] = quadrant_keys(scores, model)
    result = write_table(result, processed_dir, "country_scores", SCORES, csv_copy=True)
    runs = sensitivity(table, model)
    summary = summarise_sensitivity(runs)
    if not len(result):  # no partner country to score (no co-publications provided)
        summary = summary.iloc[0:0]
    write_table(
        summary,
        processed_dir,
        "scoring_sensitivity",
        SENSITIVITY,
        csv_copy=True,
    )
    copublications = read_table(processed_dir, "openalex_copublications")
    trends = (
        copublications.merge(result[["iso2", "quadrant"]], on="iso2")
        .groupby(["year", "quadrant"])["works"]
        .sum()
        .reset_index()
    )
    for pub in Publisher.for_languages("25_threats_opportunities", figures_dir, raw_dir, languages):
        if len(result):
            draw_matrix_figures(pub, result, trends, model)
    return MatrixResults(result, summary, trends)


def draw_matrix_figures(
    pub: Publisher, result: pd.DataFrame, trends: pd.DataFrame, model: dict
) -> None:
    """The matrix and the trends by quadrant in ``pub.lang``; quadrants named as configured."""
    from analysis.figures.plots import matrix, quadrant_trends

    lang = pub.lang
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
            order=list(names),
            labels={key: pick(v, lang) for key, v in names.items()},
        ),
        "quadrant_trends",
        title=t("matrix.trends_title", lang),
        caption=t("matrix.trends_caption", lang),
        alt=t("matrix.trends_alt", lang),
        data=trends,
        source=t("matrix.trends_source", lang),
    )
