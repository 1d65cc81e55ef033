"""The runner's papermill engines write an executed notebook at its start, now and then while
it runs, and at its end: not before and after every cell."""

from __future__ import annotations

import nbformat
import pytest
from papermill import engines as papermill_engines

from analysis.build import engines
from analysis.build.engines import SAVE_EVERY, SparseSaves


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def writes(monkeypatch) -> list[int]:
    """How many cells had started at each write of the notebook."""
    written: list[int] = []

    def write(nb, path):
        written.append(sum(bool(c.metadata.papermill.get("start_time")) for c in nb.cells))

    monkeypatch.setattr(papermill_engines, "write_ipynb", write)
    return written


def _manager(clock: Clock, cells: int = 6) -> SparseSaves:
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(f"x = {i}") for i in range(cells)]
    )
    notebook.metadata.papermill = {}  # as papermill prepares a notebook before running it
    manager = SparseSaves(notebook, output_path="out.ipynb", progress_bar=False, clock=clock)
    manager.notebook_start()
    return manager


def _run_cells(manager: SparseSaves, clock: Clock, seconds_each: float) -> None:
    for index, cell in enumerate(manager.nb.cells):
        manager.cell_start(cell, index)
        clock.now += seconds_each
        manager.cell_complete(cell, index)


def test_a_quick_run_is_written_at_its_start_only(writes) -> None:
    clock = Clock()
    manager = _manager(clock)
    _run_cells(manager, clock, seconds_each=0.1)
    manager.notebook_complete()
    # papermill's execute_notebook writes the finished notebook itself.
    assert writes == [0]


def test_a_long_run_is_written_every_few_seconds(writes) -> None:
    clock = Clock()
    manager = _manager(clock, cells=6)
    _run_cells(manager, clock, seconds_each=SAVE_EVERY / 2)
    manager.notebook_complete()
    # At the start, then about every other cell.
    assert len(writes) == 4 and writes[0] == 0
    assert writes == sorted(writes) and writes[-1] >= 5


def test_a_run_that_stopped_is_written_as_far_as_it_got(writes) -> None:
    clock = Clock()
    manager = _manager(clock, cells=3)
    cell = manager.nb.cells[0]
    manager.cell_start(cell, 0)
    manager.cell_complete(cell, 0)
    manager.stopped = True  # what AnalysisEngine sets when the kernel dies
    manager.notebook_complete()
    assert writes == [0, 1]


def test_both_engines_are_registered_with_papermill() -> None:
    engines.register_engines()
    for name in (engines.ENGINE, engines.REUSED_ENGINE):
        assert papermill_engines.papermill_engines.get_engine(name) is not None
