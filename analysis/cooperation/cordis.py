"""EU framework programme projects with a Finnish participant, by partner country and year."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.cooperation.accounting import accounting_row
from analysis.countries import CountryResolver, UnmappedCountryError
from analysis.sources.cordis import parse_amount, read_cordis, require_columns

HOME = "FI"
PROJECT_COLUMNS = [
    "id",
    "acronym",
    "status",
    "startDate",
    "endDate",
    "ecMaxContribution",
    "frameworkProgramme",
    "topics",
]
ORGANISATION_COLUMNS = ["projectID", "name", "country", "role", "ecContribution"]


@dataclass
class CordisResult:
    projects: pd.DataFrame
    participants: pd.DataFrame
    partner_countries: pd.DataFrame
    accounting: pd.DataFrame
    rejects: pd.DataFrame


def cordis_projects(folder: Path, countries: CountryResolver) -> CordisResult:
    project_table = read_cordis(folder / "project.csv")
    require_columns(project_table, PROJECT_COLUMNS)
    raw = project_table.frame
    projects = pd.DataFrame(
        {
            "project_id": raw["id"].str.strip(),
            "acronym": raw["acronym"],
            "framework_programme": raw["frameworkProgramme"],
            "status": raw["status"],
            "start_date": pd.to_datetime(raw["startDate"], errors="coerce"),
            "end_date": pd.to_datetime(raw["endDate"], errors="coerce"),
            "ec_max_contribution": parse_amount(raw["ecMaxContribution"]),
            "topics": raw["topics"],
            "source_row": raw["source_row"],
        }
    )
    bad_date = projects["start_date"].isna()
    project_rejects = pd.concat(
        [
            project_table.rejects,
            pd.DataFrame(
                {
                    "source_row": projects.loc[bad_date, "source_row"],
                    "reason": "start date missing or unreadable",
                }
            ),
        ],
        ignore_index=True,
    )
    projects = projects[~bad_date].copy()
    projects["start_year"] = projects["start_date"].dt.year.astype(int)

    organisation_table = read_cordis(folder / "organization.csv")
    require_columns(organisation_table, ORGANISATION_COLUMNS)
    org = organisation_table.frame
    code = org["country"].str.strip().str.upper()
    missing_country = code == ""
    iso2 = code.map(lambda c: countries.from_cordis(c) if c else None)
    unknown = ~missing_country & iso2.isna()
    if unknown.any():
        values = code[unknown].value_counts().rename_axis("value").reset_index(name="count")
        raise UnmappedCountryError(values.assign(source="organization.csv, column country"))
    orphan = ~org["projectID"].str.strip().isin(set(projects["project_id"]))
    participants = pd.DataFrame(
        {
            "project_id": org["projectID"].str.strip(),
            "name": org["name"],
            "country_code": code,
            "iso2": iso2,
            "role": org["role"].str.strip().str.lower(),
            "ec_contribution": parse_amount(org["ecContribution"]),
            "source_row": org["source_row"],
        }
    )
    org_rejects = pd.concat(
        [
            organisation_table.rejects,
            pd.DataFrame(
                {"source_row": org.loc[missing_country, "source_row"], "reason": "country missing"}
            ),
            pd.DataFrame(
                {
                    "source_row": org.loc[orphan & ~missing_country, "source_row"],
                    "reason": "project not in project.csv (or rejected there)",
                }
            ),
        ],
        ignore_index=True,
    )
    participants = participants[~missing_country & ~orphan].copy()

    finnish_projects = set(participants.loc[participants["iso2"] == HOME, "project_id"])
    partners = participants[
        participants["project_id"].isin(finnish_projects) & (participants["iso2"] != HOME)
    ].merge(projects[["project_id", "start_year", "framework_programme"]], on="project_id")
    partner_countries = (
        partners.groupby(["start_year", "iso2"])
        .agg(
            projects=("project_id", "nunique"),
            participations=("project_id", "size"),
            ec_contribution=("ec_contribution", "sum"),
        )
        .reset_index()
        .rename(columns={"start_year": "year"})
    )
    partner_countries["country"] = partner_countries["iso2"].map(countries.name)
    accounting = pd.DataFrame(
        [
            accounting_row("project.csv", len(raw) + len(project_table.rejects), project_rejects),
            accounting_row(
                "organization.csv", len(org) + len(organisation_table.rejects), org_rejects
            ),
        ]
    )
    projects["has_finnish_participant"] = projects["project_id"].isin(finnish_projects)
    rejects = pd.concat(
        [
            project_rejects.assign(source_file="project.csv"),
            org_rejects.assign(source_file="organization.csv"),
        ],
        ignore_index=True,
    )[["source_file", "source_row", "reason"]]
    return CordisResult(
        projects.drop(columns="source_row"),
        participants.drop(columns="source_row"),
        partner_countries,
        accounting,
        rejects,
    )
