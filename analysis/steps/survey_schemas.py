"""The tables the survey analysis step (``analysis.steps.survey_analysis``) writes: one schema
per table, each column described, validated whenever the step writes it."""

from __future__ import annotations

from pandera import Check, Column

from analysis.disclosure.rules import REASONS
from analysis.figures.survey import BLOCKS, GROUPS
from analysis.files.schemas import (
    INTERNAL,
    PUBLISHABLE,
    col,
    count,
    described,
    iso2,
    share,
    table,
    text,
)
from analysis.survey.analyse import ALL, WEIGHTINGS
from analysis.survey.clustered import INTERVAL_METHODS
from analysis.survey.organisations import RULES
from analysis.survey.standing import DECIDED, STATUSES

STEP = "survey_analysis"  # the step that writes these tables
# The hierarchy under all respondents: a sector holds its organisations.
LEVELS = ["org_type", "organisation_key"]

_SUPPRESSED = text(
    "blank = published; else why the cell is withheld: primary (under min_cell), group (a "
    "share near 0 or 100 % in a small group), secondary (to stop differencing)",
    Check.isin(list(REASONS)),
)
_METHOD = text(
    "how ci_low/ci_high were computed (interval_method, analysis.survey.clustered): "
    "cluster_design = respondents clustered in organisations; independent = plain Wilson",
    Check.isin(list(INTERVAL_METHODS)),
)
_BLOCK = text("questionnaire block: threats or opportunities", Check.isin(list(BLOCKS)))
_ITEM = col(str, "survey item, as in config/codebook.yaml", labels="item")
_GROUP = col(
    str, "the group: a sector, or all = all respondents", Check.isin(GROUPS), labels="org_type"
)
_RULE = text(
    "how each organisation's answer was decided (organisation_rule)", Check.isin(list(RULES))
)
_N = "respondents who chose a point of the scale (don't know left out); blank if withheld"


def _counted(description: str) -> Column:
    """A count that is blank where the cell is withheld (float)."""
    return count(f"{description}; blank if withheld", nullable=True)


def _shared(description: str) -> Column:
    return share(f"{description}; blank if withheld")


def _interval(of: str, side: str) -> Column:
    return _shared(f"{side} end of the 95 % interval of {of} (method in interval_method)")


AGREEMENT = table(
    "survey_agreement",
    "Per rated item (threats, opportunities) and group (all respondents, each sector): "
    "respondents who agree (4 or 5 on the 1–5 scale), the share and its 95 % interval. "
    "Protected with the whole release (disclosure control).",
    PUBLISHABLE,
    {
        "block": _BLOCK,
        "item_id": _ITEM,
        "org_type": _GROUP,
        "n": _counted(_N),
        "organisations": _counted("organisations the n respondents belong to"),
        "dont_know": _counted("respondents answering don't know"),
        "agree": _counted("respondents choosing 4 or 5"),
        "share_agree": _shared("agree / n (weighted as in weighting)"),
        "ci_low": _interval("share_agree", "lower"),
        "ci_high": _interval("share_agree", "upper"),
        "suppressed": _SUPPRESSED,
        "weighting": text(
            "respondents (unweighted) or organisations (each weighs equally)",
            Check.isin(list(WEIGHTINGS)),
        ),
        "interval_method": _METHOD,
    },
    unique=["block", "item_id", "org_type"],
)
LIKERT = table(
    "survey_likert",
    "Per rated item and group: the share choosing each point 1–5 of the scale. Protected with "
    "survey_agreement (withheld where it is).",
    PUBLISHABLE,
    {
        "block": _BLOCK,
        "item_id": _ITEM,
        "org_type": _GROUP,
        **{f"share_{k}": _shared(f"share of n choosing {k}") for k in range(1, 6)},
        "n": _counted(_N),
        "suppressed": _SUPPRESSED,
    },
)
READINESS = table(
    "survey_readiness",
    "Per preparedness arrangement and group, counted per respondent: mean readiness (yes = 1, "
    "partly = ½, no = 0) and the share answering yes with its 95 % interval. Protected.",
    PUBLISHABLE,
    {
        "item_id": _ITEM,
        "org_type": _GROUP,
        "n": _counted("respondents answering yes, partly or no"),
        "readiness": _shared("mean of yes = 1, partly = ½, no = 0 over n"),
        "share_yes": _shared("respondents answering yes / n"),
        "ci_low": _interval("share_yes", "lower"),
        "ci_high": _interval("share_yes", "upper"),
        "suppressed": _SUPPRESSED,
        "interval_method": _METHOD,
    },
    unique=["item_id", "org_type"],
)
READINESS_BY_ORGANISATION = table(
    "survey_readiness_of_organisations",
    "Per preparedness arrangement and sector, counted per organisation (organisation_rule): "
    "organisations with it in place, the share with a finite-population 95 % interval, and how "
    "far their respondents disagree. Protected.",
    PUBLISHABLE,
    {
        "item_id": _ITEM,
        "org_type": _GROUP,
        "organisations": _counted("responding organisations with a decided answer"),
        "in_place": _counted("of them, organisations with the arrangement in place"),
        "share_in_place": _shared("in_place / organisations"),
        # Wilson with the finite population correction for the organisations invited.
        "ci_low": _shared("lower end of the 95 % interval of share_in_place (= it if census)"),
        "ci_high": _shared("upper end of the 95 % interval of share_in_place (= it if census)"),
        "census": col("boolean", "all invited decided: no interval", nullable=True),
        "ties": _counted("organisations whose respondents tie (left undecided)"),
        "multi_respondent": _counted("organisations with 2 or more respondents"),
        # Of multi_respondent: unanimous + split (decided although they disagree) + undecided.
        "unanimous": _counted("organisations of 2+ respondents, all giving the same answer"),
        "split": _counted("organisations of 2+ respondents decided although they disagree"),
        "undecided": _counted("organisations whose respondents tie (no answer counted)"),
        "disagreeing": _counted("organisations whose respondents give different answers"),
        "share_disagreeing": _shared("disagreeing / multi_respondent"),
        "in_place_split": _counted("organisations in place although their respondents disagree"),
        "disputed": _counted("organisations not counted in place where a respondent says yes"),
        "suppressed": _SUPPRESSED,
        "rule": _RULE,
    },
    unique=["item_id", "org_type"],
)
RESPONSE_RATES = table(
    "survey_response_rates",
    "Per sector and in all: organisations invited (config/population), responding and not, "
    "the response rate and the responses received. Protected table by table.",
    PUBLISHABLE,
    {
        "org_type": col(
            str, "the sector, or all", Check.isin(GROUPS), unique=True, labels="org_type"
        ),
        "invited": _counted("organisations invited"),
        "responded": _counted("organisations with at least one kept response"),
        "not_responded": _counted("invited - responded"),
        "response_rate": _shared(
            "responded / invited: a count of a census of organisations, with no sampling interval"
        ),
        "responses": _counted("kept responses (respondents)"),
        "suppressed": _SUPPRESSED,
    },
)
MENTIONS = table(
    "survey_country_mentions",
    "Per question (concern, opportunity) and country named: respondents naming it, the share of "
    "all respondents and of those naming any country, with a 95 % interval. Protected with "
    "suppress_small_cells.",
    PUBLISHABLE,
    {
        "item_id": col(
            str,
            "the question: concern_countries or opportunity_countries",
            Check.isin(["concern_countries", "opportunity_countries"]),
            labels="item",
        ),
        "iso2": iso2("the country named"),
        "respondents": _counted("respondents naming the country"),
        "share": _shared("respondents / base (all respondents)"),
        "share_of_naming": _shared("respondents / named_any"),
        "ci_low": _interval("share_of_naming", "lower"),
        "ci_high": _interval("share_of_naming", "upper"),
        "named_any": count("respondents who named any country in the question"),
        "base": count("all respondents"),
        "suppressed": _SUPPRESSED,
        "interval_method": _METHOD,
    },
    unique=["item_id", "iso2"],
)
COMMENT_THEMES = table(
    "survey_comment_themes",
    "Per comment theme (config/comment_themes.yaml keywords): respondents whose comment touches "
    "it, as a share of commenters and of all respondents. Counts only, no text; protected.",
    PUBLISHABLE,
    {
        "theme": text("theme key (labels in config/comment_themes.yaml)", unique=True),
        "respondents": _counted("respondents whose comment matches the theme"),
        "share_of_commenters": _shared("respondents / commenters"),
        "commenters": count("respondents who wrote a comment"),
        "share_of_respondents": _shared("respondents / all_respondents"),
        "all_respondents": count("all respondents"),
        "suppressed": _SUPPRESSED,
    },
)
CONCERN_VS_READINESS = table(
    "survey_concern_vs_readiness",
    "Per sector: mean share agreeing on the threat items against mean readiness (the figure "
    "threats_vs_preparedness). Not protected cell by cell: not for release.tables.",
    INTERNAL,
    {
        "group": col(str, "the sector, or all", Check.isin(GROUPS), labels="org_type"),
        "threat_share": share("mean share agreeing over the threat items", nullable=False),
        "readiness": share("mean readiness over the preparedness items", nullable=False),
    },
)

_ORGANISATION = {
    "organisation_key": text("the responding organisation's key"),
    "org_type": col(str, "the organisation's sector", Check.isin(GROUPS), labels="org_type"),
}
ORGANISATION_AGREEMENT = table(
    "survey_agreement_by_organisation",
    "survey_agreement for each organisation (what its institution report shows), protected "
    "together with the sector results.",
    PUBLISHABLE,
    {
        "block": _BLOCK,
        "item_id": _ITEM,
        **_ORGANISATION,
        **{k: v for k, v in AGREEMENT.columns.items() if k not in ("block", "item_id", "org_type")},
    },
    unique=["block", "item_id", "organisation_key"],
)
ORGANISATION_READINESS = table(
    "survey_readiness_by_organisation",
    "survey_readiness (per respondent) for each organisation, protected together with the "
    "sector results.",
    PUBLISHABLE,
    {
        "item_id": _ITEM,
        **_ORGANISATION,
        **{k: v for k, v in READINESS.columns.items() if k not in ("item_id", "org_type")},
    },
    unique=["item_id", "organisation_key"],
)
ORGANISATION_STATUS = table(
    "survey_organisation_status",
    "Per organisation and preparedness arrangement: its status under organisation_rule, how it "
    "was decided, its respondents' split where publishable, and its sector without it. "
    "Each organisation's own results: for its institution report, not for the public tables "
    "(statuses of named organisations add up to sectors the public tables withhold).",
    INTERNAL,
    {
        "item_id": _ITEM,
        **_ORGANISATION,
        "status": text(
            "in_place, partly, not_in_place, undecided (a tie) or no_answer",
            Check.isin(list(STATUSES)),
        ),
        "decided_by": text(
            "designated respondent, unanimous, majority, tie, respondents (split withheld) or none",
            Check.isin(list(DECIDED)),
        ),
        "n": _counted("its respondents answering yes, partly or no"),
        "yes": _counted("of them, answering yes"),
        "partly": _counted("answering partly"),
        "no": _counted("answering no"),
        "dont_know": _counted("its respondents answering don't know"),
        "split_suppressed": described(_SUPPRESSED, "why the split (n … dont_know) is withheld"),
        "sector_organisations": _counted("decided organisations of its sector, without it"),
        "sector_in_place": _counted("of them, in place"),
        "sector_share": _shared("sector_in_place / sector_organisations"),
        "sector_ci_low": _shared("lower end of the 95 % interval of sector_share"),
        "sector_ci_high": _shared("upper end of the 95 % interval of sector_share"),
        "sector_ties": _counted("organisations of its sector left undecided by a tie"),
        "sector_suppressed": described(_SUPPRESSED, "why the sector columns are withheld"),
        "rule": _RULE,
    },
    unique=["item_id", "organisation_key"],
)
DISCLOSURE = table(
    "survey_disclosure",
    "Per question family and level of the hierarchy: cells in the release, published and "
    "withheld by reason (the data-quality appendix).",
    PUBLISHABLE,
    {
        "family": text(
            "scale (threats, opportunities) or preparedness",
            Check.isin(["scale", "preparedness"]),
        ),
        "level": text(
            "all respondents, sectors (org_type) or organisations (organisation_key)",
            Check.isin([ALL, *LEVELS]),
        ),
        "cells": count("cells: questions × groups at the level"),
        **{
            reason or "published": count(
                f"cells withheld for reason {reason}" if reason else "cells published"
            )
            for reason in REASONS
        },
    },
    unique=["family", "level"],
)
