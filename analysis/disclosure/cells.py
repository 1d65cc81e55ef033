"""Disclosure control: the one function every published table and figure passes through.

A cell describing fewer than ``min_cell`` respondents is suppressed (primary suppression).
Where cells of a group add up to a published total, the suppressed cells together could be
worked out by subtraction, so further cells of the group are suppressed, smallest first, until
the withheld cells together describe at least ``min_cell`` respondents (secondary
suppression). Suppressed cells keep their row, marked, so a reader sees that something was
withheld and why.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

SUPPRESSED = "suppressed"


def suppress_small_cells(
    frame: pd.DataFrame,
    *,
    count: str,
    values: Sequence[str],
    min_cell: int,
    complement_within: Sequence[str] | None = None,
    total: tuple[str, object] | None = None,
) -> pd.DataFrame:
    """Blank ``values`` (and ``count``) where ``count`` < ``min_cell``, with secondary suppression.

    ``complement_within`` names the columns that define groups whose cells sum to a published
    total (e.g. the organisation types of one survey item, when the "all" row is shown); ``total``
    = (column, value) marks the total row of each group, which is published and never counted
    as a cell of its own.
    """
    if min_cell < 1:
        raise ValueError("min_cell must be at least 1")
    table = frame.copy()
    table[SUPPRESSED] = ""
    primary = table[count].fillna(0) < min_cell
    table.loc[primary, SUPPRESSED] = "primary"
    if complement_within:
        for _, group in table.groupby(list(complement_within), sort=False):
            if total is not None:
                group = group[group[total[0]] != total[1]]
            hidden = group[SUPPRESSED] != ""
            counts = group[count].fillna(0)
            # Withheld cells together must describe at least min_cell respondents, or the
            # total minus the shown cells gives them away.
            while 0 < counts[hidden].sum() < min_cell and (~hidden).any():
                smallest = counts[~hidden].sort_values(kind="stable").index[0]
                table.loc[smallest, SUPPRESSED] = "secondary"
                hidden[smallest] = True
            if hidden.sum() == 1 and (~hidden).any():
                smallest = counts[~hidden].sort_values(kind="stable").index[0]
                table.loc[smallest, SUPPRESSED] = "secondary"
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
