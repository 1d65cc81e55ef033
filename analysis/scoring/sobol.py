"""Variance-based global sensitivity analysis (Sobol' indices) of any vectorised model.

The scoring code declares its uncertain inputs (weights, goalposts, aggregation rule, survey
sampling, each indicator's inclusion ...) as :class:`UncertainInput` groups, evaluates its model
on every row of :func:`saltelli_design` (uniforms in [0, 1) that it maps to its own
distributions) and hands the outputs back to :func:`sobol_indices`. The design and the
estimators are SALib's (``SALib.sample.sobol.sample`` with groups, Saltelli 2010 first-order and
Jansen total-effect estimators, no second order, bootstrap confidence intervals), so
G groups cost ``N (G + 2)`` model runs.

Mapping the uniforms is the model's job; it must be a deterministic function of its row (any
randomness of its own shows up as variance no input explains). For example: flat Dirichlet
weights from k columns as ``e = -np.log1p(-u); w = e / e.sum()``; inclusion with probability p
as ``u < p``; one of m rules or of m pre-drawn survey replicates as ``floor(u * m)``. Sobol'
indices assume independent groups: choices that depend on each other (e.g. "exactly one
indicator left out") belong in one group.

Why the estimators are re-implemented here: ``SALib.analyze.sobol.analyze`` works on one output
at a time, and for 80 outputs (2 scores × 40 countries), N = 1024 and 15 groups it took 3.4 s on
this machine, most of it Python loops over groups and bootstrap resamples. :func:`sobol_indices`
applies the same formulas to all outputs at once (the bootstrap resamples become one matrix
product with resample counts) and takes 0.04-0.2 s on that size (measured on 2 cores with
random outputs of shape (17408, 80); the spread is load from other processes). ``tests/test_sobol.py`` checks that its indices and confidence
half-widths equal SALib's ``analyze`` to 1e-10 (with the same non-zero seed).

Differences from calling ``analyze`` per output, all deliberate:

- an output that no input moves (its runs agree to a relative 1e-10) gets indices 0 and
  variance 0 instead of NaN and a warning per estimator call;
- ``seed=0`` is a seed like any other (SALib treats a falsy seed as "unseeded").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from SALib.sample import sobol as salib_sobol_sample
from scipy.stats import norm

INDEX_COLUMNS = [
    "output",
    "input",
    "first_order",
    "first_order_low",
    "first_order_high",
    "total_effect",
    "total_effect_low",
    "total_effect_high",
    "variance",
]
SUMMARY_COLUMNS = ["input", "median_total_effect", "max_total_effect", "outputs_led"]
# An output whose runs differ by less than this (relative to its size) is treated as constant:
# rounding noise of a weighted sum would otherwise be normalised into meaningless indices.
CONSTANT_OUTPUT_TOLERANCE = 1e-10
# SALib's threshold for "no variance" inside its estimators, kept so the numbers match.
EPSILON = np.finfo(float).eps


@dataclass(frozen=True)
class UncertainInput:
    """One source of uncertainty; all its uniform columns form one group of the analysis.

    ``columns`` is how many uniforms in [0, 1) the model needs for it, e.g. one per indicator
    for the weights. The group's indices measure the effect of all its columns together.
    """

    name: str
    columns: int = 1

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("an uncertain input needs a name")
        if isinstance(self.columns, bool) or not isinstance(self.columns, int | np.integer):
            raise ValueError(f"{self.name}: columns must be an integer, got {self.columns!r}")
        if self.columns < 1:
            raise ValueError(f"{self.name}: columns must be at least 1, got {self.columns}")


def _checked_inputs(inputs: Sequence[UncertainInput]) -> tuple[UncertainInput, ...]:
    """The inputs as a tuple, refusing an empty list and repeated names (groups are by name)."""
    found = tuple(inputs)
    if not found:
        raise ValueError("at least one uncertain input is needed")
    names = [item.name for item in found]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"uncertain input names must be unique; repeated: {repeated}")
    return found


def _check_power_of_two(base_samples: int) -> None:
    """Refuse a base sample size the Sobol' sequence loses its balance properties at."""
    is_int = isinstance(base_samples, int | np.integer) and not isinstance(base_samples, bool)
    if not is_int or base_samples < 1 or base_samples & (base_samples - 1):
        raise ValueError(
            f"base_samples must be a positive power of two (e.g. 512, 1024), got {base_samples!r}:"
            " the Sobol' sequence is only balanced for powers of two"
        )


def _column_names(inputs: Sequence[UncertainInput]) -> list[str]:
    """One name per design column: the input's name, indexed when it has several columns."""
    return [
        item.name if item.columns == 1 else f"{item.name}[{index}]"
        for item in inputs
        for index in range(item.columns)
    ]


def _salib_problem(inputs: Sequence[UncertainInput]) -> dict:
    """SALib's problem definition: unit bounds, one group per input."""
    names = _column_names(inputs)
    return {
        "num_vars": len(names),
        "names": names,
        "groups": [item.name for item in inputs for _ in range(item.columns)],
        "bounds": [[0.0, 1.0]] * len(names),
    }


def _single_input_design(problem: dict, base_samples: int, seed: int) -> np.ndarray:
    """The design for one group, built from SALib's ungrouped design.

    SALib ignores ``groups`` when there is only one, so a multi-column input would get one
    cross-sample per column. With a single group the cross-sample takes every column from B,
    so the right design is rows A, B, B: A and B are the first and last row of each block of
    SALib's ungrouped design (which draws the same base sequence).
    """
    ungrouped = {key: value for key, value in problem.items() if key != "groups"}
    design = salib_sobol_sample.sample(
        ungrouped, base_samples, calc_second_order=False, scramble=True, seed=seed
    )
    blocks = design.reshape(base_samples, problem["num_vars"] + 2, problem["num_vars"])
    a_rows, b_rows = blocks[:, 0, :], blocks[:, -1, :]
    return np.stack([a_rows, b_rows, b_rows], axis=1).reshape(-1, problem["num_vars"])


def saltelli_design(inputs: Sequence[UncertainInput], base_samples: int, seed: int) -> np.ndarray:
    """Uniforms in [0, 1) to run the model on: ``base_samples * (len(inputs) + 2)`` rows.

    Columns follow ``input_slices(inputs)``. Rows come in blocks of ``len(inputs) + 2``:
    A, then A with input j's columns taken from B (one row per input, in order), then B.
    The Sobol' sequence is scrambled and seeded, so the design is reproducible.
    """
    inputs = _checked_inputs(inputs)
    _check_power_of_two(base_samples)
    problem = _salib_problem(inputs)
    if len(inputs) == 1:
        return _single_input_design(problem, base_samples, seed)
    return salib_sobol_sample.sample(
        problem, base_samples, calc_second_order=False, scramble=True, seed=seed
    )


def input_slices(inputs: Sequence[UncertainInput]) -> dict[str, slice]:
    """Where each input's columns are in the design, by input name."""
    slices: dict[str, slice] = {}
    start = 0
    for item in _checked_inputs(inputs):
        slices[item.name] = slice(start, start + item.columns)
        start += item.columns
    return slices


def _checked_outputs(outputs: np.ndarray, output_names: Sequence[str], groups: int) -> np.ndarray:
    """The outputs as a float matrix (runs × outputs) that fits a design for ``groups``."""
    values = np.asarray(outputs, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    if values.ndim != 2:
        raise ValueError(f"outputs must be runs × outputs, got shape {values.shape}")
    if len(output_names) != values.shape[1]:
        raise ValueError(f"{len(output_names)} output names for {values.shape[1]} output columns")
    if len(set(output_names)) != len(output_names):
        raise ValueError("output names must be unique")
    if values.shape[0] == 0 or values.shape[0] % (groups + 2):
        raise ValueError(
            f"{values.shape[0]} runs do not fit a design for {groups} inputs "
            f"(runs must be a multiple of {groups + 2}, as made by saltelli_design)"
        )
    finite = np.isfinite(values).all(axis=0)
    broken = [name for name, ok in zip(output_names, finite, strict=True) if not ok]
    if broken:
        raise ValueError(f"outputs with missing or infinite values: {broken[:10]}")
    return values


def _constant_outputs(values: np.ndarray) -> np.ndarray:
    """Which outputs no input moves (within rounding), one flag per column."""
    scale = np.maximum(1.0, np.abs(values).max(axis=0))
    return np.ptp(values, axis=0) <= CONSTANT_OUTPUT_TOLERANCE * scale


def _standardised(values: np.ndarray, constant: np.ndarray) -> np.ndarray:
    """Each output centred and scaled over all runs, as SALib does before estimating.

    Centring matters: the first-order estimator is biased for outputs far from zero.
    Constant outputs are only centred (to zeros), so nothing is divided by zero.
    """
    spread = values.std(axis=0)
    spread = np.where(constant, 1.0, spread)
    return (values - values.mean(axis=0)) / spread


def _split_blocks(values: np.ndarray, groups: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A (N × k), the cross-samples AB (N × groups × k) and B (N × k) of the design's runs."""
    blocks = values.reshape(-1, groups + 2, values.shape[1])
    return blocks[:, 0, :], blocks[:, 1:-1, :], blocks[:, -1, :]


def _row_terms(a: np.ndarray, ab: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per base sample, the terms whose means are the first-order and total-effect variances.

    Saltelli et al. (2010): V_j ≈ mean(B (AB_j - A)); Jansen: VT_j ≈ mean((A - AB_j)²) / 2.
    """
    difference = ab - a[:, None, :]
    return b[:, None, :] * difference, 0.5 * difference**2


def _ratio(numerator: np.ndarray, variance: np.ndarray) -> np.ndarray:
    """numerator / variance, and 0 where the variance is (numerically) zero, as in SALib."""
    return np.divide(
        numerator,
        variance,
        out=np.zeros(np.broadcast_shapes(numerator.shape, variance.shape)),
        where=variance > EPSILON,
    )


def _point_estimates(
    a: np.ndarray, b: np.ndarray, first_terms: np.ndarray, total_terms: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """First-order and total-effect indices (groups × outputs), SALib's formulas."""
    pooled = np.concatenate([a, b])
    variance = np.where(np.ptp(pooled, axis=0) > EPSILON, pooled.var(axis=0), 0.0)
    return _ratio(first_terms.mean(axis=0), variance), _ratio(total_terms.mean(axis=0), variance)


def _resample_counts(base_samples: int, resamples: int, seed: int) -> np.ndarray:
    """How often each base sample is drawn in each bootstrap resample (resamples × N).

    The draws are SALib's (``default_rng(seed).integers(N, size=(N, resamples))``), so the
    intervals equal ``analyze(..., seed=seed)``; counts turn every resample mean into one
    matrix product instead of a gather per group.
    """
    draws = np.random.default_rng(seed).integers(base_samples, size=(base_samples, resamples))
    offsets = np.arange(resamples) * base_samples
    flat = (draws.T + offsets[:, None]).ravel()
    counts = np.bincount(flat, minlength=resamples * base_samples)
    return counts.reshape(resamples, base_samples).astype(float)


def _half_widths(
    a: np.ndarray,
    b: np.ndarray,
    first_terms: np.ndarray,
    total_terms: np.ndarray,
    counts: np.ndarray,
    z: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap half-widths z · sd of the first-order and total-effect indices (groups × k)."""
    n, groups, k = first_terms.shape
    draws = 2 * n
    # One-pass variance is safe here: the outputs are standardised (mean 0, sd 1).
    mean = (counts @ a + counts @ b) / draws
    variance = (counts @ a**2 + counts @ b**2) / draws - mean**2
    first = (counts @ first_terms.reshape(n, -1) / n).reshape(-1, groups, k)
    total = (counts @ total_terms.reshape(n, -1) / n).reshape(-1, groups, k)
    first = _ratio(first, variance[:, None, :])
    total = _ratio(total, variance[:, None, :])
    # SALib zeroes an interval when the resampled A and B values hardly differ at all.
    used = counts.sum(axis=0) > 0
    spread = np.ptp(np.concatenate([a[used], b[used]]), axis=0)
    keep = (spread > EPSILON)[None, :]
    first_sd = np.where(keep, first.std(axis=0, ddof=1), 0.0)
    total_sd = np.where(keep, total.std(axis=0, ddof=1), 0.0)
    return z * first_sd, z * total_sd


def _check_bootstrap(resamples: int, confidence: float) -> None:
    """Refuse settings that give no interval (one resample has no spread)."""
    if resamples < 2:
        raise ValueError(f"resamples must be at least 2, got {resamples}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")


def _long_table(
    output_names: Sequence[str],
    input_names: Sequence[str],
    estimates: dict[str, np.ndarray],
    variance: np.ndarray,
) -> pd.DataFrame:
    """One row per (output, input) from arrays of shape groups × outputs."""
    table = pd.DataFrame(
        {
            "output": np.repeat(list(output_names), len(input_names)),
            "input": np.tile(list(input_names), len(output_names)),
        }
    )
    for column, values in estimates.items():
        table[column] = values.T.ravel()
    table["variance"] = np.repeat(variance, len(input_names))
    return table[INDEX_COLUMNS]


def sobol_indices(
    inputs: Sequence[UncertainInput],
    outputs: np.ndarray,
    output_names: Sequence[str],
    *,
    resamples: int = 100,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """First-order and total-effect indices of every input on every output, with intervals.

    ``outputs`` holds the model's results on ``saltelli_design(inputs, ...)``, one row per run
    (same order) and one column per output. The result has one row per (output, input) with
    the columns of ``INDEX_COLUMNS``; ``*_low``/``*_high`` are the estimate ∓ the bootstrap
    half-width at ``confidence``; ``variance`` is the output's variance over the A and B runs
    (0 for an output that no input moves, whose indices are then 0 too).
    """
    inputs = _checked_inputs(inputs)
    _check_bootstrap(resamples, confidence)
    groups = len(inputs)
    values = _checked_outputs(outputs, output_names, groups)
    constant = _constant_outputs(values)
    a, ab, b = _split_blocks(_standardised(values, constant), groups)
    first_terms, total_terms = _row_terms(a, ab, b)
    first, total = _point_estimates(a, b, first_terms, total_terms)
    counts = _resample_counts(a.shape[0], resamples, seed)
    z = norm.ppf(0.5 + confidence / 2)
    first_half, total_half = _half_widths(a, b, first_terms, total_terms, counts, z)
    raw_a, _, raw_b = _split_blocks(values, groups)
    variance = np.concatenate([raw_a, raw_b]).var(axis=0)
    # Indices of an output without variance are 0 by definition, not estimates of noise.
    variance = np.where(constant, 0.0, variance)
    moved = (variance > 0)[None, :]
    first, total = np.where(moved, first, 0.0), np.where(moved, total, 0.0)
    first_half, total_half = np.where(moved, first_half, 0.0), np.where(moved, total_half, 0.0)
    estimates = {
        "first_order": first,
        "first_order_low": first - first_half,
        "first_order_high": first + first_half,
        "total_effect": total,
        "total_effect_low": total - total_half,
        "total_effect_high": total + total_half,
    }
    return _long_table(output_names, [item.name for item in inputs], estimates, variance)


def summarise(indices: pd.DataFrame) -> pd.DataFrame:
    """Which inputs move the picture overall, from a :func:`sobol_indices` table.

    Per input: the median and maximum total effect over the outputs with variance > 0, and
    on how many of those outputs it has the largest total effect (``outputs_led``; a tie
    goes to the input listed first). Sorted by median total effect, largest first; inputs
    keep their place when no output varies (NaN effects, 0 led).
    """
    inputs = list(pd.unique(indices["input"]))
    moved = indices[indices["variance"] > 0]
    effects = moved.groupby("input", sort=False)["total_effect"]
    summary = pd.DataFrame({"input": inputs})
    summary["median_total_effect"] = summary["input"].map(effects.median())
    summary["max_total_effect"] = summary["input"].map(effects.max())
    wide = moved.pivot(index="output", columns="input", values="total_effect")
    leaders = wide[[name for name in inputs if name in wide.columns]].idxmax(axis=1)
    summary["outputs_led"] = summary["input"].map(leaders.value_counts()).fillna(0).astype(int)
    return summary.sort_values(
        "median_total_effect", ascending=False, kind="stable", na_position="last"
    ).reset_index(drop=True)[SUMMARY_COLUMNS]
