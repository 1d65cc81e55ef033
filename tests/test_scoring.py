"""The scoring model: a worked example, monotonicity, order independence, quadrants."""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.scoring.model import (
    context_indicators,
    imputed_cells,
    load_scoring_model,
    measured_evidence,
    normalise,
    quadrant_keys,
    score,
    spearman,
)
from tests.conftest import REPO_ROOT

MODEL = {
    "normalisation": "minmax",
    "quadrants": {
        "opportunity_cut": 0.5,
        "threat_cut": 0.5,
        "names": {
            "high_opportunity_low_threat": {"en": "Deepen"},
            "high_opportunity_high_threat": {"en": "Manage actively"},
            "low_opportunity_low_threat": {"en": "Monitor"},
            "low_opportunity_high_threat": {"en": "Reconsider"},
        },
    },
    "sensitivity": {"weight_perturbation": 0.25, "draws": 20, "seed": 1},
    "opportunity": {
        "volume": {"label": "v", "source": "s", "direction": "higher", "weight": 3},
        "growth": {"label": "g", "source": "s", "direction": "higher", "weight": 1},
    },
    "threat": {
        "freedom": {"label": "f", "source": "s", "direction": "lower", "weight": 1},
        "sanctions": {"label": "r", "source": "s", "direction": "higher", "weight": 1},
    },
}
THREE = pd.DataFrame(
    {
        "iso2": ["AA", "BB", "CC"],
        "volume": [100, 50, 0],
        "growth": [0, 10, 20],
        "freedom": [0.9, 0.5, 0.1],
        "sanctions": [0, 0, 1],
    }
)


def test_three_countries_worked_by_hand() -> None:
    result = score(THREE, MODEL)
    # volume min–max: AA 1, BB 0.5, CC 0; growth: AA 0, BB 0.5, CC 1
    # opportunity = (3 * volume + 1 * growth) / 4 -> AA 0.75, BB 0.5, CC 0.25
    assert result["opportunity"].tolist() == pytest.approx([0.75, 0.5, 0.25])
    # freedom points down: AA 0, BB 0.5, CC 1; sanctions: 0, 0, 1 -> threat AA 0, BB 0.25, CC 1
    assert result["threat"].tolist() == pytest.approx([0.0, 0.25, 1.0])
    assert result["opportunity_rank"].tolist() == [1, 2, 3]
    assert quadrant_keys(result, MODEL).tolist() == [
        "high_opportunity_low_threat",
        "high_opportunity_low_threat",
        "low_opportunity_high_threat",
    ]


def test_missing_values_take_the_median_and_lower_coverage() -> None:
    table = THREE.copy()
    table.loc[1, "freedom"] = np.nan
    result = score(table, MODEL)
    assert result.loc[1, "coverage"] == 0.75
    assert result.loc[1, "threat"] == pytest.approx((0.5 + 0) / 2)


def test_the_same_inputs_give_the_same_ranks_in_any_order() -> None:
    shuffled = THREE.sample(frac=1, random_state=3)
    first = score(THREE, MODEL).set_index(THREE["iso2"])
    second = score(shuffled, MODEL).set_index(shuffled["iso2"]).loc[first.index]
    pd.testing.assert_frame_equal(first, second)


values = st.floats(min_value=0, max_value=1, allow_nan=False)


@settings(max_examples=80, deadline=None)
@given(
    freedom=st.lists(values, min_size=3, max_size=8),
    sanctions=st.lists(st.sampled_from([0.0, 1.0]), min_size=8, max_size=8),
    who=st.integers(min_value=0, max_value=7),
    step=st.floats(min_value=0.01, max_value=1),
    method=st.sampled_from(["rank", "minmax", "z"]),
)
def test_raising_a_threat_indicator_never_lowers_the_threat_score(
    freedom, sanctions, who, step, method
) -> None:
    n = len(freedom)
    who = who % n
    table = pd.DataFrame(
        {"volume": range(n), "growth": range(n), "freedom": freedom, "sanctions": sanctions[:n]}
    )
    worse = table.copy()
    worse.loc[who, "freedom"] = max(0.0, worse.loc[who, "freedom"] - step)  # less freedom
    before = score(table, MODEL, method=method).loc[who, "threat"]
    after = score(worse, MODEL, method=method).loc[who, "threat"]
    assert after >= before - 1e-12


def test_normalisations_map_to_unit_range() -> None:
    values_ = pd.Series([3.0, 1.0, 2.0, 2.0])
    for method in ("rank", "minmax"):
        result = normalise(values_, method)
        assert result.min() == 0 and result.max() == 1
    assert normalise(values_, "z").between(0, 1).all()
    assert normalise(pd.Series([5.0, 5.0]), "minmax").tolist() == [0.0, 0.0]
    z = normalise(pd.Series([0.0, 1.0, 2.0, 30.0]), "z")
    assert not np.allclose(z, normalise(pd.Series([0.0, 1.0, 2.0, 30.0]), "minmax"))


def test_an_indicator_equal_for_all_countries_moves_no_score() -> None:
    table = THREE.assign(sanctions=0)
    result = score(table, MODEL)
    # freedom alone decides; sanctions, equal everywhere, add 0: AA 0, BB 0.25, CC 0.5
    assert result["threat"].tolist() == pytest.approx([0.0, 0.25, 0.5])


def test_every_imputed_cell_is_recorded_with_the_value_that_stood_in() -> None:
    table = THREE.astype({"freedom": float, "growth": float})
    table.loc[1, "freedom"] = np.nan
    table.loc[2, "growth"] = np.nan
    cells = imputed_cells(table, MODEL)
    # growth: the median of 0 and 10 is 5; freedom: the median of 0.9 and 0.1 is 0.5
    assert cells[["row", "indicator", "value_used", "median_of"]].values.tolist() == [
        [2, "growth", 5.0, 2],
        [1, "freedom", 0.5, 2],
    ]
    assert imputed_cells(THREE, MODEL).empty
    assert spearman(pd.Series([1, 2, 3]), pd.Series([3, 2, 1])) == pytest.approx(-1)


def test_the_configured_model_is_valid() -> None:
    model = load_scoring_model(REPO_ROOT / "config" / "scoring.yaml")
    broken = copy.deepcopy(model)
    broken["threat"]["academic_freedom"]["direction"] = "sideways"
    from analysis.scoring.model import indicators

    assert len(indicators(model)) == 10
    with pytest.raises(ValueError, match="direction"):
        indicators(broken)
    broken = copy.deepcopy(model)
    broken["threat"]["academic_freedom"]["source"] = "nowhere"
    with pytest.raises(ValueError, match="source 'nowhere'"):
        indicators(broken)


def test_the_configured_fixed_level_cut_of_earlier_editions_is_refused(tmp_path) -> None:
    """A threat cut of 0.3 made for min–max scores put 29 of 32 countries in high threat on
    rank scores; a level now has to be given per normalisation, or a quantile used."""
    model = yaml.safe_load((REPO_ROOT / "config" / "scoring.yaml").read_text())
    model["quadrants"]["threat_cut"] = 0.3
    path = tmp_path / "scoring.yaml"
    path.write_text(yaml.safe_dump(model, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="level on the minmax scale only"):
        load_scoring_model(path)


def test_a_country_becoming_as_unfree_as_the_others_keeps_its_threat_under_z() -> None:
    """The case the property test found: under z the freest country scores above 0 on the
    indicator, so an indicator that turns equal for all must not drop it to 0."""
    table = pd.DataFrame(
        {"volume": [0, 1, 2], "growth": [0, 1, 2], "freedom": [0.0, 1.0, 0.0], "sanctions": 0.0}
    )
    worse = table.assign(freedom=0.0)
    before = score(table, MODEL, method="z").loc[1, "threat"]
    assert score(worse, MODEL, method="z").loc[1, "threat"] >= before
    assert normalise(pd.Series([5.0, 5.0]), "z").tolist() == [0.5, 0.5]


def test_one_screening_match_does_not_take_the_whole_weight_under_a_capped_log() -> None:
    model = copy.deepcopy(MODEL)
    model["threat"]["sanctions"].update(transform="capped_log", cap=5)
    table = THREE.assign(sanctions=[0, 1, 7])
    values = score(table, model)
    # sanctions: log(1 + n) / log(6) with n held at 5: 0, log 2 / log 6 = 0.3869, 1.
    # freedom pointed down, min–max: 0, 0.5, 1; threat = (freedom + sanctions) / 2.
    one = math.log(2) / math.log(6)
    assert values["threat"].tolist() == pytest.approx([0.0, (0.5 + one) / 2, 1.0])
    # The same under every normalisation: the scale is fixed, not relative.
    for method in ("rank", "z"):
        from analysis.scoring.model import indicator_values

        assert indicator_values(table, model, method)["sanctions"].tolist() == pytest.approx(
            [0.0, one, 1.0]
        )


def test_an_indicator_that_does_not_apply_is_left_out_and_its_weight_shared() -> None:
    model = copy.deepcopy(MODEL)
    model["opportunity"]["growth"]["applies_to"] = ["eligible"]
    table = THREE.assign(eligible=[True, True, False])
    result = score(table, model)
    # growth over AA and BB only, min–max: AA 0, BB 1; CC is left out of it.
    # volume min–max over all three: AA 1, BB 0.5, CC 0.
    # opportunity: AA (3 × 1 + 1 × 0) / 4 = 0.75; BB (3 × 0.5 + 1 × 1) / 4 = 0.625;
    # CC volume alone (weight 3 of 3): 0.
    assert result["opportunity"].tolist() == pytest.approx([0.75, 0.625, 0.0])
    assert result["coverage"].tolist() == [1.0, 1.0, 1.0]  # CC: 3 of the 3 that apply
    assert imputed_cells(table, model).empty  # not applying is not a missing value


def test_the_matrix_on_measured_evidence_only_leaves_the_perceptions_out() -> None:
    model = copy.deepcopy(MODEL)
    model["opportunity"]["volume"]["source"] = "survey"
    model["perception_sources"] = ["survey"]
    published = quadrant_keys(score(THREE, model), model)
    evidence = measured_evidence(THREE, model)
    # Published opportunity (3 volume + 1 growth) / 4 over volume 1, 0.5, 0 and growth 0, 0.5,
    # 1: AA 0.75, BB 0.5, CC 0.25; threat (freedom + sanctions) / 2: AA 0, BB 0.25, CC 1.
    # Cuts at 0.5: AA high/low, BB high/low (0.5 is on the cut), CC low/high.
    assert published.tolist() == [
        "high_opportunity_low_threat",
        "high_opportunity_low_threat",
        "low_opportunity_high_threat",
    ]
    # Without volume, opportunity is growth alone: AA 0, BB 0.5, CC 1; threat unchanged.
    assert evidence["opportunity_measured_only"].tolist() == [0.0, 0.5, 1.0]
    assert evidence["threat_measured_only"].tolist() == [0.0, 0.25, 1.0]
    assert evidence["quadrant_measured_only"].tolist() == [
        "low_opportunity_low_threat",
        "high_opportunity_low_threat",
        "high_opportunity_high_threat",
    ]
    # No perception source declared: the same scores as published.
    same = measured_evidence(THREE, MODEL)
    assert same["opportunity_measured_only"].tolist() == score(THREE, MODEL)["opportunity"].tolist()


def test_context_indicators_are_checked_and_never_scored() -> None:
    model = copy.deepcopy(MODEL)
    model["context"] = {"rule": {"label": "r", "source": "s", "unit": "estimate"}}
    assert [i.name for i in context_indicators(model)] == ["rule"]
    assert score(THREE.assign(rule=[2.0, 0.0, -2.0]), model).equals(score(THREE, MODEL))
    model["context"]["volume"] = {"label": "v", "source": "s"}
    with pytest.raises(ValueError, match="context.volume: already a scored indicator"):
        context_indicators(model)


def test_a_governance_indicator_can_be_weighted_by_moving_it_into_a_score(tmp_path) -> None:
    # The default: the four WGI estimates are context, not weighted.
    model = load_scoring_model(REPO_ROOT / "config" / "scoring.yaml")
    assert {i.name for i in context_indicators(model)} == {
        "rule_of_law",
        "political_stability",
        "control_of_corruption",
        "voice_accountability",
    }
    # Moved under threat with a direction and a weight, it is scored like any indicator.
    spec = model["context"].pop("rule_of_law")
    model["threat"]["rule_of_law"] = {**spec, "direction": "lower", "weight": 0.2}
    path = tmp_path / "scoring.yaml"
    path.write_text(yaml.safe_dump(model, allow_unicode=True), encoding="utf-8")
    moved = load_scoring_model(path)
    table = THREE.assign(rule_of_law=[1.5, 0.0, -1.5])
    small = copy.deepcopy(MODEL)
    small["threat"]["rule_of_law"] = moved["threat"]["rule_of_law"]
    # rule of law pointed down, min–max: AA 0, BB 0.5, CC 1; threat = (1 freedom + 1 sanctions
    # + 0.2 rule of law) / 2.2: AA 0, BB (0.5 + 0 + 0.1) / 2.2, CC (1 + 1 + 0.2) / 2.2 = 1.
    assert score(table, small)["threat"].tolist() == pytest.approx([0.0, 0.6 / 2.2, 1.0])
