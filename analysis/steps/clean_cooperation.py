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
from pandera import Check

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
from analysis.files.schemas import (
    INTERNAL,
    PUBLISHABLE,
    col,
    count,
    flag,
    iso2,
    share,
    table,
    text,
    year,
)
from analysis.files.tables import write_table
from analysis.reference.countries import CountryResolver

_WORKS = "OpenAlex works (publications) with at least one Finnish institution"
_PARTNER = "partner country, ISO 3166-1 alpha-2 code"
_COUNTRY = "the country's English short name (labels in other languages: catalog.load)"

OUTPUT_BY_YEAR = table(
    "openalex_output_by_year",
    "Finland's publication output per year in OpenAlex and the share co-authored abroad.",
    PUBLISHABLE,
    {
        "year": col(int, "publication year", Check.in_range(1990, 2100), unique=True),
        "works": count(f"{_WORKS}, in the year"),
        "international_works": count("of works, those with an author abroad"),
        "international_share": share("international_works / works", nullable=False),
    },
)

COPUBLICATIONS = table(
    "openalex_copublications",
    "Co-publications of Finnish institutions with each partner country, per year (OpenAlex).",
    PUBLISHABLE,
    {
        "year": year("publication year"),
        "iso2": iso2(_PARTNER),
        "country": text(_COUNTRY),
        "works": count(f"{_WORKS} and one in the partner country, in the year"),
    },
    unique=["year", "iso2"],
)

ACCOUNTING = table(
    "cooperation_accounting",
    "One row per cooperation source file (or OpenAlex answer): rows read, kept and rejected. "
    "Raw file details.",
    INTERNAL,
    {
        "source_file": text("the raw file or register the rows came from"),
        "rows_read": count("rows read"),
        "kept": count("rows kept"),
        "rejected": count("rows rejected (see cooperation_rejects)"),
        "rejected_reason": text("the reasons for the rejections, with counts"),
    },
    checks=[Check(lambda df: df["rows_read"] == df["kept"] + df["rejected"])],
)

CORDIS_PROJECTS = table(
    "cordis_projects",
    "EU framework-programme projects from CORDIS (public open data), one row per project.",
    PUBLISHABLE,
    {
        "project_id": text("CORDIS project id", unique=True),
        "acronym": text("project acronym"),
        "framework_programme": text("framework programme (e.g. HORIZON, H2020)"),
        "status": text("project status as CORDIS gives it (SIGNED, CLOSED, ...)"),
        "start_date": col("datetime64[ns]", "project start date"),
        "end_date": col("datetime64[ns]", "project end date", nullable=True),
        "ec_max_contribution": col(
            float, "EU contribution to the whole project, EUR", Check.ge(0), nullable=True
        ),
        "topics": text("CORDIS topic codes, as given"),
        "start_year": col(int, "year of start_date"),
        "has_finnish_participant": flag("a Finnish organisation takes part"),
    },
)

CORDIS_PARTNER_COUNTRIES = table(
    "cordis_partner_countries",
    "Per start year and partner country: EU projects shared with a Finnish participant, the "
    "country's participations in them and their EU contribution (CORDIS).",
    PUBLISHABLE,
    {
        "year": col(int, "project start year"),
        "iso2": iso2(_PARTNER),
        "projects": count("projects with both a Finnish and a partner participant", minimum=1),
        "participations": count("the partner country's participations in them", minimum=1),
        "ec_contribution": col(
            float, "EU contribution to the partner's participants, EUR", Check.ge(0)
        ),
        "country": text(_COUNTRY),
    },
    unique=["year", "iso2"],
)

AGREEMENTS = table(
    "agreements",
    "One row per cooperation agreement in the institutions' own registers: organisation, "
    "partner, type and dates. Organisation-level register rows, not published.",
    INTERNAL,
    {
        "organisation_key": text("the Finnish organisation whose register it is"),
        "register": text("the register file it came from"),
        "source_row": col(int, "row number in the register"),
        "partner": text("the partner institution's name as registered"),
        "iso2": iso2(_PARTNER),
        "country": text(_COUNTRY),
        "agreement_type": text(
            "kind of agreement",
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
        "start": col("datetime64[ns]", "date the agreement starts"),
        "end": col("datetime64[ns]", "date it ends; blank if open-ended", nullable=True),
        "field": text("field of the agreement, as registered"),
        "status": text("active, ended or planned", Check.isin(["active", "ended", "planned"])),
    },
)

MOBILITY = table(
    "mobility",
    "Student mobility per year, sector, direction and partner country (public statistics).",
    PUBLISHABLE,
    {
        "year": col(int, "academic year (its first calendar year)"),
        "sector": text("university or uas", Check.isin(["university", "uas"])),
        "direction": text(
            "outgoing (from Finland) or incoming", Check.isin(["outgoing", "incoming"])
        ),
        "iso2": iso2(_PARTNER),
        "students": count("exchange students (periods over 3 months)"),
    },
    unique=["year", "sector", "direction", "iso2"],
)

REJECTS = table(
    "cooperation_rejects",
    "One row per cooperation source row not kept, with the reason. Raw rows.",
    INTERNAL,
    {
        "source_file": text("the raw file or register"),
        "source_row": col(int, "row number in it"),
        "reason": text("why the row was rejected"),
    },
)

PARTNER_INSTITUTIONS = table(
    "openalex_partner_institutions",
    "Foreign institutions co-publishing with Finnish ones, with their works (OpenAlex); the "
    "input of partner screening.",
    PUBLISHABLE,
    {
        "institution_id": text(
            "OpenAlex institution id", Check.str_matches(r"^I\d+$"), unique=True
        ),
        "name": text("institution name in OpenAlex"),
        "ror": text(
            "ROR id (https://ror.org/...)",
            Check.str_startswith("https://ror.org/"),
            nullable=True,
        ),
        "iso2": iso2("the institution's country", nullable=True),
        "type": text("OpenAlex institution type (education, facility, ...)", nullable=True),
        "works": count("works co-authored with a Finnish institution"),
    },
)


def _fields(name: str, level: str, ids: Check) -> pa.DataFrameSchema:
    return table(
        name,
        f"Co-publications with each partner country by OpenAlex {level} (topic classification).",
        PUBLISHABLE,
        {
            "iso2": iso2(_PARTNER),
            "field_id": col(int, f"OpenAlex {level[:-1]} id", ids),
            "field": text(f"OpenAlex {level[:-1]} name (English)"),
            "works": count(f"co-publications with the country in the {level[:-1]}"),
            "share": share("works / the country's co-publications", nullable=False),
        },
        unique=["iso2", "field_id"],
    )


FIELDS = _fields("openalex_fields_by_partner", "fields", Check.in_range(10, 40))
SUBFIELDS = _fields("openalex_subfields_by_partner", "subfields", Check.in_range(1000, 3700))

CRITICAL_BY_PARTNER_YEAR = table(
    "openalex_critical_by_partner_year",
    "Per partner country and year: co-publications, those in critical-technology subfields "
    "(config/critical_technologies.yaml) and their share.",
    PUBLISHABLE,
    {
        "partner_country": iso2(_PARTNER),
        "year": year("publication year"),
        "critical_copublications": count("co-publications in a critical-technology subfield"),
        "copublications": count("all co-publications with the country", minimum=1),
        "critical_share": share("critical_copublications / copublications", nullable=False),
    },
    checks=[Check(lambda df: df["critical_copublications"] <= df["copublications"])],
    unique=["partner_country", "year"],
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
