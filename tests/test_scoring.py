"""The scoring model (``analysis.scoring.model``): declared goalposts, cells as intervals,
weighted means (arithmetic and geometric, an adverse score averaged on its favourable side),
transforms, applies_to, coverage, point classes against declared levels, the matrix on
measured evidence only, context indicators and the checks of the configured model.

Every expected number is worked out by hand in the comments; none is copied from the code."""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.scoring.levels import model_levels, parse_level
from analysis.scoring.model import (
    CENSORED,
    MEASURED,
    NOT_APPLICABLE,
    NOT_MEASURED,
    aggregate,
    context_indicators,
    evidence,
    indicators,
    load_scoring_model,
    measured_evidence,
    point_classes,
    reference_levels,
    scaled_bounds,
    score,
    scored_indicators,
    spearman,
)
from tests.conftest import REPO_ROOT

CONFIG = REPO_ROOT / "config" / "scoring.yaml"
CONFIGURED = load_scoring_model(CONFIG)


def posts(low: float, high: float) -> dict:
    return {"low": low, "high": high, "reason": "declared for the test"}


MODEL = {
    "aggregation": "arithmetic",
    "classes": {
        "min_coverage": 0.7,
        "opportunity_level": {"level": 50, "rationale": "half of the scale"},
        "threat_level": {"level": 50, "rationale": "half of the scale"},
    },
    "opportunity": {
        "volume": {"label": "v", "source": "s", "direction": "higher", "weight": 3,
                   "goalposts": posts(0, 100)},
        "growth": {"label": "g", "source": "s", "direction": "higher", "weight": 1,
                   "goalposts": posts(0, 20)},
    },
    "threat": {
        "freedom": {"label": "f", "source": "s", "direction": "lower", "weight": 1,
                    "goalposts": posts(0, 1)},
        "sanctions": {"label": "r", "source": "s", "direction": "higher", "weight": 1,
                      "goalposts": posts(0, 1)},
    },
}  # fmt: skip
THREE = pd.DataFrame(
    {
        "iso2": ["AA", "BB", "CC"],
        "volume": [100.0, 50.0, 0.0],
        "growth": [0.0, 10.0, 20.0],
        "freedom": [0.9, 0.5, 0.1],
        "sanctions": [0.0, 0.0, 1.0],
    }
)
# volume on 0 … 100: AA 1, BB 0.5, CC 0; growth on 0 … 20: AA 0, BB 0.5, CC 1.
# opportunity = (3 volume + 1 growth) / 4: AA 0.75, BB (1.5 + 0.5) / 4 = 0.5, CC 0.25.
# freedom points down (1 − x on 0 … 1): AA 0.1, BB 0.5, CC 0.9; sanctions 0, 0, 1.
# threat = (freedom + sanctions) / 2: AA 0.05, BB 0.25, CC 0.95.
OPPORTUNITY = [0.75, 0.5, 0.25]
THREAT = [0.05, 0.25, 0.95]


def test_three_countries_worked_by_hand() -> None:
    result = score(THREE, MODEL)
    assert result["opportunity"].tolist() == pytest.approx(OPPORTUNITY)
    assert result["threat"].tolist() == pytest.approx(THREAT)
    # Every cell measured: each interval is a point, so the score's ends are the score.
    for dimension in ("opportunity", "threat"):
        assert result[f"{dimension}_min"].tolist() == pytest.approx(result[dimension].tolist())
        assert result[f"{dimension}_max"].tolist() == pytest.approx(result[dimension].tolist())
    assert result["coverage"].tolist() == [1.0, 1.0, 1.0]
    # No exposure indicator in this model: no weight, score 0.
    assert result["exposure"].tolist() == [0.0, 0.0, 0.0]
    # Levels at 50 (0.5 on 0–1), high meaning at least the level: BB's 0.5 is high.
    assert point_classes(result, MODEL).tolist() == [
        "high_opportunity_low_threat",
        "high_opportunity_low_threat",
        "low_opportunity_high_threat",
    ]


def test_values_beyond_the_goalposts_are_held_at_the_ends() -> None:
    table = THREE.assign(volume=[250.0, -10.0, 100.0], growth=[-5.0, 40.0, 20.0])
    result = score(table, MODEL)
    # volume held: AA 1, BB 0, CC 1; growth held: AA 0, BB 1, CC 1.
    # opportunity: AA 3 / 4, BB 1 / 4, CC 4 / 4.
    assert result["opportunity"].tolist() == pytest.approx([0.75, 0.25, 1.0])


def test_a_country_s_scores_do_not_depend_on_the_other_countries() -> None:
    """Goalposts are fixed, not the range of the set: dropping BB, adding an extreme country
    or shuffling the rows changes no other country's numbers (exactly)."""
    full = score(THREE, MODEL).set_index(THREE["iso2"])
    fewer = THREE[THREE["iso2"] != "BB"]
    more = pd.concat(
        [THREE, pd.DataFrame([{"iso2": "DD", "volume": 1e6, "growth": -1e3, "freedom": 0.0,
                               "sanctions": 1.0}])],
        ignore_index=True,
    )  # fmt: skip
    shuffled = THREE.sample(frac=1, random_state=3)
    for table in (fewer, more, shuffled):
        other = score(table, MODEL).set_index(table["iso2"])
        common = [key for key in full.index if key in other.index]
        pd.testing.assert_frame_equal(full.loc[common], other.loc[common])
    # The extreme country: volume held at 1, growth at 0, freedom 1 − 0 = 1, sanctions 1.
    assert score(more, MODEL).iloc[3][["opportunity", "threat"]].tolist() == [0.75, 1.0]


def test_a_value_not_measured_lies_anywhere_between_the_goalposts() -> None:
    table = THREE.copy()
    table.loc[1, "freedom"] = np.nan
    result = score(table, MODEL)
    # BB's freedom is [0, 1] on the scale, centre 0.5; sanctions 0:
    # threat centre (0.5 + 0) / 2 = 0.25, ends (0 + 0) / 2 = 0 and (1 + 0) / 2 = 0.5.
    assert result.loc[1, ["threat", "threat_min", "threat_max"]].tolist() == [0.25, 0.0, 0.5]
    # Coverage: 3 of BB's 4 indicators measured.
    assert result["coverage"].tolist() == [1.0, 0.75, 1.0]
    ev = evidence(table, MODEL)
    assert ev.status[1].tolist() == [MEASURED, MEASURED, NOT_MEASURED, MEASURED]
    low, high = scaled_bounds(ev)
    assert (low[1, 2], high[1, 2]) == (0.0, 1.0)


def test_a_censored_value_is_its_interval_never_a_point() -> None:
    table = THREE.assign(growth_low=np.nan, growth_high=np.nan)
    table.loc[1, ["growth", "growth_low", "growth_high"]] = [np.nan, 2.0, 6.0]
    result = score(table, MODEL)
    # BB's growth lies in 2 … 6: 0.1 … 0.3 on 0 … 20. volume 0.5.
    # opportunity: ends (1.5 + 0.1) / 4 = 0.4 and (1.5 + 0.3) / 4 = 0.45, centre
    # (1.5 + 0.2) / 4 = 0.425. As a zero it would have been 1.5 / 4 = 0.375, outside.
    assert result.loc[1, "opportunity_min"] == pytest.approx(0.4)
    assert result.loc[1, "opportunity_max"] == pytest.approx(0.45)
    assert result.loc[1, "opportunity"] == pytest.approx(0.425)
    # A censored value bounds the value: it counts as evidence in the coverage.
    assert result.loc[1, "coverage"] == 1.0
    assert evidence(table, MODEL).status[1, 1] == CENSORED
    # Without a lower bound the interval starts at 0: 0 … 0.3, so (1.5 + 0) / 4 = 0.375 to
    # 0.45, centre (1.5 + 0.15) / 4 = 0.4125.
    no_low = table.assign(growth_low=np.nan)
    assert score(no_low, MODEL).loc[1, ["opportunity_min", "opportunity", "opportunity_max"]
                                    ].tolist() == pytest.approx([0.375, 0.4125, 0.45])  # fmt: skip
    # A value that is given is measured, whatever bounds sit beside it: AA and CC unchanged.
    assert result.loc[[0, 2], "opportunity"].tolist() == pytest.approx([0.75, 0.25])


def test_a_censored_value_of_a_lower_is_more_indicator_turns_its_interval_round() -> None:
    table = THREE.assign(freedom_low=np.nan, freedom_high=np.nan)
    table.loc[1, ["freedom", "freedom_low", "freedom_high"]] = [np.nan, 0.2, 0.4]
    result = score(table, MODEL)
    # freedom 0.2 … 0.4 points down: 0.6 … 0.8. threat (0.6 + 0) / 2 = 0.3 to 0.4, centre 0.35.
    assert result.loc[1, ["threat_min", "threat", "threat_max"]].tolist() == pytest.approx(
        [0.3, 0.35, 0.4]
    )


def test_the_log_transform_is_compared_between_log_goalposts() -> None:
    model = copy.deepcopy(MODEL)
    model["opportunity"]["volume"].update(transform="log", goalposts=posts(9, 999))
    table = THREE.assign(volume=[99.0, 9999.0, -5.0])
    ev = evidence(table, model)
    low, _ = scaled_bounds(ev)
    # log(1 + x): goalposts ln 10 and ln 1000 = 3 ln 10. AA ln 100 = 2 ln 10: (2 − 1) / (3 − 1)
    # = 0.5; BB ln 10 000 = 4 ln 10: held at 1; CC held at 0 before the log: ln 1 = 0, held at 0.
    assert low[:, 0].tolist() == pytest.approx([0.5, 1.0, 0.0])


def test_one_screening_match_does_not_take_the_whole_weight_under_a_capped_log() -> None:
    model = copy.deepcopy(MODEL)
    # The capped log is its own fixed scale, 0 to the cap: declared goalposts are not used.
    model["threat"]["sanctions"].update(transform="capped_log", cap=5, goalposts=posts(3, 4))
    table = THREE.assign(sanctions=[0.0, 1.0, 7.0])
    values = score(table, model)
    # sanctions: log(1 + n) / log(1 + 5) with n held at 5: 0, log 2 / log 6 = 0.3869, 1.
    # freedom 0.1, 0.5, 0.9; threat = (freedom + sanctions) / 2.
    one = math.log(2) / math.log(6)
    assert values["threat"].tolist() == pytest.approx([0.05, (0.5 + one) / 2, 0.95])
    del model["threat"]["sanctions"]["goalposts"]  # none needed
    assert score(table, model)["threat"].tolist() == values["threat"].tolist()
    model["threat"]["sanctions"]["cap"] = 0
    with pytest.raises(ValueError, match="capped_log needs a cap above 0"):
        indicators(model)


def test_weighted_means_arithmetic_and_geometric_by_hand() -> None:
    values, equal = np.array([1.0, 0.0]), np.array([1.0, 1.0])
    # Arithmetic: 0.5, adverse or not (1 − mean(1 − x) = mean(x)).
    assert aggregate(values, equal, False) == pytest.approx(0.5)
    assert aggregate(values, equal, False, adverse=True) == pytest.approx(0.5)
    # Geometric on 0.01 … 1: x' = 0.01 + 0.99 x = 1 and 0.01; sqrt(1 × 0.01) = 0.1; back on
    # 0 … 1: (0.1 − 0.01) / 0.99 = 1/11. A zero lowers the mean, it does not zero it.
    assert aggregate(values, equal, True) == pytest.approx(1 / 11)
    # Adverse: averaged on the favourable side 1 − x = (0, 1), which gives 1/11, and turned
    # back: 10/11. The absence of one signal cannot cancel a full one.
    assert aggregate(values, equal, True, adverse=True) == pytest.approx(10 / 11)
    # Weights 3 : 1 on (1, 0): exp((3 ln 1 + ln 0.01) / 4) = 0.01^(1/4) = 0.316228;
    # (0.316228 − 0.01) / 0.99 = 0.309321.
    assert aggregate(values, np.array([3.0, 1.0]), True) == pytest.approx(0.309321, abs=1e-6)
    # Equal values: the value itself, under both.
    assert aggregate(np.array([0.3, 0.3]), equal, True) == pytest.approx(0.3)
    # No weight at all: 0 (and not a division by zero), adverse or not.
    assert aggregate(values, np.zeros(2), False) == 0.0
    assert aggregate(values, np.zeros(2), True, adverse=True) == 0.0
    # Rows with their own rule: broadcast over the leading axis.
    rows = aggregate(np.tile(values, (2, 1)), np.tile(equal, (2, 1)), np.array([False, True]))
    assert rows.tolist() == pytest.approx([0.5, 1 / 11])


def test_a_geometric_model_averages_threat_on_its_favourable_side() -> None:
    model = copy.deepcopy(MODEL) | {"aggregation": "geometric"}
    result = score(THREE, model)
    # Opportunity (not adverse), AA: (1, 0) with weights 3 : 1: 0.309321 (above).
    assert result.loc[0, "opportunity"] == pytest.approx(0.309321, abs=1e-6)
    # Threat, AA: values (0.1, 0); favourable side (0.9, 1): x' = 0.901 and 1;
    # sqrt(0.901) = 0.949210; (0.949210 − 0.01) / 0.99 = 0.948697; threat 1 − 0.948697.
    assert result.loc[0, "threat"] == pytest.approx(1 - (math.sqrt(0.901) - 0.01) / 0.99)
    # CC: values (0.9, 1); favourable (0.1, 0): x' = 0.109 and 0.01; sqrt(0.00109) = 0.033015;
    # (0.033015 − 0.01) / 0.99 = 0.023248; threat 0.976752.
    assert result.loc[2, "threat"] == pytest.approx(1 - (math.sqrt(0.109 * 0.01) - 0.01) / 0.99)
    # A country with no freedom at all (threat value 1) but no sanctions (0): 10/11, as above;
    # a geometric mean of the threat values themselves would have given 1/11.
    unfree = THREE.assign(freedom=0.0, sanctions=0.0)
    assert score(unfree, model)["threat"].tolist() == pytest.approx([10 / 11] * 3)


def test_an_indicator_that_does_not_apply_is_left_out_and_its_weight_shared() -> None:
    model = copy.deepcopy(MODEL)
    model["opportunity"]["growth"]["applies_to"] = ["eligible", "associated"]
    table = THREE.assign(eligible=[True, False, False], associated=[None, True, None])
    result = score(table, model)
    # growth applies to AA (eligible) and BB (associated), not to CC (no flag true; a missing
    # flag is false). AA (3 × 1 + 0) / 4 = 0.75, BB (1.5 + 0.5) / 4 = 0.5; CC volume alone,
    # weight 3 of 3: 0.
    assert result["opportunity"].tolist() == pytest.approx([0.75, 0.5, 0.0])
    assert result["opportunity_min"].tolist() == result["opportunity_max"].tolist()
    # Not applying is not missing: CC has 3 of the 3 indicators that apply to it.
    assert result["coverage"].tolist() == [1.0, 1.0, 1.0]
    assert evidence(table, model).status[2, 1] == NOT_APPLICABLE


def test_weights_can_be_given_instead_of_the_declared_ones() -> None:
    result = score(THREE, MODEL, weights={"volume": 1, "growth": 1, "freedom": 1})
    # opportunity (volume + growth) / 2: AA (1 + 0) / 2, BB (0.5 + 0.5) / 2, CC (0 + 1) / 2.
    assert result["opportunity"].tolist() == pytest.approx([0.5, 0.5, 0.5])
    # sanctions not named: weight 0; threat is freedom alone: 0.1, 0.5, 0.9.
    assert result["threat"].tolist() == pytest.approx([0.1, 0.5, 0.9])


def test_a_country_measured_on_too_few_indicators_is_scored_but_not_placed() -> None:
    table = THREE.copy()
    table.loc[1, ["freedom", "sanctions"]] = np.nan
    result = score(table, MODEL)
    # BB: 2 of 4 indicators measured, 0.5 < min_coverage 0.7. Still scored: threat [0, 1],
    # centre 0.5; opportunity as before, 0.5.
    assert result.loc[1, ["coverage", "threat", "threat_min", "threat_max"]].tolist() == [
        0.5, 0.5, 0.0, 1.0,
    ]  # fmt: skip
    assert point_classes(result, MODEL).tolist() == [
        "high_opportunity_low_threat",
        "not_placed",
        "low_opportunity_high_threat",
    ]


def test_the_matrix_on_measured_evidence_only_leaves_the_perceptions_out() -> None:
    model = copy.deepcopy(MODEL)
    model["opportunity"]["volume"]["source"] = "survey"
    model["perception_sources"] = ["survey"]
    evidence_only = measured_evidence(THREE, model)
    # Published: opportunity 0.75, 0.5, 0.25 and threat 0.05, 0.25, 0.95 (above).
    # Without volume, opportunity is growth alone: AA 0, BB 0.5, CC 1; threat unchanged.
    assert evidence_only["opportunity_measured_only"].tolist() == [0.0, 0.5, 1.0]
    assert evidence_only["threat_measured_only"].tolist() == pytest.approx(THREAT)
    assert evidence_only["coverage_measured_only"].tolist() == [1.0, 1.0, 1.0]
    # Against the same levels (0.5): AA low/low, BB high (0.5 is on the level)/low, CC high/high.
    assert evidence_only["quadrant_measured_only"].tolist() == [
        "low_opportunity_low_threat",
        "high_opportunity_low_threat",
        "high_opportunity_high_threat",
    ]
    # No perception source declared: the published scores.
    same = measured_evidence(THREE, MODEL)
    assert same["opportunity_measured_only"].tolist() == pytest.approx(OPPORTUNITY)


def test_context_indicators_are_checked_and_never_scored() -> None:
    model = copy.deepcopy(MODEL)
    model["context"] = {"rule": {"label": "r", "source": "s", "unit": "estimate"}}
    assert [i.name for i in context_indicators(model)] == ["rule"]
    assert score(THREE.assign(rule=[2.0, 0.0, -2.0]), model).equals(score(THREE, MODEL))
    model["context"]["volume"] = {"label": "v", "source": "s"}
    with pytest.raises(ValueError, match="context.volume: already a scored indicator"):
        context_indicators(model)


def test_the_configured_model_is_valid() -> None:
    model = CONFIGURED
    assert model["version"] == "3.0.0"
    # 5 opportunity, 4 threat and 2 exposure indicators; the classes rest on the first 9.
    assert len(indicators(model)) == 11 and len(scored_indicators(model)) == 9
    assert reference_levels(model) == pytest.approx({"opportunity": 0.5, "threat": 0.3})
    for item in indicators(model):
        low, high = item.goalposts
        assert high > low, item.name
        # Every goalpost has its reason, except the capped log's fixed scale (0 to the cap).
        assert item.reason or item.transform == "capped_log", item.name


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"direction": "sideways"}, "threat.academic_freedom: direction"),
        ({"source": "nowhere"}, "source 'nowhere'"),
        ({"weight": -0.1}, "negative"),
        ({"transform": "sqrt"}, "transform"),
        ({"goalposts": None}, "goalposts"),
        ({"goalposts": posts(0.8, 0.2)}, "high goalpost"),
        ({"goalposts": {"low": 0, "high": 1}}, "reason"),
    ],
)
def test_a_broken_indicator_is_refused(change, message) -> None:
    broken = copy.deepcopy(CONFIGURED)
    broken["threat"]["academic_freedom"].update(change)
    with pytest.raises(ValueError, match=message):
        indicators(broken)


def test_an_indicator_name_belongs_to_one_score() -> None:
    model = copy.deepcopy(MODEL)
    model["threat"]["volume"] = copy.deepcopy(model["opportunity"]["volume"])
    with pytest.raises(ValueError, match="used twice"):
        indicators(model)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"threat_level": {"level": 30, "spread": 5}}, "rationale"),
        ({"threat_level": {"level": 30, "spread": -1, "rationale": "r"}}, "negative"),
        ({"threat_level": {"level": 3, "spread": 5, "rationale": "r"}}, "inside 0–100"),
        ({"opportunity_level": 0.5}, "level"),
    ],
)
def test_a_broken_level_is_refused(change, message) -> None:
    broken = copy.deepcopy(CONFIGURED)
    broken["classes"].update(change)
    with pytest.raises(ValueError, match=message):
        model_levels(broken)


def test_loading_a_broken_model_names_the_file(tmp_path) -> None:
    path = tmp_path / "scoring.yaml"
    for change, message in (
        ({"aggregation": "harmonic"}, "aggregation must be one of"),
        ({"classes": {"min_coverage": 0.7}}, "the scoring model lacks"),
        ({"threat": {"x": {"label": "x", "source": "vdem", "direction": "up", "weight": 1}}},
         "threat.x: direction"),
    ):  # fmt: skip
        path.write_text(yaml.safe_dump(CONFIGURED | change, allow_unicode=True), encoding="utf-8")
        with pytest.raises(ValueError, match=message) as refused:
            load_scoring_model(path)
        assert str(path) in str(refused.value)


def test_a_level_is_declared_on_0_to_100_and_used_on_0_to_1() -> None:
    level = parse_level("threat", {"level": 30, "spread": 5, "rationale": "r"})
    # 30 ± 5 on 0–100: 0.3 ± 0.05 on 0–1.
    assert (level.level, level.low, level.high) == pytest.approx((0.3, 0.25, 0.35))


def test_a_governance_indicator_can_be_weighted_by_moving_it_into_a_score(tmp_path) -> None:
    # The default: the four WGI estimates are context, not weighted.
    model = copy.deepcopy(CONFIGURED)
    assert {i.name for i in context_indicators(model)} == {
        "rule_of_law",
        "political_stability",
        "control_of_corruption",
        "voice_accountability",
    }
    # Moved under threat with a direction and a weight, it needs goalposts like any indicator.
    spec = model["context"].pop("rule_of_law")
    model["threat"]["rule_of_law"] = {**spec, "direction": "lower", "weight": 0.2}
    path = tmp_path / "scoring.yaml"
    path.write_text(yaml.safe_dump(model, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="threat.rule_of_law: goalposts"):
        load_scoring_model(path)
    model["threat"]["rule_of_law"]["goalposts"] = posts(-2.5, 2.5)
    path.write_text(yaml.safe_dump(model, allow_unicode=True), encoding="utf-8")
    moved = load_scoring_model(path)
    assert "rule_of_law" in {i.name for i in scored_indicators(moved)}
    assert "rule_of_law" not in {i.name for i in context_indicators(moved)}
    small = copy.deepcopy(MODEL)
    small["threat"]["rule_of_law"] = moved["threat"]["rule_of_law"]
    table = THREE.assign(rule_of_law=[1.5, 0.0, -1.5])
    # rule of law on −2.5 … 2.5: (x + 2.5) / 5 = 0.8, 0.5, 0.2; pointed down: 0.2, 0.5, 0.8.
    # threat = (1 freedom + 1 sanctions + 0.2 rule of law) / 2.2:
    #   AA (0.1 + 0 + 0.04) / 2.2, BB (0.5 + 0 + 0.1) / 2.2, CC (0.9 + 1 + 0.16) / 2.2.
    assert score(table, small)["threat"].tolist() == pytest.approx(
        [0.14 / 2.2, 0.6 / 2.2, 2.06 / 2.2]
    )


def test_spearman_is_pearson_on_average_ranks() -> None:
    assert spearman(pd.Series([1, 2, 3]), pd.Series([3, 2, 1])) == pytest.approx(-1)
    # Ranks (1, 2.5, 2.5) and (1, 2, 3), both of mean 2: centred (−1, 0.5, 0.5) and (−1, 0, 1);
    # products 1 + 0 + 0.5 = 1.5; norms sqrt(1.5) and sqrt(2): 1.5 / sqrt(3) = 0.866.
    assert spearman(pd.Series([1, 5, 5]), pd.Series([1, 2, 3])) == pytest.approx(1.5 / math.sqrt(3))
