"""Synthetic context data: the Academic Freedom Index in Our World in Data's layout."""

import random
from pathlib import Path

from analysis.demo.entities import COUNTRIES
from analysis.demo.writers import write_csv

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
    """Academic freedom in the layout Our World in Data publishes the V-Dem series in."""
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
    ]


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
