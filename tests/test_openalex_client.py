"""The OpenAlex client, offline, against answers in the real API's shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
import responses

from analysis.fetch.openalex import (
    API,
    INSTITUTIONS_API,
    BudgetExceeded,
    OpenAlexClient,
    OpenAlexError,
    Query,
    api_key_from_environment,
    critical_queries,
    national_queries,
    refresh,
)
from analysis.sources.openalex import read_group_by

KEY = "secret-test-key-123"


class FakeClock:
    """Time that passes only when the code sleeps, so rate tests are exact and instant."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def answer(
    groups: list[tuple[str, str, int]], next_cursor: str | None = None, cost: float = 0.0001
) -> dict:
    return {
        "meta": {
            "count": sum(g[2] for g in groups),
            "db_response_time_ms": 12,
            "page": None,
            "per_page": 200,
            "next_cursor": next_cursor,
            "groups_count": len(groups),
            "cost_usd": cost,
        },
        "group_by": [{"key": k, "key_display_name": n, "count": c} for k, n, c in groups],
    }


def client(clock: FakeClock, **kwargs) -> OpenAlexClient:
    return OpenAlexClient(
        requests.Session(), KEY, clock=clock, sleep=clock.sleep, log=lambda message: None, **kwargs
    )


QUERY = Query("fi_works_by_country_2024", "institutions.country_code:FI", "authorships.countries")


@responses.activate
def test_cursor_paging_collects_every_page() -> None:
    responses.get(
        API,
        json=answer([("https://openalex.org/countries/SE", "Sweden", 5)], "abc"),
        match=[responses.matchers.query_param_matcher({"cursor": "*"}, strict_match=False)],
    )
    responses.get(
        API,
        json=answer([("https://openalex.org/countries/NO", "Norway", 3)], None),
        match=[responses.matchers.query_param_matcher({"cursor": "abc"}, strict_match=False)],
    )
    pages = client(FakeClock()).fetch(QUERY)
    assert [cursor for cursor, _ in pages] == ["*", "abc"]
    assert [p["group_by"][0]["key_display_name"] for _, p in pages] == ["Sweden", "Norway"]


@responses.activate
def test_429_is_retried_after_the_time_the_api_asks() -> None:
    responses.get(API, status=429, headers={"Retry-After": "3"}, body="slow down")
    responses.get(API, json=answer([("FI", "Finland", 1)]))
    clock = FakeClock()
    api = client(clock)
    pages = api.fetch(QUERY)
    assert len(pages) == 1 and api.calls == 2
    assert 3.0 in clock.slept


@responses.activate
def test_server_errors_exhaust_retries_with_a_clear_error_and_nothing_written(
    tmp_path: Path,
) -> None:
    for _ in range(4):
        responses.get(API, status=500, body="internal error")
    api = client(FakeClock(), retries=3)
    with pytest.raises(OpenAlexError, match=r"answered 500 .* after 4 attempts") as error:
        refresh(api, tmp_path, 2023, 2024)
    assert KEY not in str(error.value)
    assert (
        not list(tmp_path.glob("*.json.tmp")) and not (tmp_path / "fi_works_by_year.json").exists()
    )
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["queries"] == [] and manifest["calls_last_run"] == 4


@responses.activate
def test_rate_cap_is_never_exceeded() -> None:
    clock = FakeClock()
    seen: list[float] = []

    def callback(request):
        seen.append(clock())
        return 200, {}, json.dumps(answer([("FI", "Finland", 1)]))

    responses.add_callback(responses.GET, API, callback=callback)
    api = client(clock, max_per_second=10)
    for _ in range(25):
        api.fetch(QUERY)
    gaps = [b - a for a, b in zip(seen, seen[1:], strict=False)]
    assert len(seen) == 25 and min(gaps) >= 0.1 - 1e-9
    # in any one-second window there are at most 10 calls
    assert max(sum(1 for t in seen if start <= t < start + 1) for start in seen) <= 10


@responses.activate
def test_budget_stops_before_the_call_that_would_exceed_it() -> None:
    responses.get(API, json=answer([("FI", "Finland", 1)], cost=0.4))
    api = client(FakeClock(), budget_usd=1.0)
    api.fetch(QUERY)
    api.fetch(QUERY)
    with pytest.raises(BudgetExceeded, match="0.8000 USD spent, the budget is 1.0000 USD"):
        api.fetch(QUERY)
    assert api.calls == 2


@responses.activate
def test_full_refresh_saves_answers_unchanged_without_the_key(tmp_path: Path) -> None:
    def callback(request):
        assert request.params["api_key"] == KEY
        group_by = request.params["group_by"]
        if group_by == "publication_year":
            body = answer([("2024", "2024", 100), ("2023", "2023", 90)])
        elif group_by == "authorships.countries":
            body = answer(
                [
                    ("https://openalex.org/countries/FI", "Finland", 100),
                    ("https://openalex.org/countries/SE", "Sweden", 30),
                    ("https://openalex.org/countries/US", "United States", 20),
                ]
            )
        elif group_by == "authorships.institutions.lineage":
            body = answer([("https://openalex.org/I1", "University X", 10)])
        else:
            body = answer([("https://openalex.org/fields/17", "Computer Science", 4)])
        return 200, {}, json.dumps(body)

    def institutions(request):
        assert request.params["filter"] == "openalex:I1"
        return (
            200,
            {},
            json.dumps(
                {
                    "meta": {"count": 1, "cost_usd": 0.0001},
                    "results": [
                        {
                            "id": "https://openalex.org/I1",
                            "display_name": "University X",
                            "ror": "https://ror.org/0abcde123",
                            "country_code": "SE",
                            "type": "education",
                        }
                    ],
                }
            ),
        )

    responses.add_callback(responses.GET, API, callback=callback)
    responses.add_callback(responses.GET, INSTITUTIONS_API, callback=institutions)
    api = client(FakeClock())
    manifest = refresh(api, tmp_path, 2023, 2024, top_partners=2)
    files = sorted(p.name for p in tmp_path.glob("*.json"))
    assert "fi_works_by_country_2024.json" in files and "fi_fields_with_SE.json" in files
    assert "fi_fields_with_US.json" in files and "fi_fields_with_FI.json" not in files
    assert "fi_partner_institutions_details.json" in files
    assert "fi_subfields_with_SE.json" in files
    expected_calls = len(national_queries(2023, 2024)) + 2 * 2 + 1  # fields, subfields, details
    assert api.calls == expected_calls == manifest["calls_last_run"]
    for path in tmp_path.glob("*.json"):
        assert KEY not in path.read_text()
    for entry in manifest["queries"]:
        assert "api_key" not in entry["url"] and entry["licence"].startswith("CC0")
        assert len(entry["sha256"]) == 64
    groups, _ = read_group_by(tmp_path / "fi_works_by_country_2024.json")
    assert groups["key"].tolist() == ["FI", "SE", "US"]


@responses.activate
def test_critical_subfields_add_one_by_year_query_per_partner(tmp_path: Path) -> None:
    seen: list[dict[str, str]] = []

    def callback(request):
        params = dict(request.params)
        seen.append(params)
        if params["group_by"] == "authorships.countries":
            body = answer(
                [
                    ("https://openalex.org/countries/FI", "Finland", 100),
                    ("https://openalex.org/countries/SE", "Sweden", 30),
                    ("https://openalex.org/countries/US", "United States", 20),
                ]
            )
        elif params["group_by"] == "publication_year":
            body = answer([("2024", "2024", 7), ("2023", "2023", 5)])
        elif params["group_by"] == "authorships.institutions.lineage":
            body = answer([])
        else:
            body = answer([("https://openalex.org/subfields/1702", "Artificial Intelligence", 4)])
        return 200, {}, json.dumps(body)

    responses.add_callback(responses.GET, API, callback=callback)
    api = client(FakeClock())
    # duplicates and unsorted ids, as a subfield may serve several areas
    manifest = refresh(
        api, tmp_path, 2023, 2024, top_partners=2, critical_subfields=[3104, 1702, 3104]
    )
    critical = [p for p in seen if "primary_topic.subfield.id" in p["filter"]]
    assert [p["filter"] for p in critical] == [
        "institutions.country_code:FI,type:article|review,publication_year:2023-2024,"
        f"authorships.countries:countries/{code},primary_topic.subfield.id:1702|3104"
        for code in ("SE", "US")
    ]
    assert {p["group_by"] for p in critical} == {"publication_year"}
    # national queries, fields and subfields of two partners, two critical queries; no
    # details call, since the lineage answer is empty
    assert api.calls == len(national_queries(2023, 2024)) + 2 * 2 + 2 == manifest["calls_last_run"]
    saved = {e["file"]: e for e in manifest["queries"]}
    assert "fi_critical_by_year_with_SE.json" in saved
    assert "primary_topic.subfield.id:1702|3104" in saved["fi_critical_by_year_with_US.json"]["url"]
    groups, meta = read_group_by(tmp_path / "fi_critical_by_year_with_SE.json")
    assert groups["key"].tolist() == ["2024", "2023"] and meta["count"] == 12


def test_no_critical_subfields_means_no_critical_queries() -> None:
    assert critical_queries(2015, 2024, None, ["SE"], []) == []
    with pytest.raises(ValueError, match="at most 100 subfields"):
        critical_queries(2015, 2024, None, ["SE"], list(range(1000, 1101)))


@responses.activate
def test_every_scored_partner_gets_its_critical_query_from_every_country_page(
    tmp_path: Path,
) -> None:
    """With the scoring threshold, the partners beyond the top ones that reach it get their
    critical-area query too, read from both pages of the latest year's country answer; a
    partner below the threshold gets none."""
    seen: list[dict[str, str]] = []
    first = [
        ("https://openalex.org/countries/FI", "Finland", 900),
        ("https://openalex.org/countries/SE", "Sweden", 400),
        ("https://openalex.org/countries/US", "United States", 300),
        ("https://openalex.org/countries/IN", "India", 150),
    ]
    second = [
        ("https://openalex.org/countries/TR", "Türkiye", 100),
        ("https://openalex.org/countries/BY", "Belarus", 99),
    ]

    def callback(request):
        params = dict(request.params)
        seen.append(params)
        if params["group_by"] == "authorships.countries":
            if "publication_year:2024" not in params["filter"]:
                body = answer(first[:2])
            elif params["cursor"] == "*":
                body = answer(first, next_cursor="page2")
            else:
                body = answer(second)
        elif params["group_by"] == "authorships.institutions.lineage":
            body = answer([])
        else:
            body = answer([("2024", "2024", 3)])
        return 200, {}, json.dumps(body)

    responses.add_callback(responses.GET, API, callback=callback)
    api = client(FakeClock())
    manifest = refresh(
        api,
        tmp_path,
        2023,
        2024,
        top_partners=2,
        critical_subfields=[1702],
        min_copublications=100,
    )
    critical = [p["filter"] for p in seen if "primary_topic.subfield.id" in p["filter"]]
    assert [f.split("authorships.countries:countries/")[1][:2] for f in critical] == [
        "SE",
        "US",
        "IN",
        "TR",
    ]
    fields = [p["filter"] for p in seen if p["group_by"] == "primary_topic.field.id"]
    assert len(fields) == 2  # the field mix stays with the top partners
    # national queries (one more page for 2024), fields and subfields of two partners, four
    # critical queries, no details call (the lineage answer is empty)
    assert api.calls == len(national_queries(2023, 2024)) + 1 + 2 * 2 + 4
    assert api.calls == manifest["calls_last_run"]
    saved = {e["file"] for e in manifest["queries"]}
    assert {"fi_critical_by_year_with_TR.json", "fi_works_by_country_2024__p2.json"} <= saved
    assert "fi_critical_by_year_with_BY.json" not in saved


@responses.activate
def test_the_budget_holds_with_the_scored_partners_queries(tmp_path: Path) -> None:
    """The added queries are charged like any other: the run stops before the call that
    would exceed the budget, and what arrived before it is saved and in the manifest."""

    def callback(request):
        params = dict(request.params)
        if params["group_by"] == "authorships.countries":
            groups = [("https://openalex.org/countries/FI", "Finland", 900)] + [
                (f"https://openalex.org/countries/{c}", c, 500 - i)
                for i, c in enumerate(["SE", "US", "DE", "IN", "TR"])
            ]
            return 200, {}, json.dumps(answer(groups, cost=0.01))
        return 200, {}, json.dumps(answer([("2024", "2024", 3)], cost=0.01))

    responses.add_callback(responses.GET, API, callback=callback)
    api = client(FakeClock(), budget_usd=0.1)
    with pytest.raises(BudgetExceeded):
        refresh(
            api,
            tmp_path,
            2023,
            2024,
            top_partners=1,
            critical_subfields=[1702],
            min_copublications=100,
        )
    # 0.01 USD a call: ten calls fit in 0.1 USD. Five national queries, two for the top
    # partner's field mix, then the critical queries of SE, US and DE; the stop comes before
    # India's, so Türkiye's is never asked.
    assert api.calls == 10
    assert api.spent_usd <= 0.1 + 1e-9
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["calls_last_run"] == api.calls
    assert len(manifest["queries"]) == api.calls
    saved = {e["file"] for e in manifest["queries"]}
    assert "fi_critical_by_year_with_DE.json" in saved
    assert not {"fi_critical_by_year_with_IN.json", "fi_critical_by_year_with_TR.json"} & saved


def test_national_refresh_needs_few_calls() -> None:
    # national queries, then fields and subfields for 15 partners, critical subfields by year
    # for every scored partner (32 on the demo, the 15 among them), then one call for the
    # partner institutions' details
    assert len(national_queries(2015, 2024)) + 2 * 15 + 32 + 1 == 76


def test_missing_key_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.delenv("OPENALEX_API_KEY", raising=False)
    with pytest.raises(OpenAlexError, match="OPENALEX_API_KEY"):
        api_key_from_environment()
