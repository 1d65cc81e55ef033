"""The country cards appendix: for every scored country, what its class rests on."""

from __future__ import annotations

import pandas as pd

from analysis.figures.publisher import Publisher, say
from analysis.i18n import in_sentence, listing, number, page_text, pick, share, share_down, t
from analysis.i18n.page import PageText, join
from analysis.report.data import ReportData
from analysis.report.values import indicator_value
from analysis.scoring.levels import SCALE  # scores are stored on 0–1, shown on 0–100
from analysis.scoring.model import (
    CONTEXT,
    NOT_PLACED,
    SCORES,
    UNCERTAIN,
    context_indicators,
    indicators,
)
from analysis.scoring.uncertainty import settings


def _range(low: float, high: float, lang: str) -> str:
    low, high = number(low * SCALE, lang), number(high * SCALE, lang)
    return low if low == high else f"{low}–{high}"


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
        return t(f"cards.status.{row.status}", lang)

    def value(row) -> str:
        if row.status == "censored":
            return t(
                "cards.censored_value",
                lang,
                low=indicator_value(row.value_low, row.unit, lang),
                high=indicator_value(row.value_high, row.unit, lang),
                most=data.min_cell - 1,
            ) + asked(row)
        return indicator_value(row.raw_value, row.unit, lang) + asked(row)

    by_country = data.scores.set_index("iso2")

    def asked(row) -> str:
        """How the survey asked about the country: listed in advance or written in."""
        column = f"{row.indicator}_prompted"
        if column not in by_country:
            return ""
        prompted = by_country[column].get(row.iso2)
        if prompted is None or pd.isna(prompted):
            return ""
        return " " + t("cards.prompted" if prompted else "cards.written_in", lang)

    def normalised(row) -> str:
        if pd.isna(row.normalised):
            return "–"
        return _range(row.normalised_low, row.normalised_high, lang)

    columns = {
        "score": [t(f"dimension.{d}", lang) for d in rows["dimension"]],
        "indicator": rows["indicator"].map(labels).tolist(),
        "value": [value(row) for row in rows.itertuples(index=False)],
        "unit": [t(f"unit.{u}", lang) if u else "" for u in rows["unit"]],
        "source": [pick(sources.get(s, s), lang) for s in rows["source"]],
        "year": ["–" if pd.isna(y) else str(int(y)) for y in rows["year"]],
        "status": [status(row) for row in rows.itertuples(index=False)],
        "normalised": [normalised(row) for row in rows.itertuples(index=False)],
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
    """The line above a card: the published class with the share of draws that support it (or
    "uncertain" with its two likeliest classes), both scores with their 5–95 % intervals, the
    exposure, what the class depends on, and how many of the scored indicators that apply were
    measured or censored."""
    lang = data.lang
    first = rows.iloc[0]
    score = data.scores.set_index("iso2").loc[first["iso2"]]
    scored = rows[rows["dimension"].isin(SCORES)]  # exposure and context are not counted
    labels = data.quadrant_labels()
    values = {
        "country": data.country(first["iso2"]),
        "opportunity": number(score["opportunity"] * SCALE, lang),
        "threat": number(score["threat"] * SCALE, lang),
        "opportunity_interval": _range(score["opportunity_p05"], score["opportunity_p95"], lang),
        "threat_interval": _range(score["threat_p05"], score["threat_p95"], lang),
        "exposure": number(score["exposure"] * SCALE, lang),
    }
    total = int((scored["status"] != "not_applicable").sum())
    counts = {
        s: int((scored["status"] == s).sum()) for s in ("measured", "censored", "not_measured")
    }
    parts = [t(f"cards.count.{s}", lang, n=n) for s, n in counts.items() if n]
    values["counted"] = (
        t("cards.all_measured", lang, total=total)
        if counts["measured"] == total
        else t("cards.some_withheld", lang, total=total, parts=listing(parts, lang))
    )
    if first["quadrant"] == NOT_PLACED:
        minimum = float(data.model["classes"].get("min_coverage", 0))
        return page_text(
            "cards.summary_not_placed", lang, min_coverage=share(minimum, lang), **values
        )
    if first["quadrant"] == UNCERTAIN:
        text = page_text(
            "cards.summary_uncertain",
            lang,
            first=labels[score["class_likeliest"]],
            first_share=share_down(score["quadrant_share"], lang),
            second=labels[score["class_second"]],
            second_share=share_down(score["class_second_share"], lang),
            **values,
        )
    else:
        text = page_text(
            "cards.summary_placed",
            lang,
            quadrant=labels[first["quadrant"]],
            share=share_down(first["quadrant_share"], lang),
            **values,
        )
    depends = str(score.get("depends_on") or "").split()
    if depends:
        names = {i.name: pick(i.label, lang) for i in indicators(data.model)}
        names["survey"] = t("cards.the_survey", lang)
        text = join([text, page_text(
            "cards.depends_on", lang, indicators=listing([names[d] for d in depends], lang)
        )], " ")  # fmt: skip
    return text


def country_cards(data: ReportData, pub: Publisher) -> None:
    """Every scored country's card, in the matrix table's order (by class, most threat
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
        names = listing([in_sentence(pick(i.label, lang)) for i in context], lang)
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
