"""``MANIFEST.yaml`` of a raw-data folder: one reader and one writer for every producer.

The demo generator, ``python -m analysis fetch`` and a person bringing their own data all
describe a raw folder the same way: a header (profile, ``synthetic``, description, generator)
and one entry per file (path, title, producer, url, date accessed, licence, sha256).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis.files.atomic import write_text_atomic
from analysis.files.hashing import sha256_bytes, sha256_file
from analysis.files.yaml_file import YamlFileError, load_yaml_file, parse_yaml

MANIFEST_NAME = "MANIFEST.yaml"
# The source folders of a raw folder, in the order the report uses them.
SOURCE_FOLDERS = ("survey", "openalex", "cordis", "agreements", "mobility", "context", "screening")


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
        raw = parse_yaml(path.read_text(encoding="utf-8")) if path.is_file() else None
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


# Files that are never data: the manifest itself, hidden files, partial downloads, caches.
def is_data_file(relative: str) -> bool:
    parts = relative.split("/")
    return relative != MANIFEST_NAME and not any(p.startswith((".", "~$")) for p in parts)


def data_files(folder: Path) -> list[str]:
    """Every data file under ``folder``, as a relative POSIX path, sorted."""
    found = (p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return sorted(r for r in found if is_data_file(r))


def manifest_problems(folder: Path) -> list[tuple[str, str]]:
    """(file, problem with its fix) for every way ``folder`` departs from its manifest: a file
    not listed, a listed file missing, a sha256 that does not match (both sums named)."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return [
            (
                MANIFEST_NAME,
                f"missing: every raw folder describes its files in {MANIFEST_NAME} (profile, "
                "synthetic, and per file path, title, producer, url, accessed, licence, sha256)",
            )
        ]
    try:
        raw = load_yaml_file(path)
    except YamlFileError as error:
        return [(MANIFEST_NAME, str(error))]
    entries = raw.get("files") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("path"), str) for e in entries
    ):
        return [(MANIFEST_NAME, "'files' must be a list of entries, each with a 'path'")]
    listed = {e["path"]: e for e in entries}
    problems = []
    for relative in data_files(folder):
        if relative not in listed:
            problems.append(
                (
                    relative,
                    f"not listed in {MANIFEST_NAME}: add an entry with "
                    f"sha256: {sha256_file(folder / relative)}",
                )
            )
    for relative, entry in sorted(listed.items()):
        target = folder / relative
        if not target.is_file():
            problems.append((relative, f"listed in {MANIFEST_NAME} but missing"))
            continue
        actual = sha256_file(target)
        if entry.get("sha256") != actual:
            problems.append(
                (
                    relative,
                    f"sha256 is {actual}, {MANIFEST_NAME} records "
                    f"{entry.get('sha256')}: the file changed since it was recorded; restore it "
                    "or record the new file with where it came from",
                )
            )
    return problems


def _demo_folder() -> Path | None:
    from analysis.files.paths import find_project_root

    try:
        return find_project_root() / "data" / "raw" / "demo"
    except FileNotFoundError:
        return None


def _demo_hashes() -> dict[int, dict[str, str]]:
    """size → sha256 → path of every file the demo generator wrote (as its manifest records)."""
    demo = _demo_folder()
    if demo is None:
        return {}
    manifest = RawManifest.load(demo)
    known: dict[int, dict[str, str]] = {}
    for relative, entry in manifest.files.items():
        if (demo / relative).is_file():
            size = (demo / relative).stat().st_size
            known.setdefault(size, {})[entry.get("sha256")] = relative
    return known


def synthetic_files(raw_dir: Path) -> list[str]:
    """Files of ``raw_dir`` that are synthetic: marked so in its manifest, or byte for byte a
    file of the demo (copied into a real folder, a demo file still marks the report)."""
    manifest = RawManifest.load(raw_dir)
    marked = {r for r, e in manifest.files.items() if e.get("synthetic")}
    known = _demo_hashes()
    for relative in data_files(raw_dir) if raw_dir.is_dir() else []:
        same_size = known.get((raw_dir / relative).stat().st_size)
        if same_size and relative not in marked and sha256_file(raw_dir / relative) in same_size:
            marked.add(relative)
    return sorted(marked)


def not_provided(raw_dir: Path) -> list[str]:
    """Source folders of ``raw_dir`` that are absent or hold no data file."""
    missing = []
    for name in SOURCE_FOLDERS:
        folder = raw_dir / name
        if not (folder.is_dir() and any(is_data_file(p.name) for p in folder.iterdir())):
            missing.append(name)
    return missing


def _folder_state(folder: Path | None) -> tuple:
    """Every file under ``folder`` with its size, inode and modification time, and the
    manifest's own text."""
    if folder is None or not folder.is_dir():
        return ()
    files: list[tuple] = []
    for path in folder.rglob("*"):
        if path.is_file():
            stat = path.stat()
            relative = path.relative_to(folder).as_posix()
            files.append((relative, stat.st_size, stat.st_ino, stat.st_mtime_ns))
    manifest = folder / MANIFEST_NAME
    text = manifest.read_bytes() if manifest.is_file() else b""
    return (sha256_bytes(text), *sorted(files))


# Profiles already worked out, by the state of the files they were worked out from: a build
# renders many pages from one raw folder, and each would otherwise parse its manifest (and
# the demo's) and hash its files again.
_PROFILES: dict[tuple, dict[str, object]] = {}
_PROFILES_KEPT = 8


def data_profile(raw_dir: Path) -> dict[str, object]:
    """Describe the raw data folder from its ``MANIFEST.yaml``.

    The profile comes from the data, not from a flag someone must remember to set: a folder
    whose manifest says ``synthetic: true``, or that holds any synthetic file (marked so per
    file, or a copy of a demo file), marks every report built from it as a demo.

    Worked out again whenever a file of the folder or of the demo is added, removed or
    changed (size or modification time); otherwise the answer of the last call is reused.
    """
    demo = _demo_folder()
    key = (str(raw_dir.absolute()), _folder_state(raw_dir), str(demo), _folder_state(demo))
    if key not in _PROFILES:
        if len(_PROFILES) >= _PROFILES_KEPT:
            _PROFILES.clear()
        _PROFILES[key] = _data_profile(raw_dir)
    return copy.deepcopy(_PROFILES[key])


def _data_profile(raw_dir: Path) -> dict[str, object]:
    manifest_path = raw_dir / MANIFEST_NAME
    synthetic = synthetic_files(raw_dir)
    if not manifest_path.is_file():
        return {
            "name": raw_dir.name,
            "synthetic": bool(synthetic),
            "synthetic_files": synthetic,
            "not_provided": not_provided(raw_dir),
            "description": f"no {MANIFEST_NAME}",
        }
    manifest = parse_yaml(manifest_path.read_text(encoding="utf-8")) or {}
    return {
        "name": manifest.get("profile", raw_dir.name),
        "synthetic": bool(manifest.get("synthetic", False)) or bool(synthetic),
        "synthetic_files": synthetic,
        "not_provided": not_provided(raw_dir),
        "description": manifest.get("description", ""),
        "generator": manifest.get("generator"),
        "seed": manifest.get("seed"),
    }
