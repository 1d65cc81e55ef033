"""Processed tables: where each lives, how it is validated and written, and CSV for people.

Tables for the pipeline are Parquet, validated against their declared schema before they are
written. Tables for people (rejects, review queues, figure data) are CSV, with spreadsheet
formulas neutralised so that opening one in Excel cannot run anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.files.atomic import atomic_path, write_text_atomic
from analysis.files.paths import resolve
from analysis.files.scratch import read_source

if TYPE_CHECKING:  # pandera is slow to import and only needed where tables are written
    import pandera.pandas as pa

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe.

    Numbers stay numbers (a negative number is data, not a formula).
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_parquet(frame: pd.DataFrame, path: Path, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Validate ``frame`` (all errors at once) and write it; return the validated frame."""
    validated = schema.validate(frame, lazy=True)
    with atomic_path(path) as temporary:
        validated.to_parquet(temporary, index=False)
    return validated


def csv_for_people(frame: pd.DataFrame) -> str:
    """A CSV a person will open: UTF-8 with BOM (Excel reads it right), no formulas."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_formula)
    return "\ufeff" + safe.to_csv(index=False, lineterminator="\n")


def write_csv_for_people(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``csv_for_people(frame)`` to ``path``, atomically."""
    write_text_atomic(path, csv_for_people(frame))
    return path


def read_parquet(path: Path) -> pd.DataFrame:
    path = read_source(path)  # a table this notebook, run by hand, wrote into scratch
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run the step that writes it first")
    return pd.read_parquet(path)


def write_table(
    frame: pd.DataFrame,
    processed_dir: str | Path,
    name: str,
    schema: pa.DataFrameSchema,
    *,
    csv_copy: bool = False,
) -> pd.DataFrame:
    """Validate and write ``<processed_dir>/<name>.parquet`` (and a CSV copy for people).

    ``schema`` is the table's declaration (``analysis.files.schemas.table``): it must be the one
    named ``name``, so that the catalog describes every table as it is written.
    """
    if schema.name != name:
        raise ValueError(f"table {name} written with the schema of {schema.name or 'no table'}")
    folder = resolve(processed_dir)
    validated = write_parquet(frame, folder / f"{name}.parquet", schema)
    if csv_copy:
        write_csv_for_people(validated, folder / f"{name}.csv")
    return validated


def read_table(processed_dir: str | Path, name: str) -> pd.DataFrame:
    return read_parquet(resolve(processed_dir) / f"{name}.parquet")
