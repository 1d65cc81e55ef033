"""The cooperation step as the notebook calls it: read every source, write tidy tables.

Sources under ``<raw_dir>``: ``openalex/`` (saved ``group_by`` answers), ``cordis/``
(``project.csv`` and ``organization.csv``), ``agreements/`` (registers with mapping files) and
``mobility/`` (statistics files). A source folder that is absent is reported as such; one that
is present must read cleanly. Rows in = rows kept + rows rejected with a reason, per file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import yaml

from analysis.cooperation import schemas
from analysis.cooperation.accounting import accounting_row
from analysis.cooperation.copublications import (
    copublications_by_country,
    critical_by_partner_year,
    fields_by_partner,
    finnish_output_by_year,
    partner_institutions,
)
from analysis.cooperation.cordis import cordis_projects
from analysis.cooperation.registers import read_agreements, read_mobility
from analysis.files.paths import resolve
from analysis.files.tables import write_table
from analysis.reference.countries import CountryResolver


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


def clean_cooperation(raw_dir: str, processed_dir: str, country_aliases: str) -> CooperationTables:
    raw = resolve(raw_dir)
    countries = CountryResolver(resolve(country_aliases))
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
    accounting_rows = [*accounting.to_dict("records"), institution_accounting]
    accounting_rows += critical_accounting
    reject_frames = [openalex_rejects, institution_rejects, critical_rejects]

    cordis = cordis_projects(raw / "cordis", countries)
    accounting_rows += cordis.accounting.to_dict("records")
    reject_frames.append(cordis.rejects)

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
            output, processed_dir, "openalex_output_by_year", schemas.OUTPUT_BY_YEAR
        ),
        copublications=write_table(
            copublications, processed_dir, "openalex_copublications", schemas.COPUBLICATIONS
        ),
        institutions=write_table(
            institutions,
            processed_dir,
            "openalex_partner_institutions",
            schemas.PARTNER_INSTITUTIONS,
        ),
        fields=write_table(fields, processed_dir, "openalex_fields_by_partner", schemas.FIELDS),
        subfields=write_table(
            subfields, processed_dir, "openalex_subfields_by_partner", schemas.SUBFIELDS
        ),
        critical_by_year=write_table(
            critical,
            processed_dir,
            "openalex_critical_by_partner_year",
            schemas.CRITICAL_BY_PARTNER_YEAR,
        ),
        cordis_projects=write_table(
            cordis.projects, processed_dir, "cordis_projects", schemas.CORDIS_PROJECTS
        ),
        cordis_partner_countries=write_table(
            cordis.partner_countries,
            processed_dir,
            "cordis_partner_countries",
            schemas.CORDIS_PARTNER_COUNTRIES,
        ),
        agreements=write_table(
            pd.concat(agreement_frames, ignore_index=True),
            processed_dir,
            "agreements",
            schemas.AGREEMENTS,
        ),
        mobility=write_table(
            pd.concat(mobility_frames, ignore_index=True),
            processed_dir,
            "mobility",
            schemas.MOBILITY,
        ),
        accounting=write_table(
            pd.DataFrame(accounting_rows),
            processed_dir,
            "cooperation_accounting",
            schemas.ACCOUNTING,
            csv_copy=True,
        ),
        rejects=write_table(
            all_rejects, processed_dir, "cooperation_rejects", schemas.REJECTS, csv_copy=True
        ),
    )
