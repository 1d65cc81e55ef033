"""A survey folder cleaned as one: every export with a mapping file, stacked, keys unique.

Every file in the folder is accounted for in ``reads``: an export read, a mapping file, the
alias table, or a file not read with the reason (an export without a mapping file is never
skipped silently). Rows the reader could not read as written are rejected with their line.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.reference.countries import CountryResolver
from analysis.sources.exports import EXPORT_SUFFIXES, ROW, ExportRead, read_export
from analysis.survey.clean import REASONS, CleaningRules, CleanSurvey, clean_export
from analysis.survey.codebook import Codebook
from analysis.survey.mapping import MAPPING_SUFFIX, ExportMapping, find_mappings

ALIASES = "organisation_aliases.csv"
# Why a file in survey/ was not read; codes, worded in the report's language.
NOT_READ = {
    "no_mapping": "an export without a mapping file: draft one with python -m analysis map",
    "not_an_export": "not a survey export (csv, txt, tsv, xlsx, xlsm or sav)",
    "hidden": "a hidden or temporary file",
}


def combine(parts: list[CleanSurvey]) -> CleanSurvey:
    """Stack the results of several exports; respondent keys stay unique per export."""

    def stack(name: str) -> pd.DataFrame:
        frames = [getattr(p, name) for p in parts if len(getattr(p, name))]
        return pd.concat(frames, ignore_index=True) if frames else getattr(parts[0], name)

    combined = CleanSurvey(**{name: stack(name) for name in CleanSurvey.__dataclass_fields__})
    duplicated = combined.respondents["respondent_key"].duplicated()
    if duplicated.any():
        raise ValueError(
            f"respondent keys repeat across exports: {combined.respondents['respondent_key'][duplicated].tolist()}"
        )
    return combined


def unread_files(folder: Path, mappings: list[ExportMapping]) -> list[tuple[str, str]]:
    """(file name, reason code) of every file in ``folder`` that no mapping reads."""
    used = {m.export.name for m in mappings} | {m.path.name for m in mappings} | {ALIASES}
    unread = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        if path.name in used:
            continue
        if path.name.startswith((".", "~$")):
            unread.append((path.name, "hidden"))
        elif path.suffix.lower() in EXPORT_SUFFIXES:
            unread.append((path.name, "no_mapping"))
        elif not path.name.endswith(MAPPING_SUFFIX):
            unread.append((path.name, "not_an_export"))
    return unread


def with_read_rejects(part: CleanSurvey, read: ExportRead) -> CleanSurvey:
    """Add the rows the reader rejected to the rejects and the accounting of one export."""
    rows = read.rejected_rows
    if not len(rows):
        return part
    extra = pd.DataFrame(
        {
            "source_file": read.path.name,
            "source_row": rows[ROW].astype("int64"),
            "respondent_id": "",
            "reason_code": rows["reason_code"],
            "reason": rows["reason_code"].map(REASONS),
            "detail": rows["detail"],
        }
    )
    part.rejects = (
        pd.concat([part.rejects, extra], ignore_index=True)
        .sort_values("source_row", kind="stable")
        .reset_index(drop=True)
    )
    accounting = part.accounting.copy()
    for column in ("rows_read", "rejected"):
        accounting[column] += len(rows)
    for code, count in rows["reason_code"].value_counts().items():
        accounting[f"rejected_{code}"] += int(count)
    part.accounting = accounting
    return part


def clean_folder(
    folder: Path,
    codebook: Codebook,
    countries: CountryResolver,
    rules: CleaningRules,
) -> CleanSurvey:
    """Clean every export in ``folder`` that has a mapping file; list every other file."""
    aliases_path = folder / ALIASES
    if not aliases_path.is_file():
        raise FileNotFoundError(f"{aliases_path} is missing: it maps organisation names to keys")
    aliases = pd.read_csv(aliases_path, dtype=str, keep_default_na=False)
    parts = []
    mappings = find_mappings(folder)
    for mapping in mappings:
        read = read_export(mapping.export, mapping.spec.get("header_rows"))
        part = clean_export(read, mapping, codebook, aliases, countries, rules)
        parts.append(with_read_rejects(part, read))
    combined = combine(parts)
    unread = pd.DataFrame(
        [
            {"file": name, "format": "", "encoding": "", "delimiter": "", "header_rows": 0}
            | {"rows": 0, "blank_rows": 0, "rejected_on_read": 0}
            | {"status": "not_read", "reason": reason}
            for name, reason in unread_files(folder, mappings)
        ]
    )
    if len(unread):
        combined.reads = pd.concat([combined.reads, unread], ignore_index=True)
    return combined
