"""ROR (Research Organization Registry) records: the data dump, single records, search answers.

ROR publishes its registry as a zip on Zenodo; inside, ``<version>-<date>-ror-data_schema_v2.json``
is one top-level JSON array of about 100,000 records (a few hundred megabytes). The dump is read
one record at a time (``iter_dump``), so memory holds one record, not the array. The same
reader accepts a file of one record (``ror-records`` release files) and an Elasticsearch answer
of the ROR API (``hits.hits[]._source``).

The schema is detected from ``admin.last_modified.schema_version`` ("2.0", "2.1"). Version 1
records (``name``, ``labels`` and ``aliases`` as separate fields) are refused with an error
naming the version found: ROR has published v1 dumps until 2025 and they look alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROR_PREFIX = "https://ror.org/"
RELATIONSHIP_TYPES = ("parent", "child", "related", "predecessor", "successor")


class RorFormatError(ValueError):
    """A file or record is not a ROR schema v2 record; the message names where and why."""


@dataclass(frozen=True)
class RorLabel:
    value: str
    lang: str | None  # ISO 639-1 code, or None when ROR gives none


@dataclass(frozen=True)
class RorRelationship:
    type: str  # parent | child | related | predecessor | successor
    id: str  # the bare ROR id
    label: str


@dataclass(frozen=True)
class RorRecord:
    """One organisation as ROR describes it; ``id`` is bare (``05vghhr25``)."""

    id: str
    name: str  # the display name (the names[] entry typed ror_display)
    labels: tuple[RorLabel, ...] = ()  # names typed label, with their languages
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    country: str | None = None  # ISO 3166-1 alpha-2 of the first location
    established: int | None = None
    status: str = ""
    relationships: tuple[RorRelationship, ...] = ()
    schema_version: str = ""
    last_modified: str = ""
    external_ids: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return ROR_PREFIX + self.id

    def related(self, kind: str) -> list[RorRelationship]:
        return [r for r in self.relationships if r.type == kind]

    @property
    def all_names(self) -> list[str]:
        """Display name, labels, aliases and acronyms, each once, in that order."""
        names = [self.name, *(label.value for label in self.labels), *self.aliases, *self.acronyms]
        return list(dict.fromkeys(n for n in names if n))


def bare_ror(value: str) -> str:
    """``https://ror.org/05vghhr25`` or ``ror.org/05vghhr25`` → ``05vghhr25`` (lower case)."""
    text = str(value).strip().lower()
    for prefix in ("https://ror.org/", "http://ror.org/", "ror.org/"):
        text = text.removeprefix(prefix)
    return text


def is_ror_id(value: str) -> bool:
    """A ROR id: 9 characters, a leading 0, Crockford base32 (no i, l, o, u)."""
    text = bare_ror(value)
    allowed = set("0123456789abcdefghjkmnpqrstvwxyz")
    return len(text) == 9 and text[0] == "0" and set(text) <= allowed


def schema_version(record: dict) -> str:
    """``admin.last_modified.schema_version``; "" when the record has none."""
    admin = record.get("admin") or {}
    return str((admin.get("last_modified") or {}).get("schema_version") or "")


def parse_record(record: dict, where: str = "record") -> RorRecord:
    """One v2 record (a dict as ROR writes it) to a ``RorRecord``."""
    if not isinstance(record, dict):
        raise RorFormatError(f"{where}: not a JSON object")
    version = schema_version(record)
    if not version:
        hint = " (a v1 record: it has 'name' and 'labels')" if "labels" in record else ""
        raise RorFormatError(f"{where}: no admin.last_modified.schema_version{hint}")
    if not version.startswith("2"):
        raise RorFormatError(
            f"{where}: ROR schema version {version}; this reader reads schema v2 "
            "(use the '..._schema_v2.json' file of the dump)"
        )
    names = record.get("names") or []
    display = [n["value"] for n in names if "ror_display" in (n.get("types") or [])]
    if not display:
        raise RorFormatError(f"{where}: {record.get('id')}: no names[] entry typed ror_display")

    def typed(kind: str) -> list[dict]:
        return [n for n in names if kind in (n.get("types") or [])]

    locations = record.get("locations") or []
    details = (locations[0].get("geonames_details") or {}) if locations else {}
    relationships = tuple(
        RorRelationship(str(r.get("type", "")), bare_ror(r.get("id", "")), str(r.get("label", "")))
        for r in record.get("relationships") or []
    )
    admin = record.get("admin") or {}
    established = record.get("established")
    return RorRecord(
        id=bare_ror(record.get("id", "")),
        name=display[0],
        labels=tuple(RorLabel(n["value"], n.get("lang")) for n in typed("label")),
        aliases=tuple(n["value"] for n in typed("alias")),
        acronyms=tuple(n["value"] for n in typed("acronym")),
        types=tuple(record.get("types") or ()),
        country=details.get("country_code"),
        established=int(established) if established is not None else None,
        status=str(record.get("status", "")),
        relationships=relationships,
        schema_version=version,
        last_modified=str((admin.get("last_modified") or {}).get("date") or ""),
        external_ids={
            str(e.get("type")): tuple(e.get("all") or ()) for e in record.get("external_ids") or []
        },
    )


def iter_json_array(chunks: Iterable[str]) -> Iterator[object]:
    """The elements of a top-level JSON array read from text chunks, one at a time."""
    decoder = json.JSONDecoder()
    buffer = ""
    started = False
    pieces = iter(chunks)
    exhausted = False
    while True:
        buffer = buffer.lstrip()
        if not started:
            if buffer:
                if buffer[0] != "[":
                    raise RorFormatError("the dump is not a JSON array")
                buffer, started = buffer[1:], True
                continue
        elif buffer.startswith("]"):
            return
        elif buffer.startswith(","):
            buffer = buffer[1:]
            continue
        elif buffer:
            try:
                value, end = decoder.raw_decode(buffer)
            except json.JSONDecodeError:
                if exhausted:
                    raise RorFormatError("the dump ends inside a record (truncated?)") from None
            else:
                yield value
                buffer = buffer[end:]
                continue
        if exhausted:
            raise RorFormatError("the dump ends before its closing ']' (truncated?)")
        piece = next(pieces, None)
        if piece is None:
            exhausted = True
        else:
            buffer += piece


def _chunks(path: Path, size: int = 1 << 20) -> Iterator[str]:
    with path.open(encoding="utf-8") as handle:
        while piece := handle.read(size):
            yield piece


def iter_dump(path: Path) -> Iterator[RorRecord]:
    """Every record of a dump file (a JSON array), read one at a time."""
    for number, record in enumerate(iter_json_array(_chunks(path)), start=1):
        yield parse_record(record, f"{path.name} record {number}")


def read_records(path: Path) -> list[RorRecord]:
    """A dump (array), one record (object) or an Elasticsearch answer (``hits.hits[]._source``)."""
    with path.open(encoding="utf-8") as handle:
        first = handle.read(4096).lstrip()[:1]
    if first == "[":
        return list(iter_dump(path))
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise RorFormatError(f"{path.name}: not valid JSON ({error})") from None
    if isinstance(body, dict) and isinstance(body.get("hits"), dict):
        hits = body["hits"].get("hits") or []
        return [
            parse_record(h.get("_source"), f"{path.name} hit {i}") for i, h in enumerate(hits, 1)
        ]
    return [parse_record(body, path.name)]


def read_folder(folder: Path) -> list[RorRecord]:
    """Every record of every ``*.json`` file in a folder (files sorted by name), each id once."""
    seen: dict[str, RorRecord] = {}
    for path in sorted(folder.glob("*.json")):
        for record in read_records(path):
            seen.setdefault(record.id, record)
    return list(seen.values())
