"""Schemas that describe the tables they validate: the one place a processed table is declared.

Each step module declares what it writes with ``table(name, description, access, columns)``:
the table's name (the file stem under ``data/processed/``), what one row is and holds, and
whether it may be published (``PUBLISHABLE``: protected aggregates and public data) or not
(``INTERNAL``: respondent-level rows, organisation keys beside unprotected counts, free text,
raw file details, review queues). Every column carries a description with its unit. The catalog
(``analysis.catalog``), ``docs/tables.md`` and the release's check read these declarations.

The column factories below are the columns many tables share; ``labels=`` names the kind of
label ``analysis.catalog.load(..., lang=...)`` adds beside a column of keys.
"""

from __future__ import annotations

import copy

import pandera.pandas as pa
from pandera import Check, Column

PUBLISHABLE = "publishable"
INTERNAL = "internal"
ACCESS = (PUBLISHABLE, INTERNAL)
# The kinds of label a column of keys can be given (analysis.catalog.load).
LABELS = ("country", "class", "item", "org_type")
ISO2 = r"^[A-Z]{2}$"


def table(
    name: str, description: str, access: str, columns: dict[str, Column], **options
) -> pa.DataFrameSchema:
    """The schema of processed table ``name``: strict and coercing unless ``options`` say not."""
    if access not in ACCESS:
        raise ValueError(f"{name}: access must be one of {ACCESS}, not {access!r}")
    undescribed = [key for key, column in columns.items() if not column.description]
    if undescribed:
        raise ValueError(f"{name}: columns without a description: {undescribed}")
    return pa.DataFrameSchema(
        columns,
        name=name,
        description=description,
        metadata={"access": access},
        **{"strict": True, "coerce": True, **options},
    )


def col(
    dtype,
    description: str,
    *checks: Check,
    nullable: bool = False,
    unique: bool = False,
    required: bool = True,
    labels: str | None = None,
) -> Column:
    """A described column; ``labels`` is one of ``LABELS`` for a column of keys."""
    if labels is not None and labels not in LABELS:
        raise ValueError(f"labels must be one of {LABELS}, not {labels!r}")
    return Column(
        dtype,
        list(checks) or None,
        nullable=nullable,
        unique=unique,
        required=required,
        description=description,
        metadata={"labels": labels} if labels else None,
    )


def iso2(
    description: str = "country, ISO 3166-1 alpha-2 code", *, nullable=False, unique=False
) -> Column:
    return col(
        str,
        description,
        Check.str_matches(ISO2),
        nullable=nullable,
        unique=unique,
        labels="country",
    )


def text(description: str, *checks: Check, nullable: bool = False, unique: bool = False) -> Column:
    return col(str, description, *checks, nullable=nullable, unique=unique)


def count(description: str, *, nullable: bool = False, minimum: int = 0) -> Column:
    """A whole count (int), or, where a withheld count is blank, a float column."""
    return col(float if nullable else int, description, Check.ge(minimum), nullable=nullable)


def share(description: str, *, nullable: bool = True) -> Column:
    """A proportion on 0–1 (the report shows per cent)."""
    return col(float, f"{description} (0–1)", Check.in_range(0, 1), nullable=nullable)


def year(description: str = "calendar year") -> Column:
    return col(int, description, Check.in_range(1990, 2100))


def flag(description: str) -> Column:
    return col(bool, description)


def described(column: Column, description: str) -> Column:
    """``column`` with another description (same type and checks)."""
    other = copy.copy(column)
    other.description = description
    return other
