"""Only the runner writes the build: a notebook run by hand writes into ``scratch/``.

The build folders of a project (``data/processed/``, ``figures/``, ``reports/``) hold what the
runner made and recorded. A notebook run by hand (in JupyterLab, or with the ``papermill``
command line and other parameters) computes and shows everything as in the build, but each
file it would write into a build folder goes to the same relative path under ``scratch/`` at
the project root, which git ignores: ``data/processed/country_scores.parquet`` becomes
``scratch/data/processed/country_scores.parquet``. The first such write says so once, in the
notebook.

The runner starts its kernels with ``ANALYSIS_RUNNER=1`` (``analysis/build/kernels.py``), so
the same notebook run by the runner writes the build. Only code running in a Jupyter kernel
is redirected: the runner's own process (run manifests, rendered reports), the command line
and tests calling step functions write where they are told. A path outside the build folders
(``-p processed_dir=/tmp/mine``) is written where it says.

Reads follow the writes of this process: a file it wrote into scratch (a figure's data, shown
under the figure; a table written and read again) is read from there, and every other file
from the build.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from analysis.files.paths import find_project_root

RUNNER_VARIABLE = "ANALYSIS_RUNNER"
BUILD_FOLDERS = ("data/processed", "figures", "reports")
SCRATCH = "scratch"

# The build path → the scratch file written instead, in this process.
_written: dict[Path, Path] = {}
_told: list[str] = []


def in_kernel() -> bool:
    """True in a Jupyter kernel (JupyterLab, papermill, the runner's kernels)."""
    kernelapp = sys.modules.get("ipykernel.kernelapp")
    return kernelapp is not None and bool(kernelapp.IPKernelApp.initialized())


def run_by_hand() -> bool:
    """True in a kernel the runner did not start: writes into the build are redirected."""
    return not os.environ.get(RUNNER_VARIABLE) and in_kernel()


def build_relative(path: Path) -> tuple[Path, str] | None:
    """The project root and ``path`` relative to it, when ``path`` is in a build folder of
    that project (the nearest folder above it with ``config/params.yaml``); else None."""
    absolute = Path(path).resolve()
    try:
        root = find_project_root(absolute.parent)
    except FileNotFoundError:
        return None
    relative = absolute.relative_to(root).as_posix()
    if any(relative.startswith(f"{folder}/") for folder in BUILD_FOLDERS):
        return root, relative
    return None


def write_target(path: Path) -> Path:
    """Where a write aimed at ``path`` goes: ``path``, or its scratch twin when a notebook run
    by hand aims at the build."""
    if not run_by_hand():
        return path
    located = build_relative(path)
    if located is None:
        return path
    root, relative = located
    target = root / SCRATCH / relative
    _written[Path(path).resolve()] = target
    _tell(relative)
    return target


def read_source(path: Path) -> Path:
    """Where to read ``path`` from: the scratch file this process wrote instead, if any."""
    if not _written:
        return path
    return _written.get(Path(path).resolve(), path)


def _tell(relative: str) -> None:
    if _told:
        return
    _told.append(relative)
    print(
        f"Run by hand: outputs written to {SCRATCH}/ (first {SCRATCH}/{relative}); the build "
        f"({', '.join(f'{f}/' for f in BUILD_FOLDERS)}) is unchanged. "
        "Only `python -m analysis report` writes the build.",
        flush=True,
    )
