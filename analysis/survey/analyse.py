"""What institutions report: shares agreeing, preparedness, countries named. All counts are
of respondents; every result passes through ``suppress_small_cells`` before it is shown.

Shares of perceptual items can weigh each organisation equally (``weighting`` =
``organisations``: a respondent counts 1 / the number of respondents of the same organisation
who answered the item) instead of each respondent (``respondents``, unweighted); the interval
then uses Kish's effective sample size."""

from __future__ import annotations

import math

import pandas as pd

from analysis.disclosure.cells import suppress_small_cells
from analysis.survey.codebook import STATUS_ANSWERED, STATUS_DONT_KNOW

ALL = "all"
READINESS_POINTS = {"yes": 1.0, "partly": 0.5, "no": 0.0}
WEIGHTINGS = ("respondents", "organisations")


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


def check_weighting(weighting: str) -> str:
    if weighting not in WEIGHTINGS:
        raise ValueError(
            f"perceptual_weighting must be one of {', '.join(WEIGHTINGS)}, not {weighting!r}"
        )
    return weighting


def respondent_weights(
    answers: pd.DataFrame, respondents: pd.DataFrame, weighting: str
) -> pd.Series:
    """A weight per answer row: 1 (``respondents``), or 1 / the number of the organisation's
    respondents who answered the same item with a scale point (``organisations``)."""
    check_weighting(weighting)
    if weighting == "respondents":
        return pd.Series(1.0, index=answers.index)
    organisation = answers["respondent_key"].map(
        respondents.set_index("respondent_key")["organisation_key"]
    )
    answered = (answers["status"] == STATUS_ANSWERED).astype(float)
    per_item = answered.groupby([answers["item_id"], organisation]).transform("sum")
    return (answered / per_item.where(per_item > 0)).fillna(0.0)


def weighted_share(agree: pd.Series, weights: pd.Series) -> tuple[float, float, float, float]:
    """Weighted share agreeing with a Wilson interval on Kish's effective sample size:
    (share, low, high, effective n). Unit weights give the plain share and n."""
    total = float(weights.sum())
    if total == 0:
        return math.nan, math.nan, math.nan, 0.0
    p = float((agree.astype(float) * weights).sum()) / total
    effective = total**2 / float((weights**2).sum())
    low, high = wilson_interval(p * effective, effective)  # the formula takes fractions
    return p, low, high, effective


def _with_groups(answers: pd.DataFrame, respondents: pd.DataFrame, by: str) -> pd.DataFrame:
    merged = answers.merge(
        respondents[["respondent_key", by]], on="respondent_key", how="left", validate="many_to_one"
    )
    if merged[by].isna().any():
        raise ValueError(f"answers without a respondent {by!r}")
    return pd.concat([merged, merged.assign(**{by: ALL})], ignore_index=True)


def agreement_shares(
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    block: str,
    by: str,
    min_cell: int,
    weighting: str = "respondents",
) -> pd.DataFrame:
    """Share answering 4–5 among those who chose a scale point, per item and group, with CI.

    ``n`` and ``agree`` are respondents; ``share_agree`` and its interval follow
    ``weighting`` (``respondents``, or ``organisations`` weighing each organisation equally);
    ``organisations`` counts the organisations behind ``n``."""
    part_of_block = answers[answers["block"] == block]
    weighted = part_of_block.assign(
        weight=respondent_weights(part_of_block, respondents, weighting)
    )
    data = _with_groups(weighted, respondents, by)
    if "organisation_key" in respondents:
        data = data.merge(
            respondents[["respondent_key", "organisation_key"]], on="respondent_key", how="left"
        )
    rows = []
    for (item_id, group), part in data.groupby(["item_id", by], sort=False):
        scored = part[part["status"] == STATUS_ANSWERED]
        n = len(scored)
        agree = int((scored["score"] >= 4).sum())
        share_agree, low, high, _ = weighted_share(scored["score"] >= 4, scored["weight"])
        rows.append(
            {
                "item_id": item_id,
                by: group,
                "n": n,
                "organisations": (
                    scored["organisation_key"].nunique() if "organisation_key" in scored else n
                ),
                "dont_know": int((part["status"] == STATUS_DONT_KNOW).sum()),
                "agree": agree,
                "share_agree": share_agree,
                "ci_low": low,
                "ci_high": high,
            }
        )
    table = pd.DataFrame(rows)
    return suppress_small_cells(
        table,
        count="n",
        values=["agree", "organisations", "dont_know", "share_agree", "ci_low", "ci_high"],
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
    """Respondents naming each country (each respondent counted once per country): ``share``
    of all respondents, and ``share_of_naming`` of the ``named_any`` respondents who named at
    least one country for the item (the two denominators are stated wherever a share is)."""
    named = countries[(countries["item_id"] == item_id) & countries["iso2"].notna()]
    named_any = int(named["respondent_key"].nunique())
    table = (
        named.drop_duplicates(["respondent_key", "iso2"])
        .groupby("iso2")
        .size()
        .rename("respondents")
        .reset_index()
    )
    table["share"] = table["respondents"] / len(respondents)
    table["share_of_naming"] = table["respondents"] / named_any if named_any else math.nan
    table["named_any"] = named_any
    table["base"] = len(respondents)
    table = table.sort_values(["respondents", "iso2"], ascending=[False, True])
    return suppress_small_cells(
        table, count="respondents", values=["share", "share_of_naming"], min_cell=min_cell
    ).reset_index(drop=True)
