"""The executive summary and the report's scope."""

from __future__ import annotations

from analysis.figures.publisher import Publisher, say
from analysis.i18n import page_text
from analysis.i18n.page import PageText, join, page_format
from analysis.report.data import ReportData
from analysis.report.findings import Findings, summary_sentences
from analysis.survey.labels import group_labels


def executive_summary(data: ReportData, pub: Publisher) -> list[str]:
    """The key findings (``report_findings``) as sentences in the edition's language."""
    findings = Findings.from_table(data.findings)
    groups = group_labels(data.codebook, data.lang)
    sentences = summary_sentences(
        findings, pub.synthetic, data.lang, data.label, data.country, groups.get
    )
    say(join([page_format("- {s}", s=s) for s in sentences], "\n"))
    return sentences


def scope_basis(data: ReportData) -> PageText:
    """What the report rests on: responses and organisations, the years of co-publications
    (when they were provided) and the smallest group shown."""
    lang = data.lang
    findings = Findings.from_table(data.findings)
    counts = {"respondents": findings["respondents"], "organisations": findings["organisations"]}
    if "first_year" in findings:
        years = {"first_year": findings["first_year"], "last_year": findings["last_year"]}
        return page_text("scope.basis", lang, **counts, **years, min_cell=data.min_cell)
    # no co-publication counts were provided
    return page_text("scope.basis_survey_only", lang, **counts, min_cell=data.min_cell)


def scope(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    text = scope_basis(data)
    synthetic = [page_text("scope.synthetic", lang)] if pub.synthetic else []
    say(join([text, *synthetic], " "))
