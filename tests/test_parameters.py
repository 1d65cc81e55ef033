"""Parameter checks: kinds of values, the notebooks' defaults as papermill reads them, and the
messages that stop a run before it starts."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import papermill
import pytest

from analysis.build.config import load_config
from analysis.build.parameters import (
    check_parameter_types,
    checked_override,
    fits,
    notebook_defaults,
)
from analysis.build.step import ConfigError, Step
from tests.conftest import REPO_ROOT, write_notebook

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize(
    ("value", "default", "expected"),
    [
        (10, 5, True),
        ("5", 5, False),
        (True, 5, False),  # a bool is an int to Python, not to a reader of the config
        (1, True, False),
        (False, True, True),
        (3, 0.5, True),  # a whole number is a number
        (0.5, 3, False),
        ("fi", "en", True),
        (["fi"], ["en", "fi"], True),
        ("fi", ["en", "fi"], False),
        ({"a": 1}, {}, True),
        ("anything", None, True),
    ],
)
def test_a_value_fits_where_a_default_of_its_kind_stands(value, default, expected) -> None:
    assert fits(value, default) is expected


def test_an_override_of_a_text_parameter_is_the_text_as_written() -> None:
    assert checked_override("folder", 2024, "2024", {"common": "data/raw/demo"}) == "2024"
    assert checked_override("folder", True, "yes", {"report": ""}) == "yes"
    with pytest.raises(ConfigError, match=r"folder takes text \(its default is \"\"\), not a list"):
        checked_override("folder", ["a"], "[a]", {"report": ""})
    # Not where any configured value is a number.
    with pytest.raises(ConfigError, match="not true or false"):
        checked_override("n", True, "yes", {"a": "x", "b": 5})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_defaults_are_what_papermill_finds(path: Path) -> None:
    """The runner reads the parameters cell itself (importing papermill takes seconds a run
    that skips every step would spend for nothing): it must agree with papermill."""
    declared = papermill.inspect_notebook(str(path))
    assert notebook_defaults(path) == {
        name: ast.literal_eval(spec["default"]) for name, spec in declared.items()
    }


def test_notebook_defaults_take_the_first_parameters_cell_and_only_literals(
    tmp_path: Path,
) -> None:
    path = write_notebook(
        tmp_path / "n.ipynb",
        [
            ("code", "ignored = 1"),
            ("params", 'name = "x"\ncount: int = 3\nlimit = 2 ** 10\nsteps = ["a", "b"]'),
            ("params", "later = 1"),
        ],
    )
    assert notebook_defaults(path) == {"name": "x", "count": 3, "steps": ["a", "b"]}
    assert notebook_defaults(write_notebook(tmp_path / "m.ipynb", [("code", "x = 1")])) == {}


def test_the_committed_configuration_passes_the_notebook_check() -> None:
    config = load_config(REPO_ROOT / "config" / "params.yaml")
    steps = [*config.steps, config.institution, config.brief]
    check_parameter_types(steps, REPO_ROOT)


def test_a_parameter_of_another_kind_than_the_notebooks_default_is_named(tmp_path: Path) -> None:
    write_notebook(tmp_path / "notebooks" / "11_a.ipynb", [("params", 'day = "2024-09-02"')])
    step = Step("a", "notebooks/11_a.ipynb", {"day": datetime.date(2024, 9, 2), "other": 1})
    with pytest.raises(ConfigError) as refused:
        check_parameter_types([step], tmp_path)
    assert str(refused.value) == (
        "step 'a': day is a date (\"2024-09-02\"), but notebooks/11_a.ipynb takes text "
        '(its default is "2024-09-02")'
    )
    # A notebook that is not there fails when its step runs, not here.
    check_parameter_types([Step("b", "notebooks/missing.ipynb", {"day": 1})], tmp_path)
