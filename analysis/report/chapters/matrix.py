"""The threat/opportunity matrix, its stability, and the draft recommendations."""

from __future__ import annotations

from analysis.figures.publisher import Publisher, say
from analysis.i18n import number, page_text, t
from analysis.i18n.page import PageText, escape_value, join
from analysis.report.data import ReportData
from analysis.scoring.recommendations import draft_recommendations


def threat_opportunity_matrix(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    scores = data.scores
    names = data.quadrant_names()
    counts = scores["quadrant"].value_counts().reindex(list(names)).dropna().astype(int)
    say(
        page_text(
            "matrix.summary",
            lang,
            countries=len(scores),
            counts=join(
                (
                    page_text("matrix.quadrant_count", lang, count=counts[q], quadrant=names[q])
                    for q in counts.index
                ),
                ", ",
            ),
        )
    )
    pub.show_saved("25_threats_opportunities__matrix")
    pub.show_saved("25_threats_opportunities__quadrant_trends")
    order = {key: position for position, key in enumerate(names)}
    shown = scores.assign(order=scores["quadrant"].map(order)).sort_values(
        ["order", "threat"], ascending=[True, False]
    )
    pub.table(
        shown.assign(
            country=data.country_names(shown["iso2"]),
            quadrant=shown["quadrant"].map(names),
            opportunity=(shown["opportunity"] * 100).round(0).astype(int),
            threat=(shown["threat"] * 100).round(0).astype(int),
            coverage=(shown["coverage"] * 100).round(0).astype(int),
        )[["country", "quadrant", "opportunity", "threat", "coverage"]].rename(
            columns={
                "country": t("column.country", lang),
                "quadrant": t("column.quadrant", lang),
                "opportunity": t("column.opportunity_score", lang),
                "threat": t("column.threat_score", lang),
                "coverage": t("column.coverage", lang),
            }
        ),
        title=t("matrix.table_title", lang),
    )
    weights = data.sensitivity[data.sensitivity["variant"] == "random weights (all draws)"]
    lowest = float(weights["spearman_median"].min()) if len(weights) else float("nan")
    say(page_text("matrix.stability", lang, lowest=number(lowest, lang, 2)))
    sensitivity = data.sensitivity.round(2)
    sensitivity["variant"] = sensitivity["variant"].map(lambda v: _variant_name(v, lang))
    sensitivity["score"] = sensitivity["score"].map(lambda d: t(f"dimension.{d}", lang))
    pub.table(
        sensitivity.rename(columns=lambda c: t(f"column.sensitivity.{c}", lang)),
        title=t("matrix.sensitivity_title", lang),
        caption=t("matrix.sensitivity_caption", lang),
    )


def _variant_name(variant: str, lang: str) -> str:
    """Sensitivity variants are written by the scoring step in English; name them in ``lang``."""
    if variant == "random weights (all draws)":
        return t("sensitivity.random_weights", lang)
    if variant.startswith("normalisation: "):
        method = variant.removeprefix("normalisation: ")
        return t("sensitivity.normalisation", lang, method=t(f"normalisation.{method}", lang))
    return variant


def recommendations(data: ReportData, pub: Publisher) -> list[str]:
    """Draft recommendations from the rules file, each filled from this edition's results."""
    drafts = draft_recommendations(data.rules, data, escape=escape_value)
    say(
        PageText.composed(
            "\n".join(f"{number}. {draft.text}" for number, draft in enumerate(drafts, start=1))
        )
        or page_text("recommendations.none", data.lang)
    )
    return [draft.text for draft in drafts]
