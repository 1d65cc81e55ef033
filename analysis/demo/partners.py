"""Synthetic partners for the due-diligence briefs: ROR records, OpenAlex answers, decisions.

A handful of the demo's pseudonymous partner institutions get a ROR record (schema v2.1, in
the dump's shape), an OpenAlex institution record and the answers a brief asks OpenAlex for
(co-publications with Finland by year, all and in critical technology subfields; the Finnish
counterpart institutions, see ``analysis.demo.counterparts``), so a brief
builds offline. They are chosen to exercise the brief: one listed institution (Partner
University CN-2, confirmed on the demo list) and a subsidiary of it; one whose ROR id is on a
list and awaits review; two that share an alias ("Partner Polytechnic", an ambiguous name);
and ordinary ones. A small agreement register names them for the batch of briefs.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from analysis.demo.writers import write_csv, write_json, write_yaml

YEARS = list(range(2015, 2025))
RETRIEVED = "2024-10-07T09:00:00+00:00"
ROR_DATE = "2024-09-30"


def _partner(
    ror: str,
    openalex: str | None,
    name: str,
    country: str,
    established: int,
    *,
    labels: tuple[tuple[str, str], ...] = (),
    aliases: tuple[str, ...] = (),
    acronyms: tuple[str, ...] = (),
    relationships: tuple[tuple[str, str, str], ...] = (),
    types: tuple[str, ...] = ("education",),
    status: str = "active",
    works_2024: int = 0,
    critical: float = 0.2,
) -> dict[str, Any]:
    return {
        "ror": ror,
        "openalex": openalex,
        "name": name,
        "country": country,
        "established": established,
        "labels": labels,
        "aliases": aliases,
        "acronyms": acronyms,
        "relationships": relationships,
        "types": types,
        "status": status,
        "works_2024": works_2024,
        "critical": critical,
    }


PARTNERS = (
    _partner(
        "0zz000101",
        "I9000001",
        "Partner University SE-1",
        "SE",
        1907,
        labels=(("sv", "Partneruniversitetet SE-1"), ("fi", "Kumppaniyliopisto SE-1")),
        acronyms=("PUS1",),
        works_2024=120,
        critical=0.18,
    ),
    _partner(
        "0zz004302",
        "I9000043",
        "Partner University CN-2",
        "CN",
        1952,
        labels=(("zh", "Partner University CN-2 (zh)"),),
        acronyms=("PUC2",),
        relationships=(("child", "0zz004312", "Advanced Materials Institute of PUC2"),),
        works_2024=60,
        critical=0.55,
    ),
    _partner(
        "0zz004312",
        "I9000070",
        "Advanced Materials Institute of PUC2",
        "CN",
        1998,
        types=("facility",),
        relationships=(("parent", "0zz004302", "Partner University CN-2"),),
        works_2024=12,
        critical=0.8,
    ),
    _partner(
        "0zz006001",
        "I9000060",
        "Partner University IR-1",
        "IR",
        1934,
        works_2024=9,
        critical=0.4,
    ),
    _partner(
        "0zz000903",
        "I9000009",
        "Partner Institute of Technology US-3",
        "US",
        1861,
        aliases=("Partner Polytechnic",),
        works_2024=80,
        critical=0.35,
    ),
    _partner(
        "0zz001503",
        "I9000015",
        "Partner Institute of Technology GB-3",
        "GB",
        1907,
        aliases=("Partner Polytechnic",),
        works_2024=70,
        critical=0.3,
    ),
    _partner(
        "0zz001901",
        "I9000019",
        "Partner University DE-1",
        "DE",
        1810,
        labels=(("de", "Partneruniversität DE-1"),),
        relationships=(("child", "0zz001911", "Centre for Quantum Computing DE-1"),),
        works_2024=150,
        critical=0.22,
    ),
    _partner(
        "0zz001911",
        None,
        "Centre for Quantum Computing DE-1",
        "DE",
        2019,
        types=("facility",),
        relationships=(("parent", "0zz001901", "Partner University DE-1"),),
        status="inactive",
    ),
    # The Finnish side, for --institution
    _partner(
        "0zy000100",
        "I8000001",
        "University A",
        "FI",
        1917,
        labels=(("fi", "Yliopisto A"), ("sv", "Universitet A")),
    ),
)

# Partner names as an agreement register writes them (the batch resolves them through ROR).
REGISTER_PARTNERS = (
    ("Partner University SE-1", "Sweden", "Research cooperation"),
    ("PARTNER UNIVERSITY CN-2", "China", "Memorandum of understanding"),
    ("Advanced Materials Institute of PUC2", "China", "Contract research"),
    ("Partner University IR-1", "Iran", "Student exchange"),
    ("Partner University DE-1", "Germany", "Double degree"),
    ("Partner College ZZ-9", "Norway", "Student exchange"),  # not in ROR: resolved by hand
)


def ror_record(partner: dict[str, Any]) -> dict[str, Any]:
    """The partner as a ROR schema v2.1 record (keys in ROR's order, sorted)."""
    names = [{"lang": "en", "types": ["ror_display", "label"], "value": partner["name"]}]
    names += [
        {"lang": lang, "types": ["label"], "value": value} for lang, value in partner["labels"]
    ]
    names += [{"lang": None, "types": ["alias"], "value": v} for v in partner["aliases"]]
    names += [{"lang": None, "types": ["acronym"], "value": v} for v in partner["acronyms"]]
    return {
        "admin": {
            "created": {"date": "2020-03-15", "schema_version": "1.0"},
            "last_modified": {"date": ROR_DATE, "schema_version": "2.1"},
        },
        "domains": [],
        "established": partner["established"],
        "external_ids": [],
        "id": f"https://ror.org/{partner['ror']}",
        "links": [],
        "locations": [
            {
                "geonames_details": {"country_code": partner["country"], "name": "Demo City"},
                "geonames_id": 0,
            }
        ],
        "names": names,
        "relationships": [
            {"label": label, "type": kind, "id": f"https://ror.org/{ror}"}
            for kind, ror, label in partner["relationships"]
        ],
        "status": partner["status"],
        "types": list(partner["types"]),
    }


def openalex_record(partner: dict[str, Any], by_id: dict[str, dict]) -> dict[str, Any]:
    """The partner as an OpenAlex ``/institutions/I...`` answer (the fields the reader uses)."""
    associated = []
    for kind, ror, label in partner["relationships"]:
        other = by_id.get(ror, {})
        associated.append(
            {
                "id": f"https://openalex.org/{other.get('openalex') or 'I0'}",
                "ror": f"https://ror.org/{ror}",
                "display_name": label,
                "country_code": other.get("country"),
                "type": (other.get("types") or ("other",))[0],
                "relationship": kind,
            }
        )
    return {
        "id": f"https://openalex.org/{partner['openalex']}",
        "ror": f"https://ror.org/{partner['ror']}",
        "display_name": partner["name"],
        "country_code": partner["country"],
        "type": partner["types"][0],
        "display_name_acronyms": list(partner["acronyms"]),
        "display_name_alternatives": list(partner["aliases"]),
        "lineage": [f"https://openalex.org/{partner['openalex']}"],
        "associated_institutions": associated,
        "counts_by_year": [],
        "updated_date": "2024-10-01T00:00:00",
    }


def _group_by(counts: dict[int, int]) -> dict[str, Any]:
    groups = [
        {"key": str(year), "key_display_name": str(year), "count": count}
        for year, count in sorted(counts.items(), reverse=True)
        if count
    ]
    meta = {"count": sum(counts.values()), "groups_count": len(groups), "cost_usd": 0.0001}
    return {"meta": meta, "group_by": groups}


def write_partners_demo(target: Path, seed: int) -> list[Path]:
    """ROR records, OpenAlex answers, a decisions file and a register for the briefs."""
    from analysis.context.indicators import critical_subfields
    from analysis.demo.counterparts import counterpart_answers
    from analysis.fetch.openalex import INSTITUTIONS_API, public_url
    from analysis.fetch.partner import (
        COUNTERPART_DETAILS_FILE,
        COUNTERPARTS_FILE,
        counterpart_query,
        details_parameters,
        partner_queries,
    )
    from analysis.files.paths import find_project_root

    subfields = critical_subfields(find_project_root() / "config" / "critical_technologies.yaml")

    rng = random.Random(f"{seed}-partners")  # its own stream: the other demo files are unchanged
    counterpart_rng = random.Random(f"{seed}-counterparts")
    by_id = {p["ror"]: p for p in PARTNERS}
    written = [
        write_json(target / "ror" / "demo_ror_records.json", [ror_record(p) for p in PARTNERS])
    ]
    for partner in PARTNERS:
        if not partner["openalex"] or partner["country"] == "FI":
            continue
        folder = target / "partners" / "openalex" / partner["openalex"]
        written.append(write_json(folder / "institution.json", openalex_record(partner, by_id)))
        total = {
            y: round(partner["works_2024"] * 1.06 ** (y - 2024) * rng.uniform(0.85, 1.15))
            for y in YEARS
        }
        critical = {
            y: round(n * partner["critical"] * rng.uniform(0.8, 1.2)) for y, n in total.items()
        }
        critical = {y: min(n, total[y]) for y, n in critical.items()}
        queries = partner_queries(partner["openalex"], None, YEARS[0], YEARS[-1], subfields)
        answers = dict(zip([q.name for q in queries], (total, critical), strict=True))
        entries = []
        for query in queries:
            written.append(
                write_json(folder / f"{query.name}.json", _group_by(answers[query.name]))
            )
            entries.append({"file": f"{query.name}.json", "url": query.url, "retrieved": RETRIEVED})
        groups, details = counterpart_answers(partner, sum(total.values()), by_id, counterpart_rng)
        query = counterpart_query(partner["openalex"], YEARS[0], YEARS[-1])
        written.append(write_json(folder / COUNTERPARTS_FILE, groups))
        written.append(write_json(folder / COUNTERPART_DETAILS_FILE, details))
        ids = [g["key"].rsplit("/", 1)[-1] for g in groups["group_by"]]
        entries += [
            {"file": COUNTERPARTS_FILE, "url": query.url, "retrieved": RETRIEVED},
            {
                "file": COUNTERPART_DETAILS_FILE,
                "url": public_url(details_parameters(ids), INSTITUTIONS_API),
                "retrieved": RETRIEVED,
            },
        ]
        entries.sort(key=lambda e: e["file"])
        written.append(write_json(folder / "queries.json", {"queries": entries}))
    written.append(
        write_csv(
            target / "briefs" / "decisions.csv",
            ["partner", "decision", "date", "reasons", "reviewer"],
            [
                [
                    "https://ror.org/0zz000101",
                    "approve",
                    "2024-05-20",
                    "Long-standing partner; no flag in the screening",
                    "Reviewer B",
                ],
                [
                    "https://ror.org/0zz004302",
                    "escalate",
                    "2024-10-16",
                    "Confirmed on the demo restricted list; refer to the security unit",
                    "Reviewer A",
                ],
            ],
        )
    )
    rows = [["Partner", "Country", "Type", "Start", "End", "Field", "Status"]]
    for number, (name, country, kind) in enumerate(REGISTER_PARTNERS):
        rows.append([name, country, kind, f"{2018 + number}-01-01", "", "All fields", "Active"])
    written.append(write_csv(target / "agreements" / "RI-2_partners.csv", rows[0], rows[1:]))
    written.append(
        write_yaml(
            target / "agreements" / "RI-2_partners.mapping.yaml",
            {
                "register": "RI-2_partners.csv",
                "organisation_key": "RI-2",
                "columns": {
                    "partner": "Partner",
                    "country": "Country",
                    "agreement_type": "Type",
                    "start": "Start",
                    "end": "End",
                    "field": "Field",
                    "status": "Status",
                },
                "values": {
                    "agreement_type": {
                        "Research cooperation": "research",
                        "Memorandum of understanding": "memorandum_of_understanding",
                        "Contract research": "contract_research",
                        "Student exchange": "student_exchange",
                        "Double degree": "joint_or_double_degree",
                    },
                    "status": {"Active": "active"},
                },
            },
            "Maps this register's columns and values onto the tidy agreement table.",
        )
    )
    return written
