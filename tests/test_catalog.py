"""The catalog: every table the pipeline writes is declared once, with its schema, described and
marked; docs/tables.md is what the schemas say; the release refuses internal tables."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis import catalog
from analysis.build.config import ConfigError, load_config
from analysis.build.release import build_release
from analysis.files.schemas import INTERNAL, PUBLISHABLE, table, text
from analysis.files.tables import write_table
from tests.conftest import REPO_ROOT

NAMES = {info.name for info in catalog.tables()}


def _declared_outputs() -> dict[str, str]:
    """Processed table name → step, from the outputs config/params.yaml declares."""
    config = yaml.safe_load((REPO_ROOT / "config" / "params.yaml").read_text(encoding="utf-8"))
    found = {}
    for step in config["steps"]:
        for output in step.get("outputs", []):
            path = output["path"] if isinstance(output, dict) else output
            if path.startswith("{processed_dir}/"):
                found[Path(path).stem] = step["name"]
    return found


def test_the_catalog_lists_every_table_the_steps_declare_as_outputs() -> None:
    declared = _declared_outputs()
    assert set(declared) == NAMES, (
        f"in params.yaml only: {sorted(set(declared) - NAMES)}; "
        f"in the catalog only: {sorted(NAMES - set(declared))}"
    )
    wrong_step = {i.name: i.step for i in catalog.tables() if declared[i.name] != i.step}
    assert wrong_step == {}


def test_every_write_table_call_names_a_catalogued_table() -> None:
    written = set()
    for path in (REPO_ROOT / "analysis").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "write_table":
                assert isinstance(node.args[2], ast.Constant), f"{path}: name not a literal"
                written.add(node.args[2].value)
    assert written == NAMES


@pytest.mark.parametrize("name", sorted(NAMES))
def test_each_table_has_a_description_a_mark_and_described_columns(name: str) -> None:
    info = catalog.table(name)
    assert len(info.description) > 20
    assert info.access in (PUBLISHABLE, INTERNAL)
    assert info.columns
    assert [c.name for c in info.columns if len(c.description) < 5] == []


def test_respondent_level_and_free_text_tables_are_internal() -> None:
    for name in ("survey_answers", "survey_respondents", "survey_countries", "survey_rejects"):
        assert catalog.table(name).access == INTERNAL
    assert catalog.table("screening_review_queue").access == INTERNAL
    keyed = [i.name for i in catalog.tables() if "respondent_key" in [c.name for c in i.columns]]
    assert keyed and all(not catalog.table(n).publishable for n in keyed)
    assert catalog.table("country_scores").publishable
    assert catalog.table("survey_agreement").publishable


def test_find_searches_names_then_descriptions_and_columns() -> None:
    names = [i.name for i in catalog.find("READINESS")]
    assert "survey_readiness" in names and "survey_readiness_of_organisations" in names
    assert "survey_answers" in [i.name for i in catalog.find("respondent_key")]
    assert catalog.find("no such thing anywhere") == []


def test_an_unknown_table_is_named_with_the_close_ones() -> None:
    with pytest.raises(KeyError, match="survey_answers"):
        catalog.table("survey_answer")


def test_write_table_refuses_the_schema_of_another_table(tmp_path: Path) -> None:
    schema = table("one", "a table declared for this test", INTERNAL, {"a": text("a letter")})
    with pytest.raises(ValueError, match="schema of one"):
        write_table(pd.DataFrame({"a": ["x"]}), tmp_path, "other", schema)


def test_a_column_without_a_description_is_refused() -> None:
    from pandera import Column

    with pytest.raises(ValueError, match="without a description"):
        table("t", "a table declared for this test", INTERNAL, {"a": Column(str)})


def test_load_adds_labels_in_the_language_asked(tmp_path: Path) -> None:
    mentions = pd.DataFrame(
        {"item_id": ["concern_countries"], "iso2": ["SE"], "respondents": [5.0]}
    )
    mentions.to_parquet(tmp_path / "survey_country_mentions.parquet")
    plain = catalog.load("survey_country_mentions", processed_dir=tmp_path)
    assert list(plain.columns) == ["item_id", "iso2", "respondents"]
    finnish = catalog.load(
        "survey_country_mentions", "fi", tmp_path, config_dir=REPO_ROOT / "config"
    )
    assert finnish.loc[0, "iso2_label"] == "Ruotsi"
    assert list(finnish.columns)[:4] == ["item_id", "item_id_label", "iso2", "iso2_label"]
    assert finnish.loc[0, "item_id_label"]  # the question's Finnish text


def test_load_names_classes_from_the_scoring_model(tmp_path: Path) -> None:
    pd.DataFrame({"iso2": ["CN"], "quadrant": ["not_placed"]}).to_parquet(
        tmp_path / "country_scores.parquet"
    )
    scores = catalog.load("country_scores", "en", tmp_path, config_dir=REPO_ROOT / "config")
    assert scores.loc[0, "iso2_label"] == "China"
    assert scores.loc[0, "quadrant_label"].startswith("Not placed")


def test_docs_tables_md_is_what_the_schemas_generate() -> None:
    written = (REPO_ROOT / catalog.DOC).read_text(encoding="utf-8")
    assert written == catalog.markdown(), "docs/tables.md is stale: run make tables-doc"


def _config(tmp_path: Path, tables: list[str]):
    raw = yaml.safe_load((REPO_ROOT / "config" / "params.yaml").read_text(encoding="utf-8"))
    raw["release"] = {"output": str(tmp_path / "release"), "tables": tables}
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return load_config(path)


def test_the_release_refuses_an_internal_table_before_anything_runs(tmp_path: Path) -> None:
    config = _config(tmp_path, ["country_scores", "survey_answers", "survey_answer"])
    root = tmp_path / "project"
    with pytest.raises(ConfigError) as refused:
        build_release(config, root, log=lambda line: pytest.fail(f"it ran: {line}"))
    message = str(refused.value)
    assert "survey_answers is marked internal and may not be released" in message
    assert "no processed table is called 'survey_answer'" in message
    assert "country_scores" not in message
    assert not root.exists() and not (tmp_path / "release").exists()


def test_the_release_command_says_why_and_exits_2(tmp_path: Path, capsys) -> None:
    from analysis.__main__ import main

    config = _config(tmp_path, ["screening_review_queue"])
    path = tmp_path / "refused.yaml"
    shutil.copyfile(tmp_path / "params.yaml", path)
    assert config.raw["release"]["tables"] == ["screening_review_queue"]
    assert main(["release", "--config", str(path)]) == 2
    assert "screening_review_queue is marked internal" in capsys.readouterr().err
