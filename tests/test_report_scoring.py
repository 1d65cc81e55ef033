"""The report's scoring sections written from the numbers: stability sentences (a minimum is
never rounded up), the matrix table's classes and their support, every censored or unmeasured
cell in the method appendix, the country cards saying what enters as an interval, and the demo
report agreeing with ``country_scores`` in every edition."""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis.i18n import number_down, share_down
from analysis.report.chapters import appendix, cards, matrix
from analysis.report.data import ReportData
from analysis.scoring.cards import country_cards
from analysis.scoring.model import QUADRANT_KEYS, measured_evidence, score
from analysis.scoring.uncertainty import assess

POSTS = {"low": 0, "high": 1, "reason": "r"}
MODEL = {
    "version": "t",
    "aggregation": "arithmetic",
    "min_copublications": 0,
    "classes": {
        "min_coverage": 0.75,
        "opportunity_level": {"level": 50, "spread": 0, "rationale": "r"},
        "threat_level": {"level": 30, "spread": 0, "rationale": "r"},
        "names": {key: {"en": key, "fi": key, "sv": key} for key in [*QUADRANT_KEYS, "uncertain"]},
    },
    # Nothing varies but where an unmeasured value lies: every draw of a measured country is
    # its published point.
    "uncertainty": {"draws": 8, "seed": 1, "stable_share": 0.8},
    "sources": {"s": "Source"},
    "opportunity": {
        "copubs": {"label": "c", "source": "s", "unit": "count", "direction": "higher",
                   "transform": "log", "weight": 3,
                   "goalposts": {"low": 0, "high": 999, "reason": "r"}},
        "growth": {"label": "g", "source": "s", "unit": "percent", "direction": "higher",
                   "weight": 1, "goalposts": {"low": -50, "high": 50, "reason": "r"}},
    },
    "threat": {
        "freedom": {"label": "f", "source": "s", "unit": "index", "direction": "lower",
                    "weight": 2, "goalposts": POSTS},
        "sanctions": {"label": "r", "source": "s", "unit": "flag", "direction": "higher",
                      "weight": 2, "goalposts": POSTS},
    },
}  # fmt: skip
TABLE = pd.DataFrame(
    {
        "iso2": ["AA", "BB", "CC", "DD"],
        "copubs": [999, 99, 9, 0],
        "growth": [10.0, np.nan, 30.0, 20.0],  # BB not measured
        "freedom": [0.9, 0.8, 0.4, 0.1],
        "sanctions": [0, 0, 0, 1],
    }
)
# Worked by hand. copubs, log(1 + x) between log 1 = 0 and log 1000: 1, 2/3, 1/3, 0; growth
# between -50 and 50: 0.6, [0, 1] (not measured), 0.8, 0.7. Opportunity (3 c + g) / 4:
# AA 0.9; BB 0.625 (0.5 to 0.75); CC 0.45; DD 0.175. Threat (2 (1 - freedom) + 2 sanctions) / 4:
# AA 0.05, BB 0.1, CC 0.3, DD 0.95. Against the levels 0.5 and 0.3: AA and BB high opportunity,
# low threat (BB's whole interval lies above 0.5); CC and DD low opportunity, high threat.
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
        min_cell=5,
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


def test_the_published_classes_are_those_worked_out_by_hand() -> None:
    data = report_data()
    assert data.scores["quadrant"].tolist() == [
        "high_opportunity_low_threat",
        "high_opportunity_low_threat",
        "low_opportunity_high_threat",
        "low_opportunity_high_threat",
    ]
    assert data.scores["opportunity"].round(6).tolist() == [0.9, 0.625, 0.45, 0.175]
    assert data.scores["threat"].round(6).tolist() == [0.05, 0.1, 0.3, 0.95]
    assert (data.scores.loc[1, "opportunity_min"], data.scores.loc[1, "opportunity_max"]) == (
        pytest.approx(0.5),
        pytest.approx(0.75),
    )


def uncertain_carelia(data) -> None:
    data.scores.loc[2, ["quadrant", "stable"]] = ["uncertain", False]
    data.scores.loc[2, ["class_likeliest", "class_second"]] = [
        "low_opportunity_high_threat",
        "low_opportunity_low_threat",
    ]
    data.scores.loc[2, ["quadrant_share", "class_second_share"]] = [0.6, 0.4]


def test_the_stability_sentences_state_what_changes_from_the_numbers() -> None:
    data = report_data()
    runs = data.sensitivity.copy()
    joint = runs["variant"] == "joint"
    runs.loc[joint, "spearman_min"] = 0.996  # printed as 1.00 before; it is at least 0.99
    runs.loc[runs["variant"] == "weights", "countries_changing"] = "AA DD"
    data.sensitivity = runs
    uncertain_carelia(data)
    text = " ".join(matrix.stability_sentences(data))
    assert "at least 0.99 for opportunity and 0.99 for threat" in text
    assert "at least 1.00" not in text
    assert "3 of the 4 placed countries have a class that at least 80% of the draws" in text
    assert (
        r"Uncertain, with the two likeliest classes: Carelia (*low\_opportunity\_high\_threat* "
        r"in 60% of the draws, *low\_opportunity\_low\_threat* in 40%)." in text
    )
    assert "more than 20% of its draws: weights only: Aland and Dalarna." in text
    assert "none of these moves a settled country" in text and "goalposts only" in text
    finnish = " ".join(matrix.stability_sentences(report_data(lang="fi", sensitivity=runs)))
    assert "0,99" in finnish and "Aland ja Dalarna" in finnish


def test_the_matrix_table_shows_classes_their_support_and_the_working_groups_words() -> None:
    data = report_data()
    uncertain_carelia(data)
    table = matrix.matrix_table(data)
    assert list(table.columns)[:3] == ["Country", "Class", "Draws supporting it"]
    # By class in the model's order (uncertain after the four), most threat first.
    assert table["Country"].tolist() == ["Bothnia", "Aland", "Dalarna", "Carelia"]
    assert [v.split(" ")[0] for v in table["Threat (90 % interval)"]] == ["10", "5", "95", "30"]
    assert table["Draws supporting it"].tolist()[3] == (
        "low_opportunity_high_threat: 60%; low_opportunity_low_threat: 40%"
    )
    # Bothnia's growth is unmeasured: its opportunity lies between 50 and 75 in the draws.
    assert table["Opportunity (90 % interval)"].tolist()[0] != "62 (62)"
    model = copy.deepcopy(MODEL)
    model["classes"]["actions"] = {"low_opportunity_high_threat": {"en": "Reconsider"}}
    acted = matrix.matrix_table(report_data(model))
    assert "Action (working group)" in acted
    assert set(acted["Action (working group)"]) == {"", "Reconsider"}


SURVEY_MODEL = copy.deepcopy(MODEL)
SURVEY_MODEL["sources"]["survey"] = "Survey"
SURVEY_MODEL["perception_sources"] = ["survey"]
SURVEY_MODEL["opportunity"]["named"] = {
    "label": "n", "source": "survey", "unit": "share", "direction": "higher", "weight": 1,
    "goalposts": {"low": 0, "high": 0.2, "reason": "r"},
}  # fmt: skip
# DD named by fewer than 5 of 100 respondents: withheld, between 1 and 4 %.
SURVEY_TABLE = TABLE.assign(
    named=[0.1, 0.05, 0.0, np.nan],
    named_low=[np.nan, np.nan, np.nan, 0.01],
    named_high=[np.nan, np.nan, np.nan, 0.04],
)


def test_the_method_appendix_lists_every_censored_and_unmeasured_cell(monkeypatch) -> None:
    said: list[str] = []
    monkeypatch.setattr(appendix, "say", said.append)
    data = report_data(SURVEY_MODEL, table=SURVEY_TABLE)
    pub = Tables()
    appendix.censored_cells(data, pub)
    ((title, shown),) = pub.shown
    assert shown.values.tolist() == [
        ["Bothnia", "g", "not measured: enters as the whole scale",
         "anywhere between the goalposts"],
        ["Dalarna", "n", "withheld: enters as its interval",
         "1.0%–4.0%: named by 1 to 4 respondents, withheld"],
    ]  # fmt: skip
    assert said[0].startswith(
        "**Withheld and unmeasured values.** 1 indicator values are withheld survey shares "
        "(named by 1 to 4 respondents, fewer than the 5 a published cell needs) and 1 were not "
        "measured, in 2 countries."
    )
    assert "the published central score takes the interval's midpoint" in said[0]
    said.clear()
    data.cards = data.cards.assign(status="measured")
    appendix.censored_cells(data, Tables())
    assert said[0].startswith("**Withheld and unmeasured values.** Every indicator value")


def test_a_censored_share_is_never_a_measured_zero_on_the_card() -> None:
    data = report_data(SURVEY_MODEL, table=SURVEY_TABLE)
    rows = data.cards[data.cards["iso2"] == "DD"]
    card = cards.card_table(data, rows).set_index("Indicator")
    assert card.loc["n", "Measured"] == "withheld: enters as its interval"
    assert card.loc["n", "Value"] == "1.0%–4.0%: named by 1 to 4 respondents, withheld"
    # Between the goalposts 0 and 0.2: 0.01 to 0.04 is 5 to 20 of 100.
    assert card.loc["n", "Scaled (0–100)"] == "5–20"
    summary = cards.card_summary(data, rows)
    assert "of the 5 indicators behind the class, 4 measured and 1 withheld" in summary


def test_a_country_card_says_not_measured_and_its_contributions_add_up() -> None:
    data = report_data()
    rows = data.cards[data.cards["iso2"] == "BB"]
    card = cards.card_table(data, rows)
    assert card["Measured"].tolist() == [
        "measured",
        "not measured: enters as the whole scale",
        "measured",
        "measured",
    ]
    assert card["Value"].tolist() == ["99", "–", "0.800", "no"]
    assert card["Scaled (0–100)"].tolist()[:2] == ["67", "0–100"]
    # 50 + 12.5 = 62.5, the opportunity score 0.625 on the 0–100 scale
    assert card["Contribution (of 100)"].tolist()[:2] == ["50.0", "12.5"]
    summary = cards.card_summary(data, rows)
    # Values are escaped for Markdown (the underscores of a key that stands in for a label).
    assert summary.startswith(
        r"**Bothnia**: *high\_opportunity\_low\_threat*, supported by 100% of the draws."
    )
    assert summary.endswith(
        "of the 4 indicators behind the class, 3 measured and 1 not measured. Without any one "
        "of these, the draws would no longer settle this class: c."
    )


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_cards_and_the_appendix_in_finnish_and_swedish(lang: str) -> None:
    data = report_data(SURVEY_MODEL, lang=lang, table=SURVEY_TABLE)
    rows = data.cards[data.cards["iso2"] == "DD"]
    card = cards.card_table(data, rows)
    assert "censored" not in card.to_csv() and "not measured" not in card.to_csv()
    assert any("4,0\u00a0%" in value for value in card.iloc[:, 2])
    assert "sensuroi" not in card.to_csv()  # withheld, not "censored", in Finnish


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
    assert "all 3 indicators behind the class measured" in cards.card_summary(
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
    assert "3 measured and 1 not measured" in cards.card_summary(data, rows)
    finnish = cards.card_table(report_data(model, lang="fi", table=table), rows)
    assert finnish.iloc[-1]["Arvo"] == "\u22120,25"


def test_the_method_states_eligibility_the_capped_scale_the_overlaps_and_the_context() -> None:
    from analysis.report.method import context_paragraph, indicator_paragraph, overlap_paragraph

    model = copy.deepcopy(SURVEY_MODEL)
    model["opportunity"]["growth"].update(label="EU projects", applies_to=["eu_member"])
    model["threat"]["sanctions"].update(label="Matches", transform="capped_log", cap=5)
    model["threat"]["restrictive_measures"] = {
        "label": "Restrictive measures", "source": "s", "unit": "flag", "direction": "higher",
        "weight": 1, "goalposts": POSTS,
    }  # fmt: skip
    model["opportunity"]["named"]["label"] = "Named as an opportunity"
    model["context"] = {"rule": {"label": "Rule of law", "source": "s"}}
    table = SURVEY_TABLE.assign(eu_member=[True, True, False, False], restrictive_measures=0)
    text = indicator_paragraph(model, table, 5, "en")
    assert "*EU projects* applies only to EU member states: elsewhere" in text
    assert "It applies to 2 of the 4 scored countries." in text
    # log 2 / log 6 = 0.387: one match counts 39% of the indicator.
    assert "one counts 39% of the indicator and 5 or more all of it" in text
    assert "fewer than 5 respondents is withheld: since a country no respondent named" in text
    assert "lies between 1 and 4 respondents" in text and "never as a zero" in text
    overlaps = overlap_paragraph(model, "en")
    assert "raise the threat score directly (*restrictive measures*)" in overlaps
    assert "Survey perceptions sit in both scores (named as an opportunity)" in overlaps
    assert "Rule of law (Source" in context_paragraph(model, "en")
    for lang in ("fi", "sv"):
        assert "39\u00a0%" in indicator_paragraph(model, table, 5, lang)
        assert overlap_paragraph(model, lang) and context_paragraph(model, lang)
    assert overlap_paragraph(MODEL, "en") is None and context_paragraph(MODEL, "en") is None


def test_the_measured_only_sentence_names_each_settled_country_that_moves() -> None:
    data = report_data(SURVEY_MODEL, table=SURVEY_TABLE)
    data.scores = pd.concat([data.scores, measured_evidence(SURVEY_TABLE, SURVEY_MODEL)], axis=1)
    data.scores["quadrant_measured_only"] = data.scores["quadrant"]
    data.scores.loc[0, "quadrant_measured_only"] = "low_opportunity_low_threat"
    text = matrix.measured_only_sentence(data)
    settled = int(data.scores["quadrant"].isin(QUADRANT_KEYS).sum())
    assert f"(n), {settled - 1} of the {settled} countries with a settled class keep it" in text
    assert "These move: Aland (from *high\\_opportunity\\_low\\_threat* to *low\\_opp" in text
    table = matrix.matrix_table(data)
    assert table.columns[3] == "Class on measured evidence only"


def _card_lines(page: str) -> dict[str, str]:
    """Each country card's summary line of a rendered edition, by country name."""
    found = {}
    for match in re.finditer(r"<p><strong>([^<]*)</strong>:(.*?)</p>", page, re.S):
        found[html.unescape(match.group(1))] = html.unescape(re.sub("<[^>]+>", "", match.group(2)))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
def test_the_demo_report_agrees_with_country_scores(built: Path, lang: str) -> None:
    """Every card, the matrix's classes and the drafts of every edition say what
    country_scores says: a settled class by its name, an uncertain country as uncertain and
    never with a class, and recommendations naming settled countries only."""
    from analysis.i18n import pick, t
    from analysis.reference.countries import CountryResolver
    from analysis.scoring.model import load_scoring_model

    page = (built / "reports" / {"en": "report.html", "fi": "report.fi.html",
                                 "sv": "report.sv.html"}[lang]).read_text(encoding="utf-8")  # fmt: skip
    processed = built / "data" / "processed"
    scores = pd.read_parquet(processed / "country_scores.parquet")
    model = load_scoring_model(built / "config" / "scoring.yaml")
    names = {key: pick(name, lang) for key, name in model["classes"]["names"].items()}
    resolver = CountryResolver(built / "config" / "country_aliases.yaml")
    lines = _card_lines(page)
    # The words after the name on an uncertain country's card ("class uncertain").
    template = t("cards.summary_uncertain", lang, **dict.fromkeys(
        ["country", "first", "first_share", "second", "second_share", "opportunity", "threat",
         "opportunity_interval", "threat_interval", "exposure", "counted"], ""))  # fmt: skip
    uncertain_word = template.split(":")[1].strip()
    for row in scores.itertuples(index=False):
        line = lines[resolver.name(row.iso2, lang)]
        if row.quadrant == "uncertain":
            assert line.strip().startswith(uncertain_word), (row.iso2, line)
        else:
            assert line.strip().startswith(names[row.quadrant]), (row.iso2, line)
    drafts = pd.read_csv(processed / "recommendations.csv", keep_default_na=False)
    settled = scores.set_index("iso2")["quadrant"]
    depends = scores.set_index("iso2")["depends_on"].fillna("")
    for draft in drafts.itertuples(index=False):
        for code in str(draft.countries_named).split():
            assert settled[code] != "uncertain" and depends[code] == "", code
        for code in str(draft.countries_held_back).split():
            assert settled[code] == "uncertain" or depends[code] != "", code
    assert scores["depends_on"].notna().all()


def test_a_card_says_whether_the_questionnaire_listed_the_country() -> None:
    data = report_data(SURVEY_MODEL, table=SURVEY_TABLE)
    data.scores["named_prompted"] = [True, False, False, False]
    values = {
        code: cards.card_table(data, data.cards[data.cards["iso2"] == code])
        .set_index("Indicator")
        .loc["n", "Value"]
        for code in ("AA", "BB", "DD")
    }
    assert values["AA"] == "10.0% (listed in the questionnaire)"
    assert values["BB"] == "5.0% (written in by respondents)"
    assert values["DD"].endswith("withheld (written in by respondents)")
    # Indicators that are not the survey's say nothing of the kind.
    card = cards.card_table(data, data.cards[data.cards["iso2"] == "AA"]).set_index("Indicator")
    assert card.loc["c", "Value"] == "999"
