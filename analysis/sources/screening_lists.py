"""Reference lists of restricted or defence-linked entities, read into one table.

Each list becomes rows of (list, entity_id, name, name_kind, country, ror, openalex_id), one
row per name an entity goes by (its main name, each alternative name, each acronym), so
matching compares like with like. Readers, each for a list as it is published:

* the US Consolidated Screening List CSV (trade.gov; both published layouts, including the
  one that repeats its header line);
* the EU consolidated financial sanctions list as the European Commission's Financial
  Sanctions Files publish it (CSV, format 1.1: ``;``-separated, one row per combination of an
  entity's name, address, identification and so on, rows of one entity sharing
  ``Entity_LogicalId``). Only enterprises are kept (persons are not partner institutions);
  an entity's distinct names become its name and aliases, its address countries its country;
* Canada's Named Research Organizations (Policy on Sensitive Technology Research and
  Affiliations of Concern, science.gc.ca): the web page as saved from the browser, where each
  organisation is a list item "**Name** (Country)" followed by "Known alias(es): A; B" (a
  table with Name / Alias(es) / Country headers is read too), or a CSV saved from it with
  such headers. The list publishes no ids, so an organisation's name is its entity id;
* any list the group adds as CSV with the columns ``list, entity_id, name, alt_names, country,
  ror, openalex_id`` (alternative names ``; ``-joined), for a national or any other list.

``read_lists`` reads every list in a folder and tells the layouts apart by content and name.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from analysis.reference.countries import CountryResolver
from analysis.screening.names import acronyms

COLUMNS = ["list", "entity_id", "name", "name_kind", "country", "ror", "openalex_id"]
GENERIC_COLUMNS = {"list", "entity_id", "name"}
_TRAILING_CODE = re.compile(r",\s*([A-Z]{2})\s*$")

EU_FSF_LIST = "EU financial sanctions (FSF)"
EU_FSF_MARKER = "Entity_LogicalId"
# The FSF gives the subject type twice: a code word (person, enterprise) and a letter (P, E).
EU_FSF_TYPES = {"Entity_SubjectType_ClassificationCode": "enterprise", "Entity_SubjectType": "E"}
EU_FSF_NO_COUNTRY = {"", "00"}  # the FSF writes 00 where an address has no known country

CA_NRO_LIST = "Canada: Named Research Organizations"
_ALIAS_MARKER = re.compile(r"(?:known\s+)?alias(?:\(es\)|es)?\s*:|also\s+known\s+as\s*:?", re.I)
_LEADING_COUNTRY = re.compile(r"^\s*\(([^()]+)\)")
_SHORT_FORM = re.compile(r"^[A-Z][A-Z0-9&\-]{1,9}$")
_SPACE = re.compile(r"\s+")


class ListFormatError(ValueError):
    """A reference list is not in a known layout; the message names file and columns."""


def _names(value: str | list[str] | None) -> list[str]:
    if isinstance(value, list):
        return [v.strip() for v in value if v and v.strip()]
    return [a.strip() for a in (value or "").split(";") if a.strip()]


def _expand(rows: list[dict], source: str = "") -> pd.DataFrame:
    """One row per name; ``alt_names`` and ``short_names`` are lists or ``;``-joined text."""
    expanded = []
    for number, row in enumerate(rows, start=2):
        if not str(row.get("entity_id") or "").strip():
            # Entities without an id keep apart by where they stand in their file.
            row = {**row, "entity_id": f"{source} row {number}"}
        names = [("name", row["name"])]
        names += [("alias", a) for a in _names(row.get("alt_names"))]
        names += [("acronym", a) for a in _names(row.get("short_names"))]
        names += [("acronym", a) for a in acronyms(row["name"])]
        for kind, name in dict.fromkeys(names):
            expanded.append(
                {**{c: row.get(c, "") or None for c in COLUMNS}, "name": name, "name_kind": kind}
            )
    return pd.DataFrame(expanded, columns=COLUMNS)


def _country_codes(
    values: list[str], countries: CountryResolver, path: Path, where: str
) -> dict[str, str]:
    """Codes for the distinct country names or codes in ``values``; unknown ones are an error."""
    codes = {v: countries.code(v) for v in dict.fromkeys(values) if v}
    unknown = sorted(v for v, c in codes.items() if c is None)
    if unknown:
        raise ListFormatError(
            f"{path.name}: unknown countries {unknown} in {where}; add them to "
            "config/country_aliases.yaml if they are countries"
        )
    return codes


def read_us_csl(path: Path, countries: CountryResolver) -> pd.DataFrame:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"source", "name", "alt_names", "addresses"} - set(reader.fieldnames or [])
        if missing:
            raise ListFormatError(
                f"{path.name}: not a Consolidated Screening List: no {sorted(missing)}"
            )
        rows = []
        for record in reader:
            if record["source"] == "source" and record["name"] == "name":
                continue  # a repeated header line, as in some published copies
            codes = []
            for address in (record.get("addresses") or "").split(";"):
                found = _TRAILING_CODE.search(address)
                code = countries.codes.get(found.group(1)) if found else None
                if code and code not in codes:
                    codes.append(code)
            rows.append(
                {
                    "list": f"US CSL: {record['source']}",
                    "entity_id": record.get("_id") or record.get("entity_number") or "",
                    "name": record["name"],
                    "alt_names": record.get("alt_names") or "",
                    "country": ";".join(codes) or None,  # every country of its addresses
                }
            )
    return _expand(rows, path.name)


def read_eu_fsf(path: Path, countries: CountryResolver) -> pd.DataFrame:
    """The EU consolidated financial sanctions list (FSF CSV 1.1): enterprises, one per id.

    Rows of one entity (``Entity_LogicalId``) repeat for each of its names, addresses,
    identity documents and so on; they are collapsed to one entity whose first name is its
    name and the other distinct names its aliases. Its country is every country of its
    addresses (``Address_CountryIso2Code``, ``;``-joined); without one it is left empty, since
    citizenship and the sanctions programme say nothing about where an organisation is.
    """
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        header = reader.fieldnames or []
        missing = [c for c in (EU_FSF_MARKER, "NameAlias_WholeName") if c not in header]
        types = [c for c in EU_FSF_TYPES if c in header]
        if not types:
            missing.append(" or ".join(EU_FSF_TYPES))
        if missing:
            raise ListFormatError(
                f"{path.name}: not an EU Financial Sanctions File (CSV 1.1, ';'-separated): "
                f"missing columns {missing}; found {header[:8]}{' ...' if len(header) > 8 else ''}"
            )
        kind = types[0]
        entities: dict[str, dict[str, list[str]]] = {}
        for record in reader:
            if (record.get(kind) or "").strip().casefold() != EU_FSF_TYPES[kind].casefold():
                continue
            entity_id = (record.get(EU_FSF_MARKER) or "").strip()
            if not entity_id:
                continue
            entity = entities.setdefault(entity_id, {"names": [], "codes": []})
            name = _SPACE.sub(" ", record.get("NameAlias_WholeName") or "").strip()
            if name and name not in entity["names"]:
                entity["names"].append(name)
            code = (record.get("Address_CountryIso2Code") or "").strip().upper()
            if code not in EU_FSF_NO_COUNTRY and code not in entity["codes"]:
                entity["codes"].append(code)
    known = _country_codes(
        [c for e in entities.values() for c in e["codes"]],
        countries,
        path,
        "column Address_CountryIso2Code",
    )
    rows = [
        {
            "list": EU_FSF_LIST,
            "entity_id": entity_id,
            "name": entity["names"][0],
            "alt_names": entity["names"][1:],
            "country": ";".join(dict.fromkeys(known[c] for c in entity["codes"])) or None,
        }
        for entity_id, entity in entities.items()
        if entity["names"]  # an entity without any name has nothing to match
    ]
    return _expand(rows, path.name)


@dataclass
class _Node:
    tag: str
    children: list[_Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, _Node):
                yield from child.walk()


class _TreeBuilder(HTMLParser):
    """A small element tree from the standard library's parser (no lxml or bs4 needed)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
    SKIP = {"script", "style", "noscript", "template"}
    BLOCKS = {"p", "ul", "ol", "li", "div", "table", "section", "h2", "h3", "h4"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("document")
        self.stack = [self.root]
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.SKIP:
            self.skipping += 1
            return
        if self.skipping:
            return
        if tag in self.BLOCKS and self.stack[-1].tag == "p":
            self.stack.pop()  # a block element ends an open paragraph, as browsers read it
        if tag == "li" and self.stack[-1].tag == "li":
            self.stack.pop()  # an unclosed item ends where the next one starts
        node = _Node(tag)
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping:
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.stack[-1].children.append(data)


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\xa0", " ")).strip()


def _split_aliases(text: str) -> list[str]:
    return [_clean(a).rstrip(".") for a in text.split(";") if _clean(a).rstrip(".")]


def _nro_list_items(root: _Node) -> list[dict]:
    """Items that open with a bold name followed by "(Country)", as on the published page."""
    entries = []
    for node in root.walk():
        if node.tag != "li":
            continue
        content = [c for c in node.children if not (isinstance(c, str) and not c.strip())]
        if (
            not content
            or not isinstance(content[0], _Node)
            or content[0].tag not in ("strong", "b")
        ):
            continue
        rest = "".join(c if isinstance(c, str) else c.text() for c in content[1:])
        country = _LEADING_COUNTRY.match(rest)
        if not country:
            continue
        marker = _ALIAS_MARKER.search(rest)
        aliases = _split_aliases(rest[marker.end() :]) if marker else []
        entries.append(
            {
                "name": _clean(content[0].text()),
                "country": _clean(country.group(1)),
                "aliases": aliases,
            }
        )
    return entries


def _header_roles(headers: list[str]) -> dict[str, int]:
    """Which column holds the name, the aliases and the country, judged by header text."""
    roles: dict[str, int] = {}
    for index, header in enumerate(headers):
        text = _clean(header).casefold()
        if "alias" in text or "also known" in text or "known as" in text:
            roles.setdefault("aliases", index)
        elif "country" in text:
            roles.setdefault("country", index)
        elif "name" in text or "organi" in text:
            roles.setdefault("name", index)
    return roles


def _nro_rows(table: list[list[str]], roles: dict[str, int]) -> list[dict]:
    entries = []
    for cells in table:
        cells = [*cells, *[""] * (max(roles.values()) + 1 - len(cells))]
        name = _clean(cells[roles["name"]])
        if not name:
            continue
        aliases = _split_aliases(cells[roles["aliases"]]) if "aliases" in roles else []
        if aliases and _ALIAS_MARKER.match(aliases[0]):
            aliases[0] = _clean(_ALIAS_MARKER.sub("", aliases[0], count=1))
        entries.append(
            {"name": name, "country": _clean(cells[roles["country"]]), "aliases": aliases}
        )
    return entries


def _html_tables(root: _Node) -> list[list[list[str]]]:
    tables = []
    for node in root.walk():
        if node.tag == "table":
            rows = [r for r in node.walk() if r.tag == "tr"]
            tables.append(
                [
                    [
                        _clean(c.text())
                        for c in r.children
                        if isinstance(c, _Node) and c.tag in ("th", "td")
                    ]
                    for r in rows
                ]
            )
    return tables


def _nro_entities(entries: list[dict], countries: CountryResolver, path: Path) -> pd.DataFrame:
    known = _country_codes([e["country"] for e in entries], countries, path, "the country")
    rows, ids = [], set()
    for entry in entries:
        code = known.get(entry["country"])
        # The list publishes no ids: the name is the id, so decisions survive a reordering.
        entity_id = entry["name"] if entry["name"] not in ids else f"{entry['name']} ({code})"
        ids.add(entity_id)
        rows.append(
            {
                "list": CA_NRO_LIST,
                "entity_id": entity_id,
                "name": entry["name"],
                # On this list capitals-only aliases (AMMS, NUDT) are acronyms.
                "alt_names": [a for a in entry["aliases"] if not _SHORT_FORM.match(a)],
                "short_names": [a for a in entry["aliases"] if _SHORT_FORM.match(a)],
                "country": code,
            }
        )
    return _expand(rows, path.name)


def read_ca_nro(path: Path, countries: CountryResolver) -> pd.DataFrame:
    """Canada's Named Research Organizations: the saved web page (HTML) or a CSV of it."""
    if path.suffix.lower() in (".html", ".htm"):
        builder = _TreeBuilder()
        builder.feed(path.read_text(encoding="utf-8", errors="replace"))
        builder.close()
        entries = _nro_list_items(builder.root)
        headers_found = []
        if not entries:
            for table in _html_tables(builder.root):
                if not table:
                    continue
                roles = _header_roles(table[0])
                headers_found.append(table[0])
                if {"name", "country"} <= set(roles):
                    entries += _nro_rows(table[1:], roles)
        if not entries:
            raise ListFormatError(
                f"{path.name}: no Named Research Organizations found: expected list items "
                "'<strong>Name</strong> (Country)' with 'Known alias(es): ...', or a table "
                f"with Name, Alias(es) and Country headers; table headers found: {headers_found}"
            )
        return _nro_entities(entries, countries, path)
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    table = list(csv.reader(text.splitlines(), delimiter=delimiter))
    headers = table[0] if table else []
    roles = _header_roles(headers)
    missing = [r for r in ("name", "country") if r not in roles]
    if missing:
        raise ListFormatError(
            f"{path.name}: not a Named Research Organizations list: no column for {missing} "
            f"(looked for headers naming the organisation, its alias(es) and country); "
            f"headers found: {headers}"
        )
    return _nro_entities(_nro_rows(table[1:], roles), countries, path)


def read_generic(path: Path, countries: CountryResolver) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "empty"
        raise ListFormatError(f"{path.name}: not a readable CSV list ({reason})") from None
    missing = GENERIC_COLUMNS - set(frame.columns)
    if missing:
        raise ListFormatError(
            f"{path.name}: missing columns {sorted(missing)}; expected {sorted(GENERIC_COLUMNS)} "
            "and optionally alt_names, country, ror, openalex_id"
        )
    if "country" in frame:
        named = frame["country"].str.strip()
        codes = named.map(lambda c: countries.code(c) if c else "")
        unknown = sorted(set(named[codes.isna()]))
        if unknown:
            raise ListFormatError(f"{path.name}: unknown countries {unknown} in column country")
        frame["country"] = codes
    return _expand(frame.to_dict("records"), path.name)


def list_kind(path: Path) -> str:
    """Which reader a file needs: by its first line where that tells, else by its name."""
    name = path.name.lower()
    if path.suffix.lower() in (".html", ".htm"):
        return "ca_nro"
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        first = handle.readline()
    if EU_FSF_MARKER in first:
        return "eu_fsf"
    if "csl" in name:
        return "us_csl"
    if re.search(r"(?<![a-z])nro(?![a-z])|named.?research", name):
        return "ca_nro"
    return "generic"


READERS = {
    "eu_fsf": read_eu_fsf,
    "ca_nro": read_ca_nro,
    "us_csl": read_us_csl,
    "generic": read_generic,
}
LIST_PATTERNS = ("*.csv", "*.html", "*.htm")


def read_lists(folder: Path, countries: CountryResolver) -> pd.DataFrame:
    """Every list in ``folder`` (``*.csv``, ``*.html``; not ``decisions.csv``), each with its
    reader: a CSV whose header has ``Entity_LogicalId`` as the EU FSF file, ``*csl*.csv`` as
    the CSL, saved pages and ``*nro*.csv`` as Canada's list, other CSVs as the generic form."""
    frames = []
    paths = sorted({p for pattern in LIST_PATTERNS for p in folder.glob(pattern)})
    for path in paths:
        if path.name == "decisions.csv":
            continue
        frames.append(READERS[list_kind(path)](path, countries))
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)
