"""Which assumptions move each country's scores: first-order and total-effect Sobol' indices
of every uncertain input of the scoring model (``analysis.scoring.sobol``, Saltelli's design
through SALib), as the JRC's audits of composite indicators report them.

The uncertain inputs, each one group of uniform columns mapped to the model's own
distributions:

- ``weights``: the Dirichlet weights of each score (one column per indicator, through the
  gamma distribution's quantile function);
- ``goalposts``: both goalposts of every indicator, each within its declared spread;
- ``aggregation``: arithmetic or geometric, as declared;
- ``survey_sampling``: one of the survey's cluster-bootstrap samples;
- ``intervals``: where censored and unmeasured values lie in their intervals (one column per
  indicator, shared by the countries);
- ``inclusion:<indicator>``: each indicator of a score that has another, left out in the
  declared share of runs (independent of the others, as Sobol' indices assume; a run that
  would leave a score with no indicator keeps them all).

The reference levels move classes, not scores, so they are not inputs here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import gamma

from analysis.scoring.model import SCORES
from analysis.scoring.sobol import UncertainInput, input_slices, saltelli_design, sobol_indices
from analysis.scoring.uncertainty import (
    Design,
    Inputs,
    dirichlet_shape,
    dirichlet_weights,
    leave_outs,
    run,
    settings,
)

DEFAULTS = {"base_samples": 1024, "resamples": 100, "leave_out_probability": 0.2, "seed": 0}


def sensitivity_settings(model: dict) -> dict:
    found = {**DEFAULTS, **(model.get("sensitivity") or {})}
    if not 0 <= float(found["leave_out_probability"]) < 1:
        raise ValueError("sensitivity.leave_out_probability must be in [0, 1)")
    return found


def uncertain_inputs(inputs: Inputs, model: dict) -> list[UncertainInput]:
    """The inputs the model declares uncertain, in a fixed order."""
    config = settings(model)
    k = len(inputs.ev.names)
    found = []
    if float(config["weight_concentration"]) > 0:
        found.append(UncertainInput("weights", k))
    if float(config["goalpost_spread"]) > 0:
        found.append(UncertainInput("goalposts", 2 * k))
    if len(config["aggregations"]) > 1:
        found.append(UncertainInput("aggregation"))
    if inputs.replicates:
        found.append(UncertainInput("survey_sampling"))
    if np.isin(inputs.ev.status, ["censored", "not_measured"]).any():
        found.append(UncertainInput("intervals", k))
    if float(sensitivity_settings(model)["leave_out_probability"]) > 0:
        for name, columns in leave_outs(inputs, model).items():
            if len(columns) == 1:
                found.append(UncertainInput(f"inclusion:{name}"))
    return found


def design_from_uniforms(
    inputs: Inputs, model: dict, chosen: list[UncertainInput], uniforms: np.ndarray
) -> Design:
    """The model's draws for the rows of ``uniforms`` (runs × columns in [0, 1))."""
    config = settings(model)
    leave = float(sensitivity_settings(model)["leave_out_probability"])
    ev = inputs.ev
    runs, k = len(uniforms), len(ev.names)
    where = input_slices(chosen)
    weights = np.tile(ev.weights, (runs, 1))
    if "weights" in where:
        shape = dirichlet_shape(ev.weights, ev.dimension, float(config["weight_concentration"]))
        u = np.clip(uniforms[:, where["weights"]], 1e-12, 1 - 1e-12)
        gammas = np.where(shape > 0, gamma.ppf(u, np.where(shape > 0, shape, 1.0)), 0.0)
        weights = dirichlet_weights(ev.weights, ev.dimension, gammas)
    declared = weights.copy()
    for item in chosen:
        if item.name.startswith("inclusion:"):
            j = ev.names.index(item.name.split(":", 1)[1])
            weights[:, j] *= uniforms[:, where[item.name]][:, 0] >= leave
    # A run that leaves out every indicator of a score has no score at all: it keeps the
    # score's indicators, so that no artificial zero is credited to the inclusion inputs.
    for position in np.unique(ev.dimension):
        own = ev.dimension == position
        empty = weights[:, own].sum(axis=1) == 0
        weights[np.ix_(empty, own)] = declared[np.ix_(empty, own)]
    posts = np.zeros((runs, k, 2))
    if "goalposts" in where:
        spread = float(config["goalpost_spread"])
        posts = ((2 * uniforms[:, where["goalposts"]] - 1) * spread).reshape(runs, k, 2)
    geometric = np.full(runs, inputs.published_geometric)
    if "aggregation" in where:
        rules = config["aggregations"]
        picked = np.floor(uniforms[:, where["aggregation"]][:, 0] * len(rules)).astype(int)
        geometric = np.array(rules)[picked] == "geometric"
    replicate = np.full(runs, -1)
    if "survey_sampling" in where:
        samples = min(len(v) for v in inputs.replicates.values())
        replicate = np.floor(uniforms[:, where["survey_sampling"]][:, 0] * samples).astype(int)
    positions = np.full((runs, 1, k), 0.5)
    if "intervals" in where:
        positions = uniforms[:, where["intervals"]][:, None, :]
    return Design(weights, posts, geometric, replicate, np.zeros((runs, 2)), positions)


def variance_based(inputs: Inputs, model: dict) -> pd.DataFrame:
    """Sobol' indices of every uncertain input on every country's opportunity and threat
    scores: one row per country, score and input, with bootstrap confidence intervals."""
    sens = sensitivity_settings(model)
    chosen = uncertain_inputs(inputs, model)
    columns = ["iso2", "score", "input", "first_order", "first_order_low", "first_order_high",
               "total_effect", "total_effect_low", "total_effect_high", "variance"]  # fmt: skip
    if not chosen or not inputs.countries:
        return pd.DataFrame(columns=columns)
    uniforms = saltelli_design(chosen, int(sens["base_samples"]), int(sens["seed"]))
    draws = run(inputs, design_from_uniforms(inputs, model, chosen, uniforms))
    outputs = np.column_stack([draws.scores[d] for d in SCORES])
    names = [f"{key}:{d}" for d in SCORES for key in inputs.keys]
    indices = sobol_indices(
        chosen, outputs, names, resamples=int(sens["resamples"]), seed=int(sens["seed"])
    )
    split = indices["output"].str.rsplit(":", n=1, expand=True)
    indices.insert(0, "iso2", split[0])
    indices.insert(1, "score", split[1])
    return indices.drop(columns="output")[columns]
