"""Declared schemas of the processed survey tables (checked before anything is written)."""

from __future__ import annotations

import pandera.pandas as pa
from pandera import Check, Column

from analysis.survey.clean import REASONS
from analysis.survey.codebook import STATUS_ANSWERED, STATUS_DONT_KNOW, STATUS_NO_ANSWER

ORG_TYPES = ["university", "uas", "research_institute", "other"]

RESPONDENTS = pa.DataFrameSchema(
    {
        "respondent_key": Column(str, unique=True),
        "source_file": Column(str),
        "source_row": Column("int64", Check.ge(1)),
        "respondent_id": Column(str),
        "organisation_key": Column(str),
        "org_type": Column(str, Check.isin(ORG_TYPES)),
        "role": Column(str, nullable=True),
        "field": Column(str, nullable=True),
        "language": Column(str, nullable=True),
        "submitted_at": Column("datetime64[ns]"),
        "duration_seconds": Column(float, Check.ge(0), nullable=True),
        "flag_speeder": Column(bool),
        "flag_straightliner": Column(bool),
        "comment": Column(str, nullable=True),
    },
    strict=True,
    coerce=True,
)

ANSWERS = pa.DataFrameSchema(
    {
        "respondent_key": Column(str),
        "block": Column(str, Check.isin(["threats", "opportunities", "preparedness"])),
        "item_id": Column(str),
        "code": Column(str, nullable=True),
        "status": Column(str, Check.isin([STATUS_ANSWERED, STATUS_DONT_KNOW, STATUS_NO_ANSWER])),
        "score": Column("Int64", Check.in_range(1, 5), nullable=True),
    },
    checks=[
        Check(
            lambda df: (df["status"] == STATUS_ANSWERED) == df["code"].notna(),
            error="a code is present exactly when the status is 'answered'",
        ),
    ],
    unique=["respondent_key", "item_id"],
    strict=True,
    coerce=True,
)

COUNTRIES = pa.DataFrameSchema(
    {
        "respondent_key": Column(str),
        "item_id": Column(str, Check.isin(["concern_countries", "opportunity_countries"])),
        "mention": Column(str),
        "answered_as": Column(str, Check.isin(["option", "other"])),
        "iso2": Column(str, Check.str_matches(r"^[A-Z]{2}$"), nullable=True),
    },
    strict=True,
    coerce=True,
)

REJECTS = pa.DataFrameSchema(
    {
        "source_file": Column(str),
        "source_row": Column("int64"),
        "respondent_id": Column(str),
        "reason_code": Column(str, Check.isin(list(REASONS))),
        "reason": Column(str),
        "detail": Column(str),
    },
    unique=["source_file", "source_row"],
    strict=True,
    coerce=True,
)

ACCOUNTING = pa.DataFrameSchema(
    {
        "source_file": Column(str, unique=True),
        "rows_read": Column(int, Check.ge(0)),
        "kept": Column(int, Check.ge(0)),
        "rejected": Column(int, Check.ge(0)),
    },
    checks=[
        Check(
            lambda df: df["rows_read"] == df["kept"] + df["rejected"],
            error="every raw row must be kept or rejected",
        ),
    ],
    coerce=True,
)

READS = pa.DataFrameSchema(
    {
        "file": Column(str, unique=True),
        "format": Column(str, Check.isin(["csv", "xlsx", "sav"])),
        "encoding": Column(str),
        "delimiter": Column(str),
        "header_rows": Column(int, Check.ge(1)),
        "rows": Column(int, Check.ge(0)),
        "blank_rows": Column(int, Check.ge(0)),
    },
    strict=True,
    coerce=True,
)

UNMAPPED_COUNTRIES = pa.DataFrameSchema(
    {"value": Column(str), "count": Column(int, Check.ge(1)), "source": Column(str)},
    strict=True,
    coerce=True,
)
