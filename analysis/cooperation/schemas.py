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

_ISO2 = Column(str, Check.str_matches(r"^[A-Z]{2}$"))

CORDIS_PROJECTS = pa.DataFrameSchema(
    {
        "project_id": Column(str, unique=True),
        "acronym": Column(str),
        "framework_programme": Column(str),
        "status": Column(str),
        "start_date": Column("datetime64[ns]"),
        "end_date": Column("datetime64[ns]", nullable=True),
        "ec_max_contribution": Column(float, Check.ge(0), nullable=True),
        "topics": Column(str),
        "start_year": Column(int),
        "has_finnish_participant": Column(bool),
    },
    strict=True,
    coerce=True,
)

CORDIS_PARTNER_COUNTRIES = pa.DataFrameSchema(
    {
        "year": Column(int),
        "iso2": _ISO2,
        "projects": Column(int, Check.ge(1)),
        "participations": Column(int, Check.ge(1)),
        "ec_contribution": Column(float, Check.ge(0)),
        "country": Column(str),
    },
    unique=["year", "iso2"],
    strict=True,
    coerce=True,
)

AGREEMENTS = pa.DataFrameSchema(
    {
        "organisation_key": Column(str),
        "register": Column(str),
        "source_row": Column(int),
        "partner": Column(str),
        "iso2": _ISO2,
        "country": Column(str),
        "agreement_type": Column(
            str,
            Check.isin(
                [
                    "student_exchange",
                    "research",
                    "joint_or_double_degree",
                    "memorandum_of_understanding",
                    "contract_research",
                ]
            ),
        ),
        "start": Column("datetime64[ns]"),
        "end": Column("datetime64[ns]", nullable=True),
        "field": Column(str),
        "status": Column(str, Check.isin(["active", "ended", "planned"])),
    },
    strict=True,
    coerce=True,
)

MOBILITY = pa.DataFrameSchema(
    {
        "year": Column(int),
        "sector": Column(str, Check.isin(["university", "uas"])),
        "direction": Column(str, Check.isin(["outgoing", "incoming"])),
        "iso2": _ISO2,
        "students": Column(int, Check.ge(0)),
    },
    unique=["year", "sector", "direction", "iso2"],
    strict=True,
    coerce=True,
)

REJECTS = pa.DataFrameSchema(
    {"source_file": Column(str), "source_row": Column(int), "reason": Column(str)},
    strict=True,
    coerce=True,
)

PARTNER_INSTITUTIONS = pa.DataFrameSchema(
    {
        "institution_id": Column(str, Check.str_matches(r"^I\d+$"), unique=True),
        "name": Column(str),
        "ror": Column(str, Check.str_startswith("https://ror.org/"), nullable=True),
        "iso2": Column(str, Check.str_matches(r"^[A-Z]{2}$"), nullable=True),
        "type": Column(str, nullable=True),
        "works": Column(int, Check.ge(0)),
    },
    strict=True,
    coerce=True,
)

FIELDS = pa.DataFrameSchema(
    {
        "iso2": _ISO2,
        "field_id": Column(int, Check.in_range(10, 40)),
        "field": Column(str),
        "works": Column(int, Check.ge(0)),
        "share": Column(float, Check.in_range(0, 1)),
    },
    unique=["iso2", "field_id"],
    strict=True,
    coerce=True,
)

SUBFIELDS = FIELDS.update_columns({"field_id": {"checks": [Check.in_range(1000, 3700)]}})

CRITICAL_BY_PARTNER_YEAR = pa.DataFrameSchema(
    {
        "partner_country": _ISO2,
        "year": Column(int, Check.in_range(1990, 2100)),
        "critical_copublications": Column(int, Check.ge(0)),
        "copublications": Column(int, Check.ge(1)),
        "critical_share": Column(float, Check.in_range(0, 1)),
    },
    checks=[Check(lambda df: df["critical_copublications"] <= df["copublications"])],
    unique=["partner_country", "year"],
    strict=True,
    coerce=True,
)
