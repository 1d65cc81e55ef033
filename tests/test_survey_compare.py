"""Superlatives only where intervals separate, with intervals worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.survey.analyse import wilson_interval
from analysis.survey.compare import leader, overlap


def _table(counts: dict[str, tuple[int, int]]) -> pd.DataFrame:
    rows = []
    for key, (k, n) in counts.items():
        low, high = wilson_interval(k, n)
        rows.append({"item_id": key, "share": k / n, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def test_overlap_of_closed_intervals() -> None:
    assert overlap((0.1, 0.3), (0.3, 0.5))
    assert not overlap((0.1, 0.29), (0.3, 0.5))


def test_a_clear_leader_is_separated() -> None:
    # 90 of 100 (Wilson 0.826–0.945) against 50 of 100 (0.404–0.596) and 20 of 100.
    result = leader(_table({"a": (90, 100), "b": (50, 100), "c": (20, 100)}), "item_id", "share")
    assert result.key == "a" and result.separated
    assert result.low == pytest.approx(0.826, abs=1e-3)


def test_overlapping_intervals_name_every_rival() -> None:
    # 60 of 100 (0.502–0.691) and 55 of 100 (0.452–0.644) overlap; 20 of 100 (0.133–0.289) not.
    result = leader(_table({"b": (55, 100), "a": (60, 100), "c": (20, 100)}), "item_id", "share")
    assert (result.key, result.rivals, result.separated) == ("a", ("b",), False)


def test_the_smallest_and_suppressed_rows() -> None:
    table = _table({"a": (60, 100), "b": (10, 100), "c": (12, 100)})
    table.loc[len(table)] = {"item_id": "d", "share": None, "ci_low": None, "ci_high": None}
    result = leader(table, "item_id", "share", largest=False)
    # 10 of 100 (0.055–0.174) and 12 of 100 (0.070–0.198) overlap.
    assert (result.key, result.rivals) == ("b", ("c",))
    with pytest.raises(ValueError):
        leader(table[table["item_id"] == "d"], "item_id", "share")
