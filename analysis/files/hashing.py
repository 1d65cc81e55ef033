"""Content hashes for rebuild decisions and manifests."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_json(value: object) -> str:
    """Hash a JSON-serialisable value independent of key order."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
