"""Named processed tables: one place that knows where each table lives and how it is written."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.files.paths import resolve
from analysis.files.table_io import read_parquet, write_csv_for_people, write_parquet

if TYPE_CHECKING:
    import pandera.pandas as pa


def write_table(
    frame: pd.DataFrame,
    processed_dir: str | Path,
    name: str,
    schema: pa.DataFrameSchema,
    *,
    csv_copy: bool = False,
) -> pd.DataFrame:
    """Validate and write ``<processed_dir>/<name>.parquet`` (and a CSV copy for people)."""
    folder = resolve(processed_dir)
    validated = write_parquet(frame, folder / f"{name}.parquet", schema)
    if csv_copy:
        write_csv_for_people(validated, folder / f"{name}.csv")
    return validated


def read_table(processed_dir: str | Path, name: str) -> pd.DataFrame:
    return read_parquet(resolve(processed_dir) / f"{name}.parquet")
