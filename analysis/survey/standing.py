"""One organisation's own standing on each arrangement, for its institution report.

For every responding organisation and organisational item (the preparedness block):

- its **status** under ``organisation_rule`` (``organisations.organisation_answers``):
  ``in_place`` (yes), ``partly``, ``not_in_place`` (no), ``undecided`` (a tie) or
  ``no_answer`` (none of its respondents chose yes, partly or no);
- how it was **decided**: ``designated``, ``unanimous``, ``majority``, ``tie`` or ``none``;
  where its respondents' split is withheld, ``unanimous`` and ``majority`` both read
  ``respondents`` (by its respondents' answers), since "unanimous" in a small group tells how
  every one of them answered, which the group rule forbids;
- its respondents' **split** (yes, partly, no, don't know) taken from the organisation's cell
  as the release-wide protection left it (``withhold`` in the survey step): shown exactly
  where that cell is published, with its reason otherwise;
- its **sector without it**: the share of the *other* organisations of its type with the
  arrangement in place, on the same rule, unit (decided organisations, ties apart) and 95 %
  interval (with the finite population correction for the others invited) as the sector
  report's table of organisations
  (``organisations.readiness_by_organisation``). Withheld (``primary``) when fewer than
  ``min_cell`` other organisations are decided, and (``secondary``) whenever the sector
  report withholds the whole sector: the sector without the organisation plus the
  organisation's own status (published beside it) is the sector.

What a reader can work out: the sector report's sector minus this sector-without-it gives the
organisation's status, and two reports of one sector give the difference of two statuses;
both are published anyway. No respondent count of the organisation enters the comparator.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.disclosure.rules import PRIMARY, SECONDARY
from analysis.survey.analyse import ALL
from analysis.survey.clustered import population_share
from analysis.survey.organisations import IN_PLACE

STATUS_OF_CODE = {"yes": "in_place", "partly": "partly", "no": "not_in_place"}
STATUSES = ("in_place", "partly", "not_in_place", "undecided", "no_answer")
DECIDED = ("designated", "unanimous", "majority", "tie", "respondents", "none")
SPLIT = ("n", "yes", "partly", "no", "dont_know")
SECTOR = (
    "sector_organisations",
    "sector_in_place",
    "sector_share",
    "sector_ci_low",
    "sector_ci_high",
    "sector_ties",
)


def sector_without(
    organisations: pd.DataFrame,
    key: str,
    org_type: str,
    item_id: str,
    invited: int | None = None,
) -> dict:
    """The other organisations of ``org_type`` on ``item_id``: decided, in place, share,
    interval and ties (``organisations`` as ``organisation_answers`` returns it). With
    ``invited`` (the organisations of the type invited), the interval takes the finite
    population correction for the ``invited`` − 1 others, as the sector report's does."""
    others = organisations[
        (organisations["org_type"] == org_type)
        & (organisations["item_id"] == item_id)
        & (organisations["organisation_key"] != key)
    ]
    decided = others[others["decided_by"] != "tie"]
    n = len(decided)
    in_place = int((decided["code"] == IN_PLACE).sum())
    estimate = population_share(in_place, n, None if invited is None else invited - 1)
    return {
        "sector_organisations": n,
        "sector_in_place": in_place,
        "sector_share": estimate.share,
        "sector_ci_low": estimate.low,
        "sector_ci_high": estimate.high,
        "sector_ties": len(others) - n,
    }


def organisation_status(
    roster: pd.DataFrame,
    item_ids: list[str],
    organisations: pd.DataFrame,
    cells: pd.DataFrame,
    sectors: pd.DataFrame,
    min_cell: int,
    invited: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """One row per organisation of ``roster`` (``organisation_key``, ``org_type``) and item.

    ``organisations``: ``organisation_answers`` under the configured rule; ``cells``: the
    organisations' protected respondent counts (``organisation_key``, ``item_id``, ``n``,
    ``yes``, ``partly``, ``no``, ``dont_know``, ``suppressed``); ``sectors``: the sector
    report's table of organisations (``readiness_by_organisation``, with ``suppressed``);
    ``invited``: organisations invited per type (``invited_by_group``), for the interval.
    """
    invited = invited or {}
    answer = organisations.set_index(["organisation_key", "item_id"])
    cell = cells.set_index(["organisation_key", "item_id"])
    withheld = {
        (row.item_id, row.org_type): row.suppressed != ""
        for row in sectors[sectors["org_type"] != ALL].itertuples(index=False)
    }
    rows = []
    for org in roster.sort_values("organisation_key").itertuples(index=False):
        for item_id in item_ids:
            key = (org.organisation_key, item_id)
            own = answer.loc[key] if key in answer.index else None
            counts = cell.loc[key] if key in cell.index else None
            reason = PRIMARY if counts is None else str(counts["suppressed"])
            if own is None:
                status, decided_by = "no_answer", "none"
            elif own["decided_by"] == "tie":
                status, decided_by = "undecided", "tie"
            else:
                status, decided_by = STATUS_OF_CODE[str(own["code"])], str(own["decided_by"])
                if reason and decided_by in ("unanimous", "majority"):
                    decided_by = "respondents"
            row = {
                "organisation_key": org.organisation_key,
                "org_type": org.org_type,
                "item_id": item_id,
                "status": status,
                "decided_by": decided_by,
                **{m: (None if reason else float(counts[m])) for m in SPLIT},
                "split_suppressed": reason,
                **sector_without(
                    organisations,
                    org.organisation_key,
                    org.org_type,
                    item_id,
                    invited.get(str(org.org_type)),
                ),
            }
            if row["sector_organisations"] < min_cell:
                row["sector_suppressed"] = PRIMARY
            elif withheld.get((item_id, org.org_type), True):
                row["sector_suppressed"] = SECONDARY
            else:
                row["sector_suppressed"] = ""
            if row["sector_suppressed"]:
                row.update(dict.fromkeys(SECTOR))
            rows.append(row)
    return pd.DataFrame(rows)
