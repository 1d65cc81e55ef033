"""The assessment's figures in one language: the matrix with each country's score intervals
and the declared reference levels, the matrix on measured evidence only, cooperation by class
over the years, and the audit's correlation heatmap. Every scale is 0–100, as in the tables
and the cards."""

from __future__ import annotations

import pandas as pd

from analysis.figures.publisher import Publisher
from analysis.i18n import number, pick, share, share_down, t
from analysis.scoring.levels import SCALE  # scores are stored on 0–1, shown on 0–100
from analysis.scoring.model import (
    NOT_PLACED,
    SCORES,
    UNCERTAIN,
    measured_evidence_model,
    reference_levels,
)
from analysis.scoring.uncertainty import Assessment


def class_labels(model: dict, lang: str) -> dict[str, str]:
    """Every class key's name in ``lang``: the four classes, uncertain and not placed."""
    return {
        **{key: pick(v, lang) for key, v in model["classes"]["names"].items()},
        NOT_PLACED: t("quadrant.not_placed", lang),
    }


def levels_drawn(model: dict) -> dict[str, float]:
    return {d: value * SCALE for d, value in reference_levels(model).items()}


def drawn_matrix(result: pd.DataFrame) -> pd.DataFrame:
    """The matrix's data on 0–100: scores, and each country's 5–95 % interval as whiskers."""
    drawn = result[["iso2", "copublications", "quadrant", "quadrant_share", "stable",
                    "coverage", "exposure"]].copy()  # fmt: skip
    for dimension in SCORES:
        drawn[dimension] = result[dimension] * SCALE
        drawn[f"{dimension}_whisker_low"] = result[f"{dimension}_p05"] * SCALE
        drawn[f"{dimension}_whisker_high"] = result[f"{dimension}_p95"] * SCALE
    drawn["exposure"] = result["exposure"] * SCALE
    return drawn


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
    names = {k: v for k, v in model["classes"]["names"].items() if k != UNCERTAIN}
    countries = countries or {code: code for code in result["iso2"]}
    labels = class_labels(model, lang)
    levels = levels_drawn(model)
    drawn = drawn_matrix(result)
    stable_share = share(assessment.stable_share, lang)
    pub.figure(
        matrix(
            drawn,
            cuts=levels,
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
            opportunity=number(levels["opportunity"], lang),
            threat=number(levels["threat"], lang),
            draws=number(assessment.draws, lang),
            share=stable_share,
        ),
        alt=t("matrix.figure_alt", lang),
        data=drawn,
        source=t("matrix.figure_source", lang),
    )
    draw_measured_only(pub, result, model, countries)
    pub.figure(
        quadrant_trends(
            trends,
            title=t("matrix.trends_heading", lang),
            ylabel=t("axis.copublications", lang),
            order=[*names, UNCERTAIN, NOT_PLACED],
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
    labels = class_labels(model, lang)
    names = {k: v for k, v in model["classes"]["names"].items() if k != UNCERTAIN}
    levels = levels_drawn(measured_evidence_model(model))
    drawn = pd.DataFrame(
        {
            "iso2": result["iso2"],
            "copublications": result["copublications"],
            "opportunity": result["opportunity_measured_only"] * SCALE,
            "threat": result["threat_measured_only"] * SCALE,
            "coverage": result["coverage_measured_only"],
            "quadrant": result["quadrant_measured_only"],
            "quadrant_published": result["quadrant"],
        }
    )
    pub.figure(
        matrix(
            drawn,
            cuts=levels,
            quadrant_names={k: pick(v, lang) for k, v in names.items()},
            title=t("matrix.measured_only_heading", lang),
            hover=measured_only_hover(drawn, countries, labels, lang),
            **matrix_keys(countries, lang),
        ),
        "matrix_measured_only",
        title=t("matrix.measured_only_title", lang),
        caption=t(
            "matrix.measured_only_caption",
            lang,
            opportunity=number(levels["opportunity"], lang),
            threat=number(levels["threat"], lang),
        ),
        alt=t("matrix.measured_only_alt", lang),
        data=drawn,
        source=t("matrix.measured_only_source", lang),
    )


def matrix_hover(
    result: pd.DataFrame, countries: dict[str, str], labels: dict[str, str], lang: str
) -> list[str]:
    """What each country's bubble tells on hover and focus, one text per row of ``result``:
    its name and code, both scores (0–100) with their 5–95 % intervals, its exposure, and its
    class with the share of draws that support it; an uncertain country names its two
    likeliest classes; a country not placed says so."""
    texts = []
    for row in result.itertuples(index=False):
        values = {
            "country": countries.get(row.iso2, row.iso2),
            "code": row.iso2,
            "quadrant": labels.get(row.quadrant, row.quadrant),
            "exposure": number(float(row.exposure) * SCALE, lang),
        }
        for dimension in SCORES:
            values[dimension] = number(float(getattr(row, dimension)) * SCALE, lang)
            values[f"{dimension}_interval"] = t(
                "matrix.interval",
                lang,
                low=number(float(getattr(row, f"{dimension}_p05")) * SCALE, lang),
                high=number(float(getattr(row, f"{dimension}_p95")) * SCALE, lang),
            )
        if row.quadrant == NOT_PLACED:
            texts.append(t("matrix.hover_not_placed", lang, **values))
        elif row.quadrant == UNCERTAIN:
            texts.append(
                t(
                    "matrix.hover_uncertain_class",
                    lang,
                    **values,
                    first=labels[row.class_likeliest],
                    first_share=share_down(float(row.quadrant_share), lang),
                    second=labels[row.class_second],
                    second_share=share_down(float(row.class_second_share), lang),
                )
            )
        else:
            texts.append(
                t("matrix.hover", lang, **values, share=share_down(float(row.quadrant_share), lang))
            )
    return texts


def draw_audit_figures(pub: Publisher, audit: dict[str, pd.DataFrame], model: dict) -> None:
    """The correlations of the indicators, within and across the scores, as a heatmap."""
    from analysis.figures.audit import correlation_heatmap
    from analysis.scoring.model import indicators

    lang = pub.lang
    items = indicators(model)
    matrix = audit["correlation_matrix"]
    if matrix.empty:
        return
    pub.figure(
        correlation_heatmap(
            matrix,
            labels={i.name: pick(i.label, lang) for i in items},
            dimension_of={i.name: i.dimension for i in items},
            dimension_labels={
                d: t(f"dimension.{d}", lang) for d in ("opportunity", "threat", "exposure")
            },
            title=t("audit.heatmap_heading", lang),
            format_value=lambda value: number(value, lang, 2),
            colour_label=t("audit.colour_label", lang),
        ),
        "indicator_correlations",
        title=t("audit.heatmap_title", lang),
        caption=t("audit.heatmap_caption", lang),
        alt=t("audit.heatmap_alt", lang),
        data=matrix.reset_index(names="indicator"),
        source=t("audit.heatmap_source", lang),
    )
