"""Step 26, key findings: the numbers the executive summary states, as one language-neutral
table (``report_findings``: finding, value, type) that every edition writes its sentences from,
and the draft recommendations the rules give (``recommendations``: rule key, text key, the
countries named and those held back as uncertain, the values the text is filled with).

Every sentence these values make is a claim on published cells (``analysis.report.evidence``);
the claims are checked here, before any page is written, and kept as ``report_claims`` (claim,
statement, table, logic, cells, the numbers stated). A claim that fails stops the build with
the claim and its cells named."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import yaml
from pandera import Check

from analysis.files.paths import resolve
from analysis.files.schemas import PUBLISHABLE, table, text
from analysis.files.tables import read_table, write_csv_for_people, write_table
from analysis.report.claims import LOGIC, check_claims
from analysis.report.evidence import draft_claims, summary_claims
from analysis.report.findings import Findings, compute_findings
from analysis.scoring.recommendations import (
    KINDS,
    check_themes_answered,
    drafts_table,
    evaluate,
)
from analysis.survey.codebook import load_codebook
from analysis.survey.comments import load_attention_share, load_themes
from analysis.survey.organisations import organisation_interval

FINDINGS = table(
    "report_findings",
    "Every number of the executive summary, one per row, as codes, ids, counts and shares "
    "(language-neutral; the report words them).",
    PUBLISHABLE,
    {
        "finding": text("the finding's key", unique=True),
        "value": text("its value, as text (read it as type)"),
        "type": text("int, float or str", Check.isin(["int", "float", "str"])),
    },
)
CODES = Check.str_matches(r"^([A-Z]{2}( [A-Z]{2})*)?$")
RECOMMENDATIONS = table(
    "recommendations",
    "The draft recommendations from config/recommendations.yaml: each rule that fired, the "
    "countries it names (settled class) and holds back (unsettled).",
    PUBLISHABLE,
    {
        "rule_key": text("the rule's key in config/recommendations.yaml", unique=True),
        "kind": text("what the rule looks at", Check.isin(sorted(KINDS))),
        "text_key": text("the recommendation's text in the rules file"),
        "countries_named": text("ISO codes of the countries named, space-separated", CODES),
        "countries_held_back": text(
            "ISO codes of countries left out because their class is not settled", CODES
        ),
        "values": text("the numbers and keys the rule fired on, as JSON"),
    },
)
CLAIMS = table(
    "report_claims",
    "Each sentence of the summaries and recommendations that states a number or comparison, "
    "with the published cells it rests on, checked before any page is written.",
    PUBLISHABLE,
    {
        "claim": text("the sentence: summary.<finding>, recommendations.<rule>", unique=True),
        "statement": text("what it asserts, in plain English"),
        "table": text("the results table its cells are in"),
        "logic": text("what was checked on the cells", Check.isin(list(LOGIC))),
        "cells": text("the cells, as table[column=value, …].column; …"),
        "stated": text("the numbers the sentence states, by cell (JSON)"),
    },
)
CLAIM_TABLES = (  # the results tables a claim may rest on
    "survey_agreement",
    "survey_readiness",
    "survey_readiness_of_organisations",
    "survey_country_mentions",
    "survey_comment_themes",
    "openalex_output_by_year",
    "cooperation_top_partners",
    "country_scores",
    "screening_by_country",
)


def key_findings(
    processed_dir: str,
    recommendation_rules: str,
    min_cell: int,
    codebook: str,
    comment_themes: str,
) -> Findings:
    """Compute the findings and the draft recommendations from the results tables, check the
    claims their sentences make, and write them (Parquet, and CSV for people). The codebook
    says which countries the questionnaire listed for each country question. Every comment
    theme raised by at least the declared share of those who commented must lead to a draft
    or declare why not: else this fails."""
    tables = {name: read_table(processed_dir, name) for name in CLAIM_TABLES}
    prompted = {
        item.id: item.options
        for item in load_codebook(resolve(codebook)).items.values()
        if item.kind == "countries"
    }

    def table(name: str) -> pd.DataFrame:
        return tables[name] if name in tables else read_table(processed_dir, name)

    readiness = table("survey_readiness")
    readiness_by_organisation = table("survey_readiness_of_organisations")
    findings = compute_findings(
        respondents=table("survey_respondents"),
        output_by_year=table("openalex_output_by_year"),
        top_partners=table("cooperation_top_partners"),
        agreement=table("survey_agreement"),
        readiness=readiness,
        mentions=table("survey_country_mentions"),
        readiness_by_organisation=readiness_by_organisation,
        min_cell=int(min_cell),
        prompted=prompted,
    )
    rules = yaml.safe_load(resolve(recommendation_rules).read_text(encoding="utf-8"))["rules"]
    results = SimpleNamespace(
        readiness=readiness,
        readiness_by_organisation=readiness_by_organisation,
        scores=table("country_scores"),
        screening=table("screening_by_country"),
        comment_themes=table("survey_comment_themes"),
    )
    drafts = evaluate(rules, results)
    themes_path = resolve(comment_themes)
    check_themes_answered(
        results.comment_themes,
        load_themes(themes_path),
        rules,
        drafts,
        load_attention_share(themes_path),
    )
    claims = summary_claims(findings, prompted.get("concern_countries", ())) + draft_claims(
        drafts, rules
    )
    # Checked before anything is written: a claim that fails leaves the outputs as they were.
    checked = check_claims(claims, tables, organisation_interval)
    written = write_table(findings.table(), processed_dir, "report_findings", FINDINGS)
    write_csv_for_people(written, resolve(processed_dir) / "report_findings.csv")
    write_table(
        drafts_table(drafts), processed_dir, "recommendations", RECOMMENDATIONS, csv_copy=True
    )
    write_table(checked, processed_dir, "report_claims", CLAIMS, csv_copy=True)
    return findings
