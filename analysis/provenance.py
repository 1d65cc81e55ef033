"""Where a run came from: git state, package versions and the data profile of the raw inputs."""

from __future__ import annotations

import subprocess
from functools import cache
from importlib import metadata
from pathlib import Path

import yaml

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

DEMO_BANNER = "Synthetic demo data — not real figures"
# Other languages put their own wording first and keep the English, so the words "synthetic
# demo data" are on every page and figure whatever the language.
_BANNERS = {
    "fi": "Synteettinen esimerkkiaineisto — ei todellisia lukuja",
    "sv": "Syntetiska demodata — inga verkliga siffror",
}


def demo_banner(lang: str = "en") -> str:
    """The demo banner in the report's language (the English words always included)."""
    if lang in _BANNERS:
        return f"{_BANNERS[lang]} ({DEMO_BANNER})"
    return DEMO_BANNER


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


def data_profile(raw_dir: Path) -> dict[str, object]:
    """Describe the raw data folder from its ``MANIFEST.yaml``.

    The profile comes from the data, not from a flag someone must remember to set: a folder
    whose manifest says ``synthetic: true`` marks every report built from it as a demo.
    """
    manifest_path = raw_dir / "MANIFEST.yaml"
    if not manifest_path.is_file():
        return {"name": raw_dir.name, "synthetic": False, "description": "no MANIFEST.yaml"}
    manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8")) or {}
    return {
        "name": manifest.get("profile", raw_dir.name),
        "synthetic": bool(manifest.get("synthetic", False)),
        "description": manifest.get("description", ""),
        "generator": manifest.get("generator"),
        "seed": manifest.get("seed"),
    }
