"""Notebooks are stored without outputs: the nbstripout git filter that make setup installs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

NOTEBOOK = Path("notebooks") / "25_threats_opportunities.ipynb"
VENV = Path(sys.executable).parent.parent
NBSTRIPOUT = VENV / "bin" / "nbstripout"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


def make_git_filter(repo: Path) -> None:
    """``make git-filter``, the step of ``make setup``, run from the project's Makefile."""
    command = ["make", "-s", "-f", str(REPO_ROOT / "Makefile"), "git-filter", f"VENV={VENV}"]
    subprocess.run(command, cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A throwaway repository holding the committed .gitattributes and one notebook."""
    if shutil.which("git") is None or shutil.which("make") is None:
        pytest.skip("git and make are needed")
    origin = tmp_path / "origin"
    (origin / "notebooks").mkdir(parents=True)
    shutil.copy(REPO_ROOT / ".gitattributes", origin / ".gitattributes")
    shutil.copy(REPO_ROOT / NOTEBOOK, origin / NOTEBOOK)
    git(origin, "init", "-q")
    git(origin, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    git(origin, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "init")
    return origin


def run_in_place(path: Path) -> None:
    """What executing the notebook in JupyterLab leaves in the file: counts and outputs."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for count, cell in enumerate(c for c in notebook["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = count + 1
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["ran\n"]}]
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")


def test_a_clean_clone_without_setup_ignores_the_undefined_filter(repo: Path, tmp_path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    unset = subprocess.run(["git", "config", "--local", "filter.nbstripout.clean"], cwd=clone)
    assert unset.returncode == 1  # setup has not run here
    assert (clone / NOTEBOOK).read_bytes() == (REPO_ROOT / NOTEBOOK).read_bytes()
    assert git(clone, "status", "--porcelain") == ""
    run_in_place(clone / NOTEBOOK)
    assert git(clone, "status", "--porcelain").strip() == f"M {NOTEBOOK.as_posix()}"


def test_with_the_filter_installed_outputs_written_into_a_notebook_are_no_change(
    repo: Path,
) -> None:
    make_git_filter(repo)
    make_git_filter(repo)  # setup again: nothing doubled, nothing to commit
    assert "nbstripout" in git(repo, "config", "filter.nbstripout.clean")
    assert (repo / ".gitattributes").read_bytes() == (REPO_ROOT / ".gitattributes").read_bytes()
    assert git(repo, "status", "--porcelain") == ""

    run_in_place(repo / NOTEBOOK)
    cells = json.loads((repo / NOTEBOOK).read_text(encoding="utf-8"))["cells"]
    assert any(cell.get("outputs") for cell in cells)  # the file on disk has them
    # git diff compares what the filter stores: nothing changed.
    assert git(repo, "diff") == ""
    # git status trusts the file's size and lists it until git add, which stores nothing new.
    git(repo, "add", ".")
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "diff", "--cached") == ""


def test_every_notebook_is_committed_as_the_filter_stores_it() -> None:
    """Byte for byte what nbstripout makes of it: a checkout with the filter installed does
    not see a committed notebook as changed. One nbstripout for all (``-t`` writes each
    stripped notebook to stdout, as the filter does), then one per notebook to name it."""
    paths = sorted((REPO_ROOT / "notebooks").rglob("*.ipynb"))
    stripped = subprocess.run(
        [str(NBSTRIPOUT), "-t", *map(str, paths)], capture_output=True, check=True
    ).stdout
    if stripped != b"".join(path.read_bytes() for path in paths):
        for path in paths:
            alone = subprocess.run([str(NBSTRIPOUT), "-t", str(path)], capture_output=True)
            assert alone.stdout == path.read_bytes(), f"{path.name}: run make strip"
