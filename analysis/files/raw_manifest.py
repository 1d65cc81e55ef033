"""``MANIFEST.yaml`` of a raw-data folder: one reader and one writer for every producer.

The demo generator, ``python -m analysis fetch`` and a person bringing their own data all
describe a raw folder the same way: a header (profile, ``synthetic``, description, generator)
and one entry per file (path, title, producer, url, date accessed, licence, sha256).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from analysis.files.atomic import write_text_atomic
from analysis.files.hashing import sha256_file

MANIFEST_NAME = "MANIFEST.yaml"


@dataclass
class RawManifest:
    """A raw folder's manifest: ``header`` fields and ``files`` keyed by relative path."""

    folder: Path
    header: dict[str, Any] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    comment: str = (
        "Raw data manifest: every file in this folder, where it came from and its checksum."
    )

    @classmethod
    def load(cls, folder: Path, defaults: dict[str, Any] | None = None) -> RawManifest:
        """The folder's manifest, or an empty one with ``defaults`` as its header."""
        path = folder / MANIFEST_NAME
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
        raw = dict(raw or {})
        files = {entry["path"]: entry for entry in raw.pop("files", None) or []}
        return cls(folder, {**(defaults or {}), **raw}, files)

    def recorded(self, relative: str) -> bool:
        """The file is present and its sha256 is the one recorded."""
        entry = self.files.get(relative)
        path = self.folder / relative
        return bool(entry) and path.is_file() and sha256_file(path) == entry.get("sha256")

    def record(self, relative: str, **about: Any) -> None:
        """Enter (or replace) a file with what is known about it and its current sha256."""
        self.files[relative] = {
            "path": relative,
            **about,
            "sha256": about.get("sha256") or sha256_file(self.folder / relative),
        }

    def save(self) -> Path:
        body = {**self.header, "files": [self.files[k] for k in sorted(self.files)]}
        text = f"# {self.comment}\n"
        text += yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=1000)
        return write_text_atomic(self.folder / MANIFEST_NAME, text)


def data_profile(raw_dir: Path) -> dict[str, object]:
    """Describe the raw data folder from its ``MANIFEST.yaml``.

    The profile comes from the data, not from a flag someone must remember to set: a folder
    whose manifest says ``synthetic: true`` marks every report built from it as a demo.
    """
    manifest_path = raw_dir / MANIFEST_NAME
    if not manifest_path.is_file():
        return {"name": raw_dir.name, "synthetic": False, "description": f"no {MANIFEST_NAME}"}
    stat = manifest_path.stat()
    return dict(_profile(str(manifest_path), stat.st_mtime_ns, stat.st_size))


@cache
def _profile(path: str, mtime_ns: int, size: int) -> dict[str, object]:
    """The profile of one version of a manifest (many reports of one run read the same)."""
    manifest = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return {
        "name": manifest.get("profile", Path(path).parent.name),
        "synthetic": bool(manifest.get("synthetic", False)),
        "description": manifest.get("description", ""),
        "generator": manifest.get("generator"),
        "seed": manifest.get("seed"),
    }
