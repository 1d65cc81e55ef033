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
            "threats_top_item": "threat_dual_use",
            "threats_top_share": 0.5,
            "opportunities_top_item": "opp_talent",
            "opportunities_top_share": 0.6,
            "preparedness_weakest_item": "prep_training",
            "preparedness_weakest_share_yes": 0.2,
        }
    )
    sentences = summary_sentences(findings, False, "en", lambda item: item, lambda code: code)
    assert len(sentences) == 2  # the survey's two sentences; no co-publication numbers
    assert sentences[0].startswith(r"Respondents most often rate threat\_dual\_use")  # escaped
