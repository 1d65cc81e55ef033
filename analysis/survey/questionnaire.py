"""The questionnaire as asked, built from the codebook: blocks, questions, answer scales and the
codes a survey tool gives them.

One structure serves the report's appendix, the printable questionnaire and the LimeSurvey
survey file, so that the export of the survey that was run maps back onto the codebook without
hand-work (``mapping_spec``). Question codes are derived from the codebook ids (letters and
digits only, at most 20 characters, as LimeSurvey requires); rows of a matrix are ``SQ001``…,
answers of a nominal scale ``A1``…, points of a Likert scale their numbers, "don't know" ``DK``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.survey.codebook import LANGUAGES, Codebook, Item, Scale

DONT_KNOW_CODE = "DK"
OTHER = "other"
# LimeSurvey question types: list (radio), array, multiple choice, short and long free text.
LIST, ARRAY, MULTIPLE, SHORT_TEXT, LONG_TEXT = "L", "F", "M", "S", "T"


@dataclass(frozen=True)
class Answer:
    code: str  # the code the tool stores
    value: object  # the codebook code it stands for (or "dont_know")
    text: dict[str, str]


@dataclass(frozen=True)
class Row:
    code: str  # subquestion code (SQ001 …)
    item_id: str | None  # the codebook item of an array row; None for a country option
    text: dict[str, str]
    country: str | None = None  # ISO code of a country option


@dataclass(frozen=True)
class Question:
    code: str
    type: str
    text: dict[str, str]
    items: tuple[str, ...]  # codebook item ids the question answers
    rows: tuple[Row, ...] = ()
    answers: tuple[Answer, ...] = ()
    scale: str | None = None
    mandatory: bool = False
    other: bool = False  # a free-text "other" field beside the options

    def column(self, row: Row | None = None) -> str:
        """The response export's column (LimeSurvey: ``CODE`` or ``CODE[SQ001]``)."""
        return self.code if row is None else f"{self.code}[{row.code}]"


@dataclass(frozen=True)
class Group:
    name: str  # the codebook block
    text: dict[str, str]
    questions: tuple[Question, ...] = field(default_factory=tuple)


def question_code(text: str) -> str:
    """A codebook id as a LimeSurvey code: letters and digits, starting with a letter, ≤ 20."""
    code = re.sub(r"[^A-Za-z0-9]", "", text).upper()
    if not code or not code[0].isalpha():
        code = "Q" + code
    return code[:20]


def _answers(scale: Scale) -> tuple[Answer, ...]:
    answers = []
    for number, (code, labels) in enumerate(scale.codes.items(), start=1):
        tool_code = str(code) if scale.kind == "likert" else f"A{number}"
        answers.append(Answer(tool_code, code, dict(labels)))
    if scale.dont_know:
        answers.append(Answer(DONT_KNOW_CODE, "dont_know", dict(scale.dont_know)))
    return tuple(answers)


def _single(item: Item) -> Question:
    code = question_code(item.id)
    if item.kind == "organisation":
        return Question(code, SHORT_TEXT, item.text, (item.id,), mandatory=item.required)
    if item.kind == "free_text":
        return Question(code, LONG_TEXT, item.text, (item.id,), mandatory=item.required)
    assert item.scale is not None
    return Question(
        code,
        LIST,
        item.text,
        (item.id,),
        answers=_answers(item.scale),
        scale=item.scale.name,
        mandatory=item.required,
    )


def _countries(item: Item, options: list[str], names) -> Question:
    rows = tuple(
        Row(f"SQ{number:03d}", None, {lang: names(iso2, lang) for lang in LANGUAGES}, iso2)
        for number, iso2 in enumerate(options, start=1)
    )
    return Question(question_code(item.id), MULTIPLE, item.text, (item.id,), rows=rows, other=True)


def questionnaire(codebook: Codebook, country_name=None) -> list[Group]:
    """The questionnaire's groups in the codebook's order. A block with a scale of its own is
    one array question (a row per item); any other block has a question per item. Country
    questions list the codebook's ``options`` (ISO codes, named by ``country_name(iso2, lang)``)
    and take other countries as free text."""
    groups = []
    for name, block in codebook.blocks.items():
        items = codebook.block_items(name)
        if "scale" in block:
            scale = codebook.scales[block["scale"]]
            rows = tuple(
                Row(f"SQ{number:03d}", item.id, item.text)
                for number, item in enumerate(items, start=1)
            )
            question = Question(
                question_code(name),
                ARRAY,
                dict(block.get("stem") or block["text"]),
                tuple(item.id for item in items),
                rows=rows,
                answers=_answers(scale),
                scale=scale.name,
            )
            groups.append(Group(name, dict(block["text"]), (question,)))
            continue
        questions = []
        for item in items:
            if item.kind == "countries":
                options = list(block["items"][item.id].get("options", []))
                questions.append(_countries(item, options, country_name or (lambda c, _: c)))
            else:
                questions.append(_single(item))
        groups.append(Group(name, dict(block["text"]), tuple(questions)))
    return groups


def limesurvey_columns(export: str) -> dict:
    """The part of a mapping every LimeSurvey response export shares: its own columns for the
    response id, submission time, interview time, completeness and language."""
    return {
        "export": export,
        "tool": "limesurvey",
        "header_rows": 1,
        "respondent_id": "id",
        "submitted_at": {"column": "submitdate", "format": "%Y-%m-%d %H:%M:%S"},
        "duration_seconds": "interviewtime",
        "status": {"column": "submitdate", "complete_when": "not_empty"},
        "language": {"column": "startlanguage"},
    }


def mapping_spec(
    groups: list[Group], export: str, country_name=None, checked: str = "Y"
) -> dict[str, object]:
    """The mapping file (same shape as the demo's) that a LimeSurvey response export of this
    questionnaire needs: columns, answer codes, country options; "export" names the file."""
    items: dict[str, str] = {}
    values: dict[str, dict[str, object]] = {}
    scale_values: dict[str, dict[str, object]] = {}
    countries: dict[str, dict[str, object]] = {}
    for group in groups:
        for question in group.questions:
            if question.type == ARRAY:
                for row in question.rows:
                    items[row.item_id] = question.column(row)
                scale_values[question.scale] = {
                    a.code: a.value for a in question.answers if a.code != str(a.value)
                }
            elif question.type == MULTIPLE:
                name = country_name or (lambda c, _: c)
                countries[question.items[0]] = {
                    "options": {question.column(r): name(r.country, "en") for r in question.rows},
                    "other": f"{question.code}[{OTHER}]",
                    "checked": checked,
                }
            else:
                items[question.items[0]] = question.column()
                if question.answers:
                    values[question.items[0]] = {
                        a.code: a.value for a in question.answers if a.code != str(a.value)
                    }
    return {
        **limesurvey_columns(export),
        "items": items,
        "values": values,
        "scale_values": {k: v for k, v in scale_values.items() if v},
        "countries": countries,
    }
