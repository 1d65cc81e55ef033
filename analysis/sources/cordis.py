"""CORDIS bulk exports (EU framework programme projects and their participants).

The real files are awkward: Horizon 2020 and Horizon Europe ``project.csv`` and
``organization.csv`` are ``;``-separated with ``"`` quoting, but free-text fields (the
objective above all) contain stray, unescaped quotes that break a naive parser; older
programmes' files are tab-separated with line breaks inside quoted fields; numbers may use a
decimal comma; countries use CORDIS codes (``UK``, ``EL``). This reader parses records
properly where it can, repairs a project record whose objective broke the quoting by taking
the fields after the objective from the end of the record, and reports every record it cannot
read with its row number, never dropping one silently.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

# Columns after which, in project files, only short structured fields follow.
FREE_TEXT_COLUMN = "objective"
_RECORD_START = re.compile(r"^\d+[;\t]")


class CordisFormatError(ValueError):
    """The file is not a CORDIS export this reader knows; the message names file and column."""


@dataclass
class CordisTable:
    path: Path
    frame: pd.DataFrame  # all text, plus source_row (the record's first line in the file)
    delimiter: str
    rejects: pd.DataFrame  # source_row, reason
    repaired: int  # records whose stray quotes were repaired


def _unquote(field: str) -> str:
    field = field.strip()
    if len(field) >= 2 and field.startswith('"') and field.endswith('"'):
        field = field[1:-1]
    return field.replace('""', '"')


def _split_fields_before(text: str, delimiter: str, count: int) -> tuple[list[str], str]:
    """The first ``count`` fields of ``text`` (quoted fields honoured) and the rest."""
    fields: list[str] = []
    position = 0
    while len(fields) < count:
        if text.startswith('"', position):
            end = position + 1
            while True:
                end = text.find('"', end)
                if end == -1:
                    raise ValueError("unterminated quote")
                if text.startswith('""', end):
                    end += 2
                    continue
                break
            fields.append(text[position + 1 : end].replace('""', '"'))
            position = end + 1
            if position < len(text) and text[position] != delimiter:
                raise ValueError("text after a closing quote")
            position += 1
        else:
            end = text.find(delimiter, position)
            if end == -1:
                raise ValueError("too few fields")
            fields.append(text[position:end])
            position = end + 1
    return fields, text[position:]


def repair_project_record(raw: str, header: list[str], delimiter: str) -> list[str]:
    """Re-read a project record whose free-text field contains stray quotes.

    Fields before the objective are read from the start (quoting honoured), the fields after it
    from the end (they are dates, numbers and a DOI, which never contain the delimiter); what is
    between is the objective.
    """
    index = header.index(FREE_TEXT_COLUMN)
    after = len(header) - index - 1
    before, rest = _split_fields_before(raw.rstrip("\r\n"), delimiter, index)
    tail = rest.rsplit(delimiter, after) if after else [rest]
    if len(tail) != after + 1:
        raise ValueError("too few fields after the objective")
    return [*before, *(_unquote(t) for t in tail)]


def read_cordis(path: Path) -> CordisTable:
    """Read a CORDIS CSV export (``;`` or tab) into text columns, with rejects and repairs."""
    if not path.is_file():
        raise FileNotFoundError(f"CORDIS file not found: {path}")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise CordisFormatError(
            f"{path.name}: line {line}: not UTF-8 (byte {error.start}); download it again"
        ) from None
    if not text.strip():
        raise CordisFormatError(f"{path.name}: the file is empty")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(";") else ";"
    header = [h.strip() for h in next(csv.reader([first_line.rstrip("\r")], delimiter=delimiter))]
    if len(header) < 3:
        raise CordisFormatError(f"{path.name}: the header has {len(header)} columns")
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    next(reader)
    records, rejects = [], []
    repaired = 0
    line_before = reader.line_num
    for fields in reader:
        start, end = line_before + 1, reader.line_num
        line_before = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        if len(fields) == len(header):
            records.append([*fields, start])
            continue
        # A broken record may have swallowed its neighbours: split it back at record starts.
        chunk = lines[start - 1 : end]
        pieces: list[tuple[int, str]] = []
        for offset, line in enumerate(chunk):
            if _RECORD_START.match(line) or not pieces:
                pieces.append((start + offset, line))
            else:
                number, joined = pieces[-1]
                pieces[-1] = (number, joined + line)
        for number, raw in pieces:
            parsed = next(csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter), [])
            if len(parsed) == len(header):
                records.append([*parsed, number])
                continue
            if FREE_TEXT_COLUMN in header:
                try:
                    records.append([*repair_project_record(raw, header, delimiter), number])
                    repaired += 1
                    continue
                except ValueError as error:
                    reason = f"unreadable record ({error})"
            else:
                reason = f"{len(parsed)} fields where the header has {len(header)}"
            rejects.append({"source_row": number, "reason": reason})
    frame = pd.DataFrame(records, columns=[*header, "source_row"])
    return CordisTable(
        path, frame, delimiter, pd.DataFrame(rejects, columns=["source_row", "reason"]), repaired
    )


def parse_amount(values: pd.Series) -> pd.Series:
    """Euro amounts as CORDIS writes them: ``1500000``, ``2494217,5`` or ``2494217.5``."""
    text = values.fillna("").astype(str).str.strip().str.replace(" ", "", regex=False)
    return pd.to_numeric(text.str.replace(",", ".", regex=False).replace("", None), errors="coerce")


def require_columns(table: CordisTable, columns: list[str]) -> None:
    missing = [c for c in columns if c not in table.frame.columns]
    if missing:
        raise CordisFormatError(
            f"{table.path.name}: missing columns {missing}; the file has {list(table.frame.columns)}"
        )
