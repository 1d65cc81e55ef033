"""What moved since the previous edition: quadrants, cooperation volume, survey shares.

The previous edition is the processed-data folder of an earlier run (kept, for instance, as
``data/editions/2024/``). Only tables both editions have are compared; each change is shown
with its size.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.survey.analyse import ALL


@dataclass
class Changes:
    quadrants: pd.DataFrame
    volume: pd.DataFrame
    survey: pd.DataFrame


def _read(folder: Path, name: str) -> pd.DataFrame | None:
    path = folder / f"{name}.parquet"
    return pd.read_parquet(path) if path.is_file() else None


def _with_quadrant_keys(scores: pd.DataFrame) -> pd.DataFrame:
    if "quadrant_key" in scores:
        return scores.assign(quadrant=scores["quadrant_key"])
    return scores


def compare_editions(
    current: Path, previous: Path, top: int = 10, not_scored: str = "(not scored)"
) -> Changes:
    if not previous.is_dir():
        raise FileNotFoundError(f"previous edition not found: {previous}")
    empty = pd.DataFrame()
    quadrant_moves = volume = survey = empty
    now, before = _read(current, "country_scores"), _read(previous, "country_scores")
    if now is not None and before is not None:
        # Keys, not labels. Tables written before quadrants were stored as keys kept the key
        # beside a translated label. A country scored in only one edition has entered or left
        # the scored set, which is a change too.
        columns = ["iso2", "quadrant"]
        now, before = _with_quadrant_keys(now), _with_quadrant_keys(before)
        both = now[columns].merge(before[columns], on="iso2", suffixes=("", "_before"), how="outer")
        moved = both["quadrant"].fillna("") != both["quadrant_before"].fillna("")
        # A country whose class the draws do not settle in either edition has not moved from
        # one class to another: its evidence supports neither reading firmly.
        unsettled = both["quadrant"].eq("uncertain") | both["quadrant_before"].eq("uncertain")
        moved &= ~unsettled
        quadrant_moves = both[moved].fillna({"quadrant": not_scored, "quadrant_before": not_scored})
        quadrant_moves = quadrant_moves.reset_index(drop=True)
    now, before = (
        _read(current, "cooperation_by_country"),
        _read(previous, "cooperation_by_country"),
    )
    if now is not None and before is not None:
        both = (
            now[["iso2", "copublications"]]
            .merge(
                before[["iso2", "copublications"]], on="iso2", suffixes=("", "_before"), how="outer"
            )
            .fillna(0)
        )
        both["change"] = both["copublications"] - both["copublications_before"]
        both["change_percent"] = (
            both["change"]
            / both["copublications_before"].where(both["copublications_before"] > 0)
            * 100
        )
        volume = both.reindex(both["change"].abs().sort_values(ascending=False).index).head(top)
    now, before = _read(current, "survey_agreement"), _read(previous, "survey_agreement")
    if now is not None and before is not None:
        keys = ["block", "item_id"]
        pick = lambda t: t[(t["org_type"] == ALL) & (t["suppressed"] == "")][[*keys, "share_agree"]]  # noqa: E731
        both = pick(now).merge(pick(before), on=keys, suffixes=("", "_before"))
        both["change_points"] = (both["share_agree"] - both["share_agree_before"]) * 100
        survey = both.reindex(both["change_points"].abs().sort_values(ascending=False).index).head(
            top
        )
    return Changes(quadrant_moves, volume.reset_index(drop=True), survey.reset_index(drop=True))
