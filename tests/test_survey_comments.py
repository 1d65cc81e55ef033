"""Comment themes: keywords in three languages, counts only, disclosure control."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.survey.comments import comment_themes, load_themes, theme_matches
from tests.conftest import REPO_ROOT

THEMES = load_themes(REPO_ROOT / "config" / "comment_themes.yaml")


def test_keywords_match_word_starts_in_finnish_swedish_and_english() -> None:
    comments = pd.Series(
        [
            "Tarvitsemme lisää KOULUTUSTA tutkijoille.",
            "Vi behöver mer utbildning om säkerhet.",
            "Interpreting sanctions lists is difficult.",
            "Kansainvälinen yhteistyö on elintärkeää, hyödyt ovat suuret.",
            "Nothing to add.",
            "Uudelleenkoulutus",  # "koulut" inside a word is not a match
        ]
    )
    matches = theme_matches(comments, THEMES)
    assert matches["training"].tolist() == [True, True, False, False, False, False]
    assert matches["sanctions_export_control"].tolist() == [False, False, True, False, False, False]
    assert matches["benefits"].tolist() == [False, False, False, True, False, False]
    assert not matches.iloc[4].any()


def test_counts_are_of_commenting_respondents_and_small_ones_suppressed() -> None:
    respondents = pd.DataFrame({"comment": ["koulutusta"] * 6 + ["sanktioner"] * 2 + [None, "  "]})
    table = comment_themes(respondents, THEMES, min_cell=5).set_index("theme")
    assert table.loc["training", "respondents"] == 6
    assert table.loc["training", "commenters"] == 8
    assert table.loc["training", "share_of_commenters"] == 6 / 8
    assert table.loc["sanctions_export_control", "suppressed"] == "primary"
    assert pd.isna(table.loc["sanctions_export_control", "respondents"])
    assert "label" not in table, "processed tables hold theme keys; labels are drawn per language"


def test_a_theme_without_keywords_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "themes.yaml"
    path.write_text("themes:\n  empty:\n    label: {en: Empty}\n    keywords: []\n")
    try:
        load_themes(path)
    except ValueError as error:
        assert "empty" in str(error)
    else:
        raise AssertionError("expected an error")


def test_each_theme_share_is_given_of_commenters_and_of_all_respondents() -> None:
    # 8 of 10 respondents commented; 6 wrote on training: 6/8 of commenters, 6/10 of everyone.
    respondents = pd.DataFrame({"comment": ["koulutusta"] * 6 + ["sanktioner"] * 2 + [None, "  "]})
    table = comment_themes(respondents, THEMES, min_cell=5).set_index("theme")
    assert table.loc["training", "share_of_respondents"] == 6 / 10
    assert table.loc["training", "all_respondents"] == 10
    assert pd.isna(table.loc["sanctions_export_control", "share_of_respondents"])


def test_the_attention_share_is_declared_and_a_share(tmp_path: Path) -> None:
    from analysis.survey.comments import load_attention_share

    assert load_attention_share(REPO_ROOT / "config" / "comment_themes.yaml") == 0.15
    path = tmp_path / "themes.yaml"
    path.write_text("themes: {}\n")
    try:
        load_attention_share(path)
    except ValueError as error:
        assert "attention_share" in str(error)
    else:
        raise AssertionError("expected an error")
