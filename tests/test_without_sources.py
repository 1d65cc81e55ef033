"""Analysis steps on tables left empty by a source not provided: no crash, nothing invented."""

from __future__ import annotations

import pandas as pd

from analysis.report.findings import Findings, summary_sentences
from analysis.steps.cooperation_analysis import cooperation_by_country


def test_cooperation_by_country_without_copublications() -> None:
    empty = pd.DataFrame({"iso2": [], "year": [], "works": []})
    cordis = pd.DataFrame({"iso2": [], "projects": [], "ec_contribution": []})
    agreements = pd.DataFrame({"iso2": ["SE"], "status": ["active"]})
    mobility = pd.DataFrame(
        {"iso2": ["SE"], "year": [2024], "direction": ["outgoing"], "students": [7]}
    )
    table = cooperation_by_country(empty, cordis, agreements, mobility, {"SE": "Sweden"})
    row = table.set_index("iso2").loc["SE"]
    assert row["agreements_active"] == 1 and row["students_outgoing"] == 7
    assert row["copublications"] == 0


def test_the_summary_leaves_out_the_copublication_sentence_without_its_numbers() -> None:
    findings = Findings(
        {
            "respondents": 10,
            "organisations": 4,
            **{
                f"{block}_{key}": value
                for block, item in (("threats", "threat_dual_use"), ("opportunities", "opp_talent"))
                for key, value in (
                    ("top_item", item),
                    ("top_share", 0.5),
                    ("top_agree", 5),
                    ("top_n", 10),
                    ("top_separated", 1),
                )
            },
            "preparedness_weakest_item": "prep_training",
            "preparedness_weakest_separated": 1,
            "preparedness_weakest_share": 0.25,
            "preparedness_weakest_in_place": 1,
            "preparedness_weakest_organisations": 4,
            "preparedness_weakest_share_yes": 0.2,
            "preparedness_weakest_respondents": 10,
            "sector_gap_status": "no_gap",
            "sector_gap_min_points": 20,
            "sector_gap_min_size": 5,
        }
    )
    sentences = summary_sentences(findings, False, "en", lambda item: item, lambda code: code)
    assert not [s for s in sentences if "co-publication" in s or "co-author" in s]
    # The survey's sentences come first; item keys standing in for labels are escaped.
    assert sentences[0].startswith(
        r"The threat respondents most often rate significant is threat\_dual\_use"
    )
