"""Reference lists of restricted or defence-linked entities, read into one table.

Each list becomes rows of (list, entity_id, name, country, ror, openalex_id), one row per name
an entity goes by (its main name, each alternative name, each parenthesised acronym), so
matching compares like with like. Readers:

* the US Consolidated Screening List CSV (trade.gov; both published layouts, including the
  one that repeats its header line);
* any list the group adds as CSV with the columns ``list, entity_id, name, alt_names, country,
  ror, openalex_id`` (alternative names ``; ``-joined) — the form to bring the EU consolidated
  financial sanctions list, Canada's Named Research Organizations or a national list in.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from analysis.countries import CountryResolver
from analysis.screening.names import acronyms

COLUMNS = ["list", "entity_id", "name", "name_kind", "country", "ror", "openalex_id"]
GENERIC_COLUMNS = {"list", "entity_id", "name"}
_TRAILING_CODE = re.compile(r",\s*([A-Z]{2})\s*$")


class ListFormatError(ValueError):
    """A reference list is not in a known layout; the message names file and columns."""


def _expand(rows: list[dict[str, str]], source: str = "") -> pd.DataFrame:
    expanded = []
    for number, row in enumerate(rows, start=2):
        if not str(row.get("entity_id") or "").strip():
            # Entities without an id keep apart by where they stand in their file.
            row = {**row, "entity_id": f"{source} row {number}"}
        names = [("name", row["name"])]
        names += [("alias", a.strip()) for a in row.get("alt_names", "").split(";") if a.strip()]
        names += [("acronym", a) for a in acronyms(row["name"])]
        for kind, name in dict.fromkeys(names):
            expanded.append(
                {**{c: row.get(c, "") or None for c in COLUMNS}, "name": name, "name_kind": kind}
            )
    return pd.DataFrame(expanded, columns=COLUMNS)


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


def read_generic(path: Path, countries: CountryResolver) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
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


def read_lists(folder: Path, countries: CountryResolver) -> pd.DataFrame:
    """Every list in ``folder``: ``*csl*.csv`` as CSL, other ``*.csv`` as the generic form."""
    frames = []
    for path in sorted(folder.glob("*.csv")):
        if path.name == "decisions.csv":
            continue
        frames.append(
            read_us_csl(path, countries)
            if "csl" in path.name.lower()
            else read_generic(path, countries)
        )
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)
