"""Run configuration: merging common < step < overrides, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.build.config import ConfigError, load_config, parse_override

CONFIG = """
report: {title: T, step: b}
common: {raw_dir: data/raw/x, min_cell: 5}
steps:
  - name: a
    notebook: notebooks/11_a.ipynb
    inputs: ["{raw_dir}/*.csv"]
    outputs: ["out/{name_of_output}.parquet"]
    parameters: {name_of_output: first, min_cell: 3}
  - name: b
    notebook: notebooks/31_b.ipynb
    parameters: {}
"""


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    path = tmp_path / "config" / "params.yaml"
    path.parent.mkdir()
    path.write_text(CONFIG)
    return path


def test_step_parameters_override_common_ones(config_path: Path) -> None:
    config = load_config(config_path)
    assert config.step("a").parameters == {
        "raw_dir": "data/raw/x",
        "min_cell": 3,
        "name_of_output": "first",
    }
    # The report step renders one edition per language; its lang is set per edition.
    assert config.step("b").parameters == {"raw_dir": "data/raw/x", "min_cell": 5, "lang": "en"}


EDITIONS = CONFIG.replace(
    "report: {title: T, step: b}",
    """editions: [en, fi]
report:
  title: {en: T, fi: Otsikko}
  step: b
  output: {en: reports/b.html, fi: reports/b.fi.html}""",
)


def test_the_report_step_runs_once_per_edition_and_lang_picks_editions(tmp_path: Path) -> None:
    path = tmp_path / "params.yaml"
    path.write_text(EDITIONS)
    config = load_config(path)
    assert [s.name for s in config.steps] == ["a", "b [en]", "b [fi]"]
    assert [s.renders for s in config.steps[1:]] == ["reports/b.html", "reports/b.fi.html"]
    assert [s.title for s in config.steps[1:]] == ["T", "Otsikko"]
    assert config.steps[2].parameters["lang"] == "fi" and "lang" not in config.step("a").parameters
    only_fi = load_config(path, ["lang=fi"])
    assert [s.name for s in only_fi.steps] == ["a", "b [fi]"]
    assert only_fi.step("a").parameters == config.step("a").parameters  # nothing reruns
    english_only = tmp_path / "english.yaml"
    english_only.write_text(EDITIONS.replace("editions: [en, fi]", "editions: [en]"))
    with pytest.raises(ConfigError, match="not among the configured editions"):
        load_config(english_only, ["lang=fi"])
    with pytest.raises(ConfigError, match="not a report language"):
        load_config(path, ["lang=xx"])
    path.write_text(EDITIONS.replace("fi: reports/b.fi.html", ""))
    with pytest.raises(ConfigError, match="no entry for edition"):
        load_config(path)


def test_command_line_overrides_win_and_are_typed(config_path: Path) -> None:
    config = load_config(config_path, ["min_cell=10", "a.name_of_output=second"])
    assert config.step("a").parameters["min_cell"] == 10
    assert config.step("b").parameters["min_cell"] == 10
    assert config.step("a").parameters["name_of_output"] == "second"


def test_overriding_an_unknown_parameter_or_step_is_an_error(config_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a parameter"):
        load_config(config_path, ["min_cel=10"])
    with pytest.raises(ConfigError, match="unknown step"):
        load_config(config_path, ["c.min_cell=10"])
    with pytest.raises(ConfigError, match="key=value"):
        load_config(config_path, ["min_cell"])


def test_paths_use_parameters_and_missing_inputs_are_named(config_path: Path) -> None:
    root = config_path.parent.parent
    step = load_config(config_path).step("a")
    assert step.output_files(root) == [root / "out" / "first.parquet"]
    with pytest.raises(ConfigError, match=r"matches no file \(.*data/raw/x/\*\.csv\)"):
        step.input_files(root)
    (root / "data" / "raw" / "x").mkdir(parents=True)
    (root / "data" / "raw" / "x" / "one.csv").write_text("a\n")
    assert step.input_files(root) == [root / "data" / "raw" / "x" / "one.csv"]


def test_override_values_are_read_as_yaml() -> None:
    assert parse_override("x=[1, 2]") == (None, "x", [1, 2])
    assert parse_override("s.flag=true") == ("s", "flag", True)
    assert parse_override("name=data/raw/real") == (None, "name", "data/raw/real")


def test_dates_in_overrides_stay_text_and_common_overrides_reach_the_header(
    config_path: Path,
) -> None:
    config = load_config(config_path, ["raw_dir=data/raw/real", "a.name_of_output=2024-09-01"])
    assert config.common["raw_dir"] == "data/raw/real"
    assert config.step("a").parameters["name_of_output"] == "2024-09-01"
    assert isinstance(config.step("a").parameters["name_of_output"], str)


def test_an_override_of_the_wrong_kind_is_refused_with_what_the_parameter_takes(
    config_path: Path,
) -> None:
    with pytest.raises(ConfigError) as refused:
        load_config(config_path, ["min_cell=five"])
    assert str(refused.value) == (
        "-p min_cell=five: min_cell takes a whole number (its default is 5), not text"
    )
    with pytest.raises(ConfigError, match="min_cell takes a whole number .* not true or false"):
        load_config(config_path, ["a.min_cell=true"])
    with pytest.raises(ConfigError, match="name_of_output takes text .*, not a list"):
        load_config(config_path, ["a.name_of_output=[x, y]"])


def test_valid_overrides_keep_their_meaning(config_path: Path) -> None:
    # A common parameter may be set for one step; a text parameter takes the text as written,
    # so a folder named 2024 stays "2024" rather than becoming a number.
    config = load_config(config_path, ["a.min_cell=7", "a.name_of_output=2024", "raw_dir=0010"])
    assert config.step("a").parameters["min_cell"] == 7
    assert config.step("b").parameters["min_cell"] == 5
    assert config.step("a").parameters["name_of_output"] == "2024"
    assert config.step("a").parameters["raw_dir"] == "0010"


def test_languages_must_be_editions_of_the_configuration(tmp_path: Path) -> None:
    path = tmp_path / "params.yaml"
    drawn = EDITIONS.replace(
        "parameters: {name_of_output: first, min_cell: 3}",
        "parameters: {name_of_output: first, min_cell: 3, languages: [en, fi]}",
    )
    path.write_text(drawn)
    assert load_config(path, ["languages=[fi]"]).step("a").parameters["languages"] == ["fi"]
    with pytest.raises(ConfigError, match=r"^-p languages=\[sv\]: sv is not among the editions"):
        load_config(path, ["languages=[sv]"])
    path.write_text(drawn.replace("languages: [en, fi]", "languages: [en, de]"))
    with pytest.raises(ConfigError, match="params.yaml: step 'a': languages: de is not among"):
        load_config(path)
