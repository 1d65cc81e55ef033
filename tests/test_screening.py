"""Partner screening on hand-made lists, and the real Consolidated Screening List files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.reference.countries import CountryResolver
from analysis.screening.match import read_decisions, screen
from analysis.screening.names import normalise_name
from analysis.sources.screening_lists import ListFormatError, read_generic, read_us_csl
from tests.conftest import REPO_ROOT, shared_sample

RESOLVER = CountryResolver(REPO_ROOT / "config" / "country_aliases.yaml")
ALIASES = yaml.safe_load((REPO_ROOT / "config" / "screening.yaml").read_text())["aliases"]
NO_DECISIONS = pd.DataFrame(
    columns=["institution_id", "list", "entity_id", "decision", "reviewer", "note"]
)


def partners(*rows: tuple[str, str, str, str | None]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["institution_id", "name", "iso2", "ror"])


def listed(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["entity_id", "name", "name_kind", "country"])
    return frame.assign(list="L", ror=None, openalex_id=None)


def matches(partner_table, reference, decisions=NO_DECISIONS, threshold=90):
    result = screen(partner_table, reference, decisions, threshold, ALIASES)
    return {
        (row.institution_id, row.entity_id): row.method for row in result.candidates.itertuples()
    }


def test_exact_abbreviated_and_acronym_names_are_candidates() -> None:
    found = matches(
        partners(("I1", "Harbin Institute of Technology (HIT)", "CN", None)),
        listed(("e1", "HARBIN INST. OF TECH.", "name", "CN"), ("e2", "HIT", "acronym", "CN")),
    )
    assert found == {("I1", "e1"): "name: name", ("I1", "e2"): "name: acronym"}


def test_a_name_inside_a_longer_different_name_is_not_a_match() -> None:
    found = matches(
        partners(("I1", "University of X", "CN", None), ("I2", "X University", "CN", None)),
        listed(
            ("e1", "University of X of Technology", "name", "CN"),
            ("e2", "X University of Aeronautics", "name", "CN"),
        ),
    )
    assert found == {}


def test_aliases_and_transliterations_from_the_alias_table() -> None:
    found = matches(
        partners(
            ("I1", "Beihang University", "CN", None),
            ("I2", "Lomonosov Moscow State University", "RU", None),
        ),
        listed(
            ("e1", "Beijing University of Aeronautics and Astronautics", "name", "CN"),
            ("e2", "Московский государственный университет", "name", "RU"),
        ),
    )
    # Beihang under its former name; Moscow State University written in Cyrillic, which
    # transliterates to a name in its alias group.
    assert set(found) == {("I1", "e1"), ("I2", "e2")}
    assert normalise_name("Московский государственный университет") == (
        "moskovskiy gosudarstvennyy university"
    )


def test_near_misses_pass_the_threshold_and_unrelated_or_other_numbers_do_not() -> None:
    found = matches(
        partners(
            ("I1", "Tsinghua University", "CN", None),
            ("I2", "Institute No. 201", "RU", None),
            ("I3", "Fudan University", "CN", None),
        ),
        listed(
            ("e1", "Tsinghua Universty", "name", "CN"),
            ("e2", "Institute No. 202", "name", "RU"),
            ("e3", "Peking University", "name", "CN"),
        ),
    )
    assert found == {("I1", "e1"): "name: name"}


def test_identifiers_match_first_and_countries_must_agree() -> None:
    reference = listed(
        ("e1", "Some Other Name", "name", "CN"), ("e2", "Tsinghua University", "name", "US")
    )
    reference.loc[0, "ror"] = "https://ror.org/03cve4549"
    found = matches(
        partners(("I1", "Tsinghua University", "CN", "https://ror.org/03cve4549")), reference
    )
    assert found == {("I1", "e1"): "identifier (ROR id)"}


def test_decisions_confirm_or_suppress_candidates_on_the_next_run(tmp_path: Path) -> None:
    table = partners(
        ("I1", "Tsinghua University", "CN", None), ("I2", "Fudan University", "CN", None)
    )
    reference = listed(
        ("e1", "Tsinghua Universty", "name", "CN"), ("e2", "Fudan Univ.", "name", "CN")
    )
    first = screen(table, reference, NO_DECISIONS, 90, ALIASES)
    assert len(first.queue) == 2 and len(first.confirmed) == 0
    path = tmp_path / "decisions.csv"
    path.write_text(
        "institution_id,list,entity_id,decision,reviewer,date,note\n"
        "I1,L,e1,Rejected,A,2024-10-01,other organisation\nI2,L,e2,confirmed,A,2024-10-01,\n"
    )
    second = screen(table, reference, read_decisions(path), 90, ALIASES)
    assert second.queue.empty
    assert second.confirmed["institution_id"].tolist() == ["I2"]
    assert second.by_country.to_dict("records") == [
        {"iso2": "CN", "institutions_confirmed": 1, "institutions_pending": 0}
    ]


def test_unknown_decision_words_name_the_row(tmp_path: Path) -> None:
    path = tmp_path / "decisions.csv"
    path.write_text(
        "institution_id,list,entity_id,decision,reviewer,date,note\nI1,L,e1,maybe,A,,\n"
    )
    with pytest.raises(ValueError, match=r"rows \[2\]"):
        read_decisions(path)


def test_real_consolidated_screening_list_both_layouts() -> None:
    recent = read_us_csl(shared_sample("sanctions/us_csl_consolidated_excerpt_2025.csv"), RESOLVER)
    older = read_us_csl(shared_sample("sanctions/us_csl_excerpt_2023.csv"), RESOLVER)
    assert recent["entity_id"].str.len().gt(0).all()
    assert "name" not in set(older["name"]), "the repeated header line is not an entity"
    assert older.loc[older["name_kind"] == "name", "entity_id"].nunique() == 299
    telecom = older[older["entity_id"] == "30882"]
    assert {"China Telecom Corporation Limited", "CHINA TELECOM"} <= set(telecom["name"])
    assert set(telecom["country"]) == {"CN"}


def test_generic_list_needs_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("name,country\nX,CN\n")
    with pytest.raises(ListFormatError, match=r"missing columns \['entity_id', 'list'\]"):
        read_generic(path, RESOLVER)


def test_long_names_differing_in_one_word_are_not_candidates() -> None:
    found = matches(
        partners(
            ("I1", "East China University of Science and Technology", "CN", None),
            ("I2", "Nanjing University of Aeronautics and Astronautics", "CN", None),
            ("I3", "China University of Geosciences (Beijing)", "CN", None),
        ),
        listed(
            ("e1", "University of Science and Technology of China", "name", "CN"),
            ("e2", "Beijing University of Aeronautics and Astronautics", "name", "CN"),
            ("e3", "Beijing", "acronym", "CN"),
        ),
    )
    assert found == {}


def test_identifiers_in_any_published_form_and_several_listed_countries() -> None:
    reference = listed(("e1", "Some Other Name", "name", "CN;HK"), ("e2", "X", "name", "US"))
    reference.loc[0, "ror"] = "03cve4549"  # bare
    reference.loc[1, "openalex_id"] = "https://openalex.org/I99"
    found = matches(
        partners(
            ("I1", "Tsinghua University", "HK", "https://ror.org/03cve4549"),
            ("I99", "Y", "US", None),
        ),
        reference,
    )
    assert found == {("I1", "e1"): "identifier (ROR id)", ("I99", "e2"): "identifier (OpenAlex id)"}


def test_lists_without_ids_and_with_country_names(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "list,entity_id,name,country\nL,,Alpha Institute,Kiina\nL,,Beta Institute,China\n"
    )
    table = read_generic(path, RESOLVER)
    assert table["entity_id"].tolist() == ["list.csv row 2", "list.csv row 3"]
    assert table["country"].tolist() == ["CN", "CN"]
    empty = tmp_path / "decisions.csv"
    empty.write_text("")
    assert read_decisions(empty).empty
