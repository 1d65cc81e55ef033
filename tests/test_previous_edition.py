"""Change since a previous edition: survey differences with their intervals, class moves only
between settled classes; hand-made editions, expected values worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.report.previous_edition import (
    CHANGE,
    NO_CLEAR_CHANGE,
    NO_INTERVAL,
    compare_editions,
    difference_interval,
)
from analysis.survey.analyse import ALL


def _agreement(rows: list[tuple[str, float, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "block": "threats",
            "item_id": [r[0] for r in rows],
            "org_type": ALL,
            "share_agree": [r[1] for r in rows],
            "ci_low": [r[2] for r in rows],
            "ci_high": [r[3] for r in rows],
            "suppressed": "",
        }
    )


def _edition(folder: Path, **tables: pd.DataFrame) -> Path:
    folder.mkdir()
    for name, table in tables.items():
        table.to_parquet(folder / f"{name}.parquet")
    return folder


def test_the_difference_interval_combines_each_editions_own_interval() -> None:
    # 0.60 (0.54-0.66) now, 0.56 (0.50-0.62) before: 0.04 -+ sqrt(0.06² + 0.06²) = 0.0849.
    low, high = difference_interval(0.60, 0.54, 0.66, 0.56, 0.50, 0.62)
    assert low == pytest.approx(0.04 - 0.084853, abs=1e-6)
    assert high == pytest.approx(0.04 + 0.084853, abs=1e-6)
    # Asymmetric intervals: the lower bound uses now's lower and before's upper distance.
    low, high = difference_interval(0.10, 0.06, 0.16, 0.20, 0.15, 0.26)
    assert low == pytest.approx(-0.10 - (0.04**2 + 0.06**2) ** 0.5)
    assert high == pytest.approx(-0.10 + (0.06**2 + 0.05**2) ** 0.5)


def test_a_shift_whose_interval_includes_zero_is_no_clear_change(tmp_path: Path) -> None:
    now = _agreement([("small", 0.60, 0.54, 0.66), ("large", 0.70, 0.65, 0.75)])
    before = _agreement([("small", 0.56, 0.50, 0.62), ("large", 0.50, 0.44, 0.56)])
    changes = compare_editions(
        _edition(tmp_path / "now", survey_agreement=now),
        _edition(tmp_path / "before", survey_agreement=before),
    )
    survey = changes.survey.set_index("item_id")
    assert list(survey.index) == ["large", "small"]  # largest difference first
    assert survey.loc["small", "change_points"] == pytest.approx(4.0)
    assert survey.loc["small", "change_low"] == pytest.approx(-4.4853, abs=1e-4)
    assert survey.loc["small", "change_high"] == pytest.approx(12.4853, abs=1e-4)
    assert survey.loc["small", "reading"] == NO_CLEAR_CHANGE
    # 0.20 - sqrt(0.05² + 0.06²) = 0.1219 > 0: a change.
    assert survey.loc["large", "change_low"] == pytest.approx(12.19, abs=0.01)
    assert survey.loc["large", "reading"] == CHANGE


def test_an_older_edition_without_intervals_uses_its_counts_or_is_not_judged(
    tmp_path: Path,
) -> None:
    now = _agreement([("counted", 0.70, 0.65, 0.75), ("bare", 0.70, 0.65, 0.75)])
    before = pd.DataFrame(
        {
            "block": "threats",
            "item_id": ["counted", "bare"],
            "org_type": ALL,
            "share_agree": [0.5, 0.5],
            "agree": [50, None],
            "n": [100, None],
            "suppressed": "",
        }
    )
    changes = compare_editions(
        _edition(tmp_path / "now", survey_agreement=now),
        _edition(tmp_path / "before", survey_agreement=before),
    )
    survey = changes.survey.set_index("item_id")
    # Wilson for 50 of 100: 0.4038-0.5962; 0.20 - sqrt(0.05² + 0.0962²) = 0.0916.
    assert survey.loc["counted", "change_low"] == pytest.approx(9.16, abs=0.01)
    assert survey.loc["counted", "reading"] == CHANGE
    assert survey.loc["bare", "reading"] == NO_INTERVAL
    # An edition with no interval columns and no counts at all is still compared, not judged.
    bare = before.drop(columns=["agree", "n"])
    (tmp_path / "before" / "survey_agreement.parquet").unlink()
    bare.to_parquet(tmp_path / "before" / "survey_agreement.parquet")
    changes = compare_editions(tmp_path / "now", tmp_path / "before")
    assert set(changes.survey["reading"]) == {NO_INTERVAL}


def test_a_country_uncertain_in_either_edition_is_not_listed_as_moved(tmp_path: Path) -> None:
    now = pd.DataFrame(
        {
            "iso2": ["AA", "BB", "CC", "DD"],
            "quadrant": [
                "low_opportunity_low_threat",
                "uncertain",
                "high_opportunity_high_threat",
                "low_opportunity_high_threat",
            ],
        }
    )
    before = pd.DataFrame(
        {
            "iso2": ["AA", "BB", "CC", "DD"],
            "quadrant": [
                "high_opportunity_high_threat",
                "low_opportunity_high_threat",
                "uncertain",
                "low_opportunity_high_threat",
            ],
        }
    )
    changes = compare_editions(
        _edition(tmp_path / "now", country_scores=now),
        _edition(tmp_path / "before", country_scores=before),
    )
    assert changes.quadrants["iso2"].tolist() == ["AA"]
    assert changes.uncertain_left_out == 2
    assert sorted(changes.uncertain["iso2"]) == ["BB", "CC"]


def test_an_older_edition_missing_columns_is_compared_on_what_it_has(tmp_path: Path) -> None:
    now = pd.DataFrame({"iso2": ["AA"], "quadrant": ["uncertain"]})
    before = pd.DataFrame({"iso2": ["AA"], "threat": [50.0]})  # no class kept
    changes = compare_editions(
        _edition(tmp_path / "now", country_scores=now),
        _edition(
            tmp_path / "before",
            country_scores=before,
            survey_agreement=pd.DataFrame({"item_id": ["x"]}),
        ),
    )
    assert changes.quadrants.empty and changes.survey.empty
    assert changes.uncertain_left_out == 0


def _scores(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    """(iso2, published class, depends_on, share of draws in that class); the rest of the
    draws in one other class."""
    classes = ["high_opportunity_low_threat", "low_opportunity_high_threat"]
    records = []
    for iso2, quadrant, depends, support in rows:
        shares = dict.fromkeys(classes, 0.0)
        own = quadrant if quadrant in classes else classes[0]
        shares[own] = support
        shares[next(c for c in classes if c != own)] = 1 - support
        records.append(
            {
                "iso2": iso2,
                "quadrant": quadrant,
                "depends_on": depends,
                **{f"share_{c}": v for c, v in shares.items()},
            }
        )
    return pd.DataFrame(records)


def test_an_edition_that_contradicts_its_own_cells_is_not_compared(tmp_path: Path) -> None:
    from analysis.report.previous_edition import InconsistentEdition

    now = _agreement([("espionage", 154 / 245, 0.56, 0.69)]).assign(agree=154, n=245)
    # The same counts, but a share 12 points lower: by its own counts nothing changed.
    tampered = now.assign(share_agree=0.5086)
    with pytest.raises(
        InconsistentEdition, match=r"espionage \(all\): share 0.5086 but 154 of 245"
    ):
        compare_editions(
            _edition(tmp_path / "now", survey_agreement=now),
            _edition(tmp_path / "before", survey_agreement=tampered),
        )
    # A class most of whose draws support another class.
    scores = _scores([("BR", "high_opportunity_low_threat", "", 0.97)])
    wrong = _scores([("BR", "low_opportunity_high_threat", "", 0.0)])
    with pytest.raises(InconsistentEdition, match="BR: published low_opportunity_high_threat"):
        compare_editions(
            _edition(tmp_path / "now2", country_scores=scores),
            _edition(tmp_path / "before2", country_scores=wrong),
        )


def test_a_class_resting_on_one_indicator_is_not_a_move(tmp_path: Path) -> None:
    now = _scores(
        [
            ("AA", "high_opportunity_low_threat", "", 0.9),
            ("CA", "high_opportunity_low_threat", "eu_projects_per_1000", 0.95),
        ]
    )
    before = _scores(
        [
            ("AA", "low_opportunity_high_threat", "", 0.9),
            ("CA", "low_opportunity_high_threat", "", 0.9),
        ]
    )
    changes = compare_editions(
        _edition(tmp_path / "now", country_scores=now),
        _edition(tmp_path / "before", country_scores=before),
    )
    assert changes.quadrants["iso2"].tolist() == ["AA"]
    assert changes.resting["iso2"].tolist() == ["CA"] and changes.resting_left_out == 1


def test_co_publications_that_did_not_change_are_not_listed_as_changes(tmp_path: Path) -> None:
    same = pd.DataFrame({"iso2": ["AT", "BE", "SE"], "copublications": [0, 10, 40]})
    changes = compare_editions(
        _edition(tmp_path / "now", cooperation_by_country=same),
        _edition(tmp_path / "before", cooperation_by_country=same),
    )
    assert changes.volume_compared and changes.volume.empty
    grew = same.assign(copublications=[0, 10, 55])
    changes = compare_editions(
        _edition(tmp_path / "now2", cooperation_by_country=grew),
        _edition(tmp_path / "before2", cooperation_by_country=same),
    )
    assert changes.volume["iso2"].tolist() == ["SE"]
