"""A partner brief's Finnish counterpart institutions: the query, the reader, the brief."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
import requests
import responses
from responses import matchers

from analysis.cooperation.counterparts import alias_table, finnish_counterparts
from analysis.fetch.openalex import API, INSTITUTIONS_API, OpenAlexClient
from analysis.fetch.partner import (
    COUNTERPART_DETAILS_FILE,
    COUNTERPARTS_FILE,
    counterpart_query,
    ensure_partner_answers,
    missing_counterparts,
    partner_folder,
)
from analysis.sources.openalex import (
    OpenAlexFormatError,
    read_group_by,
    read_institution_list,
)
from tests.conftest import REPO_ROOT
from tests.test_partner_brief import DEMO, _brief, _demo_processed

RECORDED = DEMO / "partners" / "openalex" / "I9000043"


def test_the_counterpart_query_filters_by_partner_and_finland_and_groups_by_lineage() -> None:
    query = counterpart_query("I9000043", 2015, 2024)
    assert query.filter == (
        "institutions.id:I9000043,institutions.country_code:FI,"
        "type:article|review,publication_year:2015-2024"
    )
    assert query.group_by == "authorships.institutions.lineage"
    assert query.parameters()["per_page"] == "100" and not query.all_pages
    assert query.url == (
        "https://api.openalex.org/works?filter=institutions.id:I9000043,"
        "institutions.country_code:FI,type:article|review,publication_year:2015-2024"
        "&group_by=authorships.institutions.lineage&per_page=100"
    )


def test_only_finnish_groups_are_kept_named_keyed_and_the_given_one_marked() -> None:
    groups = pd.DataFrame(
        {
            "key": ["I1", "I2", "I3", "I4", "I5", "I6"],
            "key_display_name": ["Partner U", "Univ. B", "Other U", "Uni C", "Beyond", "H&C"],
            "count": [40, 25, 12, 30, 3, 2],
        }
    )
    details = pd.DataFrame(
        {
            "id": ["I1", "I2", "I3", "I4", "I6"],
            "display_name": ["Partner U", "Univ. B", "Other U", "Uni C", "Hospital <&> C"],
            "ror": ["0p", "0b", "0o", "0c", None],
            "country_code": ["CN", "FI", "DE", "FI", "FI"],
            "type": ["education"] * 5,
        }
    )
    aliases = alias_table(
        pd.DataFrame({"alias": ["university b", "Uni C"], "organisation_key": ["UNI-B", "UNI-C"]})
    )
    ror_names = {"0c": ("Yliopisto C", ["University C", "Yliopisto C"])}
    table, count = finnish_counterparts(
        groups, details, aliases=aliases, ror_names=ror_names, given=(None, "0b")
    )
    # Most co-publications first; the partner (CN), the German co-author and the group
    # without details are left out.
    assert table["institution_id"].tolist() == ["I4", "I2", "I6"]
    assert table["name"].tolist() == ["Yliopisto C", "Univ. B", "Hospital <&> C"]
    assert table["organisation_key"].tolist() == ["UNI-C", "", ""]  # "Univ. B" is no alias
    assert table["works"].tolist() == [30, 25, 2]
    assert table["given"].tolist() == [False, True, False]
    assert (count.groups, count.finnish, count.without_details) == (6, 3, 1)


def test_the_reader_reads_a_recorded_answer_and_keeps_the_finnish_institutions() -> None:
    groups, _ = read_group_by(RECORDED / COUNTERPARTS_FILE)
    details = read_institution_list(RECORDED / COUNTERPART_DETAILS_FILE)
    raw = json.loads((RECORDED / COUNTERPART_DETAILS_FILE).read_text(encoding="utf-8"))
    finnish = {r["id"].rsplit("/", 1)[-1] for r in raw["results"] if r["country_code"] == "FI"}
    table, count = finnish_counterparts(groups, details)
    assert set(table["institution_id"]) == finnish and "I9000043" not in finnish
    assert table["works"].is_monotonic_decreasing
    assert count.groups == len(groups) and count.finnish == len(finnish)
    assert details.loc[details["id"] == "I8000001", "ror"].item() == "0zy000100"


def test_an_institution_list_answer_that_is_not_one_is_named(tmp_path: Path) -> None:
    path = tmp_path / "details.json"
    path.write_text('{"meta": {}, "group_by": []}', encoding="utf-8")
    with pytest.raises(OpenAlexFormatError, match="no 'results' list"):
        read_institution_list(path)
    path.write_text(
        json.dumps({"results": [{"id": "https://openalex.org/I1"}] * 2}), encoding="utf-8"
    )
    with pytest.raises(OpenAlexFormatError, match="institutions repeat"):
        read_institution_list(path)


def _works(group_by: str, body: dict) -> None:
    responses.add(
        responses.GET,
        API,
        json=body,
        match=[matchers.query_param_matcher({"group_by": group_by}, strict_match=False)],
    )


def _group(key: str, name: str, count: int) -> dict:
    return {"key": f"https://openalex.org/{key}", "key_display_name": name, "count": count}


@responses.activate
def test_an_uncached_brief_asks_openalex_five_times_and_a_rerun_none(tmp_path: Path) -> None:
    responses.add(
        responses.GET,
        f"{INSTITUTIONS_API}/I9000001",
        json={"id": "https://openalex.org/I9000001", "display_name": "Partner University SE-1"},
    )
    by_year = {
        "meta": {"count": 3, "groups_count": 1, "cost_usd": 0.0001, "next_cursor": None},
        "group_by": [{"key": "2024", "key_display_name": "2024", "count": 3}],
    }
    _works("publication_year", by_year)
    groups = [_group("I9000001", "Partner University SE-1", 3), _group("I8000001", "U A", 2)]
    _works(
        "authorships.institutions.lineage",
        {"meta": {"count": 3, "groups_count": 2, "cost_usd": 0.0001}, "group_by": groups},
    )
    responses.add(
        responses.GET,
        INSTITUTIONS_API,
        json={"meta": {"count": 2}, "results": [{"id": "https://openalex.org/I8000001"}]},
    )
    client = OpenAlexClient(
        requests.Session(), "secret-key", sleep=lambda _: None, log=lambda _: None
    )
    assert ensure_partner_answers(client, tmp_path, "I9000001", None, 2015, 2024, [1702]) == 5
    folder = partner_folder(tmp_path, "I9000001")
    assert sorted(p.name for p in folder.iterdir()) == [
        "copublications_by_year.json",
        "critical_by_year.json",
        COUNTERPARTS_FILE,
        COUNTERPART_DETAILS_FILE,
        "institution.json",
        "queries.json",
    ]
    assert "secret-key" not in (folder / "queries.json").read_text(encoding="utf-8")
    assert ensure_partner_answers(client, tmp_path, "I9000001", None, 2015, 2024, [1702]) == 0
    assert len(responses.calls) == 5
    asked = [parse_qs(urlparse(call.request.url).query) for call in responses.calls]
    lineage = next(q for q in asked if q.get("group_by") == ["authorships.institutions.lineage"])
    assert lineage["filter"] == [counterpart_query("I9000001", 2015, 2024).filter]
    assert "cursor" not in lineage  # one page: the largest groups
    details = asked[-1]
    assert details["filter"] == ["openalex:I9000001|I8000001"]
    # A brief for one Finnish organisation reuses the partner's counterparts.
    assert ensure_partner_answers(client, tmp_path, "I9000001", "I8000001", 2015, 2024, []) == 3
    assert missing_counterparts(folder) == []


def test_no_details_are_needed_when_the_partner_has_no_co_authoring_group(
    tmp_path: Path,
) -> None:
    (tmp_path / COUNTERPARTS_FILE).write_text(
        '{"meta": {"count": 0, "groups_count": 0}, "group_by": []}', encoding="utf-8"
    )
    assert missing_counterparts(tmp_path) == []
    assert missing_counterparts(tmp_path / "none") == [COUNTERPARTS_FILE, COUNTERPART_DETAILS_FILE]


def _shown(monkeypatch, data) -> tuple[list, list[str]]:
    """What ``brief.counterparts`` displays: the tables and the paragraphs."""
    from analysis.report import brief

    tables, paragraphs = [], []
    monkeypatch.setattr(brief, "display", lambda html: paragraphs.append(html.data))
    pub = SimpleNamespace(table=lambda frame, **kw: tables.append((frame, kw)))
    brief.counterparts(data, pub)
    return tables, paragraphs


def test_the_brief_shows_the_counterparts_with_source_date_and_the_institution_marked(
    tmp_path: Path, monkeypatch
) -> None:
    processed = _demo_processed(tmp_path)
    data = _brief(DEMO, processed, "Partner University CN-2", "University A")
    tables, paragraphs = _shown(monkeypatch, data)
    ((frame, options),) = tables
    assert list(frame.columns) == ["Finnish organisation", "Key", "Co-publications 2015–2024"]
    assert frame.iloc[0, 0] == "University A — the institution of this brief"
    assert frame.iloc[0, 1] == "UNI-A" and frame.iloc[:, 2].is_monotonic_decreasing
    assert options["print_rows"] == 5 and len(frame) > 5  # "… and N more" on paper
    assert options["caption"].startswith("OpenAlex, retrieved 2024-10-07;")
    assert "University A: 249 co-publications, number 1 of the 11" in paragraphs[-1]


def test_a_counterpart_name_is_escaped_and_the_swedish_edition_names_from_ror(
    tmp_path: Path, monkeypatch
) -> None:
    from analysis.figures.tables import table_html
    from analysis.steps.partner_brief import load_brief

    processed = _demo_processed(tmp_path)
    data = _brief(DEMO, processed, "Partner University SE-1")
    tables, _ = _shown(monkeypatch, data)
    frame = tables[0][0]
    assert "Demo University Hospital & Clinics" in frame.iloc[:, 0].tolist()
    page = table_html(frame, "en")
    assert "Demo University Hospital &amp; Clinics" in page and "Hospital & " not in page
    swedish = load_brief(
        str(DEMO),
        str(processed),
        "Partner University SE-1",
        "",
        str(REPO_ROOT / "config" / "screening.yaml"),
        str(REPO_ROOT / "config" / "country_aliases.yaml"),
        str(REPO_ROOT / "config" / "critical_technologies.yaml"),
        "sv",
    )
    names = swedish.counterparts["name"].tolist()
    assert "Universitet A" in names and "University A" not in names  # the ROR label


def test_a_partner_without_a_recorded_counterparts_answer_says_so(
    tmp_path: Path, monkeypatch
) -> None:
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(DEMO, raw)
    (raw / "partners" / "openalex" / "I9000001" / COUNTERPARTS_FILE).unlink()
    data = _brief(raw, _demo_processed(tmp_path / "p"), "Partner University SE-1")
    tables, paragraphs = _shown(monkeypatch, data)
    assert tables == [] and "for the reviewer" in paragraphs[0]
