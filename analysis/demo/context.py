"""Synthetic context data: the Academic Freedom Index in Our World in Data's layout and the
World Bank's governance indicators (WGI) as the World Bank's API v2 answers them."""

import random
from pathlib import Path

from analysis.demo.entities import COUNTRIES
from analysis.demo.writers import write_csv, write_json

DEMO_ACADEMIC_FREEDOM = {
    "SE": 0.95,
    "NO": 0.95,
    "DK": 0.94,
    "DE": 0.95,
    "NL": 0.93,
    "GB": 0.90,
    "FR": 0.88,
    "IT": 0.90,
    "ES": 0.89,
    "EE": 0.94,
    "CH": 0.93,
    "US": 0.80,
    "CA": 0.91,
    "AU": 0.90,
    "JP": 0.85,
    "KR": 0.84,
    "TW": 0.88,
    "IN": 0.40,
    "BR": 0.60,
    "ZA": 0.85,
    "SG": 0.45,
    "HK": 0.35,
    "CN": 0.08,
    "RU": 0.15,
    "BY": 0.08,
    "IR": 0.12,
    "SA": 0.10,
    "TR": 0.18,
    "IL": 0.75,
    "UA": 0.70,
    "PK": 0.40,
    "VN": 0.20,
    "KE": 0.70,
    "XK": 0.70,
}


def write_context_demo(target: Path, rng: random.Random) -> list[Path]:
    """Academic freedom in the layout Our World in Data publishes the V-Dem series in, then
    the governance indicators (drawn after it, so the academic freedom values do not move)."""
    rows = []
    for country in COUNTRIES:
        code = {"XK": "XKX"}.get(country.iso2) or _ISO3[country.iso2]
        base = DEMO_ACADEMIC_FREEDOM[country.iso2]
        for year in (2020, 2021, 2022, 2023):
            value = min(1.0, max(0.0, base + rng.uniform(-0.03, 0.03)))
            rows.append([country.en, code, year, f"{value:.3f}"])
    rows.append(["World", "OWID_WRL", 2023, "0.550"])  # aggregates are in the real file too
    return [
        write_csv(
            target / "context" / "academic_freedom_index.csv",
            ["Entity", "Code", "Year", "Academic Freedom Index (central estimate)"],
            rows,
            line_terminator="\n",
        ),
        *write_governance_demo(target, rng),
    ]


# Each WGI estimate's offset from a country's overall level, and its title in the API answer.
DEMO_WGI = {
    "RL.EST": (0.0, "Rule of Law: Estimate"),
    "PV.EST": (-0.25, "Political Stability and Absence of Violence/Terrorism: Estimate"),
    "CC.EST": (0.05, "Control of Corruption: Estimate"),
    "VA.EST": (0.15, "Voice and Accountability: Estimate"),
}
DEMO_WGI_RELEASE = "2024-09-26"
DEMO_WGI_YEARS = (2024, 2023, 2022, 2021, 2020, 2019)  # newest first, as the API answers


def _api_row(code: str, title: str, iso2: str, name: str, year: int, value) -> dict:
    iso3 = {"XK": "XKX"}.get(iso2) or _ISO3.get(iso2, "WLD")
    return {
        "indicator": {"id": code, "value": title},
        "country": {"id": iso2, "value": name},
        "countryiso3code": iso3,
        "date": str(year),
        "value": value,
        "unit": "",
        "obs_status": "",
        "decimal": 0,
    }


def write_governance_demo(target: Path, rng: random.Random) -> list[Path]:
    """The four WGI estimates (about -2.5 … 2.5) for every demo country, 2019–2023, with 2024
    still null as in a fresh release, and the World aggregate ("1W") mixed in as the real
    answer mixes aggregates; plus the country list that names the aggregate."""
    written = []
    for code, (offset, title) in DEMO_WGI.items():
        rows = []
        for country in COUNTRIES:
            level = (DEMO_ACADEMIC_FREEDOM[country.iso2] - 0.55) * 4.5 + offset
            for year in DEMO_WGI_YEARS:
                value = None
                if year != DEMO_WGI_YEARS[0]:
                    value = round(min(2.4, max(-2.4, level + rng.uniform(-0.15, 0.15))), 6)
                rows.append(_api_row(code, title, country.iso2, country.en, year, value))
        rows += [_api_row(code, title, "1W", "World", y, None) for y in DEMO_WGI_YEARS[:1]]
        rows += [_api_row(code, title, "1W", "World", y, 0.0) for y in DEMO_WGI_YEARS[1:]]
        meta = {
            "page": 1,
            "pages": 1,
            "per_page": 20000,
            "total": len(rows),
            "sourceid": "3",
            "lastupdated": DEMO_WGI_RELEASE,
        }
        written.append(write_json(target / "context" / f"worldbank_wgi_{code}.json", [meta, rows]))
    listed = [
        {
            "id": {"XK": "XKX"}.get(c.iso2) or _ISO3[c.iso2],
            "iso2Code": c.iso2,
            "name": c.en,
            "region": {"id": "ECS", "iso2code": "Z7", "value": "Europe & Central Asia"},
        }
        for c in COUNTRIES
    ]
    listed.append(
        {
            "id": "WLD",
            "iso2Code": "1W",
            "name": "World",
            "region": {"id": "NA", "iso2code": "NA", "value": "Aggregates"},
        }
    )
    meta = {"page": 1, "pages": 1, "per_page": "400", "total": len(listed)}
    written.append(write_json(target / "context" / "worldbank_countries.json", [meta, listed]))
    return written


_ISO3 = {
    "SE": "SWE",
    "US": "USA",
    "GB": "GBR",
    "DE": "DEU",
    "FR": "FRA",
    "IT": "ITA",
    "NL": "NLD",
    "NO": "NOR",
    "ES": "ESP",
    "DK": "DNK",
    "CN": "CHN",
    "EE": "EST",
    "CH": "CHE",
    "AU": "AUS",
    "CA": "CAN",
    "JP": "JPN",
    "KR": "KOR",
    "IN": "IND",
    "RU": "RUS",
    "BR": "BRA",
    "ZA": "ZAF",
    "SG": "SGP",
    "TW": "TWN",
    "HK": "HKG",
    "IR": "IRN",
    "SA": "SAU",
    "TR": "TUR",
    "IL": "ISR",
    "UA": "UKR",
    "BY": "BLR",
    "PK": "PAK",
    "VN": "VNM",
    "KE": "KEN",
}
