"""The report's languages: the text catalogue, number formats and the language cells."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from analysis.build.render import in_language
from analysis.i18n import (
    LANGUAGES,
    MissingText,
    catalogue,
    number,
    pick,
    placeholders,
    reason_text,
    share,
    t,
    timestamp,
)
from tests.conftest import REPO_ROOT

KEY_CALL = re.compile(r"""\b(?:t|page_text)\(\s*(f?)["']([^"']+)["']""")


def test_every_text_has_every_language_with_the_same_placeholders() -> None:
    for key, entry in catalogue().items():
        assert set(entry) == set(LANGUAGES), key
        assert all(entry[lang] for lang in LANGUAGES), key
        for lang in LANGUAGES:
            assert placeholders(entry[lang]) == placeholders(entry["en"]), (key, lang)


def test_the_report_languages_are_english_finnish_and_swedish() -> None:
    assert LANGUAGES == ("en", "fi", "sv")


def test_every_swedish_text_differs_from_its_english_and_finnish_ones_where_it_should() -> None:
    """A copied English or Finnish text in the Swedish column would pass the test above."""
    same_as_english = {  # the Swedish word too, or only the symbol n
        "header.parameter",
        "column.reads.format",
        "survey.group_n",
        "survey.group_small",
        "preparedness.respondent_cell",
        "coverage.rate_cell",
        "coverage.silent_sector",
        "survey.rival",
        "audit.column.kurtosis",
        "table.data",  # "Data:", as the Swedish figure captions say it
    }
    copied = [
        key
        for key, entry in catalogue().items()
        if key not in same_as_english
        and re.search(r"[^\W\d_]", re.sub(r"\{\w+\}", "", entry["sv"]))  # words, not a layout
        and entry["sv"] in (entry["en"], entry["fi"])
    ]
    assert copied == []


def test_every_key_the_code_asks_for_exists() -> None:
    """Literal keys exactly; f-string keys by the fixed part before their first placeholder."""
    keys = set(catalogue())
    asked = []
    for path in (REPO_ROOT / "analysis").rglob("*.py"):
        for is_f, key in KEY_CALL.findall(path.read_text(encoding="utf-8")):
            asked.append((path.name, key))
            if is_f:
                prefix = key.split("{", 1)[0]
                assert any(k.startswith(prefix) for k in keys), (path.name, key)
            else:
                assert key in keys, (path.name, key)
    assert len(asked) > 100


def test_numbers_and_shares_in_each_language() -> None:
    assert number(12345, "en") == "12\u00a0345"
    assert number(12345, "fi") == "12\u00a0345"
    assert number(0.456, "en", 2) == "0.46"
    assert number(0.456, "fi", 2) == "0,46"
    assert share(0.456, "en") == "46%"
    assert share(0.456, "fi") == "46\u00a0%"
    assert share(0.4567, "fi", 1) == "45,7\u00a0%"


def test_swedish_numbers_and_shares_take_a_decimal_comma_and_a_spaced_percent_sign() -> None:
    assert number(12345, "sv") == "12\u00a0345"
    assert number(1234567.891, "sv", 2) == "1\u00a0234\u00a0567,89"
    assert number(0.456, "sv", 2) == "0,46"
    assert number(-3.25, "sv", 1) == "\u22123,2"
    assert share(0.45, "sv") == "45\u00a0%"
    assert share(0.4567, "sv", 1) == "45,7\u00a0%"
    assert share(1, "sv") == "100\u00a0%"


def test_times_in_each_language() -> None:
    moment = datetime(2026, 3, 5, 9, 7)
    assert timestamp(moment, "en") == "2026-03-05 09:07 UTC"
    assert timestamp(moment, "fi") == "5.3.2026 klo 09.07 UTC"
    assert timestamp(moment, "sv") == "5.3.2026 kl. 09.07 UTC"
    assert timestamp(datetime(2026, 11, 25, 20, 30), "sv") == "25.11.2026 kl. 20.30 UTC"


def test_texts_fill_placeholders_and_missing_ones_fail_loudly() -> None:
    assert t("figure.number", "fi", number=3) == "Kuvio 3"
    assert t("figure.number", "en", number=3) == "Figure 3"
    with pytest.raises(MissingText):
        t("no.such.key", "en")
    assert t("figure.number", "sv", number=3) == "Figur 3"
    with pytest.raises(MissingText):
        t("figure.number", "de", number=3)


def test_configured_labels_are_one_string_or_one_per_language() -> None:
    assert pick("OpenAlex", "fi") == "OpenAlex"
    assert pick({"en": "Survey", "fi": "Kysely"}, "fi") == "Kysely"
    assert pick({"en": "Survey", "fi": "Kysely", "sv": "Enkät"}, "sv") == "Enkät"
    with pytest.raises(MissingText):
        pick({"en": "Survey"}, "fi")
    with pytest.raises(MissingText):
        pick({"en": "Survey", "fi": "Kysely"}, "sv")


def _labels_by_language(value, where: str):
    """Every ``{en: ..., fi: ...}`` map in a configuration file, with where it is."""
    if isinstance(value, dict):
        if "en" in value and "fi" in value:
            yield where, value
        for key, item in value.items():
            yield from _labels_by_language(item, f"{where}.{key}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _labels_by_language(item, f"{where}[{number}]")


def test_every_configured_label_has_every_report_language_with_the_same_placeholders() -> None:
    import yaml

    found = 0
    for path in sorted((REPO_ROOT / "config").rglob("*.yaml")):
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
        for where, labels in _labels_by_language(config, path.name):
            found += 1
            assert set(LANGUAGES) <= set(labels), where
            texts = {lang: str(labels[lang]) for lang in LANGUAGES}
            assert all(texts.values()), where
            assert len({frozenset(placeholders(text)) for text in texts.values()}) == 1, where
    assert found > 100


def test_loader_reasons_are_translated_phrase_by_phrase() -> None:
    text = "Finland itself (the home country is not a partner) (3); country missing (2)"
    assert reason_text(text, "fi") == "Suomi itse (kotimaa ei ole kumppani) (3); maa puuttuu (2)"
    assert (
        reason_text(text, "sv")
        == "Finland självt (hemlandet är ingen partner) (3); land saknas (2)"
    )
    assert reason_text(text, "en") == text


def test_the_renderer_keeps_only_the_report_language_cells() -> None:
    cells = [
        {"cell_type": "code", "metadata": {}},
        {"cell_type": "markdown", "metadata": {"tags": ["lang-en"]}, "source": "## Threats"},
        {"cell_type": "markdown", "metadata": {"tags": ["lang-fi"]}, "source": "## Uhat"},
        {"cell_type": "markdown", "metadata": {"tags": ["lang-sv"]}, "source": "## Hot"},
        {"cell_type": "markdown", "metadata": {}, "source": "shared"},
    ]
    assert [c.get("source") for c in in_language(cells, "fi")] == [None, "## Uhat", "shared"]
    assert [c.get("source") for c in in_language(cells, "sv")] == [None, "## Hot", "shared"]
    assert [c.get("source") for c in in_language(cells, "en")] == [None, "## Threats", "shared"]


@pytest.mark.parametrize("name", ["31_report.ipynb", "32_institution_report.ipynb"])
def test_every_prose_cell_of_the_reports_exists_in_every_language(name: str) -> None:
    cells = json.loads((REPO_ROOT / "notebooks" / name).read_text(encoding="utf-8"))["cells"]
    prose = [c for c in cells if c["cell_type"] == "markdown"]
    tags = [next(t for t in c["metadata"].get("tags", []) if t.startswith("lang-")) for c in prose]
    assert len(prose) >= 3 and len(prose) % len(LANGUAGES) == 0
    assert tags == [f"lang-{lang}" for lang in LANGUAGES] * (len(prose) // len(LANGUAGES))
    heading = re.compile(r"^(#+) ", re.MULTILINE)
    for start in range(0, len(prose), len(LANGUAGES)):
        sources = ["".join(cell["source"]) for cell in prose[start : start + len(LANGUAGES)]]
        english = sources[0]
        for other in sources[1:]:
            assert heading.findall(other) == heading.findall(english), other[:40]
        assert len(set(sources)) == len(LANGUAGES), english[:40]  # no language copied


@pytest.mark.parametrize("name", ["31_report.ipynb", "32_institution_report.ipynb"])
def test_every_english_prose_cell_has_a_finnish_and_a_swedish_cell_right_after_it(
    name: str,
) -> None:
    cells = json.loads((REPO_ROOT / "notebooks" / name).read_text(encoding="utf-8"))["cells"]
    tags = [c["metadata"].get("tags", []) for c in cells]
    english = [i for i, t in enumerate(tags) if "lang-en" in t]
    assert english
    for index in english:
        assert "lang-fi" in tags[index + 1] and "lang-sv" in tags[index + 2], index
        for partner in cells[index + 1 : index + 3]:
            assert partner["cell_type"] == "markdown" and "outputs" not in partner
    ids = [c["id"] for c in cells if "id" in c]
    assert len(ids) == len(set(ids))


def test_a_label_inside_a_sentence_keeps_its_acronyms() -> None:
    from analysis.i18n import in_sentence

    assert in_sentence("External funding (EU programmes)") == "external funding (EU programmes)"
    assert in_sentence("EU programmes") == "EU programmes"
    assert in_sentence("Training for staff") == "training for staff"


@pytest.mark.parametrize(
    ("names", "lang", "expected"),
    [
        (["A"], "en", "A"),
        (["A", "B"], "en", "A and B"),
        (["A", "B", "C"], "sv", "A, B och C"),
        (["A", "B and C", "D"], "en", "A; B and C; and D"),
        (
            ["yhteistyö", "tilojen ja järjestelmien suojaus"],
            "fi",
            "yhteistyö; ja tilojen ja järjestelmien suojaus",
        ),
        (["Sand", "Brand"], "en", "Sand and Brand"),  # the word, not letters inside another
    ],
)
def test_a_listing_keeps_items_apart_that_hold_the_word_for_and(names, lang, expected) -> None:
    from analysis.i18n import listing

    assert listing(names, lang) == expected


def test_negative_numbers_take_the_minus_sign_in_finnish_and_swedish() -> None:
    from analysis.i18n import number, share

    assert number(-1.84, "fi", 1) == "\u22121,8"
    assert number(-12345, "sv") == "\u221212\u00a0345"
    assert number(-1.84, "en", 1) == "-1.8"
    assert share(-0.025, "sv", 1) == "\u22122,5\u00a0%"
    assert number(-0.04, "fi", 1) == "0,0" and number(-0.4, "en") == "0"  # no signed zero
