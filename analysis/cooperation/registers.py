"""Institutions' agreement registers and mobility statistics, each to one tidy table.

Both are read with the same readers as survey exports (CSV in any usual encoding and
delimiter, or XLSX), so a register arrives as whatever its international office keeps. A
mapping file beside each register names its columns and translates its values. Country names
are harmonised strictly: a name neither ISO 3166 nor the alias table knows stops the run with
every such name, its file and column.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pandas as pd

from analysis.files.paths import contained
from analysis.files.yaml_file import YamlFileError, load_yaml_file
from analysis.reference.countries import CountryResolver
from analysis.sources.exports import ROW, read_export
from analysis.sources.labels import normalise_label

AGREEMENT_TYPES = [
    "student_exchange",
    "research",
    "joint_or_double_degree",
    "memorandum_of_understanding",
    "contract_research",
]
AGREEMENT_STATUS = ["active", "ended", "planned"]
MOBILITY_COLUMNS = {
    "year": "Tilastovuosi",
    "sector": "Sektori",
    "direction": "Liikkuvuuden suunta",
    "country": "Maa",
    "count": "Liikkujien lukumäärä",
}
MOBILITY_VALUES = {
    "sector": {"yliopisto": "university", "ammattikorkeakoulu": "uas"},
    "direction": {"lähtevä": "outgoing", "saapuva": "incoming"},
}


class RegisterError(ValueError):
    """A register does not fit its mapping; the message names the file and the columns."""


def _strict_countries(values: pd.Series, resolver: CountryResolver, source: str) -> pd.Series:
    codes, _ = resolver.harmonise(values.tolist(), source, strict=True)
    return pd.Series(codes, index=values.index, dtype="object")


def _check_columns(path: Path, frame: pd.DataFrame, columns: list[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise RegisterError(
            f"{path.name}: missing columns {missing}; it has {list(frame.columns)[:-1]}"
        )


REGISTER_KEYS = {"register", "organisation_key", "columns", "date_format", "values"}
REGISTER_COLUMNS = {"partner", "country", "agreement_type", "start", "end", "field", "status"}


def load_register_mapping(path: Path) -> dict:
    """A register's mapping file, checked: known keys only, every column named."""
    try:
        spec = load_yaml_file(path)
    except YamlFileError as error:
        raise RegisterError(str(error)) from None
    if not isinstance(spec, dict):
        raise RegisterError(f"{path.name}: expected a mapping of keys at the top")
    problems = [
        f"{k}: unknown key{suggest(k, sorted(REGISTER_KEYS))}"
        for k in spec
        if k not in REGISTER_KEYS
    ]
    problems += [
        f"{k}: required key missing"
        for k in ("register", "organisation_key", "columns")
        if k not in spec
    ]
    columns = spec.get("columns")
    if isinstance(columns, dict):
        problems += [
            f"columns.{k}: unknown key{suggest(k, sorted(REGISTER_COLUMNS))}"
            for k in columns
            if k not in REGISTER_COLUMNS
        ]
        problems += [
            f"columns.{k}: required key missing" for k in sorted(REGISTER_COLUMNS - set(columns))
        ]
    elif "columns" in spec:
        problems.append("columns: expected a mapping of keys")
    if problems:
        raise RegisterError(f"{path.name}: " + "; ".join(problems))
    return spec


def register_path(mapping_path: Path, spec: dict) -> Path:
    """The register a mapping names, which must sit in the mapping's folder."""
    path = contained(mapping_path.parent, str(spec["register"]))
    if path is None:
        raise RegisterError(
            f"{mapping_path.name}: register: {spec['register']!r} points outside "
            f"{mapping_path.parent}; put the register in that folder and name it without a path"
        )
    return path


def suggest(name: object, known: list[str]) -> str:
    close = difflib.get_close_matches(str(name).lower(), known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def read_agreements(
    mapping_path: Path, resolver: CountryResolver
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One register: tidy agreements and the rejected rows with reasons."""
    spec = load_register_mapping(mapping_path)
    path = register_path(mapping_path, spec)
    frame = read_export(path).frame
    columns = spec["columns"]
    _check_columns(path, frame, list(columns.values()))
    text = {key: frame[column].astype(str).str.strip() for key, column in columns.items()}
    values = spec.get("values", {})

    def coded(key: str, allowed: list[str]) -> pd.Series:
        table = {normalise_label(k): v for k, v in values.get(key, {}).items()}
        table.update({normalise_label(a): a for a in allowed})
        return text[key].map(lambda v: table.get(normalise_label(v)))

    agreement_type = coded("agreement_type", AGREEMENT_TYPES)
    status = coded("status", AGREEMENT_STATUS)
    start = pd.to_datetime(text["start"], format=spec.get("date_format"), errors="coerce")
    end = pd.to_datetime(text["end"], format=spec.get("date_format"), errors="coerce")
    iso2 = _strict_countries(text["country"], resolver, f"{path.name}, column {columns['country']}")
    reason = pd.Series("", index=frame.index, dtype="object")
    for mask, why in (
        (text["partner"] == "", "partner missing"),
        (iso2.isna(), "country missing"),
        (agreement_type.isna(), "unknown agreement type " + text["agreement_type"].map(repr)),
        (status.isna(), "unknown status " + text["status"].map(repr)),
        (start.isna(), "start date missing or unreadable " + text["start"].map(repr)),
        ((text["end"] != "") & end.isna(), "end date unreadable " + text["end"].map(repr)),
    ):
        reason = reason.mask((reason == "") & mask, why)
    kept = reason == ""
    agreements = pd.DataFrame(
        {
            "organisation_key": spec["organisation_key"],
            "register": path.name,
            "source_row": frame[ROW],
            "partner": text["partner"],
            "iso2": iso2,
            "country": iso2.map(lambda c: resolver.name(c) if c else None),
            "agreement_type": agreement_type,
            "start": start,
            "end": end,
            "field": text["field"],
            "status": status,
        }
    )[kept]
    rejects = pd.DataFrame({"source_file": path.name, "source_row": frame[ROW], "reason": reason})[
        ~kept
    ]
    return agreements.reset_index(drop=True), rejects.reset_index(drop=True)


def read_mobility(path: Path, resolver: CountryResolver) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Students moving to and from Finland by country, year, sector and direction."""
    frame = read_export(path).frame
    _check_columns(path, frame, list(MOBILITY_COLUMNS.values()))
    text = {key: frame[column].astype(str).str.strip() for key, column in MOBILITY_COLUMNS.items()}
    sector = text["sector"].map(lambda v: MOBILITY_VALUES["sector"].get(normalise_label(v)))
    direction = text["direction"].map(
        lambda v: MOBILITY_VALUES["direction"].get(normalise_label(v))
    )
    year = pd.to_numeric(text["year"], errors="coerce")
    count = pd.to_numeric(text["count"].str.replace(" ", "", regex=False), errors="coerce")
    iso2 = _strict_countries(
        text["country"], resolver, f"{path.name}, column {MOBILITY_COLUMNS['country']}"
    )
    reason = pd.Series("", index=frame.index, dtype="object")
    for mask, why in (
        (year.isna(), "year unreadable"),
        (sector.isna(), "unknown sector " + text["sector"].map(repr)),
        (direction.isna(), "unknown direction " + text["direction"].map(repr)),
        (iso2.isna(), "country missing"),
        (count.isna() | (count < 0), "count missing or not a number " + text["count"].map(repr)),
    ):
        reason = reason.mask((reason == "") & mask, why)
    kept = reason == ""
    mobility = pd.DataFrame(
        {"year": year, "sector": sector, "direction": direction, "iso2": iso2, "students": count}
    )[kept]
    rejects = pd.DataFrame({"source_file": path.name, "source_row": frame[ROW], "reason": reason})[
        ~kept
    ]
    return mobility.astype({"year": int, "students": int}).reset_index(
        drop=True
    ), rejects.reset_index(drop=True)
