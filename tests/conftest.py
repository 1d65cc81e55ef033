"""Shared fixtures: a tiny throw-away project with hand-made notebooks for runner tests."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
IN_CI = bool(os.environ.get("CI"))


def write_notebook(path: Path, cells: list[tuple[str, str]]) -> Path:
    """Write a minimal nbformat-4 notebook; kinds are "md", "code" and "params"."""
    notebook_cells = []
    for kind, source in cells:
        if kind == "md":
            notebook_cells.append({"cell_type": "markdown", "metadata": {}, "source": source})
        else:
            notebook_cells.append(
                {
                    "cell_type": "code",
                    "metadata": {"tags": ["parameters"]} if kind == "params" else {},
                    "source": source,
                    "outputs": [],
                    "execution_count": None,
                }
            )
    notebook = {
        "cells": notebook_cells,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 4,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return path


TINY_CONFIG = """
report:
  title: Tiny test report
  step: report
  output: reports/report.html
common:
  raw_dir: data/raw/tiny
  processed_dir: data/processed
  min_cell: 5
steps:
  - name: double
    notebook: notebooks/11_double.ipynb
    inputs: ["{raw_dir}/numbers.csv"]
    outputs: ["{processed_dir}/doubled.csv"]
    parameters:
      factor: 2
  - name: report
    notebook: notebooks/31_report.ipynb
    inputs: ["{processed_dir}/doubled.csv"]
    outputs: []
    parameters: {}
"""

DOUBLE_CELLS = [
    ("md", "# Double"),
    ("params", 'raw_dir = "x"\nprocessed_dir = "y"\nmin_cell = 0\nfactor = 1'),
    (
        "code",
        "from pathlib import Path\n"
        "from analysis.files.paths import resolve\n"
        "rows = resolve(raw_dir + '/numbers.csv').read_text().split()\n"
        "out = resolve(processed_dir + '/doubled.csv')\n"
        "out.parent.mkdir(parents=True, exist_ok=True)\n"
        "out.write_text('value\\n' + ''.join(f'{int(r) * factor}\\n' for r in rows[1:]))",
    ),
]

REPORT_CELLS = [
    ("md", "# Tiny report"),
    ("params", 'raw_dir = "x"\nprocessed_dir = "y"\nmin_cell = 0'),
    (
        "code",
        "from analysis.files.paths import resolve\nprint(resolve(processed_dir + '/doubled.csv').read_text())",
    ),
    ("md", "## Second section\nSome text."),
]


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    """A project root with two notebook steps, the real report template and one raw file."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "params.yaml").write_text(TINY_CONFIG, encoding="utf-8")
    raw = tmp_path / "data" / "raw" / "tiny"
    raw.mkdir(parents=True)
    (raw / "numbers.csv").write_text("value\n1\n2\n3\n", encoding="utf-8")
    (raw / "MANIFEST.yaml").write_text("profile: tiny\nsynthetic: true\n", encoding="utf-8")
    write_notebook(tmp_path / "notebooks" / "11_double.ipynb", DOUBLE_CELLS)
    write_notebook(tmp_path / "notebooks" / "31_report.ipynb", REPORT_CELLS)
    shutil.copytree(REPO_ROOT / "templates", tmp_path / "templates")
    return tmp_path


def shared_sample(relative: str) -> Path:
    """Path of a real sample in ../shared/samples; skip without it, fail in CI."""
    path = SHARED / "samples" / relative
    if not path.exists():
        if IN_CI:
            pytest.fail(f"sample {path} is missing in CI")
        pytest.skip(f"sample {path} not present (../shared/samples is not beside the repository)")
    return path


def copy_project(target: Path) -> Path:
    """The parts of the project a run needs, in a folder of its own."""
    for folder in ("config", "notebooks", "templates"):
        shutil.copytree(REPO_ROOT / folder, target / folder)
    shutil.copytree(REPO_ROOT / "data" / "raw" / "demo", target / "data" / "raw" / "demo")
    return target


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The whole pipeline run once on the demo data in a temporary copy of the project."""
    from analysis.__main__ import main
    from analysis.build.config import load_config
    from analysis.build.runner import run_pipeline

    root = copy_project(tmp_path_factory.mktemp("project"))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        assert main(["report"]) == 0
        # One build serves every edition: asking for one edition afterwards reruns nothing.
        config = load_config(root / "config" / "params.yaml", ["lang=fi"])
        assert run_pipeline(config, root, log=lambda _: None).ran == []
    return root


@pytest.fixture(scope="session")
def built_fi(built: Path) -> Path:
    """The Finnish edition of the full build, with one Finnish institution report."""
    from analysis.__main__ import main

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(built)
        assert main(["report", "-p", "lang=fi", "--institution", "UNI-A"]) == 0
    return built


def find_chromium() -> str:
    """Debian's Chromium; skip without it locally, fail without it in CI."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    if IN_CI:
        pytest.fail("Chromium is missing in CI: .ci/run installs Debian's chromium package")
    pytest.skip("no Chromium found (apt-get install chromium, or set CHROMIUM=/path/to/it)")


def find_axe() -> Path:
    """axe-core from node_modules (``npm ci`` in ``make setup``); skip locally, fail in CI."""
    path = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not path.is_file():
        if IN_CI:
            pytest.fail("axe-core is missing in CI: make setup runs npm ci")
        pytest.skip("axe-core not installed (npm ci)")
    return path


INSTITUTIONS = ("UNI-A", "UAS-19")  # one with many respondents, one with fewer than min_cell


@pytest.fixture(scope="session")
def institution_reports(built: Path) -> dict[str, Path]:
    """Institution reports for a large and a small demo organisation, from the built project."""
    from analysis.__main__ import main

    arguments = ["report"]
    for key in INSTITUTIONS:
        arguments += ["--institution", key]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(built)
        assert main(arguments) == 0
    return {key: built / "reports" / "institutions" / f"{key}.html" for key in INSTITUTIONS}


@pytest.fixture(scope="session")
def partner_briefs(built: Path) -> Path:
    """Every brief of the demo register (English) and its index, written offline: with a key
    set, yet every OpenAlex answer on disk, no request is made."""
    import responses

    from analysis.__main__ import main

    with pytest.MonkeyPatch.context() as patch, responses.RequestsMock() as mock:
        patch.chdir(built)
        patch.setenv("OPENALEX_API_KEY", "test-key")
        code = main(["brief", "--from-register", "agreements/RI-2_partners.csv", "--lang", "en"])
        assert code == 0
        assert len(mock.calls) == 0
    return built
