"""The joint uncertainty analysis: hand-made countries on and far from a cut, the published
quadrant's share, cuts that mean the same under every normalisation, speed."""

from __future__ import annotations

import copy
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.scoring.cuts import parse_cut, quantile_rows
from analysis.scoring.model import QUADRANT_KEYS, quadrant_keys, score
from analysis.scoring.uncertainty import assess, joint, prepare, ranks, spearman_rows
from analysis.scoring.uncertainty import settings as uncertainty_settings

MODEL = {
    "normalisation": "minmax",
    "quadrants": {
        "opportunity_cut": {"level": {"minmax": 0.5}, "spread": 0.1},
        "threat_cut": {"level": {"minmax": 0.5}, "spread": 0.1},
        "names": {key: {"en": key} for key in QUADRANT_KEYS},
    },
    "uncertainty": {
        "draws": 400,
        "seed": 7,
        "weight_perturbation": 0.25,
        "leave_one_out_share": 0.0,
        "normalisations": ["minmax"],
        "stable_share": 0.8,
        "interval": [0.05, 0.95],
    },
    "opportunity": {
        "volume": {"label": "v", "source": "s", "direction": "higher", "weight": 1},
        "growth": {"label": "g", "source": "s", "direction": "higher", "weight": 1},
    },
    "threat": {
        "freedom": {"label": "f", "source": "s", "direction": "lower", "weight": 1},
        "sanctions": {"label": "r", "source": "s", "direction": "higher", "weight": 1},
    },
}
# AA far from every cut; CC exactly on the opportunity cut; BB and DD clear of both.
FOUR = pd.DataFrame(
    {
        "iso2": ["AA", "BB", "CC", "DD"],
        "volume": [100, 0, 50, 20],
        "growth": [100, 0, 50, 20],
        "freedom": [1.0, 0.0, 0.5, 0.8],
        "sanctions": [0, 1, 0, 0],
    }
)


def test_a_country_on_a_cut_is_unstable_and_one_far_from_every_cut_is_stable() -> None:
    result = assess(FOUR, MODEL).countries.set_index(FOUR["iso2"])
    # Opportunity, min-max: volume and growth both give AA 1, BB 0, CC 0.5, DD 0.2, so every
    # weighting gives the same scores: AA 1, BB 0, CC 0.5, DD 0.2.
    # Threat: freedom pointed down gives AA 0, BB 1, CC 0.5, DD 0.2; sanctions 0, 1, 0, 0.
    # With weights w1, w2 in [0.75, 1.25]: CC = 0.5 w1 / (w1 + w2) in [0.19, 0.31], DD in
    # [0.08, 0.13], AA 0 and BB 1, so no threat score crosses a cut drawn in [0.4, 0.6].
    # The opportunity cut is drawn in [0.4, 0.6] by blocks of four with offsets +d, +d, -d, -d:
    # CC (0.5) is high exactly when the offset is negative, in half of the draws.
    assert result.loc["CC", "quadrant"] == "high_opportunity_low_threat"  # 0.5 >= 0.5
    assert result.loc["CC", "quadrant_share"] == 0.5
    assert result.loc["CC", "share_low_opportunity_low_threat"] == 0.5
    assert not result.loc["CC", "stable"]
    assert result.loc["AA", "quadrant_share"] == 1.0 and result.loc["AA", "stable"]
    assert result.loc["BB", "quadrant"] == "low_opportunity_high_threat"
    assert result.loc["DD", "quadrant"] == "low_opportunity_low_threat"
    assert result.loc[["BB", "DD"], "stable"].all()
    # Ranks never change: opportunity AA 1, CC 2, DD 3, BB 4; threat BB 1, CC 2, DD 3, AA 4.
    assert result["opportunity_rank_low"].tolist() == [1, 4, 2, 3]
    assert result["opportunity_rank_high"].tolist() == [1, 4, 2, 3]
    assert result["threat_rank_low"].tolist() == [4, 1, 2, 3]
    assert result["threat_rank_high"].tolist() == [4, 1, 2, 3]


def test_the_draws_agree_with_the_published_quadrants_and_repeat_with_the_seed() -> None:
    first = assess(FOUR, MODEL)
    published = quadrant_keys(score(FOUR, MODEL), MODEL)
    assert first.countries["quadrant"].tolist() == published.tolist()
    again = assess(FOUR, MODEL)
    pd.testing.assert_frame_equal(first.countries, again.countries)
    assert first.draws == 400


def test_draws_come_in_blocks_of_four_that_differ_only_in_the_cut_signs() -> None:
    model = copy.deepcopy(MODEL)
    model["uncertainty"].update(draws=10, leave_one_out_share=0.5)
    inputs = prepare(FOUR, model)
    design = joint(inputs, uncertainty_settings(model))
    assert len(design) == 12  # 10 rounded up to three blocks of four
    for block in range(3):
        rows = slice(4 * block, 4 * block + 4)
        assert (design.weights[rows] == design.weights[4 * block]).all()
        offsets = design.offsets[rows]
        assert np.allclose(np.abs(offsets), np.abs(offsets[0]))
        assert (np.sign(offsets) == [[1, 1], [1, -1], [-1, 1], [-1, -1]]).all()


def test_leaving_an_indicator_out_moves_a_country_that_rests_on_it() -> None:
    model = copy.deepcopy(MODEL)
    model["uncertainty"].update(leave_one_out_share=1.0, draws=800)
    result = assess(FOUR, model)
    variants = set(result.sensitivity["variant"])
    assert {"joint", "weights", "cuts"} <= variants
    assert {f"leave_out:{name}" for name in ("volume", "growth", "freedom", "sanctions")} <= (
        variants
    )
    # Without sanctions CC's threat is freedom's 0.5 alone: high against a cut at 0.5.
    without = result.sensitivity.set_index("variant").loc["leave_out:sanctions"]
    assert "CC" in without["countries_changing"].iloc[0].split()


values = st.floats(min_value=0, max_value=1, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.tuples(values, values, values, values), min_size=3, max_size=12),
    method=st.sampled_from(["rank", "minmax", "z"]),
    opportunity=st.tuples(st.floats(0.2, 0.8), st.floats(0, 0.2)),
    threat=st.tuples(st.floats(0.2, 0.8), st.floats(0, 0.2)),
    draws=st.integers(min_value=4, max_value=200),
)
def test_the_published_quadrant_has_the_largest_share_when_weights_are_fixed(
    rows, method, opportunity, threat, draws
) -> None:
    table = pd.DataFrame(rows, columns=["volume", "growth", "freedom", "sanctions"])
    table["iso2"] = [f"C{i}" for i in range(len(table))]
    model = copy.deepcopy(MODEL)
    model["normalisation"] = method
    model["quadrants"]["opportunity_cut"] = {"quantile": opportunity[0], "spread": opportunity[1]}
    model["quadrants"]["threat_cut"] = {"quantile": threat[0], "spread": threat[1]}
    model["uncertainty"].update(
        weight_perturbation=0.0, normalisations=[method], draws=draws, leave_one_out_share=0
    )
    countries = assess(table, model).countries
    shares = countries[[f"share_{key}" for key in QUADRANT_KEYS]].to_numpy()
    assert (countries["quadrant_share"].to_numpy() >= shares.max(axis=1) - 1e-12).all()
    assert np.allclose(shares.sum(axis=1), 1)


def test_a_quantile_cut_falls_between_the_same_countries_under_every_normalisation() -> None:
    model = copy.deepcopy(MODEL)
    model["quadrants"]["opportunity_cut"] = {"quantile": 0.5}
    model["quadrants"]["threat_cut"] = {"quantile": 0.75}
    table = FOUR.assign(growth=[90, 1, 40, 30])  # the same order as volume, unequal gaps
    found = {
        m: quadrant_keys(score(table, model, method=m), model, m).tolist()
        for m in ("rank", "minmax", "z")
    }
    assert found["rank"] == found["minmax"] == found["z"]


def test_a_level_declared_on_one_scale_is_not_applied_on_another() -> None:
    model = copy.deepcopy(MODEL)
    model["uncertainty"]["normalisations"] = ["minmax", "rank"]
    with pytest.raises(ValueError, match="level on the minmax scale only"):
        assess(FOUR, model)
    model["quadrants"]["threat_cut"] = 0.3  # a plain number: a level on min–max only
    assert parse_cut("threat", 0.3, "minmax").levels == {"minmax": 0.3}


def test_a_country_measured_on_too_few_indicators_is_scored_but_not_placed() -> None:
    model = copy.deepcopy(MODEL)
    model["quadrants"]["min_coverage"] = 0.75
    table = FOUR.astype({"freedom": float, "sanctions": float})
    table.loc[3, ["freedom", "sanctions"]] = np.nan  # DD: 2 of 4 indicators
    result = assess(table, model).countries
    assert result.loc[3, "quadrant"] == "not_placed"
    assert np.isnan(result.loc[3, "quadrant_share"]) and not result.loc[3, "stable"]
    assert quadrant_keys(score(table, model), model).iloc[3] == "not_placed"
    assert (
        result.loc[:2, "quadrant"].tolist()
        == quadrant_keys(score(table, model), model)[:3].tolist()
    )


def test_quantiles_ranks_and_rank_correlations_row_by_row() -> None:
    scores = np.array([[0.1, 0.4, 0.2, 0.3], [1.0, 1.0, 0.0, 0.5]])
    # Row 1 sorted 0.1 0.2 0.3 0.4: the median is halfway between 0.2 and 0.3.
    assert quantile_rows(scores, np.array([0.5, 0.0])).tolist() == pytest.approx([0.25, 0.0])
    assert ranks(scores).tolist() == [[4, 1, 3, 2], [1, 1, 4, 3]]  # ties share the best rank
    published = pd.Series([0.1, 0.4, 0.2, 0.3])
    rho = spearman_rows(scores, published.to_numpy())
    expected = pd.Series(scores[1]).rank().corr(published.rank())
    assert rho.tolist() == pytest.approx([1.0, expected])


def test_two_thousand_joint_draws_for_forty_countries_take_under_three_seconds() -> None:
    rng = np.random.default_rng(3)
    table = pd.DataFrame(
        rng.uniform(0, 1, size=(40, 4)), columns=["volume", "growth", "freedom", "sanctions"]
    )
    table["iso2"] = [f"C{i:02d}" for i in range(40)]
    model = copy.deepcopy(MODEL)
    model["quadrants"]["opportunity_cut"] = {"quantile": 0.5, "spread": 0.1}
    model["quadrants"]["threat_cut"] = {"quantile": 0.75, "spread": 0.1}
    model["uncertainty"].update(
        draws=2000, leave_one_out_share=0.5, normalisations=["minmax", "rank", "z"]
    )
    started = time.perf_counter()
    result = assess(table, model)
    elapsed = time.perf_counter() - started
    assert result.draws == 2000
    assert elapsed < 3, f"{elapsed:.2f} s"
