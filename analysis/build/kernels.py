"""Kernels for the runner: started ahead of need so no step waits for one to boot.

Every pipeline step gets a fresh kernel that has run nothing; only its start-up overlaps with
the work of the step before it. Many runs of one notebook with different parameters (the
institution reports: one notebook, one run per organisation and edition) may share a kernel:
between runs its namespace is cleared (``%reset -f``), its figures closed and its working
folder restored, so each run starts from the same state, only without paying for a kernel's
start and the imports again. A kernel whose run failed is never reused. What the imported
modules keep is the same whichever run comes first: caches keyed by what they were worked out
from (a raw folder's profile by the state of its files, a shared figure by its drawing call).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

import analysis
from analysis.files.scratch import RUNNER_VARIABLE

# Between two runs of the same notebook in one kernel: nothing of the last run is left but
# imported modules (the same code either way). What survives the reset (modules, caches) is
# then frozen out of the cycle collector: every later reset and collection looks only at what
# the next run makes, not again at the whole of pandas and matplotlib.
RESET = (
    "%reset -f\n"
    "import matplotlib.pyplot as _plt\n"
    "_plt.close('all')\n"
    "del _plt\n"
    "import os as _os\n"
    "_os.chdir({cwd!r})\n"
    "del _os\n"
    "import gc as _gc\n"
    "_gc.collect()\n"
    "_gc.freeze()\n"
    "del _gc\n"
)


def _start(kernel_name: str, cwd: Path) -> AsyncKernelManager:
    # Local kernels talk over IPC sockets in a private folder: no TCP ports on the machine,
    # and no "running over TCP without encryption" warning from every kernel.
    sockets = tempfile.mkdtemp(prefix="analysis-kernel-")
    manager = AsyncKernelManager(
        kernel_name=kernel_name, transport="ipc", ip=os.path.join(sockets, "kernel")
    )
    # The kernel imports the same analysis package the runner fingerprinted, wherever the
    # environment's own install points.
    package_parent = str(Path(analysis.__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (package_parent, os.environ.get("PYTHONPATH")) if p)
    asyncio.run(
        manager.start_kernel(
            cwd=str(cwd),
            # Set only here: the kernels the runner starts write the build (a notebook run by
            # hand writes into scratch/, analysis/files/scratch.py), and draw with Agg: a step's
            # figures are files and embedded images, never inline outputs of their own.
            env={**os.environ, "PYTHONPATH": path, RUNNER_VARIABLE: "1", "MPLBACKEND": "Agg"},
            # A run is not a session to recall: no input history written to disk per cell.
            extra_arguments=["--HistoryManager.enabled=False"],
        )
    )
    return manager


def shutdown(manager: AsyncKernelManager) -> None:
    try:
        asyncio.run(manager.shutdown_kernel(now=True))
    finally:
        if manager.transport == "ipc":
            shutil.rmtree(os.path.dirname(manager.ip), ignore_errors=True)


def reset(manager: AsyncKernelManager, cwd: Path) -> bool:
    """Clear a kernel for its next run; False if it did not answer as it should."""
    client = manager.blocking_client()
    try:
        client.start_channels()
        client.wait_for_ready(timeout=60)
        reply = client.execute_interactive(
            RESET.format(cwd=str(cwd)), timeout=60, output_hook=lambda _: None
        )
        return reply["content"]["status"] == "ok"
    except Exception:
        return False
    finally:
        client.stop_channels()


class KernelPool:
    """Hands out started kernels for one working directory; ``prestart`` boots one ahead."""

    def __init__(self, kernel_name: str, cwd: Path):
        self.kernel_name = kernel_name
        self.cwd = cwd
        self._starter = ThreadPoolExecutor(max_workers=2, thread_name_prefix="kernel-start")
        self._ready: list[Future[AsyncKernelManager]] = []
        self._idle: dict[str, list[AsyncKernelManager]] = {}  # kept for runs of one notebook
        self._active: set[AsyncKernelManager] = set()
        self._lock = threading.Lock()
        self._closed = False

    def _boot(self) -> Future[AsyncKernelManager]:
        return self._starter.submit(_start, self.kernel_name, self.cwd)

    def take(self, reuse: str = "") -> AsyncKernelManager:
        """A started kernel: with ``reuse``, one kept from an earlier run of that notebook
        (cleared); else the one booted ahead if there is one, else a new one."""
        while reuse:
            with self._lock:
                kept = self._idle.get(reuse, [])
                manager = kept.pop() if kept else None
            if manager is None:
                break
            if reset(manager, self.cwd):
                with self._lock:
                    self._active.add(manager)
                return manager
            with contextlib.suppress(Exception):
                shutdown(manager)
        with self._lock:
            future = self._ready.pop(0) if self._ready else self._boot()
        manager = future.result()
        with self._lock:
            self._active.add(manager)
        return manager

    def release(self, manager: AsyncKernelManager, reuse: str = "") -> None:
        """Shut down a kernel whose notebook has finished, or keep it for the next run of the
        same notebook (``reuse``)."""
        with self._lock:
            self._active.discard(manager)
            if reuse and not self._closed:
                self._idle.setdefault(reuse, []).append(manager)
                return
        shutdown(manager)

    def kill_active(self) -> None:
        """Stop the kernels still running cells (after Ctrl-C): their steps then fail fast."""
        with self._lock:
            active, self._active = list(self._active), set()
        for manager in active:
            with contextlib.suppress(Exception):
                shutdown(manager)

    def prestart(self) -> None:
        """Boot one kernel ahead of need, unless one is already waiting."""
        with self._lock:
            if not self._ready and not self._closed:
                self._ready.append(self._boot())

    def close(self) -> None:
        """Shut down kernels that were started but not needed."""
        with self._lock:
            self._closed = True
            spares, self._ready = self._ready, []
            kept = [m for managers in self._idle.values() for m in managers]
            self._idle = {}
        for manager in kept:
            with contextlib.suppress(Exception):
                shutdown(manager)
        for future in spares:
            # A kernel that failed to start has nothing to shut down.
            with contextlib.suppress(Exception):
                shutdown(future.result())
        self._starter.shutdown(wait=True)
