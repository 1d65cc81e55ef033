"""Disclosure across the release: the rules, the attacker's arithmetic and the protection,
on hand-made hierarchies with every expected value worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.disclosure.attack import COMBINED, EXACT, Relation, work_out
from analysis.disclosure.protect import protect
from analysis.disclosure.rules import Rules, load_rules

RULES = Rules.defaults(5)  # min_cell 5; groups under 10: no count within 5 of 0 or n
NO_GROUP_RULE = Rules(5, 10, 5, group_rule=False)


def cells(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    """(node, parent, n, agree) rows of one question."""
    frame = pd.DataFrame(rows, columns=["node", "parent", "n", "agree"])
    return frame.assign(item_id="q1")


# A sector of four research institutes, RI-4 with 4 respondents, beside one university.
SECTOR = [
    ("all", "", 87, 45),
    ("org_type:university", "all", 50, 25),
    ("org_type:research_institute", "all", 37, 20),
    ("organisation_key:UNI-A", "org_type:university", 50, 25),
    ("organisation_key:RI-1", "org_type:research_institute", 12, 6),
    ("organisation_key:RI-2", "org_type:research_institute", 11, 5),
    ("organisation_key:RI-3", "org_type:research_institute", 10, 5),
    ("organisation_key:RI-4", "org_type:research_institute", 4, 4),
]


def known_cells(frame: pd.DataFrame, reasons: pd.Series | None = None) -> dict:
    shown = frame if reasons is None else frame[reasons == ""]
    return {r.node: {"n": r.n, "agree": r.agree} for r in shown.itertuples()}


def relations(frame: pd.DataFrame) -> list[Relation]:
    from analysis.disclosure.protect import relations_of

    return relations_of(list(frame["node"]), list(frame["parent"]))


def test_a_share_near_0_or_100_percent_in_a_small_group_is_withheld() -> None:
    assert RULES.reason({"n": 5, "agree": 5}) == "group"  # 5 of 5: everyone agreed
    assert RULES.reason({"n": 5, "agree": 0}) == "group"
    assert RULES.reason({"n": 9, "agree": 5}) == "group"  # 4 did not: fewer than 5
    assert RULES.reason({"n": 10, "agree": 5}) == ""  # 5 and 5: no side under 5
    assert RULES.reason({"n": 12, "agree": 12}) == ""  # groups of 10 or more: not covered
    assert RULES.reason({"n": 4, "agree": 2}) == "primary"
    wider = Rules(5, 20, 1)  # only exact 0 % and 100 %, for groups under 20
    assert wider.reason({"n": 12, "agree": 12}) == "group"
    assert wider.reason({"n": 12, "agree": 11}) == ""
    assert Rules(5, 10, 5, group_rule=False).reason({"n": 5, "agree": 5}) == ""


def test_the_rules_file_takes_its_defaults_from_min_cell(tmp_path) -> None:
    path = tmp_path / "disclosure.yaml"
    path.write_text("group_disclosure: {group_size: null, margin: null}\n", encoding="utf-8")
    assert load_rules(path, 3) == Rules(3, 6, 3)
    path.write_text(
        "group_disclosure: {enabled: false, group_size: 20, margin: 1}\n"
        "differencing: {enabled: false}\n",
        encoding="utf-8",
    )
    assert load_rules(path, 5) == Rules(5, 20, 1, group_rule=False, differencing=False)
    path.write_text("group_disclosure: {method: band}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="only 'withhold'"):
        load_rules(path, 5)


def test_the_attacker_recovers_the_small_institute_from_its_sector() -> None:
    frame = cells(SECTOR)
    reasons = protect(
        frame, Rules(5, 10, 5, differencing=False), question=["item_id"], counts=["n", "agree"]
    )
    assert list(reasons[reasons != ""].index) == [7]  # RI-4 only, table by table
    found, _ = work_out(known_cells(frame, reasons), relations(frame), RULES)
    assert len(found) == 1
    recovery = found[0]
    assert recovery.kind == EXACT and recovery.cells == ("organisation_key:RI-4",)
    assert recovery.counts == {"n": 4, "agree": 4}  # 37 − 12 − 11 − 10, 20 − 6 − 5 − 5
    assert recovery.reason == "primary"
    name = lambda node: node.split(":")[-1]  # noqa: E731
    assert recovery.formula(name) == "RI-4 = research_institute − RI-1 − RI-2 − RI-3"


def test_protection_withholds_the_smallest_other_institute_and_nothing_is_recoverable() -> None:
    frame = cells(SECTOR)
    reasons = protect(frame, RULES, question=["item_id"], counts=["n", "agree"])
    marks = dict(zip(frame["node"], reasons, strict=True))
    assert marks["organisation_key:RI-4"] == "primary"
    # RI-3 (10) is the smallest other institute; RI-3 and RI-4 together: 14, 9 agree.
    assert marks["organisation_key:RI-3"] == "secondary"
    assert [n for n, m in marks.items() if m] == ["organisation_key:RI-3", "organisation_key:RI-4"]
    found, _ = work_out(known_cells(frame, reasons), relations(frame), RULES)
    assert found == []


def test_withheld_cells_together_must_pass_the_rules_too() -> None:
    # RI-4 (4) and the smallest other, RI-3 (5 of 5 agree, itself withheld as a small group):
    # together 9 respondents, 9 agreeing, fewer than 10 and all alike, so RI-2 goes as well.
    frame = cells(
        [
            ("all", "", 40, 24),
            ("org_type:research_institute", "all", 40, 24),
            ("organisation_key:RI-1", "org_type:research_institute", 16, 8),
            ("organisation_key:RI-2", "org_type:research_institute", 15, 7),
            ("organisation_key:RI-3", "org_type:research_institute", 5, 5),
            ("organisation_key:RI-4", "org_type:research_institute", 4, 4),
        ]
    )
    reasons = protect(frame, RULES, question=["item_id"], counts=["n", "agree"])
    marks = dict(zip(frame["node"].str.split(":").str[-1], reasons, strict=True))
    assert marks == {
        "all": "",
        "research_institute": "",
        "RI-1": "",
        "RI-2": "secondary",
        "RI-3": "group",
        "RI-4": "primary",
    }
    unprotected = Rules(5, 10, 5, differencing=False)
    shown = protect(frame, unprotected, question=["item_id"], counts=["n", "agree"])
    found, _ = work_out(known_cells(frame, shown), relations(frame), RULES)
    assert [(f.kind, f.counts) for f in found] == [(COMBINED, {"n": 9, "agree": 9})]


def test_all_respondents_minus_the_sectors_gives_a_small_sector_away() -> None:
    frame = cells(
        [
            ("all", "", 73, 30),
            ("org_type:university", "all", 40, 20),
            ("org_type:uas", "all", 30, 9),
            ("org_type:other", "all", 3, 1),
        ]
    )
    table_by_table = protect(
        frame, Rules(5, 10, 5, differencing=False), question=["item_id"], counts=["n", "agree"]
    )
    found, _ = work_out(known_cells(frame, table_by_table), relations(frame), RULES)
    assert [(f.cells, f.counts) for f in found] == [(("org_type:other",), {"n": 3, "agree": 1})]
    reasons = protect(frame, RULES, question=["item_id"], counts=["n", "agree"])
    assert dict(zip(frame["node"], reasons, strict=True)) == {
        "all": "",
        "org_type:university": "",
        "org_type:uas": "secondary",  # the smaller published sector
        "org_type:other": "primary",
    }
    assert work_out(known_cells(frame, reasons), relations(frame), RULES)[0] == []


def test_a_sector_withheld_for_another_is_not_rebuilt_from_its_organisations() -> None:
    # other (3) is primary; uas would be withheld beside it, but uas = UAS-1 + UAS-2 when
    # both organisations are published, and then all − university − uas gives other away.
    frame = cells(
        [
            ("all", "", 73, 30),
            ("org_type:university", "all", 40, 20),
            ("org_type:uas", "all", 30, 9),
            ("org_type:other", "all", 3, 1),
            ("organisation_key:UNI-A", "org_type:university", 40, 20),
            ("organisation_key:UAS-1", "org_type:uas", 18, 5),
            ("organisation_key:UAS-2", "org_type:uas", 12, 4),
            ("organisation_key:O-1", "org_type:other", 3, 1),
        ]
    )
    reasons = protect(frame, NO_GROUP_RULE, question=["item_id"], counts=["n", "agree"])
    withheld = {n for n, m in zip(frame["node"], reasons, strict=True) if m}
    assert {"org_type:other", "organisation_key:O-1"} <= withheld
    assert work_out(known_cells(frame, reasons), relations(frame), NO_GROUP_RULE)[0] == []
    # A sector is withheld only when no organisation can stop the recovery.
    assert "org_type:university" not in withheld


def test_questions_are_protected_each_on_their_own() -> None:
    # In q2 RI-4 has 12 respondents: nothing of q2 needs withholding.
    second = [
        ("all", "", 95, 47),
        ("org_type:university", "all", 50, 25),
        ("org_type:research_institute", "all", 45, 22),
        *SECTOR[3:7],
        ("organisation_key:RI-4", "org_type:research_institute", 12, 6),
    ]
    frame = pd.concat([cells(SECTOR), cells(second).assign(item_id="q2")], ignore_index=True)
    reasons = protect(frame, RULES, question=["item_id"], counts=["n", "agree"])
    assert list(reasons[reasons != ""].index) == [6, 7]  # q1's RI-3 and RI-4 only
