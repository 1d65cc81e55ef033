"""What institutions report: shares agreeing, preparedness, countries named. All counts are
of respondents; every result passes through ``suppress_small_cells`` before it is shown."""

from __future__ import annotations

import math

import pandas as pd

from analysis.disclosure.cells import suppress_small_cells
from analysis.survey.codebook import STATUS_ANSWERED, STATUS_DONT_KNOW

ALL = "all"
READINESS_POINTS = {"yes": 1.0, "partly": 0.5, "no": 0.0}


def wilson_interval(successes: int, total: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval for a proportion (95 % by default); (nan, nan) when total is 0."""
    if total == 0:
        return math.nan, math.nan
    p = successes / total
    denominator = 1 + z**2 / total
    centre = (p + z**2 / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z**2 / (4 * total**2)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def _with_groups(answers: pd.DataFrame, respondents: pd.DataFrame, by: str) -> pd.DataFrame:
    merged = answers.merge(
        respondents[["respondent_key", by]], on="respondent_key", how="left", validate="many_to_one"
    )
    if merged[by].isna().any():
        raise ValueError(f"answers without a respondent {by!r}")
    return pd.concat([merged, merged.assign(**{by: ALL})], ignore_index=True)


def agreement_shares(
    answers: pd.DataFrame, respondents: pd.DataFrame, block: str, by: str, min_cell: int
) -> pd.DataFrame:
    """Share answering 4–5 among those who chose a scale point, per item and group, with CI."""
    data = _with_groups(answers[answers["block"] == block], respondents, by)
    rows = []
    for (item_id, group), part in data.groupby(["item_id", by], sort=False):
        scored = part[part["status"] == STATUS_ANSWERED]
        n = len(scored)
        agree = int((scored["score"] >= 4).sum())
        low, high = wilson_interval(agree, n)
        rows.append(
            {
                "item_id": item_id,
                by: group,
                "n": n,
                "dont_know": int((part["status"] == STATUS_DONT_KNOW).sum()),
                "agree": agree,
                "share_agree": agree / n if n else math.nan,
                "ci_low": low,
                "ci_high": high,
            }
        )
    table = pd.DataFrame(rows)
    return suppress_small_cells(
        table,
        count="n",
        values=["agree", "dont_know", "share_agree", "ci_low", "ci_high"],
        min_cell=min_cell,
        complement_within=["item_id"],
        total=(by, ALL),
    )


def likert_distribution(
    answers: pd.DataFrame, respondents: pd.DataFrame, block: str, by: str, min_cell: int
) -> pd.DataFrame:
    """Share of each scale point 1–5 per item and group (for diverging stacked bars)."""
    data = _with_groups(answers[answers["block"] == block], respondents, by)
    scored = data[data["status"] == STATUS_ANSWERED]
    counts = scored.pivot_table(
        index=["item_id", by], columns="score", values="respondent_key", aggfunc="count"
    ).reindex(columns=[1, 2, 3, 4, 5], fill_value=0)
    counts = counts.fillna(0)
    n = counts.sum(axis=1)
    shares = counts.div(n, axis=0)
    shares.columns = [f"share_{c}" for c in shares.columns]
    table = shares.assign(n=n.astype(int)).reset_index()
    return suppress_small_cells(
        table,
        count="n",
        values=[f"share_{c}" for c in range(1, 6)],
        min_cell=min_cell,
        complement_within=["item_id"],
        total=(by, ALL),
    )


def preparedness_index(
    answers: pd.DataFrame, respondents: pd.DataFrame, by: str, min_cell: int
) -> pd.DataFrame:
    """Mean readiness per item and group: yes = 1, partly = ½, no = 0 ("don't know" left out)."""
    data = _with_groups(answers[answers["block"] == "preparedness"], respondents, by)
    scored = data[data["status"] == STATUS_ANSWERED].assign(
        points=lambda d: d["code"].map(READINESS_POINTS)
    )
    table = (
        scored.groupby(["item_id", by], sort=False)
        .agg(
            n=("points", "size"),
            readiness=("points", "mean"),
            share_yes=("code", lambda c: (c == "yes").mean()),
        )
        .reset_index()
    )
    return suppress_small_cells(
        table,
        count="n",
        values=["readiness", "share_yes"],
        min_cell=min_cell,
        complement_within=["item_id"],
        total=(by, ALL),
    )


def country_mentions(
    countries: pd.DataFrame, respondents: pd.DataFrame, item_id: str, min_cell: int
) -> pd.DataFrame:
    """Respondents naming each country (each respondent counted once per country)."""
    named = countries[(countries["item_id"] == item_id) & countries["iso2"].notna()]
    table = (
        named.drop_duplicates(["respondent_key", "iso2"])
        .groupby("iso2")
        .size()
        .rename("respondents")
        .reset_index()
    )
    table["share"] = table["respondents"] / len(respondents)
    table = table.sort_values(["respondents", "iso2"], ascending=[False, True])
    return suppress_small_cells(
        table, count="respondents", values=["share"], min_cell=min_cell
    ).reset_index(drop=True)
