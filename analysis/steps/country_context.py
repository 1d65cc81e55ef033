"""Step 24, country context: academic freedom, reference flags, critical-technology shares and
the World Bank's governance indicators (WGI), per partner country (``country_context``)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera import Check, Column

from analysis.context.governance import WGI, governance_indicators
from analysis.context.indicators import (
    critical_share,
    read_academic_freedom,
    recent_critical_share,
    reference_flags,
)
from analysis.files.paths import resolve
from analysis.files.tables import read_table, write_table
from analysis.reference.countries import CountryResolver

CONTEXT = pa.DataFrameSchema(
    {
        "iso2": Column(str, Check.str_matches(r"^[A-Z]{2}$"), unique=True),
        "country": Column(str),
        "academic_freedom": Column(float, Check.in_range(0, 1), nullable=True),
        "academic_freedom_year": Column(float, nullable=True),
        "eu_restrictive_measures": Column(bool),
        "eu_member": Column(bool),
        "eea_efta_member": Column(bool),
        "oecd_member": Column(bool),
        "horizon_europe_associated": Column(bool),
        "critical_share": Column(float, Check.in_range(0, 1), nullable=True),
        "critical_share_whole_period": Column(float, Check.in_range(0, 1), nullable=True),
        # World Bank WGI estimates (about -2.5 … 2.5) and their years: context, see
        # config/scoring.yaml for whether any is weighted.
        **{
            column: Column(float, Check.in_range(-3.5, 3.5) if i == 0 else None, nullable=True)
            for name in WGI.values()
            for i, column in enumerate((name, f"{name}_year"))
        },
    },
    strict=True,
    coerce=True,
)


def country_context(
    raw_dir: str,
    processed_dir: str,
    context_dir: str,
    critical_technologies: str,
    country_aliases: str,
) -> pd.DataFrame:
    resolver = CountryResolver(resolve(country_aliases))
    partners = read_table(processed_dir, "cooperation_by_country")[["iso2", "country"]]
    freedom = read_academic_freedom(
        resolve(raw_dir) / "context" / "academic_freedom_index.csv", resolver
    )
    flags = reference_flags(partners["iso2"].tolist(), resolve(context_dir))
    # The scored share covers the latest five years; the whole period's, from the subfield
    # mix, is kept beside it.
    recent = recent_critical_share(read_table(processed_dir, "openalex_critical_by_partner_year"))
    whole = critical_share(
        read_table(processed_dir, "openalex_subfields_by_partner"), resolve(critical_technologies)
    ).rename(columns={"critical_share": "critical_share_whole_period"})
    # An empty table (no partner country: no cooperation source provided) has a float key.
    partners, freedom, flags, recent, whole = (
        frame.astype({"iso2": object}) for frame in (partners, freedom, flags, recent, whole)
    )
    table = (
        partners.merge(freedom, on="iso2", how="left")
        .merge(flags, on="iso2")
        .merge(recent, on="iso2", how="left")
        .merge(whole, on="iso2", how="left")
        .merge(governance_indicators(resolve(raw_dir) / "context", resolver), on="iso2", how="left")
    )
    return write_table(table, processed_dir, "country_context", CONTEXT, csv_copy=True)
