"""Draft recommendations from rules in ``config/recommendations.yaml``.

Each rule kind reads one results table and, when its condition holds, fills its text. The
rules and their thresholds are data the group edits; the code only evaluates them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analysis.i18n import pick, share, t
from analysis.survey.analyse import ALL


@dataclass
class Draft:
    kind: str
    text: str


def _listing(names: list[str], lang: str = "en") -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {t('list.and', lang)} " + names[-1]


def _lang(data) -> str:
    return getattr(data, "lang", "en")


def _preparedness_gap(rule: dict, data) -> dict | None:
    overall = data.readiness[
        (data.readiness["org_type"] == ALL) & (data.readiness["suppressed"] == "")
    ]
    gaps = overall[overall["share_yes"].astype(float) < float(rule["below"])].sort_values(
        "share_yes"
    )
    if gaps.empty:
        return None
    shown = gaps.head(int(rule.get("at_most", len(gaps))))
    labels = [data.label(i).lower() for i in shown["item_id"]]
    return {
        "items": _listing(labels, _lang(data)),
        "gaps": len(gaps),
        "total": len(overall),
        "shown": len(shown),
        "lowest_share": share(float(gaps["share_yes"].iloc[0]), _lang(data)),
    }


def _quadrant(rule: dict, data) -> dict | None:
    chosen = data.scores[data.scores["quadrant"].isin(rule["quadrants"])]
    if chosen.empty:
        return None
    names = [
        data.resolver.name(c, data.lang)
        for c in chosen.sort_values("threat", ascending=False)["iso2"]
    ]
    return {"countries": _listing(names, _lang(data))}


def _screening_pending(rule: dict, data) -> dict | None:
    pending = int(data.screening["institutions_pending"].sum())
    return {"pending": pending} if pending >= int(rule["at_least"]) else None


def _comment_theme(rule: dict, data) -> dict | None:
    themes = data.comment_themes
    row = themes[(themes["theme"] == rule["theme"]) & (themes["suppressed"] == "")]
    if row.empty:
        return None
    value = float(row["share_of_commenters"].iloc[0])
    if value < float(rule["at_least_share"]):
        return None
    return {"share": share(value, _lang(data))}


KINDS: dict[str, Callable[[dict, object], dict | None]] = {
    "preparedness_gap": _preparedness_gap,
    "quadrant": _quadrant,
    "screening_pending": _screening_pending,
    "comment_theme": _comment_theme,
}


def draft_recommendations(rules: list[dict], data, escape=lambda value: value) -> list[Draft]:
    """The drafts whose conditions hold, each text filled from the results; ``escape`` is
    applied to every value put into a text (the report passes its Markdown escaping)."""
    drafts = []
    for number, rule in enumerate(rules, start=1):
        if rule.get("kind") not in KINDS:
            raise ValueError(
                f"recommendation rule {number}: unknown kind {rule.get('kind')!r}; "
                f"known: {sorted(KINDS)}"
            )
        values = KINDS[rule["kind"]](rule, data)
        if values is not None:
            values = {key: escape(value) for key, value in values.items()}
            text = pick(rule["text"], _lang(data))
            drafts.append(Draft(rule["kind"], " ".join(text.format(**values).split())))
    return drafts
