"""What institutions report: shares agreeing, preparedness, countries named. All counts are
of respondents.

Results are computed in two steps. ``scale_counts`` and ``readiness_counts`` count answers for
every group of a hierarchy (all respondents, then each level below: sector, organisation), one
row per question and group with the node of the group and of its parent; the disclosure
protection (``analysis.disclosure.protect``) then decides once, for the whole release, which
cells are withheld; ``agreement_table``, ``likert_table`` and ``readiness_table`` turn the
counts into the published shares, blank where withheld.

Shares of perceptual items can weigh each organisation equally (``weighting`` =
``organisations``: a respondent counts 1 / the number of respondents of the same organisation
who answered the item) instead of each respondent (``respondents``, unweighted). The published
intervals of respondent shares (agreement, share answering yes, share naming a country) account
for respondents being clustered in organisations (``analysis.survey.clustered``, declared as
``interval_method``); ``agreement_table`` alone gives the plain Wilson interval of the counts.
Which cells are withheld never depends on the weighting or the interval: it is decided on the
respondent counts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.disclosure.cells import suppress_small_cells
from analysis.disclosure.protect import protect
from analysis.disclosure.rules import Rules
from analysis.survey.clustered import check_interval_method, clustered_share, wilson_interval
from analysis.survey.codebook import STATUS_ANSWERED, STATUS_DONT_KNOW

ALL = "all"
READINESS_POINTS = {"yes": 1.0, "partly": 0.5, "no": 0.0}
POINTS = [f"count_{k}" for k in range(1, 6)]
SCALE_COUNTS = ["n", "dont_know", "agree", *POINTS]
READINESS_COUNTS = ["n", "dont_know", "yes", "partly", "no", "points"]
CELL = ["level", "group", "node", "parent"]
WEIGHTINGS = ("respondents", "organisations")


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


def reweight(
    table: pd.DataFrame,
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    by: str,
    weighting: str,
    interval_method: str = "cluster_design",
) -> pd.DataFrame:
    """Add ``organisations`` (behind each shown ``n``), ``weighting`` and ``interval_method``
    to an agreement table, and set each shown share and its 95 % interval from the answers:
    weighted as ``weighting`` says, the interval by ``interval_method``
    (``analysis.survey.clustered``: respondents clustered in their organisations, or as if
    independent). Within one organisation (``by`` = ``organisation_key``) its respondents are
    the units. Withheld cells stay withheld: protection was decided on the respondent counts."""
    check_weighting(weighting)
    check_interval_method(interval_method)
    scored = answers[answers["status"] == STATUS_ANSWERED]
    keys = ["respondent_key", by]
    if "organisation_key" in respondents and by != "organisation_key":
        keys.append("organisation_key")
    scored = scored.assign(weight=respondent_weights(scored, respondents, weighting)).merge(
        respondents[keys], on="respondent_key", how="left"
    )
    cluster = "organisation_key" if by != "organisation_key" else "respondent_key"
    if cluster not in scored:
        cluster = "respondent_key"
    result = table.copy()
    organisations, shares, lows, highs = [], [], [], []
    for row in result.itertuples(index=False):
        part = scored[scored["item_id"] == row.item_id]
        group = getattr(row, by)
        if group != ALL:
            part = part[part[by] == group]
        shown = not row.suppressed
        behind = part["organisation_key"].nunique() if "organisation_key" in part else len(part)
        organisations.append(float(behind) if shown else math.nan)
        if shown:
            estimate = clustered_share(
                part["score"] >= 4, part[cluster], part["weight"], interval_method
            )
            share, low, high = estimate.share, estimate.low, estimate.high
        else:
            share, low, high = row.share_agree, row.ci_low, row.ci_high
        shares.append(share)
        lows.append(low)
        highs.append(high)
    return result.assign(
        organisations=organisations,
        share_agree=shares,
        ci_low=lows,
        ci_high=highs,
        weighting=weighting,
        interval_method=interval_method,
    )


def _with_intervals(table: pd.DataFrame, estimate, interval_method: str) -> pd.DataFrame:
    """``table`` with the interval ``estimate(row)`` gives each shown row (``ci_low``,
    ``ci_high``) and ``interval_method``; withheld rows stay blank."""

    def bounds_of(row) -> tuple[float | None, float | None]:
        if row.suppressed:
            return None, None
        interval = estimate(row)
        return interval.low, interval.high

    bounds = [bounds_of(row) for row in table.itertuples(index=False)]
    return table.assign(
        ci_low=[low for low, _ in bounds],
        ci_high=[high for _, high in bounds],
        interval_method=interval_method,
    )


def readiness_intervals(
    table: pd.DataFrame,
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    by: str,
    interval_method: str = "cluster_design",
) -> pd.DataFrame:
    """Add the 95 % interval of each shown ``share_yes`` (``ci_low``, ``ci_high``) and
    ``interval_method`` to a readiness table (respondents unweighted, clustered in their
    organisations as ``reweight`` does). Withheld cells stay blank."""
    check_interval_method(interval_method)
    data = answers[
        (answers["block"] == "preparedness") & (answers["status"] == STATUS_ANSWERED)
    ].merge(
        respondents[
            [
                c
                for c in dict.fromkeys(["respondent_key", by, "organisation_key"])
                if c in respondents
            ]
        ],
        on="respondent_key",
        how="left",
    )
    cluster = "organisation_key" if by != "organisation_key" else "respondent_key"
    if cluster not in data:
        cluster = "respondent_key"

    def estimate(row):
        part = data[data["item_id"] == row.item_id]
        group = getattr(row, by)
        if group != ALL:
            part = part[part[by] == group]
        return clustered_share(part["code"] == "yes", part[cluster], None, interval_method)

    return _with_intervals(table, estimate, interval_method)


def mention_intervals(
    table: pd.DataFrame,
    countries: pd.DataFrame,
    respondents: pd.DataFrame,
    item_id: str,
    interval_method: str = "cluster_design",
) -> pd.DataFrame:
    """Add the 95 % interval of each shown ``share_of_naming`` (``ci_low``, ``ci_high``: of
    the respondents who named any country for ``item_id``, clustered in their organisations)
    and ``interval_method`` to a country-mentions table. Withheld cells stay blank."""
    check_interval_method(interval_method)
    named = countries[(countries["item_id"] == item_id) & countries["iso2"].notna()]
    naming = pd.Index(named["respondent_key"].unique())
    organisation = (
        respondents.set_index("respondent_key")["organisation_key"]
        if "organisation_key" in respondents
        else pd.Series(
            respondents["respondent_key"].to_numpy(), index=respondents["respondent_key"]
        )
    )
    keys = pd.Series(naming, dtype="object")
    clusters = keys.map(organisation).fillna(keys).to_numpy()

    def estimate(row):
        who = set(named.loc[named["iso2"] == row.iso2, "respondent_key"])
        return clustered_share(naming.isin(who), clusters, None, interval_method)

    return _with_intervals(table, estimate, interval_method)


def node_id(level: str, group: object) -> str:
    return ALL if level == ALL else f"{level}:{group}"


def group_tags(respondents: pd.DataFrame, levels: Sequence[str]) -> pd.DataFrame:
    """Each respondent once per group it belongs to: all respondents and one group per level,
    each level nested in the one before (``parent``)."""
    parts = [
        pd.DataFrame(
            {
                "respondent_key": respondents["respondent_key"],
                "level": ALL,
                "group": ALL,
                "node": ALL,
                "parent": "",
            }
        )
    ]
    parent = pd.Series(ALL, index=respondents.index)
    for level in levels:
        if respondents[level].isna().any():
            raise ValueError(f"respondents without a {level!r}")
        node = level + ":" + respondents[level].astype(str)
        parts.append(
            pd.DataFrame(
                {
                    "respondent_key": respondents["respondent_key"],
                    "level": level,
                    "group": respondents[level].astype(str),
                    "node": node,
                    "parent": parent,
                }
            )
        )
        parent = node
    return pd.concat(parts, ignore_index=True)


def _tagged(
    answers: pd.DataFrame, respondents: pd.DataFrame, block: str, levels: Sequence[str]
) -> pd.DataFrame:
    part = answers[answers["block"] == block]
    missing = ~part["respondent_key"].isin(respondents["respondent_key"])
    if missing.any():
        raise ValueError(
            f"answers without a respondent: {sorted(part.loc[missing, 'respondent_key'])[:5]}"
        )
    return part.merge(group_tags(respondents, levels), on="respondent_key", how="inner")


def _count(data: pd.DataFrame, columns: dict[str, pd.Series]) -> pd.DataFrame:
    flags = pd.DataFrame(columns).astype(int)
    keys = data[["item_id", *CELL]]
    return (
        pd.concat([keys, flags], axis=1).groupby(["item_id", *CELL], sort=False).sum().reset_index()
    )


def scale_counts(
    answers: pd.DataFrame, respondents: pd.DataFrame, block: str, levels: Sequence[str]
) -> pd.DataFrame:
    """Per item and group: n (chose a scale point), don't know, agree (4–5), each point 1–5."""
    data = _tagged(answers, respondents, block, levels)
    answered = data["status"] == STATUS_ANSWERED
    score = pd.to_numeric(data["score"], errors="coerce")
    columns = {
        "n": answered,
        "dont_know": data["status"] == STATUS_DONT_KNOW,
        "agree": answered & (score >= 4),
        **{f"count_{k}": answered & (score == k) for k in range(1, 6)},
    }
    return _count(data, columns)


def readiness_counts(
    answers: pd.DataFrame, respondents: pd.DataFrame, levels: Sequence[str]
) -> pd.DataFrame:
    """Per arrangement and group: n (yes, partly or no), don't know, each answer, and points
    (yes = 1, partly = ½, no = 0) as twice-counted halves in ``points``."""
    data = _tagged(answers, respondents, "preparedness", levels)
    answered = data["status"] == STATUS_ANSWERED
    columns = {
        "n": answered,
        "dont_know": data["status"] == STATUS_DONT_KNOW,
        **{code: answered & (data["code"] == code) for code in READINESS_POINTS},
    }
    table = _count(data, columns)
    table["points"] = table["yes"] + 0.5 * table["partly"]
    return table


def withhold(counts: pd.DataFrame, rules: Rules, question: Sequence[str], measures) -> pd.DataFrame:
    """``counts`` with the ``suppressed`` reason of each cell under ``rules``."""
    return counts.assign(
        suppressed=protect(counts, rules, question=list(question), counts=list(measures))
    )


def _keys(counts: pd.DataFrame) -> list[str]:
    return [c for c in ("block", "item_id") if c in counts]


def _blank(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    shown = table["suppressed"] == ""
    for column in columns:
        table[column] = table[column].astype("object").where(shown, None)
    return table


def agreement_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Share answering 4–5 among those who chose a scale point, with its Wilson interval."""
    n = counts["n"].astype(float)
    intervals = [wilson_interval(int(a), int(t)) for a, t in zip(counts["agree"], n, strict=True)]
    table = counts[[*_keys(counts), *CELL, "n", "dont_know", "agree"]].assign(
        share_agree=np.where(n > 0, counts["agree"] / n.where(n > 0, 1), np.nan),
        ci_low=[low for low, _ in intervals],
        ci_high=[high for _, high in intervals],
        suppressed=counts["suppressed"],
    )
    return _blank(table, ["n", "dont_know", "agree", "share_agree", "ci_low", "ci_high"])


def likert_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Share of each scale point 1–5 (for diverging stacked bars)."""
    n = counts["n"].astype(float).where(counts["n"] > 0, np.nan)
    shares = {f"share_{k}": counts[f"count_{k}"] / n for k in range(1, 6)}
    table = counts[[*_keys(counts), *CELL]].assign(
        **shares, n=counts["n"], suppressed=counts["suppressed"]
    )
    return _blank(table, [*shares, "n"])


def readiness_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Mean readiness (yes = 1, partly = ½, no = 0; "don't know" left out) and share yes."""
    n = counts["n"].astype(float).where(counts["n"] > 0, np.nan)
    table = counts[[*_keys(counts), *CELL, "n"]].assign(
        readiness=counts["points"] / n, share_yes=counts["yes"] / n, suppressed=counts["suppressed"]
    )
    return _blank(table, ["n", "readiness", "share_yes"])


def _one_level(table: pd.DataFrame, by: str) -> pd.DataFrame:
    return table.rename(columns={"group": by}).drop(columns=["level", "node", "parent"])


def agreement_shares(
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    block: str,
    by: str,
    min_cell: int,
    weighting: str = "respondents",
    interval_method: str = "cluster_design",
) -> pd.DataFrame:
    """Agreement by one grouping column and for all respondents, under the default rules;
    shares weighted as ``weighting`` says (``organisations`` counts the organisations behind
    each ``n``), intervals by ``interval_method``."""
    counts = scale_counts(answers, respondents, block, [by])
    protected = withhold(counts, Rules.defaults(min_cell), ["item_id"], SCALE_COUNTS)
    table = _one_level(agreement_table(protected), by)
    part = answers[answers["block"] == block]
    return reweight(table, part, respondents, by, weighting, interval_method)


def likert_distribution(
    answers: pd.DataFrame, respondents: pd.DataFrame, block: str, by: str, min_cell: int
) -> pd.DataFrame:
    """Likert shares by one grouping column and for all respondents, under the default rules."""
    counts = scale_counts(answers, respondents, block, [by])
    protected = withhold(counts, Rules.defaults(min_cell), ["item_id"], SCALE_COUNTS)
    return _one_level(likert_table(protected), by)


def preparedness_index(
    answers: pd.DataFrame, respondents: pd.DataFrame, by: str, min_cell: int
) -> pd.DataFrame:
    """Readiness by one grouping column and for all respondents, under the default rules."""
    counts = readiness_counts(answers, respondents, [by])
    protected = withhold(counts, Rules.defaults(min_cell), ["item_id"], READINESS_COUNTS)
    return _one_level(readiness_table(protected), by)


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
