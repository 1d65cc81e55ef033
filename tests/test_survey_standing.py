"""An organisation's own standing per arrangement and its sector without it (hand-made)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.survey.standing import organisation_status


def answers(rows: list[tuple[str, str, str | None, str, int]]) -> pd.DataFrame:
    """(organisation, sector, code, decided_by, respondents) on one item ``i``."""
    return pd.DataFrame(
        [
            {
                "organisation_key": key,
                "org_type": sector,
                "item_id": "i",
                "respondents": respondents,
                "code": code,
                "decided_by": decided_by,
                "disagree": decided_by != "unanimous",
            }
            for key, sector, code, decided_by, respondents in rows
        ]
    )


# Six universities: A, B and D have it in place, C not, E partly, F's respondents tie.
UNIVERSITIES = answers(
    [
        ("A", "university", "yes", "majority", 12),
        ("B", "university", "yes", "unanimous", 2),
        ("C", "university", "no", "majority", 3),
        ("D", "university", "yes", "majority", 3),
        ("E", "university", "partly", "majority", 3),
        ("F", "university", None, "tie", 2),
    ]
)
ROSTER = pd.DataFrame({"organisation_key": [*"ABCDEFG"], "org_type": ["university"] * 6 + ["uas"]})
# A's cell is published (12 respondents: 7 yes, 3 partly, 2 no, 1 don't know); B's is not.
CELLS = pd.DataFrame(
    [
        {"organisation_key": "A", "item_id": "i", "n": 12, "yes": 7, "partly": 3, "no": 2,
         "dont_know": 1, "suppressed": ""},
        {"organisation_key": "B", "item_id": "i", "n": 2, "yes": 2, "partly": 0, "no": 0,
         "dont_know": 0, "suppressed": "primary"},
    ]
)  # fmt: skip


def sectors(university: str = "") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item_id": "i",
            "org_type": ["university", "uas", "all"],
            "suppressed": [university, "", ""],
        }
    )


def status(min_cell: int = 3, university: str = "") -> pd.DataFrame:
    table = organisation_status(ROSTER, ["i"], UNIVERSITIES, CELLS, sectors(university), min_cell)
    return table.set_index("organisation_key")


def test_the_sector_comparator_leaves_the_organisation_out() -> None:
    table = status()
    # A: the other five are B, C, D, E (decided; 2 in place: B and D) and F (a tie).
    a = table.loc["A"]
    assert (a["sector_organisations"], a["sector_in_place"], a["sector_ties"]) == (4, 2, 1)
    assert a["sector_share"] == pytest.approx(0.5)
    assert a["sector_ci_low"] < 0.5 < a["sector_ci_high"]
    # C (not in place): the others A, B, D in place of A, B, D, E; F tied.
    c = table.loc["C"]
    assert (c["sector_organisations"], c["sector_in_place"]) == (4, 3)
    # F (tied): all five others are decided, three in place.
    f = table.loc["F"]
    assert (f["sector_organisations"], f["sector_in_place"], f["sector_ties"]) == (5, 3, 0)
    assert f["status"] == "undecided" and f["decided_by"] == "tie"


def test_status_split_and_how_it_was_decided() -> None:
    table = status()
    a = table.loc["A"]
    assert (a["status"], a["decided_by"], a["split_suppressed"]) == ("in_place", "majority", "")
    assert (a["n"], a["yes"], a["partly"], a["no"], a["dont_know"]) == (12, 7, 3, 2, 1)
    # B's split is withheld, so "unanimous" (everyone said yes) is not told either.
    b = table.loc["B"]
    assert (b["status"], b["decided_by"], b["split_suppressed"]) == (
        "in_place",
        "respondents",
        "primary",
    )
    assert all(b[m] is None or math.isnan(b[m]) for m in ("n", "yes", "partly", "no"))
    assert table.loc["E", "status"] == "partly" and table.loc["C", "status"] == "not_in_place"
    # G answered the survey but none of its respondents chose yes, partly or no.
    g = table.loc["G"]
    assert (g["status"], g["decided_by"], g["split_suppressed"]) == ("no_answer", "none", "primary")


def test_a_sector_the_sector_report_withholds_is_withheld_without_the_organisation_too() -> None:
    table = status(university="primary")
    assert set(table.loc[[*"ABCDEF"], "sector_suppressed"]) == {"secondary"}
    assert table.loc[[*"ABCDEF"], "sector_share"].isna().all()


def test_fewer_than_min_cell_other_organisations_are_withheld() -> None:
    table = status(min_cell=5)
    # A, C and E see four decided others; F sees five.
    assert list(table.loc[["A", "C", "F"], "sector_suppressed"]) == ["primary", "primary", ""]
    assert math.isnan(float(table.loc["A", "sector_share"] or math.nan))
    assert table.loc["G", "sector_suppressed"] == "primary"  # a sector of one
