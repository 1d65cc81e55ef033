"""Intervals for survey shares that respect how the answers were collected.

**Respondents clustered in organisations** (``interval_method`` = ``cluster_design``, the
default). Respondents come in organisations, and the respondents of one organisation answer
more alike than strangers do, so 268 answers from 40 organisations carry less information than
268 independent answers. A respondent-level share is a ratio estimator ∑wy / ∑w; its variance
is linearised (Taylor) with organisations as the primary sampling units (the ultimate-cluster,
with-replacement approximation, one stratum: organisations were not drawn by sector, and a
sector's count of respondents is itself random):

    u_i = w_i (y_i − p) / ∑w,   t_j = ∑_{i in organisation j} u_i,
    var(p) = m / (m − 1) · ∑_j (t_j − t̄)²   (m organisations with answers in the cell)

and turned into an effective sample size n_eff = min(n_Kish, p(1 − p) / var(p)), with Korn and
Graubard's degrees-of-freedom correction n_eff · (t_{n−1} / t_{m−1})². The interval is Wilson's
on that effective size. Because n_eff never exceeds the number of answers (Kish's effective
number under ``perceptual_weighting = organisations``), the interval is never narrower than
the one that treats answers as independent; when everyone in an organisation answers alike,
n_eff falls to about the number of organisations. A share of 0 or 1 says nothing about how
alike organisations answer, so each organisation counts once (n_eff = m); a cell with answers
from one organisation only carries the evidence of one. This is deterministic (no seed, no replicates) and cheap
enough for every cell; the cluster bootstrap in ``analysis.survey.bootstrap`` serves the
scoring model's joint draws.

``independent`` keeps the plain Wilson interval (answers as if independent), for comparison.

**Organisations, a known population.** A fact about an organisation is counted once per
organisation among the N organisations of the group that were invited (the population file).
With n of them answering, the sampling variance carries the finite population correction
(N − n) / (N − 1); the interval is Wilson's on n (N − 1) / (N − n) and never leaves what the
N − n organisations not counted could make of the share. When every organisation of the group
answered (n = N), the share is a census: there is no sampling interval (low = high = share).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

INTERVAL_METHODS = ("cluster_design", "independent")


def wilson_interval(successes: float, total: float, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval for a proportion (95 % by default); (nan, nan) when total is 0.
    Fractional counts (a weighted share times an effective sample size) are accepted."""
    if total == 0:
        return math.nan, math.nan
    p = successes / total
    denominator = 1 + z**2 / total
    centre = (p + z**2 / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z**2 / (4 * total**2)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def check_interval_method(method: str) -> str:
    if method not in INTERVAL_METHODS:
        raise ValueError(
            f"interval_method must be one of {', '.join(INTERVAL_METHODS)}, not {method!r}"
        )
    return method


@dataclass(frozen=True)
class Share:
    """A share with its 95 % interval and the effective sample size behind the interval."""

    share: float
    low: float
    high: float
    n_eff: float


def _t_ratio(n: float, df: float) -> float:
    """(t_{n−1} / t_df)², at most 1: Korn and Graubard's correction for few clusters."""
    if df < 1 or n - 1 < 1:
        return 1.0
    return min(1.0, (stats.t.ppf(0.975, n - 1) / stats.t.ppf(0.975, df)) ** 2)


def clustered_share(
    y: pd.Series | np.ndarray,
    clusters: pd.Series | np.ndarray,
    weights: pd.Series | np.ndarray | None = None,
    method: str = "cluster_design",
) -> Share:
    """The (weighted) share of ``y`` (0/1) with a 95 % interval for answers clustered in
    ``clusters`` (one label per answer), by ``method`` (see the module's docstring).

    NaN share and interval without answers (or without weight)."""
    check_interval_method(method)
    y = np.asarray(y, dtype=float)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    total = float(w.sum())
    if len(y) == 0 or total <= 0:
        return Share(math.nan, math.nan, math.nan, 0.0)
    p = float((w * y).sum()) / total
    kish = total**2 / float((w**2).sum())
    n_eff = kish
    if method == "cluster_design":
        u = w * (y - p) / total
        totals = pd.Series(u).groupby(np.asarray(clusters), dropna=False).sum().to_numpy()
        m = len(totals)
        if m < 2:
            n_eff = min(kish, 1.0)  # one organisation: the evidence of one
        else:
            variance = m / (m - 1) * float(((totals - totals.mean()) ** 2).sum())
            if not 0 < p < 1:
                # All alike: nothing shows how alike organisations answer, so each counts once.
                n_eff = min(kish, float(m))
            elif variance > 0:
                n_eff = min(kish, p * (1 - p) / variance)
            n_eff *= _t_ratio(kish, m - 1)
    low, high = wilson_interval(p * n_eff, n_eff)
    return Share(p, low, high, n_eff)


def population_share(in_place: int, n: int, population: int | None) -> Share:
    """The share ``in_place`` / ``n`` of a group of ``population`` organisations, with its 95 %
    interval under the finite population correction; a census (n = N) has none (low = high =
    share). Without a known population, the plain Wilson interval."""
    if n == 0:
        return Share(math.nan, math.nan, math.nan, 0.0)
    p = in_place / n
    if population is None or population <= 0 or math.isnan(population):
        low, high = wilson_interval(in_place, n)
        return Share(p, low, high, float(n))
    if n > population:
        raise ValueError(f"{n} organisations answered but only {population} were invited")
    if n == population:
        return Share(p, p, p, math.inf)
    n_eff = n * (population - 1) / (population - n) if population > 1 else float(n)
    low, high = wilson_interval(p * n_eff, n_eff)
    # The N − n organisations not counted could all have it, or none.
    floor, ceiling = in_place / population, (in_place + population - n) / population
    return Share(p, max(low, floor), min(high, ceiling), n_eff)
