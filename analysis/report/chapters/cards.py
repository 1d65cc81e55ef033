"""The country cards appendix: for every scored country, what its place in the matrix rests on."""

from __future__ import annotations

import pandas as pd

from analysis.figures.publisher import Publisher, say
from analysis.i18n import listing, number, page_text, pick, share, share_down, t
from analysis.i18n.page import PageText
from analysis.report.data import ReportData
from analysis.report.values import indicator_value
from analysis.scoring.model import CONTEXT, NOT_PLACED, SCORES, context_indicators, indicators
from analysis.scoring.uncertainty import settings


def _ranks(low: object, high: object) -> str:
    return f"{int(low)}" if int(low) == int(high) else f"{int(low)}–{int(high)}"


def card_table(data: ReportData, rows: pd.DataFrame) -> pd.DataFrame:
    """One country's card: a row per indicator, in the model's order."""
    lang = data.lang
    model = data.model
    labels = {i.name: pick(i.label, lang) for i in [*indicators(model), *context_indicators(model)]}
    sources = model.get("sources", {})
    rows = rows.sort_values("order")
    context = (rows["dimension"] == CONTEXT).to_numpy()

    def status(row) -> str:
        if row.dimension == CONTEXT:
            return t(f"cards.status.context_{row.status}", lang)
        if row.status == "measured":
            return t("cards.status.measured", lang)
        if row.status == "not_applicable":
            return t("cards.status.not_applicable", lang)
        return t(
            "cards.status.imputed", lang, value=indicator_value(row.value_used, row.unit, lang)
        )

    columns = {
        "score": [t(f"dimension.{d}", lang) for d in rows["dimension"]],
        "indicator": rows["indicator"].map(labels).tolist(),
        "value": [
            indicator_value(v, u, lang)
            for v, u in zip(rows["raw_value"], rows["unit"], strict=True)
        ],
        "unit": [t(f"unit.{u}", lang) if u else "" for u in rows["unit"]],
        "source": [pick(sources.get(s, s), lang) for s in rows["source"]],
        "year": ["–" if pd.isna(y) else str(int(y)) for y in rows["year"]],
        "status": [status(row) for row in rows.itertuples(index=False)],
        "normalised": ["–" if pd.isna(v) else number(v, lang, 2) for v in rows["normalised"]],
        "weight": [
            "–" if c else share(v, lang) for c, v in zip(context, rows["weight_share"], strict=True)
        ],
        "contribution": [
            "–" if c else number(v * 100, lang, 1)
            for c, v in zip(context, rows["contribution"], strict=True)
        ],
    }
    return pd.DataFrame(columns).rename(columns=lambda c: t(f"cards.column.{c}", lang))


def card_summary(data: ReportData, rows: pd.DataFrame) -> PageText:
    """The line above a card: quadrant, its share of draws, stability, scores and ranks, and
    how many of the scored indicators that apply were measured."""
    lang = data.lang
    first = rows.iloc[0]
    rows = rows[rows["dimension"].isin(SCORES)]  # context indicators are not counted
    values = {
        "country": data.country(first["iso2"]),
        "opportunity": number(first["opportunity"] * 100, lang),
        "threat": number(first["threat"] * 100, lang),
        "opportunity_ranks": _ranks(first["opportunity_rank_low"], first["opportunity_rank_high"]),
        "threat_ranks": _ranks(first["threat_rank_low"], first["threat_rank_high"]),
        "measured": int((rows["status"] == "measured").sum()),
        "total": int((rows["status"] != "not_applicable").sum()),
    }
    if first["quadrant"] == NOT_PLACED:
        minimum = float(data.model["quadrants"].get("min_coverage", 0))
        return page_text(
            "cards.summary_not_placed", lang, min_coverage=share(minimum, lang), **values
        )
    return page_text(
        "cards.summary_placed",
        lang,
        quadrant=data.quadrant_labels()[first["quadrant"]],
        share=share_down(first["quadrant_share"], lang),
        stability=t("cards.stable" if first["stable"] else "cards.uncertain", lang),
        **values,
    )


def country_cards(data: ReportData, pub: Publisher) -> None:
    """Every scored country's card, in the matrix table's order (by quadrant, most threat
    first), each with its summary line."""
    lang = data.lang
    config = settings(data.model)
    cards = data.cards
    say(
        page_text(
            "cards.intro",
            lang,
            draws=number(int(config["draws"]), lang),
            low=number(float(config["interval"][0]) * 100, lang),
            high=number(float(config["interval"][1]) * 100, lang),
        )
    )
    context = context_indicators(data.model)
    if context:
        names = listing([pick(i.label, lang) for i in context], lang)
        say(page_text("cards.intro_context", lang, indicators=names))
    order = {key: position for position, key in enumerate(data.quadrant_labels())}
    countries = (
        cards.drop_duplicates("iso2")
        .assign(position=lambda f: f["quadrant"].map(order))
        .sort_values(["position", "threat", "iso2"], ascending=[True, False, True])["iso2"]
    )
    for code in countries:
        rows = cards[cards["iso2"] == code]
        say(card_summary(data, rows))
        pub.table(
            card_table(data, rows), title=t("cards.table_title", lang, country=data.country(code))
        )
