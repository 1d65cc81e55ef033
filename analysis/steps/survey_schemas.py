"""The tables the survey analysis step (``analysis.steps.survey_analysis``) writes: one schema
per table, each column described, validated whenever the step writes it."""

from __future__ import annotations

import pandera.pandas as pa
from pandera import Check, Column

from analysis.disclosure.rules import REASONS
from analysis.figures.survey import BLOCKS, GROUPS
from analysis.survey.analyse import ALL, WEIGHTINGS
from analysis.survey.clustered import INTERVAL_METHODS
from analysis.survey.organisations import RULES
from analysis.survey.standing import DECIDED, STATUSES

# The hierarchy under all respondents: a sector holds its organisations.
LEVELS = ["org_type", "organisation_key"]

_SUPPRESSED = Column(str, Check.isin(list(REASONS)))
_METHOD = Column(
    str,
    Check.isin(list(INTERVAL_METHODS)),
    description="how ci_low/ci_high were computed (interval_method, analysis.survey.clustered): "
    "cluster_design = respondents clustered in organisations; independent = plain Wilson",
)


def _counted(description: str) -> Column:
    return Column(float, Check.ge(0), nullable=True, description=description)


def _shared(description: str) -> Column:
    return Column(float, Check.in_range(0, 1), nullable=True, description=description)


def _interval(of: str, side: str) -> Column:
    return _shared(
        f"{side} end of the 95 % interval of {of} (method in interval_method); blank if withheld"
    )


AGREEMENT = pa.DataFrameSchema(
    {
        "block": Column(str, Check.isin(list(BLOCKS))),
        "item_id": Column(str),
        "org_type": Column(str, Check.isin(GROUPS)),
        "n": Column(float, Check.ge(0), nullable=True),
        "organisations": Column(float, Check.ge(0), nullable=True),
        "dont_know": Column(float, Check.ge(0), nullable=True),
        "agree": Column(float, Check.ge(0), nullable=True),
        "share_agree": Column(float, Check.in_range(0, 1), nullable=True),
        "ci_low": _interval("share_agree", "lower"),
        "ci_high": _interval("share_agree", "upper"),
        "suppressed": _SUPPRESSED,
        "weighting": Column(str, Check.isin(list(WEIGHTINGS))),
        "interval_method": _METHOD,
    },
    unique=["block", "item_id", "org_type"],
    strict=True,
    coerce=True,
)
LIKERT = pa.DataFrameSchema(
    {
        "block": Column(str, Check.isin(list(BLOCKS))),
        "item_id": Column(str),
        "org_type": Column(str, Check.isin(GROUPS)),
        **{f"share_{k}": Column(float, Check.in_range(0, 1), nullable=True) for k in range(1, 6)},
        "n": Column(float, Check.ge(0), nullable=True),
        "suppressed": _SUPPRESSED,
    },
    strict=True,
    coerce=True,
)
READINESS = pa.DataFrameSchema(
    {
        "item_id": Column(str),
        "org_type": Column(str, Check.isin(GROUPS)),
        "n": Column(float, Check.ge(0), nullable=True),
        "readiness": Column(float, Check.in_range(0, 1), nullable=True),
        "share_yes": Column(float, Check.in_range(0, 1), nullable=True),
        "ci_low": _interval("share_yes", "lower"),
        "ci_high": _interval("share_yes", "upper"),
        "suppressed": _SUPPRESSED,
        "interval_method": _METHOD,
    },
    unique=["item_id", "org_type"],
    strict=True,
    coerce=True,
)
_SHARE = Column(float, Check.in_range(0, 1), nullable=True)
_COUNT = Column(float, Check.ge(0), nullable=True)
READINESS_BY_ORGANISATION = pa.DataFrameSchema(
    {
        "item_id": Column(str),
        "org_type": Column(str, Check.isin(GROUPS)),
        "organisations": _COUNT,
        "in_place": _COUNT,
        "share_in_place": _SHARE,
        # Wilson with the finite population correction for the organisations invited.
        "ci_low": _shared("lower end of the 95 % interval of share_in_place (= it if census)"),
        "ci_high": _shared("upper end of the 95 % interval of share_in_place (= it if census)"),
        "census": Column("boolean", nullable=True, description="all invited decided: no interval"),
        "ties": _COUNT,
        "multi_respondent": _COUNT,
        # Of multi_respondent: unanimous + split (decided although they disagree) + undecided.
        "unanimous": _counted("organisations of 2+ respondents, all giving the same answer"),
        "split": _counted("organisations of 2+ respondents decided although they disagree"),
        "undecided": _counted("organisations whose respondents tie (no answer counted)"),
        "disagreeing": _COUNT,
        "share_disagreeing": _SHARE,
        "in_place_split": _counted("organisations in place although their respondents disagree"),
        "disputed": _counted("organisations not counted in place where a respondent says yes"),
        "suppressed": _SUPPRESSED,
        "rule": Column(str, Check.isin(list(RULES))),
    },
    unique=["item_id", "org_type"],
    strict=True,
    coerce=True,
)
RESPONSE_RATES = pa.DataFrameSchema(
    {
        "org_type": Column(str, Check.isin(GROUPS), unique=True),
        "invited": _COUNT,
        "responded": _COUNT,
        "not_responded": _COUNT,
        "response_rate": _shared(
            "responded / invited: a count of a census of organisations, with no sampling interval"
        ),
        "responses": _COUNT,
        "suppressed": _SUPPRESSED,
    },
    strict=True,
    coerce=True,
)
MENTIONS = pa.DataFrameSchema(
    {
        "item_id": Column(str, Check.isin(["concern_countries", "opportunity_countries"])),
        "iso2": Column(str, Check.str_matches(r"^[A-Z]{2}$")),
        "respondents": Column(float, Check.ge(0), nullable=True),
        "share": Column(float, Check.in_range(0, 1), nullable=True),
        "share_of_naming": _SHARE,
        "ci_low": _interval("share_of_naming", "lower"),
        "ci_high": _interval("share_of_naming", "upper"),
        "named_any": Column(int, Check.ge(0)),
        "base": Column(int, Check.ge(0)),
        "suppressed": _SUPPRESSED,
        "interval_method": _METHOD,
    },
    unique=["item_id", "iso2"],
    strict=True,
    coerce=True,
)
COMMENT_THEMES = pa.DataFrameSchema(
    {
        "theme": Column(str, unique=True),
        "respondents": Column(float, Check.ge(0), nullable=True),
        "share_of_commenters": Column(float, Check.in_range(0, 1), nullable=True),
        "commenters": Column(int, Check.ge(0)),
        "share_of_respondents": Column(float, Check.in_range(0, 1), nullable=True),
        "all_respondents": Column(int, Check.ge(0)),
        "suppressed": _SUPPRESSED,
    },
    strict=True,
    coerce=True,
)
CONCERN_VS_READINESS = pa.DataFrameSchema(
    {
        "group": Column(str, Check.isin(GROUPS)),
        "threat_share": Column(float, Check.in_range(0, 1)),
        "readiness": Column(float, Check.in_range(0, 1)),
    },
    strict=True,
    coerce=True,
)

_ORGANISATION = {
    "organisation_key": Column(str),
    "org_type": Column(str, Check.isin(GROUPS)),
}
ORGANISATION_AGREEMENT = pa.DataFrameSchema(
    {
        "block": Column(str, Check.isin(list(BLOCKS))),
        "item_id": Column(str),
        **_ORGANISATION,
        **{k: v for k, v in AGREEMENT.columns.items() if k not in ("block", "item_id", "org_type")},
    },
    unique=["block", "item_id", "organisation_key"],
    strict=True,
    coerce=True,
)
ORGANISATION_READINESS = pa.DataFrameSchema(
    {
        "item_id": Column(str),
        **_ORGANISATION,
        **{k: v for k, v in READINESS.columns.items() if k not in ("item_id", "org_type")},
    },
    unique=["item_id", "organisation_key"],
    strict=True,
    coerce=True,
)
ORGANISATION_STATUS = pa.DataFrameSchema(
    {
        "item_id": Column(str),
        **_ORGANISATION,
        "status": Column(str, Check.isin(list(STATUSES))),
        "decided_by": Column(str, Check.isin(list(DECIDED))),
        "n": _COUNT,
        "yes": _COUNT,
        "partly": _COUNT,
        "no": _COUNT,
        "dont_know": _COUNT,
        "split_suppressed": _SUPPRESSED,
        "sector_organisations": _COUNT,
        "sector_in_place": _COUNT,
        "sector_share": _SHARE,
        "sector_ci_low": _SHARE,
        "sector_ci_high": _SHARE,
        "sector_ties": _COUNT,
        "sector_suppressed": _SUPPRESSED,
        "rule": Column(str, Check.isin(list(RULES))),
    },
    unique=["item_id", "organisation_key"],
    strict=True,
    coerce=True,
)
DISCLOSURE = pa.DataFrameSchema(
    {
        "family": Column(str, Check.isin(["scale", "preparedness"])),
        "level": Column(str, Check.isin([ALL, *LEVELS])),
        "cells": Column(int, Check.ge(0)),
        **{reason or "published": Column(int, Check.ge(0)) for reason in REASONS},
    },
    unique=["family", "level"],
    strict=True,
    coerce=True,
)
