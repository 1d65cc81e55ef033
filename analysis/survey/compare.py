"""Honest comparisons: a superlative ("most often", "least widespread") only where the 95 %
intervals separate; otherwise the leader is "among the most", named with every rival whose
interval overlaps its own."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Leader:
    """The row with the largest (or smallest) value and the rows it cannot be told from."""

    key: str
    value: float
    low: float
    high: float
    rivals: tuple[str, ...]  # keys whose intervals overlap the leader's, closest first

    @property
    def separated(self) -> bool:
        """True when no other interval overlaps the leader's: a superlative may be used."""
        return not self.rivals


def overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two closed intervals share a point."""
    return a[0] <= b[1] and b[0] <= a[1]


def leader(
    table: pd.DataFrame,
    key: str,
    value: str,
    low: str = "ci_low",
    high: str = "ci_high",
    *,
    largest: bool = True,
) -> Leader:
    """The leader of ``table`` by ``value`` (ties broken by ``key``) and its rivals.

    Rows without a value (suppressed) take no part. Raises ``ValueError`` on an empty table.
    """
    rows = table.dropna(subset=[value, low, high]).copy()
    if rows.empty:
        raise ValueError("no row with a value to compare")
    for column in (value, low, high):
        rows[column] = rows[column].astype(float)
    rows = rows.sort_values([value, key], ascending=[not largest, True], kind="stable")
    first = rows.iloc[0]
    span = (float(first[low]), float(first[high]))
    others = rows.iloc[1:]
    rivals = [
        str(r[key]) for _, r in others.iterrows() if overlap(span, (float(r[low]), float(r[high])))
    ]
    return Leader(str(first[key]), float(first[value]), span[0], span[1], tuple(rivals))
