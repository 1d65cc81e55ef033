"""Survey cleaning on small hand-made exports: every rule, every row accounted for."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.reference.countries import CountryResolver
from analysis.sources.exports import read_export
from analysis.survey.clean import CleaningRules, clean_export
from analysis.survey.codebook import load_codebook
from analysis.survey.folder import clean_folder
from analysis.survey.mapping import MappingError, load_mapping
from tests.conftest import REPO_ROOT

CODEBOOK = load_codebook(REPO_ROOT / "config" / "codebook.yaml")
COUNTRIES = CountryResolver(REPO_ROOT / "config" / "country_aliases.yaml")
RULES = CleaningRules(datetime(2024, 9, 2), datetime(2024, 10, 4, 23, 59), speeder_seconds=60)
MAPPING = {
    "export": "export.csv",
    "respondent_id": "id",
    "submitted_at": {"column": "time", "format": "%Y-%m-%d %H:%M"},
    "duration_seconds": "secs",
    "status": {"column": "done", "complete": ["1"]},
    "items": {
        "organisation": "org",
        "org_type": "type",
        "threat_dual_use": "t1",
        "threat_reputation": "t2",
        "opp_talent": "o1",
        "prep_training": "p1",
        "comment": "c",
    },
    "countries": {"concern_countries": {"options": {"cc_cn": "Kiina"}, "other": "cc_other"}},
}
HEADER = [
    "id",
    "time",
    "secs",
    "done",
    "org",
    "type",
    "t1",
    "t2",
    "o1",
    "p1",
    "c",
    "cc_cn",
    "cc_other",
]
GOOD = ["Yliopisto", "Täysin samaa mieltä", "Jokseenkin eri mieltä", "5", "Kyllä"]
ROWS = [
    ["1", "2024-09-03 10:00", "400", "1", "Yliopisto A", *GOOD, "", "1", ""],  # 2 kept
    ["2", "2024-09-03 11:00", "400", "1", "TESTI", *GOOD, "", "", ""],  # 3 test
    ["3", "2024-09-03 12:00", "400", "0", "AMK 07", *GOOD, "", "", ""],  # 4 incomplete
    ["4", "2024-08-01 12:00", "400", "1", "AMK 07", *GOOD, "", "", ""],  # 5 outside
    ["1", "2024-09-03 10:00", "400", "1", "Yliopisto A", *GOOD, "", "1", ""],  # 6 duplicate
    ["5", "2024-09-04 09:00", "300", "1", "AMK 07", *GOOD, "", "", ""],  # 7 superseded
    ["5", "2024-09-05 09:00", "300", "1", "AMK 07", *GOOD, "", "", ""],  # 8 kept
    ["6", "2024-09-05 09:00", "310", "1", "AMK 07", *GOOD, "", "", ""],  # 9 twin of 8
    [
        "7",
        "2024-09-06 09:00",
        "300",
        "1",
        "AMK 07",
        "Ammattikorkeakoulu",
        "Erittäin",
        "1",
        "5",
        "Ei",
        "",
        "",
        "",
    ],  # 10 unknown
    ["8", "2024-09-06 10:00", "300", "1", "Mystery U", *GOOD, "", "", ""],  # 11 unknown org
    [
        "9",
        "2024-09-07 10:00",
        "500",
        "1",
        "  University A ",
        "Universitet",
        "En osaa sanoa",
        "",
        " Helt av samma åsikt",
        "Delvis",
        "",
        "",
        "Venäjä, Korea, Rep.; Narnia",
    ],  # 12 kept
    [
        "10",
        "2024-09-08 10:00",
        "30",
        "1",
        "AMK 07",
        "Ammattikorkeakoulu",
        "3",
        "3",
        "3",
        "Ei",
        "=1+1",
        "",
        "",
    ],  # 13 kept, speeder
]
ALIASES = pd.DataFrame(
    [
        ["Yliopisto A", "UNI-A", "university"],
        ["University A", "UNI-A", "university"],
        ["AMK 07", "UAS-07", "uas"],
    ],
    columns=["alias", "organisation_key", "org_type"],
)


def write_export(folder: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "export.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    (folder / "export.mapping.yaml").write_text(yaml.safe_dump(MAPPING, allow_unicode=True))
    ALIASES.to_csv(folder / "organisation_aliases.csv", index=False)
    return folder


def clean(folder: Path):
    mapping = load_mapping(folder / "export.mapping.yaml")
    return clean_export(read_export(mapping.export), mapping, CODEBOOK, ALIASES, COUNTRIES, RULES)


def test_every_rule_on_a_hand_made_export(tmp_path: Path) -> None:
    result = clean(write_export(tmp_path, ROWS))
    reasons = dict(zip(result.rejects["source_row"], result.rejects["reason_code"], strict=True))
    assert reasons == {
        3: "test",
        4: "incomplete",
        5: "outside_window",
        6: "duplicate_row",
        7: "superseded",
        9: "duplicate_submission",
        10: "unknown_value",
        11: "unknown_organisation",
    }
    details = dict(zip(result.rejects["source_row"], result.rejects["detail"], strict=True))
    assert details[6] == "identical to row 2"
    assert details[7] == "kept row 8"
    assert details[9] == "same answers and time as row 8"
    assert details[10] == "t1 = 'Erittäin'"
    assert result.respondents["source_row"].tolist() == [2, 8, 12, 13]
    accounting = result.accounting.iloc[0]
    assert (accounting["rows_read"], accounting["kept"], accounting["rejected"]) == (12, 4, 8)


def test_codes_dont_know_no_answer_and_languages(tmp_path: Path) -> None:
    result = clean(write_export(tmp_path, ROWS))
    answers = result.answers.set_index(["respondent_key", "item_id"])
    row_12 = "export#9"
    assert answers.loc[(row_12, "threat_dual_use"), "status"] == "dont_know"
    assert pd.isna(answers.loc[(row_12, "threat_dual_use"), "code"])
    assert answers.loc[(row_12, "threat_reputation"), "status"] == "no_answer"
    assert answers.loc[(row_12, "opp_talent"), "score"] == 5  # Swedish label, stray spaces
    assert answers.loc[(row_12, "prep_training"), "code"] == "partly"
    assert answers.loc[("export#1", "threat_dual_use"), "score"] == 5
    respondents = result.respondents.set_index("respondent_key")
    assert respondents.loc[row_12, "organisation_key"] == "UNI-A"
    assert respondents.loc[row_12, "org_type"] == "university"
    assert respondents.loc["export#10", "flag_speeder"]
    assert not respondents.loc["export#1", "flag_speeder"]


def test_country_answers_split_and_harmonised(tmp_path: Path) -> None:
    result = clean(write_export(tmp_path, ROWS))
    mentions = result.countries
    assert sorted(mentions["iso2"].dropna()) == ["CN", "KR", "RU"]
    assert result.unmapped_countries["value"].tolist() == ["Narnia"]


def test_missing_columns_are_named(tmp_path: Path) -> None:
    header = [h for h in HEADER if h not in {"t2", "o1"}]
    rows = [[v for h, v in zip(HEADER, r, strict=True) if h not in {"t2", "o1"}] for r in ROWS]
    with pytest.raises(MappingError, match=r"missing from the export: \['o1', 't2'\]"):
        clean(write_export(tmp_path, rows, header))


def test_empty_export_with_header_only(tmp_path: Path) -> None:
    result = clean(write_export(tmp_path, []))
    assert len(result.respondents) == 0
    assert result.accounting.iloc[0]["rows_read"] == 0


def test_folder_needs_the_alias_table(tmp_path: Path) -> None:
    folder = write_export(tmp_path, ROWS)
    (folder / "organisation_aliases.csv").unlink()
    with pytest.raises(FileNotFoundError, match="organisation_aliases.csv"):
        clean_folder(folder, CODEBOOK, COUNTRIES, RULES)


def test_demo_exports_are_fully_accounted_for() -> None:
    result = clean_folder(
        REPO_ROOT / "data" / "raw" / "demo" / "survey", CODEBOOK, COUNTRIES, RULES
    )
    accounting = result.accounting.set_index("source_file")
    assert (accounting["rows_read"] == accounting["kept"] + accounting["rejected"]).all()
    assert accounting["rejected_duplicate_row"].sum() == 3
    assert accounting["rejected_test"].sum() == 3
    assert accounting["rejected_unknown_value"].sum() == 3
    assert accounting["rejected_duplicate_submission"].sum() == 1
    assert 250 <= len(result.respondents) <= 300
    assert result.respondents["organisation_key"].nunique() == 40


cell = st.sampled_from(["", "1", "5", "Kyllä", "Täysin samaa mieltä", "x", " 3 ", "En osaa sanoa"])
row = st.tuples(
    st.sampled_from(["1", "2", "3", ""]),
    st.sampled_from(["2024-09-03 10:00", "2024-08-01 10:00", "bad", ""]),
    st.sampled_from(["1", "0", ""]),
    st.sampled_from(["Yliopisto A", "AMK 07", "test", "Nobody", ""]),
    st.sampled_from(["Yliopisto", "Ammattikorkeakoulu", "", "?"]),
    cell,
    cell,
    cell,
    cell,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(row, max_size=15))
def test_property_processed_plus_rejected_equals_raw(tmp_path_factory, rows) -> None:
    folder = tmp_path_factory.mktemp("export")
    full = [[i, t, "200", d, o, ty, a, b, c, p, "", "", ""] for i, t, d, o, ty, a, b, c, p in rows]
    result = clean(write_export(folder, full))
    assert len(result.respondents) + len(result.rejects) == len(rows)
    assert set(result.respondents["source_row"]).isdisjoint(result.rejects["source_row"])


def test_an_invalid_resubmission_does_not_replace_a_valid_answer(tmp_path: Path) -> None:
    rows = [
        ["5", "2024-09-04 09:00", "300", "1", "AMK 07", *GOOD, "", "", ""],
        ["5", "2024-09-05 09:00", "300", "1", "AMK 7 (typo)", *GOOD, "", "", ""],
    ]
    result = clean(write_export(tmp_path, rows))
    assert result.respondents["source_row"].tolist() == [2]
    assert result.rejects[["source_row", "reason_code"]].values.tolist() == [
        [3, "unknown_organisation"]
    ]


def test_times_without_a_format_are_iso_first_and_offsets_become_finnish_time() -> None:
    from analysis.survey.clean import _parse_times

    values = pd.Series(
        [
            "2024-09-03 10:00",
            "2024-10-09",
            "2024-09-03T10:00:00+03:00",
            "2024-09-03T07:00:00Z",
            "3.9.2024 10:00",
            "",
            "not a time",
        ]
    )
    parsed = _parse_times(values, None)
    assert parsed[:5].tolist() == [
        pd.Timestamp("2024-09-03 10:00"),
        pd.Timestamp("2024-10-09"),
        pd.Timestamp("2024-09-03 10:00"),
        pd.Timestamp("2024-09-03 10:00"),
        pd.Timestamp("2024-09-03 10:00"),
    ]
    assert parsed[5:].isna().all()
