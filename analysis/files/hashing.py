"""Content hashes: the one sha256 of a file, of bytes and of a JSON value."""

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


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_json(value: object) -> str:
    """Hash a JSON-serialisable value independent of key order."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return sha256_bytes(text.encode("utf-8"))


class FileHashes:
    """The sha256 of each file, read from disk once and then remembered.

    The runner needs the hash of a step's output twice: to check that it is the file the
    step's last run wrote, and as an input of every step that reads it. Remembered, a run that
    changes nothing reads each file once. A file written after it was hashed must be
    forgotten (``forget``), or its old hash is given.
    """

    def __init__(self) -> None:
        self._known: dict[Path, str] = {}

    def __call__(self, path: Path) -> str:
        key = Path(path)
        if key not in self._known:
            self._known[key] = sha256_file(key)
        return self._known[key]

    def forget(self, paths: Iterable[Path]) -> None:
        """Hash these files afresh when next asked: they have been written since."""
        for path in paths:
            self._known.pop(Path(path), None)
