"""LimeSurvey's survey structure file (``.lss``): written from the questionnaire, and read back.

The layout is the one LimeSurvey 3.x/4.x exports (``DBVersion`` 365, as in the real sample in
``../shared/samples/limesurvey/``): one ``<document>`` with a table per kind of record, each
``<fields>`` (the column names) and ``<rows>``, every value CDATA text, and the language inside
each row of ``groups``, ``questions``, ``subquestions`` and ``answers`` (one row per language).
Subquestions are their own table keyed by ``parent_qid``; a response export names a column
``TITLE`` or ``TITLE[SUBTITLE]``, a multiple-choice "other" field ``TITLE[other]``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.sax.saxutils import escape

from analysis.survey.questionnaire import ARRAY, MULTIPLE, OTHER, Group

DB_VERSION = "365"
SURVEY_ID = "246810"
QUESTION_FIELDS = [
    "qid",
    "parent_qid",
    "sid",
    "gid",
    "type",
    "title",
    "question",
    "preg",
    "help",
    "other",
    "mandatory",
    "question_order",
    "language",
    "scale_id",
    "same_default",
    "relevance",
    "modulename",
]
TABLES = {
    "answers": ["qid", "code", "answer", "sortorder", "assessment_value", "language", "scale_id"],
    "groups": [
        "gid",
        "sid",
        "group_name",
        "group_order",
        "description",
        "language",
        "randomization_group",
        "grelevance",
    ],
    "questions": QUESTION_FIELDS,
    "subquestions": QUESTION_FIELDS,
    "surveys": [
        "sid",
        "gsid",
        "admin",
        "anonymized",
        "format",
        "savetimings",
        "language",
        "additional_languages",
        "datestamp",
        "allowprev",
        "showwelcome",
        "showprogress",
    ],
    "surveys_languagesettings": [
        "surveyls_survey_id",
        "surveyls_language",
        "surveyls_title",
        "surveyls_description",
        "surveyls_welcometext",
        "surveyls_endtext",
        "surveyls_dateformat",
        "surveyls_numberformat",
    ],
}


def _cdata(value: object) -> str:
    text = str(value)
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _table(name: str, rows: list[dict[str, object]]) -> list[str]:
    fields = TABLES[name]
    lines = [f" <{name}>", "  <fields>"]
    lines += [f"   <fieldname>{escape(f)}</fieldname>" for f in fields]
    lines += ["  </fields>", "  <rows>"]
    for row in rows:
        lines.append("   <row>")
        for f in fields:
            value = row.get(f, "")
            lines.append(f"    <{f}/>" if value == "" else f"    <{f}>{_cdata(value)}</{f}>")
        lines.append("   </row>")
    lines += ["  </rows>", f" </{name}>"]
    return lines


def write_lss(groups: list[Group], languages: list[str], title: dict[str, str]) -> str:
    """The survey structure file as text, every text in each of ``languages`` (the first is
    the survey's base language)."""
    rows: dict[str, list[dict[str, object]]] = {name: [] for name in TABLES}
    qid = 0
    sid = SURVEY_ID
    for group_order, group in enumerate(groups, start=1):
        gid = group_order
        for lang in languages:
            rows["groups"].append(
                {
                    "gid": gid,
                    "sid": sid,
                    "group_name": group.text[lang],
                    "group_order": group_order,
                    "language": lang,
                }
            )
        for order, question in enumerate(group.questions, start=1):
            qid += 1
            parent = qid
            common = {"sid": sid, "gid": gid, "scale_id": 0, "same_default": 0, "relevance": 1}
            for lang in languages:
                rows["questions"].append(
                    {
                        **common,
                        "qid": parent,
                        "parent_qid": 0,
                        "type": question.type,
                        "title": question.code,
                        "question": escape(question.text[lang]),
                        "other": "Y" if question.other else "N",
                        "mandatory": "Y" if question.mandatory else "N",
                        "question_order": order,
                        "language": lang,
                    }
                )
            for row_order, row in enumerate(question.rows, start=1):
                qid += 1
                for lang in languages:
                    rows["subquestions"].append(
                        {
                            **common,
                            "qid": qid,
                            "parent_qid": parent,
                            "type": "T" if question.type == ARRAY else question.type,
                            "title": row.code,
                            "question": escape(row.text[lang]),
                            "other": "N",
                            "mandatory": "N",
                            "question_order": row_order,
                            "language": lang,
                        }
                    )
            for answer_order, answer in enumerate(question.answers, start=1):
                for lang in languages:
                    rows["answers"].append(
                        {
                            "qid": parent,
                            "code": answer.code,
                            "answer": escape(answer.text[lang]),
                            "sortorder": answer_order,
                            "assessment_value": 0,
                            "language": lang,
                            "scale_id": 0,
                        }
                    )
    rows["surveys"].append(
        {
            "sid": sid,
            "gsid": 1,
            "admin": "",
            "format": "G",
            "language": languages[0],
            "additional_languages": " ".join(languages[1:]),
            "datestamp": "Y",
            "anonymized": "Y",
            "savetimings": "Y",
            "showwelcome": "Y",
            "showprogress": "Y",
            "allowprev": "Y",
        }
    )
    for lang in languages:
        rows["surveys_languagesettings"].append(
            {
                "surveyls_survey_id": sid,
                "surveyls_language": lang,
                "surveyls_title": title[lang],
                "surveyls_dateformat": 6,
                "surveyls_numberformat": 0 if lang == "en" else 1,
            }
        )
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<document>"]
    lines += [
        " <LimeSurveyDocType>Survey</LimeSurveyDocType>",
        f" <DBVersion>{DB_VERSION}</DBVersion>",
    ]
    lines += [" <languages>"] + [f"  <language>{lang}</language>" for lang in languages]
    lines += [" </languages>"]
    for name in TABLES:
        lines += _table(name, rows[name])
    lines.append("</document>")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class LssQuestion:
    """A question of a survey structure file, as a response export will name its columns."""

    title: str
    type: str
    other: bool
    subquestions: tuple[str, ...]
    answers: tuple[str, ...]
    text: str = ""  # question text in the base language (HTML as stored)
    subquestion_texts: tuple[str, ...] = ()
    answer_texts: tuple[str, ...] = ()

    def columns(self) -> list[str]:
        if self.subquestions:
            names = [f"{self.title}[{code}]" for code in self.subquestions]
        else:
            names = [self.title]
        if self.other and self.type == MULTIPLE:
            names.append(f"{self.title}[{OTHER}]")
        return names


def _records(root: ET.Element, table: str) -> list[dict[str, str]]:
    rows = root.find(f"{table}/rows")
    if rows is None:
        return []
    return [{child.tag: (child.text or "") for child in row} for row in rows]


def read_lss(text: str) -> tuple[list[str], list[LssQuestion]]:
    """The languages and the questions (in group and question order, base language) of a
    survey structure file."""
    root = ET.fromstring(text)
    languages = [e.text or "" for e in root.findall("languages/language")]
    base = languages[0] if languages else ""
    groups = {
        r["gid"]: int(r.get("group_order") or 0)
        for r in _records(root, "groups")
        if r.get("language", base) == base
    }
    questions = [
        r
        for r in _records(root, "questions")
        if r.get("language", base) == base and r.get("parent_qid", "0") == "0"
    ]
    subquestions = [r for r in _records(root, "subquestions") if r.get("language", base) == base]
    answers = [r for r in _records(root, "answers") if r.get("language", base) == base]
    questions.sort(key=lambda r: (groups.get(r["gid"], 0), int(r.get("question_order") or 0)))
    result = []
    for q in questions:
        subs = sorted(
            (s for s in subquestions if s["parent_qid"] == q["qid"]),
            key=lambda s: int(s.get("question_order") or 0),
        )
        codes = sorted(
            (a for a in answers if a["qid"] == q["qid"]),
            key=lambda a: int(a.get("sortorder") or 0),
        )
        result.append(
            LssQuestion(
                title=q["title"],
                type=q["type"],
                other=q.get("other") == "Y",
                subquestions=tuple(s["title"] for s in subs),
                answers=tuple(a["code"] for a in codes),
                text=q.get("question", ""),
                subquestion_texts=tuple(s.get("question", "") for s in subs),
                answer_texts=tuple(a.get("answer", "") for a in codes),
            )
        )
    return languages, result
