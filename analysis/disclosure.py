"""Disclosure control: the one function every published table and figure passes through.

A cell describing fewer than ``min_cell`` respondents is suppressed (primary suppression).
Where cells of a group add up to a published total, a single suppressed cell could be worked
out by subtraction, so the next smallest cell of that group is suppressed too (secondary
suppression). Suppressed cells keep their row, marked, so a reader sees that something was
withheld and why.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

SUPPRESSED = "suppressed"
MARK = "–"  # shown in place of a suppressed value


def suppress_small_cells(
    frame: pd.DataFrame,
    *,
    count: str,
    values: Sequence[str],
    min_cell: int,
    complement_within: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Blank ``values`` (and ``count``) where ``count`` < ``min_cell``, with secondary suppression.

    ``complement_within`` names the columns that define groups whose cells sum to a published
    total (e.g. the organisation types of one survey item, when the "all" row is shown): in such
    a group, one suppressed cell is never left alone.
    """
    if min_cell < 1:
        raise ValueError("min_cell must be at least 1")
    table = frame.copy()
    table[SUPPRESSED] = ""
    primary = table[count].fillna(0) < min_cell
    table.loc[primary, SUPPRESSED] = "primary"
    if complement_within:
        for _, group in table.groupby(list(complement_within), sort=False):
            hidden = group[SUPPRESSED] != ""
            if hidden.sum() == 1 and len(group) > 1:
                candidates = group[~hidden].sort_values(count, kind="stable")
                table.loc[candidates.index[0], SUPPRESSED] = "secondary"
    withheld = table[SUPPRESSED] != ""
    for column in [*values, count]:
        if column in table:
            table[column] = table[column].astype("object").where(~withheld, None)
    return table


def assert_no_small_cells(frame: pd.DataFrame, *, count: str, min_cell: int) -> None:
    """Fail loudly if a published table still shows a cell below ``min_cell``."""
    shown = pd.to_numeric(frame[count], errors="coerce").dropna()
    small = shown[shown < min_cell]
    if len(small):
        raise AssertionError(f"{len(small)} cells below min_cell={min_cell} would be published")
