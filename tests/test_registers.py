"""Agreement registers and mobility statistics: mappings, strict countries, accounting."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis.cooperation.registers import RegisterError, read_agreements, read_mobility
from analysis.reference.countries import CountryResolver, UnmappedCountryError
from tests.conftest import REPO_ROOT

RESOLVER = CountryResolver(REPO_ROOT / "config" / "country_aliases.yaml")
MAPPING = {
    "register": "register.csv",
    "organisation_key": "UAS-07",
    "columns": {
        "partner": "Kumppani",
        "country": "Maa",
        "agreement_type": "Tyyppi",
        "start": "Alkaa",
        "end": "Päättyy",
        "field": "Ala",
        "status": "Tila",
    },
    "date_format": "%d.%m.%Y",
    "values": {"agreement_type": {"Vaihto": "student_exchange"}, "status": {"Voimassa": "active"}},
}


def write_register(folder: Path, rows: list[str]) -> Path:
    (folder / "register.csv").write_text(
        "Kumppani;Maa;Tyyppi;Alkaa;Päättyy;Ala;Tila\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    path = folder / "register.mapping.yaml"
    path.write_text(yaml.safe_dump(MAPPING, allow_unicode=True), encoding="utf-8")
    return path


def test_register_rows_are_kept_or_rejected_with_a_reason(tmp_path: Path) -> None:
    mapping = write_register(
        tmp_path,
        [
            "Uni X;Kiina;Vaihto;1.1.2020;31.12.2024;Tekniikka;Voimassa",
            "Uni Y;Iso-Britannia;research;1.1.2021;;Kaikki;active",
            "Uni Z;Ruotsi;Outo;1.1.2021;;Kaikki;Voimassa",
            "Uni W;Saksa;Vaihto;joskus;;Kaikki;Voimassa",
        ],
    )
    agreements, rejects = read_agreements(mapping, RESOLVER)
    assert agreements[["iso2", "agreement_type", "status"]].values.tolist() == [
        ["CN", "student_exchange", "active"],
        ["GB", "research", "active"],
    ]
    assert rejects[["source_row", "reason"]].values.tolist() == [
        [4, "unknown agreement type 'Outo'"],
        [5, "start date missing or unreadable 'joskus'"],
    ]


def test_unknown_country_stops_with_file_column_and_value(tmp_path: Path) -> None:
    mapping = write_register(tmp_path, ["Uni X;Narnia;Vaihto;1.1.2020;;T;Voimassa"])
    with pytest.raises(
        UnmappedCountryError, match=r"'Narnia' \(1 times\) in register.csv, column Maa"
    ):
        read_agreements(mapping, RESOLVER)


def test_renamed_columns_are_named(tmp_path: Path) -> None:
    mapping = write_register(tmp_path, ["Uni X;Kiina;Vaihto;1.1.2020;;T;Voimassa"])
    text = (tmp_path / "register.csv").read_text(encoding="utf-8").replace("Maa;", "Country;", 1)
    (tmp_path / "register.csv").write_text(text, encoding="utf-8")
    with pytest.raises(RegisterError, match=r"register.csv: missing columns \['Maa'\]"):
        read_agreements(mapping, RESOLVER)


def test_mobility_statistics(tmp_path: Path) -> None:
    path = tmp_path / "mobility.csv"
    path.write_text(
        "Tilastovuosi;Sektori;Liikkuvuuden suunta;Maa;Liikkujien lukumäärä\n"
        "2023;Yliopisto;Lähtevä;Ruotsi;120\n2023;Ammattikorkeakoulu;Saapuva;Kiina;1 045\n"
        "2023;Yliopisto;Saapuva;Viro;..\n",
        encoding="utf-8-sig",
    )
    mobility, rejects = read_mobility(path, RESOLVER)
    assert mobility.values.tolist() == [
        [2023, "university", "outgoing", "SE", 120],
        [2023, "uas", "incoming", "CN", 1045],
    ]
    assert rejects["reason"].tolist() == ["count missing or not a number '..'"]


def test_register_mappings_refuse_unknown_keys_and_outside_paths(tmp_path: Path) -> None:
    from analysis.cooperation.registers import RegisterError, load_register_mapping, register_path

    path = tmp_path / "r.mapping.yaml"
    path.write_text("register: ../r.csv\norganisation_key: X\ncolums: {}\n", encoding="utf-8")
    with pytest.raises(RegisterError) as error:
        load_register_mapping(path)
    assert "colums: unknown key (did you mean 'columns'?)" in str(error.value)
    assert "columns: required key missing" in str(error.value)
    with pytest.raises(RegisterError, match="points outside"):
        register_path(path, {"register": "../r.csv"})
