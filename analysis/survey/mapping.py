"""Mapping files: how one export's columns and codes correspond to the codebook.

A mapping file sits beside its export as ``<export stem>.mapping.yaml`` and names the export
it describes. Keys: ``respondent_id``, ``submitted_at`` (column and format), ``duration_seconds``,
``status`` (which values mean complete), ``language``, ``items`` (codebook id → column),
``values`` (per item: export code → codebook code), ``scale_values`` (per scale), and
``countries`` (per item: one column per listed option, and an "other" free-text column).
The keys, their types and which are required are declared in ``mapping_schema``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.files.paths import contained
from analysis.files.yaml_file import YamlFileError, load_yaml_file
from analysis.survey.codebook import Codebook
from analysis.survey.mapping_schema import mapping_problems, suggest

MAPPING_SUFFIX = ".mapping.yaml"


class MappingError(ValueError):
    """A mapping file does not fit its export or the codebook; the message names both."""


@dataclass(frozen=True)
class ExportMapping:
    path: Path
    export: Path
    spec: dict[str, Any]

    def _column(self, key: str) -> str | None:
        value = self.spec.get(key)
        if isinstance(value, dict):
            return value.get("column")
        return value

    @property
    def respondent_id(self) -> str:
        return self.spec["respondent_id"]

    @property
    def submitted_column(self) -> str:
        return self._column("submitted_at")

    @property
    def submitted_format(self) -> str | None:
        value = self.spec.get("submitted_at")
        return value.get("format") if isinstance(value, dict) else None

    @property
    def duration_column(self) -> str | None:
        return self._column("duration_seconds")

    @property
    def language_column(self) -> str | None:
        return self._column("language")

    @property
    def language_values(self) -> dict[str, str]:
        value = self.spec.get("language")
        return dict(value.get("values", {})) if isinstance(value, dict) else {}

    @property
    def status(self) -> dict[str, Any]:
        return dict(self.spec.get("status") or {})

    @property
    def items(self) -> dict[str, str]:
        return dict(self.spec.get("items") or {})

    @property
    def countries(self) -> dict[str, dict[str, Any]]:
        return dict(self.spec.get("countries") or {})

    def value_map(self, item_id: str, scale_name: str | None) -> dict[str, Any]:
        table = dict((self.spec.get("scale_values") or {}).get(scale_name, {}))
        table.update((self.spec.get("values") or {}).get(item_id, {}))
        return {str(k): v for k, v in table.items()}

    def columns(self) -> list[str]:
        """Every export column this mapping reads."""
        names = [self.respondent_id, self.submitted_column]
        names += [self.duration_column, self.language_column, self.status.get("column")]
        names += list(self.items.values())
        for spec in self.countries.values():
            names += list(spec.get("options", {}))
            names.append(spec.get("other"))
        return list(dict.fromkeys(n for n in names if n))

    def check_against(self, codebook: Codebook) -> None:
        problems = codebook_problems(self, codebook)
        if problems:
            raise MappingError(f"{self.path.name}: " + "; ".join(problems))


def codebook_problems(mapping: ExportMapping, codebook: Codebook) -> list[str]:
    """Item ids and scale names of ``mapping`` the codebook does not know, with suggestions."""
    problems = []
    items, scales = list(codebook.items), list(codebook.scales)
    for key in ("items", "values", "countries"):
        for name in mapping.spec.get(key) or {}:
            if name not in codebook.items:
                problems.append(f"{key}.{name}: not an item of the codebook{suggest(name, items)}")
    for name in mapping.spec.get("scale_values") or {}:
        if name not in codebook.scales:
            problems.append(
                f"scale_values.{name}: not a scale of the codebook{suggest(name, scales)}"
            )
    return problems


def load_mapping(path: Path) -> ExportMapping:
    """Read and check one mapping file; every problem of the file is in one MappingError."""
    try:
        spec = load_yaml_file(path)
    except YamlFileError as error:
        raise MappingError(str(error)) from None
    problems = mapping_problems(spec)
    if problems:
        raise MappingError(f"{path.name}: " + "; ".join(problems))
    export = contained(path.parent, str(spec["export"]))
    if export is None:
        raise MappingError(
            f"{path.name}: export: {spec['export']!r} points outside {path.parent}; put the "
            f"export in that folder and name it without a path"
        )
    return ExportMapping(path=path, export=export, spec=spec)


def find_mappings(folder: Path) -> list[ExportMapping]:
    """Every ``*.mapping.yaml`` in ``folder``, sorted; an export without one is not read (the
    folder's reads table lists it)."""
    mappings = [load_mapping(p) for p in sorted(folder.glob(f"*{MAPPING_SUFFIX}"))]
    if not mappings:
        raise MappingError(
            f"no *{MAPPING_SUFFIX} files in {folder}: each export needs one "
            f"(draft it with python -m analysis map EXPORT)"
        )
    return mappings
