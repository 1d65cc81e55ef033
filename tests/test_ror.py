"""The ROR reader on the real samples in ../shared/samples/ror and on hand-made records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.sources.openalex import OpenAlexFormatError, read_institution
from analysis.sources.ror import (
    RorFormatError,
    bare_ror,
    is_ror_id,
    iter_dump,
    iter_json_array,
    parse_record,
    read_records,
)
from tests.conftest import shared_sample

TURKU = "ror/ror_v2_1_record_05vghhr25_university_of_turku.json"
SEARCH = "ror/ror_v2_es_search_response.json"


def _record(ror_id: str, name: str, version: str = "2.1", **extra) -> dict:
    return {
        "id": f"https://ror.org/{ror_id}",
        "names": [{"value": name, "types": ["ror_display", "label"], "lang": "en"}],
        "admin": {"last_modified": {"date": "2025-01-01", "schema_version": version}},
        "locations": [{"geonames_details": {"country_code": "XX"}}],
        "types": ["education"],
        "status": "active",
        **extra,
    }


def test_a_v2_1_record_of_the_university_of_turku() -> None:
    (record,) = read_records(shared_sample(TURKU))
    assert record.id == "05vghhr25" and record.url == "https://ror.org/05vghhr25"
    assert record.name == "University of Turku"
    assert {(label.value, label.lang) for label in record.labels} == {
        ("Turun yliopisto", "fi"),
        ("University of Turku", "en"),
        ("Åbo universitet", "sv"),
    }
    assert record.schema_version == "2.1"  # admin.created says 1.0: last_modified decides
    assert record.last_modified == "2026-06-02"
    assert record.types == ("education", "funder")
    assert record.country == "FI" and record.established == 1920 and record.status == "active"
    children = [r.label for r in record.related("child")]
    assert children == [
        "Turku Centre for Computer Science",
        "Turku PET Centre",
        "Turun Yliopistosäätiö",
    ]
    assert [r.id for r in record.related("related")] == ["05dbzj528", "02w0r2764"]
    assert record.related("parent") == []
    assert record.external_ids["fundref"] == ("501100005609", "501100008557")


def test_an_elasticsearch_answer_unwraps_its_twenty_v2_records() -> None:
    records = read_records(shared_sample(SEARCH))
    assert len(records) == 20
    assert records[0].id == "02bfwt286" and records[0].name == "Monash University"
    assert {r.country for r in records} == {"AU"}
    assert {r.schema_version for r in records} == {"2.0"}
    monash = records[0]
    assert len(monash.related("child")) == 5 and len(monash.related("related")) == 8
    assert monash.established == 1958


def test_the_dump_is_read_one_record_at_a_time_from_small_chunks(tmp_path: Path) -> None:
    records = [_record("0aaaaaa01", 'Alpha, [bracketed] "name"'), _record("0aaaaaa02", "Beta")]
    text = json.dumps(records, indent=2)
    chunks = [text[i : i + 7] for i in range(0, len(text), 7)]
    parsed = [parse_record(r) for r in iter_json_array(chunks)]
    assert [r.name for r in parsed] == ['Alpha, [bracketed] "name"', "Beta"]
    dump = tmp_path / "v9-ror-data_schema_v2.json"
    dump.write_text(text, encoding="utf-8")
    assert [r.id for r in iter_dump(dump)] == ["0aaaaaa01", "0aaaaaa02"]
    assert [r.id for r in read_records(dump)] == ["0aaaaaa01", "0aaaaaa02"]
    dump.write_text(text[:-40], encoding="utf-8")
    with pytest.raises(RorFormatError, match="truncated"):
        list(iter_dump(dump))


def test_a_v1_record_is_refused_naming_its_schema_version(tmp_path: Path) -> None:
    v1 = _record("0aaaaaa01", "Alpha", version="1.0")
    with pytest.raises(RorFormatError, match="schema version 1.0"):
        parse_record(v1)
    old = {"id": "https://ror.org/0aaaaaa01", "name": "Alpha", "labels": []}
    with pytest.raises(RorFormatError, match="v1 record"):
        parse_record(old)


def test_names_by_type_and_relationships() -> None:
    record = parse_record(
        _record(
            "0aaaaaa03",
            "Gamma Institute",
            names=[
                {"value": "GI", "types": ["acronym"], "lang": None},
                {"value": "Gamma Inst.", "types": ["alias"], "lang": None},
                {"value": "Gamma Institute", "types": ["ror_display"], "lang": "en"},
                {"value": "Gamma-instituutti", "types": ["label"], "lang": "fi"},
            ],
            relationships=[{"type": "parent", "id": "https://ror.org/0aaaaaa09", "label": "P"}],
            established=None,
        )
    )
    assert record.acronyms == ("GI",) and record.aliases == ("Gamma Inst.",)
    assert record.all_names == ["Gamma Institute", "Gamma-instituutti", "Gamma Inst.", "GI"]
    assert record.related("parent")[0].id == "0aaaaaa09" and record.established is None


def test_ror_ids() -> None:
    assert bare_ror("https://ror.org/05VGHHR25") == "05vghhr25"
    assert is_ror_id("ror.org/05vghhr25") and not is_ror_id("I27837315")
    assert not is_ror_id("University of Turku")


def test_an_openalex_institution_record() -> None:
    record = read_institution(shared_sample("openalex/openalex_institution_I27837315_single.json"))
    assert record.id == "I27837315" and record.ror == "00jmfr291"
    assert record.name == "University of Michigan" and record.country == "US"
    assert record.type == "funder" and record.acronyms == ("UM",)
    assert record.lineage == ("I27837315",)
    assert len(record.associated) == 12
    assert {a["relationship"] for a in record.associated} == {"child", "related"}
    assert record.works_by_year[2022] == 454439 and min(record.works_by_year) == 2012
    assert record.updated == "2025-06-17"


def test_an_openalex_answer_that_is_not_an_institution_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text('{"id": "https://openalex.org/W1"}', encoding="utf-8")
    with pytest.raises(OpenAlexFormatError, match="not an OpenAlex institution"):
        read_institution(path)
