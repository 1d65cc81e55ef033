"""The analyst's path on the built demo: a what-if through the pipeline's own scoring that
writes nothing, a country card, and the start-here notebook run top to bottom."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow
NOTEBOOK = Path("notebooks") / "exploratory" / "00_start_here.ipynb"


def analyst_copy(built: Path, target: Path) -> Path:
    """What an analyst's session reads of the built project, in a folder of its own (the
    notebook from this checkout)."""
    for folder in ("config", "data"):
        shutil.copytree(built / folder, target / folder)
    (target / NOTEBOOK).parent.mkdir(parents=True)
    shutil.copyfile(REPO_ROOT / NOTEBOOK, target / NOTEBOOK)
    return target


def snapshot(root: Path) -> dict[str, tuple[int, float]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime) for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def project(built: Path, tmp_path_factory) -> Path:
    return analyst_copy(built, tmp_path_factory.mktemp("analyst"))


def test_the_default_what_if_is_the_published_assessment_and_writes_nothing(
    project: Path, monkeypatch
) -> None:
    from analysis.whatif import country_card, plot_matrix, weights_of, whatif

    monkeypatch.chdir(project)
    before = snapshot(project)
    published = pd.read_parquet(project / "data" / "processed" / "country_scores.parquet")
    result = whatif()
    assert result.scores["iso2"].tolist() == published["iso2"].tolist()
    assert result.scores["quadrant"].tolist() == published["quadrant"].tolist()
    for column in ("opportunity", "threat", "exposure", "quadrant_share"):
        assert result.scores[column].to_numpy() == pytest.approx(published[column].to_numpy())
    assert not result.internal
    # All threat weight on one indicator: some classes move, shares still sum to one.
    threat = weights_of()["threat"]
    first = next(iter(threat))
    moved = whatif(weights={k: (1.0 if k == first else 0.0) for k in threat}, draws=300)
    assert (moved.scores["quadrant"] != result.scores["quadrant"]).any()
    classes = moved.classes("fi")
    shares = classes[[c for c in classes if c.startswith("share_") and c != "share_of_draws"]]
    placed = classes["class"] != "not_placed"
    assert shares[placed].sum(axis=1).to_numpy() == pytest.approx(1.0)
    fig = plot_matrix(moved, "sv")
    assert fig.axes
    card = country_card("CN", "fi", moved)
    assert len(card.table) and "Kiina" in str(card.summary)
    with pytest.raises(ValueError, match="no such indicator"):
        whatif(weights={"no_such": 1.0})
    assert snapshot(project) == before


def test_a_smaller_min_cell_is_internal(project: Path, monkeypatch) -> None:
    from analysis.disclosure.internal import InternalFrame
    from analysis.figures.publisher import Publisher
    from analysis.whatif import whatif

    monkeypatch.chdir(project)
    result = whatif(min_cell=2, draws=200)
    assert result.internal and result.scores.attrs["internal"]
    with pytest.raises(InternalFrame):
        Publisher(project / "figures", "00_test", True).table(result.classes(), title="x")


@pytest.mark.kernel
def test_the_start_here_notebook_runs_without_errors_and_draws(project: Path, monkeypatch) -> None:
    from nbclient import NotebookClient

    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])
    )
    monkeypatch.delenv("MPLBACKEND", raising=False)
    before = snapshot(project / "data")
    notebook = nbformat.read(project / NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str((project / NOTEBOOK).parent)}},
    ).execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert [o for o in outputs if o.output_type == "error"] == []
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2  # the what-if's matrix and the analyst's own chart, inline
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    assert snapshot(project / "data") == before
