"""The report's chapters, in the report's order; each is ``chapter(data, pub) -> None``."""

from analysis.report.chapters.appendix import accounting, method_of_scoring
from analysis.report.chapters.audit import statistical_audit
from analysis.report.chapters.cards import country_cards
from analysis.report.chapters.changes import since_previous_edition
from analysis.report.chapters.comments import comments
from analysis.report.chapters.cooperation import cooperation_landscape, critical_areas
from analysis.report.chapters.matrix import recommendations, threat_opportunity_matrix
from analysis.report.chapters.onepage import one_page_summary
from analysis.report.chapters.questionnaire import questionnaire
from analysis.report.chapters.screening import screening
from analysis.report.chapters.summary import executive_summary, scope
from analysis.report.chapters.survey import (
    countries_named,
    coverage,
    opportunities,
    preparedness,
    threats,
)

__all__ = [
    "one_page_summary",
    "executive_summary",
    "scope",
    "cooperation_landscape",
    "critical_areas",
    "coverage",
    "opportunities",
    "threats",
    "countries_named",
    "comments",
    "preparedness",
    "screening",
    "threat_opportunity_matrix",
    "since_previous_edition",
    "recommendations",
    "accounting",
    "questionnaire",
    "method_of_scoring",
    "statistical_audit",
    "country_cards",
]
