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
    blank_rows: int = 0  # empty lines between records: layout, not data, but counted

    def describe(self) -> dict[str, object]:
        return {
            "file": self.path.name,
            "format": self.file_format,
            "encoding": self.encoding or "",
            "delimiter": {"\t": "tab"}.get(self.delimiter or "", self.delimiter or ""),
            "header_rows": self.header_rows,
            "rows": len(self.frame),
            "blank_rows": self.blank_rows,
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


def _qualtrics_header_rows(grid: pd.DataFrame) -> int:
    """Qualtrics writes ids, question texts and JSON ImportIds as three header rows."""
    if len(grid) >= 3:
        third = [cell for cell in grid.iloc[2].tolist() if cell]
        if third and any(_IMPORT_ID.match(cell) for cell in third):
            for cell in third:
                if _IMPORT_ID.match(cell):
                    json.loads(cell)  # a malformed ImportId row is a broken export, not data
            return 3
    return 1


def _frame(
    path: Path, grid: pd.DataFrame, header_rows: int | None
) -> tuple[pd.DataFrame, int, int]:
    """Turn a grid of text cells (first row = header) into records numbered as in the file."""
    if grid.empty or not any(cell.strip() for cell in grid.iloc[0].tolist()):
        raise ExportError(f"{path.name}: the file is empty (no header row)")
    header_rows = header_rows or _qualtrics_header_rows(grid)
    header = [cell.strip() for cell in grid.iloc[0].tolist()]
    while header and header[-1] == "" and (grid.iloc[:, len(header) - 1] == "").all():
        header.pop()  # trailing empty columns some tools add
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    if duplicated:
        raise ExportError(f"{path.name}: column names repeat: {duplicated}")
    width = len(header)
    extra = grid.iloc[header_rows:, width:].to_numpy().astype(bool)  # non-empty text is True
    if extra.shape[1] and extra.any():
        first = int(header_rows + extra.any(axis=1).nonzero()[0][0])
        fields = int((grid.iloc[first] != "").to_numpy().nonzero()[0].max()) + 1
        raise ExportError(
            f"{path.name}: row {first + 1} has {fields} fields, the header has {width}"
        )
    records = grid.iloc[header_rows:, :width].copy()
    records.columns = header
    records[ROW] = records.index + 1
    blank = ~records[header].to_numpy().astype(bool).any(axis=1)
    return records[~blank].reset_index(drop=True), header_rows, int(blank.sum())


_TOO_MANY = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _read_csv(path: Path, header_rows: int | None) -> ExportRead:
    data = path.read_bytes()
    if not data.strip():
        raise ExportError(f"{path.name}: the file is empty")
    encoding = detect_encoding(data)
    text = data.decode(encoding).lstrip("\ufeff")
    delimiter = detect_delimiter(text)
    try:
        grid = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            na_filter=False,  # every cell stays text; missing trailing fields become ""
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.ParserError as error:
        found = _TOO_MANY.search(str(error))
        if found:
            expected, line, saw = found.groups()
            raise ExportError(
                f"{path.name}: row {line} has {saw} fields, the header has {expected}"
            ) from None
        raise ExportError(f"{path.name}: cannot be parsed as CSV ({error})") from None
    except pd.errors.EmptyDataError:
        raise ExportError(f"{path.name}: the file is empty") from None
    frame, header_rows, blank = _frame(path, grid, header_rows)
    return ExportRead(path, frame, "csv", encoding, delimiter, header_rows, blank)


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


def _grid(rows: list[list[object]]) -> pd.DataFrame:
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([[_cell_text(v) for v in r] + [""] * (width - len(r)) for r in rows])


def _read_xlsx(path: Path, header_rows: int | None) -> ExportRead:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several unrelated types for a bad file
        raise ExportError(f"{path.name}: not a readable XLSX file ({error})") from None
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    frame, header_rows, blank = _frame(path, _grid(rows), header_rows)
    return ExportRead(path, frame, "xlsx", None, None, header_rows, blank)


def _read_sav(path: Path) -> ExportRead:
    import pyreadstat

    try:
        data, meta = pyreadstat.read_sav(str(path), apply_value_formats=True)
    except Exception as error:
        raise ExportError(f"{path.name}: not a readable SPSS file ({error})") from None
    cells = data.astype(object).where(data.notna(), None)
    rows = [list(data.columns)] + cells.to_numpy().tolist()
    frame, header_rows, blank = _frame(path, _grid(rows), 1)
    return ExportRead(path, frame, "sav", meta.file_encoding, None, header_rows, blank)


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
