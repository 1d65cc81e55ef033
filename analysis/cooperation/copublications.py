"""Co-publications of Finnish institutions by partner country and year, from OpenAlex."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.countries import CountryResolver
from analysis.sources.openalex import read_group_by

HOME = "FI"
_BY_COUNTRY = re.compile(r"^fi_works_by_country_(\d{4})\.json$")


def finnish_output_by_year(folder: Path) -> pd.DataFrame:
    """Finnish works per year, the internationally co-authored ones, and their share."""
    totals, _ = read_group_by(folder / "fi_works_by_year.json")
    international, _ = read_group_by(folder / "fi_international_works_by_year.json")
    table = totals.rename(columns={"count": "works"})[["key", "works"]].merge(
        international.rename(columns={"count": "international_works"})[
            ["key", "international_works"]
        ],
        on="key",
        how="left",
        validate="one_to_one",
    )
    table["year"] = table.pop("key").astype(int)
    table["international_works"] = table["international_works"].fillna(0).astype("int64")
    if (table["international_works"] > table["works"]).any():
        raise ValueError(f"{folder}: more international works than works in some year")
    table["international_share"] = table["international_works"] / table["works"]
    return table.sort_values("year").reset_index(drop=True)[
        ["year", "works", "international_works", "international_share"]
    ]


def copublications_by_country(
    folder: Path, countries: CountryResolver
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Works co-authored with each partner country per year, the row accounting and rejects.

    A ``group_by`` answer has no rows as such: ``source_row`` is the 1-based position of the
    group in the answer's ``group_by`` list.
    """
    frames, accounting, rejects = [], [], []
    files = sorted(
        p for p in folder.glob("fi_works_by_country_*.json") if _BY_COUNTRY.match(p.name)
    )
    if not files:
        raise FileNotFoundError(f"no fi_works_by_country_YYYY.json files in {folder}")
    for path in files:
        year = int(_BY_COUNTRY.match(path.name).group(1))
        groups, _ = read_group_by(path)
        codes = groups["key"].map(lambda k: countries.codes.get(k))
        unknown = groups.loc[codes.isna(), "key"].tolist()
        if unknown:
            raise ValueError(f"{path.name}: unknown country keys {unknown} in column 'key'")
        groups = groups.assign(iso2=codes, year=year)
        home = groups["iso2"] == HOME
        accounting.append(
            {
                "source_file": path.name,
                "rows_read": len(groups),
                "kept": int((~home).sum()),
                "rejected": int(home.sum()),
                "rejected_reason": "Finland itself (the home country is not a partner)"
                if home.any()
                else "",
            }
        )
        frames.append(groups[~home])
        rejects += [
            {
                "source_file": path.name,
                "source_row": int(position) + 1,
                "reason": "Finland itself (the home country is not a partner)",
            }
            for position in groups.index[home]
        ]
    table = pd.concat(frames, ignore_index=True)
    table["country"] = table["iso2"].map(countries.name)
    table = table.rename(columns={"count": "works"})[["year", "iso2", "country", "works"]]
    table = table.sort_values(["year", "works"], ascending=[True, False]).reset_index(drop=True)
    return (
        table,
        pd.DataFrame(accounting),
        pd.DataFrame(rejects, columns=["source_file", "source_row", "reason"]),
    )
