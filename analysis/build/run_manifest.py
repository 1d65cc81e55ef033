"""The run manifest (``reports/run_manifest.json``) and the processed-data manifest.

Both record, for every output, the producing step, the input files with their sha256, the
parameters, row counts, package versions and time. The run manifest also keeps each step's
fingerprint, which is what the runner compares to decide whether a step can be skipped.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from pathlib import Path
from typing import Any

RUN_MANIFEST = Path("reports") / "run_manifest.json"
PROCESSED_MANIFEST_NAME = "manifest.json"


def write_text_atomic(path: Path, text: str) -> None:
    """Write next to the destination, then move into place: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        # mkstemp creates owner-only files; published files get the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, value: Any) -> None:
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)
    write_text_atomic(path, text + "\n")


def read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        # A damaged manifest only costs a rebuild; it must never stop one.
        return {}


def count_rows(path: Path) -> int | None:
    """Rows of a table output (Parquet from its footer, CSV by parsing), else ``None``."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_metadata(path).num_rows
    if path.suffix == ".csv":
        with open(path, newline="", encoding="utf-8-sig") as handle:
            return max(sum(1 for _ in csv.reader(handle)) - 1, 0)
    return None


def update_processed_manifest(processed_dir: Path, entries: dict[str, dict[str, Any]]) -> None:
    """Merge output entries (keyed by path relative to the root) into the processed manifest."""
    path = processed_dir / PROCESSED_MANIFEST_NAME
    manifest = read_json(path)
    outputs = manifest.get("outputs", {})
    outputs.update(entries)
    manifest["outputs"] = dict(sorted(outputs.items()))
    manifest["description"] = (
        "Every table in this folder is written by the pipeline; this file records, for each, "
        "the producing step, its inputs with sha256, the parameters, the row count and versions."
    )
    write_json_atomic(path, manifest)
