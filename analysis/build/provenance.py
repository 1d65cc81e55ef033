"""Where a run came from: the git state of the checkout and the package versions."""

from __future__ import annotations

import subprocess
from functools import cache
from importlib import metadata
from pathlib import Path

REPORTED_PACKAGES = (
    "pandas",
    "numpy",
    "pyarrow",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbconvert",
    "nbclient",
    "pandera",
    "openpyxl",
    "pycountry",
    "pyreadstat",
)


def git_state(root: Path) -> dict[str, object]:
    """Commit and dirty flag of the working tree, or ``None`` values outside a git checkout."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    return {
        "commit": commit,
        "short_commit": commit[:10] if commit else None,
        "dirty": bool(status) if status is not None else None,
    }


@cache
def package_versions() -> dict[str, str]:
    versions = {}
    for name in REPORTED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions
