"""Governance context: the World Bank's Worldwide Governance Indicators (WGI) per country.

Four estimates (about -2.5 … 2.5, higher is better governance), each the latest year a
country has: rule of law (``RL.EST``), political stability and absence of violence/terrorism
(``PV.EST``), control of corruption (``CC.EST``) and voice and accountability (``VA.EST``).
They are read from ``context/`` in either published form, whichever is there:

- the API v2 answers ``python -m analysis fetch --source wgi`` saves,
  ``worldbank_wgi_<code>.json`` (further pages ``…__p2.json``), with the country list
  ``worldbank_countries.json`` that names the aggregates;
- the data portal's bulk CSV ``API_<code>_DS2_*.csv`` with its ``Metadata_Country_…`` file.

An indicator with no file gives no values (missing, never zero).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.reference.countries import CountryResolver
from analysis.sources.worldbank import (
    latest_values,
    read_api_countries,
    read_api_json,
    read_bulk_csv,
)

# WGI code -> the column of ``country_context`` (its year in ``<column>_year``).
WGI = {
    "RL.EST": "rule_of_law",
    "PV.EST": "political_stability",
    "CC.EST": "control_of_corruption",
    "VA.EST": "voice_accountability",
}
API_PREFIX = "worldbank_wgi_"
COUNTRY_LIST = "worldbank_countries"


def api_files(context: Path, stem: str) -> list[Path]:
    """A saved answer's pages: ``<stem>.json`` and ``<stem>__p<n>.json``."""
    first = context / f"{stem}.json"
    return [first, *sorted(context.glob(f"{stem}__p*.json"))] if first.is_file() else []


def wgi_values(context: Path, countries: CountryResolver) -> pd.DataFrame:
    """Every country-year WGI value found in ``context``: ``iso2, indicator, year, value``."""
    listed = api_files(context, COUNTRY_LIST)
    aggregates = read_api_countries(listed) if listed else set()
    frames = []
    for code in WGI:
        pages = api_files(context, f"{API_PREFIX}{code}")
        if pages:
            frames.append(read_api_json(pages, countries, aggregates))
        bulk = sorted(context.glob(f"API_{code}_DS2*.csv"))
        if bulk:
            metadata = sorted(context.glob(f"Metadata_Country_API_{code}_DS2*.csv"))
            frames.append(read_bulk_csv(bulk[-1], countries, metadata[-1] if metadata else None))
    if not frames:
        return pd.DataFrame(columns=["iso2", "indicator", "year", "value"])
    found = pd.concat(frames, ignore_index=True)
    return found[found["indicator"].isin(WGI)].drop_duplicates(["iso2", "indicator", "year"])


def governance_indicators(context: Path, countries: CountryResolver) -> pd.DataFrame:
    """One row per country with a WGI value: each indicator's latest estimate and its year
    (``rule_of_law``, ``rule_of_law_year``, …; missing where the country has none)."""
    columns = ["iso2"] + [c for name in WGI.values() for c in (name, f"{name}_year")]
    latest = latest_values(wgi_values(context, countries))
    if latest.empty:
        return pd.DataFrame(columns=columns).astype(
            {c: (str if c == "iso2" else float) for c in columns}
        )
    latest = latest.assign(indicator=latest["indicator"].map(WGI))
    values = latest.pivot(index="iso2", columns="indicator", values="value")
    years = latest.pivot(index="iso2", columns="indicator", values="year").add_suffix("_year")
    table = pd.concat([values, years], axis=1).reindex(columns=columns[1:]).astype(float)
    return table.reset_index().rename_axis(columns=None)[columns]
