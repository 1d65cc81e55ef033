"""Coverage: who was invited, who answered, and the response rate by sector.

The population file (``population`` in ``config/params.yaml``, a CSV with one row per invited
organisation: ``organisation_key``, ``org_type``) lists every organisation the survey was sent
to, under the same pseudonymous keys as ``organisation_aliases.csv``. An organisation has
responded when at least one of its responses was accepted by the cleaning. Organisations that
did not answer are counted by sector, never named.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from analysis.disclosure.cells import suppress_small_cells
from analysis.survey.analyse import ALL

POPULATION_COLUMNS = ["organisation_key", "org_type"]


def load_population(path: Path, org_types: list[str] | None = None) -> pd.DataFrame:
    """Read the population file; keys must be unique and sectors known (``org_types``)."""
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: the population file lists every organisation invited "
            "(organisation_key, org_type)"
        )
    table = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
    missing = [c for c in POPULATION_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: columns {missing} are missing (needs {POPULATION_COLUMNS})")
    table = table[POPULATION_COLUMNS].apply(lambda column: column.str.strip())
    repeated = table.loc[table["organisation_key"].duplicated(), "organisation_key"].tolist()
    if repeated:
        raise ValueError(f"{path}: organisation keys listed twice: {repeated}")
    if org_types is not None:
        unknown = sorted(set(table["org_type"]) - set(org_types))
        if unknown:
            raise ValueError(f"{path}: unknown org_type {unknown} (known: {org_types})")
    return table.reset_index(drop=True)


def response_rates(
    population: pd.DataFrame, respondents: pd.DataFrame, min_cell: int
) -> pd.DataFrame:
    """Per sector and overall (``all``): organisations invited, responded, not responded, the
    response rate, and the accepted responses from them.

    Every organisation of the population was invited (a census of organisations, not a
    sample), so the response rate is a count of what happened: it has no sampling interval.

    An organisation that answered but is not in the population is an error: the population
    file must list everyone invited. Sectors with fewer than ``min_cell`` invited
    organisations are withheld (``suppress_small_cells``, with secondary suppression).
    """
    outside = sorted(set(respondents["organisation_key"]) - set(population["organisation_key"]))
    if outside:
        raise ValueError(
            f"organisations answered but are not in the population file: {outside}; "
            "add them (organisation_key, org_type) to the file named by `population`"
        )
    per_organisation = respondents.groupby("organisation_key").size()
    invited = population.assign(
        responses=population["organisation_key"].map(per_organisation).fillna(0).astype(int)
    )
    invited = pd.concat([invited, invited.assign(org_type=ALL)], ignore_index=True)
    rows = []
    for sector, part in invited.groupby("org_type", sort=False):
        answered = int((part["responses"] > 0).sum())
        rows.append(
            {
                "org_type": sector,
                "invited": len(part),
                "responded": answered,
                "not_responded": len(part) - answered,
                "response_rate": answered / len(part) if len(part) else math.nan,
                "responses": int(part["responses"].sum()),
            }
        )
    table = pd.DataFrame(rows)
    table["sector"] = "sectors"
    table = suppress_small_cells(
        table,
        count="invited",
        values=["responded", "not_responded", "response_rate", "responses"],
        min_cell=min_cell,
        complement_within=["sector"],
        total=("org_type", ALL),
    )
    return table.drop(columns="sector")
