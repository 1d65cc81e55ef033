"""Step 24, country context: academic freedom, reference flags, critical-technology shares and
the World Bank's governance indicators (WGI), per partner country (``country_context``)."""

from __future__ import annotations

import pandas as pd
from pandera import Check

from analysis.context.governance import WGI, governance_indicators
from analysis.context.indicators import (
    critical_share,
    read_academic_freedom,
    recent_critical_share,
    reference_flags,
)
from analysis.files.paths import resolve
from analysis.files.schemas import PUBLISHABLE, col, flag, iso2, share, table, text
from analysis.files.tables import read_table, write_table
from analysis.reference.countries import CountryResolver

CONTEXT = table(
    "country_context",
    "Per partner country: the Academic Freedom Index, reference flags (EU sanctions, EU, "
    "EEA/EFTA, OECD, Horizon Europe association), the critical-technology share of "
    "co-publications and the World Bank governance indicators, each with its year.",
    PUBLISHABLE,
    {
        "iso2": iso2("partner country, ISO 3166-1 alpha-2 code", unique=True),
        "country": text("the country's English short name (other languages: catalog.load)"),
        "academic_freedom": share("Academic Freedom Index (V-Dem), latest value"),
        "academic_freedom_year": col(float, "year of academic_freedom", nullable=True),
        "eu_restrictive_measures": flag("under EU restrictive measures (config/context)"),
        "eu_member": flag("EU member state"),
        "eea_efta_member": flag("EEA or EFTA member"),
        "oecd_member": flag("OECD member"),
        "horizon_europe_associated": flag("associated to Horizon Europe"),
        "critical_share": share(
            "critical-technology co-publications / all, latest five years (scored)"
        ),
        "critical_share_whole_period": share(
            "critical-technology share of co-publications over the whole period (subfield mix)"
        ),
        # World Bank WGI estimates (about -2.5 … 2.5) and their years: context, see
        # config/scoring.yaml for whether any is weighted.
        **{
            column: col(
                float,
                f"World Bank WGI {name.replace('_', ' ')} estimate (about -2.5 … 2.5, "
                "higher = better)"
                if i == 0
                else f"year of {name}",
                *([Check.in_range(-3.5, 3.5)] if i == 0 else []),
                nullable=True,
            )
            for name in WGI.values()
            for i, column in enumerate((name, f"{name}_year"))
        },
    },
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
