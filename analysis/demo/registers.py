"""Synthetic agreement registers (English XLSX, Finnish CSV, each with its own columns and a
mapping file) and student mobility by country in the Finnish statistics layout."""

import random
from pathlib import Path

from analysis.demo.entities import COUNTRIES
from analysis.demo.openalex import year_volume
from analysis.demo.writers import write_csv, write_xlsx, write_yaml

REGISTER_NOTE = "Maps this register's columns and values onto the tidy agreement table."
YEARS = list(range(2015, 2025))


AGREEMENT_TYPES_EN = [
    "Student exchange",
    "Research cooperation",
    "Double degree",
    "Memorandum of understanding",
    "Contract research",
]
AGREEMENT_CODES = [
    "student_exchange",
    "research",
    "joint_or_double_degree",
    "memorandum_of_understanding",
    "contract_research",
]
AGREEMENT_TYPES_FI = [
    "Opiskelijavaihto",
    "Tutkimusyhteistyö",
    "Kaksoistutkinto",
    "Aiesopimus",
    "Tilaustutkimus",
]


def write_agreements_demo(target: Path, rng: random.Random) -> list[Path]:
    folder = target / "agreements"
    english_rows = [
        ["Partner institution", "Country", "Agreement type", "Start", "End", "Field", "Status"]
    ]
    for number in range(45):
        country = rng.choice(COUNTRIES)
        name = rng.choice([country.en, *country.variants]) if rng.random() < 0.2 else country.en
        start = rng.randrange(2012, 2025)
        english_rows.append(
            [
                f"Partner University {country.iso2}-{number}",
                name,
                rng.choice(AGREEMENT_TYPES_EN),
                f"{start}-0{rng.randrange(1, 10)}-01",
                f"{start + rng.choice([3, 5])}-12-31",
                rng.choice(["Engineering", "Natural sciences", "Business", "Health", "All fields"]),
                rng.choice(["Active", "Active", "Expired", "In preparation"]),
            ]
        )
    finnish_rows = []
    for number in range(30):
        country = rng.choice(COUNTRIES)
        name = rng.choice([country.fi, country.fi, *country.variants])
        start = rng.randrange(2014, 2025)
        finnish_rows.append(
            [
                f"Kumppanikorkeakoulu {country.iso2}-{number}",
                name,
                rng.choice(AGREEMENT_TYPES_FI),
                f"1.{rng.randrange(1, 13)}.{start}",
                f"31.12.{start + rng.choice([2, 4, 5])}",
                rng.choice(["Tekniikka", "Sosiaali- ja terveysala", "Liiketalous", "Kaikki alat"]),
                rng.choice(["Voimassa", "Voimassa", "Päättynyt"]),
            ]
        )
    # Faults real registers have: a status nobody defined, a date nobody knew, an odd type.
    finnish_rows[4][6] = "Tarkistettava"
    finnish_rows[11][3] = "ei tiedossa"
    english_rows[9][2] = "Other"
    english_rows[17][4] = ""  # open-ended agreement: no end date, which is allowed
    english_mapping = {
        "register": "UNI-A_partner_agreements.xlsx",
        "organisation_key": "UNI-A",
        "columns": {
            "partner": "Partner institution",
            "country": "Country",
            "agreement_type": "Agreement type",
            "start": "Start",
            "end": "End",
            "field": "Field",
            "status": "Status",
        },
        "date_format": "%Y-%m-%d",
        "values": {
            "agreement_type": dict(zip(AGREEMENT_TYPES_EN, AGREEMENT_CODES, strict=True)),
            "status": {"Active": "active", "Expired": "ended", "In preparation": "planned"},
        },
    }
    finnish_mapping = {
        "register": "UAS-07_sopimusrekisteri.csv",
        "organisation_key": "UAS-07",
        "columns": {
            "partner": "Kumppani",
            "country": "Maa",
            "agreement_type": "Sopimustyyppi",
            "start": "Alkaa",
            "end": "Päättyy",
            "field": "Koulutusala",
            "status": "Tila",
        },
        "date_format": "%d.%m.%Y",
        "values": {
            "agreement_type": dict(zip(AGREEMENT_TYPES_FI, AGREEMENT_CODES, strict=True)),
            "status": {"Voimassa": "active", "Päättynyt": "ended"},
        },
    }
    return [
        write_yaml(
            folder / "UNI-A_partner_agreements.mapping.yaml", english_mapping, REGISTER_NOTE
        ),
        write_yaml(folder / "UAS-07_sopimusrekisteri.mapping.yaml", finnish_mapping, REGISTER_NOTE),
        write_xlsx(folder / "UNI-A_partner_agreements.xlsx", {"Agreements": english_rows}),
        write_csv(
            folder / "UAS-07_sopimusrekisteri.csv",
            ["Kumppani", "Maa", "Sopimustyyppi", "Alkaa", "Päättyy", "Koulutusala", "Tila"],
            finnish_rows,
            delimiter=";",
            encoding="utf-8-sig",
        ),
    ]


# Invented Academic Freedom Index values (0–1) for the demo; never read them as real.


def write_mobility_demo(target: Path, rng: random.Random) -> list[Path]:
    rows = []
    for year in YEARS:
        for sector in ("Yliopisto", "Ammattikorkeakoulu"):
            for direction in ("Lähtevä", "Saapuva"):
                for country in COUNTRIES:
                    base = country.copublications_2024 / (12 if sector == "Yliopisto" else 20)
                    count = year_volume(round(base), country.growth, year, rng)
                    if year == 2020:
                        count = round(count * 0.4)  # the pandemic year
                    if count:
                        rows.append([year, sector, direction, country.fi, count])
    rows[37][4] = ".."  # the statistics' mark for a figure not available
    return [
        write_csv(
            target / "mobility" / "opiskelijaliikkuvuus_2015_2024.csv",
            ["Tilastovuosi", "Sektori", "Liikkuvuuden suunta", "Maa", "Liikkujien lukumäärä"],
            rows,
            delimiter=";",
            encoding="utf-8-sig",
        ),
    ]
