"""The EU financial sanctions file and Canada's Named Research Organizations, in their own
published shapes, read into the screening table and matched against partner institutions."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.reference.countries import CountryResolver
from analysis.screening.match import screen
from analysis.sources.screening_lists import (
    CA_NRO_LIST,
    EU_FSF_LIST,
    ListFormatError,
    list_kind,
    read_ca_nro,
    read_eu_fsf,
    read_lists,
)
from tests.conftest import REPO_ROOT

RESOLVER = CountryResolver(REPO_ROOT / "config" / "country_aliases.yaml")
ALIASES = yaml.safe_load((REPO_ROOT / "config" / "screening.yaml").read_text())["aliases"]
NO_DECISIONS = pd.DataFrame(
    columns=["institution_id", "list", "entity_id", "decision", "reviewer", "note"]
)

# The Financial Sanctions Files CSV 1.1 header: the entity, then one block per kind of detail
# (name alias, address, birth date, identification, citizenship), each block ending with the
# regulation it comes from.
_REGULATION = [
    "Regulation_Type",
    "Regulation_OrganisationType",
    "Regulation_PublicationDate",
    "Regulation_EntryIntoForceDate",
    "Regulation_NumberTitle",
    "Regulation_Programme",
    "Regulation_PublicationUrl",
]
_BLOCKS = {
    "Entity": "LogicalId EU_ReferenceNumber UnitedNationId DesignationDate DesignationDetails "
    "Remark SubjectType SubjectType_ClassificationCode",
    "NameAlias": "LastName FirstName MiddleName WholeName NameLanguage Gender Title Function "
    "LogicalId RegulationLanguage Remark",
    "Address": "City Street PoBox ZipCode Region Place AsAtListingTime ContactInfo "
    "CountryIso2Code CountryDescription LogicalId RegulationLanguage Remark",
    "BirthDate": "BirthDate Day Month Year YearRangeFrom YearRangeTo Circa CalendarType ZipCode "
    "Region Place City CountryIso2Code CountryDescription LogicalId RegulationLanguage Remark",
    "Identification": "Number Diplomatic KnownExpired KnownFalse ReportedLost RevokedByIssuer "
    "IssuedBy IssuedDate ValidFrom ValidTo LatinNumber NameOnDocument TypeCode TypeDescription "
    "Region CountryIso2Code CountryDescription LogicalId RegulationLanguage Remark",
    "Citizenship": "Region CountryIso2Code CountryDescription LogicalId RegulationLanguage Remark",
}
FSF_HEADER = ["fileGenerationDate"]
for _block, _columns in _BLOCKS.items():
    FSF_HEADER += [f"{_block}_{c}" for c in _columns.split()]
    FSF_HEADER += [f"{_block}_{r}" for r in _REGULATION]


def fsf_row(**values: str) -> str:
    """One line of the file: the given columns filled, every other column empty."""
    unknown = set(values) - set(FSF_HEADER)
    assert not unknown, unknown
    common = {"fileGenerationDate": "28/10/2025", "Entity_Regulation_Programme": "RUS"}
    return ";".join({**common, **values}.get(c, "") for c in FSF_HEADER)


def enterprise(logical_id: str, name: str, country: str = "", **more: str) -> str:
    return fsf_row(
        Entity_LogicalId=logical_id,
        Entity_EU_ReferenceNumber=f"EU.{logical_id}.1",
        Entity_SubjectType="E",
        Entity_SubjectType_ClassificationCode="enterprise",
        NameAlias_WholeName=name,
        Address_CountryIso2Code=country,
        **more,
    )


def write_fsf(path: Path, lines: list[str], header: list[str] = FSF_HEADER) -> Path:
    # As published: UTF-8 with a byte-order mark, ";"-separated, CRLF line ends.
    path.write_text("\ufeff" + "\r\n".join([";".join(header), *lines]) + "\r\n", encoding="utf-8")
    return path


def test_fsf_header_has_the_published_118_columns() -> None:
    assert len(FSF_HEADER) == 118 and len(set(FSF_HEADER)) == 118
    assert FSF_HEADER[:3] == ["fileGenerationDate", "Entity_LogicalId", "Entity_EU_ReferenceNumber"]
    assert FSF_HEADER[19] == "NameAlias_WholeName"


def test_fsf_rows_of_one_enterprise_collapse_and_persons_are_skipped(tmp_path: Path) -> None:
    path = write_fsf(
        tmp_path / "20251028-FULL-1_1.csv",
        [
            # Entity 5001: a name row per name, repeated for each address and document.
            enterprise("5001", "Joint Stock Company Alpha Instrument Plant", "RU"),
            enterprise("5001", "Joint Stock Company Alpha Instrument Plant", "BY"),
            enterprise("5001", "Alpha Instrument Plant", "RU", Identification_Number="102770"),
            enterprise("5001", "AO  Alpha Instrument Plant", ""),
            # A person is no partner institution, whatever the rows say.
            fsf_row(
                Entity_LogicalId="5002",
                Entity_SubjectType="P",
                Entity_SubjectType_ClassificationCode="person",
                NameAlias_WholeName="Ivan Example",
                Citizenship_CountryIso2Code="RU",
            ),
            # 00 is the file's code for an unknown country; citizenship is not a country here.
            enterprise("5003", "Beta Optics Laboratory", "00", Citizenship_CountryIso2Code="IR"),
            enterprise("5004", "Gamma Research Centre (GRC)", "ir"),
        ],
    )
    table = read_eu_fsf(path, RESOLVER)
    assert set(table["list"]) == {EU_FSF_LIST}
    assert sorted(set(table["entity_id"])) == ["5001", "5003", "5004"]
    alpha = table[table["entity_id"] == "5001"]
    assert list(zip(alpha["name_kind"], alpha["name"], strict=True)) == [
        ("name", "Joint Stock Company Alpha Instrument Plant"),
        ("alias", "Alpha Instrument Plant"),
        ("alias", "AO Alpha Instrument Plant"),  # spaces as in the name, once
    ]
    assert set(alpha["country"]) == {"RU;BY"}  # every country of its addresses, in order
    assert table.loc[table["entity_id"] == "5003", "country"].isna().all()
    gamma = table[table["entity_id"] == "5004"]
    assert gamma["name_kind"].tolist() == ["name", "acronym"]
    assert set(gamma["country"]) == {"IR"}  # lower-case code, harmonised


def test_fsf_with_only_the_needed_columns_and_the_letter_subject_type(tmp_path: Path) -> None:
    header = ["fileGenerationDate", "Entity_LogicalId", "Entity_SubjectType", "NameAlias_WholeName"]
    path = write_fsf(
        tmp_path / "fsf.csv",
        ["28/10/2025;7;E;Delta Works", "28/10/2025;8;P;Jane Example", "28/10/2025;7;E;Delta Plant"],
        header,
    )
    table = read_eu_fsf(path, RESOLVER)
    assert table[["entity_id", "name", "name_kind"]].values.tolist() == [
        ["7", "Delta Works", "name"],
        ["7", "Delta Plant", "alias"],
    ]
    assert table["country"].isna().all()


def test_fsf_missing_columns_and_unknown_countries_are_named(tmp_path: Path) -> None:
    path = write_fsf(
        tmp_path / "fsf.csv",
        ["28/10/2025;7;Delta"],
        ["fileGenerationDate", "Entity_LogicalId", "Name"],
    )
    with pytest.raises(ListFormatError) as error:
        read_eu_fsf(path, RESOLVER)
    message = str(error.value)
    assert "fsf.csv" in message and "NameAlias_WholeName" in message
    assert "Entity_SubjectType_ClassificationCode or Entity_SubjectType" in message
    bad = write_fsf(tmp_path / "bad.csv", [enterprise("9", "Epsilon", "QQ")])
    with pytest.raises(ListFormatError, match=r"bad.csv: unknown countries \['QQ'\]"):
        read_eu_fsf(bad, RESOLVER)


# Canada's list as the page is published: one item per organisation, the name in bold, the
# country in brackets, aliases in a paragraph (older copies) or a nested list (newer ones).
NRO_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Named Research Organizations</title>
<script>var menu = "<li><strong>Not an entry</strong> (Nowhere)</li>";</script></head>
<body><nav><ul><li><a href="/">Home</a></li><li><strong>Research security</strong></li></ul></nav>
<main><div class="content"><h2>Named Research Organizations</h2>
<p>The list is updated as required (last updated: 2025-01-14).</p>
<ul>
\t<li><strong>A.A. Kharkevich Institute for Information Transmission Problems, IITP, Russian Academy of Sciences</strong> (Russia)</li>
\t<li><strong>Academy of Military Medical Sciences</strong> (People&rsquo;s Republic of China)
\t<p>Known alias(es): AMMS</p>
\t</li>
\t<li><strong>Center for High Pressure Science and Technology Advanced Research</strong> (People’s Republic of China)

\t<p>Known alias(es): HPSTAR; Beijing High Voltage Science Research Center</p>
\t</li>
\t<li><strong>Aerospace Research Institute</strong> (Iran)
\t<ul><li>Known alias(es): ARI</li></ul>
\t</li>
</ul></div></main></body></html>
"""


def test_nro_page_items_give_names_countries_aliases_and_acronyms(tmp_path: Path) -> None:
    path = tmp_path / "named-research-organizations.html"
    path.write_text(NRO_PAGE, encoding="utf-8")
    table = read_ca_nro(path, RESOLVER)
    assert set(table["list"]) == {CA_NRO_LIST}
    names = table[table["name_kind"] == "name"].set_index("entity_id")["country"].to_dict()
    assert names == {
        "A.A. Kharkevich Institute for Information Transmission Problems, IITP, Russian "
        "Academy of Sciences": "RU",
        "Academy of Military Medical Sciences": "CN",
        "Center for High Pressure Science and Technology Advanced Research": "CN",
        "Aerospace Research Institute": "IR",
    }
    others = table[table["name_kind"] != "name"]
    assert list(zip(others["name"], others["name_kind"], strict=True)) == [
        ("AMMS", "acronym"),
        ("Beijing High Voltage Science Research Center", "alias"),
        ("HPSTAR", "acronym"),
        ("ARI", "acronym"),
    ]


def test_nro_saved_as_csv_or_as_a_table_is_read_by_its_headers(tmp_path: Path) -> None:
    saved = tmp_path / "nro.csv"
    saved.write_text(
        "Named research organization,Known alias(es),Country\n"
        '"Airforce Early Warning Academy","Wuhan Radar Academy; PLA AEWA",People’s Republic of China\n'
        "Aerospace Research Institute,ARI,Iran\n",
        encoding="utf-8",
    )
    table = read_ca_nro(saved, RESOLVER)
    assert table[["entity_id", "name", "name_kind", "country"]].values.tolist() == [
        ["Airforce Early Warning Academy", "Airforce Early Warning Academy", "name", "CN"],
        ["Airforce Early Warning Academy", "Wuhan Radar Academy", "alias", "CN"],
        ["Airforce Early Warning Academy", "PLA AEWA", "alias", "CN"],
        ["Aerospace Research Institute", "Aerospace Research Institute", "name", "IR"],
        ["Aerospace Research Institute", "ARI", "acronym", "IR"],
    ]
    page = tmp_path / "nro_table.html"
    page.write_text(
        "<table><thead><tr><th>Name</th><th>Country</th><th>Alias(es)</th></tr></thead>"
        "<tbody><tr><td>Aerospace Research Institute</td><td>Iran</td><td>ARI</td></tr>"
        "</tbody></table>"
    )
    assert read_ca_nro(page, RESOLVER)["name"].tolist() == ["Aerospace Research Institute", "ARI"]


def test_nro_files_without_entries_or_columns_name_what_was_found(tmp_path: Path) -> None:
    saved = tmp_path / "nro.csv"
    saved.write_text("Organisation,Location\nX,Y\n")
    with pytest.raises(ListFormatError) as error:
        read_ca_nro(saved, RESOLVER)
    assert "nro.csv" in str(error.value) and "['country']" in str(error.value)
    assert "['Organisation', 'Location']" in str(error.value)
    page = tmp_path / "nro.html"
    page.write_text("<table><tr><th>Institution</th><th>Place</th></tr></table>")
    with pytest.raises(ListFormatError, match=r"nro.html: .*\[\['Institution', 'Place'\]\]"):
        read_ca_nro(page, RESOLVER)
    unknown = tmp_path / "nro_unknown.csv"
    unknown.write_text("Name,Country\nX Institute,Atlantis\n")
    with pytest.raises(ListFormatError, match=r"unknown countries \['Atlantis'\]"):
        read_ca_nro(unknown, RESOLVER)


def test_lists_in_a_folder_go_to_their_readers_and_match_partners(tmp_path: Path) -> None:
    write_fsf(
        tmp_path / "20251028-FULL-1_1(csv).csv",
        [
            enterprise("5001", "Joint Stock Company Alpha Instrument Plant", "RU"),
            enterprise("5001", "Alpha Instrument Plant", "RU"),
        ],
    )
    (tmp_path / "named-research-organizations.html").write_text(NRO_PAGE, encoding="utf-8")
    (tmp_path / "national.csv").write_text("list,entity_id,name,country\nN,n1,Zeta Institute,CN\n")
    (tmp_path / "decisions.csv").write_text(
        "institution_id,list,entity_id,decision,reviewer,date,note\n"
    )
    kinds = {p.name: list_kind(p) for p in tmp_path.iterdir() if p.name != "decisions.csv"}
    assert kinds == {
        "20251028-FULL-1_1(csv).csv": "eu_fsf",
        "named-research-organizations.html": "ca_nro",
        "national.csv": "generic",
    }
    reference = read_lists(tmp_path, RESOLVER)
    assert set(reference["list"]) == {EU_FSF_LIST, CA_NRO_LIST, "N"}
    partners = pd.DataFrame(
        [
            ("I1", "Alpha Instrument Plant", "RU", None),
            ("I2", "Academy of Military Medical Sciences", "CN", None),
            ("I3", "Aerospace Research Institute (ARI)", "IR", None),
            ("I4", "Academy of Military Science", "CN", None),  # another academy
            ("I5", "Alpha Instrument Plant", "KZ", None),  # same name, another country
        ],
        columns=["institution_id", "name", "iso2", "ror"],
    )
    result = screen(partners, reference, NO_DECISIONS, 90, ALIASES)
    found = {
        (row.institution_id, row.list, row.entity_id): row.method
        for row in result.candidates.itertuples()
    }
    assert found == {
        ("I1", EU_FSF_LIST, "5001"): "name: alias",
        ("I2", CA_NRO_LIST, "Academy of Military Medical Sciences"): "name: name",
        # Name and listed acronym both match at 100; the acronym is the method reported.
        ("I3", CA_NRO_LIST, "Aerospace Research Institute"): "name: acronym",
    }
