"""Synthetic cooperation data in the shapes the real sources publish.

* OpenAlex ``group_by`` answers (JSON as the API returns it: ``meta`` and a ``group_by`` list
  whose keys are full URLs) for Finnish output by year, its internationally co-authored part,
  and co-publications by partner country for each year.
* CORDIS Horizon Europe ``project.csv`` and ``organization.csv`` (``;``, every field quoted,
  a stray quote inside an objective, CORDIS country codes such as ``UK`` and ``EL``).
* Two institutions' agreement registers with their own columns (English XLSX, Finnish CSV).
* Student mobility by country in the shape Finnish education statistics publish.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from analysis.context.indicators import critical_subfields
from analysis.demo.entities import COUNTRIES, ORGANISATIONS
from analysis.demo.writers import write_csv, write_json, write_xlsx, write_yaml
from analysis.files.paths import find_project_root

REGISTER_NOTE = "Maps this register's columns and values onto the tidy agreement table."

YEARS = list(range(2015, 2025))
API = "https://api.openalex.org/works"
RETRIEVED = "2024-10-07T09:00:00+00:00"
FINLAND_TOTAL_2024 = 26000
CORDIS_CODES = {"GB": "UK", "GR": "EL"}  # CORDIS writes these two differently from ISO


def _meta(count: int, groups: int, rng: random.Random) -> dict[str, Any]:
    return {
        "count": count,
        "db_response_time_ms": rng.randrange(20, 400),
        "page": None,
        "per_page": 200,
        "next_cursor": None,
        "groups_count": groups,
        "cost_usd": 0.0001,
    }


def _by_year_answer(counts: dict[int, int], rng: random.Random) -> dict[str, Any]:
    """A group_by=publication_year answer, largest group first as the API orders them."""
    return {
        "meta": _meta(sum(counts.values()), len(counts), rng),
        "group_by": [
            {"key": str(y), "key_display_name": str(y), "count": counts[y]}
            for y in sorted(counts, key=lambda y: -counts[y])
        ],
    }


def _year_volume(base: int, growth: float, year: int, rng: random.Random) -> int:
    return max(0, round(base * growth ** (year - 2024) * rng.uniform(0.94, 1.06)))


def write_openalex_demo(target: Path, rng: random.Random) -> list[Path]:
    folder = target / "openalex"
    totals = {y: _year_volume(FINLAND_TOTAL_2024, 1.025, y, rng) for y in YEARS}
    international_share = {y: 0.50 + 0.012 * (y - 2015) + rng.uniform(-0.01, 0.01) for y in YEARS}
    written = []
    queries = []

    def save(name: str, url: str, body: dict[str, Any]) -> None:
        path = write_json(folder / name, body)
        written.append(path)
        queries.append({"file": name, "url": url, "retrieved": RETRIEVED, "licence": "CC0"})

    finland = "filter=institutions.country_code:FI,publication_year:2015-2024,type:article|review"
    save(
        "fi_works_by_year.json",
        f"{API}?{finland}&group_by=publication_year",
        _by_year_answer(totals, rng),
    )
    international = {y: round(totals[y] * international_share[y]) for y in YEARS}
    copublications: dict[str, dict[int, int]] = {}
    save(
        "fi_international_works_by_year.json",
        f"{API}?{finland},countries_distinct_count:>1&group_by=publication_year",
        _by_year_answer(international, rng),
    )
    for year in YEARS:
        groups = [
            {
                "key": "https://openalex.org/countries/FI",
                "key_display_name": "Finland",
                "count": totals[year],
            }
        ]
        for country in COUNTRIES:
            count = _year_volume(country.copublications_2024, country.growth, year, rng)
            count = min(count, international[year])
            copublications.setdefault(country.iso2, {})[year] = count
            if count:
                groups.append(
                    {
                        "key": f"https://openalex.org/countries/{country.iso2}",
                        "key_display_name": country.en,
                        "count": count,
                    }
                )
        groups.sort(key=lambda g: -g["count"])
        save(
            f"fi_works_by_country_{year}.json",
            f"{API}?filter=institutions.country_code:FI,publication_year:{year},type:article|review"
            "&group_by=authorships.countries",
            {"meta": _meta(totals[year], len(groups), rng), "group_by": groups},
        )
    # Partner institutions (group_by lineage), their details (an /institutions list answer)
    # and the field mix of co-publications with the largest partners.
    years = "publication_year:2015-2024"
    institutions = []
    for country in COUNTRIES:
        for number in range(1, 1 + max(1, min(6, country.copublications_2024 // 800))):
            kind = "University" if number % 3 else "Institute of Technology"
            serial = 9_000_000 + len(institutions) + 1
            institutions.append(
                {
                    "id": f"https://openalex.org/I{serial}",
                    "display_name": f"Partner {kind} {country.iso2}-{number}",
                    "ror": f"https://ror.org/0zz{len(institutions) + 1:04d}{number:02d}",
                    "country_code": country.iso2,
                    "type": "education" if number % 3 else "facility",
                    "works": round(country.copublications_2024 * 4 / (number + 1)),
                }
            )
    # Lineage groups include the Finnish institutions themselves (every work has one).
    for number, org in enumerate(ORGANISATIONS[:3], start=1):
        institutions.append(
            {
                "id": f"https://openalex.org/I{8_000_000 + number}",
                "display_name": org.name,
                "ror": f"https://ror.org/0zy{number:04d}00",
                "country_code": "FI",
                "type": "education",
                "works": round(FINLAND_TOTAL_2024 * 6 / (number + 1)),
            }
        )
    institutions.sort(key=lambda i: -i["works"])
    save(
        "fi_partner_institutions.json",
        f"{API}?{finland},{years}&group_by=authorships.institutions.lineage",
        {
            "meta": _meta(sum(totals.values()), len(institutions), rng),
            "group_by": [
                {"key": i["id"], "key_display_name": i["display_name"], "count": i["works"]}
                for i in institutions
            ],
        },
    )
    save(
        "fi_partner_institutions_details.json",
        "https://api.openalex.org/institutions?filter=openalex:I9000001|...&per_page=200",
        {
            "meta": {
                "count": len(institutions),
                "db_response_time_ms": 9,
                "page": 1,
                "per_page": 200,
                "groups_count": None,
                "cost_usd": 0.0001,
            },
            "results": [
                {k: i[k] for k in ("id", "display_name", "ror", "country_code", "type")}
                for i in institutions
            ],
            "group_by": [],
        },
    )
    field_names = dict(FIELDS)
    critical_ids = critical_subfields(find_project_root() / "config" / "critical_technologies.yaml")
    critical_totals: dict[str, int] = {}
    for country in sorted(COUNTRIES, key=lambda c: -c.copublications_2024)[:15]:
        weights = {
            field_id: FIELD_WEIGHTS.get(field_id, 0.01)
            * rng.uniform(0.7, 1.3)
            * (TECHNOLOGY_TILT.get(field_id, 1.0) if country.iso2 in {"CN", "KR", "SG"} else 1.0)
            for field_id in field_names
        }
        total = sum(weights.values())
        volume = country.copublications_2024 * 8
        groups = [
            {
                "key": f"https://openalex.org/fields/{field_id}",
                "key_display_name": name,
                "count": round(volume * weights[field_id] / total),
            }
            for field_id, name in field_names.items()
        ]
        groups.sort(key=lambda g: -g["count"])
        save(
            f"fi_fields_with_{country.iso2}.json",
            f"{API}?{finland},{years},authorships.countries:countries/{country.iso2}"
            "&group_by=primary_topic.field.id",
            {"meta": _meta(sum(g["count"] for g in groups), len(groups), rng), "group_by": groups},
        )
        tilted = country.iso2 in {"CN", "KR", "SG"}
        subfield_weights = {
            sub_id: rng.uniform(0.5, 1.5)
            * (1.0 if sub_id in TECHNOLOGY_SUBFIELDS else 2.5)
            * (3.0 if tilted and sub_id in TECHNOLOGY_SUBFIELDS else 1.0)
            for sub_id in SUBFIELDS
        }
        sub_total = sum(subfield_weights.values())
        sub_groups = [
            {
                "key": f"https://openalex.org/subfields/{sub_id}",
                "key_display_name": name,
                "count": round(volume * 0.6 * subfield_weights[sub_id] / sub_total),
            }
            for sub_id, name in SUBFIELDS.items()
        ]
        sub_groups.sort(key=lambda g: -g["count"])
        critical_totals[country.iso2] = sum(
            g["count"] for g in sub_groups if int(g["key"].rsplit("/", 1)[-1]) in critical_ids
        )
        save(
            f"fi_subfields_with_{country.iso2}.json",
            f"{API}?{finland},{years},authorships.countries:countries/{country.iso2}"
            "&group_by=primary_topic.subfield.id",
            {
                "meta": _meta(sum(g["count"] for g in sub_groups), len(sub_groups), rng),
                "group_by": sub_groups,
            },
        )
    # Co-publications in the critical subfields by year: drawn from a generator of their own
    # (seeded from the totals above), so adding them changed none of the other demo files.
    side = random.Random(sum(totals.values()))
    critical_filter = "primary_topic.subfield.id:" + "|".join(str(i) for i in critical_ids)
    for iso2, total in critical_totals.items():
        tilted = iso2 in {"CN", "KR", "SG"}
        slope = side.uniform(0.04, 0.08) if tilted else side.uniform(-0.03, 0.03)
        tilt = {y: (1 + slope * (y - YEARS[0])) * side.uniform(0.92, 1.08) for y in YEARS}
        counts = _spread(total, copublications[iso2], tilt)
        save(
            f"fi_critical_by_year_with_{iso2}.json",
            f"{API}?{finland},{years},authorships.countries:countries/{iso2},{critical_filter}"
            "&group_by=publication_year",
            _by_year_answer({y: n for y, n in counts.items() if n}, side),
        )
    written.append(write_json(folder / "queries.json", {"queries": queries}))
    return written


def _spread(total: int, copublications: dict[int, int], tilt: dict[int, float]) -> dict[int, int]:
    """``total`` critical works over the years, in proportion to each year's co-publications
    times its ``tilt``, never more than that year's co-publications (whole numbers by largest
    remainder, so they add up to ``total`` as the real answers do)."""
    weights = {y: n * max(0.0, tilt[y]) for y, n in copublications.items() if n}
    if total > sum(copublications.values()):
        raise ValueError("more critical works than co-publications")
    scale = total / sum(weights.values())
    exact = {y: min(w * scale, copublications[y]) for y, w in weights.items()}
    counts = {y: int(v) for y, v in exact.items()}
    order = sorted(exact, key=lambda y: (counts[y] - exact[y], y))
    while sum(counts.values()) < total:
        room = [y for y in order if counts[y] < copublications[y]]
        for year in room[: total - sum(counts.values())]:
            counts[year] += 1
    return counts


# A selection of OpenAlex subfields (Scopus ASJC codes), enough for a demo of the field mix.
SUBFIELDS = {
    1702: "Artificial Intelligence",
    1705: "Computer Networks and Communications",
    1710: "Information Systems",
    1711: "Signal Processing",
    1712: "Software",
    2202: "Aerospace Engineering",
    2207: "Control and Systems Engineering",
    2208: "Electrical and Electronic Engineering",
    2210: "Mechanical Engineering",
    2102: "Energy Engineering and Power Technology",
    2505: "Materials Chemistry",
    2502: "Biomaterials",
    3104: "Condensed Matter Physics",
    3107: "Atomic and Molecular Physics, and Optics",
    1305: "Biotechnology",
    1311: "Genetics",
    2713: "Epidemiology",
    2725: "Infectious Diseases",
    3304: "Education",
    3312: "Sociology and Political Science",
    2303: "Ecology",
    1902: "Atmospheric Science",
    2730: "Oncology",
    2739: "Public Health, Environmental and Occupational Health",
    2746: "Surgery",
    3320: "Political Science and International Relations",
    1204: "Archeology",
    2002: "Economics and Econometrics",
}
TECHNOLOGY_SUBFIELDS = {1702, 1705, 1711, 2202, 2207, 2208, 2505, 3104, 3107}


# Invented, roughly like a research-intensive country's output: medicine and engineering large.
FIELD_WEIGHTS = {
    27: 0.18,
    13: 0.08,
    22: 0.09,
    17: 0.07,
    31: 0.07,
    23: 0.06,
    11: 0.06,
    33: 0.05,
    25: 0.05,
    19: 0.05,
    16: 0.04,
    24: 0.03,
    28: 0.03,
    21: 0.03,
    26: 0.02,
    12: 0.02,
    14: 0.02,
    20: 0.02,
    32: 0.02,
    30: 0.02,
    15: 0.02,
}
TECHNOLOGY_TILT = {17: 1.8, 22: 1.6, 25: 2.0, 21: 1.5, 31: 1.3, 27: 0.6}

# OpenAlex's 26 fields (the Scopus ASJC subject areas), by their OpenAlex field id.
FIELDS = [
    (11, "Agricultural and Biological Sciences"),
    (12, "Arts and Humanities"),
    (13, "Biochemistry, Genetics and Molecular Biology"),
    (14, "Business, Management and Accounting"),
    (15, "Chemical Engineering"),
    (16, "Chemistry"),
    (17, "Computer Science"),
    (18, "Decision Sciences"),
    (19, "Earth and Planetary Sciences"),
    (20, "Economics, Econometrics and Finance"),
    (21, "Energy"),
    (22, "Engineering"),
    (23, "Environmental Science"),
    (24, "Immunology and Microbiology"),
    (25, "Materials Science"),
    (26, "Mathematics"),
    (27, "Medicine"),
    (28, "Neuroscience"),
    (29, "Nursing"),
    (30, "Pharmacology, Toxicology and Pharmaceutics"),
    (31, "Physics and Astronomy"),
    (32, "Psychology"),
    (33, "Social Sciences"),
    (34, "Veterinary"),
    (35, "Dentistry"),
    (36, "Health Professions"),
]


PROJECT_HEADER = [
    "id",
    "acronym",
    "status",
    "title",
    "startDate",
    "endDate",
    "totalCost",
    "ecMaxContribution",
    "legalBasis",
    "topics",
    "ecSignatureDate",
    "frameworkProgramme",
    "masterCall",
    "subCall",
    "fundingScheme",
    "nature",
    "objective",
    "contentUpdateDate",
    "rcn",
    "grantDoi",
]
ORGANISATION_HEADER = [
    "projectID",
    "projectAcronym",
    "organisationID",
    "vatNumber",
    "name",
    "shortName",
    "SME",
    "activityType",
    "street",
    "postCode",
    "city",
    "country",
    "nutsCode",
    "geolocation",
    "organizationURL",
    "contactForm",
    "contentUpdateDate",
    "rcn",
    "order",
    "role",
    "ecContribution",
    "netEcContribution",
    "totalCost",
    "endOfParticipation",
    "active",
]
TOPICS = [
    "HORIZON-CL4-2023-DIGITAL-EMERGING-01",
    "HORIZON-CL5-2022-D3-01",
    "HORIZON-CL6-2023-BIODIV-01",
    "HORIZON-HLTH-2023-DISEASE-03",
    "HORIZON-MSCA-2022-DN-01",
    "HORIZON-CL2-2023-DEMOCRACY-01",
    "HORIZON-CL3-2022-CS-01",
]


STRAY_QUOTE_OBJECTIVE = 'Studies "toy" models of "learning; with a stray " quote inside.'
STRAY_QUOTE_ESCAPED = STRAY_QUOTE_OBJECTIVE.replace('"', '""')
STRAY_QUOTE_RAW = STRAY_QUOTE_OBJECTIVE


def write_cordis_demo(target: Path, rng: random.Random) -> list[Path]:
    folder = target / "cordis"
    eu_partners = [
        c
        for c in COUNTRIES
        if c.iso2
        in {"SE", "DE", "FR", "IT", "NL", "NO", "ES", "DK", "EE", "CH", "GB", "UA", "IL", "TR"}
    ]
    extra_eu = [("GR", "Greece"), ("BE", "Belgium"), ("AT", "Austria"), ("PL", "Poland")]
    partner_pool = [(c.iso2, c.en) for c in eu_partners] + extra_eu
    finns = [o for o in ORGANISATIONS if o.org_type != "uas" or rng.random() < 0.5]
    projects, organisations = [], []
    for number in range(60):
        project_id = 101050000 + number * 137
        acronym = f"DEMO{number:02d}"
        start_year = rng.choice([2021, 2022, 2023, 2024])
        total = rng.randrange(800, 9000) * 1000
        objective = "Synthetic demo project objective, not a real project."
        if number == 7:
            objective = STRAY_QUOTE_OBJECTIVE
        projects.append(
            [
                project_id,
                acronym,
                rng.choice(["SIGNED", "CLOSED"]),
                f"Synthetic project {number}",
                f"{start_year}-0{rng.randrange(1, 10)}-01",
                f"{start_year + 4}-12-31",
                total,
                round(total * 0.9),
                "HORIZON.2.4",
                rng.choice(TOPICS),
                f"{start_year - 1}-11-15",
                "HORIZON",
                "HORIZON-CL4-2023",
                "HORIZON-CL4-2023",
                "HORIZON-RIA",
                "",
                objective,
                "2024-10-01 12:00:00",
                250000 + number,
                f"10.3030/{project_id}",
            ]
        )
        members = [("FI", rng.choice(finns).name.upper(), "FI")]
        for _ in range(rng.randrange(2, 9)):
            iso2, country = rng.choice(partner_pool)
            members.append(
                (
                    iso2,
                    f"{country.upper()} PARTNER ORGANISATION {rng.randrange(1, 12)}",
                    CORDIS_CODES.get(iso2, iso2),
                )
            )
        rng.shuffle(members)
        for order, (_, name, code) in enumerate(members, start=1):
            contribution = round(total * 0.9 / len(members), 2)
            organisations.append(
                [
                    project_id,
                    acronym,
                    999000000 + rng.randrange(10**5),
                    "",
                    name,
                    "",
                    "false",
                    rng.choice(["HES", "REC", "PRC", "PUB"]),
                    "",
                    "",
                    "",
                    code,
                    "",
                    "",
                    "",
                    "",
                    "2024-10-01 12:00:00",
                    300000 + len(organisations),
                    order,
                    "coordinator" if order == 1 else "participant",
                    contribution,
                    contribution,
                    contribution,
                    "false",
                    "true",
                ]
            )
    project_path = write_csv(
        folder / "project.csv",
        PROJECT_HEADER,
        projects,
        delimiter=";",
        quoting=1,
        line_terminator="\n",
    )
    # The real exports do not escape quotes inside objectives; neither does the demo.
    text = project_path.read_text(encoding="utf-8")
    project_path.write_text(text.replace(STRAY_QUOTE_ESCAPED, STRAY_QUOTE_RAW), encoding="utf-8")
    return [
        project_path,
        write_csv(
            folder / "organization.csv",
            ORGANISATION_HEADER,
            organisations,
            delimiter=";",
            quoting=1,
            line_terminator="\n",
        ),
    ]


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


def write_screening_demo(target: Path) -> list[Path]:
    """A group-maintained list in the generic CSV form, built to exercise the screening rules
    against the demo's partner institutions, and a reviewer's decisions file."""
    folder = target / "screening"
    listed = [
        # the same institution, abbreviated, with its acronym: a candidate
        ["Demo restricted list", "D-001", "PARTNER UNIV. CN-2 (PUC2)", "", "CN", "", ""],
        # a longer, different name that contains a partner's name: never a candidate
        [
            "Demo restricted list",
            "D-002",
            "Partner University RU-1 of Aeronautics",
            "",
            "RU",
            "",
            "",
        ],
        # an identifier match (ROR)
        [
            "Demo restricted list",
            "D-003",
            "Institute for Advanced Studies IR",
            "",
            "IR",
            "https://ror.org/0zz006001",
            "",
        ],
        # a misspelling close to a partner's name: a candidate a reviewer rejects
        ["Demo restricted list", "D-004", "Partner Universty SE-1", "", "SE", "", ""],
        # unrelated entries
        [
            "Demo restricted list",
            "D-005",
            "Example Trading Company Ltd",
            "EXAMPLE TRADING; EX TRADING CO",
            "AE",
            "",
            "",
        ],
        ["Demo restricted list", "D-006", "Northern Defence Research Bureau", "", "BY", "", ""],
    ]
    decisions = [
        [
            "I9000043",
            "Demo restricted list",
            "D-001",
            "confirmed",
            "Reviewer A",
            "2024-10-15",
            "same institution; listed since 2023",
        ],
        [
            "I9000001",
            "Demo restricted list",
            "D-004",
            "rejected",
            "Reviewer A",
            "2024-10-15",
            "different organisation; name misspelt in the list",
        ],
    ]
    return [
        write_csv(
            folder / "demo_restricted_list.csv",
            ["list", "entity_id", "name", "alt_names", "country", "ror", "openalex_id"],
            listed,
            line_terminator="\n",
        ),
        write_csv(
            folder / "decisions.csv",
            ["institution_id", "list", "entity_id", "decision", "reviewer", "date", "note"],
            decisions,
            line_terminator="\n",
        ),
    ]


def write_mobility_demo(target: Path, rng: random.Random) -> list[Path]:
    rows = []
    for year in YEARS:
        for sector in ("Yliopisto", "Ammattikorkeakoulu"):
            for direction in ("Lähtevä", "Saapuva"):
                for country in COUNTRIES:
                    base = country.copublications_2024 / (12 if sector == "Yliopisto" else 20)
                    count = _year_volume(round(base), country.growth, year, rng)
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
