"""Co-publications of Finnish institutions by partner country and year, from OpenAlex."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from analysis.reference.countries import CountryResolver
from analysis.sources.openalex import normalise_key, read_group_by

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


_MIX_FILE = re.compile(r"^fi_(fields|subfields)_with_([A-Z]{2})\.json$")
_CRITICAL_FILE = re.compile(r"^fi_critical_by_year_with_([A-Z]{2})\.json$")
NO_COPUBLICATION_COUNT = "no co-publication count for the partner in that year"


def critical_by_partner_year(
    folder: Path, countries: CountryResolver, copublications: pd.DataFrame
) -> tuple[pd.DataFrame, list[dict[str, object]], pd.DataFrame]:
    """Co-publications in the critical technology subfields by partner and year, and their
    share of all co-publications with the partner that year.

    One saved answer per partner (``fi_critical_by_year_with_<CC>.json``, grouped by year);
    ``copublications`` is the table of :func:`copublications_by_country`. A year the answer
    leaves out had no critical works: it is 0 for every year with co-publications. A year
    without a co-publication count is rejected; more critical works than co-publications
    means the files do not belong together, and stops the run.
    """
    columns = [
        "partner_country",
        "year",
        "critical_copublications",
        "copublications",
        "critical_share",
    ]
    frames, accounting, rejects = [], [], []
    for path in sorted(folder.glob("fi_critical_by_year_with_*.json")):
        found = _CRITICAL_FILE.match(path.name)
        if not found or found.group(1) not in countries.codes or found.group(1) == HOME:
            raise ValueError(f"{path.name}: the file name does not name a partner country code")
        partner = found.group(1)
        groups, _ = read_group_by(path)
        if not groups["key"].str.fullmatch(r"\d{4}").all():
            odd = groups.loc[~groups["key"].str.fullmatch(r"\d{4}"), "key"].tolist()
            raise ValueError(f"{path.name}: keys {odd[:5]} in column 'key' are not years")
        groups["year"] = groups["key"].astype(int)
        known = groups["year"].isin(copublications.loc[copublications["iso2"] == partner, "year"])
        rejects += [
            {
                "source_file": path.name,
                "source_row": int(position) + 1,
                "reason": NO_COPUBLICATION_COUNT,
            }
            for position in groups.index[~known]
        ]
        accounting.append(
            {
                "source_file": path.name,
                "rows_read": len(groups),
                "kept": int(known.sum()),
                "rejected": int((~known).sum()),
                "rejected_reason": f"{NO_COPUBLICATION_COUNT} ({int((~known).sum())})"
                if (~known).any()
                else "",
            }
        )
        years = copublications.loc[copublications["iso2"] == partner, ["year", "works"]]
        table = years.merge(
            groups.loc[known, ["year", "count"]], on="year", how="left", validate="one_to_one"
        )
        table["count"] = table["count"].fillna(0).astype("int64")
        over = table[table["count"] > table["works"]]
        if len(over):
            raise ValueError(
                f"{path.name}: more critical works than co-publications with {partner} in "
                f"{over['year'].tolist()}: the files come from different downloads"
            )
        frames.append(
            pd.DataFrame(
                {
                    "partner_country": partner,
                    "year": table["year"],
                    "critical_copublications": table["count"],
                    "copublications": table["works"],
                    "critical_share": table["count"] / table["works"],
                }
            )
        )
    result = (
        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    ).sort_values(["partner_country", "year"])
    return (
        result.reset_index(drop=True)[columns],
        accounting,
        pd.DataFrame(rejects, columns=["source_file", "source_row", "reason"]),
    )


def partner_institutions(
    folder: Path, countries: CountryResolver
) -> tuple[pd.DataFrame, dict[str, object], pd.DataFrame]:
    """Co-publishing institutions (OpenAlex lineage groups) with name, ROR, country and type.

    Details come from the saved ``/institutions`` answer for the largest partners; groups
    without details keep an empty country. Finnish institutions are the home side, not
    partners, and are accounted as such.
    """
    groups, _ = read_group_by(folder / "fi_partner_institutions.json")
    details_path = folder / "fi_partner_institutions_details.json"
    details = pd.DataFrame(columns=["id", "display_name", "ror", "country_code", "type"])
    if details_path.is_file():
        body = json.loads(details_path.read_text(encoding="utf-8"))
        details = pd.DataFrame(body.get("results", []), columns=list(details.columns))
    details["id"] = details["id"].map(normalise_key)
    repeated = sorted(set(details.loc[details["id"].duplicated(), "id"]))
    if repeated:
        raise ValueError(f"{details_path.name}: institutions repeat {repeated[:5]}")
    table = groups.merge(details, left_on="key", right_on="id", how="left", validate="one_to_one")
    table["iso2"] = table["country_code"].map(
        lambda code: countries.codes.get(str(code).upper()) if isinstance(code, str) else None
    )
    unknown = table["country_code"].notna() & table["iso2"].isna()
    if unknown.any():
        raise ValueError(
            f"{details_path.name}: unknown country codes {sorted(set(table.loc[unknown, 'country_code']))} "
            "in column 'country_code'"
        )
    home = table["iso2"] == HOME
    result = pd.DataFrame(
        {
            "institution_id": table["key"],
            "name": table["display_name"].fillna(table["key_display_name"]),
            "ror": table["ror"],
            "iso2": table["iso2"],
            "type": table["type"],
            "works": table["count"],
        }
    )[~home].reset_index(drop=True)
    accounting = {
        "source_file": "fi_partner_institutions.json",
        "rows_read": len(table),
        "kept": int((~home).sum()),
        "rejected": int(home.sum()),
        "rejected_reason": "Finnish institutions (the home side)" if home.any() else "",
    }
    rejects = pd.DataFrame(
        {
            "source_file": "fi_partner_institutions.json",
            "source_row": table.index[home] + 1,
            "reason": "Finnish institution (the home side, not a partner)",
        }
    )
    return result, accounting, rejects


def fields_by_partner(
    folder: Path, countries: CountryResolver, level: str = "fields"
) -> pd.DataFrame:
    """Co-publications with each (large) partner country by OpenAlex field or subfield."""
    frames = []
    for path in sorted(folder.glob(f"fi_{level}_with_*.json")):
        found = _MIX_FILE.match(path.name)
        if not found or found.group(2) not in countries.codes:
            raise ValueError(f"{path.name}: the file name does not name a country code")
        groups, _ = read_group_by(path)
        frames.append(
            pd.DataFrame(
                {
                    "iso2": found.group(2),
                    "field_id": groups["key"].astype(int),
                    "field": groups["key_display_name"],
                    "works": groups["count"],
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=["iso2", "field_id", "field", "works", "share"])
    table = pd.concat(frames, ignore_index=True)
    table["share"] = table["works"] / table.groupby("iso2")["works"].transform("sum")
    return table
