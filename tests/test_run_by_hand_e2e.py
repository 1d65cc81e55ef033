"""A pipeline notebook run by hand with other parameters leaves the build as the runner made it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.build.config import load_config
from analysis.build.runner import run_pipeline
from analysis.files.hashing import sha256_file
from analysis.files.scratch import BUILD_FOLDERS, RUNNER_VARIABLE
from tests.conftest import REPO_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.kernel]


def digests(root: Path) -> dict[str, str]:
    """The sha256 of every file in the build folders."""
    return {
        path.relative_to(root).as_posix(): sha256_file(path)
        for folder in BUILD_FOLDERS
        for path in sorted((root / folder).rglob("*"))
        if path.is_file()
    }


def test_notebook_25_by_hand_with_another_scoring_file_changes_nothing_in_the_build(
    built: Path, tmp_path: Path
) -> None:
    # A copy: the shared build stays as other tests expect it.
    root = tmp_path / "project"
    shutil.copytree(built, root, ignore=shutil.ignore_patterns("release", "release-refused"))
    before = digests(root)
    scoring = (root / "config" / "scoring.yaml").read_text(encoding="utf-8")
    mine = tmp_path / "my_scoring.yaml"
    mine.write_text(scoring.replace("weight: 0.30", "weight: 0.90", 1), encoding="utf-8")
    assert mine.read_text(encoding="utf-8") != scoring

    out = tmp_path / "out.ipynb"
    env = {k: v for k, v in os.environ.items() if k != RUNNER_VARIABLE}
    env["PYTHONPATH"] = str(REPO_ROOT)  # the kernel imports this checkout's package
    command = [sys.executable, "-m", "papermill", "notebooks/25_threats_opportunities.ipynb"]
    command += [str(out), "-p", "scoring_model", str(mine), "-y", "languages: [en]"]
    command += ["--cwd", "notebooks", "--no-progress-bar"]
    ran = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr[-3000:]

    # The build is byte for byte what the runner wrote.
    assert digests(root) == before
    # The hand run's outputs are in scratch/, computed with the other weights.
    scratch = root / "scratch"
    mine_scores = pd.read_parquet(scratch / "data/processed/country_scores.parquet")
    built_scores = pd.read_parquet(root / "data/processed/country_scores.parquet")
    assert not mine_scores["opportunity"].equals(built_scores["opportunity"])
    assert (scratch / "data/processed/country_scores.csv").is_file()
    assert list((scratch / "figures").glob("25_threats_opportunities__*.en.png"))
    assert not list((scratch / "figures").glob("*.fi.png"))  # -y 'languages: [en]'
    said = [
        "".join(output.get("text", ""))
        for cell in json.loads(out.read_text(encoding="utf-8"))["cells"]
        for output in cell.get("outputs", [])
    ]
    assert sum("Run by hand: outputs written to scratch/" in text for text in said) == 1

    # The next run of the runner has nothing to redo: every output is still its own.
    messages: list[str] = []
    config = load_config(root / "config" / "params.yaml")
    result = run_pipeline(config, root, log=messages.append)
    assert result.ran == []
    assert not any("outside the runner" in m for m in messages)
    assert digests(root) == before
    for edition in ("report.html", "report.fi.html", "report.sv.html"):
        assert sha256_file(root / "reports" / edition) == sha256_file(built / "reports" / edition)
