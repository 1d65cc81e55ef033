"""``python -m analysis check-data RAW_DIR``: every problem of a raw folder in one report.

Run before a report is built (``python -m analysis report`` runs it before any step) and on
its own while preparing a folder. It reads everything a run would read, cheaply, and collects
instead of stopping at the first problem: missing, unexpected and unreadable files, exports
without a mapping, mapping errors (unknown keys with the nearest known one, TODOs left by
``map``), columns a mapping names that the export lacks, rows that will be rejected as
unreadable, and every departure from ``MANIFEST.yaml``. Each problem names its file and, where
known, the fix. Only the survey is required; each other source that is missing is reported
with the parts of the report it removes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis.files.raw_manifest import (
    MANIFEST_NAME,
    is_data_file,
    manifest_problems,
)

ERROR, WARNING, NOTE = "error", "warning", "note"

# Each source folder, whether the report needs it, and what it supplies. Every source but the
# survey and the academic freedom index may be left out: the report is built without it and
# names it in its header under "Sources not provided".
SOURCES: dict[str, tuple[bool, str]] = {
    "survey": (True, "the survey chapters and the institution reports"),
    "openalex": (
        False,
        "co-publications, partner institutions, field and critical-technology mix, partner "
        "screening, and the co-publication indicators of the threat/opportunity matrix",
    ),
    "cordis": (False, "EU framework programme projects and their indicator in the matrix"),
    "agreements": (False, "the institutions' agreement registers"),
    "mobility": (False, "student mobility by country"),
    "context": (True, "academic freedom in the country context and its indicator"),
    "screening": (False, "partner screening against reference lists"),
}

# Folders read only by the reports made on request (partner briefs): ROR records, the saved
# OpenAlex answers of each partner, the reviewers' decisions. Known, so not warned about.
ON_REQUEST = ("ror", "partners", "briefs")


@dataclass(frozen=True)
class Problem:
    severity: str
    file: str  # relative to the raw folder
    message: str

    def line(self) -> str:
        return f"{self.severity.upper():8}{self.file}: {self.message}"


@dataclass
class DataCheck:
    folder: Path
    problems: list[Problem] = field(default_factory=list)
    missing_sources: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    def add(self, severity: str, file: str, message: str) -> None:
        self.problems.append(Problem(severity, file, message))

    def guard(self, file: str, work: Callable[[], object]) -> object | None:
        """Run ``work``; a user-caused error becomes a problem of ``file`` instead of a stop."""
        try:
            return work()
        except (ValueError, KeyError, OSError, LookupError) as error:
            message = str(error) if isinstance(error, (ValueError, OSError)) else repr(error)
            self.add(ERROR, file, message.removeprefix(f"{Path(file).name}: "))
            return None

    def report(self) -> str:
        errors = len(self.errors)
        warnings = sum(p.severity == WARNING for p in self.problems)
        lines = [
            f"check-data {self.folder}: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)} ({self.seconds:.1f} s)"
        ]
        order = {ERROR: 0, WARNING: 1, NOTE: 2}
        lines += [p.line() for p in sorted(self.problems, key=lambda p: order[p.severity])]
        if not errors:
            lines.append(
                "the folder can be built: python -m analysis report -p raw_dir=" + str(self.folder)
            )
        return "\n".join(lines)


def _survey(check: DataCheck, folder: Path, codebook_path: Path) -> None:
    from analysis.sources.exports import ExportError, read_export
    from analysis.survey.codebook import load_codebook
    from analysis.survey.folder import ALIASES, NOT_READ, unread_files
    from analysis.survey.mapping import (
        MAPPING_SUFFIX,
        MappingError,
        codebook_problems,
        load_mapping,
    )

    codebook = load_codebook(codebook_path)
    if not (folder / ALIASES).is_file():
        check.add(
            ERROR,
            f"survey/{ALIASES}",
            "missing: it maps organisation names (as the "
            "export writes them) to keys; columns alias, organisation_key",
        )
    mappings = []
    paths = sorted(folder.glob(f"*{MAPPING_SUFFIX}"))
    if not paths:
        check.add(
            ERROR,
            "survey/",
            f"no *{MAPPING_SUFFIX}: draft one per export with python -m analysis map survey/EXPORT",
        )
    for path in paths:
        name = f"survey/{path.name}"
        try:
            mapping = load_mapping(path)
        except MappingError as error:
            for part in str(error).removeprefix(f"{path.name}: ").split("; "):
                check.add(ERROR, name, part)
            continue
        mappings.append(mapping)
        for problem in codebook_problems(mapping, codebook):
            check.add(ERROR, name, problem)
        try:
            read = read_export(mapping.export, mapping.spec.get("header_rows"))
        except ExportError as error:
            check.add(
                ERROR,
                f"survey/{mapping.export.name}",
                str(error).removeprefix(f"{mapping.export.name}: "),
            )
            continue
        missing = [c for c in mapping.columns() if c not in read.frame.columns]
        if missing:
            check.add(ERROR, name, f"columns missing from {mapping.export.name}: {missing}")
        rejected = read.rejected_rows
        if len(rejected):
            shown = "; ".join(rejected["detail"].head(3))
            more = f" and {len(rejected) - 3} more" if len(rejected) > 3 else ""
            check.add(
                WARNING,
                f"survey/{mapping.export.name}",
                f"{len(rejected)} rows cannot be read and will be rejected: {shown}{more}",
            )
    broken = {p.name.removesuffix(MAPPING_SUFFIX) for p in paths} - {
        m.path.name.removesuffix(MAPPING_SUFFIX) for m in mappings
    }
    for file, reason in unread_files(folder, mappings):
        if Path(file).stem in broken:
            continue  # its mapping's errors are reported above
        severity = ERROR if reason == "no_mapping" else WARNING
        stem = Path(file).stem
        fix = (
            f"; draft {stem}{MAPPING_SUFFIX} with python -m analysis map survey/{file}"
            if reason == "no_mapping"
            else "; it will not be read"
        )
        check.add(severity, f"survey/{file}", NOT_READ[reason].split(":")[0] + fix)


def _agreements(check: DataCheck, folder: Path) -> None:
    from analysis.cooperation.registers import load_register_mapping, register_path
    from analysis.sources.exports import read_export

    for path in sorted(folder.glob("*.mapping.yaml")):
        spec = check.guard(f"agreements/{path.name}", lambda p=path: load_register_mapping(p))
        if spec is None:
            continue
        register = check.guard(
            f"agreements/{path.name}", lambda p=path, s=spec: register_path(p, s)
        )
        if register is None:
            continue
        read = check.guard(f"agreements/{register.name}", lambda r=register: read_export(r))
        if read is not None:
            missing = [c for c in spec["columns"].values() if c not in read.frame.columns]
            if missing:
                check.add(
                    ERROR,
                    f"agreements/{path.name}",
                    f"columns missing from {register.name}: {missing}",
                )


def _openalex(check: DataCheck, folder: Path) -> None:
    for path in sorted(folder.glob("*.json")):
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            check.add(ERROR, f"openalex/{path.name}", f"not valid JSON ({error}); fetch it again")


def _cordis(check: DataCheck, folder: Path) -> None:
    from analysis.cooperation.cordis import programme_files
    from analysis.sources.cordis import read_cordis

    pairs = check.guard("cordis/", lambda: programme_files(folder)) or []
    for pair in pairs:
        for path in pair:
            check.guard(f"cordis/{path.name}", lambda p=path: read_cordis(p))


def _mobility(check: DataCheck, folder: Path) -> None:
    from analysis.cooperation.registers import MOBILITY_COLUMNS
    from analysis.sources.exports import read_export

    for path in sorted(folder.glob("*.csv")):
        read = check.guard(f"mobility/{path.name}", lambda p=path: read_export(p))
        if read is not None:
            missing = [c for c in MOBILITY_COLUMNS.values() if c not in read.frame.columns]
            if missing:
                check.add(ERROR, f"mobility/{path.name}", f"columns missing: {missing}")


def _context(check: DataCheck, folder: Path, countries_path: Path) -> None:
    """The World Bank governance files, when there are any, read as step 24 reads them."""
    from analysis.context.governance import governance_indicators
    from analysis.reference.countries import CountryResolver

    if any(folder.glob("worldbank_*.json")) or any(folder.glob("API_*_DS2*.csv")):
        check.guard(
            "context/", lambda: governance_indicators(folder, CountryResolver(countries_path))
        )


def _screening(check: DataCheck, folder: Path, countries_path: Path) -> None:
    from analysis.reference.countries import CountryResolver
    from analysis.sources.screening_lists import read_lists

    check.guard("screening/", lambda: read_lists(folder, CountryResolver(countries_path)))


def check_raw_folder(raw_dir: Path, codebook_path: Path, country_aliases_path: Path) -> DataCheck:
    """Every problem of ``raw_dir`` (see the module docstring)."""
    start = time.perf_counter()
    check = DataCheck(raw_dir)
    if not raw_dir.is_dir():
        check.add(ERROR, str(raw_dir), "no such folder")
        return check
    missing: dict[str, list[str]] = {}
    for relative, message in manifest_problems(raw_dir):
        if message.endswith("but missing"):
            missing.setdefault(relative.split("/")[0], []).append(relative)
        else:
            check.add(ERROR, relative, message)
    for top, files in sorted(missing.items()):
        # A source left out on purpose is allowed; its entries are then out of date.
        shown = files if len(files) <= 3 else [*files[:3], f"and {len(files) - 3} more"]
        check.add(
            WARNING,
            f"{top}/" if len(files) > 1 else files[0],
            f"listed in {MANIFEST_NAME} but missing: {', '.join(shown)}; restore or unlist",
        )
    for entry in sorted(raw_dir.iterdir()):
        known = entry.name in SOURCES or entry.name in ON_REQUEST or entry.name == MANIFEST_NAME
        if not known and is_data_file(entry.name):
            check.add(
                WARNING, entry.name, f"not a source folder ({', '.join(SOURCES)}); nothing reads it"
            )
    readers = {
        "survey": lambda f: _survey(check, f, codebook_path),
        "openalex": lambda f: _openalex(check, f),
        "cordis": lambda f: _cordis(check, f),
        "agreements": lambda f: _agreements(check, f),
        "mobility": lambda f: _mobility(check, f),
        "screening": lambda f: _screening(check, f, country_aliases_path),
        "context": lambda f: _context(check, f, country_aliases_path),
    }
    for name, (required, removes) in SOURCES.items():
        folder = raw_dir / name
        present = folder.is_dir() and any(is_data_file(p.name) for p in folder.iterdir())
        if not present:
            check.missing_sources.append(name)
            if required:
                message = (
                    f"not provided: the report cannot be built without it (it supplies {removes})"
                )
                check.add(ERROR, f"{name}/", message)
            else:
                check.add(NOTE, f"{name}/", f"not provided: the report is built without {removes}")
            continue
        readers[name](folder)
    check.seconds = time.perf_counter() - start
    return check
