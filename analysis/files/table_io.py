"""Writing and reading processed tables.

Tables for the pipeline are Parquet, validated against their declared schema before they are
written. Tables for people (rejects, review queues, figure data) are CSV, with spreadsheet
formulas neutralised so that opening one in Excel cannot run anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.build.run_manifest import write_text_atomic

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
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    validated.to_parquet(temporary, index=False)
    temporary.replace(path)
    return validated


def write_csv_for_people(frame: pd.DataFrame, path: Path) -> Path:
    """Write a CSV a person will open: UTF-8 with BOM (Excel reads it right), no formulas."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_formula)
    write_text_atomic(path, "\ufeff" + safe.to_csv(index=False, lineterminator="\n"))
    return path


def read_parquet(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run the step that writes it first")
    return pd.read_parquet(path)
