"""Appendix: the questionnaire as asked, from the codebook, in the edition's language."""

from __future__ import annotations

from analysis.figures.publisher import Publisher, say
from analysis.i18n import page_text
from analysis.report.data import ReportData
from analysis.report.questionnaire import appendix_markdown
from analysis.survey.questionnaire import questionnaire as build_questionnaire


def questionnaire(data: ReportData, pub: Publisher) -> None:
    """Every block, question and answer scale in the order and wording respondents saw."""
    groups = build_questionnaire(data.codebook, data.resolver.name)
    say(page_text("questionnaire.version", data.lang, version=data.codebook.version))
    say(appendix_markdown(groups, data.lang))
