"""Mapping files are checked against their declared schema: nothing mistyped is ignored."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from analysis.files.yaml_file import YamlFileError, load_yaml_file
from analysis.survey.mapping import MappingError, load_mapping
from analysis.survey.mapping_schema import documented_keys, mapping_problems
from tests.conftest import REPO_ROOT

DEMO = REPO_ROOT / "data" / "raw" / "demo" / "survey"
MINIMAL = {
    "export": "x.csv",
    "respondent_id": "id",
    "submitted_at": "time",
    "items": {"organisation": "org"},
}


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    for path in DEMO.iterdir():
        shutil.copy(path, tmp_path)
    return tmp_path


def test_the_demo_mappings_fit_the_schema() -> None:
    for path in sorted(DEMO.glob("*.mapping.yaml")):
        assert mapping_problems(load_yaml_file(path)) == [], path.name


def test_mistyped_keys_are_errors_with_the_nearest_key(demo_copy: Path) -> None:
    path = demo_copy / "limesurvey_results_2024.mapping.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status:", "Status:").replace("scale_values:", "scale_value:"))
    with pytest.raises(MappingError) as error:
        load_mapping(path)
    message = str(error.value)
    assert "limesurvey_results_2024.mapping.yaml" in message
    assert "Status: unknown key (did you mean 'status'?)" in message
    assert "scale_value: unknown key (did you mean 'scale_values'?)" in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"respondent_id": None}, "respondent_id: expected text, found nothing"),
        ({"header_rows": "three"}, "header_rows: expected a whole number, found str 'three'"),
        ({"header_rows": True}, "header_rows: expected a whole number, found True"),
        ({"status": {"column": "s"}}, "status: give 'complete'"),
        ({"status": {"colum": "s", "complete": ["x"]}}, "status.colum: unknown key"),
        ({"status": {"column": "s", "complete": "Valmis"}}, "status.complete: expected a list"),
        ({"language": {"column": "k", "values": {"suomi": "fin"}}}, "'fin' is not one of"),
        ({"items": {"org_type": "TODO 0.55 Organisaatio"}}, "items.org_type: still marked TODO"),
        ({"countries": {"c": {"other": "x"}}}, "countries.c.options: required key missing"),
        ({"tool": "surveymonkey"}, "tool: 'surveymonkey' is not one of"),
    ],
)
def test_types_required_keys_and_todos(change: dict, expected: str) -> None:
    problems = mapping_problems({**MINIMAL, **change})
    assert any(expected in p for p in problems), problems


def test_missing_required_keys_are_all_named() -> None:
    problems = mapping_problems({"export": "x.csv"})
    assert problems == [
        "respondent_id: required key missing",
        "submitted_at: required key missing",
        "items: required key missing",
    ]


def test_the_export_path_stays_in_the_folder(demo_copy: Path) -> None:
    path = demo_copy / "limesurvey_results_2024.mapping.yaml"
    text = path.read_text(encoding="utf-8")
    for outside in ("../limesurvey_results_2024.csv", "/etc/passwd"):
        path.write_text(text.replace("export: limesurvey_results_2024.csv", f"export: {outside}"))
        with pytest.raises(MappingError, match="points outside"):
            load_mapping(path)


def test_yaml_errors_name_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.mapping.yaml"
    path.write_text("export: x.csv\nitems:\n  a: [b\n", encoding="utf-8")
    with pytest.raises(MappingError) as error:
        load_mapping(path)
    assert str(error.value).startswith("broken.mapping.yaml: line ")
    assert "<unicode string>" not in str(error.value)


def test_yaml_aliases_are_bounded(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 15):
        refs = ", ".join([f"*{chr(96 + level)}"] * 9)
        lines.append(f"{chr(97 + level)}: &{chr(97 + level)} [{refs}]")
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(YamlFileError, match="YAML aliases"):
        load_yaml_file(path)


def test_every_schema_key_is_documented() -> None:
    text = (REPO_ROOT / "docs" / "mapping.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([^`]+)` \|", text, re.MULTILINE))
    assert set(documented_keys()) <= documented, set(documented_keys()) - documented
