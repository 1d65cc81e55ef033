"""The claims behind the executive summary and the draft recommendations: for each sentence
the step writes, what it asserts and the published cells it rests on (``analysis.report.claims``
checks them before any page is written)."""

from __future__ import annotations

from collections.abc import Collection

from analysis.report.claims import Claim
from analysis.report.findings import Findings, standing
from analysis.scoring.recommendations import Draft
from analysis.survey.analyse import ALL
from analysis.survey.organisations import OTHERS

READINESS_OF_ORGANISATIONS = "survey_readiness_of_organisations"
GROUPS = {"by": "org_type", "total": ALL}


def _cooperation(f: Findings) -> list[Claim]:
    first, last = f["first_year"], f["last_year"]
    return [
        Claim(
            "summary.cooperation",
            "international co-authorship moved between the first and the last year",
            "openalex_output_by_year",
            "year",
            "states",
            stated={
                f"{first}.international_share": f["international_share_first"],
                f"{last}.international_share": f["international_share_last"],
            },
        ),
        Claim(
            "summary.cooperation.partner",
            "the largest partner has the most co-publications in the last year",
            "cooperation_top_partners",
            "iso2",
            "largest",
            within={"year": str(last)},
            subject=(str(f["top_partner"]),),
            stated={f"{f['top_partner']}.works": f["top_partner_works"]},
            params={"value": "works", "intervals": False},
        ),
    ]


def _top(f: Findings, block: str) -> Claim:
    item = str(f[f"{block}_top_item"])
    rival = f"{block}_rival_item"
    stated = {
        f"{item}.share_agree": f[f"{block}_top_share"],
        f"{item}.agree": f[f"{block}_top_agree"],
        f"{item}.n": f[f"{block}_top_n"],
    }
    subject = (item,)
    if rival in f and not f[f"{block}_top_separated"]:
        subject = (item, str(f[rival]))
        stated[f"{f[rival]}.share_agree"] = f[f"{block}_rival_share"]
    return Claim(
        f"summary.{block}",
        f"the {block[:-1]} most often rated significant, or among them with its rival",
        "survey_agreement",
        "item_id",
        "largest",
        within={"block": block, "org_type": ALL},
        subject=subject,
        stated=stated,
        params={"value": "share_agree", "separated": bool(f[f"{block}_top_separated"])},
    )


def _preparedness(f: Findings) -> list[Claim]:
    item = str(f["preparedness_weakest_item"])
    return [
        Claim(
            "summary.preparedness",
            "the least widespread safeguard, counted once per organisation",
            READINESS_OF_ORGANISATIONS,
            "item_id",
            "smallest",
            within={"org_type": ALL},
            subject=(item,),
            stated={
                f"{item}.share_in_place": f["preparedness_weakest_share"],
                f"{item}.in_place": f["preparedness_weakest_in_place"],
                f"{item}.organisations": f["preparedness_weakest_organisations"],
            },
            params={
                "value": "share_in_place",
                "separated": bool(f["preparedness_weakest_separated"]),
            },
        ),
        Claim(
            "summary.preparedness.respondents",
            "the same safeguard counted per respondent",
            "survey_readiness",
            "item_id",
            "states",
            within={"org_type": ALL},
            stated={
                f"{item}.share_yes": f["preparedness_weakest_share_yes"],
                f"{item}.n": f["preparedness_weakest_respondents"],
            },
        ),
    ]


def _sector_gap(f: Findings) -> Claim:
    status = f["sector_gap_status"]
    params = {
        **GROUPS,
        "min_gap": f["sector_gap_min_points"] / 100,
        "min_size": f["sector_gap_min_size"],
    }
    if status != "gap":
        logic = "no_group_gap" if status == "no_gap" else "not_comparable"
        statement = (
            "no two groups of organisations differ by the stated points with separate intervals"
            if status == "no_gap"
            else "no two groups of organisations can be compared"
        )
        return Claim(
            "summary.sector_gap", statement, READINESS_OF_ORGANISATIONS, "item_id", logic,
            params=params,
        )  # fmt: skip
    for side in ("high", "low"):
        for part in ("members", "in_place", "organisations"):
            params[f"{side}_{part}"] = f[f"sector_gap_{side}_{part}"]
    named = [
        f"{side} group {f[f'sector_gap_{side}_members']}"
        + (" (the others together)" if f[f"sector_gap_{side}_group"] == OTHERS else "")
        for side in ("high", "low")
    ]
    return Claim(
        "summary.sector_gap",
        f"a separated gap between the {' and the '.join(named)}",
        READINESS_OF_ORGANISATIONS,
        "item_id",
        "group_gap",
        subject=(str(f["sector_gap_item_id"]),),
        params=params,
    )


def _concern_claims(f: Findings, listed: Collection[str]) -> list[Claim]:
    """The most named country of concern among those the questionnaire listed, and the most
    often written in, each ranked only with its own kind."""
    claims = []
    if "concern_top_country" in f:
        country = str(f["concern_top_country"])
        separated, rival = standing(f, "concern_top", "concern_rival_country")
        claims.append(
            Claim(
                "summary.concern",
                "of the countries listed in the questionnaire, the one most often named as of "
                "particular concern, or among them with its rival",
                "survey_country_mentions",
                "iso2",
                "largest",
                within={"item_id": "concern_countries"},
                subject=(country, rival) if rival else (country,),
                stated={
                    f"{country}.respondents": f["concern_top_respondents"],
                    f"{country}.share": f["concern_top_share"],
                    f"{country}.share_of_naming": f["concern_top_share_of_naming"],
                    f"{country}.base": f["concern_base"],
                    f"{country}.named_any": f["concern_named_any"],
                },
                params={
                    "value": "share_of_naming",
                    "separated": separated,
                    "among": sorted(listed),
                },
            )
        )
    if "concern_written_in_country" in f:
        country = str(f["concern_written_in_country"])
        separated, rival = standing(f, "concern_written_in", "concern_written_in_rival_country")
        claims.append(
            Claim(
                "summary.concern_written_in",
                "of the countries written in, the one most often named, or among them",
                "survey_country_mentions",
                "iso2",
                "largest",
                within={"item_id": "concern_countries"},
                subject=(country, rival) if rival else (country,),
                stated={f"{country}.respondents": f["concern_written_in_respondents"]},
                params={
                    "value": "share_of_naming",
                    "separated": separated,
                    "not_among": sorted(listed),
                },
            )
        )
    return claims


def summary_claims(findings: Findings, listed: Collection[str]) -> list[Claim]:
    """The claims of the executive summary (and of the one-page summary, which says the
    same), from the findings the sentences are written from; ``listed``: the countries the
    questionnaire listed for the question on countries of concern."""
    f = findings
    claims: list[Claim] = _cooperation(f) if "top_partner" in f else []
    claims += [_top(f, "threats"), _top(f, "opportunities"), *_preparedness(f), _sector_gap(f)]
    if f["sector_gap_status"] == "gap" and "sector_gap_low_disputed" in f:
        claims.append(_gap_disagreement(f))
    return claims + _concern_claims(f, listed)


def _gap_disagreement(f: Findings) -> Claim:
    group, item = str(f["sector_gap_low_group"]), str(f["sector_gap_item_id"])
    stated = {
        f"{item}.disputed": f["sector_gap_low_disputed"],
        f"{item}.organisations": f["sector_gap_low_organisations"],
    }
    if "sector_gap_low_ties" in f:
        stated[f"{item}.ties"] = f["sector_gap_low_ties"]
    return Claim(
        "summary.sector_gap_disagreement",
        "how many organisations of the lower type have a respondent saying it is in place, "
        "and how many are undecided",
        READINESS_OF_ORGANISATIONS,
        "item_id",
        "states",
        within={"org_type": group},
        stated=stated,
    )


PREPAREDNESS_TABLES = {
    "organisations": (READINESS_OF_ORGANISATIONS, "share_in_place"),
    "respondents": ("survey_readiness", "share_yes"),
}


def _draft_claim(draft: Draft, rule: dict) -> Claim | None:
    key = f"recommendations.{draft.rule_key}"
    values = draft.values
    if draft.kind == "preparedness_gap":
        table, column = PREPAREDNESS_TABLES[rule.get("unit", "organisations")]
        return Claim(
            key,
            "these arrangements are the least widespread of those below the threshold",
            table,
            "item_id",
            "count_below",
            within={"org_type": ALL},
            subject=tuple(values["items"]),
            stated={f"{values['items'][0]}.{column}": values["lowest_share"]},
            params={
                "value": column,
                "below": float(rule["below"]),
                "count": values["gaps"],
                "total": values["total"],
            },
        )
    if draft.kind == "quadrant":
        return Claim(
            key,
            "every country named has a settled class of the rule, resting on more than one "
            "indicator",
            "country_scores",
            "iso2",
            "settled",
            subject=tuple(draft.named),
            params={"quadrants": list(rule["quadrants"])},
        )
    if draft.kind == "screening_pending":
        return Claim(
            key,
            "partner institutions awaiting a screening decision",
            "screening_by_country",
            "iso2",
            "sum_equals",
            params={"column": "institutions_pending", "sum": values["pending"]},
        )
    if draft.kind == "comment_theme":
        return Claim(
            key,
            "the share of commenters whose comment touches the theme",
            "survey_comment_themes",
            "theme",
            "states",
            stated={f"{rule['theme']}.share_of_commenters": values["share"]},
        )
    return None


def draft_claims(drafts: list[Draft], rules: list[dict]) -> list[Claim]:
    """The claims of the draft recommendations, one per draft whose text states a number, a
    country or an arrangement."""
    by_key = {rule["key"]: rule for rule in rules}
    claims = [_draft_claim(draft, by_key[draft.rule_key]) for draft in drafts]
    return [claim for claim in claims if claim is not None]
