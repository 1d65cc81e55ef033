"""Download OpenAlex aggregates for Finnish research, saving every answer unchanged.

OpenAlex (CC0) answers ``group_by`` queries on ``/works``: one call gives counts for every
partner country, so a national refresh needs a few dozen calls, not millions of works. Since
13 February 2026 the API needs a (free) key and charges each call against a daily allowance;
answers report ``meta.cost_usd``. This client:

* reads the key from ``OPENALEX_API_KEY`` and never writes it anywhere (not in saved URLs, not
  in the manifest, not in messages);
* stays under ``max_per_second`` requests (10 by default; the API allows 100);
* retries 429 and 5xx answers with exponential backoff, honouring ``Retry-After``;
* follows ``next_cursor`` pages;
* adds up ``meta.cost_usd`` and stops cleanly before a call could exceed the budget;
* writes each query's pages only when all of them arrived, and records the query (URL without
  the key, time, sha256, cost, licence) in ``manifest.json`` beside them.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from analysis.files.atomic import write_bytes_atomic
from analysis.files.hashing import sha256_bytes

API = "https://api.openalex.org/works"
INSTITUTIONS_API = "https://api.openalex.org/institutions"
DETAILS_PER_CALL = 100  # OpenAlex accepts up to 100 values in one OR filter
KEY_VARIABLE = "OPENALEX_API_KEY"
LICENCE = "CC0-1.0 (OpenAlex)"
RETRY_STATUS = {429, 500, 502, 503, 504}


class OpenAlexError(RuntimeError):
    """A query failed for good; nothing of it was written."""


class BudgetExceeded(OpenAlexError):
    """The next call could take the run over its budget; the run stopped before making it."""


def api_key_from_environment() -> str:
    key = os.environ.get(KEY_VARIABLE, "").strip()
    if not key:
        raise OpenAlexError(
            f"OpenAlex needs an API key since 13 February 2026. Get a free key at openalex.org "
            f"and set it in the environment: export {KEY_VARIABLE}=... (never commit it)"
        )
    return key


@dataclass
class RateLimiter:
    """At most ``per_second`` calls in any one-second window."""

    per_second: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _last: float | None = None

    def wait(self) -> None:
        gap = 1.0 / self.per_second
        now = self.clock()
        if self._last is not None and now - self._last < gap:
            self.sleep(gap - (now - self._last))
            now = self.clock()
        self._last = now


@dataclass
class Query:
    name: str  # file stem the answer is saved under
    filter: str
    group_by: str

    def parameters(self) -> dict[str, str]:
        return {"filter": self.filter, "group_by": self.group_by, "per_page": "200"}


@dataclass
class OpenAlexClient:
    session: Any  # a requests.Session (requests_cache.CachedSession in normal use)
    api_key: str
    budget_usd: float = 1.0
    max_per_second: float = 10.0
    retries: int = 5
    backoff_seconds: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    calls: int = 0
    spent_usd: float = 0.0
    log: Callable[[str], None] = print
    _limiter: RateLimiter = field(init=False)
    _last_cost: float = 0.0001

    def __post_init__(self) -> None:
        self._limiter = RateLimiter(self.max_per_second, self.clock, self.sleep)

    def _get(self, parameters: dict[str, str], endpoint: str = API) -> dict[str, Any]:
        if self.spent_usd + self._last_cost > self.budget_usd:
            raise BudgetExceeded(
                f"stopping before the next call: {self.spent_usd:.4f} USD spent, the budget is "
                f"{self.budget_usd:.4f} USD (raise it with --budget-usd)"
            )
        attempt = 0
        while True:
            self._limiter.wait()
            self.calls += 1
            response = self.session.get(
                endpoint, params={**parameters, "api_key": self.api_key}, timeout=60
            )
            if response.status_code == 200:
                body = response.json()
                cost = float(body.get("meta", {}).get("cost_usd") or 0.0)
                if not getattr(response, "from_cache", False):
                    self.spent_usd += cost
                    self._last_cost = max(cost, self._last_cost)
                return body
            if response.status_code in RETRY_STATUS and attempt < self.retries:
                retry_after = response.headers.get("Retry-After", "")
                delay = (
                    float(retry_after)
                    if retry_after.replace(".", "", 1).isdigit()
                    else (self.backoff_seconds * 2**attempt)
                )
                self.log(f"OpenAlex answered {response.status_code}; retrying in {delay:.1f} s")
                self.sleep(delay)
                attempt += 1
                continue
            raise OpenAlexError(
                f"OpenAlex answered {response.status_code} for "
                f"{public_url(parameters, endpoint)} after "
                f"{attempt + 1} attempts: {response.text[:200]}"
            )

    def institution_details(self, ids: list[str]) -> dict[str, Any]:
        """Name, ROR, country and type of up to 100 institutions, in one list answer."""
        if len(ids) > DETAILS_PER_CALL:
            raise ValueError(f"at most {DETAILS_PER_CALL} institutions per call")
        parameters = {
            "filter": "openalex:" + "|".join(i.rsplit("/", 1)[-1] for i in ids),
            "select": "id,display_name,ror,country_code,type",
            "per_page": str(DETAILS_PER_CALL),
        }
        return self._get(parameters, INSTITUTIONS_API)

    def fetch(self, query: Query) -> list[tuple[str, dict[str, Any]]]:
        """Every page of one ``group_by`` query, in order, each with the cursor that got it."""
        pages = []
        cursor = "*"
        while cursor:
            body = self._get({**query.parameters(), "cursor": cursor})
            if "group_by" not in body or "meta" not in body:
                raise OpenAlexError(f"{query.name}: the answer has no group_by: {list(body)}")
            pages.append((cursor, body))
            cursor = body["meta"].get("next_cursor")
            if cursor and not body["group_by"]:
                break  # an empty page ends the list whatever the cursor says
        return pages


def public_url(parameters: dict[str, str], endpoint: str = API) -> str:
    """The query's URL as it may be shown and recorded: without the key."""
    shown = {k: v for k, v in parameters.items() if k != "api_key"}
    return f"{endpoint}?{urlencode(shown, safe=':,|*>')}"


def national_queries(first_year: int, last_year: int, ror: str | None = None) -> list[Query]:
    """The queries a national (or one institution's) refresh needs, before the field mix."""
    base, years = _scope(first_year, last_year, ror)
    queries = [
        Query("fi_works_by_year", f"{base},{years}", "publication_year"),
        Query(
            "fi_international_works_by_year",
            f"{base},{years},countries_distinct_count:>1",
            "publication_year",
        ),
    ]
    queries += [
        Query(
            f"fi_works_by_country_{year}",
            f"{base},publication_year:{year}",
            "authorships.countries",
        )
        for year in range(first_year, last_year + 1)
    ]
    queries.append(
        Query("fi_partner_institutions", f"{base},{years}", "authorships.institutions.lineage")
    )
    return queries


def field_queries(
    first_year: int, last_year: int, ror: str | None, partner_countries: list[str]
) -> list[Query]:
    """The field and subfield mix of co-publications with each of the given partners."""
    base, years = _scope(first_year, last_year, ror)
    queries = []
    for code in partner_countries:
        scope = f"{base},{years},authorships.countries:countries/{code}"
        queries.append(Query(f"fi_fields_with_{code}", scope, "primary_topic.field.id"))
        queries.append(Query(f"fi_subfields_with_{code}", scope, "primary_topic.subfield.id"))
    return queries


def critical_queries(
    first_year: int,
    last_year: int,
    ror: str | None,
    partner_countries: list[str],
    critical_subfields: list[int],
) -> list[Query]:
    """Co-publications with each partner in the given (critical) subfields, by year.

    One call per partner: the subfields are one OR filter (``|``), so the answer counts each
    work once however many of the subfields it could belong to. The ids are passed in (from
    ``config/critical_technologies.yaml``); OpenAlex takes at most 100 values in one filter.
    """
    ids = sorted({int(s) for s in critical_subfields})
    if not ids:
        return []
    if len(ids) > DETAILS_PER_CALL:
        raise ValueError(f"at most {DETAILS_PER_CALL} subfields in one OR filter, got {len(ids)}")
    base, years = _scope(first_year, last_year, ror)
    subfields = "primary_topic.subfield.id:" + "|".join(str(i) for i in ids)
    return [
        Query(
            f"fi_critical_by_year_with_{code}",
            f"{base},{years},authorships.countries:countries/{code},{subfields}",
            "publication_year",
        )
        for code in partner_countries
    ]


def partner_counts(pages: list[tuple[str, dict[str, Any]]]) -> dict[str, int]:
    """Co-publications by partner country (ISO code, Finland left out) from every page of a
    ``group_by=authorships.countries`` answer, largest first as the API orders them."""
    counts: dict[str, int] = {}
    for _, page in pages:
        for group in page["group_by"]:
            code = str(group["key"]).rsplit("/", 1)[-1]
            if code != "FI":
                counts[code] = counts.get(code, 0) + int(group["count"])
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def _scope(first_year: int, last_year: int, ror: str | None) -> tuple[str, str]:
    who = f"authorships.institutions.ror:{ror}" if ror else "institutions.country_code:FI"
    return f"{who},type:article|review", f"publication_year:{first_year}-{last_year}"


def save_answer(folder: Path, name: str, body: dict[str, Any], url: str) -> list[dict[str, Any]]:
    data = (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    write_bytes_atomic(folder / name, data)
    return [
        {
            "file": name,
            "url": url,
            "retrieved": datetime.now(UTC).isoformat(timespec="seconds"),
            "sha256": sha256_bytes(data),
            "cost_usd": float(body.get("meta", {}).get("cost_usd") or 0.0),
            "licence": LICENCE,
        }
    ]


def save_query(
    folder: Path, query: Query, pages: list[tuple[str, dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Write the pages (``name.json``, ``name__p2.json``, ...) and return manifest entries."""
    entries = []
    for number, (cursor, page) in enumerate(pages, start=1):
        name = f"{query.name}.json" if number == 1 else f"{query.name}__p{number}.json"
        url = public_url({**query.parameters(), "cursor": cursor})
        entries += save_answer(folder, name, page, url)
    return entries


def refresh(
    client: OpenAlexClient,
    folder: Path,
    first_year: int,
    last_year: int,
    ror: str | None = None,
    top_partners: int = 15,
    critical_subfields: list[int] | None = None,
    min_copublications: int | None = None,
) -> dict[str, Any]:
    """Run the national queries into ``folder``; a failing query writes nothing of its own.

    With ``critical_subfields`` (the subfield ids of the critical technology areas), each top
    partner gets one more query: its co-publications in those subfields by year. With
    ``min_copublications`` too (the scoring threshold), so does every other partner with at
    least that many co-publications in ``last_year``: every country the scoring will score, so
    that its critical-area share is measured rather than imputed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {"queries": []}
    done: list[dict[str, Any]] = []

    def run(query: Query) -> list[tuple[str, dict[str, Any]]]:
        pages = client.fetch(query)
        entries = save_query(folder, query, pages)
        done.extend(entries)
        client.log(f"{query.name}: {len(pages)} page(s), {client.spent_usd:.4f} USD so far")
        return pages

    try:
        last_countries: list[tuple[str, dict[str, Any]]] = []
        for query in national_queries(first_year, last_year, ror):
            pages = run(query)
            if query.name == f"fi_works_by_country_{last_year}":
                last_countries = pages
        counts = partner_counts(last_countries)
        partners = list(counts)[:top_partners]
        for query in field_queries(first_year, last_year, ror, partners):
            run(query)
        scored = [
            c
            for c, n in counts.items()
            if min_copublications is not None and n >= min_copublications
        ]
        measured = partners + [c for c in scored if c not in partners]
        for query in critical_queries(
            first_year, last_year, ror, measured, list(critical_subfields or [])
        ):
            run(query)
        lineage = json.loads((folder / "fi_partner_institutions.json").read_text())
        top = [g["key"] for g in lineage["group_by"]][:DETAILS_PER_CALL]
        if top:
            details = client.institution_details(top)
            done.extend(
                save_answer(
                    folder,
                    "fi_partner_institutions_details.json",
                    details,
                    public_url({"filter": f"openalex:<{len(top)} ids>"}, INSTITUTIONS_API),
                )
            )
    finally:
        kept = {e["file"]: e for e in manifest["queries"]}
        kept.update({e["file"]: e for e in done})
        manifest["queries"] = sorted(kept.values(), key=lambda e: e["file"])
        manifest["total_cost_usd_last_run"] = round(client.spent_usd, 6)
        manifest["calls_last_run"] = client.calls
        manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    client.log(f"OpenAlex refresh: {client.calls} calls, {client.spent_usd:.4f} USD")
    return manifest
