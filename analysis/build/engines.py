"""The papermill engines the runner executes notebooks with.

Both run a notebook as papermill's own engine does, and both keep the executed notebook on
disk the way the runner needs it, without rewriting it all the time:

- papermill writes the whole executed notebook before and after every cell, markdown cells
  included: for the report (some seventy cells, images embedded, over a megabyte) that is
  about a hundred and fifty writes of a growing file per edition. Here the notebook is written
  when the run starts (so no earlier run's record is left in its place), then at most every
  ``SAVE_EVERY`` seconds while it runs (so a long run's progress can be followed and a kernel
  that dies leaves what it had done), and when it ends: papermill's own final write once all
  went well, or, when a cell failed or the run stopped, the notebook as far as it got.
- ``REUSED_ENGINE``, for a kernel lent for one run of a notebook that runs many times
  (``kernels.py``), also closes its client's channels afterwards: papermill's default leaves
  them open for the kernel's owner.
"""

from __future__ import annotations

import time

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
from papermill.log import logger
from papermill.utils import merge_kwargs, remove_args

ENGINE = "analysis"
REUSED_ENGINE = "reused-kernel"
SAVE_EVERY = 5.0  # seconds between two writes of a running notebook


class SparseSaves(NotebookExecutionManager):
    """papermill's execution manager, writing the notebook at its start, at most every
    ``SAVE_EVERY`` seconds while cells run, and at its end if the run stopped."""

    def __init__(self, *args, clock=time.monotonic, **kwargs):
        self.clock = clock
        self.stopped = False  # set when the run ends with an exception
        self._finishing = False
        self._saved_at: float | None = None
        super().__init__(*args, **kwargs)

    def save(self, **kwargs):
        if self._finishing and not self.stopped:
            # papermill's execute_notebook writes the finished notebook itself, right after
            # this (with the error marked, when a cell failed).
            return
        now = self.clock()
        if self._saved_at is None or now - self._saved_at >= SAVE_EVERY or self.stopped:
            super().save(**kwargs)
            self._saved_at = now

    def notebook_complete(self, **kwargs):
        self._finishing = True
        return super().notebook_complete(**kwargs)


class AnalysisEngine(NBClientEngine):
    """papermill's nbclient engine with ``SparseSaves``."""

    @classmethod
    def execute_notebook(
        cls,
        nb,
        kernel_name,
        output_path=None,
        progress_bar=True,
        log_output=False,
        autosave_cell_every=30,
        **kwargs,
    ):
        # As papermill's Engine.execute_notebook, with the manager above.
        nb_man = SparseSaves(
            nb,
            output_path=output_path,
            progress_bar=progress_bar,
            log_output=log_output,
            autosave_cell_every=autosave_cell_every,
        )
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
        except BaseException:
            nb_man.stopped = True  # the kernel died, the run was interrupted, ...
            raise
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        return nb_man.nb


class ReusedKernelEngine(AnalysisEngine):
    """``AnalysisEngine`` in a kernel it was lent: closes its client's channels afterwards."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        **kwargs,
    ):
        kwargs = remove_args(["input_path"], **kwargs)
        safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
        final_kwargs = merge_kwargs(
            safe_kwargs,
            timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        client = PapermillNotebookClient(nb_man, **final_kwargs)
        try:
            return client.execute()
        finally:
            if client.kc is not None:
                client.kc.stop_channels()
                client.kc = None


def register_engines() -> None:
    """Make both engines known to papermill by name (once per process is enough)."""
    papermill_engines.register(ENGINE, AnalysisEngine)
    papermill_engines.register(REUSED_ENGINE, ReusedKernelEngine)
