"""``python -m analysis map``: a drafted mapping cleans the demo as the committed one does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.__main__ import main
from analysis.survey.draft import _abbreviates, draft_for_export
from analysis.survey.folder import clean_folder
from analysis.survey.mapping_schema import mapping_problems
from tests.conftest import REPO_ROOT
from tests.test_survey_clean import CODEBOOK, COUNTRIES, RULES

DEMO = REPO_ROOT / "data" / "raw" / "demo" / "survey"
EXPORTS = ["limesurvey_results_2024.csv", "webropol_vastaukset_2024.xlsx"]


def _without_todos(value):
    """What a person does who decides "no" for every TODO: the guess is left out."""
    if isinstance(value, dict):
        return {k: _without_todos(v) for k, v in value.items() if not _is_todo(v)}
    return value


def _is_todo(value) -> bool:
    return isinstance(value, str) and value.startswith("TODO")


def _clean(folder: Path):
    result = clean_folder(folder, CODEBOOK, COUNTRIES, RULES)
    answers = result.answers.sort_values(["respondent_key", "item_id"]).reset_index(drop=True)
    respondents = result.respondents.sort_values("respondent_key").reset_index(drop=True)
    rejects = result.rejects[["source_file", "source_row", "reason_code"]]
    return answers, respondents, rejects.sort_values(["source_file", "source_row"])


@pytest.mark.parametrize("export", EXPORTS)
def test_a_draft_cleans_to_the_committed_answers(tmp_path: Path, export: str) -> None:
    for path in DEMO.iterdir():
        shutil.copy(path, tmp_path)
    expected = _clean(tmp_path)
    draft = draft_for_export(tmp_path / export, CODEBOOK)
    todos = [t for t in draft.todos if not t.startswith("countries.")]
    assert todos == [], todos  # LimeSurvey's country options are codes only: names are TODO
    spec = _without_todos(draft.spec)
    assert mapping_problems(spec) == []
    mapping = tmp_path / (Path(export).stem + ".mapping.yaml")
    mapping.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    answers, respondents, rejects = _clean(tmp_path)
    pd.testing.assert_frame_equal(answers, expected[0])
    pd.testing.assert_frame_equal(respondents, expected[1])
    pd.testing.assert_frame_equal(
        rejects.reset_index(drop=True), expected[2].reset_index(drop=True)
    )


def test_the_webropol_draft_is_the_committed_mapping() -> None:
    draft = draft_for_export(DEMO / "webropol_vastaukset_2024.xlsx", CODEBOOK)
    committed = yaml.safe_load((DEMO / "webropol_vastaukset_2024.mapping.yaml").read_text("utf-8"))
    committed.pop("header_rows")
    assert draft.spec == committed and draft.todos == []


def test_uncertain_choices_are_todo_with_a_score(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(
        "id;submitdate;Organisation;Type of organisaton;Dual use end use\n"
        "1;2024-09-03 10:00:00;University A;Univrsity;Strongly agree\n",
        encoding="utf-8",
    )
    draft = draft_for_export(path, CODEBOOK)
    assert draft.spec["items"]["organisation"] == "Organisation"
    assert draft.spec["items"]["org_type"] == "Type of organisaton" or draft.spec["items"][
        "org_type"
    ].startswith("TODO 0.")
    assert draft.spec["values"]["org_type"]["Univrsity"].startswith("TODO 0.")
    assert draft.spec["values"]["org_type"]["Univrsity"].endswith(": university")
    assert any(t.startswith("values.org_type.Univrsity") for t in draft.todos)


def test_map_writes_beside_the_export_and_check_data_refuses_its_todos(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(DEMO / "limesurvey_results_2024.csv", tmp_path)
    export = tmp_path / "limesurvey_results_2024.csv"
    assert main(["map", str(export)]) == 0
    written = tmp_path / "limesurvey_results_2024.mapping.yaml"
    assert "19 TODO" in capsys.readouterr().out
    assert main(["map", str(export)]) == 1  # never overwrites without --force
    problems = mapping_problems(yaml.safe_load(written.read_text(encoding="utf-8")))
    assert len(problems) == 19 and all("still marked TODO" in p for p in problems)


def test_abbreviations_of_block_names() -> None:
    assert _abbreviates("THR", "threats") and _abbreviates("PREP", "preparedness")
    assert _abbreviates("OPPC", "opportunity_countries")
    assert not _abbreviates("OPPC", "opportunities") and not _abbreviates("XTHR", "threats")
