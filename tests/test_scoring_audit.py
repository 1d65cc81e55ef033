"""The statistical audit: each measure checked on a table small enough to work by hand, and
the findings raised where a problem is planted and silent where none is."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.scoring.audit import (
    alpha_by_dimension,
    correlation_matrix,
    correlations,
    coverage_by_country,
    coverage_by_indicator,
    cronbach_alpha,
    distribution_checks,
    effective_weights,
    effective_weights_by_dimension,
    findings,
    indicator_score_correlations,
    rank_shifts,
)

COUNTRIES = ["A", "B", "C", "D"]


def test_coverage_counts_only_cells_where_the_indicator_applies() -> None:
    measured = pd.DataFrame(
        {"p": [1.0, np.nan, 3.0, 4.0], "q": [1.0, np.nan, np.nan, 5.0]}, index=COUNTRIES
    )
    # q does not apply to D: its value there is neither measured nor missing.
    applies = pd.DataFrame({"p": [True] * 4, "q": [True, True, True, False]}, index=COUNTRIES)
    by_indicator = coverage_by_indicator(measured, applies).set_index("indicator")
    # p: 3 of 4 = 0.75 >= 0.65; q: 1 (A) of 3 (A, B, C) = 1/3 < 0.65
    assert by_indicator.loc["p", ["applicable", "measured"]].tolist() == [4, 3]
    assert by_indicator.loc["q", ["applicable", "measured"]].tolist() == [3, 1]
    assert by_indicator["coverage"].tolist() == pytest.approx([0.75, 1 / 3])
    assert by_indicator["meets_rule"].tolist() == [True, False]
    by_country = coverage_by_country(measured, applies)
    # A 2/2, B 0/2, C 1/2, D 1/1 (q ignored at D although a value is there)
    assert list(by_country.index) == COUNTRIES and list(by_country["country"]) == COUNTRIES
    assert by_country["applicable"].tolist() == [2, 2, 2, 1]
    assert by_country["measured"].tolist() == [2, 0, 1, 1]
    assert by_country["coverage"].tolist() == pytest.approx([1.0, 0.0, 0.5, 1.0])
    assert by_country["meets_rule"].tolist() == [True, False, False, True]
    # the rule is "at least": 0.75 meets a rule of 0.75
    assert coverage_by_indicator(measured, applies, rule=0.75)["meets_rule"].tolist() == [
        True,
        False,
    ]


def test_coverage_refuses_an_applies_frame_of_other_indicators() -> None:
    measured = pd.DataFrame({"p": [1.0, 2.0]}, index=["A", "B"])
    with pytest.raises(ValueError, match="same countries and indicators"):
        coverage_by_indicator(measured, pd.DataFrame({"x": [True, True]}, index=["A", "B"]))


def test_skewness_and_kurtosis_are_coinr_estimators_and_flag_together() -> None:
    skewed = np.array([1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 50], dtype=float)
    values = pd.DataFrame(
        {
            "skewed": np.r_[skewed, np.nan],
            "normalish": np.r_[np.linspace(-1, 1, 13), np.nan],
            "three": [1.0, 2.0, 9.0] + [np.nan] * 11,
            "flat": [4.0] * 14,
        }
    )
    table = distribution_checks(values).set_index("indicator")
    # COINr's e1071 type 2 written out: G1 = g1·√(n(n−1))/(n−2),
    # G2 = ((n+1)·g2 + 6)(n−1)/((n−2)(n−3)) with g1 = m3/m2^1.5, g2 = m4/m2² − 3
    n = len(skewed)
    centred = skewed - skewed.mean()
    m2, m3, m4 = (np.mean(centred**power) for power in (2, 3, 4))
    g1, g2 = m3 / m2**1.5, m4 / m2**2 - 3
    expected_skew = g1 * math.sqrt(n * (n - 1)) / (n - 2)
    expected_kurtosis = ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3))
    assert table.loc["skewed", "n"] == 13  # the missing value is left out
    assert table.loc["skewed", "skewness"] == pytest.approx(expected_skew)
    assert table.loc["skewed", "kurtosis"] == pytest.approx(expected_kurtosis)
    assert table.loc["skewed", "skewness"] == pytest.approx(stats.skew(skewed, bias=False))
    assert table.loc["skewed", "kurtosis"] == pytest.approx(stats.kurtosis(skewed, bias=False))
    assert expected_skew > 2 and expected_kurtosis > 3.5  # excess kurtosis, about 12.9
    assert table["flagged"].tolist() == [True, False, False, False]
    # too few values or none varying: no estimate, no flag
    assert table.loc[["three", "flat"], ["skewness", "kurtosis"]].isna().all().all()
    # both conditions are needed: a kurtosis limit above the sample's clears the flag
    assert not distribution_checks(values, kurtosis_limit=100)["flagged"].any()


def test_correlations_use_the_countries_measured_on_both() -> None:
    values = pd.DataFrame(
        {
            "a": [1, 2, 3, 4, np.nan],
            "b": [2, 4, 6, 8, 10],
            "c": [np.nan, 1, 0, 1, 0],
            "d": [np.nan, np.nan, np.nan, 5, 7],
        },
        dtype=float,
    )
    dimension_of = {"a": "opportunity", "b": "opportunity", "c": "threat", "d": "threat"}
    pairs = correlations(values, dimension_of).set_index(["indicator_a", "indicator_b"])
    assert len(pairs) == 6  # each pair once
    # a–b: rows 1–4, b = 2a: r = 1
    assert pairs.loc[("a", "b"), ["n", "correlation"]].tolist() == pytest.approx([4, 1.0])
    # a–c: rows 2–4, a = 2, 3, 4 against c = 1, 0, 1: Σ(da·dc) = −1/3 + 0 + 1/3 = 0
    assert pairs.loc[("a", "c"), ["n", "correlation"]].tolist() == pytest.approx([3, 0.0])
    # b–c: rows 2–5, deviations (−3, −1, 1, 3) and (½, −½, ½, −½): −2 / √(20 · 1)
    assert pairs.loc[("b", "c"), "n"] == 4
    assert pairs.loc[("b", "c"), "correlation"] == pytest.approx(-2 / math.sqrt(20))
    # c–d: two countries in common are too few for a correlation
    assert pairs.loc[("c", "d"), "n"] == 2 and math.isnan(pairs.loc[("c", "d"), "correlation"])
    assert pairs["same_dimension"].tolist() == [True, False, False, False, False, True]
    assert pairs.loc[("a", "c"), ["dimension_a", "dimension_b"]].tolist() == [
        "opportunity",
        "threat",
    ]
    matrix = correlation_matrix(values)
    assert matrix.shape == (4, 4) and matrix.loc["b", "c"] == pytest.approx(-2 / math.sqrt(20))
    # Spearman over the same pairwise complete countries
    spearman = correlations(values, dimension_of, method="spearman").set_index(
        ["indicator_a", "indicator_b"]
    )
    both = values[["b", "c"]].dropna()
    expected = stats.spearmanr(both["b"], both["c"]).statistic
    assert spearman.loc[("b", "c"), "correlation"] == pytest.approx(expected)


def test_indicator_score_correlations_mark_the_own_dimension() -> None:
    values = pd.DataFrame({"a": [1.0, 2, 3, 4], "c": [4.0, 1, 3, 2]}, index=COUNTRIES)
    scores = pd.DataFrame({"opportunity": [1.0, 2, 3, 5], "threat": [4.0, 1, 3, np.nan]})
    scores.index = COUNTRIES
    table = indicator_score_correlations(
        values, scores, {"a": "opportunity", "c": "threat"}
    ).set_index(["indicator", "score"])
    assert table["own_dimension"].tolist() == [True, False, False, True]
    assert table.loc[("a", "threat"), "n"] == 3 and table.loc[("c", "threat"), "n"] == 3
    assert table.loc[("c", "threat"), "correlation"] == pytest.approx(1.0)
    assert table.loc[("a", "opportunity"), "correlation"] == pytest.approx(
        np.corrcoef([1, 2, 3, 4], [1, 2, 3, 5])[0, 1]
    )


def test_cronbach_alpha_by_hand_on_complete_rows() -> None:
    values = pd.DataFrame(
        {"x1": [1, 2, 3, 4, 9], "x2": [2, 3, 3, 5, np.nan], "x3": [1, 1, 2, 3, 9]},
        dtype=float,
    )
    # The fifth row is incomplete and left out. On the four others:
    # var x1 = 5/3, var x2 = 4.75/3, var x3 = 2.75/3 (sums of squares over n − 1 = 3),
    # Σ var = 12.5/3; row sums 4, 6, 8, 12 (mean 7.5): var = 35/3;
    # alpha = 3/2 · (1 − 12.5/35) = 27/28.
    alpha, n = cronbach_alpha(values)
    assert n == 4
    assert alpha == pytest.approx(27 / 28)
    assert math.isnan(cronbach_alpha(values[["x1"]])[0])  # one column
    assert math.isnan(cronbach_alpha(values.iloc[:2])[0])  # two rows
    table = alpha_by_dimension(values, {"x1": "o", "x2": "o", "x3": "t"})
    assert table["dimension"].tolist() == ["o", "t"]
    assert table["indicators"].tolist() == [2, 1]
    assert table["n_complete"].tolist() == [4, 5]
    assert math.isnan(table["alpha"].iloc[1])


def test_effective_weights_of_an_orthogonal_indicator_by_hand() -> None:
    # Centred: x1 = x2 = (−1, −1, 1, 1), x3 = (−1, 1, −1, 1), uncorrelated with both.
    # S = Σx/3 = (−1, −1/3, 1/3, 1): var S = (1 + 1/9 + 1/9 + 1)/3 = 20/27;
    # cov(x1, S) = (1 + 1/3 + 1/3 + 1)/3 = 8/9, cov(x3, S) = (1 − 1/3 − 1/3 + 1)/3 = 4/9;
    # effective = (1/3)·cov/var S: x1, x2 = (8/27)/(20/27) = 0.4, x3 = (4/27)/(20/27) = 0.2.
    values = pd.DataFrame(
        {"x1": [9, 9, 11, 11], "x2": [0, 0, 2, 2], "x3": [4, 6, 4, 6]}, dtype=float
    )
    table = effective_weights(values, {"x1": 1, "x2": 1, "x3": 1}).set_index("indicator")
    assert table["nominal"].tolist() == pytest.approx([1 / 3] * 3)
    assert table["effective"].tolist() == pytest.approx([0.4, 0.4, 0.2])
    assert table["effective"].sum() == pytest.approx(1.0)
    assert table["n"].tolist() == [4, 4, 4]
    # corr(x3, S) = (4/9) / (√(4/3) · √(20/27)) = 1/√5
    assert table.loc["x3", "correlation_with_score"] == pytest.approx(1 / math.sqrt(5))


def test_effective_weight_of_an_indicator_against_its_dimension_is_negative() -> None:
    # x1 = x2 = (−1, −1, 1, 1), x3 = (½, ½, −½, −½) (centred): S = (−½, −½, ½, ½),
    # var S = 1/3; cov(x1, S) = 2/3, cov(x3, S) = −1/3; effective = (1/3)·cov/(1/3):
    # 2/3, 2/3 and −1/3, which still sum to 1.
    values = pd.DataFrame(
        {"x1": [0, 0, 2, 2], "x2": [-1, -1, 1, 1], "x3": [3.5, 3.5, 2.5, 2.5], "y": [1, 2, 3, 5]},
        dtype=float,
    )
    table = effective_weights(values, {"x1": 2, "x2": 2, "x3": 2}).set_index("indicator")
    assert table["effective"].tolist() == pytest.approx([2 / 3, 2 / 3, -1 / 3])
    assert table["effective"].sum() == pytest.approx(1.0)
    assert table.loc["x3", "correlation_with_score"] == pytest.approx(-1.0)
    by_dimension = effective_weights_by_dimension(
        values, {"x1": 1, "x2": 1, "x3": 1, "y": 1}, {"x1": "o", "x2": "o", "x3": "o", "y": "t"}
    )
    assert by_dimension.columns[0] == "dimension"
    assert by_dimension["dimension"].tolist() == ["o", "o", "o", "t"]
    assert by_dimension["effective"].tolist() == pytest.approx([2 / 3, 2 / 3, -1 / 3, 1.0])


def test_rank_shifts_per_alternative_and_overall() -> None:
    published = pd.Series([1, 2, 3, 4, 5], index=list("ABCDE"), dtype=float)
    alternatives = pd.DataFrame(
        {
            "swap": [1, 2, 3, 5, 4],  # shifts 0 0 0 1 1
            "reverse": [5, 4, 3, 2, 1],  # shifts 4 2 0 2 4
            "partial": [1, 2, 3, 4, np.nan],  # E unranked: four shifts of 0
        },
        index=list("ABCDE"),
    )
    table = rank_shifts(published, alternatives).set_index("alternative")
    assert table.index.tolist() == ["swap", "reverse", "partial", "overall"]
    assert table["n"].tolist() == [5, 5, 4, 14]
    assert table["median_absolute_shift"].tolist() == [0, 2, 0, 0]  # overall: 8 zeros of 14
    assert table["max_absolute_shift"].tolist() == [1, 4, 0, 4]
    assert table["share_moving_more_than_3"].tolist() == pytest.approx([0, 0.4, 0, 2 / 14])


PLANTED = pd.DataFrame(
    {
        # opportunity: o3 runs against o1 and o2 (r = −1); threat is clean
        "o1": [0, 0, 2, 2, 1, 1],
        "o2": [-1, -1, 1, 1, 0, 0],
        "o3": [3.5, 3.5, 2.5, 2.5, 3.0, 3.0],
        "t1": [1, 2, 3, 4, 5, 6],
        "t2": [2, 1, 4, 3, 6, 5],
    },
    dtype=float,
)
DIMENSIONS = {"o1": "opportunity", "o2": "opportunity", "o3": "opportunity"}
DIMENSIONS |= {"t1": "threat", "t2": "threat"}


def _audit_findings(values: pd.DataFrame, weights: dict[str, float]) -> list[dict]:
    return findings(
        pairs=correlations(values, DIMENSIONS),
        alpha=alpha_by_dimension(values, DIMENSIONS),
        effective=effective_weights_by_dimension(values, weights, DIMENSIONS),
    )


def test_findings_name_a_planted_negative_correlation_and_negative_weight() -> None:
    found = _audit_findings(PLANTED, dict.fromkeys(PLANTED, 1.0))
    keys = [f["key"] for f in found]
    negative = next(f for f in found if f["key"] == "negative_correlation_within_dimension")
    assert negative["dimension"] == "opportunity" and negative["kind"] == "problem"
    assert {negative["indicator_a"], negative["indicator_b"]} == {"o1", "o3"}
    assert negative["correlation"] == pytest.approx(-1.0)
    assert isinstance(negative["correlation"], float) and isinstance(negative["n"], int)
    assert keys.count("negative_correlation_within_dimension") == 2  # o1–o3 and o2–o3
    weight = next(f for f in found if f["key"] == "negative_effective_weight")
    assert weight["indicator"] == "o3" and weight["effective"] < 0
    assert "no_negative_correlation_within_dimension" in keys  # threat is clean
    assert "effective_weights_follow_nominal" in keys  # threat again


def test_findings_name_negligible_and_dominant_weights_and_low_alpha() -> None:
    effective = pd.DataFrame(
        {
            "dimension": ["threat"] * 3,
            "indicator": ["a", "b", "c"],
            "nominal": [0.2, 0.3, 0.5],
            "effective": [0.03, 0.62, 0.35],  # a < 0.2/3; b > 2 · 0.3; c within
        }
    )
    alpha = pd.DataFrame({"dimension": ["threat"], "alpha": [0.41], "n_complete": [30]})
    found = findings(effective=effective, alpha=alpha)
    weights = [f for f in found if f["key"].endswith("_effective_weight")]
    assert weights == [
        {
            "key": "negligible_effective_weight",
            "kind": "problem",
            "dimension": "threat",
            "indicator": "a",
            "nominal": 0.2,
            "effective": 0.03,
        },
        {
            "key": "dominant_effective_weight",
            "kind": "problem",
            "dimension": "threat",
            "indicator": "b",
            "nominal": 0.3,
            "effective": 0.62,
        },
    ]
    low = next(f for f in found if f["key"] == "low_alpha")
    assert low["alpha"] == 0.41 and low["caveat"] == "formative_index"
    # the thresholds are the caller's
    assert findings(effective=effective, negligible_fraction=0.1, dominant_factor=3)[0] == {
        "key": "effective_weights_follow_nominal",
        "kind": "confirmation",
        "dimension": "threat",
    }


def test_findings_on_coverage_skewness_scores_and_shifts() -> None:
    measured = pd.DataFrame({"p": [1.0, np.nan, np.nan, 4.0]}, index=COUNTRIES)
    applies = pd.DataFrame({"p": [True] * 4}, index=COUNTRIES)
    scores = pd.DataFrame(
        {"indicator": ["p", "p"], "dimension": "threat", "score": ["threat", "opportunity"]}
    ).assign(own_dimension=[True, False], n=4, correlation=[0.2, 0.5])
    shifts = pd.DataFrame(
        {
            "alternative": ["z", "overall"],
            "n": [5, 5],
            "median_absolute_shift": [2.0, 2.0],
            "max_absolute_shift": [4.0, 4.0],
            "share_moving_more_than_3": [0.4, 0.1],
        }
    ).assign(dimension="threat")
    found = findings(
        coverage_of_indicators=coverage_by_indicator(measured, applies),
        coverage_of_countries=coverage_by_country(measured, applies),
        score_correlations=scores,
        shifts=shifts,
    )
    keys = [(f["key"], f.get("indicator", f.get("country"))) for f in found]
    assert ("coverage_below_rule", "p") in keys  # 2 of 4 < 0.65
    assert ("coverage_below_rule", "B") in keys and ("coverage_below_rule", "C") in keys
    assert ("weak_correlation_with_own_score", "p") in keys
    closer = next(f for f in found if f["key"] == "closer_to_other_dimension")
    assert closer["other_dimension"] == "opportunity" and closer["correlation_other"] == 0.5
    shift = next(f for f in found if f["key"] == "rank_shift")
    assert shift["alternative"] == "z" and shift["dimension"] == "threat"
    assert next(f for f in found if f["key"] == "ranks_stable")["alternative"] == "overall"
    # the step labels its rows by ``score``: carried the same way
    relabelled = findings(shifts=shifts.drop(columns="dimension").assign(score="threat"))
    assert relabelled[0]["key"] == "rank_shift" and relabelled[0]["score"] == "threat"


def test_no_problem_is_found_in_a_clean_audit() -> None:
    rng = np.random.default_rng(7)
    common = rng.normal(size=(40, 1))
    values = pd.DataFrame(
        common + 0.5 * rng.normal(size=(40, 5)), columns=["o1", "o2", "o3", "t1", "t2"]
    )
    found = _audit_findings(values, {"o1": 0.3, "o2": 0.3, "o3": 0.4, "t1": 0.5, "t2": 0.5})
    found += findings(distribution=distribution_checks(values))
    assert [f for f in found if f["kind"] == "problem"] == []
    assert {f["key"] for f in found} == {
        "no_negative_correlation_within_dimension",
        "alpha_adequate",
        "effective_weights_follow_nominal",
        "no_skewed_indicator",
    }
