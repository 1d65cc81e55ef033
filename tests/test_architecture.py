"""The package's layout as a contract: no import cycles, small modules, layers that point one
way, and a declared schema for every table written."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "analysis"
MAX_LINES = 450
# Deliberate exceptions to the size limit, each with its reason.
LONG_MODULES: dict[str, str] = {}
# Domain logic and file handling are pure: they never reach up into the build machinery, the
# steps, the report or the figures (which may all use them).
LOWER_LAYERS = (
    "analysis.survey",
    "analysis.cooperation",
    "analysis.screening",
    "analysis.context",
    "analysis.scoring",
    "analysis.sources",
    "analysis.reference",
    "analysis.disclosure",
    "analysis.files",
    "analysis.i18n",
)
UPPER_LAYERS = ("analysis.build", "analysis.steps", "analysis.report", "analysis.figures")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path) -> set[str]:
    """Every module of the package that ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    package = module_name(path) if path.name == "__init__.py" else module_name(path.parent)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != "analysis":
                found.add(name)
    found.discard(module_name(path))
    return found


GRAPH = {name: imports_of(path) for name, path in MODULES.items()}


def test_the_import_graph_has_no_cycle() -> None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        stack.append(name)
        for target in sorted(GRAPH[name]):
            if state.get(target) == 1:
                cycle = stack[stack.index(target) :] + [target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name)


def test_the_cycle_check_sees_lazy_imports() -> None:
    # The runner imports the kernel pool only inside a method, so a run that skips every
    # step never loads it; the graph must still have the edge.
    assert "analysis.build.kernels" in GRAPH["analysis.build.runner"]
    assert "analysis.report.findings" in GRAPH["analysis.steps.key_findings"]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_the_size_limit(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    if name in LONG_MODULES:
        assert lines > MAX_LINES, f"{name} is short again: drop it from LONG_MODULES"
        return
    assert lines <= MAX_LINES, f"{name} has {lines} lines (limit {MAX_LINES}): split it by job"


def test_lower_layers_never_import_the_build_steps_report_or_figures() -> None:
    wrong = [
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if name.startswith(LOWER_LAYERS)
        for target in targets
        if target.startswith(UPPER_LAYERS)
    ]
    assert wrong == []


DOMAINS = ("survey", "cooperation", "screening", "context", "scoring")


def test_domain_packages_do_not_reach_into_each_other_except_scoring() -> None:
    """Each domain stands on the readers and reference data; only scoring combines them."""
    wrong = [
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        for own in DOMAINS
        if name.startswith(f"analysis.{own}") and own != "scoring"
        for target in targets
        for other in DOMAINS
        if other != own and target.startswith(f"analysis.{other}")
    ]
    assert wrong == []


def test_every_notebook_step_has_its_module_named_as_the_notebook() -> None:
    steps = {n.removeprefix("analysis.steps.") for n in MODULES if n.startswith("analysis.steps.")}
    notebooks = {p.stem.split("_", 1)[1] for p in (REPO_ROOT / "notebooks").glob("2*.ipynb")}
    notebooks |= {p.stem.split("_", 1)[1] for p in (REPO_ROOT / "notebooks").glob("1*.ipynb")}
    notebooks |= {p.stem.split("_", 1)[1] for p in (REPO_ROOT / "notebooks").glob("33_*.ipynb")}
    assert notebooks <= steps, f"steps without a module: {sorted(notebooks - steps)}"


def _schema_arguments() -> list[tuple[str, str]]:
    """(module, expression) of the schema given to every ``write_table`` call."""
    calls = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "write_table"
            ):
                calls.append((name, ast.unparse(node.args[3])))
    return calls


def test_every_table_written_has_a_declared_schema_with_typed_columns() -> None:
    import pandera.pandas as pa

    calls = _schema_arguments()
    assert len(calls) >= 30, "every processed table is written through write_table"
    for module, expression in calls:
        schema = eval(expression, vars(importlib.import_module(module)))  # a module constant
        assert isinstance(schema, pa.DataFrameSchema), (module, expression)
        assert schema.columns, f"{module}: {expression} declares no columns"
        untyped = [c for c, column in schema.columns.items() if column.dtype is None]
        assert untyped == [], f"{module}: {expression} leaves {untyped} untyped"
