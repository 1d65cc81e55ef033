"""Response rates from a tiny population file, worked out by hand; the demo's population."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.demo.entities import ORGANISATIONS
from analysis.survey.coverage import load_population, response_rates

REPO_ROOT = Path(__file__).resolve().parents[1]

# Five organisations invited: U1, U2, U3 (universities), A1, A2 (UAS). Four responses were
# accepted: two from U1, one from U2, one from A1.
POPULATION = "organisation_key,org_type\n# a comment line\nU1,university\nU2,university\nU3,university\nA1,uas\nA2, uas\n"
RESPONDENTS = pd.DataFrame({"organisation_key": ["U1", "U1", "U2", "A1"]})


def _population(tmp_path: Path, text: str = POPULATION) -> pd.DataFrame:
    path = tmp_path / "population.csv"
    path.write_text(text, encoding="utf-8")
    return load_population(path, ["university", "uas", "research_institute", "other"])


def test_response_rates_by_sector(tmp_path: Path) -> None:
    table = response_rates(_population(tmp_path), RESPONDENTS, min_cell=1).set_index("org_type")
    university = table.loc["university"]
    assert (university["invited"], university["responded"], university["not_responded"]) == (
        3,
        2,
        1,
    )
    assert university["response_rate"] == pytest.approx(2 / 3)
    assert university["responses"] == 3
    uas = table.loc["uas"]
    assert (uas["invited"], uas["responded"], uas["response_rate"]) == (2, 1, 0.5)
    everyone = table.loc["all"]
    assert (everyone["invited"], everyone["responded"], everyone["responses"]) == (5, 3, 4)
    assert everyone["response_rate"] == pytest.approx(0.6)
    # Every organisation was invited: the response rate is a count, with no sampling interval.
    assert not {"ci_low", "ci_high"} & set(table.columns)


def test_small_sectors_are_withheld_with_their_complement(tmp_path: Path) -> None:
    table = response_rates(_population(tmp_path), RESPONDENTS, min_cell=3).set_index("org_type")
    # UAS (2 invited) is withheld; the university row would give it away from the total.
    assert table.loc["uas", "suppressed"] == "primary"
    assert table.loc["university", "suppressed"] == "secondary"
    assert table.loc["all", "response_rate"] == pytest.approx(0.6)


def test_an_organisation_outside_the_population_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not in the population file: \\['X9'\\]"):
        response_rates(_population(tmp_path), pd.DataFrame({"organisation_key": ["X9"]}), 1)


def test_population_file_is_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="listed twice"):
        _population(tmp_path, "organisation_key,org_type\nU1,uas\nU1,uas\n")
    with pytest.raises(ValueError, match="unknown org_type"):
        _population(tmp_path, "organisation_key,org_type\nU1,college\n")
    with pytest.raises(FileNotFoundError):
        load_population(tmp_path / "none.csv")


def test_the_demo_population_lists_every_demo_organisation_in_its_sector() -> None:
    population = load_population(REPO_ROOT / "config" / "population" / "demo.csv")
    sectors = dict(zip(population["organisation_key"], population["org_type"], strict=True))
    for organisation in ORGANISATIONS:
        assert sectors.get(organisation.key) == organisation.org_type, organisation.key
    # Some invited organisations did not answer, in more than one sector.
    silent = population[~population["organisation_key"].isin([o.key for o in ORGANISATIONS])]
    assert silent["org_type"].nunique() >= 2


def test_the_report_writes_the_response_rate_without_an_interval() -> None:
    from analysis.i18n import catalogue

    texts = catalogue()
    for key in ("coverage.summary", "coverage.rate", "coverage.rate_cell"):
        for lang, text in texts[key].items():
            assert "{low}" not in text and "{high}" not in text, (key, lang)
            assert "95" not in text, (key, lang)
    assert "vastausaste" in texts["coverage.summary"]["fi"]
    assert "no sampling interval" in texts["coverage.table_caption"]["en"]
