"""Draft recommendations: rules filled from results, silent when their condition fails, and
naming only countries whose class is settled (an uncertain one is held back, never named with
a class the draws do not support)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.scoring.model import QUADRANT_KEYS
from analysis.scoring.recommendations import (
    HELD_BACK,
    drafts_from_table,
    drafts_table,
    evaluate,
    render,
)

RESULTS = SimpleNamespace(
    readiness=pd.DataFrame(
        {
            "item_id": ["a", "b", "c"],
            "org_type": "all",
            "suppressed": "",
            "share_yes": [0.2, 0.45, 0.8],
        }
    ),
    readiness_by_organisation=pd.DataFrame(
        {
            "item_id": ["a", "b", "c", "a"],
            "org_type": ["all", "all", "all", "university"],
            "suppressed": ["", "", "", ""],
            "share_in_place": [0.6, 0.3, 0.7, 0.1],
        }
    ),
    scores=pd.DataFrame(
        {
            "iso2": ["CN", "RU", "SE", "IN"],
            "threat": [0.7, 0.8, 0.1, 0.3],
            "quadrant": [
                "high_opportunity_high_threat",
                "low_opportunity_high_threat",
                "high_opportunity_low_threat",
                "uncertain",
            ],
            "class_likeliest": [
                "high_opportunity_high_threat",
                "low_opportunity_high_threat",
                "high_opportunity_low_threat",
                "high_opportunity_high_threat",
            ],
            "stable": [True, True, True, False],
        }
    ),
    screening=pd.DataFrame({"institutions_pending": [0, 2]}),
    comment_themes=pd.DataFrame(
        {"theme": ["training"], "suppressed": [""], "share_of_commenters": [0.1]}
    ),
)
LABELS = {"a": "Training", "b": "Guidelines", "c": "Contact"}
NAMES = {"CN": "China", "RU": "Russia", "IN": "India", "SE": "Sweden"}
RULES = [
    {
        "key": "gaps",
        "kind": "preparedness_gap",
        "below": 0.5,
        "at_most": 1,
        "text": "Make {items} common ({gaps} of {total} gaps, {shown} shown, {lowest_share}).",
    },
    {
        "key": "care",
        "kind": "quadrant",
        "quadrants": ["high_opportunity_high_threat", "low_opportunity_high_threat"],
        "text": "Care: {countries}.",
    },
    {"key": "decide", "kind": "screening_pending", "at_least": 1, "text": "Decide {pending}."},
    {
        "key": "train",
        "kind": "comment_theme",
        "theme": "training",
        "at_least_share": 0.15,
        "text": "Train.",
    },
]


def texts(drafts, lang: str = "en") -> list[str]:
    return [render(d, RULES, lang, LABELS.get, NAMES.get, lambda key: key) for d in drafts]


def test_rules_fill_their_text_from_the_results_or_stay_silent() -> None:
    drafts = evaluate(RULES, RESULTS)
    assert [d.rule_key for d in drafts] == ["gaps", "care", "decide"]
    assert texts(drafts) == [
        "Make guidelines common (1 of 3 gaps, 1 shown, 30%).",
        "Care: Russia and China. Held back for review (class uncertain, or resting on one "
        "indicator): India.",
        "Decide 2.",
    ]


def test_preparedness_counts_organisations_unless_the_rule_says_respondents() -> None:
    """Facts about an organisation are counted once per organisation: the same answers read
    per respondent (large organisations weighing most) name another arrangement."""
    per_respondent = [{**RULES[0], "unit": "respondents"}]
    assert texts(evaluate(per_respondent, RESULTS)) == [
        "Make training common (2 of 3 gaps, 1 shown, 20%)."
    ]
    with pytest.raises(ValueError, match="unit must be one of"):
        evaluate([{**RULES[0], "unit": "people"}], RESULTS)


def test_an_unstable_country_is_held_back_and_the_drafts_keep_codes_not_names() -> None:
    care = evaluate(RULES, RESULTS)[1]
    assert (care.named, care.held_back, care.text_key) == (["RU", "CN"], ["IN"], "care.text")
    table = drafts_table(evaluate(RULES, RESULTS))
    assert table.loc[1, ["countries_named", "countries_held_back"]].tolist() == ["RU CN", "IN"]
    assert "Russia" not in table.to_csv()
    assert drafts_from_table(table) == evaluate(RULES, RESULTS)


def test_a_rule_whose_countries_are_all_uncertain_only_holds_them_back() -> None:
    results = SimpleNamespace(**vars(RESULTS))
    results.scores = RESULTS.scores.assign(stable=False, quadrant="uncertain")
    care = evaluate(RULES, results)[1]
    assert care.named == [] and care.text_key == HELD_BACK
    assert texts([care])[0] == (
        "Held back for review (class uncertain, or resting on one indicator): Russia, China "
        "and India."
    )
    assert "Care:" not in texts([care])[0]


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(QUADRANT_KEYS), st.booleans(), st.floats(0, 1)),
        min_size=1,
        max_size=15,
    ),
    chosen=st.sets(st.sampled_from(QUADRANT_KEYS), min_size=1),
)
def test_a_recommendation_rule_never_names_an_uncertain_country(rows, chosen) -> None:
    """Each row: the likeliest class, whether the draws settle it, and the threat score; an
    unsettled country is published as uncertain."""
    scores = pd.DataFrame(rows, columns=["class_likeliest", "stable", "threat"])
    scores["quadrant"] = scores["class_likeliest"].where(scores["stable"], "uncertain")
    scores["iso2"] = [f"{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(len(scores))]
    results = SimpleNamespace(**vars(RESULTS))
    results.scores = scores
    rule = {"key": "q", "kind": "quadrant", "quadrants": sorted(chosen), "text": "{countries}"}
    drafts = evaluate([rule], results)
    likely = scores[scores["class_likeliest"].isin(chosen)]
    if likely.empty:
        assert drafts == []
        return
    uncertain = set(likely.loc[likely["quadrant"] == "uncertain", "iso2"])
    assert not set(drafts[0].named) & uncertain
    assert set(drafts[0].held_back) == uncertain
    assert set(drafts[0].named) == set(likely.loc[likely["quadrant"].isin(chosen), "iso2"])


def test_a_settled_class_that_rests_on_one_indicator_is_held_back_not_named() -> None:
    results = SimpleNamespace(**vars(RESULTS))
    results.scores = RESULTS.scores.assign(depends_on=["", "academic_freedom", "", ""])
    care = evaluate(RULES, results)[1]
    assert (care.named, care.held_back) == (["CN"], ["RU", "IN"])


def test_unknown_rule_kinds_and_missing_keys_are_an_error() -> None:
    with pytest.raises(ValueError, match="rule 1: unknown kind 'vibes'"):
        evaluate([{"kind": "vibes", "text": ""}], RESULTS)
    with pytest.raises(ValueError, match="rule 2: a key of its own"):
        evaluate([RULES[2], {**RULES[2]}], RESULTS)


def test_the_configured_rules_have_keys_and_every_language() -> None:
    import yaml

    from analysis.i18n import LANGUAGES, placeholders
    from tests.conftest import REPO_ROOT

    rules = yaml.safe_load((REPO_ROOT / "config" / "recommendations.yaml").read_text())["rules"]
    evaluate(rules, RESULTS)  # keys unique, kinds known
    for rule in rules:
        assert set(rule["text"]) == set(LANGUAGES), rule["key"]
        assert len({frozenset(placeholders(rule["text"][lang])) for lang in LANGUAGES}) == 1


def _themes_table(shares: dict[str, float], commenters: int = 100, everyone: int = 250):
    return pd.DataFrame(
        {
            "theme": list(shares),
            "respondents": [s * commenters for s in shares.values()],
            "share_of_commenters": list(shares.values()),
            "commenters": commenters,
            "share_of_respondents": [s * commenters / everyone for s in shares.values()],
            "all_respondents": everyone,
            "suppressed": "",
        }
    )


def test_a_comment_draft_states_both_denominators_and_the_keyword_coding() -> None:
    results = SimpleNamespace(
        **{**vars(RESULTS), "comment_themes": _themes_table({"training": 0.2})}
    )
    (draft,) = [d for d in evaluate(RULES, results) if d.rule_key == "train"]
    # 20 of 100 who commented (20%), 20 of all 250 respondents (8%).
    assert texts([draft]) == [
        "Train. Basis: 20 of the 100 respondents who left a comment (20%), or 8% of all 250 "
        "respondents, wrote on this theme; comments are assigned to themes by keywords, not "
        "read one by one."
    ]
    for lang in ("fi", "sv"):
        assert "250" in texts([draft], lang)[0] and "8\u00a0%" in texts([draft], lang)[0]


def test_a_theme_above_the_share_with_neither_a_draft_nor_a_reason_fails() -> None:
    from analysis.scoring.recommendations import check_themes_answered, unanswered_themes
    from analysis.survey.comments import Theme

    pattern = re.compile("x")
    themes = [
        Theme("training", {"en": "Training"}, pattern),  # has a rule
        Theme("openness", {"en": "Openness"}, pattern, {"en": "No measure is asked for."}),
        Theme("resources", {"en": "Resources"}, pattern),  # neither
        Theme("quiet", {"en": "Quiet"}, pattern),  # below the share: nothing owed
    ]
    table = _themes_table({"training": 0.2, "openness": 0.3, "resources": 0.25, "quiet": 0.1})
    results = SimpleNamespace(**{**vars(RESULTS), "comment_themes": table})
    drafts = evaluate(RULES, results)
    assert unanswered_themes(table, themes, RULES, drafts, 0.15) == ["resources"]
    with pytest.raises(ValueError, match="resources"):
        check_themes_answered(table, themes, RULES, drafts, 0.15)
    # A rule that exists but does not fire (its own threshold is higher) is no answer.
    strict = [{**rule, "at_least_share": 0.5} if rule["key"] == "train" else rule for rule in RULES]
    assert unanswered_themes(table, themes, strict, evaluate(strict, results), 0.15) == [
        "training",
        "resources",
    ]


def test_every_configured_theme_has_a_rule_or_a_reason_in_every_language() -> None:
    import yaml

    from analysis.i18n import LANGUAGES
    from analysis.survey.comments import load_attention_share, load_themes
    from tests.conftest import REPO_ROOT

    rules = yaml.safe_load((REPO_ROOT / "config" / "recommendations.yaml").read_text())["rules"]
    path = REPO_ROOT / "config" / "comment_themes.yaml"
    share = load_attention_share(path)
    ruled = {r["theme"]: r for r in rules if r["kind"] == "comment_theme"}
    for theme in load_themes(path):
        if theme.no_recommendation:
            assert set(theme.no_recommendation) == set(LANGUAGES), theme.key
            assert len(set(theme.no_recommendation.values())) == len(LANGUAGES), theme.key
        else:
            # Its rule fires at the declared share, so no share above it goes unanswered.
            assert theme.key in ruled, f"theme {theme.key!r}: no rule and no reason"
            assert float(ruled[theme.key]["at_least_share"]) <= share, theme.key
