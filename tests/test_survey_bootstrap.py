"""The survey's cluster bootstrap (``analysis.survey.bootstrap``): organisations are resampled
whole, so answers given alike inside one organisation are not counted as independent evidence.

Checked: a hand-made tiny case whose bootstrap mean and standard deviation are worked out by
hand (and one with unequal organisations whose exact bootstrap mean, found by enumerating the
27 samples, tells organisation resampling from respondent resampling); that with respondents
perfectly clustered the bootstrap standard deviation of a share is at least the naive binomial
standard error of independent respondents; that a respondent without an organisation is a
cluster of its own; the share's denominator (every respondent); determinism for a seed.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.survey.bootstrap import cluster_weights, mention_replicates

ITEM = "concern_countries"


def survey(organisations: list[tuple[str | None, int, list[str]]]):
    """Respondents and their country answers from (organisation, respondents, countries that
    every respondent of it names) triples: perfectly clustered answers."""
    respondents, answers = [], []
    for position, (organisation, size, named) in enumerate(organisations):
        for member in range(size):
            key = f"r{position}_{member}"
            respondents.append({"respondent_key": key, "organisation_key": organisation})
            answers += [{"respondent_key": key, "item_id": ITEM, "iso2": iso} for iso in named]
    countries = pd.DataFrame(answers, columns=["respondent_key", "item_id", "iso2"])
    return countries, pd.DataFrame(respondents)


def test_a_tiny_case_of_equal_organisations_has_the_hand_worked_mean_and_spread() -> None:
    # Four organisations of two respondents each; shares of SE by organisation: A 2/2 = 1,
    # B 1/2, C 0, D 2/2 = 1. Observed share of SE: (2 + 1 + 0 + 2) / 8 = 5/8; of NO:
    # (0 + 1 + 0 + 2) / 8 = 3/8.
    respondents = pd.DataFrame(
        {
            "respondent_key": ["a1", "a2", "b1", "b2", "c1", "c2", "d1", "d2"],
            "organisation_key": ["A", "A", "B", "B", "C", "C", "D", "D"],
        }
    )
    countries = pd.DataFrame(
        {
            "respondent_key": ["a1", "a2", "b1", "b2", "d1", "d1", "d2", "d2", "c1"],
            "item_id": [ITEM] * 8 + ["opportunity_countries"],  # c1 answered another question
            "iso2": ["SE", "SE", "SE", "NO", "SE", "NO", "SE", "NO", "SE"],
        }
    )
    replicates = mention_replicates(countries, respondents, ITEM, 4000, seed=5)
    assert sorted(replicates.columns) == ["NO", "SE"]
    assert len(replicates) == 4000
    # With organisations of equal size the denominator is always 8, so a replicate share is
    # the mean of four organisation shares drawn with replacement: its expectation is the
    # observed share exactly, and its variance is the organisations' variance (divisor 4)
    # over 4. SE: organisation shares 1, 0.5, 0, 1 around 0.625: deviations 0.375, -0.125,
    # -0.625, 0.375; squares 0.140625 + 0.015625 + 0.390625 + 0.140625 = 0.6875; / 4 =
    # 0.171875; / 4 = 0.04296875; sd 0.2073. The Monte Carlo error of the mean of 4000
    # replicates is 0.2073 / sqrt(4000) = 0.0033.
    assert replicates["SE"].mean() == pytest.approx(5 / 8, abs=0.015)
    assert replicates["SE"].std() == pytest.approx(math.sqrt(0.04296875), rel=0.08)
    # NO: organisation shares 0, 0.5, 0, 1 around 0.375: squares 0.140625 + 0.015625 +
    # 0.140625 + 0.390625 = 0.6875 as well.
    assert replicates["NO"].mean() == pytest.approx(3 / 8, abs=0.015)
    assert replicates["NO"].std() == pytest.approx(math.sqrt(0.04296875), rel=0.08)
    # Every replicate is a share of the 8 respondents drawn: a multiple of 1/8 in [0, 1].
    eighths = replicates.to_numpy() * 8
    assert np.allclose(eighths, np.round(eighths)) and replicates.to_numpy().max() <= 1


def test_whole_organisations_are_resampled_not_respondents() -> None:
    # A: two respondents, both naming SE; B: one naming nothing; C: one naming SE. Observed
    # share 3/4. Resampling three organisations (27 equally likely ordered samples) the share
    # is (2a + c) / (2a + b + c) for a, b, c draws of A, B, C:
    #   (3,0,0) 1 sample: 1;   (0,3,0) 1: 0;     (0,0,3) 1: 1;
    #   (2,1,0) 3: 4/5;        (2,0,1) 3: 1;     (1,2,0) 3: 2/4;
    #   (0,2,1) 3: 1/3;        (1,0,2) 3: 1;     (0,1,2) 3: 2/3;    (1,1,1) 6: 3/4
    # sum 2 + 3 (0.8 + 1 + 0.5 + 1/3 + 1 + 2/3) + 6 × 0.75 = 2 + 12.9 + 4.5 = 19.4; mean
    # 19.4 / 27 = 0.7185 (the share's sd is about 0.25, so the Monte Carlo error of 20 000
    # replicates is about 0.002). Resampling respondents instead (a constant denominator of 4)
    # would give 0.75 exactly.
    countries, respondents = survey([("A", 2, ["SE"]), ("B", 1, []), ("C", 1, ["SE"])])
    replicates = mention_replicates(countries, respondents, ITEM, 20000, seed=11)
    assert replicates["SE"].mean() == pytest.approx(19.4 / 27, abs=0.008)
    assert abs(replicates["SE"].mean() - 0.75) > 0.02


def test_a_respondent_without_an_organisation_is_a_cluster_of_their_own() -> None:
    respondents = pd.DataFrame(
        {"respondent_key": ["x", "y", "z1", "z2"], "organisation_key": [None, None, "Z", "Z"]}
    )
    weights = cluster_weights(respondents, 500, seed=2)
    assert weights.shape == (500, 4)
    # Three clusters (x, y, Z) drawn three times: x and y come and go separately (as one
    # "missing organisation" cluster they would always be drawn together), z1 and z2 together.
    assert (weights[:, 0] != weights[:, 1]).any()
    assert (weights[:, 2] == weights[:, 3]).all()
    # Each replicate draws 3 clusters: x and y weigh 1 each, Z two respondents.
    assert (weights[:, 0] + weights[:, 1] + weights[:, 2] == 3).all()


def test_the_same_seed_gives_the_same_replicates_and_another_seed_others() -> None:
    countries, respondents = survey([("A", 3, ["SE"]), ("B", 2, ["NO"]), ("C", 4, [])])
    first = mention_replicates(countries, respondents, ITEM, 50, seed=7)
    pd.testing.assert_frame_equal(first, mention_replicates(countries, respondents, ITEM, 50, 7))
    assert not first.equals(mention_replicates(countries, respondents, ITEM, 50, seed=8))


def test_a_country_named_twice_by_one_respondent_counts_once() -> None:
    respondents = pd.DataFrame({"respondent_key": ["a", "b"], "organisation_key": ["A", "B"]})
    countries = pd.DataFrame(
        {"respondent_key": ["a", "a", "b"], "item_id": [ITEM] * 3, "iso2": ["SE", "SE", None]}
    )
    replicates = mention_replicates(countries, respondents, ITEM, 200, seed=1)
    # A replicate holds A twice (share 1), B twice (0) or one of each (1/2); never above 1.
    assert list(replicates.columns) == ["SE"]
    assert set(replicates["SE"].round(12)) <= {0.0, 0.5, 1.0}


@settings(max_examples=25, deadline=None)
@given(
    organisations=st.lists(
        st.tuples(st.integers(1, 6), st.booleans()), min_size=4, max_size=25
    ).filter(lambda orgs: 0 < sum(named for _, named in orgs) < len(orgs)),
    seed=st.integers(0, 2**16),
)
def test_clustered_answers_spread_at_least_as_much_as_independent_respondents(
    organisations, seed
) -> None:
    """Every respondent of an organisation names SE, or none does. Linearised, the cluster
    bootstrap variance of the share is sum(m_i² e_i²) / n² (m_i the organisation's size, e_i
    its share minus p), the naive one p(1 - p) / n = sum(m_i e_i²) / n²; as m_i ≥ 1 the first
    is never smaller (equal when every organisation has one respondent). The tolerance covers
    the Monte Carlo error of 1000 replicates (about 2 % of a standard deviation)."""
    countries, respondents = survey(
        [(f"O{i}", size, ["SE"] if named else []) for i, (size, named) in enumerate(organisations)]
    )
    n = len(respondents)
    p = sum(size for size, named in organisations if named) / n
    naive = math.sqrt(p * (1 - p) / n)
    replicates = mention_replicates(countries, respondents, ITEM, 1000, seed)
    assert replicates["SE"].std(ddof=0) >= naive * (1 - 0.15)
