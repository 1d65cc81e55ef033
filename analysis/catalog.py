"""The catalog of processed tables: every table the pipeline writes, read from its schema.

The declarations live with the step that writes each table (``analysis.files.schemas.table``
in ``analysis/steps/*.py``): its name, description, ``publishable`` or ``internal`` mark and a
description of every column. This module only discovers them::

    from analysis import catalog
    catalog.tables()                         # every table, with its step, mark and columns
    catalog.find("readiness")                # tables whose name or description says so
    catalog.load("country_scores", lang="fi")  # the table, with Finnish labels beside the keys

``markdown()`` is the data dictionary, ``docs/tables.md``: ``python -m analysis.catalog`` (or
``make tables-doc``) writes it.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.files.paths import resolve
from analysis.files.schemas import INTERNAL, PUBLISHABLE
from analysis.files.tables import read_table

DOC = "docs/tables.md"


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    dtype: str
    description: str
    nullable: bool
    checks: tuple[str, ...]
    labels: str | None  # the kind of label load(lang=...) adds: country, class, item, org_type


@dataclass(frozen=True)
class TableInfo:
    name: str
    description: str
    step: str  # the pipeline step (config/params.yaml) that writes it
    access: str  # publishable | internal
    columns: tuple[ColumnInfo, ...]
    schema: pa.DataFrameSchema

    @property
    def publishable(self) -> bool:
        return self.access == PUBLISHABLE


def _column(name: str, column) -> ColumnInfo:
    return ColumnInfo(
        name=name,
        dtype=str(column.dtype),
        description=column.description or "",
        nullable=bool(column.nullable),
        checks=tuple(str(check.error or check.name) for check in column.checks),
        labels=(column.metadata or {}).get("labels"),
    )


def _step_modules():
    import analysis.steps

    for module in sorted(pkgutil.iter_modules(analysis.steps.__path__), key=lambda m: m.name):
        yield importlib.import_module(f"analysis.steps.{module.name}")


@cache
def _catalog() -> dict[str, TableInfo]:
    found: dict[str, TableInfo] = {}
    for module in _step_modules():
        step = getattr(module, "STEP", module.__name__.rpartition(".")[2])
        for value in vars(module).values():
            if not isinstance(value, pa.DataFrameSchema) or not value.name:
                continue
            if value.name in found:
                if found[value.name].schema is not value:
                    raise ValueError(f"table {value.name} is declared twice")
                continue  # imported by another step module from where it is declared
            access = (value.metadata or {}).get("access")
            found[value.name] = TableInfo(
                name=value.name,
                description=value.description or "",
                step=step,
                access=access,
                columns=tuple(_column(k, c) for k, c in value.columns.items()),
                schema=value,
            )
    return dict(sorted(found.items()))


def tables() -> list[TableInfo]:
    """Every processed table the pipeline writes, by name."""
    return list(_catalog().values())


def table(name: str) -> TableInfo:
    """One table's declaration; a name the pipeline does not write raises KeyError."""
    try:
        return _catalog()[name]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(name, _catalog(), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise KeyError(f"no processed table is called {name!r}{hint}") from None


def find(text: str) -> list[TableInfo]:
    """Tables whose name, description or column names and descriptions contain ``text``
    (case-insensitive), those matching on name or description first."""
    needle = text.lower()

    def in_table(info: TableInfo) -> bool:
        return needle in info.name.lower() or needle in info.description.lower()

    def in_columns(info: TableInfo) -> bool:
        return any(needle in f"{c.name} {c.description}".lower() for c in info.columns)

    return [i for i in tables() if in_table(i)] + [
        i for i in tables() if not in_table(i) and in_columns(i)
    ]


def load(
    name: str,
    lang: str | None = None,
    processed_dir: str | Path = "data/processed",
    *,
    config_dir: str | Path = "config",
) -> pd.DataFrame:
    """Read processed table ``name``; with ``lang``, add ``<column>_label`` in that language
    beside every column of keys (country names, class names, survey item texts, sectors)."""
    info = table(name)
    frame = read_table(processed_dir, name)
    if lang is None:
        return frame
    from analysis.i18n import check_language

    check_language(lang)
    labellers = _labellers(resolve(config_dir), lang)
    for column in info.columns:
        if column.labels and column.name in frame.columns:
            at = frame.columns.get_loc(column.name) + 1
            labels = frame[column.name].map(labellers[column.labels])
            frame.insert(at, f"{column.name}_label", labels)
    return frame


def _labellers(config: Path, lang: str) -> dict:
    """Key → label in ``lang`` for each kind of label, from the project's own helpers."""
    from analysis.i18n import pick, t
    from analysis.reference.countries import CountryResolver
    from analysis.scoring.model import NOT_PLACED, load_scoring_model
    from analysis.survey.codebook import load_codebook
    from analysis.survey.labels import group_labels

    countries = CountryResolver(config / "country_aliases.yaml")
    book = load_codebook(config / "codebook.yaml")
    model = load_scoring_model(config / "scoring.yaml")
    classes = {key: pick(label, lang) for key, label in model["classes"]["names"].items()}
    classes[NOT_PLACED] = t("quadrant.not_placed", lang)
    groups = group_labels(book, lang)

    def country(code):
        return countries.name(code, lang) if isinstance(code, str) and code else None

    def item(key):
        found = book.items.get(key)
        return found.text[lang] if found is not None else None

    return {"country": country, "class": classes.get, "item": item, "org_type": groups.get}


def markdown() -> str:
    """The data dictionary: every table, its mark, step and columns (``docs/tables.md``)."""
    lines = [
        "# Processed tables",
        "",
        "Generated from the table schemas in `analysis/steps/` by `python -m analysis.catalog`",
        "(`make tables-doc`); do not edit by hand: a test fails when this file and the schemas",
        "differ. **publishable**: protected aggregates or public data, may be listed in",
        "`release.tables`; **internal**: respondent-level rows, organisation keys beside",
        "unprotected counts, free text, raw file details or review queues: never released.",
        "",
        "| table | mark | step | description |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| [`{i.name}`](#{i.name}) | {i.access} | {i.step} | {_cell(i.description)} |"
        for i in tables()
    ]
    for info in tables():
        lines += [
            "",
            f"## {info.name}",
            "",
            f"**{info.access}**, written by step `{info.step}`. {info.description}",
            "",
            "| column | type | description | checks |",
            "|---|---|---|---|",
        ]
        for c in info.columns:
            kind = f"{c.dtype}, may be blank" if c.nullable else c.dtype
            checks = "; ".join(f"`{check}`" for check in c.checks)
            lines.append(f"| `{c.name}` | {kind} | {_cell(c.description)} | {_cell(checks)} |")
    return "\n".join(lines) + "\n"


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("<", "\\<").replace("\n", " ")


def write_doc(root: Path) -> Path:
    """Write ``markdown()`` to ``docs/tables.md`` under ``root``."""
    from analysis.files.atomic import write_text_atomic

    return write_text_atomic(root / DOC, markdown())


def main() -> int:
    from analysis.files.paths import find_project_root

    print(f"data dictionary written: {write_doc(find_project_root())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

__all__ = ["INTERNAL", "PUBLISHABLE", "find", "load", "markdown", "table", "tables", "write_doc"]
