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
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

ROW = "source_row"
EXPORT_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".sav")
DELIMITERS = (",", ";", "\t")
# Declared bounds, checked before the work: a file past one is refused with the limit named.
MAX_EXPORT_BYTES = 200_000_000
MAX_COLUMNS = 100_000
MAX_XLSX_UNPACKED_BYTES = 1_000_000_000
# Bytes that could not be decoded, and NUL bytes, become lone surrogates while the file is
# parsed: no decoded text contains them, so the rows that hold them are found exactly.
_NUL = "\udc00"
_MARKED = re.compile("[\udc00-\udcff]")


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
    # Records that could not be read as written (too few fields, NUL or undecodable bytes):
    # source_row, reason_code, detail. They are not in ``frame``; cleaning accounts for them.
    rejected: pd.DataFrame | None = None

    @property
    def rejected_rows(self) -> pd.DataFrame:
        if self.rejected is None:
            return pd.DataFrame({ROW: pd.Series(dtype="int64"), "reason_code": [], "detail": []})
        return self.rejected

    def describe(self) -> dict[str, object]:
        return {
            "file": self.path.name,
            "format": self.file_format,
            "encoding": self.encoding or "",
            "delimiter": {"\t": "tab"}.get(self.delimiter or "", self.delimiter or ""),
            "header_rows": self.header_rows,
            "rows": len(self.frame) + len(self.rejected_rows),
            "blank_rows": self.blank_rows,
            "rejected_on_read": len(self.rejected_rows),
            "status": "read",
            "reason": "",
        }


# Beyond ASCII and not a byte that failed to decode (surrogateescape marks those U+DC80–DCFF).
_WELL_FORMED_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")


def detect_encoding(data: bytes) -> str:
    """BOMs first, then UTF-16 without a BOM (NUL bytes), then UTF-8, then cp1252.

    A file that is UTF-8 but for a few bad bytes stays UTF-8 (its well-formed non-ASCII text
    says so); only the rows holding the bad bytes are rejected. cp1252 is chosen only when
    nothing in the file is well-formed UTF-8 beyond ASCII.
    """
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
    text = data.decode("utf-8", errors="surrogateescape")
    if _WELL_FORMED_NON_ASCII.search(text):
        return "utf-8"
    return "cp1252"


def decode(path: Path, data: bytes, encoding: str) -> str:
    """The file's text; undecodable bytes and NUL bytes marked for the rows to be rejected."""
    try:
        text = data.decode(encoding, errors="surrogateescape")
    except UnicodeDecodeError as error:
        raise ExportError(
            f"{path.name}: cannot be decoded as {encoding} (byte {error.start} of "
            f"{len(data)}); save it as UTF-8"
        ) from None
    return text.lstrip("\ufeff").replace("\x00", _NUL)


def _marked_problem(cell: str) -> str:
    found = _MARKED.search(cell)
    if found.group() == _NUL:
        return "a NUL byte"
    return f"byte 0x{ord(found.group()) - 0xDC00:02X} that cannot be decoded"


def detect_delimiter(text: str) -> str:
    """The delimiter among , ; and tab that splits the header line most consistently."""
    lines = [line for line in text[:200_000].splitlines()[:20] if line.strip()]
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


def _qualtrics_header_rows(path: Path, grid: pd.DataFrame) -> int:
    """Qualtrics writes ids, question texts and JSON ImportIds as three header rows."""
    if len(grid) >= 3:
        third = [cell for cell in grid.iloc[2].tolist() if cell]
        if third and any(_IMPORT_ID.match(cell) for cell in third):
            for column, cell in enumerate(grid.iloc[2].tolist()):
                if _IMPORT_ID.match(cell):
                    try:  # a malformed ImportId row is a broken export, not data
                        json.loads(cell)
                    except json.JSONDecodeError as error:
                        raise ExportError(
                            f"{path.name}: row 3, column {grid.iloc[0, column]!r}: the Qualtrics "
                            f"ImportId is not valid JSON ({error.msg})"
                        ) from None
            return 3
    return 1


def _frame(
    path: Path, grid: pd.DataFrame, header_rows: int | None
) -> tuple[pd.DataFrame, int, int]:
    """Turn a grid of text cells (first row = header) into records numbered as in the file."""
    if grid.empty or not any(cell.strip() for cell in grid.iloc[0].tolist()):
        raise ExportError(f"{path.name}: the file is empty (no header row)")
    header_rows = header_rows or _qualtrics_header_rows(path, grid)
    header = [cell.strip() for cell in grid.iloc[0].tolist()]
    while header and header[-1] == "" and (grid.iloc[:, len(header) - 1] == "").all():
        header.pop()  # trailing empty columns some tools add
    if len(header) > MAX_COLUMNS:
        raise ExportError(
            f"{path.name}: {len(header)} columns, more than the limit of {MAX_COLUMNS}"
        )
    duplicated = sorted(name for name, n in Counter(header).items() if name and n > 1)
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


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_EXPORT_BYTES:
        raise ExportError(f"{path.name}: {size} bytes, more than the limit of {MAX_EXPORT_BYTES}")


def _read_csv(path: Path, header_rows: int | None) -> ExportRead:
    _check_size(path)
    data = path.read_bytes()
    if not data.strip():
        raise ExportError(f"{path.name}: the file is empty")
    encoding = detect_encoding(data)
    text = decode(path, data, encoding)
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows, lines = [], []
    try:
        for row in reader:
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as error:
        raise ExportError(f"{path.name}: line {reader.line_num}: not CSV ({error})") from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ExportError(f"{path.name}: the file is empty (no header row)")
    width = len(rows[0])
    while width and rows[0][width - 1].strip() == "":
        width -= 1
    problems = []
    for position, row in enumerate(rows):
        short = 0 < len(row) < width and (len(row) > 1 or row[0] != "")
        long = len(row) > width and any(cell.strip() for cell in row[width:])
        if position and (short or long):
            problems.append(
                (position, f"line {lines[position]} has {len(row)} fields, the header has {width}")
            )
            continue
        for column, cell in enumerate(row):
            if _MARKED.search(cell):
                name = rows[0][column] if column < len(rows[0]) else f"field {column + 1}"
                problems.append(
                    (position, f"line {lines[position]}, column {name!r}: {_marked_problem(cell)}")
                )
                break
    if problems and problems[0][0] < (header_rows or 1):
        raise ExportError(f"{path.name}: the header cannot be read: {problems[0][1]}")
    rejected = pd.DataFrame(
        {
            ROW: pd.Series([p + 1 for p, _ in problems], dtype="int64"),
            "reason_code": "unreadable_row",
            "detail": [d for _, d in problems],
        }
    )
    for position, _ in problems:
        rows[position] = [""] * width  # kept in place so row numbers hold; dropped below
    grid = _grid(rows)
    frame, header_rows, blank = _frame(path, grid, header_rows)
    blank -= len(problems)
    frame = frame[~frame[ROW].isin(rejected[ROW])].reset_index(drop=True)
    return ExportRead(path, frame, "csv", encoding, delimiter, header_rows, blank, rejected)


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
    if all(type(v) is str for r in rows for v in r):
        return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    return pd.DataFrame([[_cell_text(v) for v in r] + [""] * (width - len(r)) for r in rows])


def _read_xlsx(path: Path, header_rows: int | None) -> ExportRead:
    import zipfile

    from openpyxl import load_workbook

    _check_size(path)
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise ExportError(f"{path.name}: not a readable XLSX file ({error})") from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ExportError(
            f"{path.name}: unpacks to {unpacked} bytes, more than the limit of "
            f"{MAX_XLSX_UNPACKED_BYTES}"
        )
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

    _check_size(path)
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
