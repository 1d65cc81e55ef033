"""The release's rules on an analyst's own counts table, and the internal view that never
leaves the analyst's notebook. Expected reasons are worked out by hand from the rules
(min_cell 5: groups under 10 show no share within 5 of 0 or n)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.disclosure.audit import audit_release
from analysis.disclosure.explore import internal_view, protect
from analysis.disclosure.internal import INTERNAL_COLUMN, InternalFrame, is_internal
from analysis.disclosure.rules import Rules
from analysis.figures.publisher import Publisher

SECTORS = pd.DataFrame(
    {
        "group": ["all", "university", "uas", "research_institute"],
        "n": [30, 20, 7, 3],
        "agree": [12, 8, 3, 1],
    }
).assign(share=lambda d: d["agree"] / d["n"])


def test_each_rule_of_the_release_applies_to_an_analysts_table() -> None:
    shown = protect(SECTORS, counts=["agree"], values=["share"], total=("group", "all"), min_cell=5)
    # 3 respondents: under min_cell; 7: a small group whose 3 agreeing are within 5 of 0.
    assert shown["suppressed"].tolist() == ["", "", "group", "primary"]
    assert shown.loc[2:, ["n", "agree", "share"]].isna().all().all()
    assert shown.loc[1, "share"] == pytest.approx(0.4)
    # all − university = the two withheld together: 10 respondents, 4 agreeing: allowed.
    assert not is_internal(shown)


def test_a_withheld_row_that_the_total_gives_away_takes_another_with_it() -> None:
    table = pd.DataFrame(
        {"group": ["all", "university", "ri"], "n": [30, 26, 4], "agree": [12, 10, 2]}
    )
    shown = protect(table, counts=["agree"], total=("group", "all"), min_cell=5)
    # ri = all − university would recover 4 respondents: the university is withheld too.
    assert shown["suppressed"].tolist() == ["", "secondary", "primary"]
    alone = protect(table, counts=["agree"], min_cell=5)  # no total row: nothing to subtract
    assert alone["suppressed"].tolist() == ["", "", "primary"]


def test_questions_are_protected_each_on_its_own() -> None:
    table = pd.concat([SECTORS.assign(item="a"), SECTORS.assign(item="b", n=[30, 20, 9, 1])])
    shown = protect(table, counts=["agree"], within=["item"], total=("group", "all"), min_cell=5)
    assert shown["suppressed"].tolist() == ["", "", "group", "primary"] * 2


def test_the_internal_view_keeps_the_values_with_their_reason_and_is_marked() -> None:
    view = internal_view(SECTORS, counts=["agree"], total=("group", "all"), min_cell=5)
    assert view["n"].tolist() == [30, 20, 7, 3]
    assert view["suppressed"].tolist() == ["", "", "group", "primary"]
    assert view["withheld"].tolist() == [False, False, True, True]
    assert view.attrs["internal"] is True and view[INTERNAL_COLUMN].all()
    assert is_internal(view[["group", "n"]])  # the attribute survives a selection


def test_the_publisher_refuses_an_internal_frame(tmp_path) -> None:
    view = internal_view(SECTORS, counts=["agree"], min_cell=5)
    pub = Publisher(tmp_path, "00_test", synthetic=False)
    with pytest.raises(InternalFrame):
        pub.table(view, title="Withheld cells")
    with pytest.raises(InternalFrame):
        pub.table(SECTORS, title="Sectors", data=view, slug="sectors")
    assert list(tmp_path.iterdir()) == []


def test_a_release_holding_an_internal_view_fails_its_audit(tmp_path) -> None:
    internal_view(SECTORS, counts=["agree"], min_cell=5).to_csv(tmp_path / "mine.csv", index=False)
    (tmp_path / "MANIFEST.json").write_text(json.dumps({"files": []}), encoding="utf-8")
    result = audit_release(tmp_path, Rules.defaults(5))
    assert any(f.kind == "internal" and f.files == ["mine.csv"] for f in result.findings)


def test_a_count_column_cannot_be_the_groups_n() -> None:
    with pytest.raises(ValueError):
        protect(SECTORS, counts=["n"])
