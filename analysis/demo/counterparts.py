"""Synthetic answers on a demo partner's Finnish counterparts: its works with Finland grouped
by the co-authors' institutions (OpenAlex lineage groups, largest first, as the API orders
them) and the ``/institutions`` details of those groups.

The groups are what the real answer holds: the partner itself (on every work), its parent
where it has one, a few co-authors of other countries, and the demo's pseudonymous Finnish
organisations under the OpenAlex ids and ROR ids the national demo gives them
(``I800000N``, ``0zy000N00``). One Finnish institution is in no alias table of the project
("Demo University Hospital & Clinics", shown by its OpenAlex name). Every work has a Finnish
co-author, so the Finnish counts add up to at least the partner's works.
"""

from __future__ import annotations

import random
from typing import Any

from analysis.demo.entities import ORGANISATIONS

OPENALEX = "https://openalex.org/"
HOSPITAL = ("I8000900", "Demo University Hospital & Clinics", None)
ABROAD = (  # co-authors of other countries: the national demo's partner institutions
    ("I9000003", "Partner Institute of Technology SE-3", "0zz000303", "SE"),
    ("I9000007", "Partner University US-1", "0zz000701", "US"),
    ("I9000020", "Partner University DE-2", "0zz002002", "DE"),
)


def finnish_organisations() -> list[tuple[str, str, str | None]]:
    """``(OpenAlex id, display name, ROR id)`` of the demo's Finnish organisations."""
    return [
        (f"I{8_000_000 + number}", org.name, f"0zy{number:04d}00")
        for number, org in enumerate(ORGANISATIONS, start=1)
    ]


def counterpart_answers(
    partner: dict[str, Any], works: int, by_id: dict[str, dict], rng: random.Random
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The groups answer and the details answer for one demo partner with ``works`` works."""
    finnish = finnish_organisations()
    universities = finnish[:14]
    others = finnish[14:]
    chosen = rng.sample(universities[1:], 5) + rng.sample(others, rng.randint(2, 6))
    if partner["country"] != "IR":  # University A co-publishes with all but one partner
        chosen.insert(0, universities[0])
    if rng.random() < 0.6:
        chosen.append(HOSPITAL)
    rows = []
    left = 1.0
    for number, (key, name, ror) in enumerate(chosen):
        part = left * rng.uniform(0.25, 0.45) if number else rng.uniform(0.35, 0.55)
        left = max(left - part * 0.5, 0.2)
        rows.append((key, name, ror, "FI", max(1, round(works * part))))
    # Every work has a Finnish co-author: the largest takes the works the others leave.
    rows[0] = (*rows[0][:4], max(rows[0][4], works - sum(r[4] for r in rows[1:])))
    rows.append((partner["openalex"], partner["name"], partner["ror"], partner["country"], works))
    for kind, ror, label in partner["relationships"]:
        parent = by_id.get(ror, {})
        if kind == "parent" and parent.get("openalex"):
            rows.append((parent["openalex"], label, ror, parent["country"], works))
    for key, name, ror, country in ABROAD:
        if key != partner["openalex"]:
            rows.append((key, name, ror, country, max(1, round(works * rng.uniform(0.02, 0.1)))))
    rows.sort(key=lambda r: (-r[4], r[0]))
    meta = {
        "count": works,
        "db_response_time_ms": rng.randrange(20, 400),
        "page": 1,
        "per_page": 100,
        "next_cursor": None,
        "groups_count": len(rows),
        "cost_usd": 0.0001,
    }
    groups = {
        "meta": meta,
        "group_by": [
            {"key": OPENALEX + key, "key_display_name": name, "count": count}
            for key, name, _, _, count in rows
        ],
    }
    details = {
        "meta": {
            "count": len(rows),
            "db_response_time_ms": 9,
            "page": 1,
            "per_page": 100,
            "groups_count": None,
            "cost_usd": 0.0001,
        },
        "results": [
            {
                "id": OPENALEX + key,
                "display_name": name,
                "ror": f"https://ror.org/{ror}" if ror else None,
                "country_code": country,
                "type": "healthcare" if key == HOSPITAL[0] else "education",
            }
            for key, name, ror, country, _ in sorted(rows, key=lambda r: r[0])
        ],
        "group_by": [],
    }
    return groups, details
