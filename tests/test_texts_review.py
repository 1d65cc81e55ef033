"""Every text of the catalogue, filled with sample values, reads as a sentence in Finnish and
Swedish: no template left showing (``analysis.i18n.review``, ``python -m analysis texts-review``)."""

from __future__ import annotations

import re

import pytest

from analysis.i18n import catalogue
from analysis.i18n.review import render_all, review_html
from tests.test_report_finnish import ENGLISH_WORDS, SHARED_WITH_SWEDISH

RENDERED = dict(render_all())

# Words of English spelling that are names or terms in Finnish and Swedish texts too.
TERMS = {"min", "max", "log", "n", "source", "data"}


# The columns of the decisions file are read by the code, so the brief names them in English.
ALLOWED = {"brief.record_how": {"partner", "decision", "date", "reasons", "reviewer"}}


def artefacts(text: str, lang: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """What in ``text`` shows that a template was filled rather than a sentence written."""
    found = []
    if "{" in text or "}" in text:
        found.append("placeholder left")
    if text.count("`") % 2:  # a pair is a Markdown code span; one alone is left over
        found.append("backtick")
    if re.search(r"(?<!\u00a0)  ", text):
        found.append("doubled space")
    if re.search(r" [,.;:)]", text):
        found.append("space before punctuation")
    if lang == "fi" and re.search(r"\bmaan [A-ZÅÄÖ]", text):
        found.append('"maan <Country>"')
    if lang == "fi" and re.search(r"\bmaasta [A-ZÅÄÖ]|\bmaalle [A-ZÅÄÖ]", text):
        found.append('"maasta/maalle <Country>"')
    if re.search(r"\d:[a-zäö]+:[a-zäö]", text):
        found.append("two case endings")
    english = ENGLISH_WORDS - TERMS - (SHARED_WITH_SWEDISH if lang == "sv" else set())
    text = re.sub(r"\S+\.(csv|yaml)\b|`[^`]*`|\b\w+_\w+\b", "", text)  # files, code, names
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", text)} - allowed
    if words & english:
        found.append(f"English: {sorted(words & english)}")
    return found


def test_every_key_renders_in_every_language() -> None:
    assert set(RENDERED) == set(catalogue())
    assert all(RENDERED[key][lang] for key in RENDERED for lang in ("en", "fi", "sv"))


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_no_finnish_or_swedish_text_shows_a_template(lang: str) -> None:
    problems = {
        key: artefacts(texts[lang], lang, frozenset(ALLOWED.get(key, ())))
        for key, texts in RENDERED.items()
    }
    assert {key: found for key, found in problems.items() if found} == {}


def test_the_known_templated_sentences_are_whole_sentences_now() -> None:
    fi = RENDERED["summary.among_concern_countries"]["fi"]
    assert "maan Kiina" not in fi and "268:sta" in fi
    assert "268:stä" not in RENDERED["summary.concern_country"]["fi"]
    assert "4 organisaatiossa 34:stä" in RENDERED["summary.weakest_safeguard"]["fi"]
    assert "27\u00a0%–41\u00a0%:ssa" in RENDERED["preparedness.disagreement"]["fi"]
    assert "Vastausaste" in RENDERED["coverage.rate"]["fi"]
    assert "den finns i" not in RENDERED["summary.weakest_safeguard"]["sv"]
    assert "(länder:" not in RENDERED["countries.caption"]["sv"]


def test_the_review_page_has_every_key_and_language_side_by_side() -> None:
    page = review_html()
    assert page.count("<tr>") == len(catalogue()) + 1
    assert "<td lang='fi'>" in page and "<td lang='sv'>" in page
    assert "268:sta" in page
