"""Disclosure control, worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.disclosure.cells import assert_no_small_cells, suppress_small_cells


def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item": ["a", "a", "a", "a", "b", "b", "b", "b"],
            "group": ["uni", "uas", "ri", "all", "uni", "uas", "ri", "all"],
            "n": [20, 9, 3, 32, 20, 12, 8, 40],
            "share": [0.5, 0.4, 1.0, 0.5, 0.6, 0.5, 0.25, 0.5],
        }
    )


def test_primary_suppression_blanks_small_groups() -> None:
    result = suppress_small_cells(table(), count="n", values=["share"], min_cell=5)
    hidden = result[result["suppressed"] != ""]
    assert hidden[["item", "group"]].values.tolist() == [["a", "ri"]]
    assert hidden["share"].isna().all() and hidden["n"].isna().all()
    assert result.loc[0, "share"] == 0.5


def test_secondary_suppression_protects_a_lone_small_cell_from_subtraction() -> None:
    result = suppress_small_cells(
        table(), count="n", values=["share"], min_cell=5, complement_within=["item"]
    )
    marks = dict(
        zip(zip(result["item"], result["group"], strict=True), result["suppressed"], strict=True)
    )
    # ri (3) is primary; the next smallest cell of item a, uas (9), is hidden too: 32 - 20 would
    # otherwise give 12 = 9 + 3 and reveal nothing, but with uas shown 32 - 20 - 9 = 3 would.
    assert marks[("a", "ri")] == "primary"
    assert marks[("a", "uas")] == "secondary"
    assert marks[("a", "uni")] == "" and marks[("a", "all")] == ""
    assert all(marks[("b", g)] == "" for g in ("uni", "uas", "ri", "all"))


def test_nothing_below_the_threshold_survives() -> None:
    result = suppress_small_cells(table(), count="n", values=["share"], min_cell=10)
    assert_no_small_cells(result, count="n", min_cell=10)
    with pytest.raises(AssertionError, match="1 cells below"):
        assert_no_small_cells(table(), count="n", min_cell=5)


def test_min_cell_must_be_positive() -> None:
    with pytest.raises(ValueError):
        suppress_small_cells(table(), count="n", values=["share"], min_cell=0)


def test_several_small_cells_together_are_protected_from_subtraction() -> None:
    table = pd.DataFrame(
        {
            "group": ["uni", "uas", "ri", "other", "all"],
            "n": [30, 20, 2, 1, 53],
            "agree": [10, 5, 2, 1, 18],
        }
    ).assign(item="a")
    result = suppress_small_cells(
        table,
        count="n",
        values=["agree"],
        min_cell=5,
        complement_within=["item"],
        total=("group", "all"),
    )
    marks = dict(zip(result["group"], result["suppressed"], strict=True))
    # ri (2) and other (1) hold 3 < 5 together: 53 - 30 - 20 would reveal them, so uas goes too.
    assert marks == {"uni": "", "uas": "secondary", "ri": "primary", "other": "primary", "all": ""}


def test_the_total_row_is_never_suppressed_to_protect_its_parts() -> None:
    table = pd.DataFrame({"group": ["a", "b", "all"], "n": [3, 40, 43]}).assign(item="x")
    result = suppress_small_cells(
        table, count="n", values=[], min_cell=5, complement_within=["item"], total=("group", "all")
    )
    assert dict(zip(result["group"], result["suppressed"], strict=True)) == {
        "a": "primary",
        "b": "secondary",
        "all": "",
    }
