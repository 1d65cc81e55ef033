"""Paths built from one project root, so notebooks, tests and the runner agree on every location."""

from __future__ import annotations

from pathlib import Path

CONFIG_MARKER = Path("config") / "params.yaml"


def find_project_root(start: Path | None = None) -> Path:
    """Return the nearest folder at or above ``start`` (default: cwd) with ``config/params.yaml``.

    Walking up from the working directory lets the same notebook run from JupyterLab (cwd is
    ``notebooks/``), from the runner, and from a copy of the project in a temporary folder.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_MARKER).is_file():
            return folder
    raise FileNotFoundError(
        f"No project root found at or above {here}: expected a folder containing {CONFIG_MARKER}"
    )


def resolve(path: str | Path, root: Path | None = None) -> Path:
    """Resolve ``path`` against the project root unless it is already absolute."""
    path = Path(path)
    if path.is_absolute():
        return path
    return (root or find_project_root()) / path


def relative_to_root(path: Path, root: Path) -> str:
    """Show ``path`` relative to the root where possible (manifests stay portable)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def contained(folder: Path, relative: str) -> Path | None:
    """``folder / relative`` if it stays inside ``folder`` (no absolute path, ``..`` or link
    out of it), else None: files named in a raw folder's mapping files must be in that folder,
    where the manifest fingerprints them."""
    if not relative or Path(relative).is_absolute():
        return None
    target = folder / relative
    return target if target.resolve().is_relative_to(folder.resolve()) else None


def file_safe(name: str) -> str:
    """``name`` (an organisation key, which comes from data) as a file name: letters, digits,
    ``-`` and ``_`` kept, anything else (``/``, ``<``, spaces) as ``_``."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in str(name)) or "_"
