"""check-data: every problem of a raw folder at once, each with its file; non-zero on errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.__main__ import main
from analysis.build.check_data import check_raw_folder
from tests.conftest import REPO_ROOT

DEMO = REPO_ROOT / "data" / "raw" / "demo"
CONFIG = REPO_ROOT / "config"


def check(folder: Path):
    return check_raw_folder(folder, CONFIG / "codebook.yaml", CONFIG / "country_aliases.yaml")


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    shutil.copytree(DEMO, tmp_path / "raw")
    return tmp_path / "raw"


def test_the_demo_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-data", str(DEMO)]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out


def test_every_problem_is_reported_at_once(
    demo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mapping = demo_copy / "survey" / "limesurvey_results_2024.mapping.yaml"
    text = mapping.read_text(encoding="utf-8")
    mapping.write_text(text.replace("status:", "Status:").replace("scale_values:", "scale_value:"))
    shutil.copy(
        demo_copy / "survey" / "limesurvey_results_2024.csv", demo_copy / "survey" / "r2.csv"
    )
    (demo_copy / "openalex" / "fi_works_by_year.json").write_text("{", encoding="utf-8")
    (demo_copy / "notes").mkdir()
    (demo_copy / "notes" / "x.txt").write_text("x", encoding="utf-8")
    assert main(["check-data", str(demo_copy)]) == 1
    out = capsys.readouterr().out
    for expected in (
        "survey/limesurvey_results_2024.mapping.yaml: Status: unknown key (did you mean 'status'?)",
        "scale_value: unknown key (did you mean 'scale_values'?)",
        "survey/r2.csv: an export without a mapping file; draft r2.mapping.yaml with "
        "python -m analysis map survey/r2.csv",
        "survey/r2.csv: not listed in MANIFEST.yaml",
        "openalex/fi_works_by_year.json: not valid JSON",
        "openalex/fi_works_by_year.json: sha256 is ",
        "notes: not a source folder",
    ):
        assert expected in out, expected
    # the export of the broken mapping is not also called unmapped
    assert "limesurvey_results_2024.csv: an export without" not in out


def test_missing_sources_are_named_with_what_they_remove(demo_copy: Path) -> None:
    for name in ("agreements", "mobility", "screening"):
        shutil.rmtree(demo_copy / name)
    result = check(demo_copy)
    assert result.errors == []
    assert result.missing_sources == ["agreements", "mobility", "screening"]
    notes = {p.file: p.message for p in result.problems if p.severity == "note"}
    assert notes["agreements/"] == (
        "not provided: the report is built without the institutions' agreement registers"
    )
    shutil.rmtree(demo_copy / "openalex")
    shutil.rmtree(demo_copy / "cordis")
    result = check(demo_copy)
    assert result.errors == []
    notes = {p.file: p.message for p in result.problems if p.severity == "note"}
    assert "co-publications" in notes["openalex/"]
    assert "framework programme projects" in notes["cordis/"]
    shutil.rmtree(demo_copy / "context")
    errors = {p.file: p.message for p in check(demo_copy).errors}
    assert errors["context/"].startswith("not provided: the report cannot be built without it")


def test_the_sources_are_the_raw_folder_layout() -> None:
    from analysis.build.check_data import SOURCES
    from analysis.files.raw_manifest import SOURCE_FOLDERS

    assert tuple(SOURCES) == SOURCE_FOLDERS


def test_the_report_header_names_the_sources_not_provided(demo_copy: Path) -> None:
    from analysis.build.render import _not_provided
    from analysis.files.raw_manifest import data_profile

    shutil.rmtree(demo_copy / "mobility")
    shutil.rmtree(demo_copy / "screening")
    profile = data_profile(demo_copy)
    assert profile["not_provided"] == ["mobility", "screening"]
    assert _not_provided(profile, "en") == "student mobility, screening lists"
    assert _not_provided(profile, "fi") == "opiskelijaliikkuvuus, seulontalistat"
    assert data_profile(DEMO)["not_provided"] == []


def test_clean_cooperation_without_optional_sources(demo_copy: Path, tmp_path: Path) -> None:
    from analysis.steps.clean_cooperation import clean_cooperation

    for name in ("agreements", "mobility", "openalex", "cordis"):
        shutil.rmtree(demo_copy / name)
    tables = clean_cooperation(
        str(demo_copy), str(tmp_path / "processed"), str(CONFIG / "country_aliases.yaml")
    )
    assert len(tables.agreements) == len(tables.mobility) == len(tables.copublications) == 0
    assert len(tables.cordis_projects) == 0 and len(tables.accounting) == 0


def test_a_folder_without_survey_cannot_be_built(demo_copy: Path) -> None:
    shutil.rmtree(demo_copy / "survey")
    assert [p.file for p in check(demo_copy).errors] == ["survey/"]


def test_columns_a_mapping_names_must_be_in_the_export(demo_copy: Path) -> None:
    mapping = demo_copy / "survey" / "limesurvey_results_2024.mapping.yaml"
    mapping.write_text(mapping.read_text(encoding="utf-8").replace("ORG\n", "ORGANISATION\n"))
    messages = [p.message for p in check(demo_copy).errors]
    assert any(
        "columns missing from limesurvey_results_2024.csv: ['ORGANISATION']" in m for m in messages
    )


def test_report_refuses_to_start_on_errors(
    demo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (demo_copy / "survey" / "organisation_aliases.csv").unlink()
    assert main(["report", "-p", f"raw_dir={demo_copy}", "--only", "clean_survey"]) == 2
    err = capsys.readouterr().err
    assert "survey/organisation_aliases.csv: missing" in err
    assert "nothing was run" in err


def test_outputs_that_need_a_source_are_expected_only_when_it_is_provided(
    demo_copy: Path,
) -> None:
    from analysis.build.config import load_config

    def outputs() -> set[str]:
        config = load_config(REPO_ROOT / "config" / "params.yaml", [f"raw_dir={demo_copy}"])
        files = config.step("cooperation_analysis").output_files(REPO_ROOT)
        return {p.name for p in files}

    assert "22_cooperation_analysis__field_mix.csv" in outputs()
    shutil.rmtree(demo_copy / "openalex")
    assert "22_cooperation_analysis__field_mix.csv" not in outputs()
    assert "22_cooperation_analysis__eu_project_partners.csv" in outputs()
    assert "cooperation_by_country.parquet" in outputs()


def test_a_malformed_conditional_output_is_a_configuration_error(tmp_path: Path) -> None:
    from analysis.build.config import ConfigError, _outputs

    with pytest.raises(ConfigError, match="needs: SOURCE"):
        _outputs({"name": "s", "outputs": [{"path": "x", "needs": "web"}]}, tmp_path / "p.yaml")


def test_a_governance_answer_that_is_not_whole_is_named(demo_copy: Path) -> None:
    answer = demo_copy / "context" / "worldbank_wgi_CC.EST.json"
    answer.write_text(answer.read_text(encoding="utf-8").replace('"pages": 1', '"pages": 2'))
    problems = [(p.file, p.message) for p in check(demo_copy).errors]
    assert (
        "context/",
        "worldbank_wgi_CC.EST.json: page 2 of 2 is not saved: save every page",
    ) in problems
