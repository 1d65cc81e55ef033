"""The release as one object: every page and data file meant for readers, audited together.

``build_release`` runs the pipeline with every edition of the sector report and every
organisation's report in every edition, gathers into a staging folder

- the sector report in each edition and each institution report in each edition (as laid out
  under ``reports/``),
- the data file of every figure and table those pages cite (``figures/``, by the name the
  page gives), and the processed tables meant for readers (``release.tables``, ``tables/``),
- ``MANIFEST.json``: each file's path, sha256, size and what it is, the rules, the git commit,

then attacks the staging folder with the audit (``analysis.disclosure.audit``). Only a release
that passes replaces ``reports/release/``; one that fails is kept, for inspection, as
``reports/release-refused/`` and the command fails, so ``reports/release/`` is never half
written nor unaudited.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analysis.build.config import ConfigError, RunConfig
from analysis.build.provenance import git_state
from analysis.disclosure.audit import MANIFEST, AuditResult, audit_release
from analysis.disclosure.rules import Rules, load_rules
from analysis.files.atomic import write_json_atomic
from analysis.files.hashing import sha256_file
from analysis.files.paths import file_safe, resolve

DEFAULT_OUTPUT = "reports/release"
DEFAULT_TABLES = ("cooperation_by_country", "country_scores", "country_context", "report_findings")
_DATA = re.compile(r'data-csv="([^"]*)"')
_LANGUAGE_NAMES = {"en": "English", "fi": "Finnish", "sv": "Swedish"}


class ReleaseRefused(RuntimeError):
    """The audit found something recoverable: nothing was released."""

    def __init__(self, audit: AuditResult, kept: Path):
        self.audit = audit
        self.kept = kept
        super().__init__(f"{audit.summary()}; the refused release is kept in {kept}")


@dataclass
class ReleaseResult:
    folder: Path
    audit: AuditResult
    files: int
    build_seconds: float
    audit_seconds: float


def release_rules(config: RunConfig, root: Path) -> Rules:
    """The disclosure rules the survey analysis step was configured with."""
    step = next(s for s in config.steps if "disclosure" in s.parameters)
    return load_rules(resolve(step.parameters["disclosure"], root), config.common["min_cell"])


def release_tables(config: RunConfig) -> list[str]:
    """``release.tables``, each checked against the catalog: a table the pipeline does not
    write, or one marked internal (respondent-level or unprotected), is a ConfigError."""
    from analysis import catalog

    names = list((config.raw.get("release") or {}).get("tables", DEFAULT_TABLES))
    problems = []
    for name in names:
        try:
            info = catalog.table(name)
        except KeyError as error:
            problems.append(str(error.args[0]))
            continue
        if not info.publishable:
            problems.append(
                f"{name} is marked internal and may not be released ({info.description})"
            )
    if problems:
        raise ConfigError("release.tables: " + "; ".join(problems))
    return names


def _institution_keys(config: RunConfig, root: Path) -> list[str]:
    import pandas as pd

    processed = resolve(config.common.get("processed_dir", "data/processed"), root)
    respondents = pd.read_parquet(processed / "survey_respondents.parquet")
    return sorted(respondents["organisation_key"].astype(str).unique())


def _respondents_step(config: RunConfig, root: Path) -> str:
    """The step that writes ``survey_respondents``, the organisations to report on."""
    processed = resolve(config.common.get("processed_dir", "data/processed"), root)
    for step in config.steps:
        if processed / "survey_respondents.parquet" in step.output_files(root):
            return step.name
    return ""  # none configured: the table is read as it is


def _entry(folder: Path, path: Path, kind: str, about: str, **extra: str) -> dict:
    return {
        "path": path.relative_to(folder).as_posix(),
        "sha256": sha256_file(path),
        "bytes": path.stat().st_size,
        "kind": kind,
        "about": about,
        **extra,
    }


def _copy(source: Path, target: Path) -> Path:
    if not source.is_file():
        raise FileNotFoundError(f"{source} is missing: the release cannot include it")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def stage_release(
    config: RunConfig, root: Path, keys: list[str], staging: Path, rules: Rules
) -> list[dict]:
    """Copy every published file into ``staging`` and write its manifest; return the entries."""
    reports = root / "reports"
    figures = resolve(config.common.get("figures_dir", "figures"), root)
    processed = resolve(config.common.get("processed_dir", "data/processed"), root)
    entries: list[dict] = []
    pages: list[Path] = []
    for lang in config.editions:
        source = resolve(config.report_outputs[lang], root)
        target = _copy(source, staging / source.relative_to(reports))
        pages.append(target)
        about = f"sector report, {_LANGUAGE_NAMES.get(lang, lang)} edition"
        entries.append(_entry(staging, target, "sector_report", about, lang=lang))
        for key in keys:
            source = resolve(config.institution_outputs[lang], root) / f"{file_safe(key)}.html"
            target = _copy(source, staging / source.relative_to(reports))
            pages.append(target)
            about = f"institution report, {_LANGUAGE_NAMES.get(lang, lang)} edition"
            entries.append(
                _entry(staging, target, "institution_report", about, lang=lang, organisation=key)
            )
    cited = sorted({name for page in pages for name in _DATA.findall(page.read_text("utf-8"))})
    for name in cited:
        found = [p for p in (figures / name, figures / "institutions" / name) if p.is_file()]
        if not found:
            raise FileNotFoundError(
                f"a page cites {name}, which is in neither {figures} nor its institutions/"
            )
        target = _copy(found[0], staging / "figures" / name)
        entries.append(
            _entry(staging, target, "figure_data", "data of a figure or table in the reports")
        )
    for name in release_tables(config):
        target = _copy(processed / f"{name}.csv", staging / "tables" / f"{name}.csv")
        entries.append(_entry(staging, target, "table", f"processed table {name} for readers"))
    git = git_state(root)
    write_json_atomic(
        staging / MANIFEST,
        {
            "about": "Every file of this release, audited together before it was written",
            "commit": git.get("commit"),
            "dirty": git.get("dirty"),
            "profile": config.profile,
            "editions": list(config.editions),
            "organisations": keys,
            "rules": rules.describe(),
            "files": entries,
        },
    )
    return entries


def build_release(
    config: RunConfig,
    root: Path,
    *,
    jobs: int = 2,
    force: bool = False,
    institutions: list[str] | None = None,
    log: Callable[[str], None] = print,
) -> ReleaseResult:
    """Build, stage, audit and (only when the audit passes) publish the release."""
    from analysis.build.runner import run_pipeline

    release_tables(config)  # before anything runs
    started = time.perf_counter()
    keys: list[str] = []

    def institution_steps() -> list:
        keys.extend(institutions or _institution_keys(config, root))
        return [step for key in keys for step in config.institution_steps(key)]

    # One run: the institution reports start as soon as the survey results they show are
    # there, beside the rest of the pipeline; ``force`` reruns the pipeline, and the reports
    # whose inputs that changed.
    run_pipeline(
        config,
        root,
        jobs=jobs,
        force=force,
        log=log,
        steps_after=(_respondents_step(config, root), institution_steps),
    )
    rules = release_rules(config, root)
    output = resolve((config.raw.get("release") or {}).get("output", DEFAULT_OUTPUT), root)
    staging = output.with_name(f".{output.name}.staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        entries = stage_release(config, root, keys, staging, rules)
        built = time.perf_counter()
        audit = audit_release(staging, rules)
        if not audit.passed:
            refused = output.with_name(f"{output.name}-refused")
            shutil.rmtree(refused, ignore_errors=True)
            staging.rename(refused)
            raise ReleaseRefused(audit, refused)
        _swap(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ReleaseResult(output, audit, len(entries) + 1, built - started, audit.seconds)


def _swap(staging: Path, output: Path) -> None:
    """Put ``staging`` where ``output`` is; the old release goes only once the new one is in."""
    old = output.with_name(f".{output.name}.old-{os.getpid()}")
    if output.exists():
        output.rename(old)
    try:
        staging.rename(output)
    except BaseException:
        if old.exists():
            old.rename(output)
        raise
    shutil.rmtree(old, ignore_errors=True)
    refused = output.with_name(f"{output.name}-refused")
    shutil.rmtree(refused, ignore_errors=True)
