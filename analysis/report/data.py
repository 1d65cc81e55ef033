"""The report's data: every results table, the codebook, country names, the scoring model and
the run's parameters, read once. Every chapter is a function ``(data, pub) -> None``."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import yaml

from analysis.disclosure.rules import Rules, load_rules
from analysis.files.paths import resolve
from analysis.files.tables import read_table
from analysis.i18n import check_language, pick, t
from analysis.reference.countries import CountryResolver
from analysis.scoring.model import NOT_PLACED, load_scoring_model
from analysis.survey.codebook import Codebook, load_codebook
from analysis.survey.comments import load_attention_share, load_themes

# The statistical audit's tables (written by step 25 as scoring_audit_<name>).
AUDIT_TABLES = ("indicators", "countries", "correlations", "dimensions", "rank_shifts", "findings")


@dataclass
class ReportData:
    """Everything the report shows, read from ``data/processed/``."""

    respondents: pd.DataFrame
    survey_accounting: pd.DataFrame
    survey_reads: pd.DataFrame
    agreement: pd.DataFrame
    readiness: pd.DataFrame
    readiness_by_organisation: pd.DataFrame
    response_rates: pd.DataFrame
    mentions: pd.DataFrame
    comment_themes: pd.DataFrame
    output_by_year: pd.DataFrame
    top_partners: pd.DataFrame
    by_country: pd.DataFrame
    screening: pd.DataFrame
    scores: pd.DataFrame
    sensitivity: pd.DataFrame
    sobol: pd.DataFrame  # Sobol' indices per country, score and uncertain input
    audit: dict[str, pd.DataFrame]  # the scoring_audit_* tables by name
    cards: pd.DataFrame
    cooperation_accounting: pd.DataFrame
    findings: pd.DataFrame
    recommendations: pd.DataFrame
    disclosure: pd.DataFrame  # cells published and withheld by reason (survey_disclosure)
    disclosure_rules: Rules
    codebook: Codebook
    resolver: CountryResolver
    model: dict
    rules: list
    theme_labels: dict[str, str]
    lang: str
    min_cell: int
    processed_dir: str = "data/processed"
    scoring_model: str = "config/scoring.yaml"
    previous_edition: str = ""
    show_comments: bool = False
    # The comment themes as configured (reasons for no recommendation) and the share of those
    # who commented at which a theme must lead to a draft or say why not.
    themes: list = field(default_factory=list)
    attention_share: float = 1.0

    @property
    def organisation_rule(self) -> str:
        """How each organisation's answer was decided (recorded in the table)."""
        return str(self.readiness_by_organisation["rule"].iloc[0])

    @property
    def interval_method(self) -> str:
        """How the intervals of respondent shares were computed (recorded in the table)."""
        return str(self.agreement["interval_method"].iloc[0])

    @property
    def weighting(self) -> str:
        """How perceptual shares were weighted (recorded in the table)."""
        return str(self.agreement["weighting"].iloc[0])

    def label(self, item_id: str) -> str:
        return self.codebook.items[item_id].text[self.lang]

    def country(self, iso2: str) -> str:
        return self.resolver.name(iso2, self.lang)

    def country_names(self, codes: pd.Series) -> pd.Series:
        return codes.map(self.country)

    def quadrant_names(self) -> dict[str, str]:
        """Class key → name in this edition's language, in the model's order (the four
        classes, then ``uncertain``)."""
        return {key: pick(name, self.lang) for key, name in self.model["classes"]["names"].items()}

    def quadrant_labels(self) -> dict[str, str]:
        """``quadrant_names`` and the name of ``not_placed``, for tables that hold either."""
        return {**self.quadrant_names(), NOT_PLACED: t("quadrant.not_placed", self.lang)}

    def quadrant_actions(self) -> dict[str, str]:
        """The working group's action word for each class, where it has chosen one."""
        actions = self.model["classes"].get("actions") or {}
        return {key: pick(action, self.lang) for key, action in actions.items()}


def load_report_data(
    processed_dir: str,
    codebook: str,
    country_aliases: str,
    lang: str,
    min_cell: int,
    *,
    scoring_model: str = "config/scoring.yaml",
    recommendation_rules: str = "config/recommendations.yaml",
    comment_themes: str = "config/comment_themes.yaml",
    disclosure: str = "config/disclosure.yaml",
    previous_edition: str = "",
    show_comments: bool = False,
) -> ReportData:
    """Read every table and configuration file the report's chapters show (the notebook's
    parameters, as they are)."""
    check_language(lang)

    def table(name: str) -> pd.DataFrame:
        return read_table(processed_dir, name)

    themes = load_themes(resolve(comment_themes))
    return ReportData(
        respondents=table("survey_respondents")[["respondent_key", "organisation_key", "comment"]],
        survey_accounting=table("survey_accounting"),
        survey_reads=table("survey_reads"),
        agreement=table("survey_agreement"),
        readiness=table("survey_readiness"),
        readiness_by_organisation=table("survey_readiness_of_organisations"),
        response_rates=table("survey_response_rates"),
        mentions=table("survey_country_mentions"),
        comment_themes=table("survey_comment_themes"),
        output_by_year=table("openalex_output_by_year"),
        top_partners=table("cooperation_top_partners"),
        by_country=table("cooperation_by_country"),
        screening=table("screening_by_country"),
        scores=table("country_scores"),
        sensitivity=table("scoring_sensitivity"),
        sobol=table("scoring_sobol"),
        audit={name: table(f"scoring_audit_{name}") for name in AUDIT_TABLES},
        cards=table("country_cards"),
        cooperation_accounting=table("cooperation_accounting"),
        findings=table("report_findings"),
        recommendations=table("recommendations"),
        disclosure=table("survey_disclosure"),
        disclosure_rules=load_rules(resolve(disclosure), min_cell),
        codebook=load_codebook(resolve(codebook)),
        resolver=CountryResolver(resolve(country_aliases)),
        model=load_scoring_model(resolve(scoring_model)),
        rules=yaml.safe_load(resolve(recommendation_rules).read_text(encoding="utf-8"))["rules"],
        theme_labels={theme.key: pick(theme.label, lang) for theme in themes},
        lang=lang,
        min_cell=int(min_cell),
        processed_dir=processed_dir,
        scoring_model=scoring_model,
        previous_edition=previous_edition,
        show_comments=bool(show_comments),
        themes=themes,
        attention_share=load_attention_share(resolve(comment_themes)),
    )
