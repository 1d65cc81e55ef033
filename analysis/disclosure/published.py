"""Reading a release as a reader can: every cell its CSVs publish about groups of respondents.

Nothing here looks at ``data/processed``: the cells, the groups they belong to and the sums
that tie them are rebuilt from the published files alone. A CSV is recognised by its columns:

- a sector table (``org_type`` with ``n``): all respondents and each sector;
- an institution table (``organisation_key`` and ``group``): one organisation (``group`` =
  ``institution``), its sector and all respondents; the file names the organisation and its
  sector, so the release tells a reader every sector's members;
- a list of counts with ``respondents`` (countries named, comment themes): checked cell by
  cell, as they add up to no published total.

Counts behind shares are recovered from the share and ``n`` (``agree``; each Likert point;
the readiness index as points and ``share_yes`` as yes answers); counts published as such
(an organisation's yes, partly and no answers) are read as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

ALL = "all"
INSTITUTION = "institution"
_SHARES = {f"share_{k}": f"count_{k}" for k in range(1, 6)}
_SHARES.update({"share_agree": "agree", "share_yes": "yes", "readiness": "points"})


@dataclass
class Cell:
    """One group's published values for one question, and the files that show them."""

    counts: dict[str, float] | None  # None: the release marks it withheld
    sources: set[str] = field(default_factory=set)


@dataclass
class OrganisationCells:
    """One institution report's organisation counts for one item: its own status, and its
    sector without it (None where withheld), as (decided organisations, in place)."""

    source: str
    key: str
    sector: str
    item_id: str
    decided: bool  # its own status is in place, partly or not in place (not a tie, no answer)
    in_place: bool
    without: tuple[float, float] | None


@dataclass
class Published:
    """Everything the release says about groups of respondents."""

    # question → node → cell; a question is ("scale", block, item) or ("preparedness", item)
    cells: dict[tuple, dict[str, Cell]] = field(default_factory=dict)
    members: dict[str, set[str]] = field(default_factory=dict)  # sector node → organisations
    sectors: set[str] = field(default_factory=set)
    listed: list[tuple[str, str, float]] = field(default_factory=list)  # (file, row, count)
    # Counts of organisations (the unit of organisational items): an organisation's status
    # beside its sector without it, one entry per report and item (see ``OrganisationCells``).
    organisation_cells: list[OrganisationCells] = field(default_factory=list)
    conflicts: list[tuple[tuple, str, str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # CSVs read as survey results
    other: list[str] = field(default_factory=list)  # CSVs about something else

    def add(self, question: tuple, node: str, counts: dict[str, float] | None, source: str):
        cell = self.cells.setdefault(question, {}).setdefault(node, Cell(None))
        if counts is not None:
            if cell.counts is None and cell.sources:
                self.conflicts.append((question, node, source, ", ".join(sorted(cell.sources))))
            merged = dict(cell.counts or {})
            for measure, value in counts.items():
                if measure in merged and abs(merged[measure] - value) > 1e-6:
                    self.conflicts.append((question, node, source, ", ".join(sorted(cell.sources))))
                merged[measure] = value
            cell.counts = merged
        elif cell.counts is not None:
            self.conflicts.append((question, node, source, ", ".join(sorted(cell.sources))))
        cell.sources.add(source)


def sector_node(sector: str) -> str:
    return ALL if sector == ALL else f"org_type:{sector}"


def organisation_node(key: str) -> str:
    return f"organisation_key:{key}"


def _counts(row: pd.Series) -> dict[str, float] | None:
    """The row's counts, or None where it is marked withheld."""
    if str(row.get("suppressed", "") or "") not in ("", "nan") or pd.isna(row.get("n")):
        return None
    n = float(row["n"])
    counts = {"n": n}
    for column in ("agree", "dont_know", "yes", "partly", "no"):
        if column in row and pd.notna(row[column]):
            counts[column] = float(row[column])
    for share, count in _SHARES.items():
        if share in row and pd.notna(row[share]) and count not in counts:
            counts[count] = round(float(row[share]) * n * 2) / 2  # halves: readiness points
    return counts


def _question(row: pd.Series) -> tuple:
    if "block" in row and pd.notna(row["block"]):
        return ("scale", str(row["block"]), str(row["item_id"]))
    return ("preparedness", str(row["item_id"]))


def _read(path: Path) -> pd.DataFrame | None:
    try:
        return pd.read_csv(
            path, encoding="utf-8-sig", keep_default_na=True, dtype={"suppressed": str}
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        return None


def read_release(folder: Path) -> Published:
    """Every published cell about respondents in the CSVs under ``folder``."""
    published = Published()
    for path in sorted(folder.rglob("*.csv")):
        name = path.relative_to(folder).as_posix()
        table = _read(path)
        if table is None or "item_id" not in table and "respondents" not in table:
            published.other.append(name)
            continue
        columns = set(table.columns)
        if {"organisation_key", "group", "item_id", "n"} <= columns:
            _institution_table(published, table, name)
        elif {"org_type", "item_id", "n"} <= columns:
            for _, row in table.iterrows():
                sector = str(row["org_type"])
                if sector != ALL:
                    published.sectors.add(sector_node(sector))
                published.add(_question(row), sector_node(sector), _counts(row), name)
        elif "respondents" in columns:
            shown = table[
                table.get("suppressed", pd.Series("", index=table.index)).fillna("") == ""
            ]
            for index, row in shown.iterrows():
                if pd.notna(row["respondents"]):
                    published.listed.append((name, str(index + 2), float(row["respondents"])))
        else:
            published.other.append(name)
            continue
        published.files.append(name)
    return published


def _institution_table(published: Published, table: pd.DataFrame, name: str) -> None:
    keys = set(table["organisation_key"].dropna().astype(str))
    if len(keys) != 1:
        published.other.append(name)
        return
    (key,) = keys
    organisation = organisation_node(key)
    for _, row in table.iterrows():
        group = str(row["group"])
        if group == INSTITUTION:
            node = organisation
        else:
            node = sector_node(group)
            if group != ALL:
                published.sectors.add(node)
                published.members.setdefault(node, set()).add(organisation)
        published.add(_question(row), node, _counts(row), name)
    if {"status", "sector", "sector_organisations", "sector_in_place"} <= set(table.columns):
        for _, row in table.iterrows():
            shown = str(row.get("sector_suppressed", "") or "") in ("", "nan")
            published.organisation_cells.append(
                OrganisationCells(
                    name,
                    key,
                    str(row["sector"]),
                    str(row["item_id"]),
                    str(row["status"]) in ("in_place", "partly", "not_in_place"),
                    str(row["status"]) == "in_place",
                    (float(row["sector_organisations"]), float(row["sector_in_place"]))
                    if shown and pd.notna(row["sector_organisations"])
                    else None,
                )
            )


def questions(published: Published) -> Iterator[tuple[tuple, dict[str, Cell]]]:
    yield from published.cells.items()
