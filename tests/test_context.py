"""Country context indicators: the published layouts, reference tables, critical share."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.context.indicators import (
    ContextFormatError,
    critical_share,
    horizon_europe_associated,
    read_academic_freedom,
    reference_flags,
)
from analysis.reference.countries import CountryResolver
from tests.conftest import REPO_ROOT

RESOLVER = CountryResolver(REPO_ROOT / "config" / "country_aliases.yaml")


def test_vdem_country_year_layout_gives_the_latest_value(tmp_path: Path) -> None:
    path = tmp_path / "vdem.csv"
    path.write_text(
        "country_name,country_text_id,year,v2xca_academ\n"
        "Finland,FIN,2022,0.96\nFinland,FIN,2023,0.97\nChina,CHN,2023,0.07\nKosovo,XKX,2023,0.7\n"
    )
    table = read_academic_freedom(path, RESOLVER).set_index("iso2")
    assert table.loc["FI", "academic_freedom"] == 0.97
    assert table.loc["FI", "academic_freedom_year"] == 2023
    assert set(table.index) == {"FI", "CN", "XK"}


def test_our_world_in_data_layout_skips_aggregates(tmp_path: Path) -> None:
    path = tmp_path / "owid.csv"
    path.write_text(
        "Entity,Code,Year,Academic freedom index (central estimate)\n"
        "Sweden,SWE,2023,0.95\nWorld,OWID_WRL,2023,0.5\nEurope,,2023,0.8\n"
    )
    assert read_academic_freedom(path, RESOLVER)["iso2"].tolist() == ["SE"]


def test_unknown_layouts_codes_and_values_are_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("country,value\nFinland,0.9\n")
    with pytest.raises(ContextFormatError, match="neither V-Dem"):
        read_academic_freedom(path, RESOLVER)
    path.write_text("Entity,Code,Year,Academic freedom\nNowhere,ZZZ,2023,0.5\n")
    with pytest.raises(ContextFormatError, match=r"unknown country codes \['ZZZ'\]"):
        read_academic_freedom(path, RESOLVER)
    path.write_text("Entity,Code,Year,Academic freedom\nFinland,FIN,2023,9\n")
    with pytest.raises(ContextFormatError, match="outside 0–1"):
        read_academic_freedom(path, RESOLVER)


def test_reference_tables_flag_measures_and_memberships() -> None:
    flags = reference_flags(["RU", "FI", "NO", "US", "CN"], REPO_ROOT / "config" / "context")
    flags = flags.set_index("iso2")
    assert flags["eu_restrictive_measures"].to_dict() == {
        "RU": True,
        "FI": False,
        "NO": False,
        "US": False,
        "CN": False,
    }
    assert flags.loc["FI", "eu_member"] and flags.loc["NO", "eea_efta_member"]
    assert flags.loc["US", "oecd_member"] and not flags.loc["CN", "oecd_member"]


def test_critical_share_counts_each_subfield_once(tmp_path: Path) -> None:
    mapping = tmp_path / "critical.yaml"
    mapping.write_text(
        "areas:\n  a: {label: {en: A}, subfields: [3104, 2208]}\n"
        "  b: {label: {en: B}, subfields: [3104]}\n"
    )
    subfields = pd.DataFrame(
        {
            "iso2": ["CN", "CN", "CN", "SE"],
            "field_id": [3104, 2208, 2730, 2730],
            "works": [30, 10, 60, 50],
        }
    )
    shares = critical_share(subfields, mapping).set_index("iso2")["critical_share"]
    assert shares.to_dict() == {"CN": 0.4, "SE": 0.0}


def test_recent_critical_share_pools_the_latest_five_years() -> None:
    from analysis.context.indicators import recent_critical_share

    # CN 2018 is outside 2020-2024 and left out: (10 + 30) / (100 + 100) = 0.2.
    # SE has only 2024: 5 / 50 = 0.1, pooled over the years it has.
    by_year = pd.DataFrame(
        {
            "partner_country": ["CN", "CN", "CN", "SE"],
            "year": [2018, 2020, 2024, 2024],
            "critical_copublications": [90, 10, 30, 5],
            "copublications": [100, 100, 100, 50],
        }
    )
    shares = recent_critical_share(by_year).set_index("iso2")["critical_share"]
    assert shares.to_dict() == pytest.approx({"CN": 0.2, "SE": 0.1})
    assert recent_critical_share(by_year.iloc[0:0]).empty


def test_non_iso_territories_and_kosovo_codes_of_the_sources(tmp_path: Path) -> None:
    path = tmp_path / "vdem.csv"
    path.write_text(
        "country_name,country_text_id,year,v2xca_academ\n"
        "Somaliland,SML,2023,0.5\nZanzibar,ZZB,2023,0.4\nKosovo,XKX,2023,0.7\n"
        "Palestine/West Bank,PSE,2023,0.3\n"
    )
    assert sorted(read_academic_freedom(path, RESOLVER)["iso2"]) == ["PS", "XK"]
    owid = tmp_path / "owid.csv"
    owid.write_text("Entity,Code,Year,Academic freedom\nKosovo,OWID_KOS,2023,0.7\n")
    assert read_academic_freedom(owid, RESOLVER)["iso2"].tolist() == ["XK"]


def test_horizon_europe_association_on_the_tables_date_and_on_earlier_dates() -> None:
    context = REPO_ROOT / "config" / "context"
    asked = ["CH", "KR", "GB", "CA", "FI", "CN"]
    flags = reference_flags([*asked, "NO", "XK"], context).set_index("iso2")
    # The table is as of 2025-01-01: Switzerland and Korea associated from that day.
    assert flags["horizon_europe_associated"].to_dict() == {
        "CH": True,
        "KR": True,
        "GB": True,
        "CA": True,
        "FI": False,  # a member state takes part as a member, not as an associated country
        "CN": False,
        "NO": True,
        "XK": True,
    }
    assert flags.loc["FI", "eu_member"] and not flags.loc["NO", "eu_member"]

    def associated_on(day: str) -> list[str]:
        flags = reference_flags(asked, context, on=day)
        return flags.loc[flags["horizon_europe_associated"], "iso2"].tolist()

    assert associated_on("2025-06-30") == ["CH", "KR", "GB", "CA"]
    assert associated_on("2024-12-31") == ["GB", "CA"]  # Canada from 1 July 2024
    assert associated_on("2024-06-30") == ["GB"]  # the United Kingdom from 1 January 2024
    assert associated_on("2023-12-31") == []


def test_horizon_europe_table_says_what_it_cannot_tell_and_what_is_wrong() -> None:
    members = yaml.safe_load((REPO_ROOT / "config" / "context" / "memberships.yaml").read_text())
    # Norway has no recorded date: as of the table it is associated, before that unknown.
    assert horizon_europe_associated(members, "2025-01-01", ["NO", "SE"]) == {"NO"}
    with pytest.raises(ContextFormatError, match=r"\['NO'\] it cannot tell association on 2024"):
        horizon_europe_associated(members, "2024-12-31", ["NO", "CH"])
    unquoted = yaml.safe_load(
        "as_of: '2025-01-01'\neu: {members: [FI]}\n"
        "horizon_europe_associated: {countries: {NO: {}, CH: {since: 2025-01-01}}}\n"
    )
    with pytest.raises(ContextFormatError, match=r"non-codes \[False\]: quote them"):
        horizon_europe_associated(unquoted)
    member = yaml.safe_load(
        "as_of: '2025-01-01'\neu: {members: [FI, SE]}\n"
        "horizon_europe_associated: {countries: {SE: {}, IS: {}}}\n"
    )
    with pytest.raises(ContextFormatError, match=r"\['SE'\] are EU member states"):
        horizon_europe_associated(member)
    # A later table read for an earlier year: a country counts only from its date.
    later = yaml.safe_load(
        "as_of: '2026-03-01'\neu: {members: [FI]}\n"
        "horizon_europe_associated: {countries: {CH: {since: 2025-01-01}, JP: {since: 2026-01-01}}}\n"
    )
    assert horizon_europe_associated(later, "2025-07-01") == {"CH"}
    assert horizon_europe_associated(later) == {"CH", "JP"}
