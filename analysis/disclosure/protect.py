"""Protection of the whole release: which cells to withhold, decided once for every report.

``cells`` holds one row per question and group at every level of the hierarchy (all
respondents, each sector, each organisation), with the node id of the row (``node``), of its
parent (``parent``; "" for the top) and the counts of the cell, before anything is withheld.

1. Each cell failing the rules on its own is withheld (``primary``: n < min_cell; ``group``:
   a share near 0 % or 100 % in a small group).
2. With ``differencing`` on, the attacker of ``attack.work_out`` is run on what would be
   published; while it recovers anything forbidden, one more cell of the relation it used is
   withheld (``secondary``): the smallest published organisation of the sector first, the
   sector only when no organisation is left to withhold, never the top (all respondents). An
   organisation is preferred because its cell appears in one report, a sector's in every
   report of the sector and in the sector report.

The result is the reason each cell is withheld ("" when it is published).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.disclosure.attack import Recovery, Relation, work_out
from analysis.disclosure.rules import SECONDARY, Rules


class ProtectionFailed(RuntimeError):
    """No further cell can be withheld to stop a recovery (the data are inconsistent)."""


def relations_of(nodes: Sequence[str], parents: Sequence[str]) -> list[Relation]:
    """Parent = sum of its children, for every node that has children."""
    children: dict[str, list[str]] = {}
    for node, parent in zip(nodes, parents, strict=True):
        if parent:
            children.setdefault(parent, []).append(node)
    return [Relation(parent, tuple(kids)) for parent, kids in children.items()]


def _candidates(recovery: Recovery, published: set[str], derived: dict[str, Recovery]) -> set[str]:
    """Published cells whose withholding would stop ``recovery``: the other members of its
    relation, and, for a result that used worked-out cells, those cells' members in turn."""
    found: set[str] = set()
    seen: set[str] = set()
    todo = [recovery]
    while todo:
        step = todo.pop()
        found |= {m for m in step.relation.members if m in published and m not in step.cells}
        for cell in step.used:
            if cell in derived and cell not in seen:
                seen.add(cell)
                todo.append(derived[cell])
    return found


def _depths(nodes: Sequence[str], parents: Sequence[str]) -> dict[str, int]:
    parent_of = dict(zip(nodes, parents, strict=True))

    def depth(node: str) -> int:
        steps = 0
        while parent_of.get(node):
            node, steps = parent_of[node], steps + 1
        return steps

    return {node: depth(node) for node in nodes}


def protect(
    cells: pd.DataFrame, rules: Rules, *, question: Sequence[str], counts: Sequence[str]
) -> pd.Series:
    """The reason each row of ``cells`` is withheld ("" = published), see the module doc.

    ``question`` names the columns that identify one question (the cells tied by sums),
    ``counts`` the count columns (``n`` first).
    """
    measures = list(counts)

    def cell(row) -> dict[str, float]:
        return {m: float(v) for m, v in zip(measures, row, strict=True) if pd.notna(v)}

    reasons = pd.Series(
        [rules.reason(cell(row)) for row in cells[measures].itertuples(index=False)],
        index=cells.index,
        dtype="object",
    )
    if not rules.differencing or cells.empty:
        return reasons
    for _, part in cells.groupby(list(question), sort=False):
        relations = relations_of(list(part["node"]), list(part["parent"]))
        values = {
            row[0]: cell(row[1:]) for row in part[["node", *measures]].itertuples(index=False)
        }
        index = dict(zip(part["node"], part.index, strict=True))
        sizes = {node: value["n"] for node, value in values.items()}
        depths = _depths(list(part["node"]), list(part["parent"]))
        for _ in range(len(part) + 1):
            published = {node for node in values if reasons[index[node]] == ""}
            found, derived = work_out({node: values[node] for node in published}, relations, rules)
            if not found:
                break
            # The deepest (an organisation before a sector), then the smallest; never the top.
            candidates = [c for c in _candidates(found[0], published, derived) if depths[c] > 0]
            if not candidates:
                where = dict(zip(question, part.iloc[0][list(question)], strict=True))
                raise ProtectionFailed(f"cannot stop {found[0].formula()} for {where}")
            victim = min(candidates, key=lambda c: (-depths[c], sizes[c], c))
            reasons[index[victim]] = SECONDARY
        else:
            raise ProtectionFailed(f"protection of {question} did not settle")
    return reasons
