"""The cooperation step as the notebook calls it: read the saved sources, write tidy tables."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.cooperation import schemas
from analysis.cooperation.copublications import copublications_by_country, finnish_output_by_year
from analysis.countries import CountryResolver
from analysis.paths import resolve
from analysis.tables import write_table


@dataclass
class CooperationTables:
    output_by_year: pd.DataFrame
    copublications: pd.DataFrame
    accounting: pd.DataFrame


def clean_cooperation(raw_dir: str, processed_dir: str, country_aliases: str) -> CooperationTables:
    folder = resolve(raw_dir) / "openalex"
    countries = CountryResolver(resolve(country_aliases))
    output = finnish_output_by_year(folder)
    copublications, accounting = copublications_by_country(folder, countries)
    return CooperationTables(
        output_by_year=write_table(
            output, processed_dir, "openalex_output_by_year", schemas.OUTPUT_BY_YEAR
        ),
        copublications=write_table(
            copublications, processed_dir, "openalex_copublications", schemas.COPUBLICATIONS
        ),
        accounting=write_table(
            accounting, processed_dir, "cooperation_accounting", schemas.ACCOUNTING, csv_copy=True
        ),
    )
