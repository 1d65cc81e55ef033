"""The run manifest (``reports/run_manifest.json``) and the processed-data manifest.

Both record, for every output, the producing step, the input files with their sha256, the
parameters, row counts, package versions and time. The run manifest also keeps each step's
fingerprint, which is what the runner compares to decide whether a step can be skipped.
"""

from __future__ import annotations

import csv
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.build.provenance import git_state, package_versions
from analysis.files.atomic import read_json, write_json_atomic
from analysis.files.hashing import sha256_file
from analysis.files.paths import relative_to_root, resolve

RUN_MANIFEST = Path("reports") / "run_manifest.json"
PROCESSED_MANIFEST_NAME = "manifest.json"


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


class RunManifest:
    """``reports/run_manifest.json``: each step's fingerprint, inputs and outputs."""

    def __init__(self, root: Path):
        self.root = root
        self.path = root / RUN_MANIFEST
        self.data = read_json(self.path)
        self.steps: dict[str, Any] = self.data.setdefault("steps", {})
        self._unsaved = False

    def fingerprint(self, step_name: str) -> str | None:
        return self.steps.get(step_name, {}).get("fingerprint")

    def forget(self, step_name: str, *, save: bool = True) -> None:
        """Drop a step's record before it runs: a failure must leave the step due again.
        With ``save=False`` the file is written by the next ``save``, which must come before
        the step starts."""
        if self.steps.pop(step_name, None) is not None:
            self._unsaved = True
        if save:
            self.save()

    def save(self) -> None:
        """Write what was forgotten or recorded since the file was last written."""
        if self._unsaved:
            write_json_atomic(self.path, self.data)
            self._unsaved = False

    def record(
        self,
        *,
        step,
        executed: Path,
        fingerprint: str,
        inputs: dict[str, str],
        outputs: list[Path],
        elapsed: float,
        config_path: Path,
        git: dict[str, object] | None = None,
        save: bool = True,
    ) -> None:
        """Write the step's outputs, checksums and fingerprint into both manifests (the run
        manifest at the next ``save`` with ``save=False``: a record not yet written only makes
        the step run again). ``git``: the checkout's state, if already known."""
        root = self.root
        finished = datetime.now(UTC).isoformat(timespec="seconds")
        output_entries = {
            relative_to_root(p, root): {
                "step": step.name,
                "sha256": sha256_file(p),
                "rows": count_rows(p),
                "inputs": inputs,
                "parameters": step.parameters,
                "packages": package_versions(),
                "written": finished,
            }
            for p in outputs
        }
        self.steps[step.name] = {
            "fingerprint": fingerprint,
            "notebook": step.notebook,
            "executed_notebook": relative_to_root(executed, root),
            "parameters": step.parameters,
            "inputs": inputs,
            "outputs": output_entries,
            "elapsed_seconds": round(elapsed, 2),
            "finished": finished,
        }
        self.data.update(
            git=git if git is not None else git_state(root),
            packages=package_versions(),
            python=sys.version.split()[0],
            config=relative_to_root(config_path, root),
        )
        self._unsaved = True
        if save:
            self.save()
        processed_dir = resolve(step.parameters.get("processed_dir", "data/processed"), root)
        processed = {
            key: entry
            for key, entry in output_entries.items()
            if resolve(key, root).parent == processed_dir
        }
        if processed:
            update_processed_manifest(processed_dir, processed)
