"""Only the runner writes the build: a notebook run by hand writes into scratch/ instead."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pandera.pandas as pa
import pytest

from analysis.build.config import load_config
from analysis.build.runner import run_pipeline
from analysis.figures.publisher import Publisher
from analysis.files import scratch
from analysis.files.tables import read_table, write_table
from tests.conftest import REPO_ROOT, write_notebook


def schema(name: str) -> pa.DataFrameSchema:
    """A throw-away table's declaration (write_table wants the schema named as the table)."""
    return pa.DataFrameSchema({"value": pa.Column(int)}, name=name)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "params.yaml").write_text("steps: []\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def by_hand(monkeypatch) -> None:
    """This process as a kernel the runner did not start, with nothing written yet."""
    monkeypatch.setattr(scratch, "in_kernel", lambda: True)
    monkeypatch.delenv(scratch.RUNNER_VARIABLE, raising=False)
    monkeypatch.setattr(scratch, "_written", {})
    monkeypatch.setattr(scratch, "_told", [])


def test_a_table_written_by_hand_goes_to_scratch_and_is_read_back_from_there(
    project: Path, by_hand, capsys
) -> None:
    processed = project / "data" / "processed"
    write_table(
        pd.DataFrame({"value": [1, 2]}), processed, "numbers", schema("numbers"), csv_copy=True
    )
    write_table(pd.DataFrame({"value": [3]}), processed, "more", schema("more"))

    assert not processed.exists()
    twin = project / "scratch" / "data" / "processed"
    assert sorted(p.name for p in twin.iterdir()) == [
        "more.parquet",
        "numbers.csv",
        "numbers.parquet",
    ]
    assert read_table(processed, "numbers")["value"].tolist() == [1, 2]
    # Said once, in the notebook, naming where the outputs went.
    said = capsys.readouterr().out
    assert said.count("Run by hand") == 1
    assert "scratch/data/processed/numbers.parquet" in said
    assert "the build (data/processed/, figures/, reports/) is unchanged" in said


def test_a_table_not_written_by_this_notebook_is_read_from_the_build(
    project: Path, by_hand
) -> None:
    processed = project / "data" / "processed"
    processed.mkdir(parents=True)
    pd.DataFrame({"value": [7]}).to_parquet(processed / "built.parquet")
    (project / "scratch" / "data" / "processed").mkdir(parents=True)
    pd.DataFrame({"value": [8]}).to_parquet(project / "scratch/data/processed/built.parquet")
    # A scratch file of an earlier session does not stand in for the build.
    assert read_table(processed, "built")["value"].tolist() == [7]


def test_paths_outside_the_build_folders_are_written_where_they_say(
    project: Path, tmp_path_factory, by_hand
) -> None:
    elsewhere = project / "data" / "mine"
    write_table(pd.DataFrame({"value": [1]}), elsewhere, "t", schema("t"))
    assert (elsewhere / "t.parquet").is_file()
    no_project = tmp_path_factory.mktemp("loose")
    write_table(pd.DataFrame({"value": [1]}), no_project, "t", schema("t"))
    assert (no_project / "t.parquet").is_file()
    assert not (project / "scratch").exists()


@pytest.mark.parametrize("who", ["runner kernel", "no kernel"])
def test_the_runner_kernels_and_plain_processes_write_the_build(
    project: Path, monkeypatch, who: str
) -> None:
    monkeypatch.setattr(scratch, "_written", {})
    if who == "runner kernel":
        monkeypatch.setattr(scratch, "in_kernel", lambda: True)
        monkeypatch.setenv(scratch.RUNNER_VARIABLE, "1")
    else:
        monkeypatch.delenv(scratch.RUNNER_VARIABLE, raising=False)
        assert not scratch.in_kernel()  # pytest is not a kernel
    processed = project / "data" / "processed"
    write_table(pd.DataFrame({"value": [1]}), processed, "t", schema("t"))
    assert (processed / "t.parquet").is_file()
    assert not (project / "scratch").exists()


def test_a_figure_drawn_by_hand_is_saved_and_shown_from_scratch(project: Path, by_hand) -> None:
    pub = Publisher(project / "figures", "99_test", synthetic=False)
    fig, ax = plt.subplots()
    ax.bar(["a"], [1])
    pub.figure(
        fig, "bars", title="T", caption="C", alt="A", data=pd.DataFrame({"n": [1]}), source="S"
    )
    pub.show_saved("99_test__bars")  # reads back what it drew: from scratch
    assert not (project / "figures").exists()
    names = sorted(p.name for p in (project / "scratch" / "figures").iterdir())
    assert names == [
        "99_test__bars.csv",
        "99_test__bars.en.json",
        "99_test__bars.en.png",
        "99_test__bars.en.svg",
    ]


# --- in real kernels: papermill by hand, and the runner -------------------------------------

WRITE_CELLS = [
    ("md", "# Double, through the project's writer"),
    ("params", 'raw_dir = "x"\nprocessed_dir = "y"\nmin_cell = 0\nfactor = 1'),
    (
        "code",
        "from analysis.files.atomic import write_text_atomic\n"
        "from analysis.files.paths import resolve\n"
        "rows = resolve(raw_dir + '/numbers.csv').read_text().split()\n"
        "write_text_atomic(resolve(processed_dir + '/doubled.csv'),\n"
        "    'value\\n' + ''.join(f'{int(r) * factor}\\n' for r in rows[1:]))",
    ),
]


@pytest.mark.kernel
def test_papermill_by_hand_writes_scratch_and_the_runner_writes_the_build(
    tiny_project: Path, tmp_path_factory
) -> None:
    write_notebook(tiny_project / "notebooks" / "11_double.ipynb", WRITE_CELLS)
    config = load_config(tiny_project / "config" / "params.yaml")
    assert run_pipeline(config, tiny_project, log=lambda _: None).ran == ["double", "report"]
    built = tiny_project / "data" / "processed" / "doubled.csv"
    assert built.read_text() == "value\n2\n4\n6\n"

    out = tmp_path_factory.mktemp("by-hand") / "out.ipynb"
    env = {k: v for k, v in os.environ.items() if k != scratch.RUNNER_VARIABLE}
    env["PYTHONPATH"] = str(REPO_ROOT)  # the kernel imports this checkout's package
    command = [sys.executable, "-m", "papermill", "notebooks/11_double.ipynb", str(out)]
    command += ["-p", "factor", "3", "-p", "raw_dir", "data/raw/tiny"]
    command += ["-p", "processed_dir", "data/processed", "--cwd", "notebooks"]
    ran = subprocess.run(command, cwd=tiny_project, env=env, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr

    assert built.read_text() == "value\n2\n4\n6\n"
    assert (tiny_project / "scratch/data/processed/doubled.csv").read_text() == "value\n3\n6\n9\n"
    shown = json.loads(out.read_text())["cells"][-1]["outputs"][0]["text"]
    assert "Run by hand: outputs written to scratch/" in "".join(shown)
    # The runner sees its build untouched: nothing to do.
    assert run_pipeline(config, tiny_project, log=lambda _: None).ran == []
