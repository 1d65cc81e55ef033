"""World Bank indicators as the World Bank publishes them: the bulk CSV of the data portal
(``API_<indicator>_DS2_en_csv_v2_<n>.csv`` with its ``Metadata_Country_…`` file) and the
API v2 JSON answer. Used for the Worldwide Governance Indicators (WGI, API source 3:
``RL.EST`` rule of law, ``PV.EST`` political stability and absence of violence, ``CC.EST``
control of corruption, ``VA.EST`` voice and accountability), which are estimates of about
-2.5 … 2.5 (CC BY 4.0).

The bulk CSV carries a BOM, four preamble lines before its header, every field quoted and a
trailing comma on every line (an empty last column); it is wide (one column per year, WGI
values from 1996, with 1997, 1999 and 2001 empty), and mixes countries with regional and income
aggregates. The metadata file marks the aggregates with an empty ``Region``; without it, a row
with no value at all is taken for one (aggregates carry no WGI values). A code left that is no
ISO 3166 country is an error naming it.

The API answer is ``[meta, rows]`` (an error is ``[{"message": [...]}]``), each row with the
country's ISO2 code, the year as text and the value or null, newest year first; ``meta.pages``
above 1 means more pages, saved as ``name__p2.json`` … beside ``name.json``. The API's
``/v2/country`` answer names the aggregates (region "Aggregates"), as the metadata file does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.reference.countries import CountryResolver

# World Bank codes for places with an ISO code of their own under another code.
SOURCE_CODES = {"XKX": "XK"}
COLUMNS = ["iso2", "indicator", "year", "value"]


class WorldBankFormatError(ValueError):
    """A World Bank file is in no known layout; the message names the file and what is wrong."""


def _header_line(path: Path) -> int:
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle):
            if line.startswith('"Country Name"') or line.startswith("Country Name"):
                return number
            if number > 20:
                break
    raise WorldBankFormatError(f"{path.name}: no 'Country Name' header in its first lines")


def _aggregates(metadata: Path) -> set[str]:
    table = pd.read_csv(metadata, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    if not {"Country Code", "Region"} <= set(table.columns):
        raise WorldBankFormatError(f"{metadata.name}: no 'Country Code' and 'Region' columns")
    return set(table.loc[table["Region"].str.strip() == "", "Country Code"])


def _iso2(codes: pd.Series, countries: CountryResolver, where: str) -> pd.Series:
    mapped = codes.map(lambda c: SOURCE_CODES.get(c) or countries.codes.get(c))
    unknown = sorted(set(codes[mapped.isna()]))
    if unknown:
        raise WorldBankFormatError(f"{where}: codes that are no ISO 3166 country: {unknown}")
    return mapped


def read_bulk_csv(
    path: Path, countries: CountryResolver, metadata: Path | None = None
) -> pd.DataFrame:
    """Every country-year value of the file: ``iso2, indicator, year, value``."""
    frame = pd.read_csv(
        path, skiprows=_header_line(path), encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    frame = frame.loc[:, [c for c in frame.columns if not c.startswith("Unnamed")]]
    needed = {"Country Code", "Indicator Code"}
    if not needed <= set(frame.columns):
        raise WorldBankFormatError(f"{path.name}: no {sorted(needed)} columns")
    years = [c for c in frame.columns if c.strip().isdigit()]
    if not years:
        raise WorldBankFormatError(f"{path.name}: no year columns")
    long = frame.melt(id_vars=["Country Code", "Indicator Code"], value_vars=years, var_name="year")
    long["value"] = pd.to_numeric(long["value"].str.strip(), errors="coerce")
    if metadata is not None:
        long = long[~long["Country Code"].isin(_aggregates(metadata))]
    with_values = long.dropna(subset=["value"])
    table = pd.DataFrame(
        {
            "iso2": _iso2(with_values["Country Code"].str.strip(), countries, path.name),
            "indicator": with_values["Indicator Code"].str.strip(),
            "year": with_values["year"].astype(int),
            "value": with_values["value"].astype(float),
        }
    )
    return table.sort_values(["indicator", "iso2", "year"]).reset_index(drop=True)[COLUMNS]


def read_api_answer(path: Path) -> tuple[dict, list[dict]]:
    """One saved API v2 answer page: its ``meta`` and its rows."""
    try:
        answer = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise WorldBankFormatError(f"{path.name}: not JSON ({error.msg})") from None
    if not (isinstance(answer, list) and answer and isinstance(answer[0], dict)):
        raise WorldBankFormatError(f"{path.name}: not an API v2 answer ([meta, rows])")
    if "message" in answer[0]:  # the API's error answer: [{"message": [...]}]
        raise WorldBankFormatError(f"{path.name}: an API error answer: {answer[0]['message']}")
    if len(answer) != 2:
        raise WorldBankFormatError(f"{path.name}: not an API v2 answer ([meta, rows])")
    return answer[0], list(answer[1] or [])


def read_api_json(
    paths: Path | list[Path], countries: CountryResolver, aggregates: set[str] = frozenset()
) -> pd.DataFrame:
    """The values of a saved API v2 answer, every page of it (``name.json``, ``name__p2.json``
    …): ``iso2, indicator, year, value``. A page missing is an error naming the first absent
    one. Rows without a value are dropped; ``aggregates`` (codes from ``read_api_countries``)
    are dropped too, so a regional value is never taken for a country's."""
    paths = [paths] if isinstance(paths, Path) else sorted(paths)
    found, pages, seen = [], None, set()
    for path in paths:
        meta, rows = read_api_answer(path)
        pages = int(meta.get("pages", 1) or 1) if pages is None else pages
        seen.add(int(meta.get("page", 1) or 1))
        found += [
            {
                "code": str(row["country"]["id"]).strip(),
                "indicator": str(row["indicator"]["id"]),
                "year": int(row["date"]),
                "value": float(row["value"]),
            }
            for row in rows
            if row.get("value") is not None
        ]
    missing = sorted(set(range(1, (pages or 1) + 1)) - seen)
    if missing:
        raise WorldBankFormatError(
            f"{paths[0].name}: page {missing[0]} of {pages} is not saved: save every page"
        )
    table = pd.DataFrame(found, columns=["code", "indicator", "year", "value"])
    table = table[~table["code"].isin(aggregates)]
    table["iso2"] = _iso2(table["code"], countries, paths[0].name)
    return table.sort_values(["indicator", "iso2", "year"]).reset_index(drop=True)[COLUMNS]


def read_api_countries(paths: Path | list[Path]) -> set[str]:
    """The aggregates (regions, income groups) of a saved ``/v2/country`` answer: the codes
    whose region is "Aggregates" (id ``NA``), the API's counterpart of the bulk metadata file."""
    paths = [paths] if isinstance(paths, Path) else sorted(paths)
    codes = set()
    for path in paths:
        _, rows = read_api_answer(path)
        for row in rows:
            region = row.get("region") or {}
            if str(region.get("id", "")).strip() == "NA" or region.get("value") == "Aggregates":
                codes.add(str(row.get("iso2Code") or row.get("id")).strip())
    return codes


def api_meta(path: Path) -> dict:
    """The ``meta`` of a saved API answer page (``lastupdated`` dates the release)."""
    return read_api_answer(path)[0]


def latest_values(table: pd.DataFrame) -> pd.DataFrame:
    """Each country's latest value of each indicator, with its year."""
    latest = table.sort_values("year").groupby(["indicator", "iso2"]).tail(1)
    return latest.sort_values(["indicator", "iso2"]).reset_index(drop=True)[COLUMNS]
