"""Abbreviated names and acronyms reach the review queue; longer, different names still do not."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from analysis.reference.countries import CountryResolver
from analysis.screening.abbreviations import ABBREVIATIONS, EQUIVALENTS
from analysis.screening.match import screen
from analysis.screening.names import acronyms, name_variants, normalise_name
from analysis.sources.screening_lists import CA_NRO_LIST, read_ca_nro, read_generic
from tests.conftest import REPO_ROOT, shared_sample

RESOLVER = CountryResolver(REPO_ROOT / "config" / "country_aliases.yaml")
ALIASES = yaml.safe_load((REPO_ROOT / "config" / "screening.yaml").read_text())["aliases"]
NO_DECISIONS = pd.DataFrame(
    columns=["institution_id", "list", "entity_id", "decision", "reviewer", "note"]
)


def partners(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [(i, n, c, None) for i, n, c in rows], columns=["institution_id", "name", "iso2", "ror"]
    )


def generic_list(tmp_path: Path, *rows: tuple[str, str, str]) -> pd.DataFrame:
    """A list in the generic form, read by its reader (so acronyms beside names are found)."""
    path = tmp_path / "national.csv"
    lines = ["list,entity_id,name,country", *(f'L,{e},"{n}",{c}' for e, n, c in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read_generic(path, RESOLVER)


def candidates(table: pd.DataFrame, reference: pd.DataFrame) -> dict:
    result = screen(table, reference, NO_DECISIONS, 90, ALIASES)
    return {
        (row.institution_id, row.entity_id): (row.method, row.reason)
        for row in result.candidates.itertuples()
    }


def test_the_table_has_the_common_english_finnish_and_swedish_forms() -> None:
    for short, full in {
        "univ": "university",
        "inst": "institute",
        "tech": "technology",
        "sci": "science",
        "acad": "academy",
        "natl": "national",
        "yo": "yliopisto",
        "hogsk": "hogskola",
        "amk": "ammattikorkeakoulu",
    }.items():
        assert full in ABBREVIATIONS[short], short
    assert ABBREVIATIONS["tech"] == ("technology", "technical")
    assert EQUIVALENTS["universitet"] == EQUIVALENTS["yliopisto"] == "university"


def test_abbreviations_are_written_out_only_as_whole_words() -> None:
    assert normalise_name("Univ. of X Sci. & Tech.") == "university x science technology"
    assert normalise_name("Alpha Instrument Plant") == "alpha instrument plant"
    assert normalise_name("Universe Technica") == "universe technica"
    # "Tech." read both ways; the usual reading first, each with what was written out.
    assert name_variants("Harbin Inst. of Tech.") == [
        ("harbin institute technology", ("inst. → institute", "tech. → technology")),
        ("harbin institute technical", ("inst. → institute", "tech. → technical")),
    ]
    assert name_variants("Harbin Institute of Technology") == [("harbin institute technology", ())]


def test_abbreviated_partner_names_become_candidates_with_the_reason(tmp_path: Path) -> None:
    reference = generic_list(
        tmp_path,
        ("e1", "University of Electronic Science and Technology of China", "CN"),
        ("e2", "Harbin Institute of Technology", "CN"),
        ("e3", "National University of Defense Technology (NUDT)", "CN"),
    )
    table = partners(
        ("I1", "Univ. of Electronic Sci. & Tech. of China", "CN"),
        ("I2", "Harbin Inst. of Tech.", "CN"),
        ("I3", "Natl. Univ. of Defense Technology", "CN"),
    )
    found = candidates(table, reference)
    assert found == {
        ("I1", "e1"): (
            "name: name",
            "partner's abbreviations written out: univ. → university, sci. → science, "
            "tech. → technology",
        ),
        ("I2", "e2"): (
            "name: name",
            "partner's abbreviations written out: inst. → institute, tech. → technology",
        ),
        ("I3", "e3"): (
            "name: name",
            "partner's abbreviations written out: natl. → national, univ. → university",
        ),
    }


def test_abbreviated_listed_names_are_written_out_too(tmp_path: Path) -> None:
    reference = generic_list(tmp_path, ("e1", "HARBIN INST. OF TECH.", "CN"))
    found = candidates(partners(("I1", "Harbin Institute of Technology", "CN")), reference)
    assert found == {
        ("I1", "e1"): (
            "name: name",
            "listed abbreviations written out: inst. → institute, tech. → technology",
        )
    }


def test_candidates_from_abbreviations_wait_for_a_person(tmp_path: Path) -> None:
    reference = generic_list(tmp_path, ("e1", "National University of Defense Technology", "CN"))
    result = screen(
        partners(("I1", "Natl. Univ. of Defense Tech.", "CN")), reference, NO_DECISIONS, 90
    )
    assert result.confirmed.empty
    assert result.queue[["institution_id", "entity_id", "decision"]].values.tolist() == [
        ["I1", "e1", "pending"]
    ]
    assert "natl. → national" in result.queue.loc[0, "reason"]
    assert result.by_country.to_dict("records") == [
        {"iso2": "CN", "institutions_confirmed": 0, "institutions_pending": 1}
    ]


def test_an_acronym_beside_a_listed_name_is_an_alias(tmp_path: Path) -> None:
    assert acronyms("National University of Defense Technology (NUDT)") == ["NUDT"]
    assert acronyms("NUDT - National University of Defense Technology") == ["NUDT"]
    assert acronyms("National University of Defense Technology – NUDT") == ["NUDT"]
    assert acronyms("HARBIN INSTITUTE OF TECHNOLOGY - HIT") == ["HIT"]
    # In capitals any word looks like an acronym: one that does not fit the initials is a
    # place or a part of the name; and country codes are places.
    assert acronyms("CHINA TELECOM - BEIJING") == []
    assert acronyms("Daystar Electric (HK) Ltd.") == []
    assert normalise_name("NUDT - National University of Defense Technology") == (
        "national university defense technology"
    )
    reference = generic_list(
        tmp_path,
        ("e1", "National University of Defense Technology (NUDT)", "CN"),
        ("e2", "Beihang Institute – BHI", "CN"),
    )
    assert set(reference.loc[reference["name_kind"] == "acronym", "name"]) == {"NUDT", "BHI"}
    found = candidates(
        partners(
            ("I1", "NUDT", "CN"),
            ("I2", "Natl. Univ. of Defense Technology", "CN"),
            ("I3", "Some Other Name (BHI)", "CN"),
        ),
        reference,
    )
    assert found[("I1", "e1")] == ("name: acronym", "acronym NUDT, written alone")
    assert found[("I2", "e1")][0] == "name: name"
    assert found[("I3", "e2")] == ("name: acronym", "acronym BHI, beside the name")
    assert set(found) == {("I1", "e1"), ("I2", "e1"), ("I3", "e2")}


def test_a_listed_name_inside_a_longer_different_name_is_still_not_a_match(
    tmp_path: Path,
) -> None:
    reference = generic_list(
        tmp_path,
        ("e1", "Peking University", "CN"),
        ("e2", "Nanjing University of Aeronautics and Astronautics", "CN"),
        ("e3", "Harbin Institute of Technology", "CN"),
    )
    found = candidates(
        partners(
            ("I1", "Peking University Hospital", "CN"),
            ("I2", "Peking Univ. Hosp.", "CN"),
            ("I3", "Nanjing Univ.", "CN"),
            ("I4", "Harbin Inst. of Tech. Weihai Campus", "CN"),
            ("I5", "Harbin Univ. of Sci. & Tech.", "CN"),
        ),
        reference,
    )
    assert found == {}


def test_short_acronyms_do_not_match_on_their_own_or_inside_words(tmp_path: Path) -> None:
    reference = generic_list(
        tmp_path,
        ("e1", "Xian Unity (XU)", "CN"),
        ("e2", "Harbin Institute of Technology (HIT)", "CN"),
    )
    assert "XU" in set(reference["name"])  # listed, but two letters point at no one
    found = candidates(
        partners(
            ("I1", "XU", "CN"),
            ("I2", "Xuzhou Medical University", "CN"),
            ("I3", "Alexu Institute (XU)", "CN"),
            ("I4", "Hitachi Research Laboratory", "CN"),
            ("I5", "HIT Research Park", "CN"),
            ("I6", "hit", "CN"),  # a word, not an acronym
        ),
        reference,
    )
    assert found == {}


def test_finnish_and_swedish_abbreviations(tmp_path: Path) -> None:
    reference = generic_list(
        tmp_path,
        ("e1", "Helsingin yliopisto", "FI"),
        ("e2", "Kungliga Tekniska högskolan", "SE"),
        ("e3", "Metropolia Ammattikorkeakoulu", "FI"),
        ("e4", "Göteborgs universitet", "SE"),
    )
    found = candidates(
        partners(
            ("I1", "Helsingin yo", "FI"),
            ("I2", "Kungl. Tekn. högsk.", "SE"),
            ("I3", "Metropolia AMK", "FI"),
            ("I4", "Göteborgs univ.", "SE"),
        ),
        reference,
    )
    assert set(found) == {("I1", "e1"), ("I2", "e2"), ("I3", "e3"), ("I4", "e4")}
    assert found[("I1", "e1")][1] == "partner's abbreviations written out: yo. → yliopisto"
    assert "hogsk. → hogskola" in found[("I2", "e2")][1]


def test_real_named_research_organizations_list_with_abbreviated_partners() -> None:
    reference = read_ca_nro(
        shared_sample("sanctions/canada_named_research_organizations_2024-04-18.html"), RESOLVER
    )
    found = candidates(
        partners(
            ("I1", "NUDT", "CN"),
            ("I2", "Natl. Univ. of Defense Tech.", "CN"),
            ("I3", "Harbin Inst. of Tech.", "CN"),
            ("I4", "Nanjing Univ. of Aeronaut. & Astronaut.", "CN"),
            ("I5", "Nanjing University", "CN"),  # not listed; a longer name of it is
            ("I6", "Harbin Institute of Technology Hospital", "CN"),
        ),
        reference,
    )
    assert {(i, e) for i, e in found} == {
        ("I1", "National University of Defense Technology"),
        ("I2", "National University of Defense Technology"),
        ("I3", "Harbin Institute of Technology"),
        ("I4", "Nanjing University of Aeronautics and Astronautics"),
    }
    assert set(reference["list"]) == {CA_NRO_LIST}
