"""Survey analysis, with expected values worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.survey.analyse import agreement_shares, preparedness_index, wilson_interval


def test_wilson_interval_matches_the_textbook_value() -> None:
    # 8 of 10: centre (0.8 + 1.92/10) / 1.384 = 0.7168, half-width 0.2547 (z = 1.96)
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-3)
    assert high == pytest.approx(0.9433, abs=1e-3)
    assert all(math.isnan(v) for v in wilson_interval(0, 0))
    assert wilson_interval(0, 5)[0] == 0.0


def _data():
    respondents = pd.DataFrame(
        {
            "respondent_key": [f"r{i}" for i in range(7)],
            "org_type": ["university"] * 5 + ["uas"] * 2,
        }
    )
    scores = [5, 4, 2, None, 4, 5, 1]
    answers = pd.DataFrame(
        {
            "respondent_key": respondents["respondent_key"],
            "block": "threats",
            "item_id": "threat_dual_use",
            "code": [None if s is None else str(s) for s in scores],
            "status": ["answered" if s else "dont_know" for s in scores],
            "score": pd.array(scores, dtype="Int64"),
        }
    )
    return answers, respondents


def test_agreement_share_counts_four_and_five_among_scale_answers() -> None:
    answers, respondents = _data()
    table = agreement_shares(answers, respondents, "threats", "org_type", min_cell=1)
    row = table.set_index("org_type").loc["university"]
    assert (row["n"], row["agree"], row["dont_know"]) == (4, 3, 1)
    assert row["share_agree"] == pytest.approx(0.75)
    everyone = table.set_index("org_type").loc["all"]
    assert (everyone["n"], everyone["agree"]) == (6, 4)


def test_small_groups_are_suppressed_in_results() -> None:
    answers, respondents = _data()
    table = agreement_shares(answers, respondents, "threats", "org_type", min_cell=3)
    uas = table.set_index("org_type").loc["uas"]
    assert uas["suppressed"] == "primary" and pd.isna(uas["share_agree"])


def test_readiness_index_scores_yes_partly_no() -> None:
    respondents = pd.DataFrame({"respondent_key": ["a", "b", "c", "d"], "org_type": "uas"})
    answers = pd.DataFrame(
        {
            "respondent_key": ["a", "b", "c", "d"],
            "block": "preparedness",
            "item_id": "prep_training",
            "code": ["yes", "partly", "no", None],
            "status": ["answered", "answered", "answered", "dont_know"],
            "score": pd.array([None] * 4, dtype="Int64"),
        }
    )
    table = preparedness_index(answers, respondents, "org_type", min_cell=1)
    row = table.set_index("org_type").loc["uas"]
    assert row["n"] == 3
    assert row["readiness"] == pytest.approx(0.5)
    assert row["share_yes"] == pytest.approx(1 / 3)


def test_country_shares_state_both_denominators() -> None:
    from analysis.survey.analyse import country_mentions

    # Four respondents; three named a country of concern (r1 twice over for CN), one none.
    respondents = pd.DataFrame({"respondent_key": ["r1", "r2", "r3", "r4"]})
    countries = pd.DataFrame(
        {
            "respondent_key": ["r1", "r1", "r2", "r3"],
            "item_id": "concern_countries",
            "iso2": ["CN", "CN", "CN", "RU"],
        }
    )
    table = country_mentions(countries, respondents, "concern_countries", 1).set_index("iso2")
    assert table.loc["CN", "respondents"] == 2
    assert table.loc["CN", "share"] == pytest.approx(2 / 4)  # of all respondents
    assert table.loc["CN", "share_of_naming"] == pytest.approx(2 / 3)  # of the 3 who named any
    assert (table.loc["CN", "named_any"], table.loc["CN", "base"]) == (3, 4)
