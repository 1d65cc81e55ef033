"""Step 26, key findings: the numbers the executive summary states, as one language-neutral
table (``report_findings``: finding, value, type) that every edition writes its sentences from."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera import Check, Column

from analysis.files.paths import resolve
from analysis.files.tables import read_table, write_csv_for_people, write_table
from analysis.report.findings import Findings, compute_findings

FINDINGS = pa.DataFrameSchema(
    {
        "finding": Column(str, unique=True),
        "value": Column(str),
        "type": Column(str, Check.isin(["int", "float", "str"])),
    },
    strict=True,
    coerce=True,
)


def key_findings(processed_dir: str) -> Findings:
    """Compute the findings from the results tables and write them (Parquet, and CSV for people)."""

    def table(name: str) -> pd.DataFrame:
        return read_table(processed_dir, name)

    findings = compute_findings(
        respondents=table("survey_respondents"),
        output_by_year=table("openalex_output_by_year"),
        top_partners=table("cooperation_top_partners"),
        agreement=table("survey_agreement"),
        readiness=table("survey_readiness"),
        mentions=table("survey_country_mentions"),
        readiness_by_organisation=table("survey_readiness_by_organisation"),
    )
    written = write_table(findings.table(), processed_dir, "report_findings", FINDINGS)
    write_csv_for_people(written, resolve(processed_dir) / "report_findings.csv")
    return findings
