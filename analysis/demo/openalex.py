"""Synthetic OpenAlex ``group_by`` answers (JSON as the API returns it: ``meta`` and a
``group_by`` list whose keys are full URLs): Finnish output by year, its internationally
co-authored part, co-publications by partner country, fields and subfields."""

import random
from pathlib import Path
from typing import Any

from analysis.context.indicators import critical_subfields
from analysis.demo.entities import COUNTRIES, ORGANISATIONS
from analysis.demo.writers import write_json
from analysis.files.paths import find_project_root
from analysis.scoring.model import load_scoring_model

YEARS = list(range(2015, 2025))
API = "https://api.openalex.org/works"
RETRIEVED = "2024-10-07T09:00:00+00:00"
FINLAND_TOTAL_2024 = 26000


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


def year_volume(base: int, growth: float, year: int, rng: random.Random) -> int:
    return max(0, round(base * growth ** (year - 2024) * rng.uniform(0.94, 1.06)))


def write_openalex_demo(target: Path, rng: random.Random) -> list[Path]:
    folder = target / "openalex"
    totals = {y: year_volume(FINLAND_TOTAL_2024, 1.025, y, rng) for y in YEARS}
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
            count = year_volume(country.copublications_2024, country.growth, year, rng)
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
    # Every other scored partner (at least min_copublications in the latest year, as the
    # refresh asks) has its critical-area answer too, from a third generator, so that adding
    # them changed none of the files above. With no subfield mix to count from, each draws a
    # share of its co-publications in the range of the top partners' shares.
    model = load_scoring_model(find_project_root() / "config" / "scoring.yaml")
    threshold = int(model["min_copublications"])
    extra = random.Random(sum(totals.values()) * 31 + 1)
    for country in sorted(COUNTRIES, key=lambda c: (-copublications[c.iso2][YEARS[-1]], c.iso2)):
        iso2 = country.iso2
        if iso2 in critical_totals or copublications[iso2][YEARS[-1]] < threshold:
            continue
        tilted = iso2 in {"CN", "KR", "SG"}
        share = extra.uniform(0.29, 0.34) if tilted else extra.uniform(0.17, 0.235)
        slope = extra.uniform(0.04, 0.08) if tilted else extra.uniform(-0.03, 0.03)
        tilt = {y: (1 + slope * (y - YEARS[0])) * extra.uniform(0.92, 1.08) for y in YEARS}
        total = round(share * sum(copublications[iso2].values()))
        counts = _spread(total, copublications[iso2], tilt)
        save(
            f"fi_critical_by_year_with_{iso2}.json",
            f"{API}?{finland},{years},authorships.countries:countries/{iso2},{critical_filter}"
            "&group_by=publication_year",
            _by_year_answer({y: n for y, n in counts.items() if n}, extra),
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
