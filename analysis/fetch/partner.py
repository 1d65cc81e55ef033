"""What a partner brief asks OpenAlex, saved on disk so that a brief costs each call once.

For one partner institution (its OpenAlex id), three answers: the institution record, and its
works with a Finnish institution by year, all and in the critical technology subfields. With a
Finnish organisation (``--institution``), the works are those shared with that organisation.
The answers are saved unchanged in ``<raw_dir>/partners/openalex/<ID>[__with_<ORG>]/`` with a
``queries.json`` naming each URL (without the key) and when it was retrieved. A brief reads
only these files; ``ensure_partner_answers`` asks OpenAlex for the ones that are missing, once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.fetch.openalex import (
    INSTITUTIONS_API,
    OpenAlexClient,
    Query,
    public_url,
    save_answer,
)
from analysis.files.atomic import write_text_atomic

INSTITUTION_FILE = "institution.json"
QUERIES_FILE = "queries.json"


@dataclass
class PartnerQuery(Query):
    @property
    def url(self) -> str:
        return public_url(self.parameters())


def partner_queries(
    openalex_id: str,
    institution_id: str | None,
    first_year: int,
    last_year: int,
    critical_subfields: list[int],
) -> list[PartnerQuery]:
    """Works of the partner shared with Finland (or one Finnish organisation), by year: all,
    and in the critical technology subfields (one OR filter)."""
    who = f"institutions.id:{openalex_id}," + (
        f"institutions.id:{institution_id}" if institution_id else "institutions.country_code:FI"
    )
    scope = f"{who},type:article|review,publication_year:{first_year}-{last_year}"
    subfields = "|".join(str(i) for i in sorted({int(s) for s in critical_subfields}))
    return [
        PartnerQuery("copublications_by_year", scope, "publication_year"),
        PartnerQuery(
            "critical_by_year", f"{scope},primary_topic.subfield.id:{subfields}", "publication_year"
        ),
    ]


def partner_folder(raw_dir: Path, openalex_id: str, institution_id: str | None = None) -> Path:
    name = openalex_id + (f"__with_{institution_id}" if institution_id else "")
    return raw_dir / "partners" / "openalex" / name


def missing_answers(folder: Path, queries: list[PartnerQuery]) -> list[str]:
    """The answer files a brief needs that are not on disk yet."""
    names = [INSTITUTION_FILE, *(f"{q.name}.json" for q in queries)]
    return [name for name in names if not (folder / name).is_file()]


def ensure_partner_answers(
    client: OpenAlexClient,
    raw_dir: Path,
    openalex_id: str,
    institution_id: str | None,
    first_year: int,
    last_year: int,
    critical_subfields: list[int],
) -> int:
    """Ask OpenAlex for the answers not yet saved for this partner; returns the calls made."""
    folder = partner_folder(raw_dir, openalex_id, institution_id)
    queries = partner_queries(
        openalex_id, institution_id, first_year, last_year, critical_subfields
    )
    missing = missing_answers(folder, queries)
    if not missing:
        return 0
    before = client.calls
    folder.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, Any]] = []
    if INSTITUTION_FILE in missing:
        # Each call saved at once: a failure later keeps what was paid for.
        endpoint = f"{INSTITUTIONS_API}/{openalex_id}"
        entries += save_answer(folder, INSTITUTION_FILE, client._get({}, endpoint), endpoint)
    for query in queries:
        if f"{query.name}.json" in missing:
            pages = client.fetch(query)
            body = pages[0][1]
            for _, page in pages[1:]:
                body["group_by"] += page["group_by"]
            entries += save_answer(folder, f"{query.name}.json", body, query.url)
    path = folder / QUERIES_FILE
    known = json.loads(path.read_text(encoding="utf-8"))["queries"] if path.is_file() else []
    kept = {e["file"]: e for e in known} | {e["file"]: e for e in entries}
    write_text_atomic(
        path,
        json.dumps(
            {"queries": sorted(kept.values(), key=lambda e: e["file"])},
            indent=1,
            ensure_ascii=False,
        )
        + "\n",
    )
    return client.calls - before


def retrieved(folder: Path) -> dict[str, str]:
    """When each saved answer was retrieved (``file → ISO date``), from ``queries.json``."""
    path = folder / QUERIES_FILE
    if not path.is_file():
        return {}
    return {
        e["file"]: str(e.get("retrieved", ""))[:10]
        for e in json.loads(path.read_text(encoding="utf-8")).get("queries", [])
    }
