"""pyproject.toml is the one source of truth for dependencies; environment.yml must agree."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import REPO_ROOT

_NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def _split(requirement: str) -> tuple[str, str]:
    match = _NAME.match(requirement)
    assert match, requirement
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    return name, match.group(2).replace(" ", "")


def test_environment_yml_lists_exactly_the_pyproject_dependencies() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    declared = dict(
        _split(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]
    )
    environment = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    conda = {}
    pip_section = []
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            pip_section = entry["pip"]
            continue
        name, spec = _split(entry)
        if name not in {"python", "pip"}:
            conda[name] = spec
    assert conda == declared, "environment.yml and pyproject.toml disagree"
    assert pip_section == ['-e ".[dev]"'], "the pip section must install the project itself"
    python = next(d for d in environment["dependencies"] if str(d).startswith("python"))
    assert python.replace("python", "") == project["requires-python"]
