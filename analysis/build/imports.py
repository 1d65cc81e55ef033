"""The code a step runs: the modules of the ``analysis`` package its notebook imports, and every
module they import in turn (read from the source, not by importing it), with the data files
that live beside them (``texts.yaml`` beside ``analysis/i18n``). A step's fingerprint hashes
these files only, so editing the benchmark or the demo generator reruns no step that does not
use them.

Imports inside functions count too (a lazy import is still code the step may run). A module
that imports by name at run time (``importlib.import_module``) may reach any module: it pulls
in the whole package, so nothing it could run is left out.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import analysis

PACKAGE = "analysis"
DATA_SUFFIXES = (".yaml", ".yml")


def package_root() -> Path:
    return Path(analysis.__file__).parent


def module_path(name: str, root: Path | None = None) -> Path | None:
    """The file of module ``name`` (``analysis.x.y``), or None when the package has none."""
    base = (root or package_root()).parent
    parts = name.split(".")
    as_package = base.joinpath(*parts, "__init__.py")
    if as_package.is_file():
        return as_package
    as_module = base.joinpath(*parts[:-1], f"{parts[-1]}.py")
    return as_module if as_module.is_file() else None


def imported_names(source: str, current: str = "") -> set[str]:
    """Every ``analysis`` module ``source`` imports, anywhere in it; ``from a import b`` names
    ``a.b`` too, since ``b`` may be a module. ``current``: the importing module, for relative
    imports."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = current.split(".")[: -node.level]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names |= {f"{module}.{alias.name}" for alias in node.names}
    return {n for n in names if n == PACKAGE or n.startswith(PACKAGE + ".")}


def _parents(name: str) -> list[str]:
    """``analysis.a.b`` → ``analysis``, ``analysis.a``: importing a module runs its packages."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def imports_by_name(source: str) -> bool:
    """Whether ``source`` calls ``import_module`` (``importlib.import_module(...)``)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            called = node.func
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            if name == "import_module":
                return True
    return False


@cache
def _module_imports(path: Path, name: str) -> tuple[frozenset[str], bool]:
    source = path.read_text(encoding="utf-8")
    return frozenset(imported_names(source, name)), imports_by_name(source)


def closure(names: Iterable[str], root: Path | None = None) -> set[Path]:
    """The files of ``names`` and of every package module they import, transitively."""
    root = root or package_root()
    seen: set[str] = set()
    files: set[Path] = set()
    pending = list(names)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        path = module_path(name, root)
        if path is None:
            continue
        files.add(path)
        imported, dynamic = _module_imports(path, name)
        if dynamic:
            return {p for p in root.rglob("*.py") if "__pycache__" not in p.parts}
        pending += [*imported, *_parents(name)]
    return files


def notebook_imports(notebook: Path) -> set[str]:
    """The package modules a notebook's code cells import."""
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    names: set[str] = set()
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", []))
        # IPython magics and shell lines are not Python: leave them out of the parse.
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        names |= imported_names("\n".join(lines))
    return names


def code_files(notebook: Path, also: Iterable[str] = (), root: Path | None = None) -> list[Path]:
    """The package files a step runs: its notebook's imports and ``also`` (modules the runner
    itself runs for the step, such as the renderer), transitively, with the data files in the
    folders of those modules; sorted."""
    modules = closure([*notebook_imports(notebook), *also], root)
    data = {
        path
        for folder in {m.parent for m in modules}
        for path in folder.iterdir()
        if path.is_file() and path.suffix in DATA_SUFFIXES
    }
    return sorted(modules | data)
