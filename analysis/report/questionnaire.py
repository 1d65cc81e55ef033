"""The questionnaire as asked, for people: a printable HTML page per language and the report's
appendix, both from the questionnaire built from the codebook (``survey.questionnaire``)."""

from __future__ import annotations

from html import escape

from analysis.i18n import t
from analysis.i18n.page import PageText, escape_value
from analysis.survey.questionnaire import (
    ARRAY,
    LIST,
    LONG_TEXT,
    MULTIPLE,
    SHORT_TEXT,
    Group,
    Question,
)


def _instruction(question: Question, lang: str) -> str:
    return t(f"questionnaire.instruction.{question.type}", lang)


def scale_text(question: Question, lang: str) -> str:
    """ "1 = Strongly disagree, 2 = …; Don't know" as asked."""
    return "; ".join(f"{a.code} = {a.text[lang]}" for a in question.answers)


def printable_html(groups: list[Group], lang: str, title: str, version: str) -> str:
    """One self-contained page (no scripts, no links out) with every question, row and answer
    box, numbered as asked; print styles keep a question on one page."""
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:52em;margin:2em auto;line-height:1.4}"
        "table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:.3em;"
        "font-size:.9em}th{background:#eee}.box{display:inline-block;width:1em;height:1em;"
        "border:1px solid #333;margin-right:.4em;vertical-align:middle}.line{border-bottom:"
        "1px solid #333;height:1.6em}.q{break-inside:avoid;margin:1.2em 0}"
        ".code{color:#777;font-size:.8em}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(t('questionnaire.version', lang, version=version))}</p>",
    ]
    number = 0
    for group in groups:
        parts.append(f"<h2>{escape(group.text[lang])}</h2>")
        for question in group.questions:
            number += 1
            required = (
                f" <em>({escape(t('questionnaire.required', lang))})</em>"
                if question.mandatory
                else ""
            )
            parts.append(
                f'<div class="q"><p><strong>{number}. {escape(question.text[lang])}</strong>'
                f'{required} <span class="code">[{escape(question.code)}]</span><br>'
                f"<em>{escape(_instruction(question, lang))}</em></p>"
            )
            parts.append(_answer_area(question, lang))
            parts.append("</div>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _answer_area(question: Question, lang: str) -> str:
    box = '<span class="box"></span>'
    if question.type == ARRAY:
        head = "".join(f"<th>{escape(a.text[lang])}</th>" for a in question.answers)
        rows = "".join(
            f"<tr><td>{escape(row.text[lang])}</td>"
            + f"<td>{box}</td>" * len(question.answers)
            + "</tr>"
            for row in question.rows
        )
        return f"<table><tr><th></th>{head}</tr>{rows}</table>"
    if question.type in (LIST, MULTIPLE):
        options = [a.text[lang] for a in question.answers] or [r.text[lang] for r in question.rows]
        items = "".join(f"<li>{box}{escape(text)}</li>" for text in options)
        if question.other:
            items += f'<li>{box}{escape(t("questionnaire.other", lang))} <span class="line" style="display:inline-block;width:20em"></span></li>'
        return f'<ul style="list-style:none">{items}</ul>'
    lines = 4 if question.type == LONG_TEXT else 1
    assert question.type in (SHORT_TEXT, LONG_TEXT)
    return '<div class="line"></div>' * lines


def appendix_markdown(groups: list[Group], lang: str) -> PageText:
    """The report's appendix: every block, question and answer scale as asked, in ``lang``
    (every text from the codebook escaped, the layout written here)."""
    e = escape_value
    lines: list[str] = []
    number = 0
    for group in groups:
        lines.append(f"**{e(group.text[lang])}**\n")
        for question in group.questions:
            number += 1
            lines.append(
                f"{number}. {e(question.text[lang])} *({e(_instruction(question, lang))})*"
            )
            for row in question.rows:
                lines.append(f"    - {e(row.text[lang])}")
            if question.answers:
                lines.append(
                    f"    - *{e(t('questionnaire.scale', lang))}:* {e(scale_text(question, lang))}"
                )
            if question.other:
                lines.append(f"    - {e(t('questionnaire.other', lang))}")
        lines.append("")
    return PageText.composed("\n".join(lines))
