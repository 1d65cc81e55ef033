"""The partner brief as the notebook calls it: everything known about one partner, read once.

Reads the ROR data (``<raw_dir>/ror/*.json``), the partner's saved OpenAlex answers
(``<raw_dir>/partners/openalex/<ID>/``), the screening lists and decisions, the CORDIS exports,
the country assessment of this edition (``country_scores``, ``country_context``) and the
reviewers' earlier decisions on partners (``<raw_dir>/briefs/decisions.csv``). Nothing is
fetched here: ``python -m analysis brief`` saves missing OpenAlex answers before the run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from analysis.cooperation.cordis import programme_files
from analysis.cooperation.counterparts import (
    COLUMNS as COUNTERPART_COLUMNS,
)
from analysis.cooperation.counterparts import (
    CounterpartCount,
    alias_table,
    finnish_counterparts,
)
from analysis.fetch.partner import (
    COUNTERPART_DETAILS_FILE,
    COUNTERPARTS_FILE,
    partner_folder,
    partner_queries,
    retrieved,
)
from analysis.files.paths import resolve
from analysis.files.tables import read_table
from analysis.reference.countries import CountryResolver
from analysis.screening.match import read_decisions
from analysis.screening.names import normalise_name
from analysis.screening.partners import (
    FOUND,
    Answer,
    Resolution,
    checklist,
    family,
    read_brief_decisions,
    resolve_partner,
    screen_family,
)
from analysis.sources.cordis import read_cordis
from analysis.sources.openalex import (
    OpenAlexInstitution,
    normalise_key,
    read_group_by,
    read_institution,
    read_institution_list,
)
from analysis.sources.ror import RorRecord, bare_ror, read_folder
from analysis.sources.screening_lists import read_lists

FIRST_YEAR, LAST_YEAR = 2015, 2024
RECENT_YEARS = 5  # the critical share compares the latest five years, as the country's does


class PartnerNotFound(LookupError):
    """The partner is not in the ROR data, or its name fits several organisations."""

    def __init__(self, resolution: Resolution):
        self.resolution = resolution
        if resolution.candidates and resolution.status == "ambiguous":
            listed = "; ".join(f"{r.id} {r.name} ({r.country})" for r in resolution.candidates)
            message = (
                f"{resolution.query!r} fits {len(resolution.candidates)} organisations: {listed}"
            )
        else:
            near = "; ".join(f"{r.id} {r.name}" for r in resolution.candidates)
            message = f"{resolution.query!r} is not in the ROR data" + (
                f" (near: {near})" if near else ""
            )
        super().__init__(message)


@dataclass
class BriefData:
    record: RorRecord
    openalex_id: str | None
    openalex: OpenAlexInstitution | None
    family: list[tuple[str, str, RorRecord | None]]
    lists: pd.DataFrame  # list, entities, date: every configured list screened against
    screening: pd.DataFrame  # candidates of the partner and its family, with decisions
    country: dict | None  # the assessment's row for the partner's country
    copublications: pd.DataFrame  # year, works, critical
    critical: dict | None
    projects: pd.DataFrame  # joint CORDIS projects with roles
    decisions: pd.DataFrame  # the history of decisions on this partner
    answers: list[Answer]
    institution: RorRecord | None
    lang: str
    dates: dict[str, str] = field(default_factory=dict)  # source key → date of the data
    # Finnish co-publishing institutions (COUNTERPART_COLUMNS), and how they were drawn
    counterparts: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=COUNTERPART_COLUMNS)
    )
    counterpart_count: CounterpartCount | None = None


def ror_records(raw_dir: str | Path) -> list[RorRecord]:
    folder = resolve(raw_dir) / "ror"
    return read_folder(folder) if folder.is_dir() else []


def openalex_index(raw_dir: str | Path) -> dict[str, str]:
    """ROR id → OpenAlex id, from the saved institution answers of partners and the national
    refresh's institution details."""
    raw = resolve(raw_dir)
    index: dict[str, str] = {}
    details = raw / "openalex" / "fi_partner_institutions_details.json"
    if details.is_file():
        for row in json.loads(details.read_text(encoding="utf-8")).get("results", []):
            if row.get("ror"):
                index[bare_ror(row["ror"])] = normalise_key(row["id"])
    for path in sorted((raw / "partners" / "openalex").glob("*/institution.json")):
        record = read_institution(path)
        if record.ror:
            index[record.ror] = record.id
    return index


def resolve_or_fail(raw_dir: str | Path, query: str) -> Resolution:
    resolution = resolve_partner(ror_records(raw_dir), query, openalex_index(raw_dir))
    if resolution.status != FOUND:
        raise PartnerNotFound(resolution)
    return resolution


def _manifest_dates(raw: Path) -> dict[str, str]:
    path = raw / "MANIFEST.yaml"
    files = (
        (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("files", [])
        if path.is_file()
        else []
    )
    return {e["path"]: str(e.get("accessed") or e.get("release_date") or "") for e in files}


def _copublications(folder: Path, queries) -> tuple[pd.DataFrame, dict[str, str]]:
    frames = {}
    for query in queries:
        path = folder / f"{query.name}.json"
        if path.is_file():
            groups, _ = read_group_by(path)
            frames[query.name] = groups.set_index(groups["key"].astype(int))["count"]
    if "copublications_by_year" not in frames:
        return pd.DataFrame(columns=["year", "works", "critical"]), {}
    works = frames["copublications_by_year"]
    critical = frames.get("critical_by_year", pd.Series(dtype="int64"))
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    table = pd.DataFrame(
        {
            "year": list(years),
            "works": [int(works.get(y, 0)) for y in years],
            "critical": [int(critical.get(y, 0)) for y in years],
        }
    )
    return table, retrieved(folder)


def _shown_name(record: RorRecord, lang: str) -> str:
    """The organisation's ROR label in the edition's language, else its display name."""
    return next((label.value for label in record.labels if label.lang == lang), record.name)


def _counterparts(
    folder: Path,
    raw: Path,
    records: list[RorRecord],
    lang: str,
    given: tuple[str | None, str | None],
) -> tuple[pd.DataFrame, CounterpartCount | None, str]:
    """The partner's Finnish counterparts from its saved answers (none when not saved), with
    names from the ROR data and keys from the survey's organisation alias table."""
    groups_path, details_path = folder / COUNTERPARTS_FILE, folder / COUNTERPART_DETAILS_FILE
    if not groups_path.is_file():
        return pd.DataFrame(columns=COUNTERPART_COLUMNS), None, ""
    groups, _ = read_group_by(groups_path)
    details = (
        read_institution_list(details_path)
        if details_path.is_file()
        else pd.DataFrame(columns=["id", "display_name", "ror", "country_code", "type"])
    )
    aliases_path = raw / "survey" / "organisation_aliases.csv"
    aliases = (
        pd.read_csv(aliases_path, dtype=str, keep_default_na=False)
        if aliases_path.is_file()
        else None
    )
    table, count = finnish_counterparts(
        groups,
        details,
        aliases=alias_table(aliases),
        ror_names={r.id: (_shown_name(r, lang), r.all_names) for r in records},
        given=given,
    )
    return table, count, retrieved(folder).get(COUNTERPARTS_FILE, "")


def _joint_projects(raw: Path, names: list[str], finnish: list[str] | None) -> pd.DataFrame:
    """CORDIS projects in which the partner (by any of its names) and a Finnish organisation
    (or the given one) take part, with both roles."""
    columns = [
        "project_id",
        "acronym",
        "programme",
        "start",
        "partner_role",
        "finnish_participants",
    ]
    folder = raw / "cordis"
    if not folder.is_dir():
        return pd.DataFrame(columns=columns)
    wanted = {normalise_name(n) for n in names}
    mine = {normalise_name(n) for n in finnish or []}
    rows = []
    for project_path, organisation_path in programme_files(folder):
        orgs = read_cordis(organisation_path).frame
        projects = read_cordis(project_path).frame.set_index("id")
        normalised = orgs["name"].map(normalise_name)
        for project_id, members in orgs[normalised.isin(wanted)].groupby("projectID"):
            everyone = orgs[orgs["projectID"] == project_id]
            finns = everyone[everyone["country"] == "FI"]
            if mine:
                finns = finns[finns["name"].map(normalise_name).isin(mine)]
            if finns.empty:
                continue
            about = projects.loc[project_id] if project_id in projects.index else {}
            rows.append(
                {
                    "project_id": project_id,
                    "acronym": members["projectAcronym"].iloc[0],
                    "programme": about.get("frameworkProgramme", ""),
                    "start": str(about.get("startDate", ""))[:10],
                    "partner_role": ", ".join(sorted(set(members["role"]))),
                    "finnish_participants": "; ".join(
                        sorted(
                            f"{n} ({r})" for n, r in zip(finns["name"], finns["role"], strict=True)
                        )
                    ),
                }
            )
    return pd.DataFrame(rows, columns=columns).sort_values(
        "start", ascending=False, ignore_index=True
    )


def _country_row(processed_dir: str, iso2: str | None) -> dict | None:
    if not iso2:
        return None
    scores = read_table(processed_dir, "country_scores")
    row = scores[scores["iso2"] == iso2]
    if row.empty:
        context = read_table(processed_dir, "country_context")
        row = context[context["iso2"] == iso2]
    return None if row.empty else row.iloc[0].to_dict()


def load_brief(
    raw_dir: str,
    processed_dir: str,
    partner: str,
    institution: str,
    screening_config: str,
    country_aliases: str,
    critical_technologies: str,
    lang: str,
) -> BriefData:
    """Everything the brief shows about ``partner`` (a ROR id, OpenAlex id or name)."""
    from analysis.context.indicators import critical_subfields

    raw = resolve(raw_dir)
    records = ror_records(raw)
    index = openalex_index(raw)
    resolution = resolve_or_fail(raw, partner)
    record = resolution.record
    own = resolve_or_fail(raw, institution).record if institution else None
    own_openalex = index.get(own.id) if own else None
    settings = yaml.safe_load(resolve(screening_config).read_text(encoding="utf-8"))
    lists_folder = raw / "screening"
    reference = read_lists(lists_folder, CountryResolver(resolve(country_aliases)))
    candidates = screen_family(
        record,
        records,
        index,
        reference,
        read_decisions(lists_folder / "decisions.csv"),
        float(settings["threshold"]),
        settings.get("aliases", []),
    )
    dates = _manifest_dates(raw)
    lists = (
        reference.groupby("list")["entity_id"].nunique().rename("entities").reset_index()
        if len(reference)
        else pd.DataFrame(columns=["list", "entities"])
    )
    openalex_id = resolution.openalex_id
    openalex, copublications, fetched = (
        None,
        pd.DataFrame(columns=["year", "works", "critical"]),
        {},
    )
    if openalex_id:
        folder = partner_folder(raw, openalex_id, own_openalex)
        subfields = critical_subfields(resolve(critical_technologies))
        queries = partner_queries(openalex_id, own_openalex, FIRST_YEAR, LAST_YEAR, subfields)
        copublications, fetched = _copublications(folder, queries)
        plain = partner_folder(raw, openalex_id) / "institution.json"
        if plain.is_file():
            openalex = read_institution(plain)
    counterparts, counterpart_count, counterparts_date = (
        _counterparts(
            partner_folder(raw, openalex_id),
            raw,
            records,
            lang,
            (own_openalex, own.id if own else None),
        )
        if openalex_id
        else (pd.DataFrame(columns=COUNTERPART_COLUMNS), None, "")
    )
    country = _country_row(processed_dir, record.country)
    recent = copublications[copublications["year"] > LAST_YEAR - RECENT_YEARS]
    critical = None
    if len(recent) and recent["works"].sum():
        critical = {
            "partner_share": float(recent["critical"].sum() / recent["works"].sum()),
            "partner_works": int(recent["works"].sum()),
            "partner_critical": int(recent["critical"].sum()),
            "country_share": None
            if country is None or pd.isna(country.get("critical_share"))
            else float(country["critical_share"]),
            "first_year": LAST_YEAR - RECENT_YEARS + 1,
            "last_year": LAST_YEAR,
        }
    decisions = read_brief_decisions(raw / "briefs" / "decisions.csv")
    projects = _joint_projects(raw, record.all_names, own.all_names if own else None)
    dates = {
        "ror": record.last_modified,
        "openalex": max(fetched.values(), default=""),
        "counterparts": counterparts_date,
        "screening": max((d for p, d in dates.items() if p.startswith("screening/")), default=""),
        "cordis": max((d for p, d in dates.items() if p.startswith("cordis/")), default=""),
    }
    return BriefData(
        record=record,
        openalex_id=openalex_id,
        openalex=openalex,
        family=family(record, records),
        lists=lists,
        screening=candidates,
        country=country,
        copublications=copublications,
        critical=critical,
        projects=projects,
        decisions=decisions[decisions["partner"] == record.id].reset_index(drop=True),
        answers=checklist(record, candidates, country, critical),
        institution=own,
        lang=lang,
        dates=dates,
        counterparts=counterparts,
        counterpart_count=counterpart_count,
    )
