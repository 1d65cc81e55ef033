"""pyproject.toml is the one source of truth for dependencies; environment.yml and
requirements.lock must agree with it."""

from __future__ import annotations

import itertools
import re
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

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


# requirements.lock: what `make setup` and CI install (pip --require-hashes), made by `make lock`.

LOCK = REPO_ROOT / "requirements.lock"
_HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


def _lock_entries(text: str) -> dict[str, tuple[str, list[str]]]:
    """Lock entries, each `name==version` and its hashes, by canonical name."""
    entries: dict[str, tuple[str, list[str]]] = {}
    logical = ""
    for line in text.splitlines() + [""]:
        stripped = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if stripped.endswith("\\"):
            logical += stripped[:-1] + " "
            continue
        logical = (logical + stripped).strip()
        if logical:
            pin, *options = logical.split()
            name, sep, version = pin.partition("==")
            assert sep and version, f"not pinned with ==: {logical!r}"
            entries[canonicalize_name(name)] = (version, options)
        logical = ""
    return entries


def _lock_header(text: str) -> str:
    """The comment lines above the first entry: uv's record of the command that made the lock."""
    return "\n".join(itertools.takewhile(lambda line: line.startswith("#"), text.splitlines()))


def _lock_python(text: str) -> str:
    match = re.search(r"--python-version[ =](\S+)", _lock_header(text))
    assert match, "the lock's header must record the uv command with --python-version"
    return match.group(1)


def _lock_problems(project: dict, text: str) -> list[str]:
    """Every way the lock fails pyproject.toml (empty when they agree)."""
    problems = []
    header = _lock_header(text)
    for flag in ("uv pip compile pyproject.toml", "--extra dev", "--generate-hashes"):
        if flag not in header:
            problems.append(f"header: the command lacks {flag!r}")
    python = _lock_python(text)
    if not SpecifierSet(project["requires-python"]).contains(python):
        problems.append(f"header: Python {python} is outside requires-python")
    entries = _lock_entries(text)
    for name, (version, options) in entries.items():
        hashes = [option for option in options if option.startswith("--hash=")]
        if not hashes or not all(_HASH.fullmatch(option) for option in hashes):
            problems.append(f"{name}=={version}: no sha256 hash")
        if len(hashes) != len(options):
            problems.append(f"{name}=={version}: options other than hashes: {options}")
    marker_environment = {"python_version": python, "sys_platform": "linux"}
    declared = project["dependencies"] + project["optional-dependencies"]["dev"]
    for requirement in map(Requirement, declared):
        if requirement.marker and not requirement.marker.evaluate(marker_environment):
            continue
        name = canonicalize_name(requirement.name)
        if name not in entries:
            problems.append(f"{requirement}: not in the lock")
        elif not requirement.specifier.contains(entries[name][0], prereleases=True):
            problems.append(f"{requirement}: the lock has {entries[name][0]}")
    return problems


def _project() -> dict:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]


def test_lock_pins_every_pyproject_requirement_with_hashes() -> None:
    problems = _lock_problems(_project(), LOCK.read_text())
    assert not problems, "requirements.lock disagrees with pyproject.toml; run make lock:\n" + (
        "\n".join(problems)
    )


def test_lock_check_catches_a_raised_lower_bound_a_missing_package_and_a_missing_hash() -> None:
    text = LOCK.read_text()
    pandas_version = _lock_entries(text)["pandas"][0]
    project = _project()
    project["dependencies"] = [
        "pandas>" + pandas_version if canonicalize_name(Requirement(r).name) == "pandas" else r
        for r in project["dependencies"]
    ] + ["no-such-package>=1"]
    problems = _lock_problems(project, text)
    assert f"pandas>{pandas_version}: the lock has {pandas_version}" in problems
    assert "no-such-package>=1: not in the lock" in problems

    unhashed = re.sub(r"(?m)^(pyyaml==\S+) \\\n(\s+--hash=\S+ \\\n)*\s+--hash=\S+$", r"\1", text)
    assert unhashed != text
    version = _lock_entries(text)["pyyaml"][0]
    assert _lock_problems(_project(), unhashed) == [f"pyyaml=={version}: no sha256 hash"]


def test_make_lock_runs_the_command_recorded_in_the_lock() -> None:
    makefile = (REPO_ROOT / "Makefile").read_text().replace("\\\n", " ")
    recipe = re.search(r"(?m)^lock:.*\n\t(.+)$", makefile)
    assert recipe, "the Makefile has no lock target"
    command = recipe.group(1).replace("$(VENV)/bin/", "").replace("$(LOCK)", LOCK.name)
    command = " ".join(command.replace("$(ARGS)", "").split())
    recorded = _lock_header(LOCK.read_text()).splitlines()[1].lstrip("# ").strip()
    assert command == recorded, "make lock and the command at the top of the lock differ"
