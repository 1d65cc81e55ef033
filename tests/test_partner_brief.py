"""Partner briefs: resolution, family screening, the checklist, decisions, OpenAlex calls."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import responses

from analysis.fetch.partner import partner_queries
from analysis.screening.partners import (
    AMBIGUOUS,
    ATTENTION,
    FOUND,
    NO_FLAG,
    RED_FLAG,
    REVIEWER,
    UNKNOWN,
    checklist,
    read_brief_decisions,
    resolve_partner,
    wilson,
)
from analysis.sources.ror import parse_record
from analysis.steps.partner_brief import load_brief, openalex_index, ror_records
from tests.conftest import REPO_ROOT

DEMO = REPO_ROOT / "data" / "raw" / "demo"
RECORDS = ror_records(DEMO)
INDEX = openalex_index(DEMO)
CONFIG = REPO_ROOT / "config"


@pytest.mark.parametrize(
    "query",
    [
        "0zz004302",
        "https://ror.org/0zz004302",
        "I9000043",
        "https://openalex.org/I9000043",
        "Partner University CN-2",
        "partner university cn 2",
        "PUC2",
    ],
)
def test_a_partner_is_found_by_ror_id_openalex_id_name_or_acronym(query: str) -> None:
    resolution = resolve_partner(RECORDS, query, INDEX)
    assert resolution.status == FOUND
    assert resolution.record.id == "0zz004302" and resolution.openalex_id == "I9000043"


def test_an_ambiguous_name_lists_every_candidate() -> None:
    resolution = resolve_partner(RECORDS, "Partner Polytechnic", INDEX)
    assert resolution.status == AMBIGUOUS and resolution.record is None
    assert [r.id for r in resolution.candidates] == ["0zz001503", "0zz000903"]


def test_an_unknown_partner_is_unknown_with_near_names() -> None:
    assert resolve_partner(RECORDS, "Nowhere Academy", INDEX).status == UNKNOWN
    near = resolve_partner(RECORDS, "Partner Universty DE-1", INDEX)
    assert near.status == UNKNOWN and "0zz001901" in [r.id for r in near.candidates]
    assert resolve_partner(RECORDS, "0zz999999", INDEX).status == UNKNOWN
    assert resolve_partner(RECORDS, "I123", INDEX).status == UNKNOWN


def _demo_processed(folder: Path) -> Path:
    """The assessment rows a brief reads, hand-made for two countries."""
    folder.mkdir(parents=True, exist_ok=True)
    scores = pd.DataFrame(
        {
            "iso2": ["CN", "SE"],
            "country": ["China", "Sweden"],
            "quadrant": ["high_opportunity_high_threat", "high_opportunity_low_threat"],
            "opportunity": [0.5, 0.8],
            "threat": [0.7, 0.1],
            "eu_restrictive_measures": [False, False],
            "critical_share": [0.30, 0.20],
        }
    )
    scores.to_parquet(folder / "country_scores.parquet")
    scores.to_parquet(folder / "country_context.parquet")
    return folder


def _brief(raw: Path, processed: Path, partner: str, institution: str = ""):
    return load_brief(
        str(raw),
        str(processed),
        partner,
        institution,
        str(CONFIG / "screening.yaml"),
        str(CONFIG / "country_aliases.yaml"),
        str(CONFIG / "critical_technologies.yaml"),
        "en",
    )


def test_a_subsidiary_of_a_listed_entity_is_a_red_flag_of_its_own(tmp_path: Path) -> None:
    data = _brief(DEMO, _demo_processed(tmp_path), "Advanced Materials Institute of PUC2")
    answers = {a.item: a for a in data.answers}
    assert answers["listed"].status == NO_FLAG  # the institute itself is on no list
    assert answers["family_listed"].status == RED_FLAG
    assert "Partner University CN-2" in answers["family_listed"].values["entities"]
    parent = data.screening[data.screening["relation"] == "parent"]
    assert parent["decision"].tolist() == ["confirmed"]
    assert answers["collaborators"].status == RED_FLAG


def test_the_checklist_answers_from_data_only_where_the_data_exists() -> None:
    record = parse_record(
        {
            "id": "https://ror.org/0aaaaaa01",
            "names": [{"value": "Alpha", "types": ["ror_display"], "lang": "en"}],
            "admin": {"last_modified": {"date": "2025-01-01", "schema_version": "2.1"}},
            "locations": [{"geonames_details": {"country_code": "XX"}}],
            "status": "active",
        }
    )
    empty = pd.DataFrame(columns=["relation", "decision", "institution_name", "list"])
    blind = {a.item: a.status for a in checklist(record, empty, None, None)}
    assert blind == {
        "listed": NO_FLAG,  # the lists were read: no candidate
        "country": REVIEWER,
        "critical_technology": REVIEWER,
        "collaborators": REVIEWER,
        "dual_use": REVIEWER,
        "other_risks": REVIEWER,
    }
    critical = {
        "partner_share": 0.5,
        "partner_works": 200,
        "partner_critical": 100,
        "country_share": 0.2,
        "first_year": 2020,
        "last_year": 2024,
    }
    country = {"quadrant": "low_opportunity_low_threat", "eu_restrictive_measures": True}
    seen = {a.item: a.status for a in checklist(record, empty, country, critical)}
    assert seen["country"] == RED_FLAG and seen["critical_technology"] != REVIEWER
    assert seen["dual_use"] == REVIEWER and seen["other_risks"] == REVIEWER


def test_a_critical_share_within_chance_of_the_countrys_is_no_flag() -> None:
    low, high = wilson(21, 100)  # 21 % of 100 works: the interval spans the country's 20 %
    assert low < 0.20 < high
    record = RECORDS[0]
    empty = pd.DataFrame(columns=["relation", "decision", "institution_name", "list"])
    near = {
        "partner_share": 0.21,
        "partner_works": 100,
        "partner_critical": 21,
        "country_share": 0.20,
        "first_year": 2020,
        "last_year": 2024,
    }
    statuses = {a.item: a.status for a in checklist(record, empty, None, near)}
    assert statuses["critical_technology"] == NO_FLAG


def test_decisions_round_trip_into_the_next_brief(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(DEMO, raw)
    processed = _demo_processed(tmp_path / "processed")
    first = _brief(raw, processed, "0zz000101")
    assert first.decisions["decision"].tolist() == ["approve"]
    with (raw / "briefs" / "decisions.csv").open("a", encoding="utf-8") as handle:
        handle.write('0zz000101,decline,2025-02-01,"New evidence, <b>see file</b>",Reviewer C\n')
    second = _brief(raw, processed, "Partner University SE-1")
    assert second.decisions["decision"].tolist() == ["approve", "decline"]
    assert second.decisions["reasons"].iloc[-1] == "New evidence, <b>see file</b>"
    (raw / "briefs" / "decisions.csv").write_text(
        "partner,decision,date,reasons,reviewer\n0zz000101,maybe,2025-01-01,x,y\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="rows \\[2\\]"):
        read_brief_decisions(raw / "briefs" / "decisions.csv")


def test_a_brief_built_offline_makes_no_network_call(tmp_path: Path) -> None:
    processed = _demo_processed(tmp_path)
    with responses.RequestsMock() as mock:  # any request would fail: none is registered
        data = _brief(DEMO, processed, "Partner University CN-2")
        assert len(mock.calls) == 0
    assert data.copublications["works"].sum() > 0 and data.openalex.id == "I9000043"
    assert data.counterparts["works"].sum() > 0 and data.dates["counterparts"] == "2024-10-07"


def test_the_by_year_queries_are_for_finland_or_the_given_finnish_organisation() -> None:
    subfields = [1702, 2208]
    everyone, critical = partner_queries("I9000001", None, 2015, 2024, subfields)
    assert everyone.filter.startswith("institutions.id:I9000001,institutions.country_code:FI,")
    assert critical.filter.endswith(",primary_topic.subfield.id:1702|2208")
    (query,) = [q for q in partner_queries("I9000001", "I8000001", 2015, 2024, subfields)][:1]
    assert "institutions.id:I9000001,institutions.id:I8000001" in query.filter
    # The uncached brief's calls (five) and the rerun's (none): test_partner_counterparts.


CORDIS_ORGANISATIONS = (
    '"projectID";"projectAcronym";"name";"country";"role"\n'
    '"1";"ONE";"PARTNER UNIVERSITY SE-1";"SE";"coordinator"\n'
    '"1";"ONE";"UNIVERSITY A";"FI";"participant"\n'
    '"2";"TWO";"PARTNER UNIVERSITY SE-1";"SE";"participant"\n'
    '"2";"TWO";"SOMEONE ELSE";"DE";"coordinator"\n'
    '"3";"THREE";"UNIVERSITY B";"FI";"coordinator"\n'
    '"3";"THREE";"PARTNERUNIVERSITETET SE-1";"SE";"participant"\n'
)
CORDIS_PROJECTS = (
    '"id";"acronym";"startDate";"frameworkProgramme";"objective"\n'
    '"1";"ONE";"2022-01-01";"HORIZON";"x"\n'
    '"2";"TWO";"2023-01-01";"HORIZON";"x"\n'
    '"3";"THREE";"2024-01-01";"H2020";"x"\n'
)


def test_joint_cordis_projects_need_a_finnish_participant_and_show_both_roles(
    tmp_path: Path,
) -> None:
    from analysis.steps.partner_brief import _joint_projects

    (tmp_path / "cordis").mkdir()
    (tmp_path / "cordis" / "organization.csv").write_text(CORDIS_ORGANISATIONS, encoding="utf-8")
    (tmp_path / "cordis" / "project.csv").write_text(CORDIS_PROJECTS, encoding="utf-8")
    names = ["Partner University SE-1", "Partneruniversitetet SE-1"]
    projects = _joint_projects(tmp_path, names, None)
    assert projects["acronym"].tolist() == ["THREE", "ONE"]  # newest first; TWO has no Finn
    assert projects["partner_role"].tolist() == ["participant", "coordinator"]
    assert projects["finnish_participants"].tolist() == [
        "UNIVERSITY B (coordinator)",
        "UNIVERSITY A (participant)",
    ]
    mine = _joint_projects(tmp_path, names, ["University A"])
    assert mine["acronym"].tolist() == ["ONE"] and mine["programme"].tolist() == ["HORIZON"]


def test_the_briefs_country_card_says_does_not_apply_and_shows_the_governance_context() -> None:
    from types import SimpleNamespace

    from analysis.report.brief import country_card, scoring_labels

    model, quadrants = scoring_labels("config/scoring.yaml", "en")
    shown = []
    pub = SimpleNamespace(table=lambda frame, **_: shown.append(frame))
    row = {
        "iso2": "US",
        "country": "United States",
        "quadrant": "high_opportunity_low_threat",
        "opportunity": 0.8,
        "threat": 0.05,
        "eu_member": False,
        "eea_efta_member": False,
        "horizon_europe_associated": False,
        "eu_projects_per_1000": 0.0,  # a rule of the programme, not a value of the country
        "rule_of_law": 1.25,
    }
    data = SimpleNamespace(lang="en", country=row, record=SimpleNamespace(country="US"))
    country_card(data, pub, model, quadrants)
    values = dict(shown[0].itertuples(index=False, name=None))
    projects = next(k for k in values if k.startswith("EU framework programme projects"))
    assert values[projects] == "does not apply to this country (not scored for it)"
    assert values["Rule of law (WGI estimate)"] == "1.250"
    assert values["Control of corruption (WGI estimate)"] == "not measured"
    # Scores on the report's 0–100 scale; a withheld survey share is never "not measured".
    assert values["Opportunity score (0–100, 5–95 % interval)"] == "80"
    row.update(survey_concern=float("nan"), survey_concern_high=0.015, threat_p05=0.0,
               threat_p95=0.1)  # fmt: skip
    shown.clear()
    country_card(data, pub, model, quadrants)
    values = dict(shown[0].itertuples(index=False, name=None))
    assert values["Threat score (0–100, 5–95 % interval)"] == "5 (0–10)"
    concern = next(
        k
        for k in values
        if k.startswith("Share of survey respondents naming the country as of particular concern")
    )
    assert values[concern].startswith("withheld")


def test_an_uncertain_country_that_may_be_high_threat_asks_for_attention() -> None:
    record = RECORDS[0]
    empty = pd.DataFrame(columns=["relation", "decision", "institution_name", "list"])
    uncertain = {
        "quadrant": "uncertain",
        "class_likeliest": "high_opportunity_low_threat",
        "class_second": "high_opportunity_high_threat",
        "eu_restrictive_measures": False,
    }
    seen = {a.item: a.status for a in checklist(record, empty, uncertain, None)}
    assert seen["country"] == ATTENTION
    low_only = {**uncertain, "class_second": "low_opportunity_low_threat"}
    seen = {a.item: a.status for a in checklist(record, empty, low_only, None)}
    assert seen["country"] == NO_FLAG
