"""Claims: what a generated sentence asserts, tied to the published cells it rests on.

Every sentence of the summary, the one-page summary and the draft recommendations that states
a number or a comparison is made from a ``Claim``. A claim names one results table, the rows
it compares (``within``: the published rows matching a filter), the rows it is about
(``subject``), the numbers the sentence states, each bound to its cell, and its logic. Before a
page is written, ``check_claims`` checks every claim against the tables:

1. its cells are published: each row it names is present once and not withheld, and the value
   it states is there;
2. every number the sentence states equals its cell;
3. its logic holds on the cells (a leader is the largest, "among the largest" names only rows
   whose intervals overlap the leader's, a count is the count of rows below a threshold, a
   named country's class is settled);
4. no arithmetic on other published cells contradicts it: a comparison between groups of
   organisations is checked on every group a reader can work out from the published cells
   (each shown group, and the total minus any of them: ``derivable_groups``), not only on the
   groups shown.

A failing claim raises ``ClaimError`` with the claim and the cells named; the build stops.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from analysis.survey.groups import IntervalOf, derivable_groups, group_pairs, separated_gap

TOLERANCE = 1e-9  # a stated share is the cell's value, not a rounding of it


class ClaimError(ValueError):
    """A claim that its cells do not support; the message names the claim and the cells."""


@dataclass(frozen=True)
class Claim:
    """What one sentence asserts about one results table.

    ``within`` selects the rows the claim compares (column → value); ``key_column`` names a
    row among them; ``subject`` lists the rows the sentence names (a leader first, then the
    rivals it names); ``stated`` maps "<row>.<column>" to the number the sentence states;
    ``logic`` is one of ``LOGIC`` and ``params`` its settings.
    """

    key: str
    statement: str
    table: str
    key_column: str
    logic: str
    within: Mapping[str, str] = field(default_factory=dict)
    subject: tuple[str, ...] = ()
    stated: Mapping[str, float] = field(default_factory=dict)
    params: Mapping[str, object] = field(default_factory=dict)

    def cells(self) -> list[str]:
        """The cells the claim rests on, as "table[column=value, …].column"."""

        def at(*where: str) -> str:
            filters = [f"{c}={v}" for c, v in self.within.items()]
            return f"{self.table}[{', '.join([*filters, *where])}]"

        named = [
            f"{at(f'{self.key_column}={row}')}.{column}"
            for row, column in (k.rsplit(".", 1) for k in self.stated)
        ]
        if "high_members" in self.params:  # a gap between groups: their counts, or the total's
            by, total = self.params["by"], self.params["total"]
            for side, other in (("high", "low"), ("low", "high")):
                members = str(self.params[f"{side}_members"]).split()
                rest = str(self.params[f"{other}_members"]).replace(" ", "+")
                group = members[0] if len(members) == 1 else f"{total} minus {rest}"
                item = f"{self.key_column}={self.subject[0]}"
                named.append(f"{at(item, f'{by}={group}')}.in_place, organisations")
        if named:
            return named
        return [at(f"{self.key_column}={row}") for row in self.subject] or [at()]

    def record(self) -> dict[str, str]:
        """The claim as one row of ``report_claims``."""
        return {
            "claim": self.key,
            "statement": self.statement,
            "table": self.table,
            "logic": self.logic,
            "cells": "; ".join(self.cells()),
            "stated": json.dumps(dict(self.stated), sort_keys=True),
        }


def _published(table: pd.DataFrame) -> pd.Series:
    if "suppressed" not in table:
        return pd.Series(True, index=table.index)
    return table["suppressed"].fillna("") == ""


def _rows(claim: Claim, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows the claim compares, all of them (withheld ones included)."""
    if claim.table not in tables:
        raise ClaimError(f"{claim.key}: table {claim.table!r} is not among the results")
    table = tables[claim.table]
    for column, value in claim.within.items():
        table = table[table[column].astype(str) == str(value)]
    return table


def _fail(claim: Claim, problem: str) -> ClaimError:
    return ClaimError(
        f"claim {claim.key!r} ({claim.statement}) does not hold: {problem}; "
        f"cells: {'; '.join(claim.cells())}"
    )


def _row(claim: Claim, rows: pd.DataFrame, name: str) -> pd.Series:
    match = rows[rows[claim.key_column].astype(str) == str(name)]
    if len(match) != 1:
        raise _fail(claim, f"row {claim.key_column}={name} found {len(match)} times")
    row = match.iloc[0]
    if str(row.get("suppressed", "") or "") != "":
        raise _fail(claim, f"the cell {claim.key_column}={name} is withheld ({row['suppressed']})")
    return row


def _value(claim: Claim, row: pd.Series, column: str) -> float:
    value = row.get(column)
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        raise _fail(claim, f"{claim.key_column}={row[claim.key_column]}: {column} is not published")
    return float(value)


def _check_stated(claim: Claim, rows: pd.DataFrame) -> None:
    for where, number in claim.stated.items():
        name, column = where.rsplit(".", 1)
        value = _value(claim, _row(claim, rows, name), column)
        if not math.isclose(value, float(number), rel_tol=0, abs_tol=TOLERANCE):
            raise _fail(claim, f"the sentence states {number} for {where}, the table {value}")


def _shown(claim: Claim, rows: pd.DataFrame, value: str) -> pd.DataFrame:
    return rows[_published(rows)].dropna(subset=[value])


def _extreme(claim: Claim, rows: pd.DataFrame, largest: bool) -> None:
    """The subject's value is the largest (smallest) published one; with intervals
    (``params["intervals"]``, the default), "separated" means no other interval overlaps it, and
    otherwise every rival named overlaps it."""
    value = str(claim.params.get("value"))
    shown = _shown(claim, rows, value).astype({value: float})
    keys = shown[claim.key_column].astype(str)
    if "among" in claim.params:  # ranked within a declared part (the countries listed)
        shown = shown[keys.isin(claim.params["among"])]
    elif "not_among" in claim.params:  # or outside it (the countries written in)
        shown = shown[~keys.isin(claim.params["not_among"])]
    leader = _row(claim, rows, claim.subject[0])
    if str(claim.subject[0]) not in set(shown[claim.key_column].astype(str)):
        raise _fail(claim, f"{claim.subject[0]} is not among the rows it is ranked with")
    best = shown[value].max() if largest else shown[value].min()
    if not math.isclose(float(leader[value]), float(best), abs_tol=TOLERANCE):
        raise _fail(claim, f"{claim.subject[0]} has {leader[value]}, another published row {best}")
    if not claim.params.get("intervals", True):
        return
    low, high = "ci_low", "ci_high"
    span = (float(leader[low]), float(leader[high]))
    others = shown[shown[claim.key_column].astype(str) != claim.subject[0]]
    overlapping = {
        str(r[claim.key_column])
        for _, r in others.iterrows()
        if span[0] <= float(r[high]) and float(r[low]) <= span[1]
    }
    if claim.params.get("separated"):
        if overlapping:
            raise _fail(claim, f"said to stand apart, but overlaps {sorted(overlapping)}")
        return
    if not overlapping:
        raise _fail(claim, "said to be among others, but no other interval overlaps")
    named = set(claim.subject[1:])
    if not named <= overlapping:
        raise _fail(claim, f"names {sorted(named - overlapping)} whose intervals do not overlap")


def _count_below(claim: Claim, rows: pd.DataFrame) -> None:
    value = str(claim.params["value"])
    shown = _shown(claim, rows, value).astype({value: float})
    below = shown[shown[value] < float(claim.params["below"])].sort_values(
        [value, claim.key_column]
    )
    if len(below) != int(claim.params["count"]) or len(shown) != int(claim.params["total"]):
        raise _fail(
            claim,
            f"{claim.params['count']} of {claim.params['total']} said below "
            f"{claim.params['below']}, the table has {len(below)} of {len(shown)}",
        )
    lowest = [str(k) for k in below[claim.key_column].head(len(claim.subject))]
    if sorted(lowest) != sorted(claim.subject):
        raise _fail(claim, f"names {list(claim.subject)} as the lowest, the table {lowest}")


def _settled(claim: Claim, rows: pd.DataFrame) -> None:
    quadrants = set(claim.params["quadrants"])
    for name in claim.subject:
        row = _row(claim, rows, name)
        depends = str(row.get("depends_on", "") or "").strip()
        if row["quadrant"] not in quadrants or depends:
            raise _fail(
                claim,
                f"{name} is named with class {sorted(quadrants)} but is {row['quadrant']}"
                + (f", resting on {depends}" if depends else ""),
            )


def _groups(claim: Claim, part: pd.DataFrame) -> list:
    p = claim.params
    return derivable_groups(
        part, str(p["by"]), str(p["total"]), "in_place", "organisations", int(p["min_size"])
    )


def _group_gaps(claim: Claim, rows: pd.DataFrame, interval: IntervalOf) -> list[tuple]:
    """The separated gaps a reader can work out: (item, higher group, lower group)."""
    found = []
    for item, part in rows.groupby(claim.key_column, sort=True):
        for a, b in group_pairs(_groups(claim, part)):
            gap = separated_gap(a, b, float(claim.params["min_gap"]), interval)
            if gap:
                found.append((str(item), *gap))
    return found


def _named(group) -> str:
    return f"{'+'.join(sorted(group.members))} {group.in_place}/{group.organisations}"


def _no_gap(claim: Claim, rows: pd.DataFrame, interval: IntervalOf) -> None:
    found = _group_gaps(claim, rows, interval)
    if found:
        gaps = "; ".join(f"{item}: {_named(h)} against {_named(lo)}" for item, h, lo in found)
        raise _fail(claim, f"the published cells give separated gaps ({gaps})")


def _gap(claim: Claim, rows: pd.DataFrame, interval: IntervalOf) -> None:
    """The gap the sentence states is one a reader finds, with the counts it states."""
    p = claim.params
    stated = [
        (str(p[f"{side}_members"]), int(p[f"{side}_in_place"]), int(p[f"{side}_organisations"]))
        for side in ("high", "low")
    ]
    for item, high, low in _group_gaps(claim, rows, interval):
        found = [(" ".join(sorted(g.members)), g.in_place, g.organisations) for g in (high, low)]
        if item == claim.subject[0] and found == stated:
            return
    raise _fail(claim, f"no separated gap of {p['min_gap']} in {claim.subject[0]} as stated")


def _not_comparable(claim: Claim, rows: pd.DataFrame) -> None:
    for item, part in rows.groupby(claim.key_column, sort=True):
        pairs = group_pairs(_groups(claim, part))
        if pairs:
            a, b = pairs[0]
            raise _fail(claim, f"{item} can be compared: {_named(a)} against {_named(b)}")


def _sum_equals(claim: Claim, rows: pd.DataFrame) -> None:
    column = str(claim.params["column"])
    total = float(rows.loc[_published(rows), column].sum())
    if not math.isclose(total, float(claim.params["sum"]), abs_tol=TOLERANCE):
        raise _fail(claim, f"states {claim.params['sum']} in all, the table sums to {total}")


GROUP_LOGIC = ("no_group_gap", "group_gap", "not_comparable")


def check_claims(
    claims: list[Claim], tables: Mapping[str, pd.DataFrame], interval: IntervalOf
) -> pd.DataFrame:
    """Check every claim (see the module's description) and return them as the
    ``report_claims`` table; raise ``ClaimError`` at the first that fails. ``interval`` gives
    the 95 % interval of k of n organisations, the one the tables use."""
    for claim in claims:
        rows = _rows(claim, tables)
        _check_stated(claim, rows)
        if claim.logic not in GROUP_LOGIC:  # a question has one row per group there
            for name in claim.subject:
                _row(claim, rows, name)
        if claim.logic in ("largest", "smallest"):
            _extreme(claim, rows, claim.logic == "largest")
        elif claim.logic == "count_below":
            _count_below(claim, rows)
        elif claim.logic == "settled":
            _settled(claim, rows)
        elif claim.logic == "no_group_gap":
            _no_gap(claim, rows, interval)
        elif claim.logic == "group_gap":
            _gap(claim, rows, interval)
        elif claim.logic == "not_comparable":
            _not_comparable(claim, rows)
        elif claim.logic == "sum_equals":
            _sum_equals(claim, rows)
        elif claim.logic != "states":
            raise ClaimError(f"claim {claim.key!r}: unknown logic {claim.logic!r}")
    return pd.DataFrame(
        [c.record() for c in claims],
        columns=["claim", "statement", "table", "logic", "cells", "stated"],
    )


LOGIC = (
    "states",
    "largest",
    "smallest",
    "count_below",
    "settled",
    "no_group_gap",
    "group_gap",
    "not_comparable",
    "sum_equals",
)
