"""The pipeline runner: executes the configured notebook steps with papermill, in order.

A step is skipped when its fingerprint (notebook cells, parameters, input files, the
``analysis`` package source and package versions) equals the one recorded by the last
successful run and all its outputs exist. A failing cell stops the run, names the notebook
and cell, keeps the failed executed notebook, and leaves the last good report in place.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import analysis
from analysis.config import RunConfig, Step
from analysis.hashing import notebook_source_hash, sha256_file, sha256_json, tree_hash
from analysis.manifest import (
    RUN_MANIFEST,
    count_rows,
    read_json,
    update_processed_manifest,
    write_json_atomic,
)
from analysis.paths import relative_to_root, resolve
from analysis.provenance import git_state, package_versions

EXECUTED_DIR = Path("reports") / "executed"
TEMPLATE_DIR = Path("templates")
KERNEL_NAME = "python3"


class StepFailed(RuntimeError):
    """A notebook step failed; the message names the notebook, the cell and the error."""

    def __init__(self, step: Step, executed: Path, detail: str, cell: int | None = None):
        self.step = step
        self.executed = executed
        self.cell = cell
        where = f"cell {cell}" if cell is not None else "outside the cells"
        super().__init__(
            f"step {step.name!r} failed in {step.notebook}, {where}: {detail}\n"
            f"  the failed executed notebook is kept at {executed}"
        )


@dataclass
class StepOutcome:
    name: str
    status: str  # "ran" | "skipped"
    elapsed: float
    fingerprint: str


@dataclass
class RunResult:
    outcomes: list[StepOutcome] = field(default_factory=list)
    report: Path | None = None

    @property
    def ran(self) -> list[str]:
        return [o.name for o in self.outcomes if o.status == "ran"]

    @property
    def skipped(self) -> list[str]:
        return [o.name for o in self.outcomes if o.status == "skipped"]


def package_source_hash() -> str:
    return tree_hash(Path(analysis.__file__).parent, {".py", ".yaml", ".yml"})


def step_fingerprint(
    step: Step, root: Path, package_hash: str, extra: dict[str, Any] | None = None
) -> tuple[str, dict[str, str]]:
    """Fingerprint of everything a step's result depends on, and its inputs' sha256."""
    inputs = {relative_to_root(p, root): sha256_file(p) for p in step.input_files(root)}
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


def executed_path(step: Step, root: Path) -> Path:
    return root / EXECUTED_DIR / f"{step.stem}.ipynb"


def _execute(step: Step, root: Path) -> None:
    """Run one notebook in a fresh kernel of this environment via papermill's Python API."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    output = executed_path(step, root)
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(resolve(step.notebook, root)),
            str(output),
            parameters=step.parameters,
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            cwd=str(resolve(step.notebook, root).parent),
        )
    except PapermillExecutionError as error:
        cell = _source_cell_number(resolve(step.notebook, root), error.source, error.cell_index)
        first_line = error.source.strip().splitlines()[0] if error.source.strip() else ""
        detail = (
            f"{error.ename}: {error.evalue}\n"
            f"  the cell begins: {first_line[:120]}\n"
            f"  (In [{error.exec_count}] in the executed notebook)"
        )
        raise StepFailed(step, output, detail, cell=cell) from error
    except Exception as error:  # kernel died, notebook unreadable, ...
        raise StepFailed(step, output, f"{type(error).__name__}: {error}") from error


def _source_cell_number(notebook: Path, source: str, executed_index: int) -> int:
    """1-based position of the failing cell in the notebook as the author sees it.

    papermill counts its injected parameters cell; the author's notebook does not have it.
    """
    import json

    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    sources = ["".join(c.get("source", [])) for c in cells]
    if sources.count(source) == 1:
        return sources.index(source) + 1
    tagged = [
        i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])
    ]
    injected_after = tagged[0] if tagged else -1
    return executed_index + (0 if executed_index <= injected_after else -1) + 1


def run_pipeline(
    config: RunConfig,
    root: Path,
    *,
    only: list[str] | None = None,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> RunResult:
    """Run the configured steps in order; see the module docstring for skip and failure rules."""
    selected = [config.step(name) for name in only] if only else list(config.steps)
    manifest_path = root / RUN_MANIFEST
    manifest = read_json(manifest_path)
    recorded = manifest.get("steps", {})
    package_hash = package_source_hash()
    result = RunResult()
    started_run = time.perf_counter()

    for index, step in enumerate(selected, start=1):
        label = f"[{index}/{len(selected)}] {step.name} ({step.notebook})"
        extra = _render_dependencies(root) if step.name == config.report_step else None
        fingerprint, inputs = step_fingerprint(step, root, package_hash, extra)
        outputs = step.output_files(root)
        if step.name == config.report_step:
            outputs.append(resolve(config.report_output, root))
        previous = recorded.get(step.name, {})
        if (
            not force
            and previous.get("fingerprint") == fingerprint
            and all(p.exists() for p in outputs)
            and executed_path(step, root).exists()
        ):
            log(f"{label}: skipped, unchanged")
            result.outcomes.append(StepOutcome(step.name, "skipped", 0.0, fingerprint))
            continue

        log(f"{label}: running ...")
        started = time.perf_counter()
        # Forget the old fingerprint first: a failure must leave the step due for a rerun.
        recorded.pop(step.name, None)
        manifest["steps"] = recorded
        write_json_atomic(manifest_path, manifest)
        _execute(step, root)
        missing = [relative_to_root(p, root) for p in step.output_files(root) if not p.exists()]
        if missing:
            raise StepFailed(
                step, executed_path(step, root), f"declared outputs were not written: {missing}"
            )
        if step.name == config.report_step:
            from analysis.render import render_report

            result.report = render_report(config, root, executed_path(step, root))
        elapsed = time.perf_counter() - started
        log(f"{label}: done in {elapsed:.1f} s")

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
        recorded[step.name] = {
            "fingerprint": fingerprint,
            "notebook": step.notebook,
            "executed_notebook": relative_to_root(executed_path(step, root), root),
            "parameters": step.parameters,
            "inputs": inputs,
            "outputs": output_entries,
            "elapsed_seconds": round(elapsed, 2),
            "finished": finished,
        }
        manifest.update(
            steps=recorded,
            git=git_state(root),
            packages=package_versions(),
            python=sys.version.split()[0],
            config=relative_to_root(config.path, root),
        )
        write_json_atomic(manifest_path, manifest)
        processed_dir = resolve(step.parameters.get("processed_dir", "data/processed"), root)
        processed = {
            key: entry
            for key, entry in output_entries.items()
            if resolve(key, root).parent == processed_dir
        }
        if processed:
            update_processed_manifest(processed_dir, processed)
        result.outcomes.append(StepOutcome(step.name, "ran", elapsed, fingerprint))

    total = time.perf_counter() - started_run
    log(f"pipeline: {len(result.ran)} ran, {len(result.skipped)} skipped in {total:.1f} s")
    return result


def _render_dependencies(root: Path) -> dict[str, str]:
    """The report's look depends on the template too, so a template edit re-renders it."""
    return {"template": tree_hash(root / TEMPLATE_DIR, {".j2", ".json", ".css"})}
