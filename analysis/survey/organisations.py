"""Organisations as the unit: facts about an organisation are counted once per organisation.

An organisational item (a safeguard, a contact person, a process, guidelines) has one true
answer per organisation, however many of its people answered. The organisation's answer is
decided by the rule declared in ``config/params.yaml`` (``organisation_rule``):

- ``designated_or_majority``: the designated respondent's answer where the export marks one
  (a boolean ``designated`` column among the respondents), else the majority;
- ``majority``: the most frequent answer among the organisation's respondents who answered.

"Don't know" and no answer do not vote. When the most frequent answers tie, the organisation's
answer is undecided (``decided_by`` = ``tie``): it is counted and shown, never guessed. Beside
each answer stands whether the organisation's respondents disagreed (gave different answers).

Perceptual items (ratings of threats and opportunities) stay with the respondent; their
weighting (``perceptual_weighting``) is ``respondents`` (unweighted) or ``organisations``
(each organisation weighs equally: a respondent counts 1 / the number of respondents of the
same organisation who answered the item).
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.disclosure.cells import suppress_small_cells
from analysis.survey.analyse import ALL
from analysis.survey.clustered import population_share, wilson_interval
from analysis.survey.codebook import STATUS_ANSWERED
from analysis.survey.groups import Group, derivable_groups, group_pairs, separated_gap

RULES = ("designated_or_majority", "majority")
IN_PLACE = "yes"
DECIDED_BY = ("designated", "unanimous", "majority", "tie")
OTHERS = "others"  # a group a reader works out as the total minus the types shown


def organisation_interval(in_place: int, organisations: int) -> tuple[float, float]:
    """The 95 % interval groups of organisations are compared on: Wilson's, without the finite
    population correction, since a group worked out by subtraction has no published
    population. It is at least as wide as the interval the tables publish (which corrects for
    the organisations invited), so a gap it separates is separated in the tables too."""
    return wilson_interval(in_place, organisations)


def check_rule(rule: str) -> str:
    if rule not in RULES:
        raise ValueError(f"organisation_rule must be one of {', '.join(RULES)}, not {rule!r}")
    return rule


def _decide(votes: pd.Series, designated: str | None) -> tuple[str | None, str]:
    """The organisation's answer from its respondents' codes, and how it was decided."""
    counts = votes.value_counts()
    if designated is not None:
        return designated, "designated"
    if len(counts) == 1:
        return str(counts.index[0]), "unanimous"
    if counts.iloc[0] == counts.iloc[1]:
        return None, "tie"
    return str(counts.index[0]), "majority"


def organisation_answers(
    answers: pd.DataFrame, respondents: pd.DataFrame, item_ids: list[str], rule: str
) -> pd.DataFrame:
    """One row per organisation and organisational item: the organisation's answer.

    Columns: ``organisation_key``, ``org_type``, ``item_id``, ``respondents`` (who answered
    the item with a code), ``code`` (None when tied), ``decided_by`` (designated, unanimous,
    majority or tie), ``disagree`` (respondents gave different codes).
    """
    check_rule(rule)
    columns = ["respondent_key", "organisation_key", "org_type"]
    use_designated = rule == "designated_or_majority" and "designated" in respondents
    if use_designated:
        columns.append("designated")
    data = answers[
        answers["item_id"].isin(item_ids) & (answers["status"] == STATUS_ANSWERED)
    ].merge(respondents[columns], on="respondent_key", how="left", validate="many_to_one")
    if data["organisation_key"].isna().any():
        raise ValueError("answers without a respondent organisation")
    rows = []
    for (organisation, item_id), part in data.groupby(["organisation_key", "item_id"], sort=True):
        designated = None
        if use_designated:
            chosen = part[part["designated"].fillna(False).astype(bool)]
            if len(chosen) == 1:
                designated = str(chosen["code"].iloc[0])
        code, decided_by = _decide(part["code"].astype(str), designated)
        rows.append(
            {
                "organisation_key": organisation,
                "org_type": part["org_type"].iloc[0],
                "item_id": item_id,
                "respondents": len(part),
                "code": code,
                "decided_by": decided_by,
                "disagree": part["code"].nunique() > 1,
                "any_yes": bool((part["code"] == IN_PLACE).any()),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "organisation_key",
            "org_type",
            "item_id",
            "respondents",
            "code",
            "decided_by",
            "disagree",
            "any_yes",
        ],
    )


def invited_by_group(population: pd.DataFrame | None, by: str = "org_type") -> dict[str, int]:
    """Organisations invited per group and in all (``ALL``), from the population file."""
    if population is None:
        return {}
    counts = population.groupby(by).size()
    return {**{str(k): int(v) for k, v in counts.items()}, ALL: len(population)}


def readiness_by_organisation(
    organisations: pd.DataFrame,
    min_cell: int,
    by: str = "org_type",
    population: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per organisational item and sector (and ``all``): the share of organisations with it in
    place, with its 95 % interval, and how often one organisation's respondents disagree.

    ``organisations`` counts organisations whose answer is decided (ties are counted apart in
    ``ties``). The interval treats the group's organisations as a known population
    (``population``: every organisation invited, ``organisation_key, org_type``): the finite
    population correction for n of the N organisations invited; ``census`` where every invited organisation
    of the group has a decided answer, and then no sampling interval (``ci_low`` = ``ci_high``
    = the share). Without ``population``, the plain Wilson interval.

    Disagreement: ``multi_respondent`` counts organisations with two or more respondents on
    the item, split into ``unanimous`` (all gave the same answer), ``split`` (decided by the
    majority or the designated respondent although they disagree) and ``undecided`` (a tie);
    ``disagreeing`` = split + undecided. ``in_place_split`` counts the organisations counted
    in place although their respondents disagree; ``disputed`` those not counted in place
    (decided otherwise, or tied) where at least one respondent says it is in place: "in place
    in ``in_place`` of ``organisations``; in ``disputed`` more the respondents disagree".
    Cells of fewer than ``min_cell`` organisations are withheld (``suppress_small_cells``).
    """
    invited = invited_by_group(population, by)
    data = pd.concat([organisations, organisations.assign(**{by: ALL})], ignore_index=True)
    if "any_yes" not in data:
        data["any_yes"] = data["code"] == IN_PLACE
    rows = []
    for (item_id, group), part in data.groupby(["item_id", by], sort=False):
        decided = part[part["decided_by"] != "tie"]
        in_place = int((decided["code"] == IN_PLACE).sum())
        n = len(decided)
        size = invited.get(str(group))
        estimate = population_share(in_place, n, size)
        several = part[part["respondents"] >= 2]
        disagreeing = int(several["disagree"].sum())
        tied = part["decided_by"] == "tie"
        counted = (part["code"] == IN_PLACE) & ~tied
        rows.append(
            {
                "item_id": item_id,
                by: group,
                "organisations": n,
                "in_place": in_place,
                "share_in_place": estimate.share,
                "ci_low": estimate.low,
                "ci_high": estimate.high,
                "census": bool(size is not None and n == size),
                "ties": int(tied.sum()),
                "multi_respondent": len(several),
                "unanimous": int((~several["disagree"]).sum()),
                "split": int((several["disagree"] & (several["decided_by"] != "tie")).sum()),
                "undecided": int((several["decided_by"] == "tie").sum()),
                "disagreeing": disagreeing,
                "share_disagreeing": disagreeing / len(several) if len(several) else math.nan,
                "in_place_split": int((counted & part["disagree"]).sum()),
                "disputed": int((~counted & part["disagree"] & part["any_yes"]).sum()),
            }
        )
    table = pd.DataFrame(rows)
    return suppress_small_cells(
        table,
        count="organisations",
        values=[
            "in_place",
            "share_in_place",
            "ci_low",
            "ci_high",
            "census",
            "ties",
            "multi_respondent",
            "unanimous",
            "split",
            "undecided",
            "disagreeing",
            "share_disagreeing",
            "in_place_split",
            "disputed",
        ],
        min_cell=min_cell,
        complement_within=["item_id"],
        total=(by, ALL),
    )


LARGE_GAP = 0.20  # a sector gap worth stating in the summary: 20 percentage points or more


def _described(group: Group) -> dict[str, object]:
    return {
        "group": next(iter(group.members)) if len(group.members) == 1 else OTHERS,
        "members": " ".join(sorted(group.members)),
        "share": group.share,
        "in_place": group.in_place,
        "organisations": group.organisations,
    }


def sector_gap(
    table: pd.DataFrame,
    min_gap: float = LARGE_GAP,
    by: str = "org_type",
    min_size: int = 1,
) -> dict[str, object]:
    """The largest gap between two groups of organisations in the share with an arrangement in
    place, among gaps of at least ``min_gap`` whose 95 % intervals do not overlap.

    The groups compared are every group a reader can work out from the published cells
    (``derivable_groups``: the types shown, and the total minus any of them, of at least
    ``min_size`` organisations), so a comparison among the types shown is never contradicted
    by subtraction. Returns ``status``: ``gap`` (with the item and, for the higher and the
    lower group, its type or ``others`` with its ``members``, share, in-place count and
    organisations), ``no_gap`` (``comparisons``: pairs of groups compared), or
    ``not_comparable`` when no two groups can be compared without revealing small groups.
    """
    best: dict[str, object] | None = None
    comparisons = 0
    for item_id, part in table.groupby("item_id", sort=True):
        groups = derivable_groups(part, by, ALL, "in_place", "organisations", min_size)
        for a, b in group_pairs(groups):
            comparisons += 1
            gap = separated_gap(a, b, min_gap, organisation_interval)
            if gap is None:
                continue
            high, low = gap
            size = high.share - low.share
            if best is None or size > best["gap"]:
                best = {"item_id": item_id, "gap": float(size)}
                best.update({f"high_{k}": v for k, v in _described(high).items()})
                best.update({f"low_{k}": v for k, v in _described(low).items()})
    if best is not None:
        for side in ("high", "low"):  # disagreement inside a type shown, from its own cells
            if best[f"{side}_group"] != OTHERS:
                row = table[
                    (table["item_id"] == best["item_id"]) & (table[by] == best[f"{side}_group"])
                ]
                for column in ("disputed", "ties"):
                    if column in row and len(row) and pd.notna(row[column].iloc[0]):
                        best[f"{side}_{column}"] = int(row[column].iloc[0])
        return {"status": "gap", **best}
    return {"status": "no_gap" if comparisons else "not_comparable", "comparisons": comparisons}
