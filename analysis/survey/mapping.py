"""Mapping files: how one export's columns and codes correspond to the codebook.

A mapping file sits beside its export as ``<export stem>.mapping.yaml`` and names the export
it describes. Keys: ``respondent_id``, ``submitted_at`` (column and format), ``duration_seconds``,
``status`` (which values mean complete), ``language``, ``items`` (codebook id → column),
``values`` (per item: export code → codebook code), ``scale_values`` (per scale), and
``countries`` (per item: one column per listed option, and an "other" free-text column).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analysis.survey.codebook import Codebook


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
        unknown = sorted(
            set(self.items) - set(codebook.items) | set(self.countries) - set(codebook.items)
        )
        if unknown:
            raise MappingError(f"{self.path.name}: ids not in the codebook: {unknown}")


def load_mapping(path: Path) -> ExportMapping:
    spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for key in ("export", "respondent_id", "submitted_at", "items"):
        if key not in spec:
            raise MappingError(f"{path.name}: the mapping lacks {key!r}")
    return ExportMapping(path=path, export=path.parent / spec["export"], spec=spec)


def find_mappings(folder: Path) -> list[ExportMapping]:
    """Every ``*.mapping.yaml`` in ``folder``, sorted; an export without one is not read."""
    mappings = [load_mapping(p) for p in sorted(folder.glob("*.mapping.yaml"))]
    if not mappings:
        raise MappingError(f"no *.mapping.yaml files in {folder}: each export needs one")
    return mappings
