"""EU framework programme projects with a Finnish participant, by partner country and year."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.cooperation.accounting import accounting_row
from analysis.reference.countries import CountryResolver, UnmappedCountryError
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


def _read_programme(
    project_path: Path, organisation_path: Path, countries: CountryResolver
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Projects, participants, accounting and rejects of one project/organisation pair."""
    project_name, organisation_name = project_path.name, organisation_path.name
    project_table = read_cordis(project_path)
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

    organisation_table = read_cordis(organisation_path)
    require_columns(organisation_table, ORGANISATION_COLUMNS)
    org = organisation_table.frame
    code = org["country"].str.strip().str.upper()
    missing_country = code == ""
    iso2 = code.map(lambda c: countries.from_cordis(c) if c else None)
    unknown = ~missing_country & iso2.isna()
    if unknown.any():
        values = code[unknown].value_counts().rename_axis("value").reset_index(name="count")
        raise UnmappedCountryError(values.assign(source=f"{organisation_name}, column country"))
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
                    "reason": f"project not in {project_name} (or rejected there)",
                }
            ),
        ],
        ignore_index=True,
    )
    participants = participants[~missing_country & ~orphan].copy()

    accounting = pd.DataFrame(
        [
            accounting_row(project_name, len(raw) + len(project_table.rejects), project_rejects),
            accounting_row(
                organisation_name, len(org) + len(organisation_table.rejects), org_rejects
            ),
        ]
    )
    rejects = pd.concat(
        [
            project_rejects.assign(source_file=project_name),
            org_rejects.assign(source_file=organisation_name),
        ],
        ignore_index=True,
    )[["source_file", "source_row", "reason"]]
    return projects, participants, accounting, rejects


# A programme's project file and organisation file share everything around the word:
# project.csv / organization.csv, horizon_project.csv / horizon_organization.csv (as fetch
# names them), projects-fp2-2025.csv / organizations-fp2-2025.csv (as CORDIS now names them).
_CORDIS_FILE = re.compile(
    r"^(?P<before>.*?)(?P<kind>projects?|organi[sz]ations?)(?P<after>(?:[-_.][\w.-]*)?)\.csv$",
    re.IGNORECASE,
)


def programme_files(folder: Path) -> list[tuple[Path, Path]]:
    """The project and organisation files in ``folder``, paired by programme.

    A CORDIS download is ``project.csv`` with ``organization.csv`` (newer downloads say
    ``projects-<programme>.csv`` and ``organizations-<programme>.csv``); several programmes
    side by side carry a prefix (``horizon_project.csv`` with ``horizon_organization.csv``,
    as ``python -m analysis fetch`` names them). A file without its partner is an error.
    """
    projects: dict[tuple[str, str], Path] = {}
    organisations: dict[tuple[str, str], Path] = {}
    for path in sorted(folder.glob("*.csv")):
        found = _CORDIS_FILE.match(path.name)
        if found:
            key = (found["before"].lower(), found["after"].lower())
            kind = projects if found["kind"].lower().startswith("project") else organisations
            kind[key] = path
    if not projects and not organisations:
        raise FileNotFoundError(
            f"CORDIS file not found: {folder / 'project.csv'} (or projects-<programme>.csv)"
        )
    unpaired = sorted(
        [projects[k].name for k in projects.keys() - organisations.keys()]
        + [organisations[k].name for k in organisations.keys() - projects.keys()]
    )
    if unpaired:
        raise FileNotFoundError(
            f"CORDIS files in {folder} come in pairs (<prefix>project.csv with "
            f"<prefix>organization.csv); these lack their partner: {unpaired}"
        )
    return [(projects[key], organisations[key]) for key in sorted(projects)]


def cordis_projects(folder: Path, countries: CountryResolver) -> CordisResult:
    """Every programme's files in ``folder`` (see ``programme_files``) read together."""
    parts = [_read_programme(p, o, countries) for p, o in programme_files(folder)]
    projects = pd.concat([part[0] for part in parts], ignore_index=True)
    participants = pd.concat([part[1] for part in parts], ignore_index=True)
    accounting = pd.concat([part[2] for part in parts], ignore_index=True)
    rejects = pd.concat([part[3] for part in parts], ignore_index=True)

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
    projects["has_finnish_participant"] = projects["project_id"].isin(finnish_projects)
    return CordisResult(
        projects.drop(columns="source_row"),
        participants.drop(columns="source_row"),
        partner_countries,
        accounting,
        rejects,
    )
