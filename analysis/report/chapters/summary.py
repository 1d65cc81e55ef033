"""The executive summary and the report's scope."""

from __future__ import annotations

from analysis.figures.publisher import Publisher, say
from analysis.i18n import t
from analysis.report.data import ReportData
from analysis.report.findings import Findings, summary_sentences


def executive_summary(data: ReportData, pub: Publisher) -> list[str]:
    """The key findings (``report_findings``) as sentences in the edition's language."""
    findings = Findings.from_table(data.findings)
    sentences = summary_sentences(findings, pub.synthetic, data.lang, data.label, data.country)
    say("\n".join(f"- {s}" for s in sentences))
    return sentences


def scope(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    findings = Findings.from_table(data.findings)
    counts = {"respondents": findings["respondents"], "organisations": findings["organisations"]}
    if "first_year" in findings:
        years = {"first_year": findings["first_year"], "last_year": findings["last_year"]}
        text = t("scope.basis", lang, **counts, **years, min_cell=data.min_cell)
    else:  # no co-publication counts were provided
        text = t("scope.basis_survey_only", lang, **counts, min_cell=data.min_cell)
    say(text + (" " + t("scope.synthetic", lang) if pub.synthetic else ""))
