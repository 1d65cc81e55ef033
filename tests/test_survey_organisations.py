"""Organisations as the unit of analysis, on a five-respondent, two-organisation example worked
out by hand: X (university) has r1, r2, r3; Y (UAS) has r4, r5."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.survey.analyse import agreement_shares, respondent_weights
from analysis.survey.organisations import organisation_answers, readiness_by_organisation

RESPONDENTS = pd.DataFrame(
    {
        "respondent_key": ["r1", "r2", "r3", "r4", "r5"],
        "organisation_key": ["X", "X", "X", "Y", "Y"],
        "org_type": ["university"] * 3 + ["uas"] * 2,
    }
)


def _answers(item_id: str, block: str, codes: list[str | None]) -> pd.DataFrame:
    scores = [int(c) if c and c.isdigit() else None for c in codes]
    return pd.DataFrame(
        {
            "respondent_key": RESPONDENTS["respondent_key"],
            "block": block,
            "item_id": item_id,
            "code": codes,
            "status": [
                "no_answer" if c is None else "dont_know" if c == "dont_know" else "answered"
                for c in codes
            ],
            "score": pd.array(scores, dtype="Int64"),
        }
    )


# Contact person: X says yes, yes, no (a majority for yes); Y says yes, no (a tie).
# Training: X says no, no, don't know (unanimous no); Y: yes and no answer (one voice).
PREPAREDNESS = pd.concat(
    [
        _answers("prep_contact_person", "preparedness", ["yes", "yes", "no", "yes", "no"]),
        _answers("prep_training", "preparedness", ["no", "no", "dont_know", "yes", None]),
    ],
    ignore_index=True,
)
ITEMS = ["prep_contact_person", "prep_training"]


def _row(table: pd.DataFrame, **keys: str) -> pd.Series:
    mask = pd.Series(True, index=table.index)
    for column, value in keys.items():
        mask &= table[column] == value
    assert mask.sum() == 1
    return table[mask].iloc[0]


def test_majority_tie_and_unanimity() -> None:
    table = organisation_answers(PREPAREDNESS, RESPONDENTS, ITEMS, "majority")
    x = _row(table, organisation_key="X", item_id="prep_contact_person")
    assert (x["code"], x["decided_by"], x["respondents"], x["disagree"]) == (
        "yes",
        "majority",
        3,
        True,
    )
    y = _row(table, organisation_key="Y", item_id="prep_contact_person")
    assert pd.isna(y["code"]) and y["decided_by"] == "tie" and y["disagree"]
    # "Don't know" and no answer do not vote.
    x_training = _row(table, organisation_key="X", item_id="prep_training")
    assert (x_training["code"], x_training["decided_by"], x_training["respondents"]) == (
        "no",
        "unanimous",
        2,
    )
    assert not x_training["disagree"]
    y_training = _row(table, organisation_key="Y", item_id="prep_training")
    assert (y_training["code"], y_training["respondents"]) == ("yes", 1)


def test_the_designated_respondent_decides_where_the_export_marks_one() -> None:
    respondents = RESPONDENTS.assign(designated=[False, False, False, False, True])
    table = organisation_answers(PREPAREDNESS, respondents, ITEMS, "designated_or_majority")
    y = _row(table, organisation_key="Y", item_id="prep_contact_person")
    assert (y["code"], y["decided_by"], y["disagree"]) == ("no", "designated", True)
    # X has no designated respondent: its majority stands.
    assert _row(table, organisation_key="X", item_id="prep_contact_person")["code"] == "yes"
    # Without the column the rule falls back to the majority (the tie stays a tie).
    plain = organisation_answers(PREPAREDNESS, RESPONDENTS, ITEMS, "designated_or_majority")
    assert _row(plain, organisation_key="Y", item_id="prep_contact_person")["decided_by"] == "tie"


def test_share_of_organisations_in_place_and_disagreement() -> None:
    majority = readiness_by_organisation(
        organisation_answers(PREPAREDNESS, RESPONDENTS, ITEMS, "majority"), min_cell=1
    )
    everyone = _row(majority, item_id="prep_contact_person", org_type="all")
    # X decided (yes), Y tied: 1 of 1 decided organisation has it; both organisations had
    # two or more respondents and both disagreed.
    assert (everyone["organisations"], everyone["in_place"], everyone["ties"]) == (1, 1, 1)
    assert everyone["share_in_place"] == pytest.approx(1.0)
    assert (everyone["multi_respondent"], everyone["disagreeing"]) == (2, 2)
    assert everyone["share_disagreeing"] == pytest.approx(1.0)
    # By respondents the same item would read 3 of 5 = 60 %; by organisations, with Y's
    # designated respondent deciding, 1 of 2 = 50 %.
    respondents = RESPONDENTS.assign(designated=[False, False, False, False, True])
    designated = readiness_by_organisation(
        organisation_answers(PREPAREDNESS, respondents, ITEMS, "designated_or_majority"),
        min_cell=1,
    )
    row = _row(designated, item_id="prep_contact_person", org_type="all")
    assert (row["organisations"], row["in_place"], row["ties"]) == (2, 1, 0)
    assert row["share_in_place"] == pytest.approx(0.5)
    training = _row(designated, item_id="prep_training", org_type="all")
    # Only X had two respondents answering training, and they agreed.
    assert (training["multi_respondent"], training["disagreeing"]) == (1, 0)
    assert _row(designated, item_id="prep_training", org_type="uas")["share_in_place"] == 1.0


def test_sectors_with_too_few_organisations_are_withheld() -> None:
    table = readiness_by_organisation(
        organisation_answers(PREPAREDNESS, RESPONDENTS, ITEMS, "majority"), min_cell=2
    )
    uas = _row(table, item_id="prep_training", org_type="uas")
    assert uas["suppressed"] != "" and pd.isna(uas["share_in_place"])


def test_equal_organisation_weighting() -> None:
    # Threat scores: X 5, 4, 2 (two of three agree); Y 1, 2 (none agrees).
    answers = _answers("threat_dual_use", "threats", ["5", "4", "2", "1", "2"])
    weights = respondent_weights(answers, RESPONDENTS, "organisations")
    assert weights.tolist() == pytest.approx([1 / 3, 1 / 3, 1 / 3, 1 / 2, 1 / 2])
    unweighted = agreement_shares(answers, RESPONDENTS, "threats", "org_type", min_cell=1)
    equal = agreement_shares(
        answers,
        RESPONDENTS,
        "threats",
        "org_type",
        min_cell=1,
        weighting="organisations",
        interval_method="independent",
    )
    plain = _row(unweighted, org_type="all")
    assert plain["share_agree"] == pytest.approx(2 / 5)
    row = _row(equal, org_type="all")
    # X agrees 2/3, Y 0: each organisation weighs ½, so the share is 1/3; the counts stay
    # respondents (n = 5, agree = 2) and organisations (2).
    assert row["share_agree"] == pytest.approx(1 / 3)
    assert (row["n"], row["agree"], row["organisations"]) == (5, 2, 2)
    # Kish's effective n = (Σw)² / Σw² = 4 / (3/9 + 2/4) = 4.8; Wilson with p = 1/3, n = 4.8:
    # centre (1/3 + 3.8415/9.6) / 1.8003 = 0.4074, half-width 0.3229.
    assert row["ci_low"] == pytest.approx(0.0845, abs=1e-3)
    assert row["ci_high"] == pytest.approx(0.7303, abs=1e-3)
    # Clustered in two organisations, the same share carries the evidence of about two
    # answers at most: the interval is wider than Kish's.
    clustered = _row(
        agreement_shares(
            answers, RESPONDENTS, "threats", "org_type", min_cell=1, weighting="organisations"
        ),
        org_type="all",
    )
    assert clustered["share_agree"] == pytest.approx(1 / 3)
    assert clustered["ci_high"] - clustered["ci_low"] > row["ci_high"] - row["ci_low"]
    assert clustered["interval_method"] == "cluster_design"


def test_an_unknown_rule_or_weighting_is_an_error() -> None:
    with pytest.raises(ValueError, match="organisation_rule"):
        organisation_answers(PREPAREDNESS, RESPONDENTS, ITEMS, "loudest")
    with pytest.raises(ValueError, match="perceptual_weighting"):
        respondent_weights(PREPAREDNESS, RESPONDENTS, "by_size")


def _profile(rows: list[tuple[str, str, int, int, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "item_id": item,
                "org_type": group,
                "in_place": k,
                "organisations": n,
                "share_in_place": k / n,
                "ci_low": low,
                "ci_high": high,
                "suppressed": "",
            }
            for item, group, k, n, low, high in rows
        ]
    )


def test_a_sector_gap_is_stated_only_when_large_and_separated() -> None:
    from analysis.survey.organisations import sector_gap

    # Training: universities 12 of 14 (Wilson 0.601–0.960), UAS 4 of 20 (0.081–0.416): a gap
    # of 0.657 with separate intervals. Guidelines: 10 of 14 against 9 of 20, a gap of 0.264
    # whose intervals (0.454–0.883, 0.258–0.658) overlap. Mobility: a gap of 0.05, too small.
    table = _profile(
        [
            ("prep_training", "university", 12, 14, 0.601, 0.960),
            ("prep_training", "uas", 4, 20, 0.081, 0.416),
            ("prep_training", "all", 16, 34, 0.3, 0.6),
            ("prep_guidelines", "university", 10, 14, 0.454, 0.883),
            ("prep_guidelines", "uas", 9, 20, 0.258, 0.658),
            ("prep_mobility", "university", 7, 14, 0.27, 0.73),
            ("prep_mobility", "uas", 9, 20, 0.26, 0.66),
        ]
    )
    gap = sector_gap(table)
    assert gap["status"] == "gap"
    assert (gap["item_id"], gap["high_group"], gap["low_group"]) == (
        "prep_training",
        "university",
        "uas",
    )
    assert gap["gap"] == pytest.approx(12 / 14 - 4 / 20)
    assert sector_gap(table[table["item_id"] != "prep_training"])["status"] == "no_gap"
    # A withheld sector that the total gives away by subtraction is still compared (the
    # reader can work it out); withheld with the total too, it takes no part.
    hidden = table.assign(suppressed=["", "primary", "", "", "", "", ""])
    assert sector_gap(hidden)["low_organisations"] == 20
    hidden = table.assign(suppressed=["", "primary", "primary", "", "", "", ""])
    assert sector_gap(hidden)["status"] == "no_gap"


def test_unanimous_split_undecided_and_disputed_by_hand() -> None:
    table = readiness_by_organisation(
        organisation_answers(PREPAREDNESS, RESPONDENTS, ITEMS, "majority"), min_cell=1
    )
    # Contact person: X (yes, yes, no) decided yes by its majority although split; Y (yes, no)
    # tied, undecided, and one of its respondents says yes: "in place in 1 of 1; in 1 more
    # the respondents disagree".
    contact = _row(table, item_id="prep_contact_person", org_type="all")
    assert (
        contact["multi_respondent"],
        contact["unanimous"],
        contact["split"],
        contact["undecided"],
    ) == (2, 0, 1, 1)
    assert (contact["in_place"], contact["in_place_split"], contact["disputed"]) == (1, 1, 1)
    assert contact["disagreeing"] == contact["split"] + contact["undecided"]
    # Training: X (no, no; don't know does not vote) unanimous; Y has one voice (yes): not
    # among the organisations with several respondents, and nobody disputes anything.
    training = _row(table, item_id="prep_training", org_type="all")
    assert (
        training["multi_respondent"],
        training["unanimous"],
        training["split"],
        training["undecided"],
    ) == (1, 1, 0, 0)
    assert (training["in_place_split"], training["disputed"]) == (0, 0)
    # By sector: Y (UAS), tied, leaves its sector no decided organisation, so that cell is
    # withheld with its counts (and the university's, which the total would give away).
    uas = _row(table, item_id="prep_contact_person", org_type="uas")
    assert uas["suppressed"] != "" and pd.isna(uas["undecided"])


def test_a_census_of_organisations_has_no_sampling_interval() -> None:
    answers = organisation_answers(PREPAREDNESS, RESPONDENTS, ITEMS, "majority")
    invited = pd.DataFrame(
        {"organisation_key": ["X", "Y", "Z"], "org_type": ["university", "uas", "university"]}
    )
    table = readiness_by_organisation(answers, min_cell=1, population=invited)
    # Training in the UAS sector: Y is the only UAS invited and answered yes: a census.
    uas = _row(table, item_id="prep_training", org_type="uas")
    assert bool(uas["census"]) and uas["share_in_place"] == 1.0
    assert uas["ci_low"] == uas["ci_high"] == 1.0
    # Universities: X answered (no), Z was invited and did not: 1 of 2, not a census. With
    # the finite population correction n_eff = 1 · (2 − 1) / (2 − 1) = 1, Wilson on 0 of 1
    # is 0–0.7935, but Z could at most make it 1 of 2: the interval is 0–0.5.
    university = _row(table, item_id="prep_training", org_type="university")
    assert not bool(university["census"])
    assert (university["ci_low"], university["ci_high"]) == pytest.approx((0.0, 0.5))
    # All: 2 of 3 invited decided (X no, Y yes): n_eff = 2 · 2 / 1 = 4; Wilson for 2 of 4 is
    # 0.1500–0.8500, inside the bounds 1/3–2/3 the third organisation allows: 1/3–2/3.
    everyone = _row(table, item_id="prep_training", org_type="all")
    assert (everyone["ci_low"], everyone["ci_high"]) == pytest.approx((1 / 3, 2 / 3))
    # Without a population file the plain Wilson interval stands (1 of 2: 0.0945–0.9055).
    plain = _row(
        readiness_by_organisation(answers, min_cell=1), item_id="prep_training", org_type="all"
    )
    assert (plain["ci_low"], plain["ci_high"]) == pytest.approx((0.0945, 0.9055), abs=1e-3)
    assert not bool(plain["census"])
