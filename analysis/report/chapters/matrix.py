"""The threat/opportunity matrix, how firmly each country holds its place, and the draft
recommendations."""

from __future__ import annotations

import pandas as pd

from analysis.figures.publisher import Publisher, say
from analysis.i18n import (
    in_sentence,
    listing,
    number,
    number_down,
    page_text,
    pick,
    share,
    share_down,
    t,
)
from analysis.i18n.page import PageText, join
from analysis.report.data import ReportData
from analysis.scoring.model import (
    CLASS_KEYS,
    NOT_PLACED,
    UNCERTAIN,
    indicators,
    perception_indicators,
)
from analysis.scoring.recommendations import drafts_from_table, render
from analysis.scoring.uncertainty import SURVEY, settings
from analysis.scoring.wording import describe_levels


def threat_opportunity_matrix(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    scores = data.scores
    if not len(scores):  # nothing to score without co-publication counts
        say(page_text("matrix.not_scored", lang))
        return
    labels = data.quadrant_labels()
    counts = scores["quadrant"].value_counts().reindex(list(labels)).dropna().astype(int)
    config = settings(data.model)
    levels = describe_levels(data.model, lang)
    say(
        page_text(
            "matrix.summary",
            lang,
            countries=len(scores),
            opportunity=levels["opportunity"],
            threat=levels["threat"],
            share=share(float(config["stable_share"]), lang),
            counts=join(
                (
                    page_text("matrix.quadrant_count", lang, count=counts[q], quadrant=labels[q])
                    for q in counts.index
                ),
                "; ",  # class names hold commas of their own
            ),
        )
    )
    pub.show_saved("25_threats_opportunities__matrix")
    if perception_indicators(data.model) and "quadrant_measured_only" in scores:
        pub.show_saved("25_threats_opportunities__matrix_measured_only")
        say(measured_only_sentence(data))
    pub.show_saved("25_threats_opportunities__quadrant_trends")
    draws = int(data.sensitivity.loc[data.sensitivity["variant"] == "joint", "draws"].iloc[0])
    pub.table(
        matrix_table(data),
        title=t("matrix.table_title", lang),
        caption=t(
            "matrix.table_caption",
            lang,
            low=number(float(config["interval"][0]) * 100, lang),
            high=number(float(config["interval"][1]) * 100, lang),
            draws=number(draws, lang),
            share=share(float(config["stable_share"]), lang),
        ),
    )
    say(join(stability_sentences(data), " "))
    say(variance_sentence(data))
    pub.table(
        sensitivity_table(data),
        title=t("matrix.sensitivity_title", lang),
        caption=t(
            "matrix.sensitivity_caption", lang, share=share(1 - float(config["stable_share"]), lang)
        ),
    )


def _interval(low: float, high: float, lang: str) -> str:
    low, high = number(low * 100, lang), number(high * 100, lang)
    return low if low == high else f"{low}–{high}"


def _with_intervals(shown: pd.DataFrame, dimension: str, lang: str) -> list[str]:
    """Each country's score on 0–100 with its 90 % interval: "73 (64–81)"."""
    return [
        f"{number(v * 100, lang)} ({_interval(a, b, lang)})"
        for v, a, b in zip(
            shown[dimension], shown[f"{dimension}_p05"], shown[f"{dimension}_p95"], strict=True
        )
    ]


def matrix_table(data: ReportData) -> pd.DataFrame:
    """One row per scored country: its class and the share of draws that support it (for an
    uncertain one, its two likeliest classes), both scores on 0–100 with their 5–95 %
    intervals, exposure, what the class depends on, coverage (and the working group's action
    word where it chose one)."""
    lang = data.lang
    scores = data.scores
    labels = data.quadrant_labels()
    order = {key: position for position, key in enumerate(labels)}
    shown = scores.assign(order=scores["quadrant"].map(order)).sort_values(
        ["order", "threat", "iso2"], ascending=[True, False, True]
    )
    names = _indicator_labels(data) | {SURVEY: t("cards.the_survey", lang)}
    scored = data.cards[data.cards["dimension"].isin(["opportunity", "threat"])]
    withheld = scored[scored["status"] == "censored"].groupby("iso2").size().to_dict()

    def support(row) -> str:
        if pd.isna(row.quadrant_share):
            return "–"
        first = share_down(float(row.quadrant_share), lang)
        if row.quadrant != UNCERTAIN:
            return first
        return t(
            "matrix.likeliest",
            lang,
            first=labels[row.class_likeliest],
            first_share=first,
            second=labels[row.class_second],
            second_share=share_down(float(row.class_second_share), lang),
        )

    table = pd.DataFrame(
        {
            t("column.country", lang): data.country_names(shown["iso2"]).to_numpy(),
            t("column.quadrant", lang): shown["quadrant"].map(labels).to_numpy(),
            t("column.class_support", lang): [support(r) for r in shown.itertuples()],
            t("column.opportunity_with_interval", lang): _with_intervals(
                shown, "opportunity", lang
            ),
            t("column.threat_with_interval", lang): _with_intervals(shown, "threat", lang),
            t("column.exposure", lang): [number(v * 100, lang) for v in shown["exposure"]],
            t("column.depends_on", lang): [
                listing([names[d] for d in str(v).split()], lang) if v else "–"
                for v in shown["depends_on"].fillna("")
            ],
            t("column.withheld", lang): [withheld.get(code, 0) for code in shown["iso2"]],
            t("column.coverage", lang): (shown["coverage"] * 100).round(0).astype(int).to_numpy(),
        }
    )
    if "quadrant_geometric" in shown:
        table.insert(
            3,
            t("column.quadrant_geometric", lang),
            shown["quadrant_geometric"].map(labels).to_numpy(),
        )
    if "quadrant_measured_only" in shown and perception_indicators(data.model):
        measured_only = shown["quadrant_measured_only"].map(labels)
        table.insert(3, t("column.quadrant_measured_only", lang), measured_only.to_numpy())
    actions = data.quadrant_actions()
    if actions:
        table.insert(
            2, t("column.action", lang), shown["quadrant"].map(actions).fillna("").to_numpy()
        )
    return table


def measured_only_sentence(data: ReportData) -> PageText:
    """How many placed countries keep their quadrant without the perception indicators, and
    where each of the others goes."""
    lang = data.lang
    labels = data.quadrant_labels()
    placed = data.scores[data.scores["quadrant"].isin(CLASS_KEYS)]  # settled classes only
    moved = placed[placed["quadrant_measured_only"] != placed["quadrant"]].sort_values("iso2")
    text = page_text(
        "matrix.measured_only",
        lang,
        indicators=listing(
            [in_sentence(pick(i.label, lang)) for i in perception_indicators(data.model)], lang
        ),
        same=len(placed) - len(moved),
        placed=len(placed),
    )
    if moved.empty:
        return text
    changes = [
        page_text(
            "matrix.measured_only_item",
            lang,
            country=data.country(row.iso2),
            published=labels[row.quadrant],
            measured=labels[row.quadrant_measured_only],
        )
        for row in moved.itertuples(index=False)
    ]
    return join(
        [text, page_text("matrix.measured_only_moved", lang, changes=join(changes, "; "))], " "
    )


def _names(data: ReportData, codes: str) -> str:
    return listing([data.country(code) for code in codes.split()], data.lang)


def _indicator_labels(data: ReportData) -> dict[str, str]:
    return {i.name: pick(i.label, data.lang) for i in indicators(data.model)}


SOURCES = ("weights", "goalposts", "aggregation", "survey_sampling", "intervals", "levels")


def stability_sentences(data: ReportData) -> list[PageText]:
    """What the joint draws and each source of uncertainty change, from the numbers: how many
    countries are settled, which are uncertain and between which classes, what each source
    and each left-out indicator moves, and the lowest rank correlation (rounded down)."""
    lang = data.lang
    config = settings(data.model)
    runs = data.sensitivity
    scores = data.scores
    labels = data.quadrant_labels()
    placed = scores[scores["quadrant"] != NOT_PLACED]
    uncertain = placed[placed["quadrant"] == UNCERTAIN].sort_values("quadrant_share")
    joint = runs[runs["variant"] == "joint"].set_index("score")
    limit = share(1 - float(config["stable_share"]), lang)
    sentences = [
        page_text(
            "matrix.stability_joint",
            lang,
            draws=number(int(joint["draws"].iloc[0]), lang),
            settled=int((placed["quadrant"] != UNCERTAIN).sum()),
            placed=len(placed),
            share=share(float(config["stable_share"]), lang),
        )
    ]
    if len(uncertain):
        items = [
            page_text(
                "matrix.uncertain_item",
                lang,
                country=data.country(row.iso2),
                first=labels[row.class_likeliest],
                first_share=share_down(float(row.quadrant_share), lang),
                second=labels[row.class_second],
                second_share=share_down(float(row.class_second_share), lang),
            )
            for row in uncertain.itertuples(index=False)
        ]
        sentences.append(page_text("matrix.stability_uncertain", lang, countries=join(items, "; ")))
    first = runs.drop_duplicates("variant").set_index("variant")["countries_changing"].fillna("")
    moving = [
        page_text(
            "matrix.moves.source_item",
            lang,
            source=t(f"sensitivity.{source}", lang),
            countries=_names(data, first[source]),
        )
        for source in SOURCES
        if source in first.index and first[source]
    ]
    still = [t(f"sensitivity.{s}", lang) for s in SOURCES if s in first.index and not first[s]]
    if moving:
        sentences.append(
            page_text("matrix.moves.sources", lang, share=limit, changes=join(moving, "; "))
        )
    if still:
        sentences.append(
            page_text("matrix.moves_none.sources", lang, share=limit, sources=listing(still, lang))
        )
    labels_of = _indicator_labels(data) | {SURVEY: t("cards.the_survey", lang)}
    left_out = [
        page_text(
            "matrix.moves.leave_out_item",
            lang,
            indicator=in_sentence(labels_of[variant.removeprefix("leave_out:")]),
            countries=_names(data, moved),
        )
        for variant, moved in first.items()
        if variant.startswith("leave_out:") and moved
    ]
    if left_out:
        sentences.append(page_text("matrix.moves.leave_out", lang, changes=join(left_out, "; ")))
    elif any(v.startswith("leave_out:") for v in first.index):
        sentences.append(page_text("matrix.moves_none.leave_out", lang))
    sentences.append(
        page_text(
            "matrix.rank_correlation",
            lang,
            draws=number(int(joint["draws"].iloc[0]), lang),
            opportunity=number_down(joint.at["opportunity", "spearman_min"], lang, 2),
            threat=number_down(joint.at["threat", "spearman_min"], lang, 2),
            opportunity_median=number_down(joint.at["opportunity", "spearman_median"], lang, 2),
            threat_median=number_down(joint.at["threat", "spearman_median"], lang, 2),
        )
    )
    return sentences


def input_name(key: str, data: ReportData) -> str:
    """A Sobol' input key (``weights``, ``inclusion:<indicator>`` …) as a sentence names it in
    the report's language."""
    kind, _, detail = key.partition(":")
    if kind == "inclusion":
        return t(
            "sobol.inclusion", data.lang, indicator=in_sentence(_indicator_labels(data)[detail])
        )
    return t(f"sobol.{kind}", data.lang)


def sobol_overall(sobol: pd.DataFrame) -> pd.DataFrame:
    """Per score and input: the total-effect and first-order indices over all countries, each
    country weighted by its score's variance (the share of all the variation across countries
    that the input causes), and the median over the countries whose score varies at all."""
    varying = sobol[sobol["variance"] > 0].assign(
        weighted_total=lambda f: f["total_effect"] * f["variance"],
        weighted_first=lambda f: f["first_order"] * f["variance"],
    )
    grouped = varying.groupby(["score", "input"])
    summary = grouped.agg(
        variance=("variance", "sum"),
        weighted_total=("weighted_total", "sum"),
        weighted_first=("weighted_first", "sum"),
        median_total=("total_effect", "median"),
        largest_total=("total_effect", "max"),
    ).reset_index()
    summary["total_effect"] = summary["weighted_total"] / summary["variance"]
    summary["first_order"] = summary["weighted_first"] / summary["variance"]
    columns = ["score", "input", "first_order", "total_effect", "median_total", "largest_total"]
    moving = summary[summary["largest_total"] > 1e-9]  # inputs that move this score at all
    return moving.sort_values(["score", "total_effect"], ascending=[True, False])[columns]


def sobol_leaders(sobol: pd.DataFrame, dimension: str, count: int = 3) -> pd.DataFrame:
    """The inputs with the largest variance-weighted total effect on ``dimension``."""
    overall = sobol_overall(sobol)
    return overall[overall["score"] == dimension].head(count)


def variance_sentence(data: ReportData) -> PageText:
    """Which assumptions move the scores most, from the Sobol' indices."""
    lang = data.lang
    sens = data.model.get("sensitivity") or {}
    parts = {}
    for dimension in ("opportunity", "threat"):
        leaders = sobol_leaders(data.sobol, dimension)
        parts[dimension] = listing(
            [
                t(
                    "matrix.sobol_item",
                    lang,
                    input=input_name(row.input, data),
                    value=number(float(row.total_effect), lang, 2),
                )
                for row in leaders.itertuples(index=False)
            ],
            lang,
        )
    inputs = data.sobol["input"].nunique()
    return page_text(
        "matrix.sobol",
        lang,
        base=number(int(sens.get("base_samples", 0)), lang),
        runs=number(int(sens.get("base_samples", 0)) * (inputs + 2), lang),
        inputs=inputs,
        opportunity=parts["opportunity"],
        threat=parts["threat"],
    )


def variant_name(variant: str, data: ReportData) -> str:
    """A sensitivity variant key (``joint``, a source, ``leave_out:<indicator>`` or
    ``leave_out:survey``) named in the report's language."""
    lang = data.lang
    kind, _, detail = variant.partition(":")
    if kind == "leave_out":
        names = _indicator_labels(data) | {SURVEY: t("cards.the_survey", lang)}
        return t("sensitivity.leave_out", lang, indicator=in_sentence(names[detail]))
    return t(f"sensitivity.{kind}", lang)


def sensitivity_table(data: ReportData) -> pd.DataFrame:
    lang = data.lang
    runs = data.sensitivity
    table = pd.DataFrame(
        {
            "variant": runs["variant"].map(lambda v: variant_name(v, data)),
            "score": runs["score"].map(lambda d: t(f"dimension.{d}", lang)),
            "draws": runs["draws"].map(lambda n: number(int(n), lang)),
            "spearman_median": runs["spearman_median"].map(lambda v: number_down(v, lang, 2)),
            "spearman_min": runs["spearman_min"].map(lambda v: number_down(v, lang, 2)),
            "share_changing_quadrant_median": runs["share_changing_quadrant_median"].map(
                lambda v: share(v, lang)
            ),
            "share_changing_quadrant_max": runs["share_changing_quadrant_max"].map(
                lambda v: share(v, lang)
            ),
            "countries_changing": runs["countries_changing"]
            .fillna("")
            .map(lambda codes: _names(data, codes)),
            "median_absolute_rank_shift": runs["median_absolute_rank_shift"].map(
                lambda v: number(v, lang)
            ),
        }
    )
    return table.rename(columns=lambda c: t(f"column.sensitivity.{c}", lang))


def recommendations(data: ReportData, pub: Publisher) -> list[str]:
    """The draft recommendations of this edition (``recommendations``, written by the key
    findings step from the rules file), each written in the report's language; a rule names
    only countries whose classification is stable and lists the others as uncertain."""
    labels = data.quadrant_labels()
    texts = [
        render(draft, data.rules, data.lang, data.label, data.country, labels.get)
        for draft in drafts_from_table(data.recommendations)
    ]
    # Rendered from catalogue templates with codebook labels and ISO country names.
    say(
        PageText.composed(
            "\n".join(f"{position}. {text}" for position, text in enumerate(texts, start=1))
        )
        or page_text("recommendations.none", data.lang)
    )
    return texts
