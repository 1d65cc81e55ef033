"""The report's scoring sections written from the numbers: stability sentences (a minimum is
never rounded up), the matrix table's stability column, every imputed cell in the method
appendix, and the country cards saying "not measured"."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.i18n import number_down, share_down
from analysis.report.chapters import appendix, cards, matrix
from analysis.report.data import ReportData
from analysis.scoring.cards import country_cards
from analysis.scoring.model import score
from analysis.scoring.uncertainty import assess
from tests.test_scoring_backtest import MODEL, TABLE

NAMES = {"AA": "Aland", "BB": "Bothnia", "CC": "Carelia", "DD": "Dalarna"}


class Tables:
    """Stands in for the publisher: keeps every table shown."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, pd.DataFrame]] = []

    def table(self, frame: pd.DataFrame, *, title: str, caption: str = "") -> None:
        self.shown.append((title, frame))


def report_data(model: dict = MODEL, lang: str = "en", **changes) -> SimpleNamespace:
    scores = pd.concat([TABLE, score(TABLE, model), assess(TABLE, model).countries], axis=1)
    data = SimpleNamespace(
        lang=lang,
        model=model,
        scores=scores,
        cards=country_cards(TABLE, model, scores),
        sensitivity=assess(TABLE, model).sensitivity,
        country=NAMES.get,
        country_names=lambda codes: codes.map(NAMES),
    )
    for name, value in changes.items():
        setattr(data, name, value)
    for method in ("quadrant_names", "quadrant_labels", "quadrant_actions"):
        setattr(data, method, getattr(ReportData, method).__get__(data))
    return data


def test_a_minimum_is_rounded_down_never_up() -> None:
    assert number_down(0.9949, "en", 2) == "0.99"
    assert number_down(0.999, "fi", 2) == "0,99"
    assert number_down(0.29, "en", 2) == "0.29"  # 0.29 × 100 is 28.999… in binary
    assert share_down(0.999, "en") == "99%" and share_down(0.999, "sv") == "99\u00a0%"


def test_the_stability_sentences_state_what_changes_from_the_numbers() -> None:
    data = report_data()
    runs = data.sensitivity.copy()
    joint = runs["variant"] == "joint"
    runs.loc[joint, "spearman_min"] = 0.996  # printed as 1.00 before; it is at least 0.99
    runs.loc[runs["variant"] == "weights", "countries_changing"] = "CC DD"
    data.sensitivity = runs
    data.scores.loc[2, "stable"] = False
    text = " ".join(matrix.stability_sentences(data))
    assert "at least 0.99 for opportunity and 0.99 for threat" in text
    assert "at least 1.00" not in text
    assert "3 of the 4 placed countries stay" in text
    assert "Classification uncertain: Carelia." in text
    assert "moves these countries out of their quadrant in more than 20% of the draws: " in text
    assert "Carelia and Dalarna" in text
    finnish = " ".join(matrix.stability_sentences(report_data(lang="fi", sensitivity=runs)))
    assert "0,99" in finnish and "Carelia ja Dalarna" in finnish


def test_the_matrix_table_shows_stability_and_the_working_groups_action_words() -> None:
    data = report_data()
    table = matrix.matrix_table(data)
    assert list(table.columns)[:4] == [
        "Country",
        "Quadrant",
        "Draws in this quadrant (%)",
        "Stable",
    ]
    assert table["Stable"].tolist() == ["yes"] * 4
    # By quadrant in the model's order, most threat first; nothing varies, so one rank each.
    assert table["Country"].tolist() == ["Bothnia", "Aland", "Carelia", "Dalarna"]
    assert table["Threat rank (interval)"].tolist() == ["3", "4", "2", "1"]
    model = copy.deepcopy(MODEL)
    model["quadrants"]["actions"] = {"low_opportunity_high_threat": {"en": "Reconsider"}}
    acted = matrix.matrix_table(report_data(model))
    assert "Action (working group)" in acted
    assert set(acted["Action (working group)"]) == {"", "Reconsider"}


def test_the_method_appendix_lists_every_imputed_cell(monkeypatch) -> None:
    said: list[str] = []
    monkeypatch.setattr(appendix, "say", said.append)
    table = TABLE.astype({"freedom": float})
    table.loc[3, "freedom"] = float("nan")  # a second imputed cell, DD's freedom
    data = report_data()
    data.cards = country_cards(table, MODEL, data.scores)
    pub = Tables()
    appendix.imputed_cells(data, pub)
    ((title, shown),) = pub.shown
    # growth of BB: the median of 10, 30, 20; freedom of DD: the median of 0.9, 0.8, 0.4.
    assert shown.values.tolist() == [
        ["Bothnia", "g", "20.0%", 3],
        ["Dalarna", "f", "0.800", 3],
    ]
    assert said == [
        "**Imputed values.** 2 indicator values of 2 countries were not measured; each took the"
        " median of the countries where the indicator was measured, and is listed here and"
        ' marked "not measured" on the country\'s card.'
    ]
    said.clear()
    data.cards = data.cards.assign(status="measured")
    appendix.imputed_cells(data, Tables())
    assert said[0].startswith("**Imputed values.** Every indicator value")


def test_a_country_card_says_not_measured_and_its_contributions_add_up() -> None:
    data = report_data()
    rows = data.cards[data.cards["iso2"] == "BB"]
    card = cards.card_table(data, rows)
    assert card["Measured"].tolist() == [
        "measured",
        "not measured: the median 20.0% used",
        "measured",
        "measured",
    ]
    assert card["Value"].tolist() == ["99", "–", "0.800", "no"]
    # 50 + 12.5 = 62.5, the opportunity score 0.625 on the 0–100 scale
    assert card["Contribution (of 100)"].tolist()[:2] == ["50.0", "12.5"]
    summary = cards.card_summary(data, rows)
    # Values are escaped for Markdown (the underscores of a key that stands in for a label).
    assert summary.startswith(r"**Bothnia**: *high\_opportunity\_low\_threat* in 100% of the draws")
    assert "indicators measured: 3/4" in summary


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_cards_and_the_appendix_in_finnish_and_swedish(lang: str) -> None:
    data = report_data(lang=lang)
    rows = data.cards[data.cards["iso2"] == "BB"]
    card = cards.card_table(data, rows)
    assert "not measured" not in card.to_csv()
    assert any("20,0\u00a0%" in value for value in card.iloc[:, 6])
