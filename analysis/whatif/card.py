"""One country's card for an analyst: the report's card (``analysis.report.chapters.cards``)
of the built assessment, or of a what-if (``analysis.whatif``), in any edition's language."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from IPython.display import HTML, Markdown, display

from analysis.disclosure.rules import release_min_cell
from analysis.figures.assessment import class_labels
from analysis.figures.tables import table_html
from analysis.files.paths import resolve
from analysis.files.tables import read_table
from analysis.i18n import check_language
from analysis.i18n.page import PageText
from analysis.reference.countries import CountryResolver
from analysis.report.chapters.cards import card_summary, card_table
from analysis.scoring.model import load_scoring_model


@dataclass
class _CardData:
    """What the report's card functions read of ``ReportData``."""

    lang: str
    model: dict
    min_cell: int
    scores: pd.DataFrame
    resolver: CountryResolver

    def country(self, iso2: str) -> str:
        return self.resolver.name(iso2, self.lang)

    def quadrant_labels(self) -> dict[str, str]:
        return class_labels(self.model, self.lang)


@dataclass
class Card:
    """A country's card: ``summary`` (the line above the card in the report, Markdown) and
    ``table`` (a row per indicator, labelled in ``lang``). Shown as both in a notebook."""

    iso2: str
    lang: str
    summary: PageText
    table: pd.DataFrame

    def _ipython_display_(self) -> None:
        display(Markdown(str(self.summary)))
        display(HTML(table_html(self.table, self.lang)))


def country_card(
    iso2: str,
    lang: str = "en",
    result=None,
    *,
    processed_dir: str = "data/processed",
    scoring_model: str = "config/scoring.yaml",
    params: str = "config/params.yaml",
    country_aliases: str = "config/country_aliases.yaml",
) -> Card:
    """The card of the country ``iso2`` (ISO 3166 alpha-2) in ``lang``: from ``result`` (a
    ``WhatIf``) when given, otherwise from the built ``country_cards`` and ``country_scores``.
    Reads only; writes nothing."""
    lang = check_language(lang)
    if result is None:
        cards = read_table(processed_dir, "country_cards")
        scores = read_table(processed_dir, "country_scores")
        model = load_scoring_model(resolve(scoring_model))
        min_cell = release_min_cell(resolve(params))
    else:
        cards, scores, model, min_cell = result.cards, result.scores, result.model, result.min_cell
    code = str(iso2).upper()
    rows = cards[cards["iso2"] == code]
    if rows.empty:
        known = ", ".join(sorted(cards["iso2"].unique()))
        raise KeyError(f"{code} is not a scored country (scored: {known})")
    data = _CardData(lang, model, int(min_cell), scores, CountryResolver(resolve(country_aliases)))
    return Card(code, lang, card_summary(data, rows), card_table(data, rows))
