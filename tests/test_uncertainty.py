"""The joint uncertainty analysis (``analysis.scoring.uncertainty``) and the variance-based
sensitivity through it (``analysis.scoring.sensitivity``): what each draw varies (Dirichlet
weights, goalposts, levels, survey bootstrap samples, censored and unmeasured values from each
country's own stream; another declared aggregation is a scenario beside the class, not a
draw), the published class (the modal class when at least ``stable_share`` of the draws
support it, else "uncertain"), "depends on" from the leave-out scenarios, countries not
placed, determinism, Sobol' indices of inputs that can and cannot move a score, and speed on
the configured model.

Expected numbers are worked out by hand in the comments."""

from __future__ import annotations

import copy
import time

import numpy as np
import pandas as pd
import pytest

from analysis.scoring.model import CLASS_KEYS, indicators, load_scoring_model, score
from analysis.scoring.sensitivity import uncertain_inputs, variance_based
from analysis.scoring.uncertainty import SOURCES, assess, joint, prepare, run
from analysis.scoring.uncertainty import settings as uncertainty_settings
from tests.conftest import REPO_ROOT
from tests.test_scoring import MODEL as SCORING_MODEL
from tests.test_scoring import THREE, posts

# The three countries of tests/test_scoring.py, with nothing declared uncertain: declared
# weights, one aggregation, fixed goalposts and levels. Only censored and unmeasured values
# still move (they always do).
FIXED = {
    **SCORING_MODEL,
    "uncertainty": {
        "draws": 40,
        "seed": 7,
        "weight_concentration": 0,
        "aggregations": ["arithmetic"],
        "goalpost_spread": 0,
        "stable_share": 0.8,
    },
}
# As in tests/test_scoring.py: volume AA 1, BB 0.5, CC 0; growth 0, 0.5, 1;
# opportunity (3 v + g) / 4: AA 0.75, BB 0.5, CC 0.25.
# freedom pointed down 0.1, 0.5, 0.9; sanctions 0, 0, 1; threat (f + s) / 2: 0.05, 0.25, 0.95.


def with_uncertainty(**changes) -> dict:
    model = copy.deepcopy(FIXED)
    model["uncertainty"].update(changes)
    return model


def test_when_nothing_is_uncertain_every_draw_is_the_published_point() -> None:
    result = assess(THREE, FIXED)
    countries = result.countries
    assert result.draws == 40
    # Every draw: AA high/low (0.75, 0.05), BB high/low (0.5 is on the level, 0.25),
    # CC low/high (0.25, 0.95); each class has the whole share.
    assert countries["quadrant"].tolist() == [
        "high_opportunity_low_threat",
        "high_opportunity_low_threat",
        "low_opportunity_high_threat",
    ]
    assert countries["quadrant_share"].tolist() == [1.0, 1.0, 1.0]
    assert countries["stable"].all()
    assert countries["opportunity_p05"].tolist() == pytest.approx([0.75, 0.5, 0.25])
    assert countries["opportunity_p95"].tolist() == pytest.approx([0.75, 0.5, 0.25])
    assert countries["threat_p05"].tolist() == pytest.approx([0.05, 0.25, 0.95])
    assert countries["threat_p95"].tolist() == pytest.approx([0.05, 0.25, 0.95])
    # Ranks never move: opportunity AA 1, BB 2, CC 3; threat CC 1, BB 2, AA 3.
    assert countries["opportunity_rank_low"].tolist() == [1, 2, 3]
    assert countries["opportunity_rank_high"].tolist() == [1, 2, 3]
    assert countries["threat_rank_low"].tolist() == [3, 2, 1]
    assert countries["threat_rank_high"].tolist() == [3, 2, 1]


def test_depends_on_names_the_indicators_whose_removal_changes_the_class() -> None:
    countries = assess(THREE, FIXED).countries
    # Leave-outs (the others' weights shared out):
    # AA: without volume, opportunity is growth's 0: low, so AA rests on volume; without
    #     growth 1, without freedom threat 0, without sanctions 0.1: unchanged.
    # BB: without either opportunity indicator 0.5, still high; without freedom threat is
    #     sanctions' 0; without sanctions it is freedom's 0.5, on the level: high. A zero
    #     signal holds BB's threat down, so BB rests on sanctions.
    # CC: without volume, opportunity is growth's 1: high; without growth 0; threat without
    #     either 1 or 0.9: still high. CC rests on volume.
    assert countries["depends_on"].tolist() == ["volume", "sanctions", "volume"]


def test_a_country_on_a_level_is_uncertain_and_one_far_from_it_is_settled() -> None:
    model = with_uncertainty(draws=400)
    model["classes"]["opportunity_level"]["spread"] = 10
    countries = assess(THREE, model).countries.set_index(THREE["iso2"])
    # The opportunity level is drawn uniformly in 0.4 … 0.6. BB (0.5) is high when the draw
    # is at most 0.5: half of the draws (a standard error of 0.025 with 400 draws). AA (0.75)
    # and CC (0.25) lie beyond the level's reach: settled in every draw.
    bb = countries.loc["BB"]
    assert 0.4 < bb["share_high_opportunity_low_threat"] < 0.6
    assert bb["share_high_opportunity_low_threat"] + bb["share_low_opportunity_low_threat"] == 1
    assert bb["quadrant"] == "uncertain" and not bb["stable"]
    assert {bb["class_likeliest"], bb["class_second"]} == {
        "high_opportunity_low_threat",
        "low_opportunity_low_threat",
    }
    assert bb["quadrant_share"] == max(
        bb["share_high_opportunity_low_threat"], bb["share_low_opportunity_low_threat"]
    )
    assert bb["depends_on"] == ""  # no settled class to depend on
    assert countries.loc[["AA", "CC"], "quadrant_share"].tolist() == [1.0, 1.0]
    assert countries.loc[["AA", "CC"], "quadrant"].tolist() == [
        "high_opportunity_low_threat",
        "low_opportunity_high_threat",
    ]


def test_weights_are_drawn_from_a_dirichlet_centred_on_the_declared_ones() -> None:
    model = with_uncertainty(draws=4000, weight_concentration=30)
    design = joint(prepare(THREE, model), uncertainty_settings(model))
    weights = design.weights  # volume, growth, freedom, sanctions
    # Within each score the drawn weights keep the declared total: 3 + 1 and 1 + 1.
    assert np.allclose(weights[:, :2].sum(axis=1), 4) and np.allclose(weights[:, 2:].sum(1), 2)
    # Centred on the declared weights: volume 3, growth 1, freedom 1, sanctions 1.
    assert weights.mean(axis=0) == pytest.approx([3, 1, 1, 1], rel=0.02)
    # A share p of its score's total is Beta(30 p, 30 (1 − p)): variance p (1 − p) / 31.
    # volume: p = 0.75: 0.1875 / 31 = 0.006048, sd 0.0778, times the total 4: 0.311.
    # freedom: p = 0.5: 0.25 / 31 = 0.008065, sd 0.0898, times the total 2: 0.180.
    assert weights[:, 0].std() == pytest.approx(0.311, rel=0.1)
    assert weights[:, 2].std() == pytest.approx(0.180, rel=0.1)
    # Concentration 0: the declared weights in every draw.
    fixed = joint(prepare(THREE, FIXED), uncertainty_settings(FIXED))
    assert (fixed.weights == [3, 1, 1, 1]).all()


def test_goalposts_and_levels_are_drawn_within_their_declarations() -> None:
    model = with_uncertainty(
        draws=1000, aggregations=["arithmetic", "geometric"], goalpost_spread=0.1
    )
    model["classes"]["threat_level"]["spread"] = 5
    design = joint(prepare(THREE, model), uncertainty_settings(model))
    # The aggregation is not drawn: every draw takes the published (arithmetic) one.
    assert not design.geometric.any()
    # Goalposts move by at most 10 % of their distance, either way, and do move.
    assert np.abs(design.goalposts).max() <= 0.1 and np.abs(design.goalposts).max() > 0.09
    # The opportunity level has no spread; the threat level moves within ±0.05.
    assert (design.levels[:, 0] == 0).all()
    assert np.abs(design.levels[:, 1]).max() <= 0.05 and design.levels[:, 1].std() > 0.02
    # Nothing censored or unmeasured: no positions to draw.
    assert (design.positions == 0.5).all()


def test_another_declared_aggregation_is_a_scenario_beside_the_published_class() -> None:
    model = with_uncertainty(aggregations=["arithmetic", "geometric"])
    countries = assess(THREE, model).countries
    # Published (arithmetic): AA high/low, BB high/low, CC low/high (as above).
    assert countries["quadrant"].tolist() == [
        "high_opportunity_low_threat",
        "high_opportunity_low_threat",
        "low_opportunity_high_threat",
    ]
    # Geometric, the same draws: AA's opportunity (1, 0) with weights 3 : 1 is
    # (0.01^(1/4) − 0.01) / 0.99 = 0.309 < 0.5: low; its threat, on the favourable side
    # (0.9, 1): 1 − (sqrt(0.901) − 0.01) / 0.99 = 0.051: low. CC's opportunity (0, 1):
    # (0.01^(3/4) − 0.01) / 0.99 = 0.022: low; threat 1 − (sqrt(0.109 × 0.01) − 0.01) / 0.99
    # = 0.977: high. (BB's (0.5, 0.5) is 0.5 under both means, on the level: left out.)
    assert countries.loc[[0, 2], "quadrant_geometric"].tolist() == [
        "low_opportunity_low_threat",
        "low_opportunity_high_threat",
    ]
    # The scenario is the class the model would publish with the geometric mean.
    geometric = with_uncertainty(aggregations=["geometric"]) | {"aggregation": "geometric"}
    assert (
        assess(THREE, geometric).countries["quadrant"].tolist()
        == countries["quadrant_geometric"].tolist()
    )


def test_each_country_draws_its_intervals_from_its_own_stream() -> None:
    table = THREE.assign(growth_high=np.nan)
    table.loc[[0, 2], ["growth", "growth_high"]] = [[np.nan, 8.0], [np.nan, 8.0]]
    model = with_uncertainty(draws=30)
    config = uncertainty_settings(model)
    together = joint(prepare(table, model), config).positions
    alone = joint(prepare(table.iloc[[2]], model), config).positions
    reversed_ = joint(prepare(table.iloc[::-1], model), config).positions
    # CC's positions do not depend on which other countries are scored, nor on their order.
    assert (together[:, 2] == alone[:, 0]).all()
    assert (together[:, 2] == reversed_[:, 0]).all()
    # AA and CC, with the same evidence, still draw differently (their keys differ); BB,
    # measured everywhere, has nothing to draw.
    assert not (together[:, 0] == together[:, 2]).all()
    assert (together[:, 1] == 0.5).all()
    # Every draw of AA's opportunity stays in its interval: growth 0 … 8 is 0 … 0.4,
    # opportunity (3 + 0 … 0.4) / 4 = 0.75 … 0.85.
    draws = assess(table, model).joint_draws.scores["opportunity"][:, 0]
    assert draws.min() >= 0.75 and draws.max() <= 0.85 and draws.std() > 0


def test_survey_bootstrap_samples_replace_measured_shares_never_censored_ones() -> None:
    model = copy.deepcopy(FIXED)
    model["uncertainty"]["draws"] = 200
    model["perception_sources"] = ["survey"]
    model["opportunity"] = {
        "volume": FIXED["opportunity"]["volume"],
        "named": {"label": "n", "source": "survey", "direction": "higher", "weight": 3,
                  "goalposts": posts(0, 0.2)},
    }  # fmt: skip
    table = THREE.assign(
        volume=[50.0, 50.0, 0.0], named=[0.1, np.nan, 0.05], named_high=[np.nan, 0.02, np.nan]
    )
    replicates = {"named": pd.DataFrame({"AA": [0.0, 0.2], "BB": [0.2, 0.2], "CC": [0.05, 0.05]})}
    result = assess(table, model, replicates)
    draws = result.joint_draws.scores["opportunity"]
    # Opportunity = (3 volume + 3 named) / 6. AA: volume 0.5, named 0.1 (0.5 on 0 … 0.2):
    # published 0.5. Each draw takes one bootstrap sample: named 0 gives (0.5 + 0) / 2 = 0.25,
    # named 0.2 gives (0.5 + 1) / 2 = 0.75; both samples are drawn.
    assert score(table, model).loc[0, "opportunity"] == pytest.approx(0.5)
    assert set(np.round(draws[:, 0], 12)) == {0.25, 0.75}
    # BB's share is censored (0 … 0.02, i.e. 0 … 0.1): the samples' 0.2 never replaces it.
    # volume 0.5: opportunity (0.5 + 0 … 0.1) / 2 = 0.25 … 0.3.
    assert draws[:, 1].min() >= 0.25 and draws[:, 1].max() <= 0.3
    # AA's class moves with the samples (0.25 low, 0.75 high): about half each, uncertain.
    assert result.countries.loc[0, "quadrant"] == "uncertain"
    assert "survey_sampling" in set(result.sensitivity["variant"])


def test_a_country_measured_on_too_few_indicators_is_not_placed() -> None:
    table = THREE.copy()
    table.loc[1, ["freedom", "sanctions"]] = np.nan  # BB: 2 of 4, below 0.7
    countries = assess(table, FIXED).countries
    assert countries["quadrant"].tolist()[1] == "not_placed"
    assert countries.loc[1, [f"share_{key}" for key in CLASS_KEYS]].isna().all()
    assert np.isnan(countries.loc[1, "quadrant_share"]) and not countries.loc[1, "stable"]
    assert countries.loc[1, "depends_on"] == ""
    # Its threat is still drawn: anywhere in 0 … 0.5 ((0 … 1 + 0 … 1) / 2 with BB's
    # sanctions unmeasured too: 0 … 1).
    assert 0 <= countries.loc[1, "threat_p05"] <= countries.loc[1, "threat_p95"] <= 1
    # The others keep their classes.
    assert countries["quadrant"].tolist()[::2] == [
        "high_opportunity_low_threat",
        "low_opportunity_high_threat",
    ]


def test_the_same_seed_repeats_and_every_source_has_its_own_variant() -> None:
    model = with_uncertainty(
        draws=200, weight_concentration=30, aggregations=["arithmetic", "geometric"],
        goalpost_spread=0.1,
    )  # fmt: skip
    first, again = assess(THREE, model), assess(THREE, model)
    pd.testing.assert_frame_equal(first.countries, again.countries)
    pd.testing.assert_frame_equal(first.sensitivity, again.sensitivity)
    other = assess(THREE, model | {"uncertainty": {**model["uncertainty"], "seed": 8}})
    assert not other.countries["opportunity_p05"].equals(first.countries["opportunity_p05"])
    variants = set(first.sensitivity["variant"])
    assert {"joint", *SOURCES} <= variants
    assert {f"leave_out:{n}" for n in ("volume", "growth", "freedom", "sanctions")} <= variants


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weight_concentration": -1}, "weight_concentration"),
        ({"goalpost_spread": 0.5}, "goalpost_spread"),
        ({"stable_share": 0.5}, "stable_share"),
    ],
)
def test_impossible_uncertainty_settings_are_refused(change, message) -> None:
    with pytest.raises(ValueError, match=message):
        uncertainty_settings(with_uncertainty(**change))


SOBOL = with_uncertainty(weight_concentration=30) | {
    "sensitivity": {"base_samples": 64, "resamples": 10, "leave_out_probability": 0.2, "seed": 3}
}
# AA: volume 1, growth 0; BB: 0.5 and 0.5; CC: 1 and 1. Threat as in THREE.
SOBOL_TABLE = THREE.assign(volume=[100.0, 50.0, 100.0], growth=[0.0, 10.0, 20.0])


def sobol_indices_of_the_tiny_model() -> pd.DataFrame:
    inputs = prepare(SOBOL_TABLE, SOBOL)
    # The weights (one group), each indicator's inclusion; nothing else is uncertain here.
    assert [item.name for item in uncertain_inputs(inputs, SOBOL)] == [
        "weights",
        "inclusion:volume",
        "inclusion:growth",
        "inclusion:freedom",
        "inclusion:sanctions",
    ]
    return variance_based(inputs, SOBOL).set_index(["iso2", "score", "input"]).sort_index()


def test_sobol_indices_through_the_scoring_model() -> None:
    """An input that cannot move a score has no effect on it; the weights move a score whose
    indicators differ and cannot move one whose indicators are equal."""
    indices = sobol_indices_of_the_tiny_model()
    # Whether volume (an opportunity indicator) is in cannot move any threat score.
    for key in ("AA", "BB", "CC"):
        assert indices.loc[(key, "threat", "inclusion:volume"), "total_effect"] == 0
        assert indices.loc[(key, "threat", "inclusion:volume"), "first_order"] == 0
    # AA's opportunity: volume 1, growth 0, so the weights move it (and leaving volume out,
    # which takes it to 0, moves it most).
    aa = indices.loc[("AA", "opportunity")]
    assert aa.loc["weights", "total_effect"] > 0
    assert aa.loc["inclusion:volume", "total_effect"] > aa.loc["weights", "total_effect"]
    # AA's threat: freedom 0.1, sanctions 0: the weights move it too.
    assert indices.loc[("AA", "threat", "weights"), "total_effect"] > 0
    # BB's opportunity: volume and growth both 0.5: any weighting gives 0.5.
    assert indices.loc[("BB", "opportunity", "weights"), "total_effect"] == 0


def test_leaving_indicators_out_cannot_move_a_score_whose_indicators_are_equal() -> None:
    indices = sobol_indices_of_the_tiny_model()
    # BB (0.5 and 0.5) and CC (1 and 1): every non-empty choice of opportunity indicators
    # gives the same score, so the opportunity score should have no variance at all.
    for key in ("BB", "CC"):
        assert (indices.loc[(key, "opportunity"), "variance"] == 0).all()
        assert (indices.loc[(key, "opportunity"), "total_effect"] == 0).all()


def test_the_configured_model_takes_2000_joint_draws_for_40_countries_quickly() -> None:
    """One joint run at the report's size (assess makes 16 of them: the joint draws, one per
    leave-out and one per source)."""
    model = load_scoring_model(REPO_ROOT / "config" / "scoring.yaml")
    rng = np.random.default_rng(3)
    names = [item.name for item in indicators(model)]
    table = pd.DataFrame({name: rng.uniform(0, 1, 40) for name in names})
    table["copublications"] = rng.uniform(100, 5000, 40)
    table["students"] = rng.uniform(0, 3000, 40)
    table["eu_member"] = rng.random(40) < 0.5
    table[["eea_efta_member", "horizon_europe_associated"]] = False
    table.loc[::5, "survey_concern"] = np.nan
    table["survey_concern_high"] = np.where(table["survey_concern"].isna(), 0.04, np.nan)
    table["iso2"] = [f"C{i:02d}" for i in range(40)]
    started = time.perf_counter()
    inputs = prepare(table, model)
    draws = run(inputs, joint(inputs, uncertainty_settings(model)))
    elapsed = time.perf_counter() - started
    assert draws.classes.shape == (2000, 40)
    assert elapsed < 2, f"{elapsed:.2f} s"
