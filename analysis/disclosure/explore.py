"""Small cells explored safely: the release's rules on a counts table an analyst made.

``protect(table, ...)`` applies every rule of the release (``config/disclosure.yaml`` through
``load_rules``, with the release's ``min_cell``): the threshold (``primary``), the group rule
(``group``) and, where the table has a total row per question, the differencing protection
(``secondary``), judged by the release's own function (``analysis.disclosure.protect``). It
returns the table with the reason of each withheld cell in ``suppressed`` and the withheld
values blanked: a frame that may be shown.

``internal_view(table, ...)`` is the same decision with nothing blanked: every withheld cell
with its reason and the values it would have shown, marked internal
(``analysis.disclosure.internal``): the publisher refuses it and a release holding it fails
its audit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from analysis.disclosure.cells import SUPPRESSED
from analysis.disclosure.internal import mark_internal
from analysis.disclosure.protect import protect as protect_cells
from analysis.disclosure.rules import load_rules, release_min_cell
from analysis.files.paths import resolve

WITHHELD = "withheld"  # internal view: whether the release would withhold the row


def reasons(
    table: pd.DataFrame,
    *,
    n: str = "n",
    counts: Sequence[str] = (),
    within: Sequence[str] = (),
    total: tuple[str, object] | None = None,
    min_cell: int | None = None,
    disclosure: str = "config/disclosure.yaml",
    params: str = "config/params.yaml",
) -> pd.Series:
    """Why the release would withhold each row of ``table`` ("" where it would publish it).

    Each row is a cell: ``n`` names its number of respondents, ``counts`` the counts behind
    its shares (the group rule tests them against 0 and n). ``within`` names the columns of one
    question (cells of different questions are not tied); ``total`` = (column, value) marks
    each question's total row, the sum of its other rows, so that withheld rows cannot be
    worked out from it (without it no row is a sum of others and differencing finds nothing).
    ``min_cell`` defaults to the release's (``params``)."""
    counts = list(counts)
    if n in counts:
        raise ValueError(f"{n!r} is the group's n, not one of its counts")
    missing = [c for c in [n, *counts, *within] if c not in table]
    if missing:
        raise KeyError(f"the table has no column {', '.join(missing)}")
    index, table = table.index, table.reset_index(drop=True)  # rows by position
    threshold = release_min_cell(resolve(params)) if min_cell is None else int(min_cell)
    rules = load_rules(resolve(disclosure), threshold)
    renamed = {name: f"count_{position}" for position, name in enumerate(counts)}
    cells = pd.DataFrame(
        {
            "n": pd.to_numeric(table[n], errors="coerce"),
            **{renamed[c]: pd.to_numeric(table[c], errors="coerce") for c in counts},
        },
        index=table.index,
    )
    rules = replace(rules, share_counts=tuple(renamed.values()))
    question = pd.Series("", index=table.index, dtype="object")
    for column in within:
        question = question + "\x1f" + table[column].astype(str)
    cells["question"] = question
    cells["node"] = [f"row-{position}" for position in range(len(table))]
    cells["parent"] = ""
    if total is not None:
        column, value = total
        is_total = table[column] == value
        for _, group in cells.groupby("question", sort=False):
            tops = group.index[is_total.loc[group.index]]
            if len(tops) > 1:
                raise ValueError(f"more than one total row ({column} = {value!r}) in a question")
            if len(tops) == 1:
                parts = group.index.difference(tops)
                cells.loc[parts, "parent"] = cells.at[tops[0], "node"]
    found = protect_cells(cells, rules, question=["question"], counts=["n", *renamed.values()])
    return pd.Series(found.to_numpy(), index=index, dtype="object")


def protect(
    table: pd.DataFrame,
    *,
    n: str = "n",
    counts: Sequence[str] = (),
    values: Sequence[str] = (),
    within: Sequence[str] = (),
    total: tuple[str, object] | None = None,
    min_cell: int | None = None,
    disclosure: str = "config/disclosure.yaml",
    params: str = "config/params.yaml",
) -> pd.DataFrame:
    """``table`` as the release would show it: ``suppressed`` holds each row's reason
    (``primary``, ``group``, ``secondary``; "" when shown) and, in a withheld row, ``n``,
    ``counts`` and ``values`` (shares or anything else worked out from the counts) are
    blanked. The arguments are those of ``reasons``."""
    why = reasons(
        table, n=n, counts=counts, within=within, total=total, min_cell=min_cell,
        disclosure=disclosure, params=params,
    )  # fmt: skip
    shown = table.copy()
    shown[SUPPRESSED] = why.to_numpy()
    withheld = (why != "").to_numpy()
    for column in dict.fromkeys([n, *counts, *values]):
        shown[column] = shown[column].astype("object").where(~withheld, None)
    return shown


def internal_view(
    table: pd.DataFrame,
    *,
    n: str = "n",
    counts: Sequence[str] = (),
    within: Sequence[str] = (),
    total: tuple[str, object] | None = None,
    min_cell: int | None = None,
    disclosure: str = "config/disclosure.yaml",
    params: str = "config/params.yaml",
) -> pd.DataFrame:
    """For the analyst only: every row of ``table`` with the values it would show, the
    reason the release withholds it (``suppressed``) and ``withheld``; marked internal, so the
    publisher refuses it and the release audit fails on it."""
    why = reasons(
        table, n=n, counts=counts, within=within, total=total, min_cell=min_cell,
        disclosure=disclosure, params=params,
    )  # fmt: skip
    view = table.copy()
    view[SUPPRESSED] = why.to_numpy()
    view[WITHHELD] = (why != "").to_numpy()
    return mark_internal(view)
