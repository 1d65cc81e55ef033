"""Sobol' indices of the statistical audit: known answers, SALib's numbers, and edge cases."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from SALib.analyze import sobol as salib_sobol_analyze

from analysis.scoring.sobol import (
    INDEX_COLUMNS,
    SUMMARY_COLUMNS,
    UncertainInput,
    input_slices,
    saltelli_design,
    sobol_indices,
    summarise,
)

# Estimation error of the Saltelli/Jansen estimators on these smooth models at these N.
TOLERANCE = 0.02


def single_inputs(count: int) -> list[UncertainInput]:
    """``count`` one-column inputs named x0, x1, ..."""
    return [UncertainInput(f"x{index}") for index in range(count)]


def indices_of(inputs, outputs, **options) -> pd.DataFrame:
    """Indices of a single output named "y", indexed by input."""
    return sobol_indices(inputs, outputs, ["y"], **options).set_index("input")


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """The Ishigami function on uniforms in [0, 1), mapped to [-π, π]."""
    x = -np.pi + 2 * np.pi * x
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_a_linear_model_has_the_analytic_shares_and_intervals_that_contain_them() -> None:
    coefficients = np.array([1.0, 2.0, 3.0, 0.5])
    inputs = single_inputs(len(coefficients))
    design = saltelli_design(inputs, 4096, seed=1)
    found = indices_of(inputs, design @ coefficients, seed=7)
    truth = pd.Series(coefficients**2 / (coefficients**2).sum(), index=found.index)
    for index in ("first_order", "total_effect"):
        assert np.abs(found[index] - truth).max() < TOLERANCE, index
        assert (found[f"{index}_low"] <= truth).all(), index
        assert (truth <= found[f"{index}_high"]).all(), index
    # Var(Σ a_i U_i) = Σ a_i² / 12 for independent uniforms.
    assert found["variance"].iloc[0] == pytest.approx((coefficients**2).sum() / 12, rel=0.02)


def test_the_ishigami_function_has_its_known_indices() -> None:
    inputs = single_inputs(3)
    found = indices_of(inputs, ishigami(saltelli_design(inputs, 4096, seed=2)), seed=3)
    first = np.array([0.3139, 0.4424, 0.0])
    total = np.array([0.5576, 0.4424, 0.2437])
    assert found["first_order"].to_numpy() == pytest.approx(first, abs=0.03)
    assert found["total_effect"].to_numpy() == pytest.approx(total, abs=0.03)


def test_a_group_of_two_columns_has_the_share_of_both_coefficients() -> None:
    inputs = [UncertainInput("alone"), UncertainInput("pair", columns=2), UncertainInput("last")]
    design = saltelli_design(inputs, 2048, seed=4)
    slices = input_slices(inputs)
    assert slices == {"alone": slice(0, 1), "pair": slice(1, 3), "last": slice(3, 4)}
    coefficients = np.array([1.0, 2.0, 3.0, 1.0])
    found = indices_of(inputs, design @ coefficients)
    shares = {"alone": 1 / 15, "pair": (4 + 9) / 15, "last": 1 / 15}
    for name, share in shares.items():
        assert found.loc[name, "first_order"] == pytest.approx(share, abs=TOLERANCE)
        assert found.loc[name, "total_effect"] == pytest.approx(share, abs=TOLERANCE)


def test_each_cross_sample_takes_exactly_its_inputs_columns_from_b() -> None:
    inputs = [UncertainInput("w", columns=3), UncertainInput("g"), UncertainInput("s", 2)]
    design = saltelli_design(inputs, 64, seed=5)
    blocks = design.reshape(64, len(inputs) + 2, design.shape[1])
    a_rows, b_rows = blocks[:, 0], blocks[:, -1]
    for position, (name, columns) in enumerate(input_slices(inputs).items(), start=1):
        expected = a_rows.copy()
        expected[:, columns] = b_rows[:, columns]
        assert np.array_equal(blocks[:, position], expected), name


def test_the_design_has_n_times_groups_plus_two_uniform_rows_and_is_seeded() -> None:
    inputs = [UncertainInput("weights", columns=5), *single_inputs(3)]
    design = saltelli_design(inputs, 128, seed=11)
    assert design.shape == (128 * (4 + 2), 8)
    assert design.min() >= 0.0 and design.max() < 1.0
    assert np.array_equal(design, saltelli_design(inputs, 128, seed=11))
    assert not np.array_equal(design, saltelli_design(inputs, 128, seed=12))


@pytest.mark.parametrize("base_samples", [0, -8, 100, 1000, 3, 2.0, True])
def test_a_base_sample_size_that_is_not_a_power_of_two_is_refused(base_samples) -> None:
    with pytest.raises(ValueError, match="power of two"):
        saltelli_design(single_inputs(2), base_samples, seed=0)


def test_inputs_are_validated() -> None:
    with pytest.raises(ValueError, match="unique"):
        saltelli_design([UncertainInput("a"), UncertainInput("a")], 8, seed=0)
    with pytest.raises(ValueError, match="at least one"):
        saltelli_design([], 8, seed=0)
    with pytest.raises(ValueError, match="at least 1"):
        UncertainInput("weights", columns=0)
    with pytest.raises(ValueError, match="multiple of 4"):
        sobol_indices(single_inputs(2), np.zeros((10, 1)), ["y"])
    with pytest.raises(ValueError, match="missing or infinite"):
        sobol_indices(single_inputs(2), np.full((8, 1), np.nan), ["y"])


@pytest.mark.parametrize("columns", [1, 3])
def test_a_single_input_gets_a_three_row_design_and_all_of_the_variance(columns: int) -> None:
    # SALib drops groups when there is only one, which would give one cross-sample per column.
    inputs = [UncertainInput("only", columns=columns)]
    design = saltelli_design(inputs, 1024, seed=3)
    assert design.shape == (1024 * 3, columns)
    blocks = design.reshape(1024, 3, columns)
    assert np.array_equal(blocks[:, 1], blocks[:, 2])
    assert not np.array_equal(blocks[:, 0], blocks[:, 2])
    found = indices_of(inputs, np.sin(3 * design).sum(axis=1))
    assert found.loc["only", "first_order"] == pytest.approx(1.0, abs=TOLERANCE)
    assert found.loc["only", "total_effect"] == pytest.approx(1.0, abs=TOLERANCE)


def test_an_output_no_input_moves_gets_zeros_without_warnings() -> None:
    inputs = single_inputs(3)
    design = saltelli_design(inputs, 256, seed=0)
    moving = design @ np.array([1.0, 2.0, 3.0])
    # Weights that sum to one on equal values: constant up to rounding.
    rounding = 42.0 * design / design.sum(axis=1, keepdims=True) @ np.ones(3)
    outputs = np.column_stack([np.full(len(design), 42.0), rounding, moving])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = sobol_indices(inputs, outputs, ["constant", "rounding", "moving"])
    assert list(found.columns) == INDEX_COLUMNS
    still = found[found["output"] != "moving"]
    assert (still[INDEX_COLUMNS[2:]] == 0.0).all().all()
    assert found.notna().all().all()
    assert (found.loc[found["output"] == "moving", "total_effect"] > 0).all()


def test_the_vectorised_estimators_equal_salib_analyze() -> None:
    inputs = [UncertainInput("a"), UncertainInput("b", columns=2), UncertainInput("c")]
    design = saltelli_design(inputs, 512, seed=6)
    outputs = np.column_stack(
        [
            ishigami(design[:, [0, 1, 3]]),
            design @ np.array([3.0, 1.0, -2.0, 0.5]) + 100.0,
            np.exp(design[:, 1] * design[:, 2]) + design[:, 0] * design[:, 3],
        ]
    )
    names = ["ishigami", "linear", "interaction"]
    found = sobol_indices(inputs, outputs, names, resamples=50, confidence=0.9, seed=13)
    problem = {
        "num_vars": 4,
        "names": ["a", "b0", "b1", "c"],
        "groups": ["a", "b", "b", "c"],
        "bounds": [[0.0, 1.0]] * 4,
    }
    for column, name in enumerate(names):
        expected = salib_sobol_analyze.analyze(
            problem,
            outputs[:, column],
            calc_second_order=False,
            num_resamples=50,
            conf_level=0.9,
            seed=13,
        )
        mine = found[found["output"] == name]
        np.testing.assert_allclose(mine["first_order"], expected["S1"], rtol=0, atol=1e-10)
        np.testing.assert_allclose(mine["total_effect"], expected["ST"], rtol=0, atol=1e-10)
        first_half = mine["first_order_high"] - mine["first_order"]
        total_half = mine["total_effect"] - mine["total_effect_low"]
        np.testing.assert_allclose(first_half, expected["S1_conf"], rtol=0, atol=1e-10)
        np.testing.assert_allclose(total_half, expected["ST_conf"], rtol=0, atol=1e-10)


def test_the_indices_are_deterministic_for_a_seed() -> None:
    inputs = single_inputs(3)
    outputs = ishigami(saltelli_design(inputs, 256, seed=1))[:, None]
    first = sobol_indices(inputs, outputs, ["y"], seed=5)
    pd.testing.assert_frame_equal(first, sobol_indices(inputs, outputs, ["y"], seed=5))
    other = sobol_indices(inputs, outputs, ["y"], seed=6)
    # The seed draws the bootstrap only: estimates stay, intervals move.
    pd.testing.assert_series_equal(first["total_effect"], other["total_effect"])
    assert not np.allclose(first["total_effect_low"], other["total_effect_low"])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(0.1, 10.0), min_size=2, max_size=5))
def test_first_order_indices_of_a_linear_model_sum_to_one(coefficients: list[float]) -> None:
    inputs = single_inputs(len(coefficients))
    design = saltelli_design(inputs, 1024, seed=0)
    found = indices_of(inputs, design @ np.array(coefficients), resamples=10)
    assert found["first_order"].sum() == pytest.approx(1.0, abs=0.03)
    assert (found["total_effect"] >= found["first_order"] - TOLERANCE).all()


def test_the_summary_ranks_inputs_over_the_outputs_that_vary() -> None:
    rows = [
        ("FI:threat", "weights", 0.6, 1.0),
        ("FI:threat", "goalposts", 0.3, 1.0),
        ("SE:threat", "weights", 0.2, 2.0),
        ("SE:threat", "goalposts", 0.5, 2.0),
        ("NO:threat", "weights", 0.4, 3.0),
        ("NO:threat", "goalposts", 0.1, 3.0),
        ("DK:threat", "weights", 0.0, 0.0),
        ("DK:threat", "goalposts", 0.9, 0.0),  # no variance: ignored
    ]
    indices = pd.DataFrame(rows, columns=["output", "input", "total_effect", "variance"])
    summary = summarise(indices)
    assert list(summary.columns) == SUMMARY_COLUMNS
    assert list(summary["input"]) == ["weights", "goalposts"]
    assert list(summary["median_total_effect"]) == pytest.approx([0.4, 0.3])
    assert list(summary["max_total_effect"]) == pytest.approx([0.6, 0.5])
    assert list(summary["outputs_led"]) == [2, 1]


def test_the_summary_of_indices_from_a_model() -> None:
    inputs = single_inputs(3)
    design = saltelli_design(inputs, 512, seed=8)
    outputs = np.column_stack(
        [design @ [5.0, 1.0, 1.0], design @ [1.0, 1.0, 4.0], np.ones(len(design))]
    )
    summary = summarise(sobol_indices(inputs, outputs, ["a", "b", "flat"]))
    led = dict(zip(summary["input"], summary["outputs_led"], strict=True))
    assert led == {"x0": 1, "x1": 0, "x2": 1}
    assert summary.set_index("input").loc["x1", "max_total_effect"] < 0.1
