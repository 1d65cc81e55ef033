"""OpenAlex responses as saved on disk (the API's JSON, unchanged) to tidy tables.

A ``group_by`` answer is ``{"meta": {...}, "group_by": [{"key", "key_display_name", "count"}]}``;
keys are bare codes ("FI", "2021") or full OpenAlex URLs ("https://openalex.org/countries/FI",
"https://openalex.org/I123"), depending on the field grouped by. Both are normalised here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

OPENALEX_PREFIX = "https://openalex.org/"


class OpenAlexFormatError(ValueError):
    """A saved response is not in the shape the API returns; the message names the file."""


def normalise_key(key: object) -> str:
    """``https://openalex.org/countries/FI`` → ``FI``; ``https://openalex.org/I27`` → ``I27``."""
    text = str(key).strip()
    if text.startswith(OPENALEX_PREFIX):
        text = text[len(OPENALEX_PREFIX) :]
    return text.rsplit("/", 1)[-1]


def read_group_by(path: Path) -> tuple[pd.DataFrame, dict]:
    """Groups of one saved ``group_by`` response, with its ``meta``."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OpenAlexFormatError(
            f"{path}: missing; fetch it with python -m analysis fetch --source openalex"
        ) from None
    except UnicodeDecodeError as error:
        raise OpenAlexFormatError(f"{path}: not UTF-8 (byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise OpenAlexFormatError(f"{path}: not valid JSON, truncated? ({error})") from None
    if not isinstance(body, dict) or "group_by" not in body or "meta" not in body:
        raise OpenAlexFormatError(f"{path}: no 'meta' and 'group_by' keys: not a group_by answer")
    groups = body["group_by"]
    if not isinstance(body["meta"], dict):
        raise OpenAlexFormatError(f"{path}: 'meta' is not a mapping")
    if not isinstance(groups, list) or not all(isinstance(g, dict) for g in groups):
        raise OpenAlexFormatError(f"{path}: 'group_by' is not a list of groups")
    missing = [
        i for i, g in enumerate(groups) if not {"key", "key_display_name", "count"} <= set(g)
    ]
    if missing:
        raise OpenAlexFormatError(f"{path}: groups {missing[:5]} lack key, name or count")
    frame = pd.DataFrame(groups, columns=["key", "key_display_name", "count"])
    frame["key"] = frame["key"].map(normalise_key)
    repeated = sorted(set(frame.loc[frame["key"].duplicated(), "key"]))
    if repeated:
        raise OpenAlexFormatError(
            f"{path}: keys repeat {repeated[:5]}: one group per key in an answer (two answers "
            "pasted together, or full and short keys mixed?)"
        )
    bad = [
        i
        for i, c in enumerate(frame["count"])
        if isinstance(c, bool) or not isinstance(c, int) or c < 0
    ]
    if bad:
        raise OpenAlexFormatError(
            f"{path}: group {bad[0]} has count {frame['count'][bad[0]]!r}, not a whole number"
        )
    frame["count"] = frame["count"].astype("int64")
    groups_count = body["meta"].get("groups_count")
    if groups_count is not None and groups_count != len(frame):
        raise OpenAlexFormatError(
            f"{path}: meta.groups_count is {groups_count} but {len(frame)} groups are present"
        )
    return frame, body["meta"]


INSTITUTION_COLUMNS = ["id", "display_name", "ror", "country_code", "type"]


def read_institution_list(path: Path) -> pd.DataFrame:
    """A saved ``/institutions`` list answer (``results`` with ``select=id,display_name,ror,
    country_code,type``): one row per institution, ids and ROR ids bare, no id twice."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OpenAlexFormatError(f"{path}: missing") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise OpenAlexFormatError(f"{path}: not valid UTF-8 JSON ({error})") from None
    results = body.get("results") if isinstance(body, dict) else None
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise OpenAlexFormatError(f"{path}: no 'results' list: not an /institutions list answer")
    unnamed = [i for i, r in enumerate(results) if not str(r.get("id", "")).strip()]
    if unnamed:
        raise OpenAlexFormatError(f"{path}: results {unnamed[:5]} have no id")
    frame = pd.DataFrame(results, columns=INSTITUTION_COLUMNS).astype(object)
    frame = frame.where(frame.notna(), None)
    frame["id"] = frame["id"].map(normalise_key)
    frame["ror"] = frame["ror"].map(lambda r: normalise_key(r).lower() if r else None)
    frame["country_code"] = frame["country_code"].map(lambda c: str(c).upper() if c else None)
    repeated = sorted(set(frame.loc[frame["id"].duplicated(), "id"]))
    if repeated:
        raise OpenAlexFormatError(f"{path}: institutions repeat {repeated[:5]}")
    return frame


@dataclass(frozen=True)
class OpenAlexInstitution:
    """One ``/institutions/I...`` answer: identity, lineage and associated institutions."""

    id: str  # bare: I27837315
    name: str
    ror: str | None  # bare ROR id
    country: str | None
    type: str
    acronyms: tuple[str, ...]
    alternatives: tuple[str, ...]
    lineage: tuple[str, ...]  # bare ids, itself first
    associated: tuple[dict, ...]  # {id, ror, name, country, type, relationship}
    works_by_year: dict[int, int]
    updated: str  # the record's updated_date (YYYY-MM-DD)


def parse_institution(body: dict, where: str = "institution") -> OpenAlexInstitution:
    """An OpenAlex institution entity as the API returns it."""
    if not isinstance(body, dict) or not str(body.get("id", "")).startswith(OPENALEX_PREFIX + "I"):
        raise OpenAlexFormatError(
            f"{where}: not an OpenAlex institution (no id https://openalex.org/I...)"
        )
    ror = body.get("ror") or (body.get("ids") or {}).get("ror")
    return OpenAlexInstitution(
        id=normalise_key(body["id"]),
        name=str(body.get("display_name") or ""),
        ror=normalise_key(ror).lower() if ror else None,
        country=body.get("country_code"),
        type=str(body.get("type") or ""),
        acronyms=tuple(body.get("display_name_acronyms") or ()),
        alternatives=tuple(body.get("display_name_alternatives") or ()),
        lineage=tuple(normalise_key(i) for i in body.get("lineage") or ()),
        associated=tuple(
            {
                "id": normalise_key(a.get("id", "")),
                "ror": normalise_key(a["ror"]).lower() if a.get("ror") else None,
                "name": str(a.get("display_name") or ""),
                "country": a.get("country_code"),
                "type": str(a.get("type") or ""),
                "relationship": str(a.get("relationship") or ""),
            }
            for a in body.get("associated_institutions") or ()
        ),
        works_by_year={
            int(c["year"]): int(c.get("works_count") or 0) for c in body.get("counts_by_year") or ()
        },
        updated=str(body.get("updated_date") or "")[:10],
    )


def read_institution(path: Path) -> OpenAlexInstitution:
    """A saved ``/institutions/I...`` answer."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise OpenAlexFormatError(f"{path}: not valid JSON, truncated? ({error})") from None
    return parse_institution(body, str(path))
