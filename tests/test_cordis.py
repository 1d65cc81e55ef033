"""CORDIS exports: the real samples' quirks, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.cooperation.cordis import cordis_projects
from analysis.reference.countries import CountryResolver, UnmappedCountryError
from analysis.sources.cordis import (
    CordisFormatError,
    parse_amount,
    read_cordis,
    repair_project_record,
    require_columns,
)
from tests.conftest import REPO_ROOT, shared_sample

RESOLVER = CountryResolver(REPO_ROOT / "config" / "country_aliases.yaml")


def test_real_horizon_europe_projects_with_stray_quotes() -> None:
    table = read_cordis(shared_sample("cordis/horizon_europe_project_subset.csv"))
    assert len(table.frame) == 4 and len(table.rejects) == 0
    assert table.repaired == 2  # the two records a naive parser reads as 22 and 23 fields
    assert table.frame["id"].tolist() == ["101165535", "101177315", "101178843", "101178477"]
    assert table.frame["grantDoi"].tolist() == [f"10.3030/{i}" for i in table.frame["id"]]
    assert table.frame["contentUpdateDate"].str.match(r"^\d{4}-\d{2}-\d{2} ").all()
    assert '"play around"' in table.frame.loc[0, "objective"]
    assert parse_amount(table.frame["totalCost"]).tolist()[1] == 2494217.5  # decimal comma


def test_real_fp3_organisations_tab_separated_with_line_breaks_in_fields() -> None:
    table = read_cordis(shared_sample("cordis/organizations-fp3-1990-1994_excerpt.csv"))
    assert table.delimiter == "\t"
    assert len(table.frame) == 300 and len(table.rejects) == 0
    assert table.frame["source_row"].max() <= 304
    codes = set(table.frame["country"])
    assert {"UK", "EL"} <= codes
    assert {RESOLVER.from_cordis(c) for c in ("UK", "EL")} == {"GB", "GR"}
    assert all(RESOLVER.from_cordis(c) for c in codes if c.strip())


def test_repair_takes_trailing_fields_from_the_end() -> None:
    header = ["id", "title", "objective", "contentUpdateDate", "rcn", "grantDoi"]
    raw = '7;"A; title";"He said "hi; there" twice";2024-01-01 10:00:00;12;10.3030/7\n'
    assert repair_project_record(raw, header, ";") == [
        "7",
        "A; title",
        'He said "hi; there" twice',
        "2024-01-01 10:00:00",
        "12",
        "10.3030/7",
    ]


def test_unreadable_records_are_rejected_with_their_row(tmp_path: Path) -> None:
    path = tmp_path / "organization.csv"
    path.write_text("projectID;name;country\n1;A;FI\n2;B;SE;extra\n3;C;DE\n", encoding="utf-8")
    table = read_cordis(path)
    assert table.frame["projectID"].tolist() == ["1", "3"]
    assert table.rejects.values.tolist() == [[3, "4 fields where the header has 3"]]


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = tmp_path / "project.csv"
    path.write_text("id;acronym;title\n1;X;T\n", encoding="utf-8")
    with pytest.raises(CordisFormatError, match=r"missing columns \['status'"):
        require_columns(read_cordis(path), ["status", "startDate"])


def test_unknown_country_code_names_file_and_column(tmp_path: Path) -> None:
    (tmp_path / "project.csv").write_text(
        "id;acronym;status;startDate;endDate;ecMaxContribution;frameworkProgramme;topics\n"
        "1;A;SIGNED;2023-01-01;2026-12-31;100;HORIZON;T\n",
        encoding="utf-8",
    )
    (tmp_path / "organization.csv").write_text(
        "projectID;name;country;role;ecContribution\n1;U;FI;coordinator;50\n1;V;ZZ;participant;50\n",
        encoding="utf-8",
    )
    with pytest.raises(
        UnmappedCountryError, match=r"'ZZ' \(1 times\) in organization.csv, column country"
    ):
        cordis_projects(tmp_path, RESOLVER)


def test_demo_projects_partner_countries_and_accounting() -> None:
    result = cordis_projects(REPO_ROOT / "data" / "raw" / "demo" / "cordis", RESOLVER)
    assert result.projects["has_finnish_participant"].all()
    assert "FI" not in set(result.partner_countries["iso2"])
    assert {"GB", "GR"} & set(result.partner_countries["iso2"])  # from CORDIS' UK and EL
    accounting = result.accounting.set_index("source_file")
    assert (accounting["rows_read"] == accounting["kept"] + accounting["rejected"]).all()
