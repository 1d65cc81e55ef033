"""The threat/opportunity matrix, how firmly each country holds its place, and the draft
recommendations."""

from __future__ import annotations

import pandas as pd

from analysis.figures.publisher import Publisher, say
from analysis.i18n import in_sentence, listing, number, number_down, page_text, pick, share, t
from analysis.i18n.page import PageText, join
from analysis.report.data import ReportData
from analysis.scoring.model import NOT_PLACED, indicators, perception_indicators
from analysis.scoring.recommendations import drafts_from_table, render
from analysis.scoring.uncertainty import settings


def threat_opportunity_matrix(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    scores = data.scores
    if not len(scores):  # nothing to score without co-publication counts
        say(page_text("matrix.not_scored", lang))
        return
    labels = data.quadrant_labels()
    counts = scores["quadrant"].value_counts().reindex(list(labels)).dropna().astype(int)
    say(
        page_text(
            "matrix.summary",
            lang,
            countries=len(scores),
            counts=join(
                (
                    page_text("matrix.quadrant_count", lang, count=counts[q], quadrant=labels[q])
                    for q in counts.index
                ),
                ", ",
            ),
        )
    )
    pub.show_saved("25_threats_opportunities__matrix")
    if perception_indicators(data.model) and "quadrant_measured_only" in scores:
        pub.show_saved("25_threats_opportunities__matrix_measured_only")
        say(measured_only_sentence(data))
    pub.show_saved("25_threats_opportunities__quadrant_trends")
    config = settings(data.model)
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
    pub.table(
        sensitivity_table(data),
        title=t("matrix.sensitivity_title", lang),
        caption=t(
            "matrix.sensitivity_caption", lang, share=share(1 - float(config["stable_share"]), lang)
        ),
    )


def _interval(low: object, high: object) -> str:
    return f"{int(low)}" if int(low) == int(high) else f"{int(low)}–{int(high)}"


def matrix_table(data: ReportData) -> pd.DataFrame:
    """One row per scored country: quadrant, share of draws there, stability, scores with
    their rank intervals, coverage (and the working group's action word where it chose one)."""
    lang = data.lang
    scores = data.scores
    labels = data.quadrant_labels()
    order = {key: position for position, key in enumerate(labels)}
    shown = scores.assign(order=scores["quadrant"].map(order)).sort_values(
        ["order", "threat"], ascending=[True, False]
    )
    yes, no = t("value.yes", lang), t("value.no", lang)
    table = pd.DataFrame(
        {
            t("column.country", lang): data.country_names(shown["iso2"]).to_numpy(),
            t("column.quadrant", lang): shown["quadrant"].map(labels).to_numpy(),
            t("column.quadrant_share", lang): [
                "–" if pd.isna(v) else number_down(v * 100, lang) for v in shown["quadrant_share"]
            ],
            t("column.stable", lang): [yes if v else no for v in shown["stable"]],
            t("column.opportunity_score", lang): (shown["opportunity"] * 100).round(0).astype(int),
            t("column.opportunity_ranks", lang): [
                _interval(a, b)
                for a, b in zip(
                    shown["opportunity_rank_low"], shown["opportunity_rank_high"], strict=True
                )
            ],
            t("column.threat_score", lang): (shown["threat"] * 100).round(0).astype(int),
            t("column.threat_ranks", lang): [
                _interval(a, b)
                for a, b in zip(shown["threat_rank_low"], shown["threat_rank_high"], strict=True)
            ],
            t("column.coverage", lang): (shown["coverage"] * 100).round(0).astype(int).to_numpy(),
        }
    )
    if "quadrant_measured_only" in shown and perception_indicators(data.model):
        measured_only = shown["quadrant_measured_only"].map(labels)
        table.insert(4, t("column.quadrant_measured_only", lang), measured_only.to_numpy())
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
    placed = data.scores[data.scores["quadrant"] != NOT_PLACED]
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


def stability_sentences(data: ReportData) -> list[PageText]:
    """What the joint draws and each source of uncertainty change, from the numbers: how many
    countries are stable, which are not, what each source moves, and the lowest rank
    correlation (rounded down, never up)."""
    lang = data.lang
    config = settings(data.model)
    runs = data.sensitivity
    scores = data.scores
    placed = scores[scores["quadrant"] != NOT_PLACED]
    unstable = placed.sort_values("quadrant_share")
    unstable = unstable.loc[~unstable["stable"].astype(bool), "iso2"]
    joint = runs[runs["variant"] == "joint"].set_index("score")
    limit = share(1 - float(config["stable_share"]), lang)
    sentences = [
        page_text(
            "matrix.stability_joint",
            lang,
            draws=number(int(joint["draws"].iloc[0]), lang),
            stable=int(placed["stable"].astype(bool).sum()),
            placed=len(placed),
            share=share(float(config["stable_share"]), lang),
        )
    ]
    if len(unstable):
        sentences.append(
            page_text(
                "matrix.stability_uncertain", lang, countries=_names(data, " ".join(unstable))
            )
        )
    first = runs.drop_duplicates("variant").set_index("variant")["countries_changing"].fillna("")
    spread = share(float(config["weight_perturbation"]), lang)
    for kind, values in (
        ("weights", {"spread": spread, "share": limit}),
        ("cuts", {"share": limit}),
    ):
        if kind in first.index:
            moved = first[kind]
            key = f"matrix.moves.{kind}" if moved else f"matrix.moves_none.{kind}"
            extra = {"countries": _names(data, moved)} if moved else {}
            sentences.append(page_text(key, lang, **values, **extra))
    labels = _indicator_labels(data)
    left_out = [
        page_text(
            "matrix.moves.leave_out_item",
            lang,
            indicator=labels[variant.removeprefix("leave_out:")],
            countries=_names(data, moved),
        )
        for variant, moved in first.items()
        if variant.startswith("leave_out:") and moved
    ]
    if left_out:
        sentences.append(page_text("matrix.moves.leave_out", lang, changes=join(left_out, "; ")))
    elif any(v.startswith("leave_out:") for v in first.index):
        sentences.append(page_text("matrix.moves_none.leave_out", lang))
    published = page_text(f"normalisation.{data.model['normalisation']}", lang)
    for variant, moved in first.items():
        if variant.startswith("normalisation:"):
            method = page_text(f"normalisation.{variant.removeprefix('normalisation:')}", lang)
            key = "matrix.moves.normalisation" if moved else "matrix.moves_none.normalisation"
            extra = {"countries": _names(data, moved)} if moved else {}
            sentences.append(page_text(key, lang, method=method, published=published, **extra))
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


def variant_name(variant: str, data: ReportData) -> str:
    """A sensitivity variant key (``joint``, ``weights``, ``cuts``, ``leave_out:<indicator>``,
    ``normalisation:<method>``) named in the report's language."""
    lang = data.lang
    kind, _, detail = variant.partition(":")
    if kind == "leave_out":
        return t("sensitivity.leave_out", lang, indicator=_indicator_labels(data)[detail])
    if kind == "normalisation":
        return t("sensitivity.normalisation", lang, method=t(f"normalisation.{detail}", lang))
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
