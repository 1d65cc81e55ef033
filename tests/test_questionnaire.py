"""The questionnaire from the codebook: a LimeSurvey structure file whose response export the
generated mapping cleans back to the same answers; conformance with a real .lss export."""

from __future__ import annotations

import csv
import html
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from analysis.reference.countries import CountryResolver
from analysis.report.questionnaire import appendix_markdown, printable_html
from analysis.survey.clean import CleaningRules
from analysis.survey.codebook import load_codebook
from analysis.survey.folder import clean_folder
from analysis.survey.limesurvey import TABLES, read_lss, write_lss
from analysis.survey.questionnaire import mapping_spec, question_code, questionnaire
from tests.conftest import REPO_ROOT, shared_sample

BOOK = load_codebook(REPO_ROOT / "config" / "codebook.yaml")
COUNTRIES = CountryResolver(REPO_ROOT / "config" / "country_aliases.yaml")
GROUPS = questionnaire(BOOK, COUNTRIES.name)
LANGUAGES = ["fi", "sv", "en"]
TITLES = {"fi": "Kysely", "sv": "Enkät", "en": "Survey"}

# What three respondents mean to answer, in codebook terms.
INTENDED = [
    {
        "organisation": "University A",
        "org_type": "university",
        "threat_dual_use": 5,
        "opp_funding": 2,
        "prep_contact_person": "yes",
        "prep_training": "partly",
        "concern": ["CN", "RU"],
        "concern_other": "",
    },
    {
        "organisation": "UAS 03",
        "org_type": "uas",
        "threat_dual_use": "dont_know",
        "opp_funding": 4,
        "prep_contact_person": "no",
        "prep_training": "dont_know",
        "concern": [],
        "concern_other": "Iran",
    },
    {
        "organisation": "University A",
        "org_type": "university",
        "threat_dual_use": 1,
        "opp_funding": 5,
        "prep_contact_person": "partly",
        "prep_training": "yes",
        "concern": ["TR"],
        "concern_other": "",
    },
]


def test_question_codes_are_what_limesurvey_accepts() -> None:
    assert question_code("opportunity_countries") == "OPPORTUNITYCOUNTRIES"
    assert question_code("1st_item") == "Q1STITEM"
    for group in GROUPS:
        for question in group.questions:
            assert question.code.isalnum() and question.code[0].isalpha()
            assert len(question.code) <= 20
            assert all(len(a.code) <= 5 for a in question.answers)


def _by_text(texts: tuple[str, ...], codes: tuple[str, ...], wanted: str) -> str:
    """The code whose stored (escaped) text reads ``wanted``: found from the file alone."""
    matches = [c for c, text in zip(codes, texts, strict=True) if html.unescape(text) == wanted]
    assert len(matches) == 1, wanted
    return matches[0]


def _export_rows(questions) -> tuple[list[str], list[dict[str, str]]]:
    """A LimeSurvey-shaped response export built from the structure file's codes and texts
    (base language Finnish): columns TITLE / TITLE[SQ]; answers by their codes."""
    by_title = {q.title: q for q in questions}
    columns = ["id", "submitdate", "lastpage", "startlanguage", "interviewtime"]
    for question in questions:
        columns += question.columns()

    def cell(question_title: str, item_id: str | None, value: object) -> tuple[str, str]:
        question = by_title[question_title]
        column = question.title
        if item_id is not None:
            row = _by_text(
                question.subquestion_texts, question.subquestions, BOOK.items[item_id].text["fi"]
            )
            column = f"{question.title}[{row}]"
        scale = BOOK.items[item_id or "org_type"].scale
        label = scale.label(value, "fi")
        return column, _by_text(question.answer_texts, question.answers, label)

    rows = []
    for number, answer in enumerate(INTENDED, start=1):
        row = dict.fromkeys(columns, "")
        row.update(
            {
                "id": str(number),
                "submitdate": f"2024-09-1{number} 10:00:00",
                "lastpage": "6",
                "startlanguage": "fi",
                "interviewtime": "600",
                question_code("organisation"): answer["organisation"],
            }
        )
        for title, item, key in (
            ("ORGTYPE", None, "org_type"),
            ("THREATS", "threat_dual_use", "threat_dual_use"),
            ("OPPORTUNITIES", "opp_funding", "opp_funding"),
            ("PREPAREDNESS", "prep_contact_person", "prep_contact_person"),
            ("PREPAREDNESS", "prep_training", "prep_training"),
        ):
            column, code = cell(title, item, answer[key])
            row[column] = code
        concern = by_title["CONCERNCOUNTRIES"]
        for iso2 in answer["concern"]:
            option = _by_text(
                concern.subquestion_texts, concern.subquestions, COUNTRIES.name(iso2, "fi")
            )
            row[f"CONCERNCOUNTRIES[{option}]"] = "Y"
        row["CONCERNCOUNTRIES[other]"] = answer["concern_other"]
        rows.append(row)
    return columns, rows


def test_round_trip_structure_file_export_mapping_clean(tmp_path: Path) -> None:
    languages, questions = read_lss(write_lss(GROUPS, LANGUAGES, TITLES))
    assert languages == LANGUAGES
    columns, rows = _export_rows(questions)
    folder = tmp_path / "survey"
    folder.mkdir()
    with (folder / "responses.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    spec = mapping_spec(GROUPS, "responses.csv", COUNTRIES.name)
    (folder / "responses.mapping.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    (folder / "organisation_aliases.csv").write_text(
        "alias,organisation_key,org_type\nUniversity A,UNI-A,university\nUAS 03,UAS-03,uas\n",
        encoding="utf-8",
    )
    rules = CleaningRules(datetime(2024, 9, 1), datetime(2024, 10, 4, 23, 59))
    clean = clean_folder(folder, BOOK, COUNTRIES, rules)
    assert len(clean.respondents) == 3 and clean.rejects.empty
    respondents = clean.respondents.sort_values("respondent_id").reset_index(drop=True)
    assert respondents["org_type"].tolist() == ["university", "uas", "university"]
    assert respondents["organisation_key"].tolist() == ["UNI-A", "UAS-03", "UNI-A"]
    keys = dict(zip(respondents["respondent_id"], respondents["respondent_key"], strict=True))
    answers = clean.answers.set_index(["respondent_key", "item_id"])
    for number, intended in enumerate(INTENDED, start=1):
        key = keys[str(number)]
        for item in ("threat_dual_use", "opp_funding", "prep_contact_person", "prep_training"):
            row = answers.loc[(key, item)]
            if intended[item] == "dont_know":
                assert row["status"] == "dont_know", (number, item)
            elif isinstance(intended[item], int):
                assert int(row["score"]) == intended[item], (number, item)
            else:
                assert row["code"] == intended[item], (number, item)
        named = clean.countries[
            (clean.countries["respondent_key"] == key)
            & (clean.countries["item_id"] == "concern_countries")
        ]
        expected = set(intended["concern"]) | ({"IR"} if intended["concern_other"] else set())
        assert set(named["iso2"]) == expected, number


def test_the_structure_file_has_every_text_in_every_language() -> None:
    root = ET.fromstring(write_lss(GROUPS, LANGUAGES, TITLES))
    for table in ("groups", "questions", "subquestions", "answers"):
        rows = root.findall(f"{table}/rows/row")
        per_language = {
            lang: sum(r.findtext("language") == lang for r in rows) for lang in LANGUAGES
        }
        assert len(set(per_language.values())) == 1 and per_language["fi"] > 0, table
    texts = [r.findtext("question") for r in root.findall("questions/rows/row")]
    assert html.escape(BOOK.blocks["threats"]["stem"]["sv"]) in texts


def test_printable_questionnaire_and_appendix_ask_every_item() -> None:
    page = printable_html(GROUPS, "sv", "Enkät", BOOK.version)
    appendix = appendix_markdown(GROUPS, "fi")
    for item in BOOK.items.values():
        assert html.escape(item.text["sv"]) in page, item.id
        assert item.text["fi"] in appendix, item.id
    assert "<script" not in page and "http" not in page
    assert "Täysin samaa mieltä" in appendix and "En osaa sanoa" in appendix


def test_the_command_writes_structure_mapping_and_pages(tmp_path: Path) -> None:
    from analysis.__main__ import main

    assert main(["questionnaire", "--format", "limesurvey", "--lang", "fi,sv,en",
                 "--output", str(tmp_path)]) == 0  # fmt: skip
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "limesurvey_responses.mapping.yaml",
        "questionnaire.en.html",
        "questionnaire.fi.html",
        "questionnaire.sv.html",
        f"{BOOK.id}.lss",
    ]
    mapping = yaml.safe_load((tmp_path / "limesurvey_responses.mapping.yaml").read_text())
    demo = yaml.safe_load(
        (REPO_ROOT / "data/raw/demo/survey/limesurvey_results_2024.mapping.yaml").read_text()
    )
    assert set(mapping) == set(demo)  # the same shape as the demo's mapping file
    assert set(mapping["items"]) == set(demo["items"])
    assert main(["questionnaire", "--lang", "de", "--output", str(tmp_path)]) == 2


def test_conformance_with_a_real_limesurvey_structure_file() -> None:
    sample = shared_sample("limesurvey/limesurvey_survey_222232_excerpt.lss")
    text = sample.read_text(encoding="utf-8")
    languages, questions = read_lss(text)
    assert languages == ["de"]
    fach = next(q for q in questions if q.title == "Fach")
    assert fach.type == "M" and fach.other
    assert fach.columns()[:2] == ["Fach[F1]", "Fach[F2]"] and fach.columns()[-1] == "Fach[other]"
    assert any(q.type == "F" and q.subquestions and q.answers for q in questions)
    # Every table and field we write is one LimeSurvey itself exports, in its order.
    real = ET.fromstring(text)
    ours = ET.fromstring(write_lss(GROUPS, LANGUAGES, TITLES))
    assert ours.findtext("DBVersion") == real.findtext("DBVersion")
    for table, fields in TABLES.items():
        exported = [f.text for f in real.findall(f"{table}/fields/fieldname")]
        assert exported, table
        assert [f for f in exported if f in fields] == fields, table
        assert [f.text for f in ours.findall(f"{table}/fields/fieldname")] == fields


@pytest.mark.parametrize("lang", LANGUAGES)
def test_country_options_are_named_in_each_language(lang: str) -> None:
    concern = next(q for g in GROUPS for q in g.questions if q.code == "CONCERNCOUNTRIES")
    assert [r.country for r in concern.rows][:2] == ["CN", "RU"]
    assert concern.rows[0].text[lang] == COUNTRIES.name("CN", lang)
