"""What a step's result depends on, as one hash. The runner skips a step only when this hash is
unchanged and every output is still the file the last run recorded (``run_manifest.py``).

A step's fingerprint covers its notebook's cells (not outputs), its parameters, the sha256 of
every input file, the package code the step runs (its notebook's imports and theirs, with the
data files beside them: ``analysis.build.imports``), the package versions and Python; a
rendering step also covers the renderer's code and what it adds (template, title, header
parameters).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from analysis.build.config import Step
from analysis.build.imports import code_files, package_root
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


RENDERER = "analysis.build.render"  # what the runner itself runs for a rendering step


def code_hash(step: Step, root: Path, sha256: Callable[[Path], str] = sha256_file) -> str:
    """The package code ``step`` runs, as one hash: each file's path and sha256."""
    files = code_files(resolve(step.notebook, root), also=[RENDERER] if step.renders else [])
    base = package_root().parent
    return sha256_json({p.relative_to(base).as_posix(): sha256(p) for p in files})


def step_fingerprint(
    step: Step,
    root: Path,
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
        "code": code_hash(step, root, sha256),
        "versions": package_versions(),
        "python": sys.version.split()[0],
        **(extra or {}),
    }
    return sha256_json(parts), inputs
