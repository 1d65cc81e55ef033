"""What each source of uncertainty changes on its own: for the joint draws, each source
varied alone and each leave-out scenario, the rank correlation of the scores with the published
ones, the share of settled countries whose class changes, the countries that leave their class
too often, and the median absolute rank shift."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.scoring.model import CLASS_KEYS, SCORES


def ranks(scores: np.ndarray) -> np.ndarray:
    """1 for the highest score of each draw; ties share the best rank (as pandas' "min")."""
    return (scores[:, None, :] > scores[:, :, None]).sum(axis=2) + 1


def _spearman_rows(scores: np.ndarray, published: np.ndarray) -> np.ndarray:
    def average_ranks(values):
        below = (values[:, None, :] < values[:, :, None]).sum(axis=2)
        equal = (values[:, None, :] == values[:, :, None]).sum(axis=2)
        return below + (equal + 1) / 2

    a = average_ranks(scores)
    b = average_ranks(published[None, :])
    a, b = a - a.mean(axis=1, keepdims=True), b - b.mean(axis=1, keepdims=True)
    denominator = np.sqrt((a**2).sum(axis=1) * (b**2).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, (a * b).sum(axis=1) / denominator, np.nan)


def _finite(summary, values: np.ndarray) -> float:
    return float(summary(values)) if np.isfinite(values).any() else float("nan")


def sensitivity_by_source(
    keys: tuple[str, ...],
    config: dict,
    reference,
    published: np.ndarray,
    variants: dict,
) -> pd.DataFrame:
    """For each source of uncertainty on its own, each leave-out and all together: the rank
    correlation of the scores with the published ones, the share of settled countries whose
    class changes, the countries leaving their class in more than ``1 - stable_share`` of that
    source's draws, and the median absolute rank shift."""
    rows = []
    settled = np.isin(published, CLASS_KEYS)
    codes = np.array([CLASS_KEYS.index(k) if k in CLASS_KEYS else -1 for k in published])
    limit = 1 - float(config["stable_share"])
    published_ranks = {d: ranks(reference.scores[d][:1]) for d in SCORES}
    for variant, draws in variants.items():
        moved = draws.classes[:, settled] != codes[settled][None, :]
        share_moved = moved.mean(axis=1) if settled.any() else np.zeros(len(draws.classes))
        often = moved.mean(axis=0) > limit + 1e-12
        changing = " ".join(np.array(keys)[settled][often])
        for dimension in SCORES:
            values = draws.scores[dimension]
            base = reference.scores[dimension][0]
            rho = _spearman_rows(values, base)
            shift = np.abs(ranks(values) - published_ranks[dimension])
            rows.append(
                {
                    "variant": variant,
                    "score": dimension,
                    "draws": len(values),
                    "spearman_median": _finite(np.nanmedian, rho),
                    "spearman_min": _finite(np.nanmin, rho),
                    "share_changing_quadrant_median": float(np.median(share_moved)),
                    "share_changing_quadrant_max": float(share_moved.max()),
                    "countries_changing": changing,
                    "median_absolute_rank_shift": float(np.median(shift)),
                }
            )
    return pd.DataFrame(rows)
