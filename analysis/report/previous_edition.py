"""What moved since the previous edition: quadrants, cooperation volume, survey shares.

The previous edition is the processed-data folder of an earlier run (kept, for instance, as
``data/editions/2024/``). Only tables both editions have are compared; each change is shown
with its size. A survey share's change is called a change only when the 95 % interval of the
difference excludes zero; the interval comes from each edition's published share and interval
(MOVER, Newcombe's method 10), so it holds whatever interval each edition used. A country whose
class is uncertain in either edition, or rests on one indicator in either, is not reported as
moving; how many were left out is kept. Older editions may lack columns: what cannot be
compared is left out, never guessed. An edition that contradicts its own cells (a share that is
not its count over its base, a class that is not the one most of its draws support) is not
compared at all: ``InconsistentEdition`` names the rows.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.scoring.model import UNCERTAIN
from analysis.survey.analyse import ALL, wilson_interval

CHANGE = "change"  # the difference's 95 % interval excludes zero
NO_CLEAR_CHANGE = "no_clear_change"  # it includes zero
NO_INTERVAL = "no_interval"  # an edition gives neither an interval nor the counts for one


class InconsistentEdition(ValueError):
    """An edition whose published cells contradict each other; the message names the rows."""


CLASS_SHARE = re.compile(r"^share_(high|low)_opportunity_(high|low)_threat$")
SHARE_TOLERANCE = 1e-6  # a stored share against its count over its base (float round trips)


def check_consistent(folder: Path, name: str, table: pd.DataFrame) -> None:
    """Raise ``InconsistentEdition`` where ``table`` (``survey_agreement`` or
    ``country_scores`` of the edition in ``folder``) contradicts itself: a share agreeing that
    is not agree / n; a published class that is not the one most of the draws support."""
    problems: list[str] = []
    if name == "survey_agreement" and {"agree", "n", "share_agree"} <= set(table):
        rows = table.dropna(subset=["agree", "n", "share_agree"])
        rows = rows[rows["n"].astype(float) > 0]
        computed = rows["agree"].astype(float) / rows["n"].astype(float)
        off = rows[(computed - rows["share_agree"].astype(float)).abs() > SHARE_TOLERANCE]
        problems += [
            f"{r.item_id} ({getattr(r, 'org_type', ALL)}): share {float(r.share_agree):.4f} "
            f"but {int(r.agree)} of {int(r.n)}"
            for r in off.itertuples(index=False)
        ]
    shares = [c for c in table if CLASS_SHARE.match(c)]  # the draws' support of each class
    if name == "country_scores" and shares:
        for row in table.itertuples(index=False):
            quadrant = str(row.quadrant)
            if f"share_{quadrant}" not in shares:
                continue  # uncertain or not placed: no class to support
            supported = max(shares, key=lambda c: float(getattr(row, c) or 0))
            if supported != f"share_{quadrant}":
                problems.append(
                    f"{row.iso2}: published {quadrant}, but most draws support "
                    f"{supported.removeprefix('share_')}"
                )
    if problems:
        raise InconsistentEdition(
            f"{folder}: {name} contradicts its own cells, so it is not compared: "
            + "; ".join(problems[:10])
            + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        )


@dataclass
class Changes:
    quadrants: pd.DataFrame
    volume: pd.DataFrame
    survey: pd.DataFrame
    # Countries whose class differs between the editions but is uncertain in either of them:
    # not moves (iso2, quadrant, quadrant_before).
    uncertain: pd.DataFrame | None = None
    # ... and those whose class rests on one indicator in either edition (not moves either).
    resting: pd.DataFrame | None = None
    volume_compared: bool = False  # both editions have co-publications by country

    @property
    def resting_left_out(self) -> int:
        return 0 if self.resting is None else len(self.resting)

    @property
    def uncertain_left_out(self) -> int:
        return 0 if self.uncertain is None else len(self.uncertain)


def difference_interval(
    now: float,
    now_low: float,
    now_high: float,
    before: float,
    before_low: float,
    before_high: float,
) -> tuple[float, float]:
    """The 95 % interval of ``now - before`` from each share's own interval (MOVER: Newcombe
    1998, method 10, with whatever interval each edition published): the distance of each
    share to its bounds, combined in quadrature on the side that widens the difference."""
    difference = now - before
    low = difference - math.sqrt((now - now_low) ** 2 + (before_high - before) ** 2)
    high = difference + math.sqrt((now_high - now) ** 2 + (before - before_low) ** 2)
    return low, high


def _with_intervals(table: pd.DataFrame) -> pd.DataFrame:
    """The published interval of each share or, from an edition that kept none, the Wilson
    interval of its counts; NaN where neither is there."""
    table = table.copy()
    if {"ci_low", "ci_high"} <= set(table):
        return table
    if {"agree", "n"} <= set(table):
        bounds = [
            wilson_interval(int(k), int(n))
            if pd.notna(k) and pd.notna(n) and n > 0
            else (math.nan,) * 2
            for k, n in zip(table["agree"], table["n"], strict=True)
        ]
        table["ci_low"] = [b[0] for b in bounds]
        table["ci_high"] = [b[1] for b in bounds]
        return table
    return table.assign(ci_low=math.nan, ci_high=math.nan)


def _read(folder: Path, name: str) -> pd.DataFrame | None:
    path = folder / f"{name}.parquet"
    if not path.is_file():
        return None
    table = pd.read_parquet(path)
    check_consistent(folder, name, table)
    return table


def _have(table: pd.DataFrame | None, columns: list[str]) -> bool:
    """The table is there and has ``columns`` (an older edition may lack some)."""
    return table is not None and set(columns) <= set(table)


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
    uncertain = None
    now, before = _read(current, "country_scores"), _read(previous, "country_scores")
    if now is not None and before is not None:
        # Keys, not labels. Tables written before quadrants were stored as keys kept the key
        # beside a translated label. A country scored in only one edition has entered or left
        # the scored set, which is a change too.
        now, before = _with_quadrant_keys(now), _with_quadrant_keys(before)
    columns = ["iso2", "quadrant"]
    resting = None
    if _have(now, columns) and _have(before, columns):
        kept = [*columns, "depends_on"]
        both = now.reindex(columns=kept).merge(
            before.reindex(columns=kept), on="iso2", suffixes=("", "_before"), how="outer"
        )
        moved = both["quadrant"].fillna("") != both["quadrant_before"].fillna("")
        # A country whose class the draws do not settle in either edition has not moved from
        # one class to another: its evidence supports neither reading firmly.
        unsettled = both["quadrant"].eq(UNCERTAIN) | both["quadrant_before"].eq(UNCERTAIN)
        uncertain = both[moved & unsettled][columns + ["quadrant_before"]].reset_index(drop=True)
        moved &= ~unsettled
        # Nor has one whose class a single indicator decides in either edition.
        one = both["depends_on"].fillna("").astype(str).str.strip().ne("") | both[
            "depends_on_before"
        ].fillna("").astype(str).str.strip().ne("")
        resting = both[moved & one][columns + ["quadrant_before"]].reset_index(drop=True)
        moved &= ~one
        both = both.drop(columns=["depends_on", "depends_on_before"])
        quadrant_moves = both[moved].fillna({"quadrant": not_scored, "quadrant_before": not_scored})
        quadrant_moves = quadrant_moves.reset_index(drop=True)
    now, before = (
        _read(current, "cooperation_by_country"),
        _read(previous, "cooperation_by_country"),
    )
    volume_compared = _have(now, ["iso2", "copublications"]) and _have(
        before, ["iso2", "copublications"]
    )
    if volume_compared:
        both = (
            now[["iso2", "copublications"]]
            .merge(
                before[["iso2", "copublications"]], on="iso2", suffixes=("", "_before"), how="outer"
            )
            .fillna(0)
        )
        both["change"] = both["copublications"] - both["copublications_before"]
        both = both[both["change"] != 0]  # only what changed; none at all is said so
        both["change_percent"] = (
            both["change"]
            / both["copublications_before"].where(both["copublications_before"] > 0)
            * 100
        )
        volume = both.reindex(both["change"].abs().sort_values(ascending=False).index).head(top)
    now, before = _read(current, "survey_agreement"), _read(previous, "survey_agreement")
    if now is not None and before is not None:
        survey = survey_changes(now, before, top)
    return Changes(
        quadrant_moves,
        volume.reset_index(drop=True),
        survey.reset_index(drop=True),
        uncertain,
        resting,
        volume_compared,
    )


def _published(table: pd.DataFrame) -> pd.DataFrame:
    keys = ["block", "item_id", "share_agree"]
    if not set(keys) <= set(table):
        return pd.DataFrame(columns=[*keys, "ci_low", "ci_high"])
    rows = table
    if "org_type" in rows:
        rows = rows[rows["org_type"] == ALL]
    if "suppressed" in rows:
        rows = rows[rows["suppressed"].fillna("") == ""]
    rows = _with_intervals(rows.dropna(subset=["share_agree"]))
    return rows[[*keys, "ci_low", "ci_high"]].astype(
        {"share_agree": float, "ci_low": float, "ci_high": float}
    )


def survey_changes(now: pd.DataFrame, before: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The shares agreeing both editions publish, largest difference first, each with the 95 %
    interval of its difference (``change_low``, ``change_high``, in points) and a ``reading``:
    ``change`` when the interval excludes zero, ``no_clear_change`` when it includes it,
    ``no_interval`` when an edition gives neither an interval nor its counts."""
    both = _published(now).merge(
        _published(before), on=["block", "item_id"], suffixes=("", "_before")
    )
    both["change_points"] = (both["share_agree"] - both["share_agree_before"]) * 100
    bounds = [
        difference_interval(*values)
        for values in zip(
            both["share_agree"],
            both["ci_low"],
            both["ci_high"],
            both["share_agree_before"],
            both["ci_low_before"],
            both["ci_high_before"],
            strict=True,
        )
    ]
    both["change_low"] = [low * 100 for low, _ in bounds]
    both["change_high"] = [high * 100 for _, high in bounds]
    known = both["change_low"].notna() & both["change_high"].notna()
    excludes_zero = (both["change_low"] > 0) | (both["change_high"] < 0)
    both["reading"] = NO_INTERVAL
    both.loc[known, "reading"] = NO_CLEAR_CHANGE
    both.loc[known & excludes_zero, "reading"] = CHANGE
    order = both["change_points"].abs().sort_values(ascending=False, kind="stable").index
    return both.reindex(order).head(top).reset_index(drop=True)
