"""The cooperation step as the notebook calls it: read every source, write tidy tables.

Sources under ``<raw_dir>``: ``openalex/`` (saved ``group_by`` answers), ``cordis/``
(``project.csv`` and ``organization.csv``), ``agreements/`` (registers with mapping files) and
``mobility/`` (statistics files). A source folder that is absent is reported as such; one that
is present must read cleanly. Rows in = rows kept + rows rejected with a reason, per file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import yaml
from pandera import Check, Column

from analysis.cooperation.accounting import accounting_row
from analysis.cooperation.copublications import (
    copublications_by_country,
    critical_by_partner_year,
    fields_by_partner,
    finnish_output_by_year,
    partner_institutions,
)
from analysis.cooperation.cordis import CordisResult, cordis_projects
from analysis.cooperation.registers import read_agreements, read_mobility
from analysis.files.paths import resolve
from analysis.files.tables import write_table
from analysis.reference.countries import CountryResolver

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


@dataclass
class CooperationTables:
    output_by_year: pd.DataFrame
    copublications: pd.DataFrame
    accounting: pd.DataFrame
    rejects: pd.DataFrame
    cordis_projects: pd.DataFrame = field(default_factory=pd.DataFrame)
    cordis_partner_countries: pd.DataFrame = field(default_factory=pd.DataFrame)
    agreements: pd.DataFrame = field(default_factory=pd.DataFrame)
    institutions: pd.DataFrame = field(default_factory=pd.DataFrame)
    fields: pd.DataFrame = field(default_factory=pd.DataFrame)
    subfields: pd.DataFrame = field(default_factory=pd.DataFrame)
    critical_by_year: pd.DataFrame = field(default_factory=pd.DataFrame)
    mobility: pd.DataFrame = field(default_factory=pd.DataFrame)


def _empty(schema: pa.DataFrameSchema) -> pd.DataFrame:
    """A table of ``schema``'s columns without rows: a source not provided."""
    return pd.DataFrame({name: pd.Series(dtype=object) for name in schema.columns})


def provided(folder: Path) -> bool:
    """A source is provided when its folder holds any file (check-data says the same)."""
    return folder.is_dir() and any(
        p.is_file() and not p.name.startswith(".") for p in folder.iterdir()
    )


def clean_cooperation(raw_dir: str, processed_dir: str, country_aliases: str) -> CooperationTables:
    """Every cooperation source of ``raw_dir``; a source folder not provided gives empty tables
    (the report then says the source was not provided)."""
    raw = resolve(raw_dir)
    countries = CountryResolver(resolve(country_aliases))
    accounting_rows: list[dict] = []
    reject_frames: list[pd.DataFrame] = []
    if provided(raw / "openalex"):
        output = finnish_output_by_year(raw / "openalex")
        copublications, accounting, openalex_rejects = copublications_by_country(
            raw / "openalex", countries
        )
        institutions, institution_accounting, institution_rejects = partner_institutions(
            raw / "openalex", countries
        )
        fields = fields_by_partner(raw / "openalex", countries)
        subfields = fields_by_partner(raw / "openalex", countries, level="subfields")
        critical, critical_accounting, critical_rejects = critical_by_partner_year(
            raw / "openalex", countries, copublications
        )
        accounting_rows += [*accounting.to_dict("records"), institution_accounting]
        accounting_rows += critical_accounting
        reject_frames += [openalex_rejects, institution_rejects, critical_rejects]
    else:
        output, copublications = _empty(OUTPUT_BY_YEAR), _empty(COPUBLICATIONS)
        institutions, fields = _empty(PARTNER_INSTITUTIONS), _empty(FIELDS)
        subfields, critical = _empty(SUBFIELDS), _empty(CRITICAL_BY_PARTNER_YEAR)

    if provided(raw / "cordis"):
        cordis = cordis_projects(raw / "cordis", countries)
        accounting_rows += cordis.accounting.to_dict("records")
        reject_frames.append(cordis.rejects)
    else:
        cordis = CordisResult(
            _empty(CORDIS_PROJECTS),
            pd.DataFrame(),
            _empty(CORDIS_PARTNER_COUNTRIES),
            pd.DataFrame(),
            pd.DataFrame(),
        )

    agreement_frames = []
    for mapping in sorted((raw / "agreements").glob("*.mapping.yaml")):
        agreements, rejects = read_agreements(mapping, countries)
        agreement_frames.append(agreements)
        reject_frames.append(rejects)
        register = yaml.safe_load(mapping.read_text(encoding="utf-8"))["register"]
        accounting_rows.append(accounting_row(register, len(agreements) + len(rejects), rejects))
    mobility_frames = []
    for path in sorted((raw / "mobility").glob("*.csv")):
        mobility, rejects = read_mobility(path, countries)
        mobility_frames.append(mobility)
        reject_frames.append(rejects)
        accounting_rows.append(accounting_row(path.name, len(mobility) + len(rejects), rejects))

    all_rejects = (
        pd.concat(reject_frames, ignore_index=True)
        if reject_frames
        else pd.DataFrame(columns=["source_file", "source_row", "reason"])
    )
    return CooperationTables(
        output_by_year=write_table(
            output, processed_dir, "openalex_output_by_year", OUTPUT_BY_YEAR
        ),
        copublications=write_table(
            copublications, processed_dir, "openalex_copublications", COPUBLICATIONS
        ),
        institutions=write_table(
            institutions,
            processed_dir,
            "openalex_partner_institutions",
            PARTNER_INSTITUTIONS,
        ),
        fields=write_table(fields, processed_dir, "openalex_fields_by_partner", FIELDS),
        subfields=write_table(subfields, processed_dir, "openalex_subfields_by_partner", SUBFIELDS),
        critical_by_year=write_table(
            critical,
            processed_dir,
            "openalex_critical_by_partner_year",
            CRITICAL_BY_PARTNER_YEAR,
        ),
        cordis_projects=write_table(
            cordis.projects, processed_dir, "cordis_projects", CORDIS_PROJECTS
        ),
        cordis_partner_countries=write_table(
            cordis.partner_countries,
            processed_dir,
            "cordis_partner_countries",
            CORDIS_PARTNER_COUNTRIES,
        ),
        agreements=write_table(
            pd.concat(agreement_frames, ignore_index=True)
            if agreement_frames
            else _empty(AGREEMENTS),
            processed_dir,
            "agreements",
            AGREEMENTS,
        ),
        mobility=write_table(
            pd.concat(mobility_frames, ignore_index=True) if mobility_frames else _empty(MOBILITY),
            processed_dir,
            "mobility",
            MOBILITY,
        ),
        accounting=write_table(
            pd.DataFrame(accounting_rows, columns=list(ACCOUNTING.columns)),
            processed_dir,
            "cooperation_accounting",
            ACCOUNTING,
            csv_copy=True,
        ),
        rejects=write_table(
            all_rejects, processed_dir, "cooperation_rejects", REJECTS, csv_copy=True
        ),
    )
