"""Read survey exports as they arrive: CSV in any usual encoding and delimiter, XLSX, SPSS.

Everything is read as text, exactly as exported, so cleaning sees what the file says and the
rejects table can quote it. Each record keeps its row number as a spreadsheet shows it.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

ROW = "source_row"
DELIMITERS = (",", ";", "\t")


class ExportError(ValueError):
    """An export cannot be read; the message names the file and what is wrong."""


@dataclass(frozen=True)
class ExportRead:
    """One export read as text, with what was detected about it."""

    path: Path
    frame: pd.DataFrame  # text cells ("" when empty) and a source_row column
    file_format: str
    encoding: str | None
    delimiter: str | None
    header_rows: int

    def describe(self) -> dict[str, object]:
        return {
            "file": self.path.name,
            "format": self.file_format,
            "encoding": self.encoding or "",
            "delimiter": {"\t": "tab"}.get(self.delimiter or "", self.delimiter or ""),
            "header_rows": self.header_rows,
            "rows": len(self.frame),
        }


def detect_encoding(data: bytes) -> str:
    """BOMs first, then UTF-16 without a BOM (NUL bytes), then strict UTF-8, then cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:4000]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        return "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError as error:
        raise ExportError(
            f"cannot tell the text encoding: not UTF-8, UTF-16 or cp1252 (byte {error.start})"
        ) from None


def detect_delimiter(text: str) -> str:
    """The delimiter among , ; and tab that splits the header line most consistently."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        raise ExportError("the file is empty")
    try:
        return csv.Sniffer().sniff("\n".join(lines[:10]), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        if counts[best] == 0:
            return ","  # a single column
        return best


_IMPORT_ID = re.compile(r'^\{\s*"ImportId"\s*:')


def _qualtrics_header_rows(rows: list[list[str]]) -> int:
    """Qualtrics writes ids, question texts and JSON ImportIds as three header rows."""
    if len(rows) >= 3 and any(_IMPORT_ID.match(cell or "") for cell in rows[2]):
        for cell in rows[2]:
            if cell and _IMPORT_ID.match(cell):
                json.loads(cell)  # a malformed ImportId row is a broken export, not data
        return 3
    return 1


def _frame(path: Path, rows: list[list[str]], header_rows: int | None) -> tuple[pd.DataFrame, int]:
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ExportError(f"{path.name}: the file is empty (no header row)")
    header_rows = header_rows or _qualtrics_header_rows(rows)
    header = [cell.strip() for cell in rows[0]]
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    if duplicated:
        raise ExportError(f"{path.name}: column names repeat: {duplicated}")
    width = len(header)
    records = []
    for number, row in enumerate(rows[header_rows:], start=header_rows + 1):
        if not any(cell.strip() for cell in row):
            continue  # blank lines are layout, not records
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            raise ExportError(
                f"{path.name}: row {number} has {len(row)} fields, the header has {width}"
            )
        records.append([*row[:width], *[""] * (width - len(row)), number])
    frame = pd.DataFrame(records, columns=[*header, ROW])
    return frame, header_rows


def _read_csv(path: Path, header_rows: int | None) -> ExportRead:
    data = path.read_bytes()
    if not data.strip():
        raise ExportError(f"{path.name}: the file is empty")
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    text = text.lstrip("\ufeff")
    delimiter = detect_delimiter(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    frame, header_rows = _frame(path, rows, header_rows)
    return ExportRead(path, frame, "csv", encoding, delimiter, header_rows)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path, header_rows: int | None) -> ExportRead:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several unrelated types for a bad file
        raise ExportError(f"{path.name}: not a readable XLSX file ({error})") from None
    sheet = workbook.worksheets[0]
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    frame, header_rows = _frame(path, rows, header_rows)
    return ExportRead(path, frame, "xlsx", None, None, header_rows)


def _read_sav(path: Path) -> ExportRead:
    import pyreadstat

    try:
        data, meta = pyreadstat.read_sav(str(path), apply_value_formats=True)
    except Exception as error:
        raise ExportError(f"{path.name}: not a readable SPSS file ({error})") from None
    rows = [list(data.columns)] + [[_cell_text(v) for v in r] for r in data.itertuples(index=False)]
    rows = [[("" if cell == "nan" else cell) for cell in row] for row in rows]
    frame, header_rows = _frame(path, rows, 1)
    return ExportRead(path, frame, "sav", meta.file_encoding, None, header_rows)


def read_export(path: Path, header_rows: int | None = None) -> ExportRead:
    """Read one export; the format comes from the file name's suffix."""
    if not path.is_file():
        raise ExportError(f"export not found: {path}")
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt", ".tsv"}:
        return _read_csv(path, header_rows)
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(path, header_rows)
    if suffix == ".sav":
        return _read_sav(path)
    raise ExportError(f"{path.name}: unsupported export format {suffix!r} (csv, xlsx or sav)")
