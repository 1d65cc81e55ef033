"""The executive summary and the report's scope."""

from __future__ import annotations

from analysis.figures.publisher import Publisher, say
from analysis.i18n import t
from analysis.report.data import ReportData
from analysis.report.findings import Findings, summary_sentences
from analysis.steps.survey_analysis import group_labels


def executive_summary(data: ReportData, pub: Publisher) -> list[str]:
    """The key findings (``report_findings``) as sentences in the edition's language."""
    findings = Findings.from_table(data.findings)
    groups = group_labels(data.codebook, data.lang)
    sentences = summary_sentences(
        findings, pub.synthetic, data.lang, data.label, data.country, groups.get
    )
    say("\n".join(f"- {s}" for s in sentences))
    return sentences


def scope(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    findings = Findings.from_table(data.findings)
    text = t(
        "scope.basis",
        lang,
        respondents=findings["respondents"],
        organisations=findings["organisations"],
        first_year=findings["first_year"],
        last_year=findings["last_year"],
        min_cell=data.min_cell,
    )
    say(text + (" " + t("scope.synthetic", lang) if pub.synthetic else ""))
