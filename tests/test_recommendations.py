"""Draft recommendations: rules filled from results, silent when their condition fails."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.scoring.recommendations import draft_recommendations

DATA = SimpleNamespace(
    readiness=pd.DataFrame(
        {
            "item_id": ["a", "b", "c"],
            "org_type": "all",
            "suppressed": "",
            "share_yes": [0.2, 0.45, 0.8],
        }
    ),
    scores=pd.DataFrame(
        {
            "iso2": ["CN", "RU", "SE"],
            "threat": [0.7, 0.8, 0.1],
            "quadrant": [
                "high_opportunity_high_threat",
                "low_opportunity_high_threat",
                "high_opportunity_low_threat",
            ],
        }
    ),
    screening=pd.DataFrame({"institutions_pending": [0, 2]}),
    comment_themes=pd.DataFrame(
        {"theme": ["training"], "suppressed": [""], "share_of_commenters": [0.1]}
    ),
    label=lambda item: {"a": "Training", "b": "Guidelines", "c": "Contact"}[item],
    resolver=SimpleNamespace(name=lambda code, lang: {"CN": "China", "RU": "Russia"}[code]),
    lang="en",
)


def test_rules_fill_their_text_from_the_results_or_stay_silent() -> None:
    rules = [
        {
            "kind": "preparedness_gap",
            "below": 0.5,
            "at_most": 1,
            "text": "Make {items} common ({gaps} of {total} gaps, {shown} shown, {lowest_share}).",
        },
        {
            "kind": "quadrant",
            "quadrants": ["high_opportunity_high_threat", "low_opportunity_high_threat"],
            "text": "Care: {countries}.",
        },
        {"kind": "screening_pending", "at_least": 1, "text": "Decide {pending}."},
        {"kind": "comment_theme", "theme": "training", "at_least_share": 0.15, "text": "Train."},
    ]
    texts = [d.text for d in draft_recommendations(rules, DATA)]
    assert texts == [
        "Make training common (2 of 3 gaps, 1 shown, 20%).",
        "Care: Russia and China.",
        "Decide 2.",
    ]


def test_unknown_rule_kinds_are_an_error() -> None:
    with pytest.raises(ValueError, match="rule 1: unknown kind 'vibes'"):
        draft_recommendations([{"kind": "vibes", "text": ""}], DATA)
