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
from analysis.scoring.model import QUADRANT_KEYS, measured_evidence, score
from analysis.scoring.uncertainty import assess
from tests.test_scoring_backtest import MODEL, TABLE

NAMES = {"AA": "Aland", "BB": "Bothnia", "CC": "Carelia", "DD": "Dalarna"}


class Tables:
    """Stands in for the publisher: keeps every table shown."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, pd.DataFrame]] = []

    def table(self, frame: pd.DataFrame, *, title: str, caption: str = "") -> None:
        self.shown.append((title, frame))


def report_data(
    model: dict = MODEL, lang: str = "en", table: pd.DataFrame = TABLE, **changes
) -> SimpleNamespace:
    scores = pd.concat([table, score(table, model), assess(table, model).countries], axis=1)
    data = SimpleNamespace(
        lang=lang,
        model=model,
        scores=scores,
        cards=country_cards(table, model, scores),
        sensitivity=assess(table, model).sensitivity,
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


def test_a_card_marks_an_indicator_that_does_not_apply_and_shares_its_weight() -> None:
    model = copy.deepcopy(MODEL)
    model["opportunity"]["growth"]["applies_to"] = ["eligible"]
    table = TABLE.assign(eligible=[True, True, True, False])
    scores = pd.concat([table, score(table, model), assess(table, model).countries], axis=1)
    rows = country_cards(table, model, scores).set_index(["iso2", "indicator"])
    # DD: growth does not apply, so copubs carries the whole opportunity weight (3 of 3).
    assert rows.loc[("DD", "growth"), "status"] == "not_applicable"
    assert rows.loc[("DD", "growth"), "contribution"] == 0
    assert rows.loc[("DD", "copubs"), "weight_share"] == 1.0
    data = report_data(model, table=table)
    card = cards.card_table(data, data.cards[data.cards["iso2"] == "DD"])
    assert card["Measured"].tolist()[1].startswith("does not apply")
    assert "indicators measured: 3/3" in cards.card_summary(
        data, data.cards[data.cards["iso2"] == "DD"]
    )


def test_a_card_shows_the_governance_context_without_weight_and_keeps_its_count() -> None:
    model = copy.deepcopy(MODEL)
    model["context"] = {"rule": {"label": "Rule of law", "source": "s", "unit": "estimate"}}
    table = TABLE.assign(rule=[1.5, -0.25, 0.0, -1.75], rule_year=[2023] * 4)
    data = report_data(model, table=table)
    rows = data.cards[data.cards["iso2"] == "BB"]
    card = cards.card_table(data, rows)
    last = card.iloc[-1]
    assert last["Indicator"] == "Rule of law" and last["Score"] == "context (not scored)"
    assert last["Value"] == "-0.25" and last["Measured"] == "measured; shown as context, not scored"
    assert (last["Weight in the score"], last["Contribution (of 100)"]) == ("–", "–")
    assert "indicators measured: 3/4" in cards.card_summary(data, rows)  # context not counted
    finnish = cards.card_table(report_data(model, lang="fi", table=table), rows)
    assert finnish.iloc[-1]["Arvo"] == "\u22120,25"


def test_the_method_states_eligibility_the_capped_scale_the_overlaps_and_the_context() -> None:
    from analysis.report.method import context_paragraph, indicator_paragraph, overlap_paragraph

    model = copy.deepcopy(MODEL)
    model["opportunity"]["growth"].update(label="EU projects", applies_to=["eu_member"])
    model["threat"]["sanctions"].update(label="Matches", transform="capped_log", cap=5)
    model["threat"]["restrictive_measures"] = {
        "label": "Restrictive measures",
        "source": "s",
        "unit": "flag",
        "direction": "higher",
        "weight": 1,
    }
    model["opportunity"]["named"] = {
        "label": "Named as an opportunity",
        "source": "survey",
        "unit": "share",
        "direction": "higher",
        "weight": 1,
    }
    model["perception_sources"] = ["survey"]
    model["sources"]["survey"] = "Survey"
    model["context"] = {"rule": {"label": "Rule of law", "source": "s"}}
    table = TABLE.assign(eu_member=[True, True, False, False], restrictive_measures=0, named=0.1)
    text = indicator_paragraph(model, table, 5, "en")
    assert "*EU projects* applies only to EU member states: elsewhere" in text
    assert "It applies to 2 of the 4 scored countries." in text
    # log 2 / log 6 = 0.387: one match counts 39% of the indicator.
    assert "one counts 39% of the indicator and 5 or more all of it" in text
    assert "fewer than 5 respondents counts as not named (a share of 0)" in text
    overlaps = overlap_paragraph(model, "en")
    assert "raise the threat score directly (*restrictive measures*)" in overlaps
    assert "Survey perceptions sit in both scores (named as an opportunity)" in overlaps
    assert "Rule of law (Source" in context_paragraph(model, "en")
    for lang in ("fi", "sv"):
        assert "39\u00a0%" in indicator_paragraph(model, table, 5, lang)
        assert overlap_paragraph(model, lang) and context_paragraph(model, lang)
    assert overlap_paragraph(MODEL, "en") is None and context_paragraph(MODEL, "en") is None


def test_the_measured_only_sentence_names_each_country_that_moves() -> None:
    model = copy.deepcopy(MODEL)
    model["threat"]["freedom"]["source"] = "p"
    model["sources"]["p"] = "Perceptions"
    model["perception_sources"] = ["p"]
    model["quadrants"]["names"] = {key: {"en": key, "fi": key, "sv": key} for key in QUADRANT_KEYS}
    data = report_data(model)
    data.scores = pd.concat([data.scores, measured_evidence(TABLE, model)], axis=1)
    # Worked out in the back test: without freedom BB is not placed and CC moves to high
    # opportunity, low threat; AA and DD stay.
    text = matrix.measured_only_sentence(data)
    assert "(f), 2 of the 4 placed countries keep their quadrant" in text
    assert "These move: Bothnia (from *high\\_opportunity\\_low\\_threat* to *Not placed" in text
    assert "; Carelia (from *low\\_opportunity\\_low\\_threat* to *high\\_opportunity" in text
    table = matrix.matrix_table(data)
    assert table.columns[4] == "Quadrant on measured evidence only"
    finnish = matrix.measured_only_sentence(report_data(model, lang="fi", scores=data.scores))
    assert "Lohkoa vaihtavat: Bothnia" in finnish
