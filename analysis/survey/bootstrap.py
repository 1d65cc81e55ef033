"""The survey's sampling error for shares of respondents, with respondents clustered in
organisations: a cluster bootstrap that resamples whole organisations with replacement (every
respondent of a drawn organisation comes along), so that answers given alike within one
organisation do not count as independent evidence."""

from __future__ import annotations

import numpy as np
import pandas as pd

ORGANISATION = "organisation_key"


def cluster_weights(respondents: pd.DataFrame, replicates: int, seed: int) -> np.ndarray:
    """replicates × respondents: how many times each respondent is in each bootstrap sample
    (its organisation's draw count). A respondent without an organisation is a cluster of its
    own."""
    clusters = (
        respondents[ORGANISATION]
        .astype("string")
        .fillna("respondent:" + respondents["respondent_key"].astype("string"))
    )
    codes, unique = pd.factorize(clusters, sort=True)
    rng = np.random.default_rng(seed)
    drawn = rng.integers(0, len(unique), size=(replicates, len(unique)))
    counts = np.zeros((replicates, len(unique)))
    np.add.at(counts, (np.arange(replicates)[:, None], drawn), 1.0)
    return counts[:, codes]


def mention_replicates(
    countries: pd.DataFrame,
    respondents: pd.DataFrame,
    item_id: str,
    replicates: int,
    seed: int,
) -> pd.DataFrame:
    """Bootstrap replicates (rows) of the share of all respondents naming each country
    (columns, ISO codes) for one country question, resampling organisations. The share's
    denominator is every respondent of the sample, as in the published table."""
    weights = cluster_weights(respondents, replicates, seed)
    named = countries[(countries["item_id"] == item_id) & countries["iso2"].notna()]
    named = named.drop_duplicates(["respondent_key", "iso2"])
    naming = pd.crosstab(named["respondent_key"], named["iso2"]).reindex(
        respondents["respondent_key"], fill_value=0
    )
    totals = weights.sum(axis=1, keepdims=True)
    shares = (weights @ naming.to_numpy().astype(float)) / totals
    return pd.DataFrame(shares, columns=naming.columns.astype(str))
