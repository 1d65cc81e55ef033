"""What a partner brief asks OpenAlex, saved on disk so that a brief costs each call once.

For one partner institution (its OpenAlex id), three answers: the institution record, and its
works with a Finnish institution by year, all and in the critical technology subfields. With a
Finnish organisation (``--institution``), the works are those shared with that organisation.
The answers are saved unchanged in ``<raw_dir>/partners/openalex/<ID>[__with_<ORG>]/`` with a
``queries.json`` naming each URL (without the key) and when it was retrieved. A brief reads
only these files; ``ensure_partner_answers`` asks OpenAlex for the ones that are missing, once.

The Finnish counterparts are two more answers, the same for every Finnish organisation and so
saved once in the partner's own folder (``<ID>/``): the partner's works with a Finnish
institution grouped by the co-authors' institutions (``authorships.institutions.lineage``, one
page of the ``COUNTERPART_GROUPS`` largest groups, which include the partner itself and
co-authors of other countries), and the ``/institutions`` details of those groups (name, ROR,
country), from which the brief keeps the Finnish ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.fetch.openalex import (
    DETAILS_PER_CALL,
    INSTITUTIONS_API,
    OpenAlexClient,
    Query,
    public_url,
    save_answer,
)
from analysis.files.atomic import write_text_atomic

INSTITUTION_FILE = "institution.json"
QUERIES_FILE = "queries.json"
COUNTERPARTS_FILE = "finnish_counterparts.json"
COUNTERPART_DETAILS_FILE = "finnish_counterparts_details.json"
COUNTERPART_GROUPS = DETAILS_PER_CALL  # one details call covers every group asked for


@dataclass
class PartnerQuery(Query):
    per_page: int = 200
    all_pages: bool = True  # False: the first page only (the largest groups)

    def parameters(self) -> dict[str, str]:
        return {**super().parameters(), "per_page": str(self.per_page)}

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


def counterpart_query(openalex_id: str, first_year: int, last_year: int) -> PartnerQuery:
    """The partner's works with any Finnish institution, grouped by the co-authors'
    institutions (lineage: a department counts for its university): one page of the
    ``COUNTERPART_GROUPS`` largest groups."""
    scope = (
        f"institutions.id:{openalex_id},institutions.country_code:FI,"
        f"type:article|review,publication_year:{first_year}-{last_year}"
    )
    return PartnerQuery(
        COUNTERPARTS_FILE.removesuffix(".json"),
        scope,
        "authorships.institutions.lineage",
        per_page=COUNTERPART_GROUPS,
        all_pages=False,
    )


def counterpart_ids(folder: Path) -> list[str]:
    """The institutions of the saved counterparts answer whose details the brief needs."""
    body = json.loads((folder / COUNTERPARTS_FILE).read_text(encoding="utf-8"))
    return [str(g["key"]).rsplit("/", 1)[-1] for g in body.get("group_by", [])][:COUNTERPART_GROUPS]


def details_parameters(ids: list[str]) -> dict[str, str]:
    """The ``/institutions`` query for the details of ``ids`` (as the client asks it)."""
    return {
        "filter": "openalex:" + "|".join(ids),
        "select": "id,display_name,ror,country_code,type",
        "per_page": str(DETAILS_PER_CALL),
    }


def missing_counterparts(folder: Path) -> list[str]:
    """The counterpart answers not on disk yet in the partner's own folder; no details are
    needed when the saved groups answer has no group."""
    if not (folder / COUNTERPARTS_FILE).is_file():
        return [COUNTERPARTS_FILE, COUNTERPART_DETAILS_FILE]
    if (folder / COUNTERPART_DETAILS_FILE).is_file() or not counterpart_ids(folder):
        return []
    return [COUNTERPART_DETAILS_FILE]


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
    before = client.calls
    if missing:
        folder.mkdir(parents=True, exist_ok=True)
        entries: list[dict[str, Any]] = []
        try:
            if INSTITUTION_FILE in missing:
                # Each call saved at once: a failure later keeps what was paid for.
                endpoint = f"{INSTITUTIONS_API}/{openalex_id}"
                body = client._get({}, endpoint)
                entries += save_answer(folder, INSTITUTION_FILE, body, endpoint)
            for query in queries:
                if f"{query.name}.json" in missing:
                    entries += _save_group_by(client, folder, query)
        finally:
            _record(folder, entries)
    own = partner_folder(raw_dir, openalex_id)
    if missing_counterparts(own):
        own.mkdir(parents=True, exist_ok=True)
        entries = []
        try:
            if COUNTERPARTS_FILE in missing_counterparts(own):
                query = counterpart_query(openalex_id, first_year, last_year)
                entries += _save_group_by(client, own, query)
            if missing_counterparts(own):
                parameters = details_parameters(counterpart_ids(own))
                body = client._get(parameters, INSTITUTIONS_API)
                url = public_url(parameters, INSTITUTIONS_API)
                entries += save_answer(own, COUNTERPART_DETAILS_FILE, body, url)
        finally:
            _record(own, entries)
    return client.calls - before


def _save_group_by(client: OpenAlexClient, folder: Path, query: PartnerQuery) -> list[dict]:
    """One query's answer (its pages joined into the first), saved; or its first page only."""
    if not query.all_pages:
        body = client._get(query.parameters())
        return save_answer(folder, f"{query.name}.json", body, query.url)
    pages = client.fetch(query)
    body = pages[0][1]
    for _, page in pages[1:]:
        body["group_by"] += page["group_by"]
    return save_answer(folder, f"{query.name}.json", body, query.url)


def _record(folder: Path, entries: list[dict[str, Any]]) -> None:
    """Add the saved answers to the folder's ``queries.json``."""
    if not entries:
        return
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


def retrieved(folder: Path) -> dict[str, str]:
    """When each saved answer was retrieved (``file → ISO date``), from ``queries.json``."""
    path = folder / QUERIES_FILE
    if not path.is_file():
        return {}
    return {
        e["file"]: str(e.get("retrieved", ""))[:10]
        for e in json.loads(path.read_text(encoding="utf-8")).get("queries", [])
    }
