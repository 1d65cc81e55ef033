"""Kernels for the runner: started ahead of need so no step waits for one to boot.

Every step still gets a fresh kernel that has run nothing; only its start-up overlaps with
the work of the step before it.
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
    asyncio.run(manager.start_kernel(cwd=str(cwd), env={**os.environ, "PYTHONPATH": path}))
    return manager


def shutdown(manager: AsyncKernelManager) -> None:
    try:
        asyncio.run(manager.shutdown_kernel(now=True))
    finally:
        if manager.transport == "ipc":
            shutil.rmtree(os.path.dirname(manager.ip), ignore_errors=True)


class KernelPool:
    """Hands out started kernels for one working directory; ``prestart`` boots one ahead."""

    def __init__(self, kernel_name: str, cwd: Path):
        self.kernel_name = kernel_name
        self.cwd = cwd
        self._starter = ThreadPoolExecutor(max_workers=2, thread_name_prefix="kernel-start")
        self._ready: list[Future[AsyncKernelManager]] = []
        self._active: set[AsyncKernelManager] = set()
        self._lock = threading.Lock()
        self._closed = False

    def _boot(self) -> Future[AsyncKernelManager]:
        return self._starter.submit(_start, self.kernel_name, self.cwd)

    def take(self) -> AsyncKernelManager:
        """A started kernel: the one booted ahead if there is one, else a new one."""
        with self._lock:
            future = self._ready.pop(0) if self._ready else self._boot()
        manager = future.result()
        with self._lock:
            self._active.add(manager)
        return manager

    def release(self, manager: AsyncKernelManager) -> None:
        """Shut down a kernel whose notebook has finished."""
        with self._lock:
            self._active.discard(manager)
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
        for future in spares:
            # A kernel that failed to start has nothing to shut down.
            with contextlib.suppress(Exception):
                shutdown(future.result())
        self._starter.shutdown(wait=True)
