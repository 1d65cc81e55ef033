"""What a step's result depends on, as one hash. The runner skips a step only when this hash is
unchanged and every output is still the file the last run recorded (``run_manifest.py``).

A step's fingerprint covers its notebook's cells (not outputs), its parameters, the sha256 of
every input file, the ``analysis`` package source, the package versions and Python; a
rendering step also covers what the renderer adds (template, title, header parameters).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import analysis
from analysis.build.config import Step
from analysis.build.provenance import package_versions
from analysis.files.hashing import sha256_file, sha256_json
from analysis.files.paths import relative_to_root, resolve


def notebook_source_hash(path: Path) -> str:
    """Hash what a notebook *does*: cell types, sources and tags, not outputs or counts.

    Opening and saving a notebook in JupyterLab (which adds outputs and metadata) must not
    force a rebuild; editing a cell must.
    """
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = [
        {
            "type": cell.get("cell_type"),
            "source": "".join(cell.get("source", [])),
            "tags": sorted(cell.get("metadata", {}).get("tags", [])),
        }
        for cell in notebook.get("cells", [])
    ]
    return sha256_json(cells)


def tree_hash(root: Path, suffixes: Iterable[str]) -> str:
    """Hash names and contents of every file under ``root`` with one of ``suffixes``."""
    wanted = set(suffixes)
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in wanted):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(sha256_file(path).encode())
    return digest.hexdigest()


def package_source_hash() -> str:
    return tree_hash(Path(analysis.__file__).parent, {".py", ".yaml", ".yml"})


def step_fingerprint(
    step: Step,
    root: Path,
    package_hash: str,
    extra: dict[str, Any] | None = None,
    sha256: Callable[[Path], str] = sha256_file,
) -> tuple[str, dict[str, str]]:
    """Fingerprint of everything a step's result depends on, and its inputs' sha256.

    ``sha256``: how a file is hashed; the runner passes one that remembers, so an earlier
    step's output is read once however many later steps read it.
    """
    inputs = {relative_to_root(p, root): sha256(p) for p in step.input_files(root)}
    parts = {
        "notebook": notebook_source_hash(resolve(step.notebook, root)),
        "parameters": step.parameters,
        "inputs": inputs,
        "package": package_hash,
        "versions": package_versions(),
        "python": sys.version.split()[0],
        **(extra or {}),
    }
    return sha256_json(parts), inputs
