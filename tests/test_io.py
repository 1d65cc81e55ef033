"""Safe output: spreadsheet formulas neutralised, schemas enforced before writing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest

from analysis.files.tables import neutralise_formula, write_csv_for_people, write_parquet


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_formula_starts_are_neutralised(text: str) -> None:
    assert neutralise_formula(text) == "'" + text


def test_plain_text_and_numbers_are_untouched() -> None:
    assert neutralise_formula("Kiina") == "Kiina"
    assert neutralise_formula(-3) == -3


def test_csv_for_people(tmp_path: Path) -> None:
    path = write_csv_for_people(
        pd.DataFrame({"c": ["=HYPERLINK(1)", "ok"], "n": [-1, 2]}), tmp_path / "x.csv"
    )
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines() == ["c,n", "'=HYPERLINK(1),-1", "ok,2"]


def test_invalid_table_is_not_written(tmp_path: Path) -> None:
    schema = pa.DataFrameSchema({"n": pa.Column(int, pa.Check.ge(0))}, strict=True)
    with pytest.raises(pa.errors.SchemaErrors):
        write_parquet(pd.DataFrame({"n": [1, -1]}), tmp_path / "t.parquet", schema)
    assert not (tmp_path / "t.parquet").exists()
