"""Contract tests for the committed notebooks: stripped, thin, and parameterised by the config."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import papermill
import pytest

from analysis.build.config import load_config
from tests.conftest import REPO_ROOT

CONFIG = load_config(REPO_ROOT / "config" / "params.yaml")
NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


# One entry per notebook: a rendering step's editions differ only in ``lang``.
STEPS = [
    *[s for s in CONFIG.steps if not s.base or s.lang == CONFIG.editions[0]],
    *CONFIG.institution_steps("UNI-A")[:1],
    *CONFIG.brief_steps("0zz004302", "partner-university-cn-2-0zz004302")[:1],
]


def test_every_pipeline_notebook_is_a_configured_step_and_vice_versa() -> None:
    configured = {(REPO_ROOT / step.notebook).resolve() for step in STEPS}
    assert configured == {p.resolve() for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    for number, cell in enumerate(_cells(path), start=1):
        if cell["cell_type"] == "code":
            assert not cell.get("outputs"), f"{path.name} cell {number} has outputs: run make strip"
            assert cell.get("execution_count") is None, f"{path.name} cell {number} has a count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_one_parameters_cell_of_literals(path: Path) -> None:
    tagged = [c for c in _cells(path) if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name} needs exactly one cell tagged 'parameters'"
    tree = ast.parse("".join(tagged[0]["source"]))
    for statement in tree.body:
        assert isinstance(statement, ast.Assign), ast.dump(statement)
        ast.literal_eval(statement.value)  # raises on anything but a literal default


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_stays_thin(path: Path) -> None:
    for number, cell in enumerate(_cells(path), start=1):
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        for node in ast.walk(tree):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef), (
                f"{path.name} cell {number} defines a function or class: move it to analysis/"
            )


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_declared_parameters_match_the_config_section(step) -> None:
    declared = papermill.inspect_notebook(str(REPO_ROOT / step.notebook))
    assert set(declared) == set(step.parameters), (
        f"{step.notebook}: notebook declares {sorted(declared)}, "
        f"config passes {sorted(step.parameters)}"
    )


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_notebook_defaults_are_the_configured_values(step) -> None:
    """Run in JupyterLab with its defaults, a notebook does what the pipeline does."""
    declared = papermill.inspect_notebook(str(REPO_ROOT / step.notebook))
    defaults = {name: ast.literal_eval(spec["default"]) for name, spec in declared.items()}
    assert defaults == step.parameters


def test_every_edition_differs_from_the_first_only_in_its_language() -> None:
    for base in {s.base for s in CONFIG.steps if s.base}:
        editions = [s for s in CONFIG.steps if s.base == base]
        assert [s.lang for s in editions] == list(CONFIG.editions)
        first = editions[0].parameters
        for step in editions[1:]:
            assert {**step.parameters, "lang": first["lang"]} == first
            assert step.renders != editions[0].renders and step.executed != editions[0].executed
