"""Draft recommendations from rules in ``config/recommendations.yaml``.

Each rule has a key, a kind (which results table it reads), its settings and a text per
language. When its condition holds, a rule gives a ``Draft`` of language-neutral values (item
ids, counts, shares, country codes); the sentences are written from them per edition, so the
drafts can be kept as one table (``recommendations``) and checked. A rule that names countries
names only those whose classification is stable under the declared uncertainty; the others of
its quadrants are held back, listed as "classification uncertain: review the evidence". The
rules and their thresholds are data the group edits; the code only evaluates them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from analysis.i18n import listing, pick, share, t
from analysis.i18n.finnish import FORMATTER
from analysis.scoring.model import UNCERTAIN
from analysis.survey.analyse import ALL

HELD_BACK = "recommendations.held_back"  # the text key of a draft that only holds countries back


@dataclass
class Draft:
    """One rule's result: which text to write, the values to fill it with, the countries it
    names and those it holds back."""

    rule_key: str
    kind: str
    text_key: str  # "<rule key>.text", or HELD_BACK when no country could be named
    values: dict = field(default_factory=dict)
    named: list[str] = field(default_factory=list)
    held_back: list[str] = field(default_factory=list)


PREPAREDNESS_UNITS = {  # what a preparedness rule counts: its table and share column
    "organisations": ("readiness_by_organisation", "share_in_place"),
    "respondents": ("readiness", "share_yes"),
}


def _preparedness_gap(rule: dict, results) -> dict | None:
    """The arrangements in place in fewer than ``below`` of the organisations (each counted
    once, the unit for facts about an organisation) or, with ``unit: respondents``, of the
    respondents; only cells the release publishes."""
    unit = rule.get("unit", "organisations")
    if unit not in PREPAREDNESS_UNITS:
        raise ValueError(
            f"recommendation rule {rule.get('key')!r}: unit must be one of "
            f"{sorted(PREPAREDNESS_UNITS)}, not {unit!r}"
        )
    name, column = PREPAREDNESS_UNITS[unit]
    table = getattr(results, name)
    overall = table[(table["org_type"] == ALL) & (table["suppressed"] == "")]
    gaps = overall[overall[column].astype(float) < float(rule["below"])].sort_values(
        [column, "item_id"]
    )
    if gaps.empty:
        return None
    shown = gaps.head(int(rule.get("at_most", len(gaps))))
    return {
        "items": [str(i) for i in shown["item_id"]],
        "gaps": len(gaps),
        "total": len(overall),
        "shown": len(shown),
        "lowest_share": float(gaps[column].iloc[0]),
    }


def _quadrant(rule: dict, results) -> dict | None:
    """The countries of the rule's classes, most threat first: those whose class the evidence
    settles, and on more than one indicator, named; those whose class is uncertain but most
    likely one of the rule's, or settled only because of one indicator (``depends_on``), held
    back for review, never named with a class the evidence does not firmly support."""
    scores = results.scores
    settled = scores["quadrant"].isin(rule["quadrants"])
    likeliest = scores.get("class_likeliest", pd.Series(None, index=scores.index))
    uncertain = (scores["quadrant"] == UNCERTAIN) & likeliest.isin(rule["quadrants"])
    chosen = scores[settled | uncertain].sort_values(["threat", "iso2"], ascending=[False, True])
    if chosen.empty:
        return None
    depends = chosen.get("depends_on", pd.Series("", index=chosen.index)).fillna("")
    firm = chosen["quadrant"].isin(rule["quadrants"]) & (depends.astype(str).str.strip() == "")
    return {
        "quadrants": [str(q) for q in rule["quadrants"]],
        "named": chosen.loc[firm, "iso2"].tolist(),
        "held_back": chosen.loc[~firm, "iso2"].tolist(),
    }


def _screening_pending(rule: dict, results) -> dict | None:
    pending = int(results.screening["institutions_pending"].sum())
    return {"pending": pending} if pending >= int(rule["at_least"]) else None


def _comment_theme(rule: dict, results) -> dict | None:
    """A theme raised by at least ``at_least_share`` of those who commented, with both
    denominators: of those who commented and of all respondents."""
    themes = results.comment_themes
    row = themes[(themes["theme"] == rule["theme"]) & (themes["suppressed"] == "")]
    if row.empty:
        return None
    value = float(row["share_of_commenters"].iloc[0])
    if value < float(rule["at_least_share"]):
        return None
    values = {"share": value, "theme": str(rule["theme"])}
    if {"share_of_respondents", "all_respondents"} <= set(row):  # older tables lack them
        values.update(
            respondents=int(row["respondents"].iloc[0]),
            commenters=int(row["commenters"].iloc[0]),
            share_of_all=float(row["share_of_respondents"].iloc[0]),
            all_respondents=int(row["all_respondents"].iloc[0]),
        )
    return values


def unanswered_themes(
    comment_themes: pd.DataFrame, themes: list, rules: list[dict], drafts: list[Draft], share: float
) -> list[str]:
    """The themes raised by at least ``share`` of those who commented (published cells only)
    that lead to no draft recommendation and declare no reason why not: each must have one or
    the other, so none is passed over in silence."""
    drafted = {
        rule["theme"]
        for rule in rules
        if rule.get("kind") == "comment_theme"
        and rule["key"] in {draft.rule_key for draft in drafts}
    }
    reasons = {theme.key for theme in themes if theme.no_recommendation}
    shown = comment_themes[comment_themes["suppressed"] == ""]
    raised = shown.loc[shown["share_of_commenters"].astype(float) >= share, "theme"]
    return [str(key) for key in raised if key not in drafted and key not in reasons]


def check_themes_answered(
    comment_themes: pd.DataFrame, themes: list, rules: list[dict], drafts: list[Draft], share: float
) -> None:
    """Raise when a theme at or above ``share`` has neither a draft nor a declared reason."""
    missing = unanswered_themes(comment_themes, themes, rules, drafts, share)
    if missing:
        raise ValueError(
            f"comment themes raised by at least {share:.0%} of those who commented lead to no "
            f"draft recommendation and declare no reason why not: {', '.join(missing)}; add a "
            "comment_theme rule to config/recommendations.yaml or a no_recommendation reason "
            "(en, fi, sv) to the theme in config/comment_themes.yaml"
        )


KINDS: dict[str, Callable[[dict, object], dict | None]] = {
    "preparedness_gap": _preparedness_gap,
    "quadrant": _quadrant,
    "screening_pending": _screening_pending,
    "comment_theme": _comment_theme,
}


def check_rules(rules: list[dict]) -> None:
    """Every rule has a known kind and a key of its own."""
    seen: set[str] = set()
    for number, rule in enumerate(rules, start=1):
        if rule.get("kind") not in KINDS:
            raise ValueError(
                f"recommendation rule {number}: unknown kind {rule.get('kind')!r}; "
                f"known: {sorted(KINDS)}"
            )
        key = rule.get("key")
        if not key or key in seen:
            raise ValueError(f"recommendation rule {number}: a key of its own is needed")
        seen.add(key)


def evaluate(rules: list[dict], results) -> list[Draft]:
    """The drafts of the rules whose condition holds; ``results`` holds the tables the kinds
    read (``readiness``, ``scores``, ``screening``, ``comment_themes``)."""
    check_rules(rules)
    drafts = []
    for rule in rules:
        values = KINDS[rule["kind"]](rule, results)
        if values is None:
            continue
        named = values.pop("named", [])
        held_back = values.pop("held_back", [])
        only_held_back = rule["kind"] == "quadrant" and not named
        text_key = HELD_BACK if only_held_back else f"{rule['key']}.text"
        drafts.append(Draft(rule["key"], rule["kind"], text_key, values, named, held_back))
    return drafts


def drafts_table(drafts: list[Draft]) -> pd.DataFrame:
    """The drafts as a language-neutral table: codes separated by spaces, values as JSON."""
    return pd.DataFrame(
        {
            "rule_key": [d.rule_key for d in drafts],
            "kind": [d.kind for d in drafts],
            "text_key": [d.text_key for d in drafts],
            "countries_named": [" ".join(d.named) for d in drafts],
            "countries_held_back": [" ".join(d.held_back) for d in drafts],
            "values": [json.dumps(d.values, sort_keys=True) for d in drafts],
        },
        columns=[
            "rule_key",
            "kind",
            "text_key",
            "countries_named",
            "countries_held_back",
            "values",
        ],
    )


def drafts_from_table(table: pd.DataFrame) -> list[Draft]:
    return [
        Draft(
            row.rule_key,
            row.kind,
            row.text_key,
            json.loads(row.values),
            str(row.countries_named or "").split(),
            str(row.countries_held_back or "").split(),
        )
        for row in table.itertuples(index=False)
    ]


def render(
    draft: Draft,
    rules: list[dict],
    lang: str,
    label: Callable[[str], str],
    country: Callable[[str], str],
    quadrant: Callable[[str], str] = str,
    *,
    short: bool = False,
) -> str:
    """The draft's sentence in ``lang``: the rule's text filled from its values (``label``
    names an item, ``country`` a country code, ``quadrant`` a quadrant key), then the countries
    held back, if any, and for a comment theme its basis with both denominators (``short``: in
    brackets, for the one-page summary)."""
    rule = {r["key"]: r for r in rules}[draft.rule_key]
    values = dict(draft.values)
    if "items" in values:
        values["items"] = listing([label(i).lower() for i in values["items"]], lang)
    for name in ("lowest_share", "share", "share_of_all"):
        if name in values:
            values[name] = share(float(values[name]), lang)
    parts = []
    if draft.text_key != HELD_BACK:
        values["countries"] = listing([country(c) for c in draft.named], lang)
        parts.append(FORMATTER.format(pick(rule["text"], lang), **values))
    if draft.kind == "comment_theme" and "commenters" in values:
        # Both denominators, and that the themes are coded by keywords, on every such draft:
        # in brackets inside the sentence on the one-page summary, as a sentence elsewhere.
        if short and parts and parts[-1].rstrip().endswith("."):
            basis = t("recommendations.comment_basis_short", lang, **values)
            parts[-1] = f"{parts[-1].rstrip()[:-1]} {basis}."
        else:
            parts.append(t("recommendations.comment_basis", lang, **values))
    if draft.held_back:
        parts.append(
            t(
                HELD_BACK,
                lang,
                countries=listing([country(c) for c in draft.held_back], lang),
                quadrants=listing([quadrant(q) for q in draft.values.get("quadrants", [])], lang),
            )
        )
    # Folded lines of the rules file collapse to single spaces; a no-break space (before "%"
    # in Finnish and Swedish, between thousands) is kept.
    return re.sub(r"[ \t\r\n]+", " ", " ".join(parts)).strip()
