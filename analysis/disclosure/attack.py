"""What a reader holding the whole release can work out about withheld cells.

Published cells of one question are tied by sums: all respondents are the sectors together,
a sector is its organisations together (a ``Relation``: parent = sum of children, for ``n``
and every count). A reader who knows every member of a relation but one knows that one too;
a reader who knows the parent and some children knows the rest of the children together.
``work_out`` applies these two steps over and over, each new result feeding the next, until
nothing new follows, and returns every result the rules forbid, with the cells and arithmetic
used. The protection (before anything is written) and the audit (on the published files) both
judge a release by this function, so they cannot disagree about what is recoverable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from analysis.disclosure.rules import Rules

Counts = dict[str, float]
EXACT = "exact"  # one withheld cell, recovered exactly
COMBINED = "combined"  # several withheld cells together
UNLISTED = "unlisted"  # respondents of no published part (a parent minus all its parts)


@dataclass(frozen=True)
class Relation:
    parent: str
    children: tuple[str, ...]

    @property
    def members(self) -> tuple[str, ...]:
        return (self.parent, *self.children)


@dataclass
class Recovery:
    """A cell (or several withheld cells together) worked out from other cells."""

    cells: tuple[str, ...]  # the withheld cells the result describes
    counts: Counts
    kind: str  # EXACT | COMBINED | UNLISTED
    relation: Relation
    used: tuple[str, ...]  # the cells whose values were added or subtracted
    reason: str = ""  # why the result may not be known ("" when it may)
    chain: tuple[str, ...] = field(default_factory=tuple)  # used cells that were worked out

    def formula(self, name=str) -> str:
        """``a = b − c − d`` with cells named by ``name``."""
        left = " + ".join(name(c) for c in self.cells) or "(respondents of no part)"
        parent = self.relation.parent
        if parent in self.cells:
            return f"{left} = " + " + ".join(name(c) for c in self.used)
        others = [c for c in self.used if c != parent]
        return f"{left} = {name(parent)}" + "".join(f" − {name(c)}" for c in others)


def _combine(values: Iterable[tuple[int, Mapping[str, float]]]) -> Counts:
    """Sum of signed counts over the measures every term has."""
    values = list(values)
    measures = set.intersection(*(set(v) for _, v in values)) if values else set()
    total = {m: sum(sign * v[m] for sign, v in values) for m in measures}
    return {m: round(value, 6) for m, value in total.items()}


def _empty(counts: Mapping[str, float]) -> bool:
    return all(abs(v) < 1e-6 for v in counts.values())


def work_out(
    known: Mapping[str, Mapping[str, float]], relations: Iterable[Relation], rules: Rules
) -> tuple[list[Recovery], dict[str, Recovery]]:
    """Everything forbidden a reader can work out from the ``known`` (published) cells.

    Returns the forbidden results and every cell recovered exactly (forbidden or not) with how.
    """
    relations = list(relations)
    values: dict[str, Mapping[str, float]] = dict(known)
    derived: dict[str, Recovery] = {}
    changed = True
    while changed:
        changed = False
        for relation in relations:
            unknown = [m for m in relation.members if m not in values]
            if len(unknown) != 1:
                continue
            (cell,) = unknown
            used = tuple(m for m in relation.members if m != cell)
            if cell == relation.parent:
                counts = _combine((1, values[c]) for c in used)
            else:
                counts = _combine(
                    [(1, values[relation.parent])]
                    + [(-1, values[c]) for c in used if c != relation.parent]
                )
            if not counts:
                continue
            values[cell] = counts
            derived[cell] = Recovery(
                (cell,),
                counts,
                EXACT,
                relation,
                used,
                rules.disclosive(counts),
                tuple(c for c in used if c in derived),
            )
            changed = True
    found = [r for r in derived.values() if r.reason]
    for relation in relations:
        if relation.parent not in values:
            continue
        unknown = tuple(c for c in relation.children if c not in values)
        if len(unknown) == 1:
            continue  # already recovered exactly above
        used = tuple(m for m in relation.members if m not in unknown)
        counts = _combine(
            [(1, values[relation.parent])]
            + [(-1, values[c]) for c in relation.children if c in values]
        )
        if not counts or (not unknown and _empty(counts)):
            continue
        kind = COMBINED if unknown else UNLISTED
        reason = rules.disclosive(counts)
        if reason and len(unknown) != len(relation.children):
            chain = tuple(c for c in used if c in derived)
            found.append(Recovery(unknown, counts, kind, relation, used, reason, chain))
    return found, derived
