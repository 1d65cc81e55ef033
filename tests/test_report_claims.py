"""Claims: every sentence with a number or a comparison rests on published cells, holds on them
and is not contradicted by arithmetic on the other published cells."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.report.claims import Claim, ClaimError, check_claims
from analysis.report.evidence import summary_claims
from analysis.report.findings import Findings, keyed_sentences
from analysis.survey.analyse import ALL
from analysis.survey.organisations import organisation_interval, sector_gap

TABLE = "survey_readiness_of_organisations"
TYPES = ("research_institute", "uas", "university")


def readiness(rows: list[tuple[str, str, int, int, str]]) -> pd.DataFrame:
    """Hand-made organisation-level readiness: (item, type, in place, organisations, reason
    withheld); withheld cells are blank as in the published table."""
    records = []
    for item, group, k, n, suppressed in rows:
        low, high = organisation_interval(k, n)
        shown = suppressed == ""
        records.append(
            {
                "item_id": item,
                "org_type": group,
                "organisations": float(n) if shown else math.nan,
                "in_place": float(k) if shown else math.nan,
                "share_in_place": k / n if shown else math.nan,
                "ci_low": low if shown else math.nan,
                "ci_high": high if shown else math.nan,
                "suppressed": suppressed,
            }
        )
    return pd.DataFrame(records)


def only_one_type_shown() -> pd.DataFrame:
    """The demo's situation: universities of applied sciences shown, research institutes
    withheld (fewer than 5) and universities withheld to protect them; the total published.
    The rest (all minus the one type shown) has it in place in 14 of 16, the type shown in 2
    of 15."""
    return readiness(
        [
            ("prep_contact_person", "uas", 2, 15, ""),
            ("prep_contact_person", "university", 11, 12, "secondary"),
            ("prep_contact_person", "research_institute", 3, 4, "primary"),
            ("prep_contact_person", ALL, 16, 31, ""),
        ]
    )


def gap_claim(params: dict, logic: str = "no_group_gap", subject=()) -> Claim:
    return Claim(
        "summary.sector_gap",
        "test",
        TABLE,
        "item_id",
        logic,
        subject=subject,
        params={"by": "org_type", "total": ALL, "min_gap": 0.2, "min_size": 5, **params},
    )


def test_no_difference_is_not_claimed_when_the_complement_differs() -> None:
    table = only_one_type_shown()
    gap = sector_gap(table, min_size=5)
    # The type shown against the others taken together: 2 of 15 against 14 of 16.
    assert gap["status"] == "gap"
    assert (gap["low_group"], gap["low_in_place"], gap["low_organisations"]) == ("uas", 2, 15)
    assert gap["high_group"] == "others"
    assert gap["high_members"] == "research_institute university"
    assert (gap["high_in_place"], gap["high_organisations"]) == (14, 16)

    findings = Findings({"sector_gap_min_points": 20, "sector_gap_min_size": 5})
    for key, value in gap.items():
        findings[f"sector_gap_{key}"] = value
    sentences = dict(
        _sector_sentences(findings, "en"),
    )
    text = str(sentences["sector_gap"])
    assert "No type of organisation differs" not in text
    assert "2 of 15" in text and "14 of the other 16" in text
    # The claim the sentence makes holds on the published cells.
    check_claims([summary_claims_sector(findings)], {TABLE: table}, organisation_interval)


def _sector_sentences(findings: Findings, lang: str):
    from analysis.report.findings import _gap_sentence

    return [("sector_gap", _gap_sentence(findings, lang, lambda i: i, lambda g: g))]


def summary_claims_sector(findings: Findings) -> Claim:
    from analysis.report.evidence import _sector_gap

    return _sector_gap(findings)


def test_a_no_difference_claim_fails_when_subtraction_contradicts_it() -> None:
    with pytest.raises(ClaimError) as failure:
        check_claims([gap_claim({})], {TABLE: only_one_type_shown()}, organisation_interval)
    message = str(failure.value)
    assert "summary.sector_gap" in message
    assert "prep_contact_person" in message
    assert "uas 2/15" in message and "research_institute+university 14/16" in message


def test_types_that_cannot_be_compared_are_said_so_never_the_opposite() -> None:
    table = readiness(
        [
            ("prep_guidelines", "uas", 3, 6, "secondary"),
            ("prep_guidelines", "research_institute", 2, 3, "primary"),
            ("prep_guidelines", ALL, 5, 9, ""),
        ]
    )
    gap = sector_gap(table, min_size=5)
    assert gap == {"status": "not_comparable", "comparisons": 0}
    findings = Findings({"sector_gap_min_points": 20, "sector_gap_min_size": 5, **{
        f"sector_gap_{k}": v for k, v in gap.items()}})  # fmt: skip
    text = str(dict(_sector_sentences(findings, "en"))["sector_gap"])
    assert (
        text
        == "Types of organisation cannot be compared without revealing groups of fewer than 5 organisations."
    )
    # Said of a table where two groups can be compared, the claim fails.
    with pytest.raises(ClaimError, match="can be compared"):
        check_claims(
            [gap_claim({}, logic="not_comparable")],
            {TABLE: only_one_type_shown()},
            organisation_interval,
        )


def test_a_claim_on_a_withheld_cell_stops_the_build_naming_it() -> None:
    claim = Claim(
        "summary.preparedness",
        "the least widespread safeguard",
        TABLE,
        "item_id",
        "states",
        within={"org_type": "university"},
        stated={"prep_contact_person.in_place": 11},
    )
    with pytest.raises(ClaimError) as failure:
        check_claims([claim], {TABLE: only_one_type_shown()}, organisation_interval)
    message = str(failure.value)
    assert "withheld (secondary)" in message
    assert f"{TABLE}[org_type=university, item_id=prep_contact_person].in_place" in message


def test_a_stated_number_must_be_the_cell() -> None:
    claim = Claim(
        "summary.preparedness",
        "the share in place",
        TABLE,
        "item_id",
        "states",
        within={"org_type": ALL},
        stated={"prep_contact_person.in_place": 15},
    )
    with pytest.raises(ClaimError, match="states 15 for prep_contact_person.in_place"):
        check_claims([claim], {TABLE: only_one_type_shown()}, organisation_interval)


def agreement() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item_id": ["a", "b", "c"],
            "org_type": [ALL] * 3,
            "share_agree": [0.60, 0.58, 0.20],
            "ci_low": [0.52, 0.50, 0.14],
            "ci_high": [0.68, 0.66, 0.28],
            "suppressed": ["", "", ""],
        }
    )


def leader_claim(subject: tuple[str, ...], separated: bool, largest: bool = True) -> Claim:
    return Claim(
        "summary.threats",
        "the leader",
        "survey_agreement",
        "item_id",
        "largest" if largest else "smallest",
        within={"org_type": ALL},
        subject=subject,
        params={"value": "share_agree", "separated": separated},
    )


def test_a_superlative_needs_separated_intervals_and_rivals_must_overlap() -> None:
    tables = {"survey_agreement": agreement()}
    check_claims([leader_claim(("a", "b"), separated=False)], tables, organisation_interval)
    with pytest.raises(ClaimError, match="said to stand apart, but overlaps"):
        check_claims([leader_claim(("a",), separated=True)], tables, organisation_interval)
    with pytest.raises(ClaimError, match="whose intervals do not overlap"):
        check_claims([leader_claim(("a", "c"), separated=False)], tables, organisation_interval)
    with pytest.raises(ClaimError, match="another published row"):
        check_claims([leader_claim(("b",), separated=False)], tables, organisation_interval)
    check_claims(
        [leader_claim(("c",), separated=True, largest=False)], tables, organisation_interval
    )


@st.composite
def sector_tables(draw) -> pd.DataFrame:
    """One or two questions; each type with some organisations and some in place; each type
    withheld below 5, and perhaps another withheld to protect it; the total published."""
    rows = []
    for item in draw(st.sampled_from([["q1"], ["q1", "q2"]])):
        counts = {
            group: (draw(st.integers(1, 20)), draw(st.floats(0, 1)))
            for group in draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True))
        }
        protect = draw(st.booleans())
        withheld = {g for g, (n, _) in counts.items() if n < 5}
        if withheld and protect and len(counts) > len(withheld):
            withheld.add(min(set(counts) - withheld, key=lambda g: counts[g][0]))
        total_k = total_n = 0
        for group, (n, rate) in counts.items():
            k = round(n * rate)
            total_k, total_n = total_k + k, total_n + n
            reason = ("primary" if n < 5 else "secondary") if group in withheld else ""
            rows.append((item, group, k, n, reason))
        rows.append((item, ALL, total_k, total_n, ""))
    return readiness(rows)


@settings(max_examples=150, deadline=None)
@given(sector_tables())
def test_the_sector_sentence_always_holds_on_the_published_cells(table: pd.DataFrame) -> None:
    """Whatever is shown or withheld, the comparison the summary states (a gap, none, or
    not comparable) is one the published cells and their differences support."""
    gap = sector_gap(table, min_size=5)
    findings = Findings({"sector_gap_min_points": 20, "sector_gap_min_size": 5})
    for key, value in gap.items():
        findings[f"sector_gap_{key}"] = value
    check_claims([summary_claims_sector(findings)], {TABLE: table}, organisation_interval)
    text = str(dict(_sector_sentences(findings, "en"))["sector_gap"])
    assert "{" not in text


def test_the_demo_claims_hold_and_name_their_cells(built) -> None:
    """Step 26 checked every claim of the summary and the drafts; each names cells of a
    results table, and every number it states is that cell's (checked again here)."""
    processed = built / "data" / "processed"
    claims = pd.read_parquet(processed / "report_claims.parquet")
    keys = set(claims["claim"])
    assert {
        "summary.threats",
        "summary.opportunities",
        "summary.preparedness",
        "summary.sector_gap",
        "summary.sector_gap_disagreement",
        "summary.concern",
        "recommendations.preparedness_gaps",
    } <= keys
    drafts = pd.read_parquet(processed / "recommendations.parquet")
    assert {f"recommendations.{k}" for k in drafts["rule_key"]} <= keys
    for row in claims.itertuples(index=False):
        assert row.cells.startswith(row.table + "[")
    # Rebuilt from the findings the pages are written from, every claim holds on the tables.
    findings = Findings.from_table(pd.read_parquet(processed / "report_findings.parquet"))
    tables = {name: pd.read_parquet(processed / f"{name}.parquet") for name in set(claims["table"])}
    from analysis.survey.codebook import load_codebook

    listed = load_codebook(built / "config" / "codebook.yaml").items["concern_countries"].options
    check_claims(summary_claims(findings, listed), tables, organisation_interval)
    # Ranked with the written-in countries as well, the listed leader's claim is checked on
    # its own kind only: a written-in country is never its rival.
    assert any(c.key == "summary.concern" for c in summary_claims(findings, listed))
    sentences = dict(keyed_sentences(findings, "en", str, str, str))
    assert set(sentences) >= {"threats", "opportunities", "preparedness", "sector_gap"}
    # The demo's gap compares organisations' answers on which their respondents often
    # disagree: the sentence after it says how often, from the lower type's own cells.
    table = tables["survey_readiness_of_organisations"]
    row = table[
        (table["item_id"] == findings["sector_gap_item_id"])
        & (table["org_type"] == findings["sector_gap_low_group"])
    ].iloc[0]
    said = str(sentences["sector_gap_disagreement"])
    assert f"{int(row['disputed'])} have at least one respondent" in said
    assert f"{int(row['ties'])} are undecided" in said


def test_a_failing_claim_stops_step_26_before_it_writes(built, tmp_path, monkeypatch) -> None:
    """The step checks the claims before it writes the drafts or the claims: a claim on a
    withheld cell (here, universities' row, withheld in the demo) stops it, naming the claim
    and the cell, and leaves the step's outputs as they were."""
    import shutil

    import analysis.steps.key_findings as step

    processed = tmp_path / "processed"
    shutil.copytree(built / "data" / "processed", processed)
    outputs = ["recommendations.parquet", "report_findings.parquet", "report_claims.parquet"]
    before = {name: (processed / name).read_bytes() for name in outputs}
    withheld = Claim(
        "summary.preparedness",
        "a cell the release withholds",
        TABLE,
        "item_id",
        "states",
        within={"org_type": "university"},
        stated={"prep_contact_person.in_place": 11},
    )
    real = step.summary_claims
    monkeypatch.setattr(step, "summary_claims", lambda *a: [*real(*a), withheld])
    with pytest.raises(ClaimError) as failure:
        step.key_findings(
            str(processed),
            str(built / "config" / "recommendations.yaml"),
            5,
            str(built / "config" / "codebook.yaml"),
            str(built / "config" / "comment_themes.yaml"),
        )
    assert "summary.preparedness" in str(failure.value) and "withheld" in str(failure.value)
    assert {name: (processed / name).read_bytes() for name in outputs} == before
