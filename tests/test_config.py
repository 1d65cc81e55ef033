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
    assert config.step("b").parameters == {"raw_dir": "data/raw/x", "min_cell": 5}


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
