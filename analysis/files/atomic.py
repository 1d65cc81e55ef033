"""The one way files are written: next to the destination, then moved into place.

A reader (a browser, the next step, a person opening the folder) never sees half a file, and a
failed write leaves the previous version untouched. In a notebook run by hand, a write aimed at
the build goes to ``scratch/`` instead (``analysis/files/scratch.py``).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from analysis.files.scratch import write_target


def move_into_place(temporary: Path, target: Path) -> Path:
    """Rename a complete temporary file onto ``target`` with the usual permissions."""
    # mkstemp creates owner-only files; published files get what the umask gives.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)
    os.replace(temporary, target)
    return target


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` to write to; moved onto ``target`` on success.

    For writers that want a path rather than a handle (Parquet, a browser's PDF, an archive
    member being copied out). In a notebook run by hand, a ``target`` in the build is
    replaced by its twin under ``scratch/``.
    """
    target = write_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        move_into_place(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)
    return path


def write_text_atomic(path: Path, text: str) -> Path:
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: Path, value: Any) -> Path:
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)
    return write_text_atomic(path, text + "\n")


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``; ``{}`` when it is missing or damaged (a manifest that only
    costs a rebuild must never stop one)."""
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}
