"""Intervals for respondents clustered in organisations and for a known population of
organisations (``analysis.survey.clustered``), worked out by hand, with properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.survey.clustered import (
    clustered_share,
    population_share,
    wilson_interval,
)


def _width(share) -> float:
    return share.high - share.low


def test_linearised_variance_with_organisations_as_clusters_by_hand() -> None:
    # Four organisations of two respondents: A (1, 1), B (1, 0), C (0, 0), D (0, 0); p = 3/8.
    # u = (y − p) / 8; organisation totals 0.15625, 0.03125, −0.09375, −0.09375 (mean 0);
    # var = 4/3 · 0.04296875 = 0.0572917; p(1 − p) / var = 0.234375 / 0.0572917 = 4.0909;
    # Korn–Graubard: × (t_7 / t_3)² = (2.3646 / 3.1824)² = 0.55209 → n_eff = 2.2585.
    y = [1, 1, 1, 0, 0, 0, 0, 0]
    clusters = ["A", "A", "B", "B", "C", "C", "D", "D"]
    share = clustered_share(y, clusters)
    assert share.share == pytest.approx(3 / 8)
    assert share.n_eff == pytest.approx(2.2585, abs=1e-3)
    assert (share.low, share.high) == pytest.approx(
        wilson_interval(3 / 8 * 2.2585, 2.2585), abs=1e-3
    )
    # As if independent: the plain Wilson interval of 3 of 8.
    independent = clustered_share(y, clusters, method="independent")
    assert (independent.low, independent.high) == pytest.approx(wilson_interval(3, 8))
    assert independent.n_eff == 8


def test_a_share_of_none_counts_each_organisation_once() -> None:
    # Nobody agrees, in 3 organisations of 4: no variance to read a design effect from, so
    # n_eff = 3 organisations × (t_11 / t_2)² = 3 × (2.2010 / 4.3027)² = 0.7850.
    share = clustered_share([0] * 12, ["A"] * 4 + ["B"] * 4 + ["C"] * 4)
    assert share.n_eff == pytest.approx(0.7850, abs=1e-3)
    assert share.low == 0.0


def test_an_unknown_method_is_an_error() -> None:
    with pytest.raises(ValueError, match="interval_method"):
        clustered_share([1, 0], ["A", "B"], method="bootstrap-ish")


def test_finite_population_correction_and_census_by_hand() -> None:
    # 3 of 5 organisations answering among 10 invited: n_eff = 5 · 9 / 5 = 9; Wilson on 5.4 of
    # 9: centre (0.6 + 0.2134) / 1.4268 = 0.5701, half-width 1.96 · 0.19627 / 1.4268 = 0.2696,
    # so 0.3005–0.8397; the 5 not counted allow at most 8/10: 0.3005–0.8.
    share = population_share(3, 5, 10)
    assert (share.low, share.high) == pytest.approx((0.3005, 0.8), abs=1e-3)
    assert share.n_eff == pytest.approx(9)
    # Everyone answered: a census, no sampling interval.
    census = population_share(3, 5, 5)
    assert (census.share, census.low, census.high) == (0.6, 0.6, 0.6)
    assert math.isinf(census.n_eff)
    with pytest.raises(ValueError, match="invited"):
        population_share(3, 6, 5)


@st.composite
def _organisations(draw, equal_sizes: bool):
    count = draw(st.integers(min_value=2, max_value=15))
    answers = draw(st.lists(st.booleans(), min_size=count, max_size=count))
    if equal_sizes:
        size = draw(st.integers(min_value=1, max_value=8))
        sizes = [size] * count
    else:
        sizes = draw(st.lists(st.integers(1, 8), min_size=count, max_size=count))
    return answers, sizes


def _respondents(answers, sizes):
    y, clusters, weights = [], [], []
    for j, (answer, size) in enumerate(zip(answers, sizes, strict=True)):
        y += [int(answer)] * size
        clusters += [f"org{j}"] * size
        weights += [1 / size] * size
    return y, clusters, weights


@settings(max_examples=200, deadline=None)
@given(_organisations(equal_sizes=True), st.integers(min_value=0, max_value=20))
def test_perfectly_clustered_respondents_are_no_surer_than_their_organisations(
    organisations, extra
) -> None:
    # Everyone in an organisation answers alike: the respondents' share equals the
    # organisations' and its interval is at least as wide as the organisations' own, with or
    # without the finite population correction.
    answers, sizes = organisations
    y, clusters, _ = _respondents(answers, sizes)
    respondents = clustered_share(y, clusters)
    k, n = sum(answers), len(answers)
    for population in (None, n + extra):
        organisations_share = population_share(k, n, population)
        assert respondents.share == pytest.approx(organisations_share.share)
        assert _width(respondents) >= _width(organisations_share) - 1e-12


@settings(max_examples=200, deadline=None)
@given(_organisations(equal_sizes=False))
def test_weighting_organisations_equally_gives_the_same_ordering_at_any_size(
    organisations,
) -> None:
    answers, sizes = organisations
    y, clusters, weights = _respondents(answers, sizes)
    respondents = clustered_share(y, clusters, weights)
    organisations_share = population_share(sum(answers), len(answers), None)
    assert respondents.share == pytest.approx(organisations_share.share)
    assert _width(respondents) >= _width(organisations_share) - 1e-12


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 9), st.booleans()),  # (organisation, agrees)
        min_size=1,
        max_size=80,
    ),
    st.booleans(),
)
def test_clustered_intervals_are_never_narrower_than_independent_ones(answers, weighted) -> None:
    clusters = [f"org{o}" for o, _ in answers]
    y = [int(a) for _, a in answers]
    sizes = {c: clusters.count(c) for c in clusters}
    weights = [1 / sizes[c] for c in clusters] if weighted else None
    clustered = clustered_share(y, clusters, weights)
    naive = clustered_share(y, clusters, weights, method="independent")
    assert clustered.share == pytest.approx(naive.share)
    assert clustered.n_eff <= naive.n_eff + 1e-9
    assert _width(clustered) >= _width(naive) - 1e-12
