"""OpenAlex group_by responses: real shape, key normalisation, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.cooperation.copublications import copublications_by_country, finnish_output_by_year
from analysis.reference.countries import CountryResolver
from analysis.sources.openalex import OpenAlexFormatError, normalise_key, read_group_by
from tests.conftest import REPO_ROOT, shared_sample

RESOLVER = CountryResolver(REPO_ROOT / "config" / "country_aliases.yaml")


def test_keys_are_normalised() -> None:
    assert normalise_key("https://openalex.org/countries/FI") == "FI"
    assert normalise_key("https://openalex.org/I27837315") == "I27837315"
    assert normalise_key("FI") == "FI"
    assert normalise_key("2021") == "2021"


def test_real_group_by_response_loads() -> None:
    sample = shared_sample("openalex/openalexPro_works_group_by_type.json")
    groups, meta = read_group_by(sample)
    assert len(groups) == meta["groups_count"] == 18
    assert "article" in set(groups["key"])
    assert groups["count"].dtype == "int64"


def _write(folder: Path, name: str, groups: list[dict]) -> None:
    body = {"meta": {"count": 0, "groups_count": len(groups)}, "group_by": groups}
    (folder / name).write_text(json.dumps(body))


def test_international_share_from_a_hand_made_fixture(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "fi_works_by_year.json",
        [
            {"key": "2023", "key_display_name": "2023", "count": 200},
            {"key": "2024", "key_display_name": "2024", "count": 250},
        ],
    )
    _write(
        tmp_path,
        "fi_international_works_by_year.json",
        [
            {"key": "2024", "key_display_name": "2024", "count": 150},
            {"key": "2023", "key_display_name": "2023", "count": 100},
        ],
    )
    table = finnish_output_by_year(tmp_path)
    assert table["year"].tolist() == [2023, 2024]
    assert table["international_share"].tolist() == [0.5, 0.6]


def test_copublications_drop_the_home_country_with_accounting(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "fi_works_by_country_2024.json",
        [
            {
                "key": "https://openalex.org/countries/FI",
                "key_display_name": "Finland",
                "count": 250,
            },
            {"key": "https://openalex.org/countries/SE", "key_display_name": "Sweden", "count": 40},
            {"key": "https://openalex.org/countries/XK", "key_display_name": "Kosovo", "count": 1},
        ],
    )
    table, accounting, rejects = copublications_by_country(tmp_path, RESOLVER)
    assert table[["iso2", "works"]].values.tolist() == [["SE", 40], ["XK", 1]]
    row = accounting.iloc[0]
    assert (row["rows_read"], row["kept"], row["rejected"]) == (3, 2, 1)
    assert rejects[["source_row", "reason"]].values.tolist() == [
        [1, "Finland itself (the home country is not a partner)"]
    ]


def test_unknown_country_key_and_truncated_file_are_named(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "fi_works_by_country_2024.json",
        [
            {"key": "https://openalex.org/countries/ZZ", "key_display_name": "?", "count": 1},
        ],
    )
    with pytest.raises(
        ValueError, match=r"fi_works_by_country_2024.json: unknown country keys \['ZZ'\]"
    ):
        copublications_by_country(tmp_path, RESOLVER)
    truncated = tmp_path / "cut.json"
    truncated.write_text('{"meta": {"count": 3}, "group_by": [{"key": "FI"')
    with pytest.raises(OpenAlexFormatError, match="cut.json: not valid JSON"):
        read_group_by(truncated)
    wrong = tmp_path / "list.json"
    wrong.write_text('{"meta": {}, "results": []}')
    with pytest.raises(OpenAlexFormatError, match="not a group_by answer"):
        read_group_by(wrong)


def test_partner_institutions_join_details_and_leave_out_the_home_side(tmp_path: Path) -> None:
    from analysis.cooperation.copublications import partner_institutions

    _write(
        tmp_path,
        "fi_partner_institutions.json",
        [
            {"key": "https://openalex.org/I1", "key_display_name": "University A", "count": 900},
            {"key": "https://openalex.org/I2", "key_display_name": "KTH", "count": 80},
            {"key": "https://openalex.org/I3", "key_display_name": "Tiny Lab", "count": 2},
        ],
    )
    (tmp_path / "fi_partner_institutions_details.json").write_text(
        json.dumps(
            {
                "meta": {"count": 2},
                "results": [
                    {
                        "id": "https://openalex.org/I1",
                        "display_name": "University A",
                        "ror": "https://ror.org/0aaaaaa11",
                        "country_code": "FI",
                        "type": "education",
                    },
                    {
                        "id": "https://openalex.org/I2",
                        "display_name": "KTH Royal Institute of Technology",
                        "ror": "https://ror.org/026vcq606",
                        "country_code": "SE",
                        "type": "education",
                    },
                ],
            }
        )
    )
    table, accounting, rejects = partner_institutions(tmp_path, RESOLVER)
    # Without details an institution has no country: missing, like its ROR and type (NaN in
    # pandas 3's string columns, which cannot hold None).
    assert table[["institution_id", "iso2", "works"]].fillna("-").values.tolist() == [
        ["I2", "SE", 80],
        ["I3", "-", 2],
    ]
    assert table.loc[1, ["ror", "type"]].isna().all()
    assert table.loc[0, "name"] == "KTH Royal Institute of Technology"
    assert (accounting["rows_read"], accounting["kept"], accounting["rejected"]) == (3, 2, 1)
    assert rejects["source_row"].tolist() == [1]


def test_field_mix_shares_add_up_per_country(tmp_path: Path) -> None:
    from analysis.cooperation.copublications import fields_by_partner

    _write(
        tmp_path,
        "fi_fields_with_CN.json",
        [
            {
                "key": "https://openalex.org/fields/17",
                "key_display_name": "Computer Science",
                "count": 30,
            },
            {"key": "https://openalex.org/fields/27", "key_display_name": "Medicine", "count": 10},
        ],
    )
    table = fields_by_partner(tmp_path, RESOLVER)
    assert table[["iso2", "field_id", "share"]].values.tolist() == [
        ["CN", 17, 0.75],
        ["CN", 27, 0.25],
    ]
    (tmp_path / "fi_fields_with_XX.json").write_text(
        (tmp_path / "fi_fields_with_CN.json").read_text()
    )
    with pytest.raises(ValueError, match="fi_fields_with_XX.json"):
        fields_by_partner(tmp_path, RESOLVER)


def _by_country(folder: Path, year: int, counts: dict[str, int]) -> None:
    _write(
        folder,
        f"fi_works_by_country_{year}.json",
        [
            {"key": f"https://openalex.org/countries/{code}", "key_display_name": code, "count": n}
            for code, n in counts.items()
        ],
    )


def _by_year(folder: Path, name: str, counts: dict[int, int]) -> None:
    _write(
        folder,
        name,
        [{"key": str(y), "key_display_name": str(y), "count": n} for y, n in counts.items()],
    )


def test_critical_share_by_partner_and_year_with_accounting(tmp_path: Path) -> None:
    from analysis.cooperation.copublications import critical_by_partner_year

    _by_country(tmp_path, 2023, {"FI": 200, "SE": 40, "CN": 10})
    _by_country(tmp_path, 2024, {"FI": 250, "SE": 50, "CN": 20})
    _by_year(tmp_path, "fi_critical_by_year_with_SE.json", {2024: 10, 2023: 8})
    # 2023 is left out (no critical works that year); 2022 has no co-publication count
    _by_year(tmp_path, "fi_critical_by_year_with_CN.json", {2024: 9, 2022: 3})
    copublications, _, _ = copublications_by_country(tmp_path, RESOLVER)
    table, accounting, rejects = critical_by_partner_year(tmp_path, RESOLVER, copublications)
    assert table.values.tolist() == [
        ["CN", 2023, 0, 10, 0.0],
        ["CN", 2024, 9, 20, 0.45],
        ["SE", 2023, 8, 40, 0.2],
        ["SE", 2024, 10, 50, 0.2],
    ]
    assert [(a["source_file"], a["rows_read"], a["kept"], a["rejected"]) for a in accounting] == [
        ("fi_critical_by_year_with_CN.json", 2, 1, 1),
        ("fi_critical_by_year_with_SE.json", 2, 2, 0),
    ]
    assert rejects.values.tolist() == [
        [
            "fi_critical_by_year_with_CN.json",
            2,
            "no co-publication count for the partner in that year",
        ]
    ]


def test_more_critical_works_than_copublications_is_named(tmp_path: Path) -> None:
    from analysis.cooperation.copublications import critical_by_partner_year

    _by_country(tmp_path, 2024, {"FI": 250, "SE": 50})
    _by_year(tmp_path, "fi_critical_by_year_with_SE.json", {2024: 51})
    copublications, _, _ = copublications_by_country(tmp_path, RESOLVER)
    with pytest.raises(ValueError, match=r"with_SE.json: more critical works .* \[2024\]"):
        critical_by_partner_year(tmp_path, RESOLVER, copublications)
    _by_year(tmp_path, "fi_critical_by_year_with_SE.json", {2024: 5})
    _by_year(tmp_path, "fi_critical_by_year_with_ZZ.json", {2024: 5})
    with pytest.raises(ValueError, match="with_ZZ.json: the file name does not name"):
        critical_by_partner_year(tmp_path, RESOLVER, copublications)
