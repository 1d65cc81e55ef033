"""Groups of organisations a reader can work out from published cells: each group shown, and
the total minus any of them. A comparison between types of organisation is made, and checked,
on all of them: a sentence about the groups shown must not be contradicted by the groups a
reader gets by subtraction."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Group:
    """A set of organisation types with its count of organisations and of those in place;
    ``derived`` when a reader gets it by subtracting published cells from the total."""

    members: frozenset[str]
    in_place: int
    organisations: int
    derived: bool = False

    @property
    def share(self) -> float:
        return self.in_place / self.organisations


def derivable_groups(
    part: pd.DataFrame, by: str, total: str, count: str, base: str, min_size: int
) -> list[Group]:
    """For one question: the published groups, their unions, and each group a reader can work
    out as the total minus one or more published groups (a complement of at least
    ``min_size``).

    ``part`` holds the rows of the question (``by`` names the group, ``total`` the row of all;
    withheld rows are those with a ``suppressed`` reason; they tell which types the total
    holds).
    """
    published = part[part["suppressed"].fillna("") == ""] if "suppressed" in part else part
    published = published.dropna(subset=[count, base])
    totals = published[published[by] == total]
    types = frozenset(str(g) for g in part[by] if g != total)
    shown = [
        Group(frozenset([str(r[by])]), int(r[count]), int(r[base]))
        for _, r in published[published[by] != total].iterrows()
    ]
    if totals.empty:
        return shown
    whole = totals.iloc[0]
    groups = list(shown)
    for size in range(2, len(shown) + 1):  # unions of shown groups, by addition
        for taken in itertools.combinations(shown, size):
            groups.append(
                Group(
                    frozenset().union(*(g.members for g in taken)),
                    sum(g.in_place for g in taken),
                    sum(g.organisations for g in taken),
                    derived=True,
                )
            )
    for size in range(1, len(shown) + 1):  # the total minus shown groups, by subtraction
        for taken in itertools.combinations(shown, size):
            members = types - frozenset().union(*(g.members for g in taken))
            organisations = int(whole[base]) - sum(g.organisations for g in taken)
            if not members or organisations < min_size:
                continue
            in_place = int(whole[count]) - sum(g.in_place for g in taken)
            groups.append(Group(members, in_place, organisations, derived=True))
    return groups


def group_pairs(groups: list[Group]) -> list[tuple[Group, Group]]:
    """Every pair of groups with no organisation type in common, each pair once."""
    unique = list(dict.fromkeys(groups))
    return [(a, b) for a, b in itertools.combinations(unique, 2) if not a.members & b.members]


IntervalOf = Callable[[int, int], tuple[float, float]]


def separated_gap(
    a: Group, b: Group, min_gap: float, interval: IntervalOf
) -> tuple[Group, Group] | None:
    """(higher, lower) when the two differ by at least ``min_gap`` and their intervals do not
    overlap; else None."""
    high, low = (a, b) if a.share >= b.share else (b, a)
    if high.share - low.share < min_gap:
        return None
    if (
        interval(high.in_place, high.organisations)[0]
        <= interval(low.in_place, low.organisations)[1]
    ):
        return None
    return high, low
