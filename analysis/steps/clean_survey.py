"""The survey cleaning step as the notebook calls it: read, clean, validate, write."""

from __future__ import annotations

from datetime import datetime, time

import pandera.pandas as pa
from pandera import Check, Column

from analysis.files.paths import resolve
from analysis.files.tables import write_table
from analysis.reference.countries import CountryResolver
from analysis.survey.clean import REASONS, CleaningRules, CleanSurvey
from analysis.survey.codebook import (
    STATUS_ANSWERED,
    STATUS_DONT_KNOW,
    STATUS_NO_ANSWER,
    load_codebook,
)
from analysis.survey.folder import NOT_READ, clean_folder

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
        "format": Column(str, Check.isin(["csv", "xlsx", "sav", ""])),
        "encoding": Column(str),
        "delimiter": Column(str),
        "header_rows": Column(int, Check.ge(0)),
        "rows": Column(int, Check.ge(0)),
        "blank_rows": Column(int, Check.ge(0)),
        "rejected_on_read": Column(int, Check.ge(0)),
        "status": Column(str, Check.isin(["read", "not_read"])),
        "reason": Column(str, Check.isin(["", *NOT_READ])),
    },
    checks=[
        Check(
            lambda df: (df["status"] == "read") == (df["header_rows"] >= 1),
            error="a file read has a header; a file not read has a reason",
        ),
    ],
    strict=True,
    coerce=True,
)

UNMAPPED_COUNTRIES = pa.DataFrameSchema(
    {"value": Column(str), "count": Column(int, Check.ge(1)), "source": Column(str)},
    strict=True,
    coerce=True,
)


def clean_survey(
    raw_dir: str,
    processed_dir: str,
    codebook: str,
    country_aliases: str,
    fieldwork_start: str,
    fieldwork_end: str,
    speeder_seconds: float,
) -> CleanSurvey:
    """Clean every mapped export under ``<raw_dir>/survey`` and write the processed tables."""
    rules = CleaningRules(
        fieldwork_start=datetime.combine(datetime.fromisoformat(fieldwork_start).date(), time.min),
        fieldwork_end=datetime.combine(datetime.fromisoformat(fieldwork_end).date(), time.max),
        speeder_seconds=float(speeder_seconds),
    )
    result = clean_folder(
        resolve(raw_dir) / "survey",
        load_codebook(resolve(codebook)),
        CountryResolver(resolve(country_aliases)),
        rules,
    )
    result.respondents = write_table(
        result.respondents, processed_dir, "survey_respondents", RESPONDENTS
    )
    result.answers = write_table(result.answers, processed_dir, "survey_answers", ANSWERS)
    result.countries = write_table(result.countries, processed_dir, "survey_countries", COUNTRIES)
    result.rejects = write_table(
        result.rejects, processed_dir, "survey_rejects", REJECTS, csv_copy=True
    )
    result.accounting = write_table(
        result.accounting, processed_dir, "survey_accounting", ACCOUNTING, csv_copy=True
    )
    write_table(result.reads, processed_dir, "survey_reads", READS, csv_copy=True)
    write_table(
        result.unmapped_countries,
        processed_dir,
        "survey_unmapped_countries",
        UNMAPPED_COUNTRIES,
        csv_copy=True,
    )
    return result
