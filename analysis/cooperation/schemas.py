"""Declared schemas of the processed cooperation tables."""

from __future__ import annotations

import pandera.pandas as pa
from pandera import Check, Column

OUTPUT_BY_YEAR = pa.DataFrameSchema(
    {
        "year": Column(int, Check.in_range(1990, 2100), unique=True),
        "works": Column(int, Check.ge(0)),
        "international_works": Column(int, Check.ge(0)),
        "international_share": Column(float, Check.in_range(0, 1)),
    },
    strict=True,
    coerce=True,
)

COPUBLICATIONS = pa.DataFrameSchema(
    {
        "year": Column(int, Check.in_range(1990, 2100)),
        "iso2": Column(str, Check.str_matches(r"^[A-Z]{2}$")),
        "country": Column(str),
        "works": Column(int, Check.ge(0)),
    },
    unique=["year", "iso2"],
    strict=True,
    coerce=True,
)

ACCOUNTING = pa.DataFrameSchema(
    {
        "source_file": Column(str),
        "rows_read": Column(int, Check.ge(0)),
        "kept": Column(int, Check.ge(0)),
        "rejected": Column(int, Check.ge(0)),
        "rejected_reason": Column(str),
    },
    checks=[Check(lambda df: df["rows_read"] == df["kept"] + df["rejected"])],
    strict=True,
    coerce=True,
)
