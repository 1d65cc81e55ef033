"""The pipeline runner: executes the configured notebook steps with papermill, in order.

A step is skipped when its fingerprint (notebook cells, parameters, input files, the
``analysis`` package source and package versions) equals the one recorded by the last
successful run and every output still has the sha256 that run recorded for it. An output
changed outside the runner (edited by hand, or written by the notebook run by hand with other
parameters) is named on the console and its step runs again, so what the report shows is what
the pipeline computed. A run that changes nothing reads each file once: an output hashed to
verify its step's skip is not read again as the next step's input.

Parameters are checked before the first step starts (``parameters.py``): a value of the wrong
kind stops the run with nothing written. A failing cell stops the run, names the notebook and
cell, keeps the failed executed notebook, and leaves the last good report in place.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.build.config import RunConfig, Step
from analysis.build.fingerprints import step_fingerprint
from analysis.build.parameters import check_parameter_types
from analysis.build.provenance import git_state
from analysis.build.render import render_fingerprint, render_report
from analysis.build.run_manifest import RunManifest, rerun_reasons
from analysis.files.hashing import FileHashes
from analysis.files.paths import relative_to_root, resolve

EXECUTED_DIR = Path("reports") / "executed"
KERNEL_NAME = "python3"
# Steps that run one notebook many times with other parameters share kernels (kernels.py).
REUSED_KERNELS = {"institution_reports"}


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
    reports: list[Path] = field(default_factory=list)  # one per edition
    other_reports: list[Path] = field(default_factory=list)

    @property
    def ran(self) -> list[str]:
        return [o.name for o in self.outcomes if o.status == "ran"]

    @property
    def skipped(self) -> list[str]:
        return [o.name for o in self.outcomes if o.status == "skipped"]


def executed_path(step: Step, root: Path) -> Path:
    if step.executed:
        return resolve(step.executed, root)
    return root / EXECUTED_DIR / f"{step.stem}.ipynb"


def step_dependencies(steps: list[Step], root: Path) -> dict[str, set[str]]:
    """Step B depends on step A when one of B's input patterns matches one of A's outputs.

    Only earlier steps can be depended on: the config's order is the order of the pipeline.
    """
    produced: list[tuple[str, list[str]]] = []
    dependencies: dict[str, set[str]] = {}
    for step in steps:
        patterns = step.input_patterns(root)
        dependencies[step.name] = {
            name
            for name, outputs in produced
            if any(fnmatch.fnmatchcase(o, pattern) for o in outputs for pattern in patterns)
        }
        produced.append((step.name, [str(p) for p in step.output_files(root)]))
    return dependencies


def _execute(step: Step, root: Path, kernels: Any) -> None:
    """Run one notebook in a fresh kernel of this environment via papermill's Python API."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    output = executed_path(step, root)
    output.parent.mkdir(parents=True, exist_ok=True)
    reuse = step.base if step.base in REUSED_KERNELS else ""
    manager = kernels.take(reuse)
    succeeded = False
    try:
        papermill.execute_notebook(
            str(resolve(step.notebook, root)),
            str(output),
            parameters=step.parameters,
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            km=manager,  # started in the notebook's folder, as JupyterLab would
            # written at its start, now and then, and at its end (engines.py)
            engine_name=kernels.engine(reuse),
        )
        succeeded = True
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
    finally:
        kernels.release(manager, reuse if succeeded else "")


def _source_cell_number(notebook: Path, source: str, executed_index: int) -> int:
    """1-based position of the failing cell in the notebook as the author sees it.

    papermill counts its injected parameters cell; the author's notebook does not have it.
    """
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    sources = ["".join(c.get("source", [])) for c in cells]
    if sources.count(source) == 1:
        return sources.index(source) + 1
    tagged = [
        i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])
    ]
    injected_after = tagged[0] if tagged else -1
    return executed_index + (0 if executed_index <= injected_after else -1) + 1


@dataclass
class _Planned:
    step: Step
    index: int
    fingerprint: str
    inputs: dict[str, str]
    outputs: list[Path]
    started: float = 0.0


def run_pipeline(
    config: RunConfig,
    root: Path,
    *,
    only: list[str] | None = None,
    force: bool = False,
    jobs: int = 2,
    log: Callable[[str], None] = print,
    extra_steps: list[Step] | None = None,
    steps_after: tuple[str, Callable[[], list[Step]]] | None = None,
) -> RunResult:
    """Run the configured steps; independent steps run side by side (up to ``jobs``).

    A step starts once every step it depends on has finished. On a failure no further step
    starts; steps already running finish and are recorded; then the failure is raised.

    ``steps_after=(name, make)``: once step ``name`` is done (run or skipped), the steps
    ``make()`` returns join the run after all the others, and run as soon as what they
    depend on is done, beside the rest of the pipeline (the institution reports of the
    organisations the survey cleaning found). ``force`` does not apply to them.

    A parameter of the wrong kind raises ``ConfigError`` before any step starts.
    """
    on_request = [s for s in (config.institution, config.brief) if s is not None]
    check_parameter_types([*config.steps, *(extra_steps or []), *on_request], root)
    if only:
        wanted = {config.step(name).base or config.step(name).name for name in only}
        selected = [s for s in config.steps if (s.base or s.name) in wanted]  # config order
    else:
        selected = list(config.steps)
    selected += extra_steps or []
    forced = {step.name for step in selected} if force else set()
    if steps_after is not None and steps_after[0] not in {step.name for step in selected}:
        selected += steps_after[1]()  # nothing to wait for in this run
        steps_after = None
    dependencies = step_dependencies(selected, root)
    manifest = RunManifest(root)
    # Outputs are hashed to verify a skip and again as the next steps' inputs: read them once.
    hashes = FileHashes()
    result = RunResult()
    started_run = time.perf_counter()
    total = len(selected)
    waiting = {step.name: step for step in selected}
    done: set[str] = set()
    running: dict[Future, _Planned] = {}
    failure: BaseException | None = None
    kernels = _LazyKernelPool(root / "notebooks")
    # The checkout's state, taken once, when a first step needs it: every page and record
    # of one run describes the same code, as its fingerprints do.
    git = functools.cache(lambda: git_state(root))
    cores = os.cpu_count() or 1
    executor = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="step")

    def label(planned: _Planned) -> str:
        return f"[{planned.index}/{total}] {planned.step.name} ({planned.step.notebook})"

    def plan(step: Step) -> _Planned:
        extra = render_fingerprint(config, root, step) if step.renders else None
        fingerprint, inputs = step_fingerprint(step, root, extra, sha256=hashes)
        outputs = step.output_files(root)
        if step.renders:
            outputs.append(resolve(step.renders, root))
        index = [s.name for s in selected].index(step.name) + 1
        return _Planned(step, index, fingerprint, inputs, outputs)

    finished_steps: list[tuple[_Planned, float]] = []

    def record(planned: _Planned, elapsed: float) -> None:
        """Into the run manifest, written with the next step's start or at the end."""
        manifest.record(
            step=planned.step,
            executed=executed_path(planned.step, root),
            fingerprint=planned.fingerprint,
            inputs=planned.inputs,
            outputs=planned.outputs,
            elapsed=elapsed,
            config_path=config.path,
            git=git(),
            save=False,
            sha256=hashes,
        )

    def unchanged(planned: _Planned) -> bool:
        """The step's last run stands: same fingerprint, its executed notebook kept, and every
        output the file that run wrote. A changed output is named: it was not the runner's."""
        step = planned.step
        if step.name in forced or manifest.fingerprint(step.name) != planned.fingerprint:
            return False
        if not executed_path(step, root).exists():
            return False
        changed = manifest.changed_outputs(step.name, planned.outputs, hashes)
        for line in rerun_reasons(step.name, changed):
            log(line)
        return not changed

    def work(planned: _Planned) -> Path | None:
        if planned.step.renders:
            # Rendering needs nbconvert, which is slow to import: load it meanwhile.
            threading.Thread(target=_warm_imports, daemon=True).start()
        _execute(planned.step, root, kernels)
        missing = [
            relative_to_root(p, root) for p in planned.step.output_files(root) if not p.exists()
        ]
        if missing:
            raise StepFailed(
                planned.step,
                executed_path(planned.step, root),
                f"declared outputs were not written: {missing}",
            )
        if planned.step.renders:
            return render_report(
                config, root, planned.step, executed_path(planned.step, root), git=git()
            )
        return None

    def add_later_steps() -> None:
        nonlocal steps_after, selected, dependencies, total
        if steps_after is None or steps_after[0] not in done or failure is not None:
            return
        later = steps_after[1]()
        steps_after = None
        selected = selected + later
        dependencies = step_dependencies(selected, root)
        total = len(selected)
        waiting.update((step.name, step) for step in later)

    try:
        while True:
            add_later_steps()
            if not (waiting or running):
                break
            ready = [
                step
                for step in waiting.values()
                if failure is None and dependencies[step.name] <= done
            ]
            for step in ready:
                if len(running) >= max(1, jobs):
                    break
                del waiting[step.name]
                planned = plan(step)
                if unchanged(planned):
                    log(f"{label(planned)}: skipped, unchanged")
                    result.outcomes.append(
                        StepOutcome(step.name, "skipped", 0.0, planned.fingerprint)
                    )
                    done.add(step.name)
                    continue
                manifest.forget(step.name)  # written before the step starts
                log(f"{label(planned)}: running ...")
                planned.started = time.perf_counter()
                running[executor.submit(work, planned)] = planned
            # Steps that finished are recorded once the next ones are under way.
            while finished_steps:
                record(*finished_steps.pop(0))
            if waiting and failure is None and running and len(running) < cores:
                # A core is idle: boot the next step's kernel now rather than when it starts.
                kernels.prestart()
            if not running:
                if failure is None:
                    continue  # skipped steps may have unblocked others, or be followed
                break
            try:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
            except KeyboardInterrupt:
                log("interrupted: stopping the running notebooks")
                kernels.kill_active()
                raise
            for future in finished:
                planned = running.pop(future)
                hashes.forget(planned.outputs)  # written anew (or half) by the step
                error = future.exception()
                if error is not None:
                    failure = failure or error
                    continue
                report = future.result()
                if report is not None:
                    if planned.step.base == config.report_step:
                        result.reports.append(report)
                    else:
                        result.other_reports.append(report)
                elapsed = time.perf_counter() - planned.started
                log(f"{label(planned)}: done in {elapsed:.1f} s")
                finished_steps.append((planned, elapsed))
                result.outcomes.append(
                    StepOutcome(planned.step.name, "ran", elapsed, planned.fingerprint)
                )
                done.add(planned.step.name)
    finally:
        executor.shutdown(wait=True)
        kernels.close()
        for planned, elapsed in finished_steps:
            record(planned, elapsed)
        manifest.save()
    if failure is not None:
        raise failure
    total_time = time.perf_counter() - started_run
    ran = [o for o in result.outcomes if o.status == "ran"]
    longest = max(ran, key=lambda o: o.elapsed, default=None)
    log(
        f"pipeline: {len(result.ran)} ran, {len(result.skipped)} skipped in {total_time:.1f} s"
        + (f" (longest: {longest.name}, {longest.elapsed:.1f} s)" if longest else "")
    )
    return result


class _LazyKernelPool:
    """Imports the kernel machinery only once a step actually runs: a run that skips every
    step stays fast."""

    def __init__(self, cwd: Path):
        self.cwd = cwd
        self._pool = None
        self._lock = threading.Lock()

    def _ensure(self):
        with self._lock:
            if self._pool is None:
                from analysis.build.kernels import KernelPool

                self._pool = KernelPool(KERNEL_NAME, self.cwd)
        return self._pool

    def take(self, reuse: str = ""):
        return self._ensure().take(reuse)

    def prestart(self) -> None:
        self._ensure().prestart()

    def release(self, manager, reuse: str = "") -> None:
        self._ensure().release(manager, reuse)

    def engine(self, reuse: str = "") -> str:
        """The papermill engine for a run in a fresh kernel, or (``reuse``) in a lent one."""
        from analysis.build.engines import ENGINE, REUSED_ENGINE, register_engines

        register_engines()
        return REUSED_ENGINE if reuse else ENGINE

    def kill_active(self) -> None:
        if self._pool is not None:
            self._pool.kill_active()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()


def _warm_imports() -> None:
    import nbconvert  # noqa: F401
