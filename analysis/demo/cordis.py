"""Synthetic CORDIS Horizon Europe ``project.csv`` and ``organization.csv`` (``;``, every field
quoted, a stray quote inside an objective, CORDIS country codes such as ``UK`` and ``EL``)."""

import random
from pathlib import Path

from analysis.demo.entities import COUNTRIES, ORGANISATIONS
from analysis.demo.writers import write_csv

CORDIS_CODES = {"GB": "UK", "GR": "EL"}  # CORDIS writes these two differently from ISO


PROJECT_HEADER = [
    "id",
    "acronym",
    "status",
    "title",
    "startDate",
    "endDate",
    "totalCost",
    "ecMaxContribution",
    "legalBasis",
    "topics",
    "ecSignatureDate",
    "frameworkProgramme",
    "masterCall",
    "subCall",
    "fundingScheme",
    "nature",
    "objective",
    "contentUpdateDate",
    "rcn",
    "grantDoi",
]
ORGANISATION_HEADER = [
    "projectID",
    "projectAcronym",
    "organisationID",
    "vatNumber",
    "name",
    "shortName",
    "SME",
    "activityType",
    "street",
    "postCode",
    "city",
    "country",
    "nutsCode",
    "geolocation",
    "organizationURL",
    "contactForm",
    "contentUpdateDate",
    "rcn",
    "order",
    "role",
    "ecContribution",
    "netEcContribution",
    "totalCost",
    "endOfParticipation",
    "active",
]
TOPICS = [
    "HORIZON-CL4-2023-DIGITAL-EMERGING-01",
    "HORIZON-CL5-2022-D3-01",
    "HORIZON-CL6-2023-BIODIV-01",
    "HORIZON-HLTH-2023-DISEASE-03",
    "HORIZON-MSCA-2022-DN-01",
    "HORIZON-CL2-2023-DEMOCRACY-01",
    "HORIZON-CL3-2022-CS-01",
]


STRAY_QUOTE_OBJECTIVE = 'Studies "toy" models of "learning; with a stray " quote inside.'
STRAY_QUOTE_ESCAPED = STRAY_QUOTE_OBJECTIVE.replace('"', '""')
STRAY_QUOTE_RAW = STRAY_QUOTE_OBJECTIVE


def write_cordis_demo(target: Path, rng: random.Random) -> list[Path]:
    folder = target / "cordis"
    eu_partners = [
        c
        for c in COUNTRIES
        if c.iso2
        in {"SE", "DE", "FR", "IT", "NL", "NO", "ES", "DK", "EE", "CH", "GB", "UA", "IL", "TR"}
    ]
    extra_eu = [("GR", "Greece"), ("BE", "Belgium"), ("AT", "Austria"), ("PL", "Poland")]
    partner_pool = [(c.iso2, c.en) for c in eu_partners] + extra_eu
    finns = [o for o in ORGANISATIONS if o.org_type != "uas" or rng.random() < 0.5]
    projects, organisations = [], []
    for number in range(60):
        project_id = 101050000 + number * 137
        acronym = f"DEMO{number:02d}"
        start_year = rng.choice([2021, 2022, 2023, 2024])
        total = rng.randrange(800, 9000) * 1000
        objective = "Synthetic demo project objective, not a real project."
        if number == 7:
            objective = STRAY_QUOTE_OBJECTIVE
        projects.append(
            [
                project_id,
                acronym,
                rng.choice(["SIGNED", "CLOSED"]),
                f"Synthetic project {number}",
                f"{start_year}-0{rng.randrange(1, 10)}-01",
                f"{start_year + 4}-12-31",
                total,
                round(total * 0.9),
                "HORIZON.2.4",
                rng.choice(TOPICS),
                f"{start_year - 1}-11-15",
                "HORIZON",
                "HORIZON-CL4-2023",
                "HORIZON-CL4-2023",
                "HORIZON-RIA",
                "",
                objective,
                "2024-10-01 12:00:00",
                250000 + number,
                f"10.3030/{project_id}",
            ]
        )
        members = [("FI", rng.choice(finns).name.upper(), "FI")]
        for _ in range(rng.randrange(2, 9)):
            iso2, country = rng.choice(partner_pool)
            members.append(
                (
                    iso2,
                    f"{country.upper()} PARTNER ORGANISATION {rng.randrange(1, 12)}",
                    CORDIS_CODES.get(iso2, iso2),
                )
            )
        rng.shuffle(members)
        for order, (_, name, code) in enumerate(members, start=1):
            contribution = round(total * 0.9 / len(members), 2)
            organisations.append(
                _organisation_row(
                    project_id,
                    acronym,
                    pic=999000000 + rng.randrange(10**5),
                    name=name,
                    activity=rng.choice(["HES", "REC", "PRC", "PUB"]),
                    code=code,
                    row_id=300000 + len(organisations),
                    order=order,
                    role="coordinator" if order == 1 else "participant",
                    contribution=contribution,
                )
            )
    organisations += _brief_partners(projects, organisations)
    project_path = write_csv(
        folder / "project.csv",
        PROJECT_HEADER,
        projects,
        delimiter=";",
        quoting=1,
        line_terminator="\n",
    )
    # The real exports do not escape quotes inside objectives; neither does the demo.
    text = project_path.read_text(encoding="utf-8")
    project_path.write_text(text.replace(STRAY_QUOTE_ESCAPED, STRAY_QUOTE_RAW), encoding="utf-8")
    return [
        project_path,
        write_csv(
            folder / "organization.csv",
            ORGANISATION_HEADER,
            organisations,
            delimiter=";",
            quoting=1,
            line_terminator="\n",
        ),
    ]


# Partners of the due-diligence briefs in a few projects (no draw: the rest is unchanged).
BRIEF_PARTICIPANTS = (
    (3, "PARTNER UNIVERSITY SE-1", "SE", "participant"),
    (10, "PARTNER UNIVERSITY SE-1", "SE", "participant"),
    (17, "PARTNER UNIVERSITY CN-2", "CN", "participant"),
)


def _brief_partners(projects: list[list], organisations: list[list]) -> list[list]:
    rows = []
    for number, name, code, role in BRIEF_PARTICIPANTS:
        project_id, acronym = projects[number][0], projects[number][1]
        order = sum(1 for o in organisations if o[0] == project_id) + 1
        rows.append(
            _organisation_row(
                project_id,
                acronym,
                pic=998000000 + number,
                name=name,
                activity="HES",
                code=code,
                row_id=300000 + len(organisations) + len(rows),
                order=order,
                role=role,
                contribution=100000.0,
            )
        )
    return rows


def _organisation_row(
    project_id: object,
    acronym: str,
    *,
    pic: int,
    name: str,
    activity: str,
    code: str,
    row_id: int,
    order: int,
    role: str,
    contribution: float,
) -> list:
    """One row of ``organization.csv`` in the columns of ``ORGANISATION_HEADER``."""
    return [
        project_id,
        acronym,
        pic,
        "",
        name,
        "",
        "false",
        activity,
        "",
        "",
        "",
        code,
        "",
        "",
        "",
        "",
        "2024-10-01 12:00:00",
        row_id,
        order,
        role,
        contribution,
        contribution,
        contribution,
        "false",
        "true",
    ]
