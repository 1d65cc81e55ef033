"""The run manifest (``reports/run_manifest.json``) and the processed-data manifest.

Both record, for every output, the producing step, the input files with their sha256, the
parameters, row counts, package versions and time. The run manifest also keeps each step's
fingerprint. The runner skips a step only when its fingerprint is the one recorded and each of
its outputs still has the sha256 recorded for it: an output edited by hand, or written by a
notebook run outside the runner, makes the step run again (``changed_outputs``).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
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


# How the console says why a step whose fingerprint is unchanged runs again: one file, several.
_WHY_RERUN = {
    "changed": ("was changed outside the runner", "were changed outside the runner"),
    "missing": ("is missing", "are missing"),
    "unrecorded": ("has no sha256 in the run manifest", "have no sha256 in the run manifest"),
}


def rerun_reasons(step_name: str, changed: dict[str, str], shown: int = 3) -> list[str]:
    """The console lines for ``RunManifest.changed_outputs``: one per kind of change, naming
    up to ``shown`` files (a notebook run by hand rewrites all its outputs at once)."""
    lines = []
    for kind, (one, several) in _WHY_RERUN.items():
        paths = [path for path, found in changed.items() if found == kind]
        if not paths:
            continue
        if len(paths) == 1:
            named = paths[0]
        elif len(paths) <= shown:
            named = ", ".join(paths[:-1]) + f" and {paths[-1]}"
        else:
            named = ", ".join(paths[:shown]) + f" and {len(paths) - shown} more"
        lines.append(f"{step_name}: {named} {one if len(paths) == 1 else several}: rerunning")
    return lines


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

    def changed_outputs(
        self, step_name: str, outputs: list[Path], sha256: Callable[[Path], str] = sha256_file
    ) -> dict[str, str]:
        """Each output that is not the file the step's last run recorded, with what is wrong:
        ``missing``, ``changed`` (its sha256 differs: edited by hand, or written by the
        notebook run outside the runner) or ``unrecorded`` (no sha256 to compare with). Keyed by
        the path relative to the root; empty when every output is as the last run left it."""
        recorded = self.steps.get(step_name, {}).get("outputs", {})
        changed: dict[str, str] = {}
        for path in outputs:
            key = relative_to_root(path, self.root)
            expected = recorded.get(key, {}).get("sha256")
            if not path.is_file():
                changed[key] = "missing"
            elif not expected:
                changed[key] = "unrecorded"
            elif sha256(path) != expected:
                changed[key] = "changed"
        return changed

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
        sha256: Callable[[Path], str] = sha256_file,
    ) -> None:
        """Write the step's outputs, checksums and fingerprint into both manifests (the run
        manifest at the next ``save`` with ``save=False``: a record not yet written only makes
        the step run again). ``git``: the checkout's state, if already known; ``sha256``: how
        an output is hashed (the runner's remembers, for the steps that read it next)."""
        root = self.root
        finished = datetime.now(UTC).isoformat(timespec="seconds")
        output_entries = {
            relative_to_root(p, root): {
                "step": step.name,
                "sha256": sha256(p),
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
